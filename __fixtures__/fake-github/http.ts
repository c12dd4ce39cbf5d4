// HTTP plumbing shared by the routes: errors, results, pagination.
import type { components } from '@octokit/openapi-types'
import type { AppRecord } from './apps.js'
import type { RepoRecord } from './backend.js'
import type { TokenGrant } from './types.js'

export type BasicError = components['schemas']['basic-error']

/** The content type of GitHub's JSON answers. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

export const DOCS = 'https://docs.github.com/rest'

export interface ApiResult {
  status: number
  /** JSON, or a Buffer sent as is (give its content-type in headers) */
  body?: unknown
  headers?: Record<string, string>
}

/** What a credential may do: a configured token, or an App installation's access token. */
export interface Grant extends TokenGrant {
  /**
   * The repositories the credential was given (an installation's selection, a token's `read`
   * list); absent: every one. It may write only these; of the others it reads only public ones,
   * and the rest do not exist for it (404). See `canRead` and `canWrite` in shapes.ts.
   */
  sees?: (rec: RepoRecord) => boolean
  /** For installation tokens: the installation's repository selection. */
  repositorySelection?: 'all' | 'selected'
  /** Rate-limit bucket; default one per token. */
  bucket?: string
}

export interface ValidationErrorItem {
  resource?: string
  field?: string
  code: string
  message?: string
}

/** Thrown by handlers; answered as GitHub's `{ message, documentation_url, status }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = DOCS,
    readonly errors?: ValidationErrorItem[],
    readonly headers?: Record<string, string>
  ) {
    super(message)
    this.name = 'HttpError'
  }

  toBody(): BasicError & { status: string; errors?: ValidationErrorItem[] } {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status)
    }
  }
}

export const notFound = (docs = DOCS): HttpError => new HttpError(404, 'Not Found', docs)
export const unprocessable = (message: string, docs = DOCS): HttpError =>
  new HttpError(422, message, docs)
/** GitHub's "Validation Failed" with one custom error, e.g. for pull requests. */
export const validationFailed = (docs: string, ...errors: ValidationErrorItem[]): HttpError =>
  new HttpError(422, 'Validation Failed', docs, errors)

export interface RequestContext {
  method: string
  /** decoded path without a GHES `/api/v3` prefix */
  path: string
  /** decoded capture groups of the route pattern */
  params: string[]
  query: URLSearchParams
  body: unknown
  /** e.g. `http://127.0.0.1:1234` (or with `/api/v3`) as the client addressed us */
  base: string
  token: string
  grant: Grant
  login: string
  /** the request's Accept header ('' when absent) */
  accept: string
  /** the App whose JWT authenticated the request (App endpoints only) */
  app?: AppRecord
}

/** Paginates like GitHub: `per_page` (default 30, max 100), `page`, `link` prev/next/last/first. */
export function paginate<T>(
  items: T[],
  ctx: RequestContext
): { items: T[]; headers: Record<string, string> } {
  const perRaw = Number.parseInt(ctx.query.get('per_page') ?? '', 10)
  const perPage = Number.isNaN(perRaw) ? 30 : Math.min(100, Math.max(1, perRaw))
  const pageRaw = Number.parseInt(ctx.query.get('page') ?? '', 10)
  const page = Number.isNaN(pageRaw) ? 1 : Math.max(1, pageRaw)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number, rel: string): string => {
    const q = new URLSearchParams(ctx.query)
    q.set('page', String(n))
    const path = ctx.path.split('/').map(encodeURIComponent).join('/')
    return `<${ctx.base}${path}?${q.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The JSON body as an object, or 422 like GitHub's schema validation. */
export function bodyObject(ctx: RequestContext, docs: string): Record<string, unknown> {
  if (!isObject(ctx.body))
    throw unprocessable('Invalid request.\n\nInvalid input: object is missing.', docs)
  return ctx.body
}

export function requireString(body: Record<string, unknown>, key: string, docs: string): string {
  const value = body[key]
  if (value === undefined)
    throw unprocessable(`Invalid request.\n\n"${key}" wasn't supplied.`, docs)
  if (typeof value !== 'string') {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/${key}', ${JSON.stringify(value)} is not a string.`,
      docs
    )
  }
  return value
}

export function optionalBoolean(
  body: Record<string, unknown>,
  key: string,
  docs: string
): boolean | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/${key}', ${JSON.stringify(value)} is not a boolean.`,
      docs
    )
  }
  return value
}

export function optionalString(
  body: Record<string, unknown>,
  key: string,
  docs: string
): string | undefined {
  return body[key] === undefined || body[key] === null ? undefined : requireString(body, key, docs)
}

/** ISO 8601 without milliseconds, as GitHub writes timestamps. */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
