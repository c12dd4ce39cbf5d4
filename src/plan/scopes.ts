/** Scopes: one owner's folders in a repository and their desired files, planned against a branch. */
import type { FileMap, Tree, TreeFile } from '../model.js'
import {
  deletionLimitExceeded,
  isEmptyPlan,
  ownedFiles,
  planFiles,
  type DeletionLimits,
  type DesiredFiles,
  type FilePlan
} from './files.js'

/** One owner's folders in the written repository and what they should contain. */
export interface Scope {
  project: string
  folders: string[]
  desired: DesiredFiles
  /** Owned paths to leave untouched in this run (see planFiles). */
  kept?: ReadonlySet<string>
  /** The files the deletion share is counted against; default: the files the folders hold. */
  shareOf?: number
}

/** Why a plan is not applied, as the project's failure reports it. */
export interface Refusal {
  error: string
  resolution: string
}

export interface ScopePlan {
  project: string
  plan: FilePlan
  /** Set when the plan was refused (deletion threshold, a file in the way); nothing of it is written. */
  refusal?: Refusal
}

const DELETION_THRESHOLD_EXCEEDED = 'Deletion threshold exceeded'

export function planScopes(scopes: Scope[], base: Tree, limits: DeletionLimits): ScopePlan[] {
  return scopes.map(scope => {
    const owned = ownedFiles(base.files, scope.folders)
    const plan = {
      ...planFiles(scope.desired, owned, scope.kept),
      ownedCount: scope.shareOf ?? owned.size
    }
    return withRefusal({ project: scope.project, plan }, scope, base.files, limits)
  })
}

function withRefusal(
  entry: ScopePlan,
  scope: Scope,
  files: FileMap,
  limits: DeletionLimits
): ScopePlan {
  const clash = isEmptyPlan(entry.plan) ? undefined : fileInTheWay(files, scope.folders)
  if (clash) return { ...entry, refusal: boundaryRefusal(clash.file, clash.folder) }
  const exceeded = deletionLimitExceeded(entry.plan, limits)
  if (exceeded === undefined) return entry
  return {
    ...entry,
    refusal: {
      error: DELETION_THRESHOLD_EXCEEDED,
      resolution: `${exceeded}; nothing was written. Check why those files are gone, or raise deletion_threshold / deletion_threshold_percent in the codex config.`
    }
  }
}

/**
 * The first entry that is not a folder (a file, a symlink or a submodule) standing at an owned
 * folder's path or at one of its parents: writing the folder would replace it.
 */
function fileInTheWay(
  files: FileMap,
  folders: readonly string[]
): { file: TreeFile; folder: string } | undefined {
  for (const folder of folders) {
    const segments = folder.split('/').filter(segment => segment !== '')
    for (let depth = 1; depth <= segments.length; depth++) {
      const file = files.get(segments.slice(0, depth).join('/'))
      if (file) return { file, folder }
    }
  }
  return undefined
}

function boundaryRefusal(file: TreeFile, folder: string): Refusal {
  const kind =
    file.type === 'commit' ? 'a submodule' : file.mode === '120000' ? 'a symlink' : 'a file'
  return {
    error: `'${file.path}' is ${kind} where codex-sync writes the folder '${folder}'`,
    resolution: `Nothing was written: codex-sync never replaces what it does not own. Move or remove '${file.path}' (in the codex for pull-docs, in the project for the push modes), or change projects_dir, distribution_dir or claude_namespace in the codex config so that the folder lands elsewhere.`
  }
}

/** Plans to apply: not refused and not empty. */
export function applicable(plans: ScopePlan[]): ScopePlan[] {
  return plans.filter(entry => !entry.refusal && !isEmptyPlan(entry.plan))
}

export function countLine(plan: FilePlan): string {
  return `${plan.added.length} added, ${plan.modified.length} modified, ${plan.deleted.length} deleted`
}
