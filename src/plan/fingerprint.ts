/** Git object IDs computed here: the tree a folder must have to hold exactly some files, and the roots of patterns. */
import { createHash } from 'node:crypto'
import { parseGlob } from '../inputs/glob-syntax.js'
import { TREE_MODE } from '../model.js'

/** A file to place in a tree: its path, git mode and blob ID. */
export interface TreeInput {
  path: string
  mode: string
  sha: string
}

interface Node {
  /** Files of this folder: name -> mode and blob ID. */
  files: Map<string, { mode: string; sha: string }>
  folders: Map<string, Node>
}

/**
 * The object ID git gives the folder `folder` (with a trailing slash) when it holds exactly the
 * given files below it; undefined when none is below it (git keeps no empty folder). Paths
 * elsewhere are ignored.
 */
export function folderOid(files: Iterable<TreeInput>, folder: string): string | undefined {
  const root: Node = { files: new Map(), folders: new Map() }
  let any = false
  for (const file of files) {
    if (!file.path.startsWith(folder)) continue
    const segments = file.path.slice(folder.length).split('/')
    const name = segments.pop() as string
    let node = root
    for (const segment of segments) {
      let next = node.folders.get(segment)
      if (!next) {
        next = { files: new Map(), folders: new Map() }
        node.folders.set(segment, next)
      }
      node = next
    }
    node.files.set(name, { mode: file.mode, sha: file.sha })
    any = true
  }
  return any ? nodeOid(root) : undefined
}

function nodeOid(node: Node): string {
  const entries: { name: string; key: string; mode: string; sha: string }[] = []
  for (const [name, file] of node.files) entries.push({ name, key: name, ...file })
  for (const [name, folder] of node.folders) {
    entries.push({ name, key: `${name}/`, mode: TREE_MODE, sha: nodeOid(folder) })
  }
  return treeOid(entries)
}

/**
 * The ID of a tree object with these entries, as git computes it: entries in the order of their
 * names, a folder's name compared as if it ended with '/' (`key`), each `mode name\0<20 bytes>`.
 */
export function treeOid(
  entries: { name: string; key?: string; mode: string; sha: string }[]
): string {
  const sorted = [...entries].sort((a, b) => compareBytes(a.key ?? a.name, b.key ?? b.name))
  const parts = sorted.map(entry =>
    Buffer.concat([
      Buffer.from(`${entry.mode} ${entry.name}\0`, 'utf8'),
      Buffer.from(entry.sha, 'hex')
    ])
  )
  const body = Buffer.concat(parts)
  return createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex')
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/**
 * The fixed roots of path globs: for each, the path its wildcards start below (`docs/**` ->
 * `docs`, `README.md` -> `README.md`, `{docs,guides}/*.md` -> `docs` and `guides`), a root
 * inside another left out. Undefined when a glob has none (`**` or `*.md` at the top): then any
 * path may match it.
 */
export function patternRoots(patterns: string[]): string[] | undefined {
  const roots = new Set<string>()
  for (const pattern of patterns) {
    for (const alternative of parseGlob(pattern, 'path').alternatives) {
      const literal: string[] = []
      for (const segment of alternative) {
        if (segment.kind !== 'segment' || !segment.tokens.every(token => token.kind === 'literal'))
          break
        literal.push(
          segment.tokens.map(token => (token.kind === 'literal' ? token.char : '')).join('')
        )
      }
      if (literal.length === 0) return undefined
      roots.add(literal.join('/'))
    }
  }
  const all = [...roots].sort()
  return all.filter(root => !all.some(other => other !== root && root.startsWith(`${other}/`)))
}
