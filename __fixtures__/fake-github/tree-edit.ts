// Builds a new tree from a base tree and path edits, rewriting only the sub-trees that change.
import { createHash } from 'node:crypto'
import { parseRawTree, typeOfMode, type BareRepo } from './git-store.js'

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

function toEntries(raw: { mode: string; name: string; sha: string }[]): Map<string, TreeEntry | Dir> {
  return new Map(raw.map(e => [e.name, { mode: e.mode, type: typeOfMode(e.mode), sha: e.sha }]))
}

/** git's tree order: byte order of names, with trees compared as if they ended in '/'. */
function sortKey(name: string, isTree: boolean): Buffer {
  return Buffer.from(isTree ? `${name}/` : name, 'utf8')
}

export async function editTree(repo: BareRepo, baseTree: string | undefined, edits: TreeEdit[]): Promise<string> {
  const cache = new Map<string, Map<string, TreeEntry | Dir>>()
  if (baseTree) {
    // Fetch every directory the edits touch in one `cat-file --batch`.
    const dirs = new Set<string>([''])
    for (const { path } of edits) {
      const parts = path.split('/')
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
    }
    const specs = [...dirs].map(d => (d === '' ? baseTree : `${baseTree}:${d}`))
    for (const obj of await repo.readObjects(specs)) {
      if (obj?.type === 'tree') cache.set(obj.sha, toEntries(parseRawTree(obj.content)))
    }
  }
  const load = async (sha: string): Promise<Dir> => {
    let entries = cache.get(sha)
    if (!entries) {
      const obj = await repo.readObject(sha)
      if (obj?.type !== 'tree') throw new TreeEditError('GitRPC::BadObjectState')
      entries = toEntries(parseRawTree(obj.content))
    }
    return new Dir(new Map(entries)) // each Dir owns its own copy
  }

  const root = baseTree ? await load(baseTree) : new Dir(new Map())
  for (const { path, entry } of edits) {
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
        throw new TreeEditError('GitRPC::BadObjectState')
      } else {
        const created = new Dir(new Map())
        dir.entries.set(part, created) // replaces a file in the way, like git would
        dir = created
      }
    }
    if (entry === null) {
      if (!dir.entries.delete(leaf)) throw new TreeEditError('GitRPC::BadObjectState')
    } else {
      dir.entries.set(leaf, entry)
    }
  }

  // Serialise bottom-up; compute shas locally so every tree goes to git in a single mktree call.
  const inputs: Buffer[] = []
  const expected: string[] = []
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
    if (rows.length === 0) return undefined
    rows.sort((a, b) => Buffer.compare(sortKey(a.name, a.type === 'tree'), sortKey(b.name, b.type === 'tree')))
    const raw = Buffer.concat(
      rows.map(r =>
        Buffer.concat([Buffer.from(`${r.mode.replace(/^0/, '')} ${r.name}\0`, 'utf8'), Buffer.from(r.sha, 'hex')])
      )
    )
    const sha = createHash('sha1')
      .update(Buffer.concat([Buffer.from(`tree ${raw.length}\0`), raw]))
      .digest('hex')
    inputs.push(Buffer.from(rows.map(r => `${r.mode} ${r.type} ${r.sha}\t${r.name}\0`).join(''), 'utf8'))
    expected.push(sha)
    return sha
  }
  write(root)
  if (inputs.length === 0) {
    inputs.push(Buffer.alloc(0)) // the empty tree
    expected.push('4b825dc642cb6eb9a060e54bf8d69288fbee4904')
  }
  const written = await repo.writeTrees(inputs)
  if (written.join() !== expected.join()) {
    throw new Error(`tree sha mismatch: git wrote ${written.join()} expected ${expected.join()}`)
  }
  return expected[expected.length - 1] as string
}
