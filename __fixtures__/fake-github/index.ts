/**
 * Fake GitHub REST API for tests and the demo (never imported by src/).
 *
 * - node:http on 127.0.0.1, random port; `fake.url` is the API base (`/api/v3/...` is accepted too,
 *   like GitHub Enterprise Server).
 * - Every repository is a bare git repository under one temp root (`fake.repoDir(owner, name)`), so
 *   SHAs, trees and modes are git's own and state can be inspected with the git CLI. Objects are
 *   written by git (fast-import, unpack-objects, hash-object, commit-tree, update-ref); reads use
 *   git's on-disk format (loose refs/objects) and fall back to the git CLI when something is packed.
 * - Endpoints: org/installation repository lists, repository, branches, git refs (incl.
 *   matching-refs), trees, blobs, commits, pulls, rate_limit. Unknown routes answer 404.
 * - Errors are `{ message, documentation_url, status }`; pull request validation errors are
 *   GitHub's `Validation Failed` with the detail in `errors[].message`. Messages are GitHub's own
 *   where known (`tree.sha <sha> is not a valid blob`, `base_tree is not a valid tree oid`,
 *   `GitRPC::BadObjectState`, `Reference already exists`, `Reference update failed`, ...).
 * - Like GitHub, `GET pulls?head=` filters only in the `owner:branch` form; a bare branch name is
 *   silently ignored (every pull request is listed).
 * - `log` entries are pushed when a response is sent (completion order); `path` is decoded.
 */
export { FakeGitHub } from './server.js'
export { git } from './git.js'
export type {
  Fault,
  FakeGitHubOptions,
  FileInfo,
  FileSpec,
  FileTree,
  PullRecord,
  RepoOptions,
  RequestLogEntry,
  RequestMatcher,
  TokenGrant
} from './types.js'
