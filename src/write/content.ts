/** File contents: read by blob sha (once per run when asked), and written as one tree in batches. */
import { isUtf8 } from 'node:buffer'
import type { GitHub } from '../github/client.js'
import type { GitData, TreeChange } from '../github/git-data.js'
import { BLOBS_PER_QUERY, type BlobRef, type FileChanges } from '../github/graphql.js'
import type { FileMap } from '../model.js'
import type { DesiredFile, FilePlan } from '../plan/files.js'

/** Contents kept for other projects, at most: a codex file pushed to many projects is read once. */
const MAX_REMEMBERED_BYTES = 16 * 1024 * 1024

interface Waiting {
  blob: BlobRef
  settle: { resolve(bytes: Buffer): void; reject(error: unknown): void }
}

/**
 * Reads file contents by blob SHA. Reads asked for together (in the same turn of the event loop)
 * go out as GraphQL queries of up to a hundred blobs; what GraphQL cannot give faithfully (binary,
 * truncated, non-UTF-8 text, or no GraphQL at all) is read raw over REST. A SHA names the same
 * bytes in every repository, so a content is read once per run (up to a memory cap, oldest out).
 */
export class ContentSource {
  private readonly remembered = new Map<string, Buffer>()
  private rememberedBytes = 0
  private readonly reading = new Map<string, Promise<Buffer>>()
  private waiting: Waiting[] = []

  constructor(private readonly github: Pick<GitHub, 'git' | 'graphql'>) {}

  read(repo: string, sha: string): Promise<Buffer> {
    const known = this.remembered.get(sha)
    if (known) return Promise.resolve(known)
    const pending = this.reading.get(sha)
    if (pending) return pending
    const reading = new Promise<Buffer>((resolve, reject) => {
      this.waiting.push({ blob: { repo, sha }, settle: { resolve, reject } })
      if (this.waiting.length >= BLOBS_PER_QUERY) this.flush()
      else if (this.waiting.length === 1) setImmediate(() => this.flush())
    })
    this.reading.set(sha, reading)
    reading.then(
      bytes => {
        this.reading.delete(sha)
        this.keep(sha, bytes)
      },
      () => this.reading.delete(sha)
    )
    return reading
  }

  async readText(repo: string, sha: string): Promise<string> {
    return (await this.read(repo, sha)).toString('utf8')
  }

  /** Drops a remembered content that no project will need. */
  forget(sha: string): void {
    const bytes = this.remembered.get(sha)
    if (!bytes) return
    this.remembered.delete(sha)
    this.rememberedBytes -= bytes.length
  }

  private keep(sha: string, bytes: Buffer): void {
    if (bytes.length > MAX_REMEMBERED_BYTES) return
    this.remembered.set(sha, bytes)
    this.rememberedBytes += bytes.length
    // Oldest first out, as a Map keeps insertion order.
    for (const [old, content] of this.remembered) {
      if (this.rememberedBytes <= MAX_REMEMBERED_BYTES) break
      this.remembered.delete(old)
      this.rememberedBytes -= content.length
    }
  }

  private flush(): void {
    const batch = this.waiting
    this.waiting = []
    if (batch.length > 0) void this.readBatch(batch)
  }

  private async readBatch(batch: Waiting[]): Promise<void> {
    let texts: Map<string, Buffer>
    try {
      texts = await this.github.graphql.blobTexts(batch.map(entry => entry.blob))
    } catch (error) {
      for (const entry of batch) entry.settle.reject(error)
      return
    }
    await Promise.all(
      batch.map(async ({ blob, settle }) => {
        try {
          settle.resolve(
            texts.get(blob.sha) ?? (await this.github.git.readBlob(blob.repo, blob.sha))
          )
        } catch (error) {
          settle.reject(error)
        }
      })
    )
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

/** createCommitOnBranch carries file contents in one request: past these, the Git Data path serves. */
const MAX_GRAPHQL_FILES = 100
const MAX_GRAPHQL_BYTES = 4 * 1024 * 1024
const REGULAR = '100644'

/**
 * The plans as createCommitOnBranch changes, or undefined where that mutation would not be faithful:
 * a file that is not plain 100644 text (it writes every file as 100644), a file that turns into a
 * folder or back, or a commit too large for one request.
 */
export async function asFileChanges(
  content: ContentSource,
  base: { files: FileMap },
  plans: FilePlan[]
): Promise<FileChanges | undefined> {
  const written = plans.flatMap(plan => [...plan.added, ...plan.modified])
  const deleted = plans.flatMap(plan => plan.deleted.map(file => file.path))
  if (written.length + deleted.length > MAX_GRAPHQL_FILES) return undefined
  const replacesOther = (file: DesiredFile) => {
    const current = base.files.get(file.path)
    return current !== undefined && (current.mode !== REGULAR || current.type !== 'blob')
  }
  if (written.some(file => file.mode !== REGULAR || replacesOther(file))) return undefined
  const paths = [...written.map(file => file.path), ...deleted]
  if (paths.some(path => paths.some(other => other.startsWith(`${path}/`)))) return undefined
  const additions = await Promise.all(
    written.map(async file => ({
      path: file.path,
      contents: await content.read(file.source.repo, file.sha)
    }))
  )
  const bytes = additions.reduce((total, file) => total + file.contents.length, 0)
  if (bytes > MAX_GRAPHQL_BYTES || !additions.every(file => isInlineText(file.contents)))
    return undefined
  return { additions, deletions: deleted }
}
