import { isUtf8 } from 'node:buffer'
import type { FileMap, GitData, TreeChange } from './git-data.js'
import type { FilePlan } from './plan.js'

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
}

/** Text that survives a round trip through a JSON string unchanged can go inline in the tree. */
export function isInlineText(content: Buffer): boolean {
  return isUtf8(content) && !content.includes(0)
}

/**
 * The tree changes that apply the plans to a repository. A blob the repository already has is
 * referenced by sha; text goes inline; only binary files are uploaded as blobs (byte for byte).
 */
export async function treeChanges(
  git: GitData,
  content: ContentSource,
  targetRepo: string,
  targetFiles: FileMap,
  plans: FilePlan[]
): Promise<TreeChange[]> {
  let present: Set<string> | undefined
  const isPresent = (sha: string) => {
    present ??= new Set([...targetFiles.values()].filter(file => file.type === 'blob').map(file => file.sha))
    return present.has(sha)
  }
  const writes = plans.flatMap(plan => [...plan.added, ...plan.modified])
  const written = await Promise.all(
    writes.map(async (file): Promise<TreeChange> => {
      if (isPresent(file.sha)) return { path: file.path, mode: file.mode, sha: file.sha }
      const bytes = await content.read(file.source.repo, file.sha)
      if (isInlineText(bytes)) return { path: file.path, mode: file.mode, content: bytes.toString('utf8') }
      return { path: file.path, mode: file.mode, sha: await git.createBlob(targetRepo, bytes) }
    })
  )
  const deleted = plans.flatMap(plan => plan.deleted.map((file): TreeChange => ({ path: file.path, mode: file.mode, sha: null })))
  return [...written, ...deleted]
}
