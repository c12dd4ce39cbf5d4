// Route table types and the access checks every repository route shares.
import type { Backend, RepoRecord } from './backend.js'
import { HttpError, notFound, type ApiResult, type RequestContext } from './http.js'
import { canRead, canWrite } from './shapes.js'

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** matched against the still percent-encoded path; groups are decoded into ctx.params */
  pattern: RegExp
  handler: (ctx: RequestContext, backend: Backend) => Promise<ApiResult>
}

/**
 * The repository named by params[0]/params[1], checked like GitHub: unknown or invisible → 404; a write
 * without permission → 403; a write to an archived repo → 403; git data of an empty repo → 409.
 */
export function repoFor(
  ctx: RequestContext,
  backend: Backend,
  docs: string,
  opts: { gitData?: boolean } = {}
): RepoRecord {
  const [owner = '', name = ''] = ctx.params
  const rec = backend.find(owner, name)
  // a repository the credential cannot read (outside an installation or a token's read scope, and
  // not public) does not exist for it
  if (!rec || !canRead(ctx.grant, rec)) throw notFound(docs)
  if (ctx.method !== 'GET') {
    if (!canWrite(ctx.grant, rec))
      throw new HttpError(403, 'Resource not accessible by integration', docs)
    if (rec.archived) throw new HttpError(403, 'Repository was archived so is read-only.', docs)
  }
  if (opts.gitData && rec.empty) throw new HttpError(409, 'Git Repository is empty.', docs)
  return rec
}
