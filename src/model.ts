/** The vocabulary every stage shares: modes, repositories, trees, commits, the log port and errors. */

export const MODES = ['pull-docs', 'push-docs', 'push-claude'] as const
export type Mode = (typeof MODES)[number]
export type PushMode = Exclude<Mode, 'pull-docs'>

/** Which way each mode carries files, as the org-syncer report names it. */
export const DIRECTIONS: Readonly<Record<Mode, 'to-codex' | 'from-codex'>> = {
  'pull-docs': 'to-codex',
  'push-docs': 'from-codex',
  'push-claude': 'from-codex'
}

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value)
}

/** One entry of a repository tree that is not a folder: a file, a symlink or a submodule. */
export interface TreeFile {
  path: string
  /** Git file mode: 100644, 100755, 120000 (symlink) or 160000 (submodule). */
  mode: string
  sha: string
  type: 'blob' | 'commit'
  size?: number
}

export type FileMap = Map<string, TreeFile>

/** A tree and every file in it (only those below the folders asked for, when it was cut short). */
export interface Tree {
  treeSha: string
  files: FileMap
  /** Folder path (no trailing slash) -> its tree's object ID, as listed when the tree was read. */
  folders?: ReadonlyMap<string, string>
}

/** A branch head: its commit and its tree. */
export interface Snapshot extends Tree {
  commitSha: string
}

export interface Repository {
  name: string
  defaultBranch: string
  archived: boolean
  fork: boolean
  disabled: boolean
  /** Known to have no commits (GraphQL's listing says; REST's does not, and says false). */
  empty: boolean
  topics: string[]
}

/** What one path holds in a commit: the object's ID and its git mode ('100644', '40000', ...). */
export interface PathEntry {
  oid: string
  mode: string
}

/** Git writes a folder's mode as 40000 in its trees; GitHub's REST answers 040000. */
export const TREE_MODE = '40000'

export function normalMode(mode: string): string {
  return mode === '040000' ? TREE_MODE : mode
}

/**
 * A project's default branch as a listing saw it, without reading its tree: its head, and the
 * entries of the paths whose object IDs tell whether the project is in sync.
 */
export interface ProjectHead {
  commitSha: string
  /** Each path asked about: its entry, or undefined where the head holds nothing. */
  paths: ReadonlyMap<string, PathEntry | undefined>
  /** The pull request branch of the environment, when the listing asked and it exists. */
  offering: { head: string; pull: PullRequest | undefined } | undefined
}

export interface Commit {
  sha: string
  url: string
}

export interface PullRequest {
  number: number
  url: string
}

const MODE_SYMLINK = '120000'

/** A blob that is not a symlink: the only kind of entry that is ever copied. */
export function isRegularFile(file: TreeFile): boolean {
  return file.type === 'blob' && file.mode !== MODE_SYMLINK
}

/** GitHub repository and organisation names compare case-insensitively: equal names, equal keys. */
export function nameKey(name: string): string {
  return name.toLowerCase()
}

export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b)
}

export interface AnnotationProperties {
  title?: string
  file?: string
}

/** Where the engine reports progress and problems; main.ts binds it to @actions/core. */
export interface Log {
  info(message: string): void
  debug(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
}

/** A problem the action understands, with what the user should do about it. */
export class CodexSyncError extends Error {
  constructor(
    message: string,
    readonly resolution: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** A problem that stops the run before any write. */
export class SetupError extends CodexSyncError {}

/** A repository that went away during the run (deleted, renamed or made invisible to the token). */
export class RepositoryGoneError extends CodexSyncError {
  constructor(readonly repository: string) {
    super(
      `Repository ${repository} no longer exists: it was deleted, renamed or hidden from the token during the run.`,
      `Nothing was written to it. If it was renamed, the next run finds it under its new name.`
    )
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
