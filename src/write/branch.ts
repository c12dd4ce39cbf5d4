/** Branches written to: how to read a branch's base, and how to move it to a new commit. */
import { BranchNotFoundError } from '../github/errors.js'
import type { GitData } from '../github/git-data.js'
import type { Snapshot } from '../model.js'

/** Where a commit goes: how to read its base, and how to make the branch point at the new commit. */
export interface BranchTarget {
  repo: string
  /** The branch name as shown in messages. */
  branch: string
  read(): Promise<Snapshot>
  /** False when the branch moved meanwhile (not a fast-forward): the write is redone on a new read. */
  publish(commitSha: string): Promise<boolean>
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

  /** Records the branch as our own commit left it, so that the next write needs no re-read. */
  follow(after: Snapshot): void {
    this.known = after
  }
}
