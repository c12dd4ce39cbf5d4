/** The writer: the one place that writes to GitHub, and so the one place a dry run stops writes. */
import { setTimeout as delay } from 'node:timers/promises'
import type { GitHub } from '../github/client.js'
import type { NewPullRequest } from '../github/pulls.js'
import {
  CodexSyncError,
  messageOf,
  type Commit,
  type Log,
  type PullRequest,
  type Snapshot,
  type Tree
} from '../model.js'
import { applyPlans, type DeletionLimits, type FilePlan } from '../plan/files.js'
import { applicable, planScopes, type Scope, type ScopePlan } from '../plan/scopes.js'
import type { BranchTarget } from './branch.js'
import { asFileChanges, writeTree, type ContentSource } from './content.js'
import type { CodexState } from './state.js'

/** What a write did: nothing to do, planned only (dry run), or committed. */
export type WriteOutcome =
  | { kind: 'unchanged'; plans: ScopePlan[] }
  | { kind: 'planned'; plans: ScopePlan[] }
  | { kind: 'committed'; plans: ScopePlan[]; commit: Commit; after: Snapshot }

/** A write tried on `base`, and what it was to apply. */
interface Attempt {
  base: Snapshot
  message: string
  plans: ScopePlan[]
}

const ATTEMPTS = 4
/** Pause before re-reading a branch that moved, multiplied by the attempt number. */
const RETRY_DELAY_MS = 1000

class BranchMovedError extends CodexSyncError {
  constructor(target: BranchTarget, attempts: number) {
    super(
      `${target.repo}@${target.branch} kept moving: ${attempts} commits in a row were not fast-forwards.`,
      'Another writer keeps pushing to that branch: run the sync again when it is quiet (nothing of this project was written).'
    )
  }
}

/** GitHub refuses files beyond 100 MB. */
const MAX_FILE_BYTES = 100 * 1024 * 1024

class FileTooLargeError extends CodexSyncError {
  constructor(path: string, size: number) {
    super(
      `${path} is ${Math.round(size / 1024 / 1024)} MB, beyond GitHub's 100 MB limit for one file; nothing was written.`,
      'Leave it out of what is synced (exclude_patterns in the codex config), or keep it in Git LFS.'
    )
  }
}

export interface WriterOptions {
  github: Pick<GitHub, 'git' | 'pulls' | 'graphql'>
  content: ContentSource
  limits: DeletionLimits
  dryRun: boolean
  log: Log
}

export class Writer {
  constructor(private readonly options: WriterOptions) {}

  /**
   * Makes each scope's folders equal to their desired files in one commit on the target branch, with
   * GitHub's base_tree so that nothing outside the scopes changes. A branch that moves meanwhile is
   * re-read and the commit rebuilt on its new head, so the other writer's commit survives.
   */
  async commit(
    target: BranchTarget,
    scopes: Scope[],
    message: (plans: ScopePlan[]) => string
  ): Promise<WriteOutcome> {
    const { limits, dryRun, log } = this.options
    // The last write that GitHub refused as not on the head: maybe its answer was lost, not it.
    let tried: Attempt | undefined
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const planned = await target.read()
      let plans = planScopes(scopes, planned, limits)
      if (applicable(plans).length === 0) return this.settled(target, plans, planned, tried)
      if (dryRun) return { kind: 'planned', plans }
      const base = await target.head(planned)
      if (base.treeSha !== planned.treeSha) plans = planScopes(scopes, base, limits)
      const toApply = applicable(plans)
      if (toApply.length === 0) return this.settled(target, plans, base, tried)
      const plansToWrite = toApply.map(entry => entry.plan)
      const text = message(toApply)
      const written = await this.write(target, base, plansToWrite, text)
      if (written !== 'moved') {
        const files = applyPlans(base.files, plansToWrite)
        return {
          kind: 'committed',
          plans,
          commit: written.commit,
          after: { commitSha: written.commit.sha, treeSha: written.treeSha, files }
        }
      }
      tried = { base, message: text, plans }
      log.info(
        `${target.repo}@${target.branch} moved during the write; rebuilding on its new head (${attempt}/${ATTEMPTS}).`
      )
      // GitHub's reads can lag a write by seconds: give the new head time to show before re-reading.
      if (attempt < ATTEMPTS) await delay(RETRY_DELAY_MS * attempt)
    }
    throw new BranchMovedError(target, ATTEMPTS)
  }

  /**
   * Nothing is left to write. When a write of ours was refused as not on the head, that may be
   * because a retry met the commit its lost answer had made: if the head is a commit on the same
   * parent with the same message, it is ours, and the project was synced by it.
   */
  private async settled(
    target: BranchTarget,
    plans: ScopePlan[],
    now: Tree,
    tried: Attempt | undefined
  ): Promise<WriteOutcome> {
    if (tried === undefined) return { kind: 'unchanged', plans }
    const { git } = this.options.github
    const head = await git.head(target.repo, target.branch)
    if (head.treeSha !== now.treeSha || head.commitSha === tried.base.commitSha)
      return { kind: 'unchanged', plans }
    const commit = await git.commitInfo(target.repo, head.commitSha)
    const ours =
      commit.parents.length === 1 &&
      commit.parents[0] === tried.base.commitSha &&
      commit.message.trim() === tried.message.trim()
    if (!ours) return { kind: 'unchanged', plans }
    this.options.log.info(
      `${target.repo}@${target.branch}: the commit whose answer was lost was made (${commit.sha.slice(0, 7)}).`
    )
    return {
      kind: 'committed',
      plans: tried.plans,
      commit: { sha: commit.sha, url: commit.url },
      after: { commitSha: commit.sha, treeSha: now.treeSha, files: now.files }
    }
  }

  /**
   * One commit of the plans on `base`: a single GraphQL createCommitOnBranch where it is faithful
   * (see asFileChanges), else a tree, a commit and a ref update through the Git Data API.
   */
  private async write(
    target: BranchTarget,
    base: Snapshot,
    plans: FilePlan[],
    message: string
  ): Promise<{ commit: Commit; treeSha: string } | 'moved'> {
    const { github, content } = this.options
    const tooLarge = plans
      .flatMap(plan => [...plan.added, ...plan.modified])
      .find(file => (file.size ?? 0) > MAX_FILE_BYTES)
    if (tooLarge) throw new FileTooLargeError(tooLarge.source.path, tooLarge.size ?? 0)
    const changes =
      target.inPlace && github.graphql.canCommit
        ? await asFileChanges(content, base, plans)
        : undefined
    if (changes) {
      const made = await github.graphql.commitOnBranch(
        target.repo,
        target.branch,
        base.commitSha,
        message,
        changes
      )
      if (made === 'moved') target.invalidate()
      if (made !== 'unavailable') return made
    }
    const treeSha = await writeTree(github.git, content, target.repo, base, plans)
    const commit = await github.git.createCommit(target.repo, message, treeSha, [base.commitSha])
    return (await target.publish(commit.sha)) ? { commit, treeSha } : 'moved'
  }

  /** Saves what the codex remembers between runs; a dry run saves nothing. */
  async saveState(state: CodexState): Promise<void> {
    if (!this.options.dryRun) await state.save()
  }

  /**
   * Opens a pull request (found again when a retry already opened it), then labels it and asks for
   * reviews; those two only warn when GitHub refuses them. None in a dry run.
   */
  async openPullRequest(
    repo: string,
    pull: NewPullRequest,
    extras: { labels: string[]; reviewers: { users: string[]; teams: string[] } }
  ): Promise<PullRequest | undefined> {
    const { github, dryRun, log } = this.options
    if (dryRun) return undefined
    const opened = await github.pulls.open(repo, pull)
    const attempt = async (what: string, call: () => Promise<void>) =>
      call().catch((error: unknown) =>
        log.warning(`${repo}: ${what} of ${opened.url} failed: ${messageOf(error)}`)
      )
    if (extras.labels.length > 0) {
      await attempt('labelling', () => github.pulls.addLabels(repo, opened.number, extras.labels))
    }
    const { users, teams } = extras.reviewers
    if (users.length + teams.length > 0) {
      await attempt('asking for reviews', () =>
        github.pulls.requestReviewers(repo, opened.number, extras.reviewers)
      )
    }
    return opened
  }

  /** Closes a pull request; a dry run says it would. */
  async closePullRequest(repo: string, pull: PullRequest, why: string): Promise<void> {
    const { github, dryRun, log } = this.options
    if (!dryRun) await github.pulls.close(repo, pull.number)
    log.info(`${repo}: ${dryRun ? 'would close' : 'closed'} ${pull.url}: ${why}`)
  }
}
