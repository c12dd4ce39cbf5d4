// Public types of the fake GitHub server (test and demo support only).

export type FileSpec =
  | string
  | Buffer // regular file 100644
  | { content: string | Buffer; mode?: '100644' | '100755' }
  | { symlink: string } // 120000 entry pointing at target
  | { submodule: string } // 160000 gitlink with that commit sha

/** path -> spec ('docs/a/b.md') */
export type FileTree = Record<string, FileSpec>

export interface RepoOptions {
  /** default 'main' */
  defaultBranch?: string
  archived?: boolean
  fork?: boolean
  disabled?: boolean
  isTemplate?: boolean
  topics?: string[]
  /** default 'private' */
  visibility?: 'public' | 'private' | 'internal'
  /** repository with no commits at all */
  empty?: boolean
  /** initial commit on the default branch (ignored if empty); default: a README.md */
  files?: FileTree
  /**
   * Branches that refuse direct updates: `PATCH git/refs/heads/<branch>` (forced or not) answers
   * 422 and `createCommitOnBranch` on it answers a FORBIDDEN error. `protection`
   * is classic branch protection ("Protected branch update failed for refs/heads/<branch>."),
   * `ruleset` a repository ruleset that requires pull requests ("Repository rule violations
   * found\n\nChanges must be made through a pull request.\n\n"). Other branches stay writable.
   * The branches API shows `protected: true` for classic protection only. Change it later with
   * `fake.setRepo(owner, name, { protectedBranches })`.
   */
  protectedBranches?: ProtectedBranch[]
}

export interface ProtectedBranch {
  /** branch name, without `refs/heads/` */
  branch: string
  kind: 'protection' | 'ruleset'
}

export interface TokenGrant {
  /** 'all', 'none' or the list of "owner/name" the token may write */
  write: 'all' | 'none' | string[]
  /**
   * The repositories the token may read, like a fine-grained personal access token limited to
   * selected repositories: 'all' (default) or a list of "owner/name" (or "name", any owner).
   * Any other private or internal repository does not exist for it: REST answers 404 Not Found,
   * GraphQL `repository` NOT_FOUND, and listings leave it out. Public repositories stay readable
   * (never writable) by every token, as on GitHub.
   */
  read?: 'all' | string[]
  /** author/committer of commits made without author (default 'codex-sync[bot]') */
  login?: string
}

export interface FakeGitHubOptions {
  /** default { 'test-token': { write: 'all' } } */
  tokens?: Record<string, TokenGrant>
  /** recursive tree listings longer than this answer truncated: true (default 100000) */
  treeEntryLimit?: number
  /**
   * Primary rate limit: requests (REST) and points (GraphQL, 1 per query) per credential and
   * one-hour window, reported in `x-ratelimit-*` (default 5000, GitHub's). The fake never sleeps
   * (only `latency` faults delay answers), so a benchmark of ~50,000 requests only needs a budget
   * that never runs out: `FakeGitHub.start({ rateLimit: 1_000_000 })`.
   */
  rateLimit?: number
  /** directory for bare repos (default: a fresh mkdtemp under os.tmpdir()) */
  root?: string
}

export interface RequestLogEntry {
  method: string
  /** decoded path name without a GHES `/api/v3` prefix, e.g. `/repos/acme/api/git/ref/heads/main` */
  path: string
  query: Record<string, string>
  status: number
  token?: string
  body?: unknown
  /** Date.now() when the request arrived */
  time: number
  /** Date.now() when the response was sent */
  answered: number
  /**
   * GraphQL requests (path `/graphql`): the operation type and its root fields, e.g.
   * `{ operation: 'mutation', fields: ['createCommitOnBranch'] }`; absent when the document could
   * not be parsed. A mutation is a content-creating write like the REST POST/PATCH/DELETE calls;
   * a query only reads.
   */
  graphql?: { operation: 'query' | 'mutation' | 'subscription'; fields: string[] }
}

/** Which requests a fault applies to: all that match every field given (`body`: the raw text). */
export type RequestMatcher = { method?: string; path?: RegExp; body?: RegExp }

export type Fault =
  | { kind: 'latency'; ms: number; match?: RequestMatcher }
  | {
      /** GitHub's secondary limit: 403 (default) or 429, always with `retry-after: <retryAfter>` */
      kind: 'secondary-rate-limit'
      status?: 403 | 429
      retryAfter: number
      times: number
      match?: RequestMatcher
    }
  | {
      kind: 'rate-limit'
      /** GitHub answers an exhausted primary limit with 403 or 429 (default 403) */
      status?: 403 | 429
      resetInSeconds: number
      times: number
      match?: RequestMatcher
    }
  | {
      kind: 'status'
      /**
       * e.g. 403 with message 'Resource not accessible by integration'; 401 ('Bad credentials') as
       * for a token revoked in the middle of a run; 422 ('Validation Failed') as for a refused write
       */
      status: 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503
      message?: string
      /** sent as `retry-after` (seconds) when given, e.g. with 429 */
      retryAfter?: number
      times: number
      match?: RequestMatcher
    }
  | {
      /**
       * The answer (whatever the route answers) goes out with its full `content-length`, but only
       * `bytes` of the body are sent (default: half of it) before the socket is destroyed: a
       * connection closed mid-body. The request itself takes effect (a write is done).
       */
      kind: 'truncated-body'
      bytes?: number
      times: number
      match?: RequestMatcher
    }
  | {
      /**
       * Another writer creates `ref` (e.g. `refs/heads/x`) just before a `POST git/refs` for it
       * lands, so that request answers 422 "Reference already exists" while the ref now exists.
       * The other writer points it at `sha`, or at a new commit of `changes` on top of the sha the
       * request asked for, or (neither given) at that same sha.
       */
      kind: 'create-ref-race'
      owner: string
      repo: string
      ref: string
      sha?: string
      changes?: Record<string, FileSpec | null>
      /** default 1 */
      times?: number
    }
  | {
      /** The repository is deleted just before a matching request is handled (as during a run). */
      kind: 'delete-repo'
      owner: string
      repo: string
      match: RequestMatcher
      /** default 1 */
      times?: number
    }
  | {
      kind: 'move-branch'
      owner: string
      repo: string
      branch: string
      changes: Record<string, FileSpec | null>
      /** default 1 */
      times?: number
    }

export interface AppOptions {
  /** organisation (or user) the App is installed on */
  owner: string
  /** repositories of `owner` the installation can reach: 'all' (default) or their names */
  repositories?: 'all' | string[]
  /** lifetime of installation access tokens (default one hour, GitHub's) */
  tokenTtlMs?: number
  /**
   * What its installation tokens may write: 'all' the installation's repositories (default),
   * 'none' (contents: read), or a list of "owner/name" (or "name") among them.
   */
  write?: 'all' | 'none' | string[]
  /** App slug; its tokens author commits as `<slug>[bot]` (default 'codex-sync') */
  slug?: string
}

export interface AppCredentials {
  /** the App id, as GitHub shows it (digits) */
  appId: string
  /** PEM, PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`) like the keys GitHub lets you download */
  privateKey: string
  installationId: number
  /** the App's client id (`Iv23li…`), also accepted as JWT `iss` */
  clientId: string
}

export interface PullRecord {
  number: number
  title: string
  body: string | null
  /** head branch name */
  head: string
  /** base branch name */
  base: string
  state: 'open' | 'closed'
  html_url: string
  draft: boolean
  /** label names, in the order they were added */
  labels: string[]
  /** logins whose review was requested */
  requested_reviewers: string[]
  /** team slugs whose review was requested */
  requested_teams: string[]
}

/** A comment on a pull request, as `fake.comments()` reports it. */
export interface CommentRecord {
  id: number
  body: string
  /** login of the credential that wrote it, e.g. `codex-sync[bot]` */
  author: string
  created_at: string
  updated_at: string
  html_url: string
}

export interface FileInfo {
  content: Buffer
  mode: string
  type: 'blob' | 'commit'
}
