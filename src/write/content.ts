/** File contents: read by blob sha (once per run when asked), and written as one tree in batches. */
import { isUtf8 } from 'node:buffer'
import type { GitData, TreeChange } from '../github/git-data.js'
import type { FileMap } from '../model.js'
import type { FilePlan } from '../plan/files.js'

/**
 * Reads file contents by blob sha. A sha names the same bytes in every repository, so a codex file
 * pushed to many projects is downloaded once when `remember` is on.
 */
export class ContentSource {
  private readonly cache = new Map<string, Promise<Buffer>>()

  constructor(
    private readonly git: GitData,
    private readonly remember: boolean
  ) {}

  read(repo: string, sha: string): Promise<Buffer> {
    const cached = this.cache.get(sha)
    if (cached) return cached
    const reading = this.git.readBlob(repo, sha)
    if (this.remember) {
      this.cache.set(sha, reading)
      reading.catch(() => this.cache.delete(sha))
    }
    return reading
  }

  async readText(repo: string, sha: string): Promise<string> {
    return (await this.read(repo, sha)).toString('utf8')
  }

  /** Drops a remembered content that no project will need. */
  forget(sha: string): void {
    this.cache.delete(sha)
  }
}

/** Text that survives a round trip through a JSON string unchanged can go inline in the tree. */
export function isInlineText(content: Buffer): boolean {
  return isUtf8(content) && !content.includes(0)
}

/** Tree entries sent in one request: bounds the request size and the contents held in memory. */
export const TREE_BATCH = 300

/**
 * Writes the tree that applies the plans to `base`, on GitHub's base_tree, in batches of TREE_BATCH
 * changes. A blob the repository already has is referenced by sha; text goes inline; only binary
 * files are uploaded as blobs (byte for byte). Returns the new tree's sha.
 */
export async function writeTree(
  git: GitData,
  content: ContentSource,
  repo: string,
  base: { treeSha: string; files: FileMap },
  plans: FilePlan[]
): Promise<string> {
  let present: Set<string> | undefined
  const isPresent = (sha: string) => {
    present ??= new Set(
      [...base.files.values()].filter(file => file.type === 'blob').map(file => file.sha)
    )
    return present.has(sha)
  }
  const written = plans
    .flatMap(plan => [...plan.added, ...plan.modified])
    .map(file => async (): Promise<TreeChange> => {
      if (isPresent(file.sha)) return { path: file.path, mode: file.mode, sha: file.sha }
      const bytes = await content.read(file.source.repo, file.sha)
      if (isInlineText(bytes))
        return { path: file.path, mode: file.mode, content: bytes.toString('utf8') }
      return { path: file.path, mode: file.mode, sha: await git.createBlob(repo, bytes) }
    })
  const deleted = plans
    .flatMap(plan => plan.deleted)
    .map(file => async (): Promise<TreeChange> => ({ path: file.path, mode: file.mode, sha: null }))
  // Deletions first: a path that turns from a folder into a file (or back) must be gone before it is written.
  const changes = [...deleted, ...written]
  let tree = base.treeSha
  for (let start = 0; start < changes.length; start += TREE_BATCH) {
    const batch = await settleAll(changes.slice(start, start + TREE_BATCH).map(change => change()))
    tree = await git.createTree(repo, tree, batch)
  }
  return tree
}

/** Like Promise.all, but rejects only once every promise has settled, so nothing keeps running after a failure. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises)
  const failure = settled.find(outcome => outcome.status === 'rejected')
  if (failure) throw failure.reason
  return settled.map(outcome => (outcome as PromiseFulfilledResult<T>).value)
}
