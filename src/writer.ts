import { setTimeout as delay } from 'node:timers/promises'
import { writeTree, type ContentSource } from './content.js'
import { BranchNotFoundError, type Commit, type GitData, type Snapshot } from './git-data.js'
import {
  applyPlan,
  deletionLimitExceeded,
  isEmptyPlan,
  ownedFiles,
  planFiles,
  type DeletionLimits,
  type DesiredFiles,
  type FilePlan
} from './plan.js'
import type { Log } from './log.js'

/** One owner's folders in the written repository and what they should contain. */
export interface Scope {
  project: string
  folders: string[]
  desired: DesiredFiles
  /** Owned paths to leave untouched in this run (see planFiles). */
  kept?: ReadonlySet<string>
}

export interface ScopePlan {
  project: string
  plan: FilePlan
  /** Set when the plan was refused (deletion threshold); nothing of it is written. */
  refused?: string
}

/** Where a commit goes: how to read its base, and how to make the branch point at the new commit. */
export interface BranchTarget {
  repo: string
  /** The branch name as shown in messages. */
  branch: string
  read(): Promise<Snapshot>
  /** False when the branch moved meanwhile (not a fast-forward): the write is redone on a new read. */
  publish(commitSha: string): Promise<boolean>
}

export interface WriteOutcome {
  plans: ScopePlan[]
  commit?: Commit
  /** The branch as it is after the write (the base when nothing was written). */
  after: Snapshot
}

export interface WriterOptions {
  git: GitData
  content: ContentSource
  limits: DeletionLimits
  dryRun: boolean
  log: Log
}

const ATTEMPTS = 4
/** Pause before re-reading a branch that moved, multiplied by the attempt number. */
const RETRY_DELAY_MS = 1000

export class BranchMovedError extends Error {
  constructor(target: BranchTarget, attempts: number) {
    super(
      `${target.repo}@${target.branch} kept moving: ${attempts} commits in a row were not fast-forwards.`
    )
    this.name = 'BranchMovedError'
  }
}

export function planScopes(scopes: Scope[], base: Snapshot, limits: DeletionLimits): ScopePlan[] {
  return scopes.map(scope => {
    const plan = planFiles(scope.desired, ownedFiles(base.files, scope.folders), scope.kept)
    return { project: scope.project, plan, refused: deletionLimitExceeded(plan, limits) }
  })
}

/** Plans to apply: not refused and not empty. */
export function applicable(plans: ScopePlan[]): ScopePlan[] {
  return plans.filter(entry => !entry.refused && !isEmptyPlan(entry.plan))
}

/**
 * Makes each scope's folders equal to their desired files in one commit on the target branch, with
 * GitHub's base_tree so that nothing outside the scopes changes. A branch that moves meanwhile is
 * re-read and the commit rebuilt on its new head, so the other writer's commit survives.
 */
export async function writeScopes(
  target: BranchTarget,
  scopes: Scope[],
  message: (plans: ScopePlan[]) => string,
  options: WriterOptions
): Promise<WriteOutcome> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const base = await target.read()
    const plans = planScopes(scopes, base, options.limits)
    const toApply = applicable(plans)
    if (toApply.length === 0 || options.dryRun) return { plans, after: base }
    const tree = await writeTree(
      options.git,
      options.content,
      target.repo,
      base,
      toApply.map(entry => entry.plan)
    )
    const commit = await options.git.createCommit(target.repo, message(toApply), tree, [
      base.commitSha
    ])
    if (await target.publish(commit.sha)) {
      const files = toApply.reduce((files, entry) => applyPlan(files, entry.plan), base.files)
      return { plans, commit, after: { commitSha: commit.sha, treeSha: tree, files } }
    }
    options.log.info(
      `${target.repo}@${target.branch} moved during the write; rebuilding on its new head (${attempt}/${ATTEMPTS}).`
    )
    // GitHub's reads can lag a write by seconds: give the new head time to show before re-reading.
    if (attempt < ATTEMPTS) await delay(RETRY_DELAY_MS * attempt)
  }
  throw new BranchMovedError(target, ATTEMPTS)
}

/** A branch updated in place: read once, then followed through our own commits; re-read after a race. */
export class TrackedBranch implements BranchTarget {
  private known: Snapshot | undefined

  /** `folders`: the only folders the writes touch, so a huge tree need not be listed in full. */
  constructor(
    private readonly git: GitData,
    readonly repo: string,
    readonly branch: string,
    private readonly folders?: readonly string[],
    initial?: Snapshot
  ) {
    this.known = initial
  }

  async read(): Promise<Snapshot> {
    if (this.known) return this.known
    const snapshot = await this.git.readBranch(this.repo, this.branch, this.folders)
    if (!snapshot) throw new BranchNotFoundError(this.repo, this.branch)
    this.known = snapshot
    return snapshot
  }

  async publish(commitSha: string): Promise<boolean> {
    const updated = await this.git.updateBranch(this.repo, this.branch, commitSha)
    this.known = undefined
    return updated
  }

  /** Records the branch state after our own commit, so that the next write needs no re-read. */
  follow(outcome: WriteOutcome): void {
    if (outcome.commit) this.known = outcome.after
  }
}
