// Builds a new tree from a base tree and path edits, rewriting only the sub-trees that change.
import { objectSha, parseRawTree, typeOfMode, type BareRepo } from './git-store.js'

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
}

export interface TreeEdit {
  path: string
  /** null deletes the path */
  entry: TreeEntry | null
}

export class TreeEditError extends Error {}

class Dir {
  constructor(readonly entries: Map<string, TreeEntry | Dir>) {}
}

function toEntries(
  raw: { mode: string; name: string; sha: string }[]
): Map<string, TreeEntry | Dir> {
  return new Map(raw.map(e => [e.name, { mode: e.mode, type: typeOfMode(e.mode), sha: e.sha }]))
}

/** git's tree order: byte order of names, with trees compared as if they ended in '/'. */
function sortKey(name: string, isTree: boolean): Buffer {
  return Buffer.from(isTree ? `${name}/` : name, 'utf8')
}

/**
 * Applies `edits` to `baseTree` (or an empty tree); returns the new root id and the raw trees to
 * write. Deleting a path that is not there fails (GitHub's `GitRPC::BadObjectState`) unless
 * `missingDeletions` is 'ignore' (as `git fast-import` takes them).
 */
export async function editTree(
  repo: BareRepo,
  baseTree: string | undefined,
  edits: TreeEdit[],
  missingDeletions: 'fail' | 'ignore' = 'fail'
): Promise<{ sha: string; trees: Buffer[] }> {
  const missing = (): void => {
    if (missingDeletions === 'fail') throw new TreeEditError('GitRPC::BadObjectState')
  }
  const load = async (sha: string): Promise<Dir> => {
    const obj = await repo.readObject(sha)
    if (obj?.type !== 'tree') throw new TreeEditError('GitRPC::BadObjectState')
    return new Dir(toEntries(parseRawTree(obj.content)))
  }

  const root = baseTree ? await load(baseTree) : new Dir(new Map())
  edits: for (const { path, entry } of edits) {
    const parts = path.split('/')
    const leaf = parts.pop() as string
    let dir = root
    for (const part of parts) {
      const child = dir.entries.get(part)
      if (child instanceof Dir) {
        dir = child
      } else if (child?.type === 'tree') {
        const loaded = await load(child.sha)
        dir.entries.set(part, loaded)
        dir = loaded
      } else if (entry === null) {
        missing()
        continue edits
      } else {
        const created = new Dir(new Map())
        dir.entries.set(part, created) // replaces a file in the way, like git would
        dir = created
      }
    }
    if (entry === null) {
      if (!dir.entries.delete(leaf)) missing()
    } else {
      dir.entries.set(leaf, entry)
    }
  }

  // Serialise bottom-up with git's tree format; the caller writes the objects.
  const trees: Buffer[] = []
  const write = (dir: Dir): string | undefined => {
    const rows: { name: string; mode: string; type: string; sha: string }[] = []
    for (const [name, child] of dir.entries) {
      if (child instanceof Dir) {
        const sha = write(child)
        if (sha) rows.push({ name, mode: '040000', type: 'tree', sha })
      } else {
        rows.push({ name, ...child })
      }
    }
    if (rows.length === 0 && dir !== root) return undefined // git keeps no empty directories
    rows.sort((a, b) =>
      Buffer.compare(sortKey(a.name, a.type === 'tree'), sortKey(b.name, b.type === 'tree'))
    )
    const raw = Buffer.concat(
      rows.map(r =>
        Buffer.concat([
          Buffer.from(`${r.mode.replace(/^0/, '')} ${r.name}\0`, 'utf8'),
          Buffer.from(r.sha, 'hex')
        ])
      )
    )
    trees.push(raw)
    return objectSha('tree', raw)
  }
  const sha = write(root) as string
  return { sha, trees }
}
