// In-memory records of organisations, repositories and pull requests, each repo a bare git repo.
import path from 'node:path'
import { AppRegistry } from './apps.js'
import { FaultBook } from './faults.js'
import { BareRepo, blobSha, specToEntry, typeOfMode, type Ident } from './git-store.js'
import { editTree, type TreeEdit } from './tree-edit.js'
import type { FileSpec, ProtectedBranch, RepoOptions } from './types.js'

export interface Verification {
  verified: boolean
  reason: string
  signature: string | null
  payload: string | null
  verified_at: string | null
}

export interface PullState {
  number: number
  title: string
  body: string | null
  head: string
  base: string
  state: 'open' | 'closed'
  draft: boolean
  /** login of the credential that opened it */
  author: string
  /** label names (keys of RepoRecord.labels, as first spelled) */
  labels: string[]
  requestedReviewers: string[]
  requestedTeams: string[]
  createdAt: string
  updatedAt: string
}

/** A comment on an issue or pull request (the fake's issues are its pull requests). */
export interface CommentState {
  /** GitHub-wide comment id */
  id: number
  /** number of the pull request it is on */
  issue: number
  body: string
  /** login of the credential that wrote it */
  author: string
  createdAt: string
  updatedAt: string
}

export interface LabelState {
  id: number
  name: string
  color: string
}

export interface RepoRecord {
  id: number
  owner: string
  name: string
  git: BareRepo
  defaultBranch: string
  archived: boolean
  fork: boolean
  disabled: boolean
  isTemplate: boolean
  topics: string[]
  visibility: 'public' | 'private' | 'internal'
  empty: boolean
  createdAt: string
  pushedAt: string
  pulls: PullState[]
  /** comments on its pull requests, oldest first */
  comments: CommentState[]
  /** the repository's labels by lower-case name (GitHub creates missing ones when adding) */
  labels: Map<string, LabelState>
  protectedBranches: ProtectedBranch[]
  /** verification of commits created through the API */
  verifications: Map<string, Verification>
}

export interface OrgRecord {
  login: string
  id: number
}

/** Identity of commits made by the fake's own helpers (like another pusher). */
export const HELPER_IDENT = { name: 'octocat', email: 'octocat@users.noreply.github.com' }

/**
 * How GitHub refuses a direct update of a protected branch: REST `PATCH git/refs` answers 422 with
 * the message, GraphQL `createCommitOnBranch` a FORBIDDEN error with it.
 */
export function refusal(p: ProtectedBranch, surface: 'rest' | 'graphql'): string {
  if (p.kind === 'ruleset')
    return 'Repository rule violations found\n\nChanges must be made through a pull request.\n\n'
  return surface === 'rest'
    ? `Protected branch update failed for refs/heads/${p.branch}.`
    : `protected branch '${p.branch}' check failed:\n  Changes must be made through a pull request.`
}

const key = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase()

/** Serialized answers by key, the least recently used dropped beyond `budget` bytes. */
export class RenderedCache {
  private readonly entries = new Map<string, Buffer>()
  private bytes = 0

  constructor(private readonly budget: number) {}

  async get(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const known = this.entries.get(key)
    if (known) {
      this.entries.delete(key)
      this.entries.set(key, known)
      return known
    }
    const rendered = await render()
    this.entries.set(key, rendered)
    this.bytes += rendered.length
    for (const [oldest, body] of this.entries) {
      if (this.bytes <= this.budget) break
      this.entries.delete(oldest)
      this.bytes -= body.length
    }
    return rendered
  }
}

export class Backend {
  readonly repos = new Map<string, RepoRecord>()
  /** Each owner's repositories in creation order (by id), by lower-case login. */
  private readonly owned = new Map<string, RepoRecord[]>()
  readonly orgs = new Map<string, OrgRecord>()
  readonly faults = new FaultBook()
  readonly apps = new AppRegistry(this)
  /** Tree answers as sent, by address: a tree never changes, and GitHub serves them from a cache. */
  readonly renderedTrees = new RenderedCache(64 * 1024 * 1024)
  private nextRepoId = 1000
  private nextOrgId = 100
  private nextLabelId = 5000
  private nextRulesetId = 7_100_001
  /** The id of each repository's ruleset (one a repository, holding its `ruleset` branches) */
  private readonly rulesetIds = new WeakMap<RepoRecord, number>()
  /** GitHub's comment ids are int64 and long past 2^31: so are the fake's */
  private nextCommentId = 3_000_000_001

  constructor(
    readonly root: string,
    readonly treeEntryLimit: number
  ) {}

  find(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(key(owner, name))
  }

  /** Forgets a repository, as GitHub does once it is deleted (its bare repository stays on disk). */
  deleteRepo(owner: string, name: string): void {
    const rec = this.find(owner, name)
    if (!rec) return
    this.repos.delete(key(owner, name))
    const list = this.owned.get(rec.owner.toLowerCase()) ?? []
    const at = list.indexOf(rec)
    if (at !== -1) list.splice(at, 1)
  }

  /** The repositories of `owner` in creation order (ascending ids, GitHub's default order). */
  ownedBy(owner: string): readonly RepoRecord[] {
    return this.owned.get(owner.toLowerCase()) ?? []
  }

  private register(rec: RepoRecord): void {
    this.repos.set(key(rec.owner, rec.name), rec)
    const login = rec.owner.toLowerCase()
    const list = this.owned.get(login) ?? []
    // creations overlap (each awaits git): keep the list in id order whatever order they end in
    let at = list.length
    while (at > 0 && (list[at - 1] as RepoRecord).id > rec.id) at--
    list.splice(at, 0, rec)
    this.owned.set(login, list)
  }

  get(owner: string, name: string): RepoRecord {
    const rec = this.find(owner, name)
    if (!rec) throw new Error(`fake-github: no repository ${owner}/${name}`)
    return rec
  }

  org(login: string): OrgRecord | undefined {
    return this.orgs.get(login.toLowerCase())
  }

  ensureOrg(login: string): OrgRecord {
    let org = this.org(login)
    if (!org) {
      org = { login, id: this.nextOrgId++ }
      this.orgs.set(login.toLowerCase(), org)
    }
    return org
  }

  label(rec: RepoRecord, name: string): LabelState {
    let label = rec.labels.get(name.toLowerCase())
    if (!label) {
      label = { id: this.nextLabelId++, name, color: 'ededed' }
      rec.labels.set(name.toLowerCase(), label)
    }
    return label
  }

  commentId(): number {
    return this.nextCommentId++
  }

  /** The id of the repository's ruleset, the same on every call. */
  rulesetId(rec: RepoRecord): number {
    let id = this.rulesetIds.get(rec)
    if (id === undefined) {
      id = this.nextRulesetId++
      this.rulesetIds.set(rec, id)
    }
    return id
  }

  /** The protection of `branch`, if the repository protects it. */
  protection(rec: RepoRecord, branch: string): ProtectedBranch | undefined {
    return rec.protectedBranches.find(p => p.branch === branch)
  }

  async createRepo(owner: string, name: string, options: RepoOptions = {}): Promise<RepoRecord> {
    if (this.find(owner, name))
      throw new Error(`fake-github: repository ${owner}/${name} already exists`)
    if (!/^[A-Za-z0-9_.-]+$/.test(owner) || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new Error(`fake-github: invalid repository name ${owner}/${name}`)
    }
    this.ensureOrg(owner)
    const id = this.nextRepoId++
    const defaultBranch = options.defaultBranch ?? 'main'
    const git = BareRepo.create(path.join(this.root, `${id}.git`), defaultBranch)
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    const rec: RepoRecord = {
      id,
      owner,
      name,
      git,
      defaultBranch,
      archived: options.archived ?? false,
      fork: options.fork ?? false,
      disabled: options.disabled ?? false,
      isTemplate: options.isTemplate ?? false,
      topics: [...(options.topics ?? [])],
      visibility: options.visibility ?? 'private',
      empty: true,
      createdAt: now,
      pushedAt: now,
      pulls: [],
      comments: [],
      labels: new Map(),
      protectedBranches: (options.protectedBranches ?? []).map(p => ({ ...p })),
      verifications: new Map()
    }
    this.register(rec)
    if (!options.empty) {
      const files = options.files ?? { 'README.md': `# ${name}\n` }
      await this.commitLocked(rec, defaultBranch, files, 'Initial commit')
    }
    return rec
  }

  /** Commits on top of `branch` (created from the default branch if missing). Caller holds the repo mutex. */
  async commitLocked(
    rec: RepoRecord,
    branch: string,
    changes: Record<string, FileSpec | null>,
    message: string
  ): Promise<string> {
    const parent =
      (await rec.git.branchHead(branch)) ??
      (rec.empty ? undefined : await rec.git.branchHead(rec.defaultBranch))
    return this.commitOnRef(rec, `refs/heads/${branch}`, parent, changes, message)
  }

  /**
   * Commits `changes` (null deletes; a path that is not there is no error) on `parent` (or as a
   * root commit) as the helper identity and points `ref` there, which must be at `parent` or an
   * ancestor of it, or missing. Objects are written in-process (BareRepo.writeLoose): a test's or a
   * benchmark's seeding starts no git process. Caller holds the mutex. Returns the sha.
   */
  async commitOnRef(
    rec: RepoRecord,
    ref: string,
    parent: string | undefined,
    changes: Record<string, FileSpec | null>,
    message: string
  ): Promise<string> {
    const ident: Ident = { ...HELPER_IDENT, time: Math.floor(Date.now() / 1000), tz: '+0000' }
    const { git } = rec
    const old = await git.readRef(ref)
    if (old !== undefined && old !== parent && !(parent && (await git.isAncestor(old, parent))))
      throw new Error(`fake-github: ${ref} is at ${old}, not an ancestor of ${parent ?? 'nothing'}`)
    const base = parent ? (await git.readCommit(parent))?.tree : undefined
    if (parent && !base) throw new Error(`fake-github: no commit ${parent}`)
    const blobs: Buffer[] = []
    const edits: TreeEdit[] = Object.entries(changes).map(([file, spec]) => {
      const segments = file.split('/')
      if (segments.some(s => s === '' || s === '.' || s === '..' || s === '.git'))
        throw new Error(`fake-github: invalid path ${JSON.stringify(file)}`)
      if (spec === null) return { path: file, entry: null }
      const { mode, data, sha } = specToEntry(spec)
      if (data) blobs.push(data)
      return {
        path: file,
        entry: { mode, type: typeOfMode(mode), sha: sha ?? blobSha(data ?? Buffer.alloc(0)) }
      }
    })
    const tree = await editTree(git, base, edits, 'ignore')
    const who = (i: Ident) => `${i.name} <${i.email}> ${i.time} ${i.tz}`
    const commit = Buffer.from(
      `tree ${tree.sha}\n${parent ? `parent ${parent}\n` : ''}author ${who(ident)}\ncommitter ${who(ident)}\n\n${message}`,
      'utf8'
    )
    const written = git.writeLoose([
      ...blobs.map(data => ({ type: 'blob' as const, data })),
      ...tree.trees.map(data => ({ type: 'tree' as const, data })),
      { type: 'commit', data: commit }
    ])
    const sha = written[written.length - 1] as string
    if (!(await git.setRef(ref, sha, old)))
      throw new Error(`fake-github: ${ref} moved while committing on it`)
    rec.empty = false
    rec.pushedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    return sha
  }

  commit(
    rec: RepoRecord,
    branch: string,
    changes: Record<string, FileSpec | null>,
    message: string
  ): Promise<string> {
    return rec.git.mutex.run(() => this.commitLocked(rec, branch, changes, message))
  }

  /** "Another pusher" of the move-branch faults armed for an existing branch. Caller holds the mutex. */
  async applyMoveBranch(rec: RepoRecord, branch: string): Promise<void> {
    if (!(await rec.git.branchHead(branch))) return
    for (const fault of this.faults.takeMoveBranch(rec.owner, rec.name, branch)) {
      await this.commitLocked(
        rec,
        branch,
        fault.changes,
        'Concurrent change (fake-github move-branch fault)'
      )
    }
  }
}
