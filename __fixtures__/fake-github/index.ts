/**
 * Fake GitHub API (REST and GraphQL) for tests and the demo (never imported by src/).
 *
 * - node:http on 127.0.0.1, random port; `fake.url` is the API base. GitHub Enterprise Server
 *   paths work too: REST under `/api/v3/...`, GraphQL at `/api/graphql`.
 * - Every repository is a bare git repository under one temp root (`fake.repoDir(owner, name)`), so
 *   SHAs, trees and modes are git's own and state can be inspected with the git CLI. Objects are
 *   written by git (fast-import, unpack-objects, hash-object, commit-tree, update-ref); reads use
 *   git's on-disk format (loose refs/objects) and fall back to the git CLI when something is packed.
 * - REST endpoints: org/installation repository lists, repository, branches (list and one, with
 *   `protected`), git refs in any namespace (`refs/heads/…`, `refs/codex-sync/state`, …; get,
 *   matching-refs, create, update with fast-forward rules or `force`, delete), trees, blobs (JSON,
 *   or raw bytes for `Accept: application/vnd.github.raw[+json]`), commits, pulls (list, create
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
 *   isArchived object(oid|expression) defaultBranchRef ref(qualifiedName) }, Blob/Commit/Tree/
 *   TreeEntry/Ref fields (see graphql-resolvers.ts), `rateLimit`, and the mutation
 *   `createCommitOnBranch`. Any other field is refused with "… is not supported by the fake GitHub
 *   server". GraphQL spends its own `graphql` rate-limit bucket, one point per request.
 * - Authentication: the configured tokens (`token`/`bearer`), GitHub App installation tokens
 *   (`ghs_…`, from `fake.createApp`, expiring after `tokenTtlMs`) and, on the App endpoints only
 *   (`GET /app`, `GET /orgs/{org}/installation`, `GET /app/installations`,
 *   `POST /app/installations/{id}/access_tokens`), the App's RS256 JWT, checked like GitHub
 *   (signature, `iss`, `iat`/`exp` with 10 minutes at most and 60 s of clock skew).
 * - Errors are `{ message, documentation_url, status }`; pull request validation errors are
 *   GitHub's `Validation Failed` with the detail in `errors[].message`. Messages are GitHub's own
 *   where known (`tree.sha <sha> is not a valid blob`, `base_tree is not a valid tree oid`,
 *   `GitRPC::BadObjectState`, `Reference already exists`, `Reference update failed`,
 *   `Protected branch update failed for refs/heads/main.`, `Repository rule violations found…`).
 * - Repository option `protectedBranches` refuses direct updates of some branches (classic
 *   protection or a ruleset) through `PATCH git/refs` and `createCommitOnBranch`.
 * - Faults (`fake.addFault`): latency, status (404/409/429 with optional retry-after/5xx),
 *   primary and secondary rate limits (403 or 429, retry-after), truncated-body (full
 *   content-length, part of the body, socket destroyed), move-branch (another pusher moves a
 *   branch before a ref update or createCommitOnBranch), create-ref-race (another writer creates
 *   a ref just before `POST git/refs`), delete-repo (a repository deleted just before a matching
 *   request). See `Fault` in types.ts.
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
