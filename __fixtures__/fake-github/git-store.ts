// One bare repository on disk, driven by git plumbing (no worktrees, no shell).
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { open, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { constants, deflateSync, inflateSync } from 'node:zlib'
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

/** Like Promise.all(items.map(fn)) with at most `limit` calls in flight (keeps file handles bounded). */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export function specToEntry(spec: FileSpec): { mode: string; data?: Buffer; sha?: string } {
  if (typeof spec === 'string') return { mode: '100644', data: Buffer.from(spec, 'utf8') }
  if (Buffer.isBuffer(spec)) return { mode: '100644', data: spec }
  if ('symlink' in spec) return { mode: '120000', data: Buffer.from(spec.symlink, 'utf8') }
  if ('submodule' in spec) {
    if (!SHA_RE.test(spec.submodule))
      throw new Error(`submodule sha must be 40 hex: ${spec.submodule}`)
    return { mode: '160000', sha: spec.submodule }
  }
  const data = typeof spec.content === 'string' ? Buffer.from(spec.content, 'utf8') : spec.content
  return { mode: spec.mode ?? '100644', data }
}

/** The object id git gives an object of this type and content. */
export function objectSha(type: string, data: Buffer): string {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex')
}

export const blobSha = (data: Buffer): string => objectSha('blob', data)

const PACK_TYPES = { commit: 1, tree: 2, blob: 3 } as const

/** A version 2 pack of undeltified objects, as `git unpack-objects` reads it. */
export function buildPack(objects: { type: keyof typeof PACK_TYPES; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(12)
  header.write('PACK', 0, 'latin1')
  header.writeUInt32BE(2, 4)
  header.writeUInt32BE(objects.length, 8)
  const parts: Buffer[] = [header]
  for (const { type, data } of objects) {
    let size = data.length
    let byte = (PACK_TYPES[type] << 4) | (size & 0x0f)
    size = Math.floor(size / 16)
    const bytes: number[] = []
    while (size > 0) {
      bytes.push(byte | 0x80)
      byte = size & 0x7f
      size = Math.floor(size / 128)
    }
    bytes.push(byte)
    parts.push(Buffer.from(bytes), deflateSync(data))
  }
  const body = Buffer.concat(parts)
  return Buffer.concat([body, createHash('sha1').update(body).digest()])
}

export function gitDate(seconds: number, tz = '+0000'): string {
  return `${seconds} ${tz}`
}

const ASK_GIT = Symbol('ask git')
type AskGit = typeof ASK_GIT

export class BareRepo {
  readonly mutex = new Mutex()
  /**
   * Objects already read, by sha: trees and commits whole, blobs by header. Git objects never change
   * and this fake never prunes, so a real server's object cache is what this models.
   */
  private readonly known = new Map<string, GitObject>()
  /**
   * Objects the fake's own helpers wrote (writeLoose) whose files are not written yet, whole; gone
   * (undefined) once `materialize` wrote them, from when on everything is written at once.
   */
  private pending: Map<string, GitObject> | undefined
  /**
   * Ref values (undefined: no such ref) as this process last read or wrote them, kept while the
   * repository is this process's alone: a git command it starts may move refs and clears them, and
   * once its directory is handed out (`handOut`) refs are read from disk every time. A listing of
   * thousands of repositories reads two refs of each, most of them missing, on every page.
   */
  private refValues: Map<string, string | undefined> | undefined
  /** Bumped when a git command starts and when it ends: a read across one keeps nothing. */
  private generation = 0
  constructor(readonly dir: string) {}

  /**
   * Creates a bare repository as `git init --bare --template= --initial-branch=<branch>` does
   * (HEAD, config with gc and reflogs off, objects/, refs/heads/), without starting git. Its
   * objects stay in memory until git or a caller needs them on disk (see `materialize`): on a slow
   * disk a seeded repository's dozen object files and their directories cost more than the rest.
   */
  static create(dir: string, defaultBranch: string): BareRepo {
    if (!isValidRefName(`refs/heads/${defaultBranch}`))
      throw new Error(`invalid branch name ${defaultBranch}`)
    mkdirSync(dir, { recursive: true })
    for (const sub of ['objects', 'refs', 'refs/heads']) {
      try {
        mkdirSync(path.join(dir, sub))
      } catch (e) {
        // a `root` given again: what is there is taken over, as `git init` does
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
    }
    writeFileSync(path.join(dir, 'HEAD'), `ref: refs/heads/${defaultBranch}\n`)
    writeFileSync(
      path.join(dir, 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n' +
        '[gc]\n\tauto = 0\n[core]\n\tlogAllRefUpdates = false\n'
    )
    const repo = new BareRepo(dir)
    repo.pending = new Map()
    repo.refValues = new Map()
    return repo
  }

  /**
   * The directory, for whoever wants to run git on it: every object is written out and, since
   * that git may change refs behind this process's back, refs are no longer kept in memory.
   */
  handOut(): string {
    this.materialize()
    this.refValues = undefined
    return this.dir
  }

  /**
   * Writes the objects still held in memory as loose object files, so that git (and whoever
   * inspects the directory) finds everything its refs name; from then on objects are written at
   * once. Every git command this class starts comes after it.
   */
  materialize(): void {
    const pending = this.pending
    if (!pending) return
    for (const obj of pending.values()) this.writeObjectFile(obj.sha, obj.type, obj.content)
    this.pending = undefined
  }

  /** One loose object file as git writes it: zlib-deflated `<type> <size>\\0<data>`, read-only. */
  private writeObjectFile(sha: string, type: ObjectType, data: Buffer): void {
    const dir = path.join(this.dir, 'objects', sha.slice(0, 2))
    const file = path.join(dir, sha.slice(2))
    if (existsSync(file)) return
    mkdirSync(dir, { recursive: true })
    // an object is named by no ref until it is complete: no reader can find a partial file
    const header = Buffer.from(`${type} ${data.length}\0`, 'latin1')
    writeFileSync(file, deflateSync(Buffer.concat([header, data]), { level: 1 }), {
      mode: 0o444,
      flag: 'wx'
    })
  }

  async run(
    args: string[],
    input?: string | Buffer,
    env?: Record<string, string>
  ): Promise<GitResult> {
    this.materialize()
    this.refValues?.clear()
    this.generation++
    try {
      return await runGit(this.dir, args, input, env)
    } finally {
      this.refValues?.clear()
      this.generation++
    }
  }

  async ok(args: string[], input?: string | Buffer, env?: Record<string, string>): Promise<Buffer> {
    const result = await this.run(args, input, env)
    if (result.code !== 0) throw new GitError(args, result)
    return result.stdout
  }

  /** Resolves a revision expression (`refs/heads/x`, `sha^{tree}`, ...) with rev-parse, or undefined. */
  async resolve(rev: string): Promise<string | undefined> {
    if (rev.startsWith('-') || rev.includes('\n')) return undefined
    const result = await this.run(['rev-parse', '--verify', '--quiet', rev])
    const sha = result.stdout.toString('utf8').trim()
    return result.code === 0 && SHA_RE.test(sha) ? sha : undefined
  }

  // ---- reads ------------------------------------------------------------------------------------
  // Reads go to git's on-disk format directly (loose refs and loose objects, which is all this
  // fake ever writes: gc is off and fast-import unpacks) and fall back to the git CLI otherwise,
  // e.g. after someone ran `git gc` or `git pack-refs` on a repository by hand.

  /** A ref's sha (refs are never symbolic here), or undefined. */
  async readRef(ref: string): Promise<string | undefined> {
    if (!isValidRefName(ref)) return undefined
    const known = this.refValues
    if (known?.has(ref)) return known.get(ref)
    const generation = this.generation
    let sha: string | undefined
    try {
      // Read at once: a ref is 41 bytes, and four trips through the thread pool (open, stat, read,
      // close) cost the fake more than the rest of a tree read when a run asks a thousand of them.
      const text = readFileSync(path.join(this.dir, ref), 'utf8').trim()
      if (SHA_RE.test(text)) sha = text
    } catch {
      // not a loose ref
    }
    sha ??= (await this.packedRefs()).get(ref)
    if (known && this.refValues === known && this.generation === generation) known.set(ref, sha)
    return sha
  }

  private async packedRefs(): Promise<Map<string, string>> {
    const refs = new Map<string, string>()
    // only `git pack-refs` or `git gc` writes packed-refs, and this process runs neither: while
    // the repository was not handed out there is none
    if (this.refValues) return refs
    let text = ''
    try {
      text = await readFile(path.join(this.dir, 'packed-refs'), 'utf8')
    } catch {
      return refs
    }
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line)
      if (m?.[1] && m[2]) refs.set(m[2], m[1])
    }
    return refs
  }

  async branchHead(branch: string): Promise<string | undefined> {
    return this.readRef(`refs/heads/${branch}`)
  }

  /** Refs whose full name starts with `prefix` (e.g. `refs/heads/`), sorted by name. */
  async refs(prefix = 'refs/'): Promise<RefInfo[]> {
    const found = await this.packedRefs()
    const walk = async (dir: string): Promise<void> => {
      let entries
      try {
        entries = await readdir(path.join(this.dir, dir), { withFileTypes: true })
      } catch {
        return
      }
      for (const e of entries) {
        const name = `${dir}/${e.name}`
        if (e.isDirectory()) await walk(name)
        else if (!e.name.endsWith('.lock')) {
          const sha = (await readFile(path.join(this.dir, name), 'utf8').catch(() => '')).trim()
          if (SHA_RE.test(sha)) found.set(name, sha)
        }
      }
    }
    await walk('refs')
    const list = [...found]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
    const others = list.filter(([ref]) => !ref.startsWith('refs/heads/'))
    const types = await this.objectInfos(others.map(([, sha]) => sha))
    const typeOf = new Map(others.map(([ref], i) => [ref, types[i]?.type ?? 'commit']))
    return list.map(([ref, sha]) => ({ ref, sha, type: typeOf.get(ref) ?? 'commit' }))
  }

  async ref(ref: string): Promise<RefInfo | undefined> {
    const sha = await this.readRef(ref)
    if (!sha) return undefined
    const type = ref.startsWith('refs/heads/')
      ? 'commit'
      : ((await this.objectInfos([sha]))[0]?.type ?? 'commit')
    return { ref, sha, type }
  }

  /** A loose object (header only unless `full`), or undefined if it is not stored loose. */
  private async loose(sha: string, full: boolean): Promise<GitObject | undefined> {
    const pending = this.pending?.get(sha)
    if (pending) return pending
    const known = this.known.get(sha)
    if (known && (!full || known.type !== 'blob')) return known
    const found = await this.readLoose(sha, full)
    if (found?.type === 'blob') this.known.set(sha, { ...found, content: Buffer.alloc(0) })
    else if (found && full) this.known.set(sha, found)
    return found
  }

  private async readLoose(sha: string, full: boolean): Promise<GitObject | undefined> {
    const file = path.join(this.dir, 'objects', sha.slice(0, 2), sha.slice(2))
    let data: Buffer
    try {
      if (full) {
        data = inflateSync(await readFile(file))
      } else {
        const handle = await open(file, 'r')
        try {
          const head = Buffer.alloc(256)
          const { bytesRead } = await handle.read(head, 0, head.length, 0)
          data = inflateSync(head.subarray(0, bytesRead), { finishFlush: constants.Z_SYNC_FLUSH })
        } finally {
          await handle.close()
        }
      }
    } catch {
      return undefined
    }
    const nul = data.indexOf(0)
    const [type, size] = data.toString('latin1', 0, nul).split(' ')
    return {
      sha,
      type: type as ObjectType,
      size: Number(size),
      content: full ? data.subarray(nul + 1) : Buffer.alloc(0)
    }
  }

  private async readMany(specs: string[], full: boolean): Promise<(GitObject | undefined)[]> {
    if (specs.length === 0) return []
    if (specs.some(s => s.includes('\n'))) throw new Error('object name contains a newline')
    const found = await mapLimit(specs, 32, s => this.readWithoutGit(s, full))
    const results = found.map(obj => (obj === ASK_GIT ? undefined : obj))
    const misses = specs.flatMap((_, i) => (found[i] === ASK_GIT ? [i] : []))
    if (misses.length > 0) {
      const args = ['cat-file', full ? '--batch' : '--batch-check']
      const out = await this.ok(args, misses.map(i => specs[i]).join('\n') + '\n')
      parseBatch(out, misses.length, full).forEach((obj, k) => {
        results[misses[k] as number] = obj
      })
    }
    return results
  }

  /** An object by sha or `rev:path` from this process's own reads; ASK_GIT for what they cannot settle. */
  private async readWithoutGit(
    spec: string,
    full: boolean
  ): Promise<GitObject | undefined | AskGit> {
    if (SHA_RE.test(spec)) return (await this.loose(spec, full)) ?? ASK_GIT
    return spec.includes(':') ? this.readAtPath(spec, full) : ASK_GIT
  }

  /**
   * A `rev:path` expression whose rev is HEAD, a full ref or a sha, walked through loose trees
   * without starting git (a spawn stalls this process for tens of milliseconds once it is large).
   * undefined: the path is not there; ASK_GIT: anything this walk does not settle.
   */
  private async readAtPath(spec: string, full: boolean): Promise<GitObject | undefined | AskGit> {
    const m = /^(HEAD|refs\/heads\/[^:]+|[0-9a-f]{40}):(.*)$/.exec(spec)
    if (!m) return ASK_GIT
    const [, rev = '', filePath = ''] = m
    const segments = filePath === '' ? [] : filePath.split('/')
    if (segments.some(s => s === '' || s === '.' || s === '..')) return ASK_GIT
    const ref = rev === 'HEAD' ? await this.headRef() : rev
    const start = ref && (SHA_RE.test(ref) ? ref : await this.readRef(ref))
    const top = start ? await this.loose(start, true) : undefined
    if (!top) return ASK_GIT
    let sha = top.type === 'commit' ? parseCommit(top.sha, top.content).tree : top.sha
    for (const segment of segments) {
      const tree = await this.loose(sha, true)
      if (!tree) return ASK_GIT
      const entry =
        tree.type === 'tree' ? parseRawTree(tree.content).find(e => e.name === segment) : undefined
      if (!entry) return undefined
      sha = entry.sha
    }
    return (await this.loose(sha, full)) ?? ASK_GIT
  }

  /** The branch HEAD names (`refs/heads/...`), or undefined. */
  private async headRef(): Promise<string | undefined> {
    const text = await readFile(path.join(this.dir, 'HEAD'), 'utf8').catch(() => '')
    return /^ref: (refs\/heads\/\S+)\s*$/.exec(text)?.[1]
  }

  objectInfos(specs: string[]): Promise<(ObjectInfo | undefined)[]> {
    return this.readMany(specs, false)
  }

  readObjects(specs: string[]): Promise<(GitObject | undefined)[]> {
    return this.readMany(specs, true)
  }

  async readObject(spec: string): Promise<GitObject | undefined> {
    return (await this.readObjects([spec]))[0]
  }

  async readCommit(sha: string): Promise<ParsedCommit | undefined> {
    const obj = await this.readObject(sha)
    return obj?.type === 'commit' ? parseCommit(obj.sha, obj.content) : undefined
  }

  /** Tree sha of a tree/commit sha or a branch name; other revisions go through rev-parse. */
  async resolveTree(name: string): Promise<string | undefined> {
    let sha = SHA_RE.test(name) ? name : await this.branchHead(name)
    if (sha) {
      const obj = await this.readObject(sha)
      if (obj?.type === 'tree') return sha
      if (obj?.type === 'commit') return parseCommit(sha, obj.content).tree
      if (obj) return undefined
    }
    sha = await this.resolve(`${name}^{tree}`)
    return sha
  }

  /** Entries of a tree like `git ls-tree -l [-r -t]` (recursive lists trees too, pre-order, like GitHub). */
  async lsTree(treeSha: string, recursive: boolean): Promise<LsTreeEntry[]> {
    const entries: LsTreeEntry[] = []
    const walk = async (sha: string, prefix: string): Promise<boolean> => {
      const tree = await this.loose(sha, true)
      if (tree?.type !== 'tree') return false
      const raw = parseRawTree(tree.content)
      const blobs = raw.filter(e => typeOfMode(e.mode) === 'blob')
      const infos = await mapLimit(blobs, 32, e => this.loose(e.sha, false))
      if (infos.some(i => !i)) return false
      const sizes = new Map(blobs.map((e, i) => [e.sha, infos[i]?.size ?? 0]))
      for (const e of raw) {
        const type = typeOfMode(e.mode)
        const entry: LsTreeEntry = { path: prefix + e.name, mode: e.mode, type, sha: e.sha }
        if (type === 'blob') entry.size = sizes.get(e.sha) ?? 0
        entries.push(entry)
        if (recursive && type === 'tree' && !(await walk(e.sha, `${entry.path}/`))) return false
      }
      return true
    }
    if (await walk(treeSha, '')) return entries
    return this.lsTreeCli(treeSha, recursive)
  }

  private async lsTreeCli(treeSha: string, recursive: boolean): Promise<LsTreeEntry[]> {
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

  /**
   * Writes objects through `git unpack-objects` (one process for any number of blobs and trees) and
   * returns their ids. Ids are computed here with git's algorithm and checked against what git
   * stored, so a mismatch can never go unnoticed.
   */
  async writeObjects(
    objects: { type: 'blob' | 'tree' | 'commit'; data: Buffer }[]
  ): Promise<string[]> {
    if (objects.length === 0) return []
    const shas = objects.map(o => objectSha(o.type, o.data))
    await this.ok(['unpack-objects', '-q'], buildPack(objects))
    const stored = await this.objectInfos(shas)
    stored.forEach((obj, i) => {
      if (obj?.type !== objects[i]?.type)
        throw new Error(`git did not store ${objects[i]?.type} ${shas[i]}`)
    })
    // What was just written is known as if read back, so the next read (a recursive tree right
    // after a commit) answers as fast as any other instead of inflating every new tree from disk.
    // (The check above already keeps blobs' headers.)
    objects.forEach(({ type, data }, i) => {
      const sha = shas[i] as string
      if (type !== 'blob') this.known.set(sha, { sha, type, size: data.length, content: data })
    })
    return shas
  }

  /**
   * Stores objects as git stores loose ones, without starting git, and returns their ids: for the
   * fake's own helpers (seeding, another pusher); `git fsck` checks what they write in the tests.
   * Until the repository is materialized they are only kept in memory. What is written is known as
   * if read back (see writeObjects).
   */
  writeLoose(objects: { type: 'blob' | 'tree' | 'commit'; data: Buffer }[]): string[] {
    return objects.map(({ type, data }) => {
      const sha = objectSha(type, data)
      if (this.pending) this.pending.set(sha, { sha, type, size: data.length, content: data })
      else if (!this.known.has(sha)) this.writeObjectFile(sha, type, data)
      const content = type === 'blob' ? Buffer.alloc(0) : data
      this.known.set(sha, { sha, type, size: data.length, content })
      return sha
    })
  }

  /**
   * Points `ref` at `sha` if it is still at `old` (undefined: must not exist), under git's own
   * lock file (`<ref>.lock`), so a concurrent `git update-ref` fails rather than races it. Returns
   * false when the ref moved or is locked.
   */
  async setRef(ref: string, sha: string, old: string | undefined): Promise<boolean> {
    if (!isValidRefName(ref) || !SHA_RE.test(sha)) throw new Error(`cannot set ${ref} to ${sha}`)
    const file = path.join(this.dir, ref)
    const lock = (): boolean => {
      try {
        writeFileSync(`${file}.lock`, `${sha}\n`, { flag: 'wx' })
        return true
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false
      }
      mkdirSync(path.dirname(file), { recursive: true })
      return lock()
    }
    if (!lock()) return false
    let moved = false
    try {
      moved = (await this.readRef(ref)) !== old
      if (!moved) {
        renameSync(`${file}.lock`, file)
        this.refValues?.set(ref, sha)
      }
    } catch (e) {
      rmSync(`${file}.lock`, { force: true })
      throw e
    }
    if (moved) rmSync(`${file}.lock`, { force: true })
    return !moved
  }

  async writeBlob(content: Buffer): Promise<string> {
    const out = await this.ok(['hash-object', '-w', '--no-filters', '--stdin'], content)
    return out.toString('utf8').trim()
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    author: Ident,
    committer: Ident
  ): Promise<string> {
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
}
