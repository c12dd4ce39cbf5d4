/** File plans: what makes an owned folder equal to its desired files, and the deletion limits. */
import type { FileMap, TreeFile } from '../model.js'

/** A file the owned folder should contain, and where its content can be read. */
export interface DesiredFile {
  path: string
  mode: string
  /** Git blob sha of the content: equal shas mean equal content, in any repository. */
  sha: string
  source: { repo: string; path: string }
  /** Bytes, when the tree listing said. */
  size?: number
}

export type DesiredFiles = Map<string, DesiredFile>

export interface FilePlan {
  added: DesiredFile[]
  modified: DesiredFile[]
  deleted: TreeFile[]
  /** Files the owner had before the sync: the base of the deletion share. */
  ownedCount: number
}

export interface DeletionLimits {
  deletionThreshold: number
  deletionThresholdPercent: number
}

/** Below this many deletions the share rule never applies (small folders change a lot). */
const SHARE_RULE_MIN_DELETIONS = 5

export function isUnder(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some(prefix => path.startsWith(prefix))
}

/** Each file list's paths in order, so that one folder's files are found without a full scan. */
const sortedPaths = new WeakMap<FileMap, { size: number; paths: string[] }>()

function pathsInOrder(files: FileMap): string[] {
  const known = sortedPaths.get(files)
  if (known && known.size === files.size) return known.paths
  const paths = [...files.keys()].sort()
  sortedPaths.set(files, { size: files.size, paths })
  return paths
}

/** The index of the first path not before `prefix`. */
function firstFrom(paths: string[], prefix: string): number {
  let low = 0
  let high = paths.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((paths[middle] as string) < prefix) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * The files of a tree that belong to one owner (its folders, each given with a trailing slash).
 * A codex holds every project's docs: each folder is looked up, never the whole tree scanned.
 */
export function ownedFiles(files: FileMap, prefixes: readonly string[]): FileMap {
  const owned: FileMap = new Map()
  const paths = pathsInOrder(files)
  for (const prefix of prefixes) {
    for (let index = firstFrom(paths, prefix); index < paths.length; index++) {
      const path = paths[index] as string
      if (!path.startsWith(prefix)) break
      owned.set(path, files.get(path) as TreeFile)
    }
  }
  return owned
}

/**
 * What makes the owned files equal to the desired ones. Paths in `kept` are left as they are: their
 * source could not be read this time (a broken frontmatter), which is no reason to delete them.
 */
export function planFiles(
  desired: DesiredFiles,
  owned: FileMap,
  kept: ReadonlySet<string> = new Set()
): FilePlan {
  const plan: FilePlan = { added: [], modified: [], deleted: [], ownedCount: owned.size }
  for (const file of desired.values()) {
    const current = owned.get(file.path)
    if (!current) plan.added.push(file)
    else if (current.sha !== file.sha || current.mode !== file.mode || current.type !== 'blob')
      plan.modified.push(file)
  }
  for (const current of owned.values())
    if (!desired.has(current.path) && !kept.has(current.path)) plan.deleted.push(current)
  const byPath = (a: { path: string }, b: { path: string }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  plan.added.sort(byPath)
  plan.modified.sort(byPath)
  plan.deleted.sort(byPath)
  return plan
}

/** Whether two file lists hold the same paths with the same contents and modes. */
export function sameFiles(a: FileMap, b: FileMap): boolean {
  if (a.size !== b.size) return false
  for (const [path, file] of a) {
    const other = b.get(path)
    if (!other || other.sha !== file.sha || other.mode !== file.mode) return false
  }
  return true
}

export function isEmptyPlan(plan: FilePlan): boolean {
  return plan.added.length + plan.modified.length + plan.deleted.length === 0
}

/** Why a plan deletes too much to be applied, or undefined when it is within the limits. */
export function deletionLimitExceeded(plan: FilePlan, limits: DeletionLimits): string | undefined {
  const deletions = plan.deleted.length
  if (deletions > limits.deletionThreshold) {
    return `${deletions} files would be deleted, more than deletion_threshold (${limits.deletionThreshold})`
  }
  if (deletions > SHARE_RULE_MIN_DELETIONS && plan.ownedCount > 0) {
    const percent = (deletions / plan.ownedCount) * 100
    if (percent > limits.deletionThresholdPercent) {
      return `${deletions} of ${plan.ownedCount} files (${Math.round(percent)}%) would be deleted, more than deletion_threshold_percent (${limits.deletionThresholdPercent}%)`
    }
  }
  return undefined
}

/**
 * Applies the plans of one commit to a file list, as the new tree will look (used to follow our own
 * commits); the list is copied once, however many plans (a run's commit may hold a thousand).
 */
export function applyPlans(files: FileMap, plans: FilePlan[]): FileMap {
  const next: FileMap = new Map(files)
  for (const plan of plans) {
    for (const file of plan.deleted) next.delete(file.path)
    for (const file of [...plan.added, ...plan.modified]) {
      next.set(file.path, { path: file.path, mode: file.mode, sha: file.sha, type: 'blob' })
    }
  }
  return next
}
