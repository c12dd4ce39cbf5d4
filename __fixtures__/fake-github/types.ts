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
}

export interface TokenGrant {
  /** 'all', 'none' or the list of "owner/name" the token may write */
  write: 'all' | 'none' | string[]
  /** author/committer of commits made without author (default 'codex-sync[bot]') */
  login?: string
}

export interface FakeGitHubOptions {
  /** default { 'test-token': { write: 'all' } } */
  tokens?: Record<string, TokenGrant>
  /** recursive tree listings longer than this answer truncated: true (default 100000) */
  treeEntryLimit?: number
  /** x-ratelimit-limit per token per hour window (default 5000) */
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
}

export type RequestMatcher = { method?: string; path?: RegExp }

export type Fault =
  | { kind: 'latency'; ms: number; match?: RequestMatcher }
  | {
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
      status: 404 | 409 | 500 | 502 | 503
      message?: string
      times: number
      match?: RequestMatcher
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
}

export interface FileInfo {
  content: Buffer
  mode: string
  type: 'blob' | 'commit'
}
