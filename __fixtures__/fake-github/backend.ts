// In-memory records of organisations, repositories and pull requests, each repo a bare git repo.
import path from 'node:path'
import { FaultBook } from './faults.js'
import { BareRepo, type Ident } from './git-store.js'
import type { FileSpec, RepoOptions } from './types.js'

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
  createdAt: string
  updatedAt: string
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
  /** verification of commits created through the API */
  verifications: Map<string, Verification>
}

export interface OrgRecord {
  login: string
  id: number
}

/** Identity of commits made by the fake's own helpers (like another pusher). */
export const HELPER_IDENT = { name: 'octocat', email: 'octocat@users.noreply.github.com' }

const key = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase()

export class Backend {
  readonly repos = new Map<string, RepoRecord>()
  readonly orgs = new Map<string, OrgRecord>()
  readonly faults = new FaultBook()
  private nextRepoId = 1000
  private nextOrgId = 100

  constructor(
    readonly root: string,
    readonly treeEntryLimit: number
  ) {}

  find(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(key(owner, name))
  }

  get(owner: string, name: string): RepoRecord {
    const rec = this.find(owner, name)
    if (!rec) throw new Error(`fake-github: no repository ${owner}/${name}`)
    return rec
  }

  org(login: string): OrgRecord | undefined {
    return this.orgs.get(login.toLowerCase())
  }

  async createRepo(owner: string, name: string, options: RepoOptions = {}): Promise<RepoRecord> {
    if (this.find(owner, name))
      throw new Error(`fake-github: repository ${owner}/${name} already exists`)
    if (!/^[A-Za-z0-9_.-]+$/.test(owner) || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new Error(`fake-github: invalid repository name ${owner}/${name}`)
    }
    if (!this.org(owner)) this.orgs.set(owner.toLowerCase(), { login: owner, id: this.nextOrgId++ })
    const id = this.nextRepoId++
    const defaultBranch = options.defaultBranch ?? 'main'
    const git = await BareRepo.init(path.join(this.root, `${id}.git`), defaultBranch)
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
      verifications: new Map()
    }
    this.repos.set(key(owner, name), rec)
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
    const ident: Ident = { ...HELPER_IDENT, time: Math.floor(Date.now() / 1000), tz: '+0000' }
    const sha = await rec.git.importCommit(branch, parent, changes, message, ident)
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
}
