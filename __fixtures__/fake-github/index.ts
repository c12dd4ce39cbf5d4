/**
 * Fake GitHub API (REST and GraphQL) for tests and the demo (never imported by src/).
 *
 * - node:http on 127.0.0.1, random port; `fake.url` is the API base. GitHub Enterprise Server
 *   paths work too: REST under `/api/v3/...`, GraphQL at `/api/graphql`.
 * - Every repository is a bare git repository under one temp root (`fake.repoDir(owner, name)`), so
 *   SHAs, trees and modes are git's own and state can be inspected with the git CLI. The API's
 *   writes go through git (unpack-objects, hash-object, commit-tree, update-ref); the fake's own
 *   helpers (`createRepo`, `commit`, the faults' other writers) write git's loose-object format and
 *   refs themselves, under git's ref lock (`git fsck --strict` checks them in the tests), since a
 *   spawn costs more than the rest of seeding a repository. A new repository's objects stay in
 *   memory until git is run on it or `fake.repoDir` hands its directory out (from then on they are
 *   written at once); refs are kept in memory while only the fake writes them. Seeding 10,000
 *   repositories of 10 files takes 5–20 s on a shared 2-core machine (3.5 min with a git init and
 *   a fast-import each).
 *   Reads use git's on-disk format (loose refs/objects) and fall back to the git CLI when
 *   something is packed.
 * - REST endpoints: org/installation repository lists, repository, branches (list and one, with
 *   `protected`), the active rules of a branch (`GET rules/branches/{branch}`: GitHub's
 *   `repository-rule-detailed` list, a `pull_request` rule from a `ruleset` protection with
 *   `ruleset_source_type: Repository`, `ruleset_source: owner/repo` and the repository's
 *   ruleset id; `[]` for classic protection or none; the branch need not exist), git refs in any
 *   namespace (`refs/heads/…`, `refs/codex-sync/state`, …; get, matching-refs, create, update with
 *   fast-forward rules or `force`, delete), trees, blobs (JSON, or raw bytes for
 *   `Accept: application/vnd.github.raw[+json]`), commits, pulls (list, create
 *   with `draft`, get, update), `POST issues/{n}/labels`, `POST pulls/{n}/requested_reviewers`,
 *   comments on pull requests (`GET issues/{n}/comments` paginated, with `since`; `POST` the same;
 *   `PATCH issues/comments/{comment_id}`: GitHub's `issue-comment` shape, int64 ids, 404 for an
 *   unknown pull request or a comment of another repository, 422 for a missing, blank or too long
 *   body — more than 65,536 characters; `fake.comments()` reads them back), rate_limit. Unknown
 *   routes answer 404.
 * - GraphQL (`POST /graphql`): every document is validated against GitHub's published schema
 *   (@octokit/graphql-schema) and executed with graphql-js; errors come back as GitHub's, HTTP 200
 *   with `errors` (validation errors in graphql-ruby's words, NOT_FOUND/FORBIDDEN/STALE_DATA/...
 *   typed resolver errors). Supported: `repository(owner, name)` { id name nameWithOwner
 *   isArchived isFork isDisabled isEmpty isPrivate isTemplate visibility repositoryTopics
 *   object(oid|expression) defaultBranchRef ref(qualifiedName) }, Blob/Commit/Tree/TreeEntry/Ref
 *   fields (see graphql-resolvers.ts; `TreeEntry.mode` is git's octal mode as an Int: 33188 for
 *   100644, 33261 for 100755, 16384 for a tree, 40960 for a symlink, 57344 for a submodule),
 *   `Ref.associatedPullRequests(states, baseRefName, headRefName)` (the pull requests whose head is
 *   that branch) { number title url state isDraft baseRefName headRefName }, `viewer { login }`
 *   (the credential's login: a token's `login`, `<slug>[bot]` for an installation token — the
 *   author the fake records for its comments, pull requests and commits),
 *   `organization(login) { login repositories(first|last, after|before, isFork, isArchived,
 *   privacy) }` (the repositories the credential can read, in creation order; NOT_FOUND
 *   "Could not resolve to an Organization with the login of 'x'."), `rateLimit`, and the mutation
 *   `createCommitOnBranch`. Any other field, and any other argument of `repositories` or
 *   `associatedPullRequests` (`orderBy`, ...), is refused with "… is not supported by the fake
 *   GitHub server". GraphQL spends its own `graphql` rate-limit bucket, one point per request.
 * - GraphQL connections (`repositories`, `repositoryTopics`, `associatedPullRequests`) page like
 *   GitHub's: `first` or `last` required (MISSING_PAGINATION_BOUNDARIES), at most 100
 *   (EXCESSIVE_PAGINATION "Requesting 101 records on the `x` connection exceeds the `first` limit
 *   of 100 records."), not both; `totalCount`, `pageInfo { hasNextPage endCursor hasPreviousPage
 *   startCursor }`, `nodes`, `edges { cursor node }`. Cursors are GitHub's format (base64 of
 *   `cursor:v2:` and the item's id) and name the item, not a position, so a repository deleted
 *   between two pages makes the next page skip nothing; a bad one is INVALID_CURSOR_ARGUMENTS.
 *   A document's parse and checks are kept by its text, and one that differs from a valid one only
 *   in its string literals (names, oids, paths) is not validated again, so the pages of a listing
 *   and batches of aliased reads are checked once. On a shared 2-core machine, at 10,000
 *   repositories, a page of 100 with four `file(path:)` each takes 12–16 ms (median, asked from
 *   the same process; the first listing's pages 16–24 ms), 100 aliased `repository` fields like it
 *   40–47 ms, and 300 aliased trees of three levels of entries (about 7,000 entries) about 80 ms.
 *   A tree entry's blob is read only when a Blob field asks for it.
 * - Authentication: the configured tokens (`token`/`bearer`), GitHub App installation tokens
 *   (`ghs_…`, from `fake.createApp`, expiring after `tokenTtlMs`) and, on the App endpoints only
 *   (`GET /app`, `GET /orgs/{org}/installation`, `GET /app/installations`,
 *   `POST /app/installations/{id}/access_tokens`), the App's RS256 JWT, checked like GitHub
 *   (signature, `iss`, `iat`/`exp` with 10 minutes at most and 60 s of clock skew).
 * - Read scope: a token's `read` list (a fine-grained token's selected repositories) or an
 *   installation's `repositories`: any other private or internal repository does not exist for
 *   the credential: every REST route about it answers 404 Not Found, GraphQL `repository` is null
 *   with NOT_FOUND ("Could not resolve to a Repository with the name 'owner/name'."), and it is
 *   left out of `GET /orgs/{org}/repos` and `organization { repositories }`. Public repositories
 *   are readable (listed, answered) with any token, as on GitHub, and writable only within its
 *   scope (403 "Resource not accessible by integration").
 * - Errors are `{ message, documentation_url, status }`; pull request validation errors are
 *   GitHub's `Validation Failed` with the detail in `errors[].message`. Messages are GitHub's own
 *   where known (`tree.sha <sha> is not a valid blob`, `base_tree is not a valid tree oid`,
 *   `GitRPC::BadObjectState`, `Reference already exists`, `Reference update failed`,
 *   `Protected branch update failed for refs/heads/main.`, `Repository rule violations found…`).
 * - Repository option `protectedBranches` refuses direct updates of some branches (classic
 *   protection or a ruleset) through `PATCH git/refs` and `createCommitOnBranch`.
 * - Faults (`fake.addFault`): latency, status (401/403/404/409/422/429 with an optional message and
 *   retry-after, or 5xx; e.g. 403 "Resource not accessible by integration" on the rules endpoint),
 *   primary and secondary rate limits (403 or 429, retry-after), truncated-body (full
 *   content-length, part of the body, socket destroyed), move-branch (another pusher moves a
 *   branch before a ref update or createCommitOnBranch), create-ref-race (another writer creates
 *   a ref just before `POST git/refs`), delete-repo (a repository deleted just before a matching
 *   request). A fault applies to the requests its `match` names: method, path and a pattern of
 *   the raw body (a GraphQL mutation, say). See `Fault` in types.ts.
 * - Like GitHub, `GET pulls?head=` filters only in the `owner:branch` form; a bare branch name is
 *   silently ignored (every pull request is listed).
 * - `log` entries are pushed when a response is sent (completion order); `path` is decoded;
 *   GraphQL entries say their operation (`graphql: { operation, fields }`).
 * - The fake never waits (only latency faults delay answers); for benchmarks, raise the budget:
 *   `FakeGitHub.start({ rateLimit: 1_000_000 })`.
 */
export { FakeGitHub } from './server.js'
export { git } from './git.js'
export type {
  AppCredentials,
  AppOptions,
  CommentRecord,
  Fault,
  FakeGitHubOptions,
  FileInfo,
  FileSpec,
  FileTree,
  ProtectedBranch,
  PullRecord,
  RepoOptions,
  RequestLogEntry,
  RequestMatcher,
  TokenGrant
} from './types.js'
