/** The client's HTTP: Octokit's fetch contract served by undici's request API, without web streams. */
// A WHATWG fetch builds web streams, an abort controller and a Headers object per request: at a
// thousand projects that was a quarter of the action's CPU, on the critical path of every run.
import { STATUS_CODES } from 'node:http'
import { HttpClient } from '@actions/http-client'
import { Agent, type Dispatcher } from 'undici'

/** What Octokit's request reads of an answer (see @octokit/request's fetch-wrapper). */
export interface Answer {
  status: number
  statusText: string
  /** The URL asked (fetch would give the last one of a redirect; nothing here reads it). */
  url: string
  headers: AnswerHeaders
  body: AsyncIterable<Uint8Array> | null
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
}

export interface AskOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array | null
  signal?: AbortSignal | null
  redirect?: 'follow' | 'error' | 'manual'
}

export type Ask = (url: string, options?: AskOptions) => Promise<Answer>

/** Redirects followed, as many as fetch follows. */
const MAX_REDIRECTIONS = 20

/** A fetch for `apiUrl`: through the runner's proxy when one is configured for it. */
export function createTransport(apiUrl: string): Ask {
  const dispatcher: Dispatcher =
    new HttpClient('codex-sync').getAgentDispatcher(apiUrl) ?? new Agent()
  return async (url, options = {}) => {
    const target = new URL(url)
    const { statusCode, headers, body } = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body ?? null,
      signal: options.signal ?? undefined,
      maxRedirections: options.redirect === 'manual' ? 0 : MAX_REDIRECTIONS
    })
    return {
      status: statusCode,
      statusText: STATUS_CODES[statusCode] ?? '',
      url,
      headers: new AnswerHeaders(headers),
      body,
      text: () => body.text(),
      arrayBuffer: () => body.arrayBuffer()
    }
  }
}

/**
 * An answer's headers as fetch gives them: names in lower case, repeated fields joined. undici's
 * parsed headers already have lower-case names; they are read as they are, not copied.
 */
export class AnswerHeaders implements Iterable<[string, string]> {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    return joined(this.raw[name.toLowerCase()]) ?? null
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [name, value] of Object.entries(this.raw)) {
      const text = joined(value)
      if (text !== undefined) yield [name.toLowerCase(), text]
    }
  }
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}
