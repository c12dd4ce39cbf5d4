// Response bodies in GitHub's shapes (typed with @octokit/openapi-types where practical).
import type { components, operations } from '@octokit/openapi-types'
import type { CommentState, LabelState, PullState, RepoRecord, Verification } from './backend.js'
import type { ObjectType, ParsedCommit } from './git-store.js'
import { isoDate, type Grant } from './http.js'

type Schemas = components['schemas']
export type FullRepository = Schemas['full-repository'] & Schemas['repository']
export type SimpleUser = Schemas['simple-user']
export type GitRef = Schemas['git-ref']
export type GitCommit = Schemas['git-commit']
export type GitTree = Schemas['git-tree']
export type Blob = Schemas['blob']
export type ShortBlob = Schemas['short-blob']
export type ShortBranch = Schemas['short-branch']
export type BranchWithProtection = Schemas['branch-with-protection']
export type RateLimitOverview = Schemas['rate-limit-overview']
export type InstallationRepositories =
  operations['apps/list-repos-accessible-to-installation']['responses'][200]['content']['application/json']
export type Label = Schemas['label']
export type IssueComment = Schemas['issue-comment']
export type Team = Schemas['team']
export type RuleDetailed = Schemas['repository-rule-detailed']
export type PullRequestJson = Pick<
  Schemas['pull-request'],
  | 'labels'
  | 'requested_reviewers'
  | 'requested_teams'
  | 'user'
  | 'url'
  | 'id'
  | 'node_id'
  | 'html_url'
  | 'number'
  | 'state'
  | 'title'
  | 'body'
  | 'created_at'
  | 'updated_at'
  | 'closed_at'
  | 'merged_at'
  | 'draft'
> & {
  head: Pick<Schemas['pull-request']['head'], 'label' | 'ref' | 'sha'>
  base: Pick<Schemas['pull-request']['base'], 'label' | 'ref' | 'sha'>
}

/** `/{owner}/{repo}` web address; the fake serves no HTML, it only has to look like one. */
export function htmlBase(base: string): string {
  return base.replace(/\/api\/v3$/, '')
}

export const nodeId = (kind: string, id: string | number): string =>
  Buffer.from(`${kind}${id}`).toString('base64')

export function ownerJson(
  base: string,
  login: string,
  id: number,
  type = 'Organization'
): SimpleUser {
  const u = `${base}/users/${login}`
  return {
    login,
    id,
    node_id: nodeId('04:', id),
    avatar_url: `${htmlBase(base)}/avatars/${login}`,
    gravatar_id: '',
    url: u,
    html_url: `${htmlBase(base)}/${login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false
  }
}

/**
 * Whether the credential can read the repository at all: one of its repositories, or a public
 * one (public repositories are readable with any token on GitHub, never writable outside its
 * selection). Any other repository does not exist for it.
 */
export function canRead(grant: Grant, rec: RepoRecord): boolean {
  return !grant.sees || rec.visibility === 'public' || grant.sees(rec)
}

export function canWrite(grant: Grant, rec: RepoRecord): boolean {
  if (grant.sees && !grant.sees(rec)) return false
  if (grant.write === 'all') return true
  if (grant.write === 'none') return false
  const full = `${rec.owner}/${rec.name}`.toLowerCase()
  return grant.write.some(r => r.toLowerCase() === full)
}

/** Everything repoJson reads: the same fingerprint, the same JSON (see renderedRepo). */
function repoFingerprint(base: string, rec: RepoRecord, ownerId: number, grant: Grant): string {
  return JSON.stringify([
    base,
    ownerId,
    canWrite(grant, rec),
    rec.id,
    rec.owner,
    rec.name,
    rec.visibility,
    rec.fork,
    rec.archived,
    rec.disabled,
    rec.empty,
    rec.isTemplate,
    rec.defaultBranch,
    rec.createdAt,
    rec.pushedAt,
    rec.topics,
    rec.pulls.filter(p => p.state === 'open').length
  ])
}

const renderedRepos = new WeakMap<RepoRecord, { fingerprint: string; json: string }>()

/**
 * repoJson as JSON text, rendered again only when something it reads changed: a listing of a
 * thousand repositories is mostly the same repositories, page after page and run after run.
 */
export function renderedRepo(base: string, rec: RepoRecord, ownerId: number, grant: Grant): string {
  const fingerprint = repoFingerprint(base, rec, ownerId, grant)
  const known = renderedRepos.get(rec)
  if (known?.fingerprint === fingerprint) return known.json
  const json = JSON.stringify(repoJson(base, rec, ownerId, grant))
  renderedRepos.set(rec, { fingerprint, json })
  return json
}

/** Keep repoFingerprint in step: it must name every field of `rec` (and argument) read here. */
export function repoJson(
  base: string,
  rec: RepoRecord,
  ownerId: number,
  grant: Grant
): FullRepository {
  const full = `${rec.owner}/${rec.name}`
  const a = `${base}/repos/${full}`
  const html = `${htmlBase(base)}/${full}`
  const host = new URL(base).host
  const push = canWrite(grant, rec)
  return {
    id: rec.id,
    node_id: nodeId('010:Repository', rec.id),
    name: rec.name,
    full_name: full,
    private: rec.visibility !== 'public',
    owner: ownerJson(base, rec.owner, ownerId),
    html_url: html,
    description: null,
    fork: rec.fork,
    url: a,
    forks_url: `${a}/forks`,
    keys_url: `${a}/keys{/key_id}`,
    collaborators_url: `${a}/collaborators{/collaborator}`,
    teams_url: `${a}/teams`,
    hooks_url: `${a}/hooks`,
    issue_events_url: `${a}/issues/events{/number}`,
    events_url: `${a}/events`,
    assignees_url: `${a}/assignees{/user}`,
    branches_url: `${a}/branches{/branch}`,
    tags_url: `${a}/tags`,
    blobs_url: `${a}/git/blobs{/sha}`,
    git_tags_url: `${a}/git/tags{/sha}`,
    git_refs_url: `${a}/git/refs{/sha}`,
    trees_url: `${a}/git/trees{/sha}`,
    statuses_url: `${a}/statuses/{sha}`,
    languages_url: `${a}/languages`,
    stargazers_url: `${a}/stargazers`,
    contributors_url: `${a}/contributors`,
    subscribers_url: `${a}/subscribers`,
    subscription_url: `${a}/subscription`,
    commits_url: `${a}/commits{/sha}`,
    git_commits_url: `${a}/git/commits{/sha}`,
    comments_url: `${a}/comments{/number}`,
    issue_comment_url: `${a}/issues/comments{/number}`,
    contents_url: `${a}/contents/{+path}`,
    compare_url: `${a}/compare/{base}...{head}`,
    merges_url: `${a}/merges`,
    archive_url: `${a}/{archive_format}{/ref}`,
    downloads_url: `${a}/downloads`,
    issues_url: `${a}/issues{/number}`,
    pulls_url: `${a}/pulls{/number}`,
    milestones_url: `${a}/milestones{/number}`,
    notifications_url: `${a}/notifications{?since,all,participating}`,
    labels_url: `${a}/labels{/name}`,
    releases_url: `${a}/releases{/id}`,
    deployments_url: `${a}/deployments`,
    git_url: `git://${host}/${full}.git`,
    ssh_url: `git@${host}:${full}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    created_at: rec.createdAt,
    updated_at: rec.pushedAt,
    pushed_at: rec.pushedAt,
    size: rec.empty ? 0 : 1,
    stargazers_count: 0,
    watchers_count: 0,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    archived: rec.archived,
    disabled: rec.disabled,
    open_issues_count: rec.pulls.filter(p => p.state === 'open').length,
    license: null,
    allow_forking: true,
    is_template: rec.isTemplate,
    web_commit_signoff_required: false,
    topics: [...rec.topics],
    visibility: rec.visibility,
    forks: 0,
    open_issues: rec.pulls.filter(p => p.state === 'open').length,
    watchers: 0,
    default_branch: rec.defaultBranch,
    permissions: { admin: false, maintain: push, push, triage: push, pull: true },
    network_count: 0,
    subscribers_count: 0
  }
}

export function refJson(
  base: string,
  rec: RepoRecord,
  ref: string,
  sha: string,
  type: ObjectType
): GitRef {
  const a = `${base}/repos/${rec.owner}/${rec.name}`
  const plural =
    type === 'blob' ? 'blobs' : type === 'tree' ? 'trees' : type === 'tag' ? 'tags' : 'commits'
  return {
    ref,
    node_id: nodeId('03:Ref', `${rec.id}:${ref}`),
    url: `${a}/git/${ref}`,
    object: { sha, type, url: `${a}/git/${plural}/${sha}` }
  }
}

function tzIso(seconds: number): string {
  return isoDate(seconds)
}

export const UNSIGNED: Verification = {
  verified: false,
  reason: 'unsigned',
  signature: null,
  payload: null,
  verified_at: null
}

/** The verification GitHub gives the commits it creates and signs itself (no author given). */
export function signedByGitHub(): Verification {
  return {
    verified: true,
    reason: 'valid',
    signature: null,
    payload: null,
    verified_at: isoDate(Math.floor(Date.now() / 1000))
  }
}

export function commitJson(base: string, rec: RepoRecord, c: ParsedCommit): GitCommit {
  const a = `${base}/repos/${rec.owner}/${rec.name}`
  const html = `${htmlBase(base)}/${rec.owner}/${rec.name}`
  return {
    sha: c.sha,
    node_id: nodeId('06:Commit', `${rec.id}:${c.sha}`),
    url: `${a}/git/commits/${c.sha}`,
    html_url: `${html}/commit/${c.sha}`,
    author: { name: c.author.name, email: c.author.email, date: tzIso(c.author.time) },
    committer: { name: c.committer.name, email: c.committer.email, date: tzIso(c.committer.time) },
    tree: { sha: c.tree, url: `${a}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map(p => ({
      sha: p,
      url: `${a}/git/commits/${p}`,
      html_url: `${html}/commit/${p}`
    })),
    verification: { ...(rec.verifications.get(c.sha) ?? UNSIGNED) }
  }
}

export function labelJson(base: string, rec: RepoRecord, label: LabelState): Label {
  return {
    id: label.id,
    node_id: nodeId('08:Label', label.id),
    url: `${base}/repos/${rec.owner}/${rec.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: null,
    color: label.color,
    default: false
  }
}

/** A user as pull requests and comments show them (logins ending in `[bot]` are Bots). */
export function userJson(base: string, login: string): SimpleUser {
  const id = [...login].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 100000000, 7)
  return ownerJson(base, login, id, login.endsWith('[bot]') ? 'Bot' : 'User')
}

function teamJson(base: string, rec: RepoRecord, slug: string): Team {
  const id = [...slug].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1000000, 11)
  const url = `${base}/organizations/${rec.owner}/team/${id}`
  return {
    id,
    node_id: nodeId('04:Team', id),
    url,
    html_url: `${htmlBase(base)}/orgs/${rec.owner}/teams/${slug}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    parent: null,
    type: 'organization'
  }
}

export function pullJson(
  base: string,
  rec: RepoRecord,
  p: PullState,
  heads: Map<string, string>
): PullRequestJson {
  const a = `${base}/repos/${rec.owner}/${rec.name}`
  const labels = p.labels
    .map(name => rec.labels.get(name.toLowerCase()))
    .filter(l => l !== undefined)
  return {
    url: `${a}/pulls/${p.number}`,
    id: rec.id * 10000 + p.number,
    node_id: nodeId('011:PullRequest', `${rec.id}:${p.number}`),
    html_url: `${htmlBase(base)}/${rec.owner}/${rec.name}/pull/${p.number}`,
    number: p.number,
    state: p.state,
    title: p.title,
    user: userJson(base, p.author),
    body: p.body,
    labels: labels.map(l => labelJson(base, rec, l)),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.state === 'closed' ? p.updatedAt : null,
    merged_at: null,
    requested_reviewers: p.requestedReviewers.map(login => userJson(base, login)),
    requested_teams: p.requestedTeams.map(slug => teamJson(base, rec, slug)),
    draft: p.draft,
    head: { label: `${rec.owner}:${p.head}`, ref: p.head, sha: heads.get(p.head) ?? '' },
    base: { label: `${rec.owner}:${p.base}`, ref: p.base, sha: heads.get(p.base) ?? '' }
  }
}

/** A comment on a pull request, as the issue comments API answers it (the `raw+json` default). */
export function issueCommentJson(base: string, rec: RepoRecord, c: CommentState): IssueComment {
  const a = `${base}/repos/${rec.owner}/${rec.name}`
  const url = `${a}/issues/comments/${c.id}`
  return {
    id: c.id,
    node_id: nodeId('012:IssueComment', c.id),
    url,
    html_url: `${htmlBase(base)}/${rec.owner}/${rec.name}/pull/${c.issue}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(base, c.author),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${a}/issues/${c.issue}`,
    // bots are no members of the organisation; the fake's people count as members
    author_association: c.author.endsWith('[bot]') ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
    reactions: {
      url: `${url}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 0
    }
  }
}
