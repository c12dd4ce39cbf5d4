/** Branches written to: their files to plan against, their head to commit on, and how they move. */
import { statusOf } from '../github/errors.js'
import type { GitData } from '../github/git-data.js'
import type { Snapshot, Tree } from '../model.js'

/** Where a commit goes: the files to plan against, the head to build on, and how to move the branch. */
export interface BranchTarget {
  repo: string
  /** The branch name as shown in messages. */
  branch: string
  /** The branch's files (one request; its commit is not needed unless something is written). */
  read(): Promise<Tree>
  /** The commit to build on, with its tree: the planned one when the branch has not moved since. */
  head(planned: Tree): Promise<Snapshot>
  /** False when the branch moved meanwhile (not a fast-forward): the write is redone on a new read. */
  publish(commitSha: string): Promise<boolean>
  /** Whether the branch exists and moves in place, so one GraphQL commit can both write and move it. */
  readonly inPlace: boolean
  /** Forgets what was read: the branch moved under us. */
  invalidate(): void
}

/** A branch updated in place: read once, then followed through our own commits; re-read after a race. */
export class TrackedBranch implements BranchTarget {
  private known: Snapshot | undefined
  /** The branch's files as read by its name. */
  private byName: Promise<Tree> | undefined
  readonly inPlace = true

  /**
   * `folders`: the only folders the writes touch, so a huge tree need not be listed in full.
   * `initial`: the branch as read already; `listedHead`: the head commit a listing saw, whose tree
   * is then read by its SHA (so the commit to build on needs no read of its own; a branch that
   * moved since is caught by the compare-and-swap of the write).
   */
  constructor(
    private readonly git: GitData,
    readonly repo: string,
    readonly branch: string,
    private readonly folders?: readonly string[],
    initial?: Snapshot,
    private listedHead?: string
  ) {
    this.known = initial
  }

  /** The branch's files, read once until the branch is known to have moved. */
  async read(): Promise<Tree> {
    if (this.known) return this.known
    const head = this.listedHead
    if (head !== undefined) {
      this.listedHead = undefined
      // Gone since the listing: read by the branch's name, which says why.
      const tree = await this.git
        .readTree(this.repo, head, this.folders)
        .catch((error: unknown) => {
          if (statusOf(error) === 404) return undefined
          throw error
        })
      if (tree) {
        this.known = { ...tree, commitSha: head }
        return this.known
      }
    }
    if (!this.byName) {
      const reading = this.git.readBranchTree(this.repo, this.branch, this.folders)
      this.byName = reading
      // A read that failed is not kept: the next read asks again.
      reading.catch(() => {
        if (this.byName === reading) this.byName = undefined
      })
    }
    return this.byName
  }

  async head(planned: Tree): Promise<Snapshot> {
    if (this.known) return this.known
    const { commitSha, treeSha } = await this.git.head(this.repo, this.branch)
    if (treeSha === planned.treeSha) return { ...planned, commitSha }
    const tree = await this.git.readTree(this.repo, commitSha, this.folders)
    return { ...tree, commitSha }
  }

  async publish(commitSha: string): Promise<boolean> {
    const updated = await this.git.updateBranch(this.repo, this.branch, commitSha)
    this.invalidate()
    return updated
  }

  invalidate(): void {
    this.known = undefined
    this.byName = undefined
  }

  /** Records the branch as our own commit left it, so that the next write needs no re-read. */
  follow(after: Snapshot): void {
    this.known = after
  }
}
