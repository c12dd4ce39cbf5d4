// The GraphQL fields the fake resolves, from the bare repositories: repository objects, refs,
// the viewer, an organisation's repositories, rateLimit and createCommitOnBranch.
import type { GraphQLResolveInfo } from 'graphql'
import {
  refusal,
  type Backend,
  type OrgRecord,
  type PullState,
  type RepoRecord
} from './backend.js'
import { botIdent } from './git.js'
import {
  blobSha,
  parseCommit,
  parseRawTree,
  SHA_RE,
  typeOfMode,
  type GitObject
} from './git-store.js'
import {
  GqlFailure,
  page,
  type ConnectionSource,
  type EdgeSource,
  type PageArgs,
  type PageInfoSource
} from './graphql-paging.js'
import type { Grant } from './http.js'
import { isMalformedPath } from './routes-git.js'
import { canRead, canWrite, htmlBase, nodeId, signedByGitHub } from './shapes.js'
import { editTree, type TreeEdit } from './tree-edit.js'

export interface GqlContext {
  backend: Backend
  grant: Grant
  login: string
  /** REST base as the client addressed us (for web URLs) */
  base: string
  loader: ObjectLoader
  rateLimit: { cost: number; limit: number; remaining: number; used: number; resetAt: string }
}

const CONNECTION_FIELDS = ['totalCount', 'pageInfo', 'nodes', 'edges']
const EDGE_FIELDS = ['cursor', 'node']

/**
 * The arguments the fake honours on fields whose schema takes more (filters and orders it does not
 * model); any other argument given there is refused before execution, like an unsupported field.
 */
export const SUPPORTED_ARGUMENTS: Record<string, string[]> = {
  'Organization.repositories': [
    'first',
    'last',
    'after',
    'before',
    'isFork',
    'isArchived',
    'privacy'
  ],
  'Ref.associatedPullRequests': [
    'first',
    'last',
    'after',
    'before',
    'states',
    'baseRefName',
    'headRefName'
  ]
}

/** Fields the fake resolves, by type; any other field is refused before execution. */
export const SUPPORTED: Record<string, string[]> = {
  Query: ['repository', 'organization', 'viewer', 'rateLimit'],
  Mutation: ['createCommitOnBranch'],
  RateLimit: ['cost', 'limit', 'remaining', 'resetAt', 'used'],
  User: ['login'],
  Organization: ['login', 'repositories'],
  RepositoryConnection: CONNECTION_FIELDS,
  RepositoryEdge: EDGE_FIELDS,
  PageInfo: ['hasNextPage', 'endCursor', 'hasPreviousPage', 'startCursor'],
  Repository: [
    'id',
    'name',
    'nameWithOwner',
    'isArchived',
    'isFork',
    'isDisabled',
    'isEmpty',
    'isPrivate',
    'isTemplate',
    'visibility',
    'repositoryTopics',
    'object',
    'defaultBranchRef',
    'ref'
  ],
  RepositoryTopicConnection: CONNECTION_FIELDS,
  RepositoryTopicEdge: EDGE_FIELDS,
  RepositoryTopic: ['topic'],
  Topic: ['name'],
  Ref: ['id', 'name', 'prefix', 'target', 'associatedPullRequests'],
  PullRequestConnection: CONNECTION_FIELDS,
  PullRequestEdge: EDGE_FIELDS,
  PullRequest: ['number', 'title', 'url', 'state', 'isDraft', 'baseRefName', 'headRefName'],
  GitObject: ['oid', 'abbreviatedOid'],
  Blob: ['oid', 'abbreviatedOid', 'byteSize', 'isBinary', 'isTruncated', 'text'],
  Commit: [
    'oid',
    'abbreviatedOid',
    'tree',
    'file',
    'url',
    'message',
    'messageHeadline',
    'messageBody'
  ],
  Tree: ['oid', 'abbreviatedOid', 'entries'],
  Tag: ['oid', 'abbreviatedOid'],
  TreeEntry: ['name', 'path', 'mode', 'type', 'oid', 'object'],
  CreateCommitOnBranchPayload: ['clientMutationId', 'commit', 'ref']
}

/** GitHub cuts `Blob.text` at 512,000 bytes and says so in `isTruncated`. */
export const BLOB_TEXT_LIMIT = 512_000
/** Like git: a NUL byte in the first 8000 bytes makes a blob binary. */
const BINARY_SNIFF = 8000

interface ObjectSource {
  typename: 'Blob' | 'Commit' | 'Tree' | 'Tag'
  rec: RepoRecord
  /** the object, or (`unread`) only its sha and type, read when a field needs more */
  obj: GitObject
  /** for trees: the path of the tree in its commit, with a trailing '/' ('' at the root) */
  dir: string
  /** a blob a tree entry names, not read yet: a tree's entries' objects are asked for their
   * type far more often than for their content */
  unread?: boolean
}

interface RefSource {
  rec: RepoRecord
  ref: string
  sha: string
}

interface EntrySource {
  rec: RepoRecord
  name: string
  path: string
  mode: string
  oid: string
}

interface TopicSource {
  name: string
  /** its place among the repository's topics, from 1: the key of its cursor */
  position: number
}

interface PullSource {
  rec: RepoRecord
  pull: PullState
}

interface RepositoriesArgs extends PageArgs {
  isFork?: boolean | null
  isArchived?: boolean | null
  privacy?: 'PUBLIC' | 'PRIVATE' | null
}

interface PullsArgs extends PageArgs {
  states?: ('OPEN' | 'CLOSED' | 'MERGED')[] | null
  baseRefName?: string | null
  headRefName?: string | null
}

const TYPENAMES = { blob: 'Blob', commit: 'Commit', tree: 'Tree', tag: 'Tag' } as const

/** Reads git objects for one request, batched per repository (one `cat-file` per batch). */
export class ObjectLoader {
  private readonly cache = new Map<string, Promise<GitObject | undefined>>()
  private pending = new Map<RepoRecord, { spec: string; done: (o?: GitObject) => void }[]>()
  private scheduled = false

  load(rec: RepoRecord, spec: string): Promise<GitObject | undefined> {
    if (spec === '' || spec.startsWith('-') || /[\n\0]/.test(spec))
      return Promise.resolve(undefined)
    const key = `${rec.id}\0${spec}`
    let found = this.cache.get(key)
    if (!found) {
      found = new Promise(resolve => {
        const list = this.pending.get(rec) ?? []
        list.push({ spec, done: resolve })
        this.pending.set(rec, list)
      })
      this.cache.set(key, found)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => void this.flush())
      }
    }
    return found
  }

  private async flush(): Promise<void> {
    const batches = this.pending
    this.pending = new Map()
    this.scheduled = false
    await Promise.all(
      [...batches].map(async ([rec, list]) => {
        const objects = rec.empty
          ? []
          : await rec.git.readObjects(list.map(p => p.spec)).catch(() => [])
        list.forEach((p, i) => p.done(objects[i]))
      })
    )
  }

  async source(rec: RepoRecord, spec: string, dir = ''): Promise<ObjectSource | null> {
    const obj = await this.load(rec, spec)
    return obj ? { typename: TYPENAMES[obj.type], rec, obj, dir } : null
  }
}

function findRepo(ctx: GqlContext, owner: string, name: string): RepoRecord {
  const rec = ctx.backend.find(owner, name)
  if (!rec || !canRead(ctx.grant, rec))
    throw new GqlFailure(
      'NOT_FOUND',
      `Could not resolve to a Repository with the name '${owner}/${name}'.`
    )
  return rec
}

/**
 * An organisation's repositories the credential can read, in creation order (GitHub's default),
 * filtered like GitHub by `isFork`, `isArchived` and `privacy` (internal ones count as private).
 */
function organizationRepositories(
  ctx: GqlContext,
  org: OrgRecord,
  args: RepositoriesArgs
): ConnectionSource<RepoRecord> {
  const { grant } = ctx
  const { isFork, isArchived, privacy } = args
  let repos = ctx.backend.ownedBy(org.login)
  if (grant.sees || isFork != null || isArchived != null || privacy != null) {
    repos = repos.filter(
      r =>
        canRead(grant, r) &&
        (isFork == null || r.fork === isFork) &&
        (isArchived == null || r.archived === isArchived) &&
        (privacy == null || (r.visibility === 'public') === (privacy === 'PUBLIC'))
    )
  }
  return page(repos, r => r.id, args, 'repositories')
}

/** The pull requests whose head is this branch (none for other refs), by number. */
function associatedPullRequests(r: RefSource, args: PullsArgs): ConnectionSource<PullSource> {
  const { prefix, name } = splitRef(r.ref)
  const states = args.states?.map(s => s.toLowerCase())
  const pulls =
    prefix !== 'refs/heads/' || (args.headRefName != null && args.headRefName !== name)
      ? []
      : r.rec.pulls
          .filter(
            p =>
              p.head === name &&
              (!states || states.includes(p.state)) &&
              (args.baseRefName == null || p.base === args.baseRefName)
          )
          .sort((a, b) => a.number - b.number)
          .map(pull => ({ rec: r.rec, pull }))
  return page(pulls, p => p.pull.number, args, 'associatedPullRequests')
}

/** A connection type's and its edge type's fields, over a ConnectionSource. */
function connectionFields(typename: string): Record<string, Resolver> {
  return {
    [`${typename}Connection.totalCount`]: (c: ConnectionSource<unknown>) => c.totalCount,
    [`${typename}Connection.pageInfo`]: (c: ConnectionSource<unknown>) => c.pageInfo,
    [`${typename}Connection.nodes`]: (c: ConnectionSource<unknown>) => c.edges.map(e => e.node),
    [`${typename}Connection.edges`]: (c: ConnectionSource<unknown>) => c.edges,
    [`${typename}Edge.cursor`]: (e: EdgeSource<unknown>) => e.cursor,
    [`${typename}Edge.node`]: (e: EdgeSource<unknown>) => e.node
  }
}

async function refSource(rec: RepoRecord, ref: string): Promise<RefSource | null> {
  const sha = rec.empty ? undefined : await rec.git.readRef(ref)
  return sha ? { rec, ref, sha } : null
}

/**
 * The tree entry at `path` below a tree, walked folder by folder; null where a folder or the entry
 * is missing, or the path is not a plain relative one (GitHub finds no file there either).
 */
async function entryAt(
  ctx: GqlContext,
  rec: RepoRecord,
  treeSha: string,
  path: string
): Promise<EntrySource | null> {
  const segments = path.split('/')
  if (segments.some(segment => segment === '' || segment === '.' || segment === '..')) return null
  let tree = treeSha
  for (const [index, name] of segments.entries()) {
    const obj = await ctx.loader.load(rec, tree)
    if (obj?.type !== 'tree') return null
    const entry = parseRawTree(obj.content).find(candidate => candidate.name === name)
    if (!entry) return null
    if (index === segments.length - 1) {
      return { rec, name, path: segments.join('/'), mode: entry.mode, oid: entry.sha }
    }
    tree = entry.sha
  }
  return null
}

/** `refs/heads/main` → prefix `refs/heads/`, name `main` (any namespace alike). */
function splitRef(ref: string): { prefix: string; name: string } {
  const cut = ref.indexOf('/', ref.indexOf('/') + 1) + 1
  return { prefix: ref.slice(0, cut), name: ref.slice(cut) }
}

function headline(message: string): string {
  return message.split('\n')[0] ?? ''
}

type Resolver = (source: never, args: never, ctx: GqlContext, info: GraphQLResolveInfo) => unknown

const gitObject = {
  oid: (s: ObjectSource) => s.obj.sha,
  abbreviatedOid: (s: ObjectSource) => s.obj.sha.slice(0, 7)
}
const objectFields = (typename: string): Record<string, Resolver> => ({
  [`${typename}.oid`]: gitObject.oid,
  [`${typename}.abbreviatedOid`]: gitObject.abbreviatedOid
})
/** The blob of a source whole, read now if it was not. */
async function blobOf(s: ObjectSource, ctx: GqlContext): Promise<GitObject> {
  return s.unread ? ((await ctx.loader.load(s.rec, s.obj.sha)) ?? s.obj) : s.obj
}
const binary = (blob: GitObject): boolean => blob.content.subarray(0, BINARY_SNIFF).includes(0)

export const RESOLVERS: Record<string, Resolver> = {
  'Query.repository': (_: unknown, args: { owner: string; name: string }, ctx) =>
    findRepo(ctx, args.owner, args.name),
  'Query.organization': (_: unknown, args: { login: string }, ctx) => {
    const org = ctx.backend.org(args.login)
    if (!org) {
      throw new GqlFailure(
        'NOT_FOUND',
        `Could not resolve to an Organization with the login of '${args.login}'.`
      )
    }
    return org
  },
  // the credential's own login: a token's, or `<slug>[bot]` for an App installation token
  'Query.viewer': (_: unknown, __: unknown, ctx) => ({ login: ctx.login }),
  'User.login': (u: { login: string }) => u.login,
  'Query.rateLimit': (_: unknown, __: unknown, ctx) => ctx.rateLimit,
  'RateLimit.cost': (r: GqlContext['rateLimit']) => r.cost,
  'RateLimit.limit': (r: GqlContext['rateLimit']) => r.limit,
  'RateLimit.remaining': (r: GqlContext['rateLimit']) => r.remaining,
  'RateLimit.used': (r: GqlContext['rateLimit']) => r.used,
  'RateLimit.resetAt': (r: GqlContext['rateLimit']) => r.resetAt,

  'Repository.id': (rec: RepoRecord) => nodeId('010:Repository', rec.id),
  'Repository.name': (rec: RepoRecord) => rec.name,
  'Repository.nameWithOwner': (rec: RepoRecord) => `${rec.owner}/${rec.name}`,
  'Repository.isArchived': (rec: RepoRecord) => rec.archived,
  'Repository.isFork': (rec: RepoRecord) => rec.fork,
  'Repository.isDisabled': (rec: RepoRecord) => rec.disabled,
  'Repository.isEmpty': (rec: RepoRecord) => rec.empty,
  'Repository.isPrivate': (rec: RepoRecord) => rec.visibility !== 'public',
  'Repository.isTemplate': (rec: RepoRecord) => rec.isTemplate,
  'Repository.visibility': (rec: RepoRecord) => rec.visibility.toUpperCase(),
  'Repository.repositoryTopics': (rec: RepoRecord, args: PageArgs) =>
    page<TopicSource>(
      rec.topics.map((name, i) => ({ name, position: i + 1 })),
      t => t.position,
      args,
      'repositoryTopics'
    ),
  'Repository.object': (rec: RepoRecord, args: { oid?: string; expression?: string }, ctx) => {
    const spec = args.oid ?? args.expression ?? ''
    if (args.oid !== undefined && !SHA_RE.test(args.oid)) return null
    // `rev:dir` names a tree whose entries' paths start with `dir/`
    const colon = args.oid === undefined ? spec.indexOf(':') : -1
    const dir = colon === -1 ? '' : spec.slice(colon + 1).replace(/^\/+|\/+$/g, '')
    return ctx.loader.source(rec, spec, dir ? `${dir}/` : '')
  },
  'Repository.defaultBranchRef': (rec: RepoRecord) =>
    refSource(rec, `refs/heads/${rec.defaultBranch}`),
  'Repository.ref': async (rec: RepoRecord, args: { qualifiedName: string }) => {
    // fully qualified first, then as a branch, then as a tag
    const q = args.qualifiedName
    for (const ref of q.startsWith('refs/') ? [q] : [`refs/heads/${q}`, `refs/tags/${q}`]) {
      const found = await refSource(rec, ref)
      if (found) return found
    }
    return null
  },

  'Ref.id': (r: RefSource) => nodeId('03:Ref', `${r.rec.id}:${r.ref}`),
  'Ref.name': (r: RefSource) => splitRef(r.ref).name,
  'Ref.prefix': (r: RefSource) => splitRef(r.ref).prefix,
  'Ref.target': (r: RefSource, _: unknown, ctx) => ctx.loader.source(r.rec, r.sha),
  'Ref.associatedPullRequests': (r: RefSource, args: PullsArgs) => associatedPullRequests(r, args),

  'Organization.login': (org: OrgRecord) => org.login,
  'Organization.repositories': (org: OrgRecord, args: RepositoriesArgs, ctx) =>
    organizationRepositories(ctx, org, args),
  ...connectionFields('Repository'),
  ...connectionFields('RepositoryTopic'),
  ...connectionFields('PullRequest'),
  'PageInfo.hasNextPage': (p: PageInfoSource) => p.hasNextPage,
  'PageInfo.hasPreviousPage': (p: PageInfoSource) => p.hasPreviousPage,
  'PageInfo.startCursor': (p: PageInfoSource) => p.startCursor,
  'PageInfo.endCursor': (p: PageInfoSource) => p.endCursor,
  'RepositoryTopic.topic': (t: TopicSource) => t,
  'Topic.name': (t: TopicSource) => t.name,
  'PullRequest.number': (p: PullSource) => p.pull.number,
  'PullRequest.title': (p: PullSource) => p.pull.title,
  'PullRequest.url': (p: PullSource, _: unknown, ctx) =>
    `${htmlBase(ctx.base)}/${p.rec.owner}/${p.rec.name}/pull/${p.pull.number}`,
  'PullRequest.state': (p: PullSource) => p.pull.state.toUpperCase(),
  'PullRequest.isDraft': (p: PullSource) => p.pull.draft,
  'PullRequest.baseRefName': (p: PullSource) => p.pull.base,
  'PullRequest.headRefName': (p: PullSource) => p.pull.head,

  ...objectFields('Blob'),
  'Blob.byteSize': async (s: ObjectSource, _: unknown, ctx) => (await blobOf(s, ctx)).size,
  'Blob.isBinary': async (s: ObjectSource, _: unknown, ctx) => binary(await blobOf(s, ctx)),
  'Blob.isTruncated': async (s: ObjectSource, _: unknown, ctx) =>
    (await blobOf(s, ctx)).size > BLOB_TEXT_LIMIT,
  'Blob.text': async (s: ObjectSource, _: unknown, ctx) => {
    const blob = await blobOf(s, ctx)
    return binary(blob) ? null : blob.content.subarray(0, BLOB_TEXT_LIMIT).toString('utf8')
  },

  ...objectFields('Commit'),
  'Commit.tree': (s: ObjectSource, _: unknown, ctx) =>
    ctx.loader.source(s.rec, parseCommit(s.obj.sha, s.obj.content).tree),
  'Commit.file': (s: ObjectSource, args: { path: string }, ctx) =>
    entryAt(ctx, s.rec, parseCommit(s.obj.sha, s.obj.content).tree, args.path),
  'Commit.url': (s: ObjectSource, _: unknown, ctx) =>
    `${htmlBase(ctx.base)}/${s.rec.owner}/${s.rec.name}/commit/${s.obj.sha}`,
  'Commit.message': (s: ObjectSource) => parseCommit(s.obj.sha, s.obj.content).message,
  'Commit.messageHeadline': (s: ObjectSource) =>
    headline(parseCommit(s.obj.sha, s.obj.content).message),
  'Commit.messageBody': (s: ObjectSource) => {
    const message = parseCommit(s.obj.sha, s.obj.content).message
    return message.slice(headline(message).length).replace(/^\n+/, '').replace(/\n$/, '')
  },

  ...objectFields('Tree'),
  'Tree.entries': (s: ObjectSource): EntrySource[] =>
    parseRawTree(s.obj.content).map(e => ({
      rec: s.rec,
      name: e.name,
      path: `${s.dir}${e.name}`,
      mode: e.mode,
      oid: e.sha
    })),
  ...objectFields('Tag'),

  'TreeEntry.name': (e: EntrySource) => e.name,
  'TreeEntry.path': (e: EntrySource) => e.path,
  // GraphQL gives git's octal modes as decimal numbers: 100644 → 33188
  'TreeEntry.mode': (e: EntrySource) => Number.parseInt(e.mode, 8),
  'TreeEntry.type': (e: EntrySource) => typeOfMode(e.mode),
  'TreeEntry.oid': (e: EntrySource) => e.oid,
  'TreeEntry.object': (
    e: EntrySource,
    _: unknown,
    ctx
  ): ObjectSource | Promise<ObjectSource | null> | null => {
    const type = typeOfMode(e.mode)
    if (type === 'commit') return null // a submodule's commit is in another repository
    if (type === 'tree') return ctx.loader.source(e.rec, e.oid, `${e.path}/`)
    const obj = { sha: e.oid, type, size: 0, content: Buffer.alloc(0) }
    return { typename: 'Blob', rec: e.rec, obj, dir: '', unread: true }
  },

  'Mutation.createCommitOnBranch': (_: unknown, args: { input: CommitInput }, ctx) =>
    createCommitOnBranch(args.input, ctx),
  'CreateCommitOnBranchPayload.clientMutationId': (p: Payload) => p.clientMutationId,
  'CreateCommitOnBranchPayload.commit': (p: Payload) => p.commit,
  'CreateCommitOnBranchPayload.ref': (p: Payload) => p.ref
}

interface CommitInput {
  branch: {
    id?: string | null
    repositoryNameWithOwner?: string | null
    branchName?: string | null
  }
  expectedHeadOid: string
  message: { headline: string; body?: string | null }
  fileChanges?: {
    additions?: { path: string; contents: string }[] | null
    deletions?: { path: string }[] | null
  } | null
  clientMutationId?: string | null
}

interface Payload {
  clientMutationId: string | null
  commit: ObjectSource | null
  ref: RefSource | null
}

/** The repository and branch of `CommittableBranch`: by Ref node id, or name with owner and branch name. */
function committableBranch(
  ctx: GqlContext,
  branch: CommitInput['branch']
): { rec: RepoRecord; name: string } {
  if (branch.id) {
    const decoded = Buffer.from(branch.id, 'base64').toString('utf8')
    const m = /^03:Ref(\d+):refs\/heads\/(.+)$/.exec(decoded)
    const rec = m ? [...ctx.backend.repos.values()].find(r => r.id === Number(m[1])) : undefined
    if (!m || !rec || !canRead(ctx.grant, rec))
      throw new GqlFailure(
        'NOT_FOUND',
        `Could not resolve to a node with the global id of '${branch.id}'`
      )
    return { rec, name: m[2] ?? '' }
  }
  const [owner = '', name = '', ...rest] = (branch.repositoryNameWithOwner ?? '').split('/')
  if (!owner || !name || rest.length > 0 || !branch.branchName) {
    throw new GqlFailure(
      'UNPROCESSABLE',
      'A branch must be given by its id, or by repositoryNameWithOwner and branchName.'
    )
  }
  return { rec: findRepo(ctx, owner, name), name: branch.branchName }
}

async function createCommitOnBranch(input: CommitInput, ctx: GqlContext): Promise<Payload> {
  const { backend } = ctx
  const { rec, name: branch } = committableBranch(ctx, input.branch)
  if (!canWrite(ctx.grant, rec))
    throw new GqlFailure('FORBIDDEN', 'Resource not accessible by integration')
  if (rec.archived) throw new GqlFailure('FORBIDDEN', 'Repository was archived so is read-only.')
  const additions = input.fileChanges?.additions ?? []
  const deletions = input.fileChanges?.deletions ?? []
  const bad = [...additions, ...deletions].find(f => isMalformedPath(f.path))
  if (bad)
    throw new GqlFailure('UNPROCESSABLE', `A path contains a malformed path component: ${bad.path}`)
  const ref = `refs/heads/${branch}`
  return rec.git.mutex.run(async () => {
    await backend.applyMoveBranch(rec, branch)
    const head = rec.empty ? undefined : await rec.git.readRef(ref)
    if (!head)
      throw new GqlFailure('NOT_FOUND', `Could not resolve to a Ref with the name '${ref}'.`)
    const protection = backend.protection(rec, branch)
    if (protection) throw new GqlFailure('FORBIDDEN', refusal(protection, 'graphql'))
    if (head !== input.expectedHeadOid) {
      throw new GqlFailure(
        'STALE_DATA',
        `Expected branch to point to "${input.expectedHeadOid}" but it did not.  Pull and try again.`
      )
    }
    const existing = await rec.git.objectInfos(deletions.map(d => `${head}:${d.path}`))
    if (existing.some(info => info === undefined || info.type === 'tree')) {
      throw new GqlFailure(
        'UNPROCESSABLE',
        `A path was requested for deletion which does not exist as of commit oid \`${head}\``
      )
    }
    const blobs = additions.map(a => Buffer.from(a.contents, 'base64'))
    const edits: TreeEdit[] = [
      ...deletions.map(d => ({ path: d.path, entry: null })),
      ...additions.map((a, i) => ({
        path: a.path,
        entry: { mode: '100644', type: 'blob' as const, sha: blobSha(blobs[i] ?? Buffer.alloc(0)) }
      }))
    ]
    const base = parseCommit(
      head,
      (await rec.git.readObject(head))?.content ?? Buffer.alloc(0)
    ).tree
    const tree = await editTree(rec.git, base, edits)
    await rec.git.writeObjects([
      ...blobs.map(data => ({ type: 'blob' as const, data })),
      ...tree.trees.map(data => ({ type: 'tree' as const, data }))
    ])
    const body = input.message.body ? `\n\n${input.message.body}` : ''
    const bot = botIdent(ctx.login)
    const sha = await rec.git.commitTree(
      tree.sha,
      [head],
      `${input.message.headline}${body}`,
      bot,
      bot
    )
    if (!(await rec.git.updateRef(ref, sha, head))) {
      throw new GqlFailure(
        'STALE_DATA',
        `Expected branch to point to "${input.expectedHeadOid}" but it did not.  Pull and try again.`
      )
    }
    rec.verifications.set(sha, signedByGitHub())
    rec.pushedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    return {
      clientMutationId: input.clientMutationId ?? null,
      commit: await ctx.loader.source(rec, sha),
      ref: { rec, ref, sha }
    }
  })
}
