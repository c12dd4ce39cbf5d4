// One bare repository on disk, driven by git plumbing (no worktrees, no shell).
import { appendFile } from 'node:fs/promises'
import { GitError, runGit, type GitResult } from './git.js'
import type { FileSpec } from './types.js'

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag'

export interface ObjectInfo {
  sha: string
  type: ObjectType
  size: number
}

export interface GitObject extends ObjectInfo {
  content: Buffer
}

export interface LsTreeEntry {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  size?: number
}

export interface Ident {
  name: string
  email: string
  /** seconds since epoch */
  time: number
  tz: string
}

export interface ParsedCommit {
  sha: string
  tree: string
  parents: string[]
  author: Ident
  committer: Ident
  message: string
  signed: boolean
}

export interface RefInfo {
  ref: string
  sha: string
  type: ObjectType
}

export const SHA_RE = /^[0-9a-f]{40}$/
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

/** A subset of git check-ref-format rules, enough to keep odd names away from git's CLI. */
export function isValidRefName(ref: string): boolean {
  if (!ref.startsWith('refs/') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) {
    return false
  }
  if ([...ref].some(ch => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f)) return false
  if (/[~^:?*[\\]|\.\.|@\{|\/\/|\/\.|^@$/.test(ref)) return false
  return ref.split('/').length >= 3
}

/** Serialises a small async critical section per key (here: per repository). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

function parseIdent(line: string): Ident {
  const m = /^(.*) <(.*)> (-?\d+) ([+-]\d{4})$/.exec(line)
  if (!m) return { name: line, email: '', time: 0, tz: '+0000' }
  return { name: m[1] ?? '', email: m[2] ?? '', time: Number(m[3]), tz: m[4] ?? '+0000' }
}

export function parseCommit(sha: string, content: Buffer): ParsedCommit {
  const text = content.toString('utf8')
  const split = text.indexOf('\n\n')
  const header = split === -1 ? text : text.slice(0, split)
  const message = split === -1 ? '' : text.slice(split + 2)
  const commit: ParsedCommit = {
    sha,
    tree: '',
    parents: [],
    author: parseIdent(''),
    committer: parseIdent(''),
    message,
    signed: false
  }
  for (const line of header.split('\n')) {
    if (line.startsWith(' ')) continue // continuation (gpgsig)
    const space = line.indexOf(' ')
    const key = line.slice(0, space)
    const value = line.slice(space + 1)
    if (key === 'tree') commit.tree = value
    else if (key === 'parent') commit.parents.push(value)
    else if (key === 'author') commit.author = parseIdent(value)
    else if (key === 'committer') commit.committer = parseIdent(value)
    else if (key === 'gpgsig' || key === 'gpgsig-sha256') commit.signed = true
  }
  return commit
}

/** Parses a raw (binary) tree object. */
export function parseRawTree(content: Buffer): { mode: string; name: string; sha: string }[] {
  const entries: { mode: string; name: string; sha: string }[] = []
  let i = 0
  while (i < content.length) {
    const space = content.indexOf(0x20, i)
    const nul = content.indexOf(0, space)
    const mode = content.toString('latin1', i, space)
    entries.push({
      mode: mode.length === 5 ? `0${mode}` : mode,
      name: content.toString('utf8', space + 1, nul),
      sha: content.toString('hex', nul + 1, nul + 21)
    })
    i = nul + 21
  }
  return entries
}

export function typeOfMode(mode: string): 'blob' | 'tree' | 'commit' {
  if (mode === '040000' || mode === '40000') return 'tree'
  if (mode === '160000') return 'commit'
  return 'blob'
}

/** Parses `git cat-file --batch` (withContent) or `--batch-check` output, one result per input line. */
function parseBatch(out: Buffer, count: number, withContent: boolean): (GitObject | undefined)[] {
  const results: (GitObject | undefined)[] = []
  let i = 0
  for (let n = 0; n < count; n++) {
    const nl = out.indexOf(0x0a, i)
    const line = out.toString('utf8', i, nl === -1 ? out.length : nl)
    i = nl + 1
    const parts = line.split(' ')
    const type = parts[parts.length - 2]
    const size = Number(parts[parts.length - 1])
    if (parts.length !== 3 || !SHA_RE.test(parts[0] ?? '') || Number.isNaN(size)) {
      results.push(undefined) // "<name> missing" / "ambiguous"
      continue
    }
    let content: Buffer = Buffer.alloc(0)
    if (withContent) {
      content = out.subarray(i, i + size)
      i += size + 1
    }
    results.push({ sha: parts[0] ?? '', type: type as ObjectType, size, content })
  }
  return results
}

function quotePath(path: string): string {
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

export function specToEntry(spec: FileSpec): { mode: string; data?: Buffer; sha?: string } {
  if (typeof spec === 'string') return { mode: '100644', data: Buffer.from(spec, 'utf8') }
  if (Buffer.isBuffer(spec)) return { mode: '100644', data: spec }
  if ('symlink' in spec) return { mode: '120000', data: Buffer.from(spec.symlink, 'utf8') }
  if ('submodule' in spec) {
    if (!SHA_RE.test(spec.submodule)) throw new Error(`submodule sha must be 40 hex: ${spec.submodule}`)
    return { mode: '160000', sha: spec.submodule }
  }
  const data = typeof spec.content === 'string' ? Buffer.from(spec.content, 'utf8') : spec.content
  return { mode: spec.mode ?? '100644', data }
}

export function gitDate(seconds: number, tz = '+0000'): string {
  return `${seconds} ${tz}`
}

export class BareRepo {
  readonly mutex = new Mutex()
  constructor(readonly dir: string) {}

  static async init(dir: string, defaultBranch: string): Promise<BareRepo> {
    const result = await runGit(undefined, [
      'init',
      '--quiet',
      '--bare',
      '--template=',
      `--initial-branch=${defaultBranch}`,
      dir
    ])
    if (result.code !== 0) throw new GitError(['init', dir], result)
    await appendFile(`${dir}/config`, '[gc]\n\tauto = 0\n[core]\n\tlogAllRefUpdates = false\n')
    return new BareRepo(dir)
  }

  run(args: string[], input?: string | Buffer, env?: Record<string, string>): Promise<GitResult> {
    return runGit(this.dir, args, input, env)
  }

  async ok(args: string[], input?: string | Buffer, env?: Record<string, string>): Promise<Buffer> {
    const result = await this.run(args, input, env)
    if (result.code !== 0) throw new GitError(args, result)
    return result.stdout
  }

  /** Resolves a revision expression (`refs/heads/x`, `sha^{tree}`, ...) or undefined. */
  async resolve(rev: string): Promise<string | undefined> {
    if (rev.startsWith('-') || rev.includes('\n')) return undefined
    const result = await this.run(['rev-parse', '--verify', '--quiet', rev])
    const sha = result.stdout.toString('utf8').trim()
    return result.code === 0 && SHA_RE.test(sha) ? sha : undefined
  }

  async branchHead(branch: string): Promise<string | undefined> {
    const ref = `refs/heads/${branch}`
    if (!isValidRefName(ref)) return undefined
    return this.resolve(`${ref}^{commit}`)
  }

  /** Refs under a prefix (a full ref name such as `refs/heads/` or `refs/heads/main`). */
  async refs(prefix = 'refs/'): Promise<RefInfo[]> {
    const out = await this.ok(['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', prefix])
    return out
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [sha = '', type = '', ...rest] = line.split(' ')
        return { sha, type: type as ObjectType, ref: rest.join(' ') }
      })
  }

  async ref(ref: string): Promise<RefInfo | undefined> {
    if (!isValidRefName(ref)) return undefined
    return (await this.refs(ref)).find(r => r.ref === ref)
  }

  async objectInfos(specs: string[]): Promise<(ObjectInfo | undefined)[]> {
    if (specs.length === 0) return []
    if (specs.some(s => s.includes('\n'))) throw new Error('object name contains a newline')
    const out = await this.ok(['cat-file', '--batch-check'], specs.join('\n') + '\n')
    return parseBatch(out, specs.length, false)
  }

  async readObjects(specs: string[]): Promise<(GitObject | undefined)[]> {
    if (specs.length === 0) return []
    if (specs.some(s => s.includes('\n'))) throw new Error('object name contains a newline')
    const out = await this.ok(['cat-file', '--batch'], specs.join('\n') + '\n')
    return parseBatch(out, specs.length, true)
  }

  async readObject(spec: string): Promise<GitObject | undefined> {
    return (await this.readObjects([spec]))[0]
  }

  async readCommit(sha: string): Promise<ParsedCommit | undefined> {
    const obj = await this.readObject(sha)
    return obj?.type === 'commit' ? parseCommit(obj.sha, obj.content) : undefined
  }

  /** `git ls-tree -l` of a tree sha; recursive lists trees too (pre-order), like GitHub. */
  async lsTree(treeSha: string, recursive: boolean): Promise<LsTreeEntry[]> {
    const args = ['ls-tree', '-l', '-z', ...(recursive ? ['-r', '-t'] : []), treeSha]
    const out = (await this.ok(args)).toString('utf8')
    const entries: LsTreeEntry[] = []
    for (const record of out.split('\0')) {
      if (!record) continue
      const tab = record.indexOf('\t')
      const [mode = '', type = '', sha = '', size = '-'] = record.slice(0, tab).split(/ +/)
      const entry: LsTreeEntry = {
        path: record.slice(tab + 1),
        mode,
        type: type as LsTreeEntry['type'],
        sha
      }
      if (type === 'blob') entry.size = Number(size)
      entries.push(entry)
    }
    return entries
  }

  /** Writes blobs; returns their shas in order. */
  async writeBlobs(contents: Buffer[]): Promise<string[]> {
    if (contents.length === 0) return []
    // fast-import writes many blobs in one process; `get-mark` prints each sha.
    const chunks: Buffer[] = []
    contents.forEach((data, i) => {
      chunks.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${data.length}\n`), data, Buffer.from('\n'))
    })
    contents.forEach((_, i) => chunks.push(Buffer.from(`get-mark :${i + 1}\n`)))
    const out = await this.ok(['fast-import', '--quiet', '--done'], Buffer.concat([...chunks, Buffer.from('done\n')]))
    const shas = out.toString('utf8').trim().split('\n')
    if (shas.length !== contents.length) throw new Error('fast-import returned an unexpected number of marks')
    return shas
  }

  async writeBlob(content: Buffer): Promise<string> {
    const out = await this.ok(['hash-object', '-w', '--no-filters', '--stdin'], content)
    return out.toString('utf8').trim()
  }

  /** Writes trees given as `git mktree -z` inputs (children before parents); returns their shas. */
  async writeTrees(inputs: Buffer[]): Promise<string[]> {
    if (inputs.length === 0) return []
    const nul = Buffer.from([0])
    const parts: Buffer[] = []
    for (const input of inputs) parts.push(input, nul)
    const out = await this.ok(['mktree', '-z', '--batch'], Buffer.concat(parts))
    return out.toString('utf8').trim().split('\n')
  }

  async commitTree(tree: string, parents: string[], message: string, author: Ident, committer: Ident): Promise<string> {
    const args = ['commit-tree', tree, ...parents.flatMap(p => ['-p', p]), '-F', '-']
    const out = await this.ok(args, message, {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: gitDate(author.time, author.tz),
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: gitDate(committer.time, committer.tz)
    })
    return out.toString('utf8').trim()
  }

  /** Compare-and-swap: old '' means "must not exist". Returns false when the ref moved meanwhile. */
  async updateRef(ref: string, newSha: string, oldSha: string): Promise<boolean> {
    const result = await this.run(['update-ref', '--no-deref', ref, newSha, oldSha])
    return result.code === 0
  }

  async deleteRef(ref: string, oldSha: string): Promise<boolean> {
    const result = await this.run(['update-ref', '--no-deref', '-d', ref, oldSha])
    return result.code === 0
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.run(['merge-base', '--is-ancestor', ancestor, descendant])
    return result.code === 0
  }

  /**
   * Commits `changes` (null deletes) on top of `parent` (or as a root commit) with fast-import and
   * moves `refs/heads/<branch>` there (fast-import refuses a non fast-forward). Returns the sha.
   */
  async importCommit(
    branch: string,
    parent: string | undefined,
    changes: Record<string, FileSpec | null>,
    message: string,
    ident: Ident
  ): Promise<string> {
    const chunks: Buffer[] = []
    const msg = Buffer.from(message, 'utf8')
    const who = `${ident.name} <${ident.email}> ${ident.time} ${ident.tz}`
    chunks.push(
      Buffer.from(`commit refs/heads/${branch}\nmark :1\nauthor ${who}\ncommitter ${who}\ndata ${msg.length}\n`),
      msg,
      Buffer.from('\n')
    )
    if (parent) chunks.push(Buffer.from(`from ${parent}\n`))
    for (const [path, spec] of Object.entries(changes)) {
      if (spec === null) {
        chunks.push(Buffer.from(`D ${quotePath(path)}\n`))
        continue
      }
      const entry = specToEntry(spec)
      if (entry.sha) {
        chunks.push(Buffer.from(`M ${entry.mode} ${entry.sha} ${quotePath(path)}\n`))
      } else {
        const data = entry.data ?? Buffer.alloc(0)
        chunks.push(Buffer.from(`M ${entry.mode} inline ${quotePath(path)}\ndata ${data.length}\n`), data, Buffer.from('\n'))
      }
    }
    chunks.push(Buffer.from('\nget-mark :1\ndone\n'))
    const out = await this.ok(['fast-import', '--quiet', '--done', '--date-format=raw'], Buffer.concat(chunks))
    return out.toString('utf8').trim()
  }
}
