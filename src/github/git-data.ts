/** The Git Data API: refs, trees, blobs and commits of the organisation's repositories. */
import { createHash } from 'node:crypto'
import {
  messageOf,
  RepositoryGoneError,
  type Commit,
  type FileMap,
  type Snapshot,
  type Tree,
  type TreeFile
} from '../model.js'
import { treeOid } from '../plan/fingerprint.js'
import type { Octokit } from './client.js'
import { readAll } from './limits.js'
import {
  BranchNotFoundError,
  BranchRuleError,
  isBranchRuleMessage,
  EmptyRepositoryError,
  MalformedResponseError,
  statusOf
} from './errors.js'

/** Reads of a blob whose answer was cut short or did not hash to its SHA. */
const BLOB_ATTEMPTS = 3

/** The SHA git gives a blob of these bytes. */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** A commit as read back: enough to tell whether it is one the action meant to make. */
export interface CommitInfo extends Commit {
  message: string
  treeSha: string
  parents: string[]
}

/** One change of a new tree: content inline (text), a blob sha, or `sha: null` to delete. */
export type TreeChange =
  | { path: string; mode: string; content: string }
  | { path: string; mode: string; sha: string | null }

/** Refs, trees, blobs and commits, with GitHub's 409 for an empty repository made an EmptyRepositoryError. */
export class GitData {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    /** Reads big trees several levels at a time, where GitHub's REST listing is cut short. */
    private readonly trees?: TreeReader
  ) {}

  /** The commit a branch points at, or undefined when the branch does not exist. */
  async branchHead(repo: string, branch: string): Promise<string | undefined> {
    return this.refHead(repo, `heads/${branch}`)
  }

  /** The object a ref (`heads/main`, `codex-sync/state`) points at, or undefined when it does not exist. */
  async refHead(repo: string, ref: string): Promise<string | undefined> {
    try {
      const { data } = await this.guard(repo, () =>
        this.octokit.rest.git.getRef({ owner: this.owner, repo, ref })
      )
      if (typeof data?.object?.sha !== 'string') {
        throw new MalformedResponseError(`the ref ${ref} of ${this.owner}/${repo}`)
      }
      return data.object.sha
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw error
    }
  }

  /**
   * The files of a branch in one request (the tree read by the branch's name); its commit is read
   * only when something is to be written (see head). A missing branch, or a repository that went
   * away, is said as such.
   */
  async readBranchTree(repo: string, branch: string, folders?: readonly string[]): Promise<Tree> {
    try {
      return await this.readTree(repo, branch, folders)
    } catch (error) {
      if (statusOf(error) === 404) throw await this.missing(repo, branch)
      throw error
    }
  }

  /** The commit a branch points at and its tree, in one request. */
  async head(repo: string, branch: string): Promise<{ commitSha: string; treeSha: string }> {
    try {
      const { data } = await this.guard(repo, () =>
        this.octokit.rest.repos.getBranch({ owner: this.owner, repo, branch })
      )
      const commitSha = data.commit?.sha
      const treeSha = data.commit?.commit?.tree?.sha
      if (typeof commitSha !== 'string' || typeof treeSha !== 'string') {
        throw new MalformedResponseError(`branch ${branch} of ${this.owner}/${repo}`)
      }
      return { commitSha, treeSha }
    } catch (error) {
      if (statusOf(error) === 404) throw await this.missing(repo, branch)
      throw error
    }
  }

  /** A commit's parents, tree and message, as the Git Data API gives them. */
  async commitInfo(repo: string, sha: string): Promise<CommitInfo> {
    const { data } = await this.guard(repo, () =>
      this.octokit.rest.git.getCommit({ owner: this.owner, repo, commit_sha: sha })
    )
    const parents = Array.isArray(data?.parents) ? data.parents.map(parent => parent?.sha) : []
    if (
      typeof data?.sha !== 'string' ||
      typeof data.message !== 'string' ||
      typeof data.tree?.sha !== 'string' ||
      parents.some(parent => typeof parent !== 'string')
    ) {
      throw new MalformedResponseError(`the commit ${sha} of ${this.owner}/${repo}`)
    }
    return {
      sha: data.sha,
      url: data.html_url,
      message: data.message,
      treeSha: data.tree.sha,
      parents: parents as string[]
    }
  }

  /** The commit a branch, tag or commit SHA names; undefined when it names none. */
  async resolveCommit(repo: string, ref: string): Promise<string | undefined> {
    const named =
      (await this.refHead(repo, `heads/${ref}`)) ?? (await this.refHead(repo, `tags/${ref}`))
    const sha = named ?? (/^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : undefined)
    if (sha === undefined) return undefined
    try {
      // An annotated tag points at a tag object: follow it to its commit.
      const { data } = await this.guard(repo, () =>
        this.octokit.rest.git.getCommit({ owner: this.owner, repo, commit_sha: sha })
      )
      return data.sha
    } catch (error) {
      if (statusOf(error) !== 404 && statusOf(error) !== 422) throw error
      if (named === undefined) return undefined
      const { data } = await this.octokit.rest.git.getTag({ owner: this.owner, repo, tag_sha: sha })
      return data.object.type === 'commit' ? data.object.sha : undefined
    }
  }

  /** Why a branch answered 404: the repository is gone, or only the branch is. */
  private async missing(repo: string, branch: string): Promise<Error> {
    const exists = await this.octokit.rest.repos.get({ owner: this.owner, repo }).then(
      () => true,
      (error: unknown) => {
        if (statusOf(error) === 404) return false
        throw error
      }
    )
    return exists
      ? new BranchNotFoundError(`${this.owner}/${repo}`, branch)
      : new RepositoryGoneError(`${this.owner}/${repo}`)
  }

  /**
   * Head commit and file list of a branch, or undefined when the branch does not exist. With
   * `folders`, only files below them are sure to be listed (see readTree).
   */
  async readBranch(
    repo: string,
    branch: string,
    folders?: readonly string[]
  ): Promise<Snapshot | undefined> {
    const commitSha = await this.branchHead(repo, branch)
    if (commitSha === undefined) return undefined
    return { commitSha, ...(await this.readTree(repo, commitSha, folders)) }
  }

  /**
   * Every file below a tree-ish (tree, commit or branch name), and its folders' IDs. A recursive
   * listing that GitHub cuts short (`truncated`) is completed through GraphQL, levels and sub-trees
   * by the hundred (see readInLevels), else by walking the sub-trees one by one over REST; either
   * way only those that lead to `folders` (each with a trailing slash) when they are given, so a
   * huge repository costs a few requests when only one folder of it matters.
   */
  async readTree(repo: string, treeish: string, folders?: readonly string[]): Promise<Tree> {
    const listed: Listed = { files: new Map(), folders: new Map() }
    const root = await this.getTree(repo, treeish, true)
    const wanted = folders
      ? (path: string) => folders.some(folder => folder.startsWith(path) || path.startsWith(folder))
      : () => true
    if (!root.truncated) {
      addEntries(listed, root.tree, '')
      return { treeSha: root.sha, ...listed }
    }
    const read = await this.readInLevels(repo, root.sha, listed, wanted)
    if (!read) await this.walkTree(repo, root.sha, '', listed, wanted)
    // Folders are told only of a whole listing: one cut to some folders says nothing of the others.
    return folders ? { treeSha: root.sha, files: listed.files } : { treeSha: root.sha, ...listed }
  }

  /** One file's entry by path, walking the folders without listing the whole tree; undefined when absent. */
  async findFile(repo: string, treeish: string, path: string): Promise<TreeFile | undefined> {
    const segments = path.split('/').filter(Boolean)
    let tree = treeish
    for (const [index, segment] of segments.entries()) {
      const level = await this.getTree(repo, tree, false).catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined
        throw error
      })
      const entry = level?.tree.find(candidate => candidate.path === segment)
      if (!entry?.sha || !entry.mode) return undefined
      if (index === segments.length - 1) {
        return entry.type === 'blob'
          ? { path, mode: entry.mode, sha: entry.sha, type: 'blob', size: entry.size }
          : undefined
      }
      if (entry.type !== 'tree') return undefined
      tree = entry.sha
    }
    return undefined
  }

  /**
   * A blob's bytes, downloaded raw (never base64 inside JSON, which Node 20 cannot parse beyond a few
   * MB). The bytes must hash to the blob's SHA: an answer cut short is read again.
   */
  async readBlob(repo: string, sha: string): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      try {
        const bytes = await this.downloadBlob(repo, sha)
        if (gitBlobSha(bytes) !== sha) throw new MalformedResponseError(`blob ${sha} of ${repo}`)
        return bytes
      } catch (error) {
        const incomplete = error instanceof MalformedResponseError || error instanceof TypeError
        if (!incomplete || attempt >= BLOB_ATTEMPTS) throw error
      }
    }
  }

  private async downloadBlob(repo: string, sha: string): Promise<Buffer> {
    const response = await this.guard(repo, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        owner: this.owner,
        repo,
        file_sha: sha,
        headers: { accept: 'application/vnd.github.raw+json' },
        request: { parseSuccessResponseBody: false }
      })
    )
    const body = await readAll(response.data as unknown as AsyncIterable<Uint8Array>)
    if (!/\bjson\b/i.test(String(response.headers['content-type'] ?? ''))) return body
    // A server that ignores the raw media type answers GitHub's JSON form: base64 content.
    const data = JSON.parse(body.toString('utf8')) as { content?: unknown; encoding?: unknown }
    if (typeof data.content !== 'string') throw new MalformedResponseError(`blob ${sha} of ${repo}`)
    return Buffer.from(data.content, data.encoding === 'utf-8' ? 'utf8' : 'base64')
  }

  async createBlob(repo: string, content: Buffer): Promise<string> {
    const { data } = await this.guard(repo, () =>
      this.octokit.rest.git.createBlob({
        owner: this.owner,
        repo,
        content: content.toString('base64'),
        encoding: 'base64'
      })
    )
    return data.sha
  }

  async createTree(
    repo: string,
    baseTree: string | undefined,
    changes: TreeChange[]
  ): Promise<string> {
    const tree = changes.map(change => ({
      ...change,
      type: entryType(change.mode),
      mode: change.mode as '100644'
    }))
    const { data } = await this.guard(repo, () =>
      this.octokit.rest.git.createTree({
        owner: this.owner,
        repo,
        tree,
        ...(baseTree ? { base_tree: baseTree } : {})
      })
    )
    return data.sha
  }

  /** A commit with no author or committer, so that GitHub signs it for App and Actions tokens. */
  async createCommit(
    repo: string,
    message: string,
    tree: string,
    parents: string[]
  ): Promise<Commit> {
    const { data } = await this.guard(repo, () =>
      this.octokit.rest.git.createCommit({ owner: this.owner, repo, message, tree, parents })
    )
    return { sha: data.sha, url: data.html_url }
  }

  /** Moves a branch; false when the move is not a fast-forward (someone else pushed first). */
  async updateBranch(repo: string, branch: string, sha: string, force = false): Promise<boolean> {
    return this.updateRef(repo, `heads/${branch}`, sha, force)
  }

  /** Moves a ref; false when the move is not a fast-forward (someone else moved it first). */
  async updateRef(repo: string, ref: string, sha: string, force = false): Promise<boolean> {
    try {
      await this.octokit.rest.git.updateRef({ owner: this.owner, repo, ref, sha, force })
      return true
    } catch (error) {
      if (statusOf(error) === 422 && /fast.forward/i.test(messageOf(error))) return false
      if (statusOf(error) === 422 && isBranchRuleMessage(messageOf(error))) {
        throw new BranchRuleError(
          `${this.owner}/${repo}`,
          ref.replace(/^heads\//, ''),
          messageOf(error)
        )
      }
      throw error
    }
  }

  /**
   * Creates a branch; false when someone else created it first, pointing elsewhere. A retried request
   * whose first attempt did succeed answers "Reference already exists": that is success.
   */
  async createBranch(repo: string, branch: string, sha: string): Promise<boolean> {
    return this.createRef(repo, `heads/${branch}`, sha)
  }

  /** Creates `refs/<ref>`; false when it exists already and points elsewhere. */
  async createRef(repo: string, ref: string, sha: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.createRef({ owner: this.owner, repo, ref: `refs/${ref}`, sha })
      return true
    } catch (error) {
      if (statusOf(error) !== 422 || !/already exists/i.test(messageOf(error))) throw error
      const head = await this.refHead(repo, ref)
      if (head === undefined) throw error
      return head === sha
    }
  }

  private async getTree(repo: string, treeish: string, recursive: boolean) {
    const { data } = await this.guard(repo, () =>
      this.octokit.rest.git.getTree({
        owner: this.owner,
        repo,
        tree_sha: treeish,
        ...(recursive ? { recursive: 'true' } : {})
      })
    )
    if (typeof data?.sha !== 'string' || !Array.isArray(data.tree)) {
      throw new MalformedResponseError(`the tree ${treeish} of ${this.owner}/${repo}`)
    }
    return data
  }

  /**
   * Lists a tree too big for one REST answer through GraphQL, several levels and hundreds of
   * sub-trees a query: a codex of 10,000 projects' docs (120,000 entries) in about twenty queries.
   * False when GraphQL cannot (then REST walks it); what was listed is then listed again.
   */
  private async readInLevels(
    repo: string,
    rootSha: string,
    listed: Listed,
    wanted: (folder: string) => boolean
  ): Promise<boolean> {
    if (!this.trees) return false
    let frontier = [{ sha: rootSha, prefix: '' }]
    while (frontier.length > 0) {
      const next: typeof frontier = []
      const batches: (typeof frontier)[] = []
      for (let start = 0; start < frontier.length; start += TREES_PER_QUERY) {
        batches.push(frontier.slice(start, start + TREES_PER_QUERY))
      }
      for (let start = 0; start < batches.length; start += QUERIES_AT_ONCE) {
        const answers = await Promise.all(
          batches.slice(start, start + QUERIES_AT_ONCE).map(batch =>
            this.trees?.readTrees(
              repo,
              batch.map(tree => tree.sha)
            )
          )
        )
        for (const [index, answer] of answers.entries()) {
          if (!answer) {
            listed.files.clear()
            listed.folders.clear()
            return false
          }
          for (const tree of batches[start + index] as typeof frontier) {
            const entries = answer.get(tree.sha)
            // Every level read must hash to its tree's ID, or none of it is used.
            const whole =
              entries && addLevels(listed, { sha: tree.sha, entries }, tree.prefix, wanted, next)
            if (!whole) {
              listed.files.clear()
              listed.folders.clear()
              return false
            }
          }
        }
      }
      frontier = next
    }
    return true
  }

  /** Completes a truncated listing: whole sub-trees where GitHub can list them, else one level at a time. */
  private async walkTree(
    repo: string,
    treeSha: string,
    prefix: string,
    listed: Listed,
    wanted: (folder: string) => boolean
  ): Promise<void> {
    const level = await this.getTree(repo, treeSha, false)
    addEntries(listed, level.tree, prefix)
    for (const entry of level.tree) {
      if (entry.type !== 'tree' || !entry.sha || !entry.path) continue
      const subPrefix = `${prefix}${entry.path}/`
      if (!wanted(subPrefix)) continue
      const sub = await this.getTree(repo, entry.sha, true)
      if (sub.truncated) await this.walkTree(repo, entry.sha, subPrefix, listed, wanted)
      else addEntries(listed, sub.tree, subPrefix)
    }
  }

  /** Turns GitHub's 409 "Git Repository is empty." into EmptyRepositoryError; other conflicts stay errors. */
  private async guard<T>(repo: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (statusOf(error) === 409 && /empty/i.test(messageOf(error)))
        throw new EmptyRepositoryError(`${this.owner}/${repo}`)
      throw error
    }
  }
}

interface RawTreeEntry {
  path?: string
  mode?: string
  type?: string
  sha?: string
  size?: number
}

/** Tree entries are typed by their mode: a submodule is a commit, not a blob. */
function entryType(mode: string): 'blob' | 'commit' {
  return mode === '160000' ? 'commit' : 'blob'
}

/** Reads trees several levels deep at once (GraphQL's Tree.entries): each asked tree's entries. */
export interface TreeReader {
  readTrees(repo: string, shas: string[]): Promise<ReadonlyMap<string, TreeLevel[]> | undefined>
}

/** One entry of a tree read in levels; a folder's `entries` are there when its level was read too. */
export interface TreeLevel {
  name: string
  type: string
  mode: string
  oid: string
  entries?: TreeLevel[]
}

/** Trees asked in one GraphQL query, and queries sent at once. */
const TREES_PER_QUERY = 500
const QUERIES_AT_ONCE = 4

/**
 * A tree's entries read in levels, added below `prefix` (folders whose levels were not read go to
 * `next`); false when a level does not hash to its tree's ID: then the answer is not what it says.
 */
function addLevels(
  listed: Listed,
  tree: { sha: string; entries: TreeLevel[] },
  prefix: string,
  wanted: (folder: string) => boolean,
  next: { sha: string; prefix: string }[]
): boolean {
  if (levelOid(tree.entries) !== tree.sha) return false
  for (const entry of tree.entries) {
    const path = prefix + entry.name
    if (entry.type === 'tree') {
      listed.folders.set(path, entry.oid)
      if (!wanted(`${path}/`)) continue
      if (!entry.entries) next.push({ sha: entry.oid, prefix: `${path}/` })
      else if (
        !addLevels(listed, { sha: entry.oid, entries: entry.entries }, `${path}/`, wanted, next)
      )
        return false
    } else if (entry.type === 'blob' || entry.type === 'commit') {
      listed.files.set(path, { path, mode: entry.mode, sha: entry.oid, type: entry.type })
    }
  }
  return true
}

/** The ID of the tree these entries make, as git hashes it. */
function levelOid(entries: TreeLevel[]): string {
  return treeOid(
    entries.map(entry => ({
      name: entry.name,
      key: entry.type === 'tree' ? `${entry.name}/` : entry.name,
      mode: entry.mode,
      sha: entry.oid
    }))
  )
}

/** A tree's files, and its folders with their tree IDs. */
interface Listed {
  files: FileMap
  folders: Map<string, string>
}

function addEntries(listed: Listed, entries: RawTreeEntry[], prefix: string): void {
  for (const entry of entries) {
    if (!entry.path || !entry.sha || !entry.mode) continue
    const path = prefix + entry.path
    if (entry.type === 'tree') listed.folders.set(path, entry.sha)
    if (entry.type !== 'blob' && entry.type !== 'commit') continue
    listed.files.set(path, {
      path,
      mode: entry.mode,
      sha: entry.sha,
      type: entry.type,
      size: entry.size
    })
  }
}
