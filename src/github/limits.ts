/** Rate limits and broken answers: waits that respect the run's budget, cut-short bodies retried. */
import { Readable } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
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
/** Retries of a server error or a failed connection, after 1, 4 and 9 seconds. */
const SERVER_ERROR_RETRIES = 3

/**
 * An Octokit plugin, inside the throttling plugin:
 * - a successful answer is read here and parsed with the native JSON parser: the request library's
 *   own parser runs a regular expression over the whole text, which for a large tree (a codex
 *   holding thousands of projects' docs) costs hundreds of megabytes and overflows on Node 20;
 * - a server error (5xx), a connection that fails, an answer that never comes (two minutes), and a
 *   success whose body arrives cut short or is not the JSON it says it is are tried again;
 * - a 429, or a 403 with `retry-after` that is not worded as a secondary limit, waits the time
 *   GitHub names (the throttling plugin would not wait for it);
 * - every write is counted against the hourly budget, and a rejected token ends the budget.
 */
export function limitsPlugin(options: LimitOptions) {
  return (octokit: Octokit): void => {
    octokit.hook.wrap('request', async (request, requestOptions) => {
      if (isWrite(requestOptions)) options.budget.recordWrite()
      // Octokit's hooks pass one options object along, so it is changed in place; it is given back
      // as it came, for the throttling plugin to send again after a rate limit.
      const asGiven = requestOptions.request ?? {}
      const ownBody = asGiven.parseSuccessResponseBody !== false
      let limitRetries = 0
      let serverRetries = 0
      try {
        for (;;) {
          try {
            requestOptions.request = {
              ...asGiven,
              ...(ownBody ? { parseSuccessResponseBody: false } : {}),
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
            }
            const response = await request(requestOptions)
            if (ownBody) response.data = await parseBody(response, requestOptions)
            if (isGraphQLHiccup(response.data)) throw hiccup(response, requestOptions)
            return response
          } catch (error) {
            if (statusOf(error) === 401) options.budget.stop('GitHub rejected the token')
            const wait = unhandledRetryAfter(error)
            if (wait !== undefined) {
              const go = onLimit(options, 'Rate limit', EXTRA_LIMIT_RETRIES)(
                wait,
                requestOptions,
                limitRetries++
              )
              if (!go) throw error
              await delay(wait * 1000)
            } else if (isServerError(error) && serverRetries < SERVER_ERROR_RETRIES) {
              serverRetries++
              await delay(serverRetries * serverRetries * 1000)
            } else {
              throw error
            }
          }
        }
      } finally {
        requestOptions.request = asGiven
      }
    })
  }
}

/**
 * An answer that never comes is given up after this long (GitHub itself answers or times out
 * within seconds) and tried again; large raw blobs fit well within it.
 */
const REQUEST_TIMEOUT_MS = 120_000

/** GitHub's GraphQL answers an internal failure with 200 and this error; asking again helps. */
const GRAPHQL_HICCUP = /Something went wrong while executing your query/

function isGraphQLHiccup(data: unknown): boolean {
  const errors = (data as { errors?: { message?: unknown }[] } | null)?.errors
  return Array.isArray(errors) && GRAPHQL_HICCUP.test(String(errors[0]?.message))
}

function hiccup(response: OctokitResponse<unknown>, request: EndpointDefaults): RequestError {
  const errors = (response.data as { errors: { message?: unknown }[] }).errors
  return new RequestError(String(errors[0]?.message), 502, {
    request: request as Required<EndpointDefaults> & { url: string },
    response
  })
}

/** A failure that may pass: GitHub's 5xx, or no answer (the request library reports those as 500). */
function isServerError(error: unknown): boolean {
  const status = statusOf(error)
  return status !== undefined && status >= 500 && status <= 599
}

/** A body's bytes as they arrive, without copying each chunk; rejects if it ends before its end. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  if (stream instanceof Readable) return readNodeStream(stream)
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  }
  return Buffer.concat(chunks)
}

/** A Node stream read by its events: its async iterator costs more than a small answer. */
function readNodeStream(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let ended = false
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.once('end', () => {
      ended = true
      resolve(Buffer.concat(chunks))
    })
    stream.once('error', reject)
    stream.once('close', () => {
      if (!ended) reject(new Error('the answer ended before its end'))
    })
  })
}

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
  let body: Buffer
  try {
    body = await readAll(stream)
  } catch {
    throw cutShort()
  }
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

/**
 * Whether a request creates content: any REST request but a read, and a GraphQL mutation. Octokit's
 * GraphQL client hands its document over as the request's `query` option, built into the body only
 * after this hook; a request made with a body carries it there.
 */
export function isWrite(options: RequestOptions & { query?: unknown }): boolean {
  const verb = (options.method ?? 'GET').toUpperCase()
  if (verb === 'GET' || verb === 'HEAD') return false
  if (/\/graphql$/.test(options.url ?? '')) {
    const query = options.query ?? (options.body as { query?: unknown } | undefined)?.query
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
