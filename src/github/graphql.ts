/** GitHub's GraphQL API: the codex's first look, blob texts by the hundred, one-request commits. */
import {
  messageOf,
  nameKey,
  type Commit,
  type Log,
  type ProjectHead,
  type Repository
} from '../model.js'
import type { Octokit } from './client.js'
import { BranchRuleError, isBranchRuleMessage, statusOf } from './errors.js'
import { gitBlobSha, type TreeLevel } from './git-data.js'
import {
  namedRepositoriesQuery,
  organizationPageQuery,
  PAGE_SIZE,
  questionVariables,
  readNode,
  readPage,
  type HeadQuestion,
  type ListedRepository
} from './listing.js'

export interface BlobRef {
  repo: string
  sha: string
}

/** Blobs asked for in one query: GitHub allows far more nodes, this keeps answers small. */
export const BLOBS_PER_QUERY = 100

/** The changes of a commit made by createCommitOnBranch: every file it writes gets mode 100644. */
export interface FileChanges {
  additions: { path: string; contents: Buffer }[]
  deletions: string[]
}

interface BlobNode {
  byteSize?: number | null
  isBinary?: boolean | null
  isTruncated?: boolean | null
  text?: string | null
}

type QueryResult = Record<string, Record<string, BlobNode | null> | null>

/** What one query tells of the codex, before anything else is read of it. */
export interface CodexFirstLook {
  repository: Repository
  /** The config file on the default branch, with its text when GraphQL gives it faithfully. */
  config: { sha: string; text: string | undefined } | undefined
  /** Heads of the branches asked about and of the default branch; undefined: no such branch. */
  heads: ReadonlyMap<string, BranchHead | undefined>
  /** The files asked for at a ref, when they were asked for and GraphQL could tell. */
  refFiles?: RefFiles
}

/** Files to read at a ref outside the branches (e.g. `refs/codex-sync/state`) in the first look. */
export interface RefFilesQuestion {
  ref: string
  paths: string[]
}

/** A blob found at a path: its SHA, and its bytes when GraphQL gave them whole and faithful. */
export interface FoundBlob {
  sha: string
  bytes: Buffer | undefined
  /** Bytes of the blob, when GraphQL said. */
  size?: number
}

/** The answer to a RefFilesQuestion. */
export interface RefFiles {
  /** The ref's commit; undefined when there is no such ref. */
  head: string | undefined
  /** Each path asked about; undefined where the commit holds no file. */
  files: ReadonlyMap<string, FoundBlob | undefined>
}

/** A branch's head commit and that commit's tree. */
export interface BranchHead {
  commitSha: string
  treeSha: string
}

interface HeadTarget {
  target: { oid: string; tree?: { oid: string } } | null
}

interface FileNode {
  oid: string
  object: ({ oid?: string } & BlobNode) | null
}

interface FirstLookResult {
  repository: {
    name: string
    isArchived: boolean
    defaultBranchRef: ({ name: string } & HeadTarget) | null
    config: ({ oid?: string } & BlobNode) | null
    branch?: HeadTarget | null
    refFiles?: {
      target: { oid: string; [file: `file${number}`]: FileNode | null | undefined } | null
    } | null
  } | null
}

export class GraphQL {
  /** False once the server showed it has no (usable) GraphQL API: REST serves from then on. */
  private usable = true

  /** What was said already: each fallback is said once a run. */
  private readonly said = new Set<string>()

  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    private readonly log: Log
  ) {}

  /**
   * The bytes of every blob that GraphQL gives faithfully as text (its UTF-8 hashes to its SHA).
   * Binary, truncated, missing or otherwise unfaithful blobs are left out: read them with REST.
   */
  async blobTexts(blobs: BlobRef[]): Promise<Map<string, Buffer>> {
    const texts = new Map<string, Buffer>()
    for (let start = 0; start < blobs.length && this.usable; start += BLOBS_PER_QUERY) {
      const batch = blobs.slice(start, start + BLOBS_PER_QUERY)
      const data = (await this.query<QueryResult>(blobQuery(this.owner, batch)))?.data
      if (!data) break
      for (const [key, blob] of aliasedBlobs(batch)) {
        const node = data[key.repo]?.[key.blob]
        const bytes = node ? faithfulBytes(blob.sha, node) : undefined
        if (bytes) texts.set(blob.sha, bytes)
      }
    }
    return texts
  }

  /**
   * The codex repository, its default branch's head and config file, and the head of `branch`, in
   * one request; 'missing' when there is no such repository, undefined when GraphQL cannot tell
   * (no GraphQL API, or an empty repository): then REST reads it all.
   */
  async codexFirstLook(
    name: string,
    configPath: string,
    branch: string | undefined,
    refFiles?: RefFilesQuestion
  ): Promise<CodexFirstLook | 'missing' | undefined> {
    const paths = refFiles?.paths ?? []
    const answer = await this.query<FirstLookResult>(
      firstLookQuery(branch !== undefined, refFiles ? paths.length : undefined),
      {
        owner: this.owner,
        name,
        config: `HEAD:${configPath}`,
        ...(branch !== undefined ? { branch: `refs/heads/${branch}` } : {}),
        ...(refFiles ? { filesRef: refFiles.ref } : {}),
        ...Object.fromEntries(paths.map((path, index) => [`path${index}`, path]))
      }
    )
    if (!answer) return undefined
    const repository = answer.data.repository
    if (!repository) return 'missing'
    // A head or the config that an error left null is not known to be absent: REST reads them.
    for (const field of ['defaultBranchRef', 'config', 'branch']) {
      if (failedUnder(answer, ['repository', field])) return undefined
    }
    const filesKnown = !failedUnder(answer, ['repository', 'refFiles'])
    const head = repository.defaultBranchRef
    const defaultHead = head && branchHead(head)
    if (!defaultHead) return undefined
    const heads = new Map<string, BranchHead | undefined>([[head.name, defaultHead]])
    if (branch !== undefined && branch !== head.name) {
      const asked = repository.branch && branchHead(repository.branch)
      // A branch GraphQL names without a commit and its tree: REST reads it instead.
      if (repository.branch && !asked) return undefined
      heads.set(branch, asked ?? undefined)
    }
    return {
      // The codex is never a project: what GraphQL is not asked about keeps its default.
      repository: {
        name: repository.name,
        defaultBranch: head.name,
        archived: repository.isArchived,
        fork: false,
        disabled: false,
        empty: false,
        topics: []
      },
      config: repository.config?.oid
        ? {
            sha: repository.config.oid,
            text: faithfulBytes(repository.config.oid, repository.config)?.toString('utf8')
          }
        : undefined,
      heads,
      ...(refFiles && filesKnown ? { refFiles: foundRefFiles(repository.refFiles, paths) } : {})
    }
  }

  /**
   * The organisation's repositories, a page of a hundred after another (each cursor comes with the
   * page before), with the heads of `question`. Undefined when GraphQL cannot list them (no
   * GraphQL API, not an organisation): REST lists them instead. `consistent`: every page named the
   * same total, and that many repositories came.
   */
  async listOrganization(
    question: HeadQuestion | undefined
  ): Promise<{ listed: ListedRepository[]; consistent: boolean } | undefined> {
    const { values } = questionVariables(question)
    const query = organizationPageQuery(question)
    const listed: ListedRepository[] = []
    let total: number | undefined
    let consistent = true
    let cursor: string | undefined
    do {
      const answer = await this.query<unknown>(query, {
        org: this.owner,
        ...(cursor === undefined ? {} : { cursor }),
        ...values
      })
      const page = answer === undefined ? undefined : readPage(answer.data, question)
      if (page === undefined) {
        // Without GraphQL at all, that was said once already.
        if (this.usable) {
          this.once(
            'graphql listing',
            `GraphQL did not list the repositories of ${this.owner} as asked; they are listed over REST, and a project whose head GraphQL cannot then tell by name is read to know whether it is in sync (one request a project).`
          )
        }
        return undefined
      }
      // A repository an error touched is listed, but its head is not trusted to say what is there.
      listed.push(
        ...page.listed.map((entry, index) =>
          failedUnder(answer as Answer<unknown>, ['organization', 'repositories', 'nodes', index])
            ? { ...entry, head: undefined }
            : entry
        )
      )
      if (total !== undefined && page.totalCount !== total) consistent = false
      total = page.totalCount
      cursor = page.next
    } while (cursor !== undefined)
    return { listed, consistent: consistent && listed.length === total }
  }

  /**
   * The heads of repositories listed over REST, a hundred per query, side by side; a repository
   * GraphQL does not answer for is left out (its tree is read instead).
   */
  async headsByName(names: string[], question: HeadQuestion): Promise<Map<string, ProjectHead>> {
    const heads = new Map<string, ProjectHead>()
    const { values } = questionVariables(question)
    const batches: string[][] = []
    for (let start = 0; start < names.length; start += PAGE_SIZE) {
      batches.push(names.slice(start, start + PAGE_SIZE))
    }
    await Promise.all(
      batches.map(async batch => {
        const answer = await this.query<Record<string, unknown>>(
          namedRepositoriesQuery(batch.length, question),
          {
            org: this.owner,
            ...values,
            ...Object.fromEntries(batch.map((name, i) => [`n${i}`, name]))
          }
        ).catch(() => undefined)
        if (!answer) return
        batch.forEach((name, index) => {
          if (failedUnder(answer, [`r${index}`])) return
          const head = readNode(answer.data[`r${index}`], question)?.head
          if (head) heads.set(nameKey(name), head)
        })
      })
    )
    return heads
  }

  /**
   * Trees read three levels deep (Tree.entries and their objects' entries), a query for all of
   * them; undefined when GraphQL cannot (then REST reads them).
   */
  async readTrees(repo: string, shas: string[]): Promise<Map<string, TreeLevel[]> | undefined> {
    const answer = await this.query<{ repository?: Record<string, unknown> | null }>(
      treesQuery(shas.length),
      { org: this.owner, repo, ...Object.fromEntries(shas.map((sha, i) => [`s${i}`, sha])) }
    )
    const data = answer && answer.failed.length === 0 ? answer.data : undefined
    if (!data?.repository) {
      if (this.usable) {
        this.once(
          'graphql trees',
          `GraphQL did not read the trees of ${this.owner}/${repo} in levels; a tree too large for one REST answer is read over REST a folder at a time (one request a folder).`
        )
      }
      return undefined
    }
    const trees = new Map<string, TreeLevel[]>()
    for (const [index, sha] of shas.entries()) {
      const entries = readLevel(
        (data.repository[`t${index}`] as { entries?: unknown } | null)?.entries
      )
      if (!entries) return undefined
      trees.set(sha, entries)
    }
    return trees
  }

  /** Whether createCommitOnBranch may be tried (the server has a GraphQL API). */
  get canCommit(): boolean {
    return this.usable
  }

  /**
   * One signed commit on an existing branch, made only if the branch still points at
   * `expectedHead` (GitHub's compare-and-swap); 'moved' when it does not.
   */
  async commitOnBranch(
    repo: string,
    branch: string,
    expectedHead: string,
    message: string,
    changes: FileChanges
  ): Promise<{ commit: Commit; treeSha: string } | 'moved' | 'unavailable'> {
    const [headline = '', ...rest] = message.split('\n')
    const input = {
      branch: { repositoryNameWithOwner: `${this.owner}/${repo}`, branchName: branch },
      expectedHeadOid: expectedHead,
      message: { headline, body: rest.join('\n').trim() },
      fileChanges: {
        additions: changes.additions.map(file => ({
          path: file.path,
          contents: file.contents.toString('base64')
        })),
        deletions: changes.deletions.map(path => ({ path }))
      }
    }
    try {
      const data = await this.octokit.graphql<{
        createCommitOnBranch: { commit: { oid: string; url: string; tree: { oid: string } } }
      }>(COMMIT_MUTATION, { input })
      const commit = data.createCommitOnBranch.commit
      return { commit: { sha: commit.oid, url: commit.url }, treeSha: commit.tree.oid }
    } catch (error) {
      const errors = graphqlErrors(error)
      if (errors.length === 0 && !isRefusal(error)) {
        this.giveUp(
          error,
          'this commit is made with the Git Data API (a tree, a commit and a ref update)'
        )
        return 'unavailable'
      }
      if (
        errors.some(
          entry => entry.type === 'STALE_DATA' || /expected branch to point/i.test(entry.message)
        )
      )
        return 'moved'
      const rule = errors.find(entry => isBranchRuleMessage(entry.message))
      if (rule) throw new BranchRuleError(`${this.owner}/${repo}`, branch, rule.message)
      throw asHttpError(errors[0]) ?? error
    }
  }

  /**
   * The query's data; undefined when GraphQL could not answer it, and the caller reads over REST
   * instead: for this query after a transient failure, from then on when the server has none.
   */
  private async query<T>(
    query: string,
    variables: Record<string, string> = {}
  ): Promise<Answer<T> | undefined> {
    if (!this.usable) return undefined
    try {
      return { data: await this.octokit.graphql<T>(query, variables), failed: [] }
    } catch (error) {
      // Partial answers (a repository or blob not found) carry the data GraphQL could give, and
      // the paths of the fields an error left null: those say nothing of what is there.
      const data = (error as { data?: T }).data
      const errors = graphqlErrors(error)
      if (errors.length > 0 && data) {
        return { data, failed: errors.map(entry => (Array.isArray(entry.path) ? entry.path : [])) }
      }
      if (statusOf(error) === 401 || statusOf(error) === 403) throw error
      // GraphQL answered, but refused this query (a field this server does not know): only this
      // read goes over REST, and the caller says what it costs.
      if (errors.length > 0) {
        this.log.debug(`GraphQL refused a query: ${errors[0]?.message ?? ''}`)
        return undefined
      }
      this.giveUp(error, 'this read goes over REST')
      return undefined
    }
  }

  /** A fallback said once a run, as a warning of the run. */
  private once(key: string, message: string): void {
    if (this.said.has(key)) return
    this.said.add(key)
    this.log.warning(message, { title: 'codex-sync: GraphQL fallback' })
  }

  /**
   * After a GraphQL request failed for good: a transient failure (5xx or no answer, already
   * retried) costs only that request its GraphQL; any other answer means the server has no
   * usable GraphQL API, and REST serves from then on. Each is said once, with what it costs.
   */
  private giveUp(error: unknown, fallback: string): void {
    const status = statusOf(error)
    if (status !== undefined && status >= 500) {
      this.once(
        'graphql transient',
        `GraphQL failed after retries (${messageOf(error)}); ${fallback}. GraphQL stays in use for the rest of the run.`
      )
      return
    }
    this.usable = false
    this.once(
      'graphql off',
      `GraphQL is not usable on this server (${messageOf(error)}); codex-sync goes on over REST alone: each project's tree is read to know whether it is in sync, blob texts are read one per request instead of a hundred, and each commit takes three writes (tree, commit, ref) instead of one.`
    )
  }
}

/** A blob's bytes from its GraphQL text, when that text is whole and hashes to the blob's SHA. */
function faithfulBytes(sha: string, node: BlobNode): Buffer | undefined {
  if (typeof node.text !== 'string' || node.isBinary || node.isTruncated) return undefined
  const bytes = Buffer.from(node.text, 'utf8')
  return gitBlobSha(bytes) === sha ? bytes : undefined
}

/** A head as GraphQL gave it; undefined when the target is not a commit with its tree. */
function branchHead({ target }: HeadTarget): BranchHead | undefined {
  return target?.tree ? { commitSha: target.oid, treeSha: target.tree.oid } : undefined
}

/** The files at a ref as the first look found them; undefined when GraphQL did not say (REST reads them). */
function foundRefFiles(
  answer: NonNullable<FirstLookResult['repository']>['refFiles'],
  paths: string[]
): RefFiles | undefined {
  if (answer === undefined) return undefined
  const target = answer?.target
  if (!target) return { head: undefined, files: new Map() }
  const files = new Map<string, FoundBlob | undefined>()
  for (const [index, path] of paths.entries()) {
    const node = target[`file${index}`]
    // Not a commit (the fields are absent): the ref is not what the question expects.
    if (node === undefined) return undefined
    const blob = node?.object
    // A folder or a submodule at the path holds no file.
    files.set(
      path,
      node && blob?.oid
        ? {
            sha: node.oid,
            bytes: faithfulBytes(node.oid, blob),
            ...(typeof blob.byteSize === 'number' ? { size: blob.byteSize } : {})
          }
        : undefined
    )
  }
  return { head: target.oid, files }
}

const HEAD_FIELDS = 'target { oid ... on Commit { tree { oid } } }'
const BLOB_FIELDS = '... on Blob { oid byteSize isBinary isTruncated text }'

/** The first look; with `refFiles`, that many files at `$filesRef` too (`$path0`, `$path1`, ...). */
function firstLookQuery(withBranch: boolean, refFiles: number | undefined): string {
  const variables = ['$owner: String!', '$name: String!', '$config: String!']
  if (withBranch) variables.push('$branch: String!')
  const branch = withBranch ? `branch: ref(qualifiedName: $branch) { ${HEAD_FIELDS} }` : ''
  let files = ''
  if (refFiles !== undefined) {
    variables.push('$filesRef: String!')
    const fields = Array.from({ length: refFiles }, (_, index) => {
      variables.push(`$path${index}: String!`)
      return `file${index}: file(path: $path${index}) { oid object { ${BLOB_FIELDS} } }`
    })
    files = `refFiles: ref(qualifiedName: $filesRef) { target { oid ... on Commit { ${fields.join(' ')} } } }`
  }
  return `query codexSyncCodex(${variables.join(', ')}) {
  repository(owner: $owner, name: $name) {
    name
    isArchived
    defaultBranchRef { name ${HEAD_FIELDS} }
    config: object(expression: $config) { ${BLOB_FIELDS} }
    ${branch}
    ${files}
  }
}`
}

/** Levels of a tree one query reads: the tree's entries, and those of its folders, twice over. */
const TREE_LEVELS = 3

function treeLevelFields(levels: number): string {
  const below =
    levels > 1 ? ` object { ... on Tree { entries { ${treeLevelFields(levels - 1)} } } }` : ''
  return `name type mode oid${below}`
}

function treesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$s${i}: GitObjectID!`)
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `t${i}: object(oid: $s${i}) { ... on Tree { entries { ${treeLevelFields(TREE_LEVELS)} } } }`
  )
  return `query codexSyncTrees($org: String!, $repo: String!, ${variables.join(', ')}) { repository(owner: $org, name: $repo) { ${fields.join(' ')} } }`
}

/** A level of entries as read, field by field; undefined when it is not one. */
function readLevel(value: unknown): TreeLevel[] | undefined {
  if (!Array.isArray(value)) return undefined
  const entries: TreeLevel[] = []
  for (const item of value) {
    const entry = item as {
      name?: unknown
      type?: unknown
      mode?: unknown
      oid?: unknown
      object?: { entries?: unknown } | null
    } | null
    if (
      typeof entry?.name !== 'string' ||
      typeof entry.type !== 'string' ||
      typeof entry.mode !== 'number' ||
      typeof entry.oid !== 'string'
    ) {
      return undefined
    }
    const level: TreeLevel = {
      name: entry.name,
      type: entry.type,
      mode: entry.mode.toString(8),
      oid: entry.oid
    }
    if (entry.type === 'tree' && entry.object && 'entries' in entry.object) {
      const below = readLevel(entry.object.entries)
      if (!below) return undefined
      level.entries = below
    }
    entries.push(level)
  }
  return entries
}

const COMMIT_MUTATION = `mutation codexSyncCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url tree { oid } } }
}`

interface Alias {
  repo: string
  blob: string
}

/** Each blob with the aliases it has in the query: `r<i>` for its repository, `b<j>` for itself. */
function aliasedBlobs(batch: BlobRef[]): [Alias, BlobRef][] {
  const repos = [...new Set(batch.map(blob => blob.repo))]
  return batch.map((blob, index) => [
    { repo: `r${repos.indexOf(blob.repo)}`, blob: `b${index}` },
    blob
  ])
}

function blobQuery(owner: string, batch: BlobRef[]): string {
  const byRepo = new Map<string, string[]>()
  for (const [alias, blob] of aliasedBlobs(batch)) {
    const fields = byRepo.get(blob.repo) ?? []
    fields.push(
      `${alias.blob}: object(oid: ${JSON.stringify(blob.sha)}) { ... on Blob { isBinary isTruncated text } }`
    )
    byRepo.set(blob.repo, fields)
  }
  const repos = [...byRepo.entries()].map(
    ([repo, fields], index) =>
      `r${index}: repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(repo)}) { ${fields.join(' ')} }`
  )
  return `query codexSyncBlobs { ${repos.join(' ')} }`
}

/** GraphQL error types and the HTTP status the same refusal has over REST, so that it is explained alike. */
const STATUS_OF_TYPE: Record<string, number> = {
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNPROCESSABLE: 422
}

function asHttpError(entry: { type?: string; message: string } | undefined): Error | undefined {
  const status = entry?.type === undefined ? undefined : STATUS_OF_TYPE[entry.type]
  if (!entry || status === undefined) return undefined
  return Object.assign(new Error(entry.message), { status })
}

/** An answer that says the request was understood and refused: not a missing GraphQL API. */
function isRefusal(error: unknown): boolean {
  const status = statusOf(error)
  return status === 401 || status === 403 || status === 422 || status === 409
}

function graphqlErrors(error: unknown): { type?: string; message: string; path?: unknown }[] {
  const errors = (error as { errors?: unknown }).errors
  return Array.isArray(errors)
    ? (errors as { type?: string; message: string; path?: unknown }[])
    : []
}

/** A query's data, and the paths of the fields that errors left null (empty when none did). */
interface Answer<T> {
  data: T
  failed: unknown[][]
}

/** Whether an error left null a field at `prefix` or below it. */
function failedUnder(answer: Answer<unknown>, prefix: unknown[]): boolean {
  return answer.failed.some(
    path =>
      path.length >= prefix.length && prefix.every((segment, index) => path[index] === segment)
  )
}
