// Pull requests: list, create, get, update; their labels, requested reviewers and comments.
import type { Backend, CommentState, PullState, RepoRecord } from './backend.js'
import {
  bodyObject,
  isoDate,
  isObject,
  notFound,
  optionalBoolean,
  optionalString,
  paginate,
  requireString,
  unprocessable,
  validationFailed,
  type RequestContext
} from './http.js'
import { repoFor, type Route } from './routing.js'
import { issueCommentJson, labelJson, pullJson } from './shapes.js'

const P = 'https://docs.github.com/rest/pulls/pulls'
const C = 'https://docs.github.com/rest/issues/comments'
const DOCS = {
  list: `${P}#list-pull-requests`,
  create: `${P}#create-a-pull-request`,
  get: `${P}#get-a-pull-request`,
  update: `${P}#update-a-pull-request`,
  addLabels: 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
  requestReviewers:
    'https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request',
  listComments: `${C}#list-issue-comments`,
  createComment: `${C}#create-an-issue-comment`,
  updateComment: `${C}#update-an-issue-comment`
}

async function heads(rec: RepoRecord): Promise<Map<string, string>> {
  if (rec.empty) return new Map()
  const refs = await rec.git.refs('refs/heads/')
  return new Map(refs.map(r => [r.ref.slice('refs/heads/'.length), r.sha]))
}

/** `owner:branch` or `branch` → branch, when owner is this repository's owner. */
function headBranch(rec: RepoRecord, head: string): string | undefined {
  const colon = head.indexOf(':')
  if (colon === -1) return head
  return head.slice(0, colon).toLowerCase() === rec.owner.toLowerCase()
    ? head.slice(colon + 1)
    : undefined
}

/** The repository and the pull request numbered by params[2], or 404. */
function findPull(
  ctx: RequestContext,
  backend: Backend,
  docs: string
): { rec: RepoRecord; pull: PullState } {
  const rec = repoFor(ctx, backend, docs)
  const pull = rec.pulls.find(p => p.number === Number(ctx.params[2]))
  if (!pull) throw notFound(docs)
  return { rec, pull }
}

/** Appends the `items` not yet in `list` (compared case-insensitively, like GitHub). */
function addNew(list: string[], items: string[]): void {
  for (const item of items)
    if (!list.some(x => x.toLowerCase() === item.toLowerCase())) list.push(item)
}

const touch = (pull: PullState): void => {
  pull.updatedAt = isoDate(Math.floor(Date.now() / 1000))
}

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
    handler: async (ctx: RequestContext, backend: Backend) => {
      const rec = repoFor(ctx, backend, DOCS.list)
      const state = ctx.query.get('state') ?? 'open'
      const head = ctx.query.get('head')
      const base = ctx.query.get('base')
      let pulls = rec.pulls.filter(p => state === 'all' || p.state === state)
      // GitHub silently ignores a `head` that is not `owner:branch` (it lists everything)
      if (head?.includes(':')) pulls = pulls.filter(p => p.head === headBranch(rec, head))
      if (base) pulls = pulls.filter(p => p.base === base)
      pulls = [...pulls].sort((a, b) => a.number - b.number)
      if ((ctx.query.get('direction') ?? 'desc') === 'desc') pulls.reverse()
      const page = paginate(pulls, ctx)
      const shas = await heads(rec)
      return {
        status: 200,
        body: page.items.map(p => pullJson(ctx.base, rec, p, shas)),
        headers: page.headers
      }
    }
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
    handler: async (ctx, backend) => {
      const docs = DOCS.create
      const rec = repoFor(ctx, backend, docs)
      const body = bodyObject(ctx, docs)
      const title = requireString(body, 'title', docs)
      const headParam = requireString(body, 'head', docs)
      const base = requireString(body, 'base', docs)
      const text = optionalString(body, 'body', docs) ?? null
      const draft = optionalBoolean(body, 'draft', docs) ?? false
      const shas = await heads(rec)
      const head = headBranch(rec, headParam)
      const headSha = head === undefined ? undefined : shas.get(head)
      const baseSha = shas.get(base)
      if (head === undefined || !headSha) {
        throw validationFailed(docs, { resource: 'PullRequest', field: 'head', code: 'invalid' })
      }
      if (!baseSha)
        throw validationFailed(docs, { resource: 'PullRequest', field: 'base', code: 'invalid' })
      const duplicate = (): void => {
        if (rec.pulls.some(p => p.state === 'open' && p.head === head && p.base === base)) {
          throw validationFailed(docs, {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${rec.owner}:${head}.`
          })
        }
      }
      duplicate()
      if (await rec.git.isAncestor(headSha, baseSha)) {
        throw validationFailed(docs, {
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${head}`
        })
      }
      duplicate() // again after the await: two racing requests must not both open one
      const at = isoDate(Math.floor(Date.now() / 1000))
      const pull: PullState = {
        number: rec.pulls.reduce((max, p) => Math.max(max, p.number), 0) + 1,
        title,
        body: text,
        head,
        base,
        state: 'open',
        draft,
        author: ctx.login,
        labels: [],
        requestedReviewers: [],
        requestedTeams: [],
        createdAt: at,
        updatedAt: at
      }
      rec.pulls.push(pull)
      const json = pullJson(ctx.base, rec, pull, shas)
      return { status: 201, body: json, headers: { location: json.url } }
    }
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
    handler: async (ctx, backend) => {
      const { rec, pull } = findPull(ctx, backend, DOCS.get)
      return { status: 200, body: pullJson(ctx.base, rec, pull, await heads(rec)) }
    }
  },
  {
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
    handler: async (ctx, backend) => {
      const docs = DOCS.update
      const { rec, pull } = findPull(ctx, backend, docs)
      const body = bodyObject(ctx, docs)
      const title = optionalString(body, 'title', docs)
      const text = optionalString(body, 'body', docs)
      const state = optionalString(body, 'state', docs)
      const base = optionalString(body, 'base', docs)
      if (state !== undefined && state !== 'open' && state !== 'closed') {
        throw unprocessable(
          `Invalid request.\n\nFor 'properties/state', "${state}" is not one of ["open", "closed"].`,
          docs
        )
      }
      const shas = await heads(rec)
      if (base !== undefined && !shas.has(base)) {
        throw validationFailed(docs, { resource: 'PullRequest', field: 'base', code: 'invalid' })
      }
      if (
        state === 'open' &&
        pull.state === 'closed' &&
        rec.pulls.some(
          p =>
            p !== pull &&
            p.state === 'open' &&
            p.head === pull.head &&
            p.base === (base ?? pull.base)
        )
      ) {
        throw validationFailed(docs, {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${rec.owner}:${pull.head}.`
        })
      }
      if (title !== undefined) pull.title = title
      if (text !== undefined) pull.body = text
      if (state !== undefined) pull.state = state
      if (base !== undefined) pull.base = base
      touch(pull)
      return { status: 200, body: pullJson(ctx.base, rec, pull, shas) }
    }
  },
  {
    // pull requests are issues: their labels live on the issue
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels$/,
    handler: async (ctx, backend) => {
      const { rec, pull } = findPull(ctx, backend, DOCS.addLabels)
      addNew(
        pull.labels,
        labelNames(ctx.body, DOCS.addLabels).map(n => backend.label(rec, n).name)
      )
      touch(pull)
      const labels = pull.labels.map(name => labelJson(ctx.base, rec, backend.label(rec, name)))
      return { status: 200, body: labels }
    }
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/requested_reviewers$/,
    handler: async (ctx, backend) => {
      const docs = DOCS.requestReviewers
      const { rec, pull } = findPull(ctx, backend, docs)
      const reviewers = stringList(ctx, 'reviewers', docs)
      const teams = stringList(ctx, 'team_reviewers', docs)
      if (reviewers.length === 0 && teams.length === 0) {
        throw unprocessable(
          'Invalid request.\n\nNo subschema in "anyOf" matched.\n"reviewers" wasn\'t supplied.\n"team_reviewers" wasn\'t supplied.',
          docs
        )
      }
      if (reviewers.some(login => login.toLowerCase() === pull.author.toLowerCase()))
        throw unprocessable('Review cannot be requested from pull request author.', docs)
      addNew(pull.requestedReviewers, reviewers)
      addNew(pull.requestedTeams, teams)
      touch(pull)
      return { status: 201, body: pullJson(ctx.base, rec, pull, await heads(rec)) }
    }
  },
  // Comments: every pull request is an issue, and the fake has no other issues.
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handler: async (ctx, backend) => {
      const { rec, pull } = findPull(ctx, backend, DOCS.listComments)
      // `since`: only comments updated at or after it (an unreadable time filters nothing)
      const since = Date.parse(ctx.query.get('since') ?? '')
      const comments = rec.comments.filter(
        c => c.issue === pull.number && !(Date.parse(c.updatedAt) < since)
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
      const { rec, pull } = findPull(ctx, backend, DOCS.createComment)
      const at = isoDate(Math.floor(Date.now() / 1000))
      const comment: CommentState = {
        id: backend.commentId(),
        issue: pull.number,
        body: commentBody(ctx, DOCS.createComment),
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
      const rec = repoFor(ctx, backend, DOCS.updateComment)
      // a comment id of another repository is not found here, as on GitHub
      const comment = rec.comments.find(c => c.id === Number(ctx.params[2]))
      if (!comment) throw notFound(DOCS.updateComment)
      comment.body = commentBody(ctx, DOCS.updateComment)
      comment.updatedAt = isoDate(Math.floor(Date.now() / 1000))
      return { status: 200, body: issueCommentJson(ctx.base, rec, comment) }
    }
  }
]

/** `labels` as GitHub takes it: `{ labels: [...] }` or a bare array, of names or `{ name }`. */
function labelNames(body: unknown, docs: string): string[] {
  const list = Array.isArray(body) ? body : isObject(body) ? body.labels : undefined
  const names = Array.isArray(list)
    ? list.map(item => (isObject(item) ? item.name : item))
    : undefined
  if (!names || names.length === 0 || names.some(n => typeof n !== 'string' || n === '')) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/labels', ${JSON.stringify(list ?? null)} is not a non-empty array of label names.`,
      docs
    )
  }
  return names as string[]
}

function stringList(ctx: RequestContext, key: string, docs: string): string[] {
  const value = bodyObject(ctx, docs)[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/${key}', ${JSON.stringify(value)} is not an array of strings.`,
      docs
    )
  }
  return value as string[]
}

/** GitHub's limit on a comment body, counted in characters. */
export const MAX_COMMENT_BODY = 65_536

/** A comment's `body` as GitHub validates it: a string, not blank, at most 65,536 characters. */
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
