/** Scopes: one owner's folders in a repository and their desired files, planned against a branch. */
import type { Tree } from '../model.js'
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

export interface ScopePlan {
  project: string
  plan: FilePlan
  /** Set when the plan was refused (deletion threshold); nothing of it is written. */
  refused?: string
}

export function planScopes(scopes: Scope[], base: Tree, limits: DeletionLimits): ScopePlan[] {
  return scopes.map(scope => {
    const owned = ownedFiles(base.files, scope.folders)
    const plan = {
      ...planFiles(scope.desired, owned, scope.kept),
      ownedCount: scope.shareOf ?? owned.size
    }
    return { project: scope.project, plan, refused: deletionLimitExceeded(plan, limits) }
  })
}

/** Plans to apply: not refused and not empty. */
export function applicable(plans: ScopePlan[]): ScopePlan[] {
  return plans.filter(entry => !entry.refused && !isEmptyPlan(entry.plan))
}

export function countLine(plan: FilePlan): string {
  return `${plan.added.length} added, ${plan.modified.length} modified, ${plan.deleted.length} deleted`
}
