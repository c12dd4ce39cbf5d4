/** Rate limits and broken answers: waits that respect the run's budget, cut-short bodies retried. */
import type { Octokit } from '@octokit/core'
import { RequestError } from '@octokit/request-error'
import type { EndpointDefaults, OctokitResponse } from '@octokit/types'
import type { Log } from '../model.js'
import type { RunBudget } from './budget.js'
import { statusOf } from './errors.js'

type RequestOptions = Pick<EndpointDefaults, 'method' | 'url'> & { body?: unknown }

interface ResponseLike {
  data: unknown
  headers: Record<string, string | number | undefined>
}

export interface LimitOptions {
  budget: RunBudget
  log: Log
}

/** Retries a rate limit that the throttling plugin leaves alone (a 429, or a 403 naming retry-after). */
const EXTRA_LIMIT_RETRIES = 5

/**
 * An Octokit plugin, inside the throttling and retry plugins:
 * - a successful answer is read here and parsed with the native JSON parser: the request library's
 *   own parser runs a regular expression over the whole text, which for a large tree (a codex
 *   holding thousands of projects' docs) costs hundreds of megabytes and overflows on Node 20;
 * - a success whose body arrives cut short (a connection closed mid-body) or is not the JSON it
 *   says it is becomes a 502, which the retry plugin repeats;
 * - a 429, or a 403 with `retry-after` that is not worded as a secondary limit, waits the time
 *   GitHub names (the throttling plugin would let the retry plugin guess a second instead);
 * - every write is counted against the hourly budget, and a rejected token ends the budget.
 */
export function limitsPlugin(options: LimitOptions) {
  return (octokit: Octokit): void => {
    octokit.hook.wrap('request', async (request, requestOptions) => {
      if (isWrite(requestOptions)) options.budget.recordWrite()
      // The same options come back when an outer plugin repeats the request: remember whose body.
      const ownBody =
        parsedHere.has(requestOptions) || requestOptions.request?.parseSuccessResponseBody !== false
      if (ownBody) parsedHere.add(requestOptions)
      for (let attempt = 0; ; attempt++) {
        try {
          // Octokit's hooks pass the options object they were given along: it is changed in place.
          requestOptions.request = {
            ...requestOptions.request,
            ...(ownBody ? { parseSuccessResponseBody: false } : {}),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
          }
          const response = await request(requestOptions)
          if (ownBody) response.data = await parseBody(response, requestOptions)
          return response
        } catch (error) {
          if (statusOf(error) === 401) options.budget.stop('GitHub rejected the token')
          const wait = unhandledRetryAfter(error)
          if (wait === undefined) throw error
          const go = onLimit(options, 'Rate limit', EXTRA_LIMIT_RETRIES)(
            wait,
            requestOptions,
            attempt
          )
          if (!go) throw error
          await sleep(wait * 1000)
        }
      }
    })
  }
}

/**
 * An answer that never comes is given up after this long (GitHub itself answers or times out
 * within seconds), and the retry plugin repeats the request; large raw blobs fit well within it.
 */
const REQUEST_TIMEOUT_MS = 120_000

/** Requests whose answers this plugin reads itself (see limitsPlugin). */
const parsedHere = new WeakSet<object>()

/** The body of a successful answer, as the request library would give it, from its raw bytes. */
async function parseBody(
  response: OctokitResponse<unknown>,
  request: EndpointDefaults
): Promise<unknown> {
  const cutShort = () =>
    new RequestError(`The answer to ${describe(request)} was cut short`, 502, {
      request: request as Required<EndpointDefaults> & { url: string },
      response
    })
  const stream = response.data as AsyncIterable<Uint8Array> | null | undefined
  if (!stream || typeof stream !== 'object' || !(Symbol.asyncIterator in stream)) return stream
  const chunks: Buffer[] = []
  try {
    for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  } catch {
    throw cutShort()
  }
  const body = Buffer.concat(chunks)
  const type = String(response.headers['content-type'] ?? '').toLowerCase()
  if (/^application\/(?:[\w.+-]*\+)?json\b/.test(type)) {
    try {
      return JSON.parse(body.toString('utf8')) as unknown
    } catch {
      throw cutShort()
    }
  }
  if (type.startsWith('text/') || (/charset=utf-8/.test(type) && !type.includes('octet-stream'))) {
    return body.toString('utf8')
  }
  return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)
}

/** Seconds to wait for a limit the throttling plugin does not recognise; undefined otherwise. */
function unhandledRetryAfter(error: unknown): number | undefined {
  const status = statusOf(error)
  if (status !== 429 && status !== 403) return undefined
  const response = (error as { response?: ResponseLike }).response
  const message = error instanceof Error ? error.message : ''
  if (/\bsecondary rate\b/i.test(message)) return undefined
  if (String(response?.headers['x-ratelimit-remaining']) === '0') return undefined
  const retryAfter = Number(response?.headers['retry-after'])
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter
  return status === 429 ? 60 : undefined
}

function isWrite({ method, url, body }: RequestOptions): boolean {
  const verb = (method ?? 'GET').toUpperCase()
  if (verb === 'GET' || verb === 'HEAD') return false
  if (/\/graphql$/.test(url ?? '')) {
    const query = (body as { query?: unknown } | undefined)?.query
    return typeof query === 'string' && /^\s*mutation\b/.test(query)
  }
  return true
}

/**
 * The answer to a rate limit: wait (said once per reset time) while the wait ends within the run's
 * time budget, at most `retries` times; otherwise end the budget so that no new project starts.
 */
export function onLimit({ budget, log }: LimitOptions, limit: string, retries: number) {
  let announced = ''
  return (retryAfter: number, request: RequestOptions, retryCount: number): boolean => {
    if (retryCount >= retries) {
      log.warning(`${limit} on ${describe(request)}; giving up after ${retries} retries.`)
      return false
    }
    const until = new Date(Date.now() + retryAfter * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
    if (!budget.mayWait(retryAfter)) {
      budget.stop(`${limit.toLowerCase()} until ${until}, after the time budget ends`)
      return false
    }
    const key = until
    if (key !== announced) {
      announced = key
      log.warning(`${limit}: waiting ${retryAfter} s, until ${until}, then going on.`)
    }
    return true
  }
}

function describe(request: RequestOptions): string {
  return `${request.method ?? 'GET'} ${request.url ?? ''}`
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
