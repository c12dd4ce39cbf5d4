// Repository listing, repository and branch endpoints.
import type { Backend, RepoRecord } from './backend.js'
import { HttpError, JSON_CONTENT_TYPE, notFound, paginate, type RequestContext } from './http.js'
import { repoFor, type Route } from './routing.js'
import {
  canRead,
  commitJson,
  htmlBase,
  renderedRepo,
  repoJson,
  type BranchWithProtection,
  type FullRepository,
  type InstallationRepositories,
  type RuleDetailed,
  type ShortBranch
} from './shapes.js'

const DOCS_ORG_REPOS = 'https://docs.github.com/rest/repos/repos#list-organization-repositories'
const DOCS_REPO = 'https://docs.github.com/rest/repos/repos#get-a-repository'
const DOCS_BRANCH = 'https://docs.github.com/rest/branches/branches#get-a-branch'
const DOCS_BRANCHES = 'https://docs.github.com/rest/branches/branches#list-branches'
const DOCS_RULES = 'https://docs.github.com/rest/repos/rules#get-rules-for-a-branch'

function toJson(ctx: RequestContext, backend: Backend, rec: RepoRecord): FullRepository {
  return repoJson(ctx.base, rec, backend.org(rec.owner)?.id ?? 0, ctx.grant)
}

/** toJson as JSON text, from the fake's cache of rendered repositories. */
function toText(ctx: RequestContext, backend: Backend, rec: RepoRecord): string {
  return renderedRepo(ctx.base, rec, backend.org(rec.owner)?.id ?? 0, ctx.grant)
}

/** The credential's own repositories: an installation's selection, a token's read scope. */
function selected(ctx: RequestContext, backend: Backend): RepoRecord[] {
  return [...backend.repos.values()].filter(r => !ctx.grant.sees || ctx.grant.sees(r))
}

function listOrgRepos(ctx: RequestContext, backend: Backend): RepoRecord[] {
  const org = backend.org(ctx.params[0] ?? '')
  if (!org) throw notFound(DOCS_ORG_REPOS)
  const type = ctx.query.get('type') ?? 'all'
  // every repository the credential can read, public ones outside its selection included
  let repos = backend.ownedBy(org.login).filter(r => canRead(ctx.grant, r))
  if (type === 'public') repos = repos.filter(r => r.visibility === 'public')
  else if (type === 'private') repos = repos.filter(r => r.visibility !== 'public')
  else if (type === 'forks') repos = repos.filter(r => r.fork)
  else if (type === 'sources') repos = repos.filter(r => !r.fork)
  const sort = ctx.query.get('sort') ?? 'created'
  const direction = ctx.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc')
  if (sort === 'full_name')
    repos.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
  else if (sort === 'updated' || sort === 'pushed') {
    repos.sort((a, b) => a.pushedAt.localeCompare(b.pushedAt) || a.id - b.id)
  } else repos.sort((a, b) => a.id - b.id)
  if (direction === 'desc') repos.reverse()
  return repos
}

/** Classic branch protection shows in `protected`; a ruleset does not (see types.ts). */
const isProtected = (backend: Backend, rec: RepoRecord, branch: string): boolean =>
  backend.protection(rec, branch)?.kind === 'protection'

export const repoRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/orgs\/([^/]+)\/repos$/,
    handler: async (ctx, backend) => {
      const page = paginate(listOrgRepos(ctx, backend), ctx)
      const items = page.items.map(r => toText(ctx, backend, r))
      return {
        status: 200,
        body: Buffer.from(`[${items.join(',')}]`, 'utf8'),
        headers: { ...page.headers, 'content-type': JSON_CONTENT_TYPE }
      }
    }
  },
  {
    method: 'GET',
    pattern: /^\/installation\/repositories$/,
    handler: async (ctx, backend) => {
      const all = selected(ctx, backend).sort((a, b) => a.id - b.id)
      const page = paginate(all, ctx)
      const body: InstallationRepositories = {
        total_count: all.length,
        repository_selection: ctx.grant.repositorySelection ?? 'all',
        repositories: page.items.map(r => toJson(ctx, backend, r))
      }
      return { status: 200, body, headers: page.headers }
    }
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)$/,
    handler: async (ctx, backend) => ({
      status: 200,
      body: toJson(ctx, backend, repoFor(ctx, backend, DOCS_REPO))
    })
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/branches$/,
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS_BRANCHES)
      const a = `${ctx.base}/repos/${rec.owner}/${rec.name}`
      const branches: ShortBranch[] = (await rec.git.refs('refs/heads/')).map(r => ({
        name: r.ref.slice('refs/heads/'.length),
        commit: { sha: r.sha, url: `${a}/commits/${r.sha}` },
        protected: isProtected(backend, rec, r.ref.slice('refs/heads/'.length))
      }))
      const page = paginate(branches, ctx)
      return { status: 200, body: page.items, headers: page.headers }
    }
  },
  {
    // The active rules of a branch (it need not exist): a `ruleset` protection is a repository
    // ruleset requiring pull requests; classic protection is no rule.
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/rules\/branches\/(.+)$/,
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS_RULES)
      const rules: RuleDetailed[] = []
      if (backend.protection(rec, ctx.params[2] ?? '')?.kind === 'ruleset') {
        rules.push({
          type: 'pull_request',
          parameters: {
            required_approving_review_count: 0,
            dismiss_stale_reviews_on_push: false,
            require_code_owner_review: false,
            require_last_push_approval: false,
            required_review_thread_resolution: false,
            automatic_copilot_code_review_enabled: false,
            allowed_merge_methods: ['merge', 'squash', 'rebase']
          },
          ruleset_source_type: 'Repository',
          ruleset_source: `${rec.owner}/${rec.name}`,
          ruleset_id: backend.rulesetId(rec)
        })
      }
      const page = paginate(rules, ctx)
      return { status: 200, body: page.items, headers: page.headers }
    }
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/,
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS_BRANCH)
      const name = ctx.params[2] ?? ''
      const sha = rec.empty ? undefined : await rec.git.branchHead(name)
      const commit = sha ? await rec.git.readCommit(sha) : undefined
      if (!commit) throw new HttpError(404, 'Branch not found', DOCS_BRANCH)
      const a = `${ctx.base}/repos/${rec.owner}/${rec.name}`
      const html = `${htmlBase(ctx.base)}/${rec.owner}/${rec.name}`
      const git = commitJson(ctx.base, rec, commit)
      const body: BranchWithProtection = {
        name,
        commit: {
          sha: commit.sha,
          node_id: git.node_id,
          url: `${a}/commits/${commit.sha}`,
          html_url: git.html_url,
          comments_url: `${a}/commits/${commit.sha}/comments`,
          commit: {
            url: git.url,
            author: git.author,
            committer: git.committer,
            message: git.message,
            comment_count: 0,
            tree: git.tree,
            verification: git.verification
          },
          author: null,
          committer: null,
          parents: git.parents
        },
        _links: {
          self: `${a}/branches/${encodeURIComponent(name)}`,
          html: `${html}/tree/${name}`
        },
        protected: isProtected(backend, rec, name),
        protection: {
          enabled: isProtected(backend, rec, name),
          required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] }
        },
        protection_url: `${a}/branches/${encodeURIComponent(name)}/protection`
      }
      return { status: 200, body }
    }
  }
]
