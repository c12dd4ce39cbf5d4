// Comments on pull requests through the issues API: list (paginated), create, update.
import type { Backend, CommentState, RepoRecord } from './backend.js'
import {
  bodyObject,
  isoDate,
  notFound,
  paginate,
  requireString,
  validationFailed,
  type RequestContext
} from './http.js'
import { repoFor, type Route } from './routing.js'
import { issueCommentJson } from './shapes.js'

const C = 'https://docs.github.com/rest/issues/comments'
const DOCS = {
  list: `${C}#list-issue-comments`,
  create: `${C}#create-an-issue-comment`,
  update: `${C}#update-an-issue-comment`
}

/** GitHub's limit on a comment body, counted in characters. */
export const MAX_COMMENT_BODY = 65_536

/** The repository and the number of one of its pull requests (params[2]), or 404. */
function issueOf(
  ctx: RequestContext,
  backend: Backend,
  docs: string
): { rec: RepoRecord; issue: number } {
  const rec = repoFor(ctx, backend, docs)
  const issue = Number(ctx.params[2])
  // Every pull request is an issue; the fake has no other issues.
  if (!rec.pulls.some(p => p.number === issue)) throw notFound(docs)
  return { rec, issue }
}

/** `body` as GitHub validates it: present, a string, not blank, at most 65,536 characters. */
function commentBody(ctx: RequestContext, docs: string): string {
  const body = requireString(bodyObject(ctx, docs), 'body', docs)
  if (body.trim() === '') {
    throw validationFailed(docs, { resource: 'IssueComment', code: 'missing_field', field: 'body' })
  }
  if ([...body].length > MAX_COMMENT_BODY) {
    throw validationFailed(docs, {
      resource: 'IssueComment',
      code: 'unprocessable',
      field: 'data',
      message: `Body is too long (maximum is ${MAX_COMMENT_BODY} characters)`
    })
  }
  return body
}

const now = (): string => isoDate(Math.floor(Date.now() / 1000))

export const commentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handler: async (ctx, backend) => {
      const { rec, issue } = issueOf(ctx, backend, DOCS.list)
      // `since`: only comments updated at or after it (an unreadable time filters nothing)
      const since = Date.parse(ctx.query.get('since') ?? '')
      const comments = rec.comments.filter(
        c => c.issue === issue && (Number.isNaN(since) || Date.parse(c.updatedAt) >= since)
      )
      const page = paginate(comments, ctx)
      return {
        status: 200,
        body: page.items.map(c => issueCommentJson(ctx.base, rec, c)),
        headers: page.headers
      }
    }
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handler: async (ctx, backend) => {
      const { rec, issue } = issueOf(ctx, backend, DOCS.create)
      const body = commentBody(ctx, DOCS.create)
      const at = now()
      const comment: CommentState = {
        id: backend.commentId(),
        issue,
        body,
        author: ctx.login,
        createdAt: at,
        updatedAt: at
      }
      rec.comments.push(comment)
      const json = issueCommentJson(ctx.base, rec, comment)
      return { status: 201, body: json, headers: { location: json.url } }
    }
  },
  {
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.update)
      // a comment id of another repository is not found here, as on GitHub
      const comment = rec.comments.find(c => c.id === Number(ctx.params[2]))
      if (!comment) throw notFound(DOCS.update)
      comment.body = commentBody(ctx, DOCS.update)
      comment.updatedAt = now()
      return { status: 200, body: issueCommentJson(ctx.base, rec, comment) }
    }
  }
]
