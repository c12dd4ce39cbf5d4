// Git Data API: refs, trees, blobs, commits.
import { refusal, type Backend, type RepoRecord, type Verification } from './backend.js'
import { botIdent } from './git.js'
import {
  blobSha,
  isValidRefName,
  parseCommit,
  SHA_RE,
  typeOfMode,
  type Ident,
  type LsTreeEntry
} from './git-store.js'
import {
  bodyObject,
  isObject,
  isoDate,
  JSON_CONTENT_TYPE,
  notFound,
  optionalBoolean,
  optionalString,
  requireString,
  unprocessable,
  type RequestContext
} from './http.js'
import { repoFor, type Route } from './routing.js'
import {
  commitJson,
  refJson,
  signedByGitHub,
  UNSIGNED,
  type Blob,
  type GitTree,
  type ShortBlob
} from './shapes.js'
import { editTree, TreeEditError, type TreeEdit } from './tree-edit.js'

const D = 'https://docs.github.com/rest/git'
const DOCS = {
  getRef: `${D}/refs#get-a-reference`,
  createRef: `${D}/refs#create-a-reference`,
  updateRef: `${D}/refs#update-a-reference`,
  deleteRef: `${D}/refs#delete-a-reference`,
  matchingRefs: `${D}/refs#list-matching-references`,
  getTree: `${D}/trees#get-a-tree`,
  createTree: `${D}/trees#create-a-tree`,
  getBlob: `${D}/blobs#get-a-blob`,
  createBlob: `${D}/blobs#create-a-blob`,
  getCommit: `${D}/commits#get-a-commit-object`,
  createCommit: `${D}/commits#create-a-commit`
}
/** `application/vnd.github.raw` (+json, or the older `.v3.raw`): the blob's bytes themselves */
const RAW_MEDIA_TYPE = /application\/vnd\.github(?:\.v3)?\.raw(?:\+json)?\b/i
const TREE_MODES = ['100644', '100755', '040000', '160000', '120000']
const R = '^\\/repos\\/([^/]+)\\/([^/]+)\\/git'

const api = (ctx: RequestContext, rec: RepoRecord): string =>
  `${ctx.base}/repos/${rec.owner}/${rec.name}`
const now = (): number => Math.floor(Date.now() / 1000)

/** Base64 as GitHub (Ruby's encode64) writes it: a newline after every 60 characters. */
export function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64')
  let out = ''
  for (let i = 0; i < b64.length; i += 60) out += `${b64.slice(i, i + 60)}\n`
  return out
}

function treeBody(
  ctx: RequestContext,
  rec: RepoRecord,
  sha: string,
  entries: LsTreeEntry[],
  truncated: boolean
): GitTree {
  const a = api(ctx, rec)
  return {
    sha,
    url: `${a}/git/trees/${sha}`,
    tree: entries.map(e => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === 'blob' ? { size: e.size ?? 0, url: `${a}/git/blobs/${e.sha}` } : {}),
      ...(e.type === 'tree' ? { url: `${a}/git/trees/${e.sha}` } : {})
    })),
    truncated
  }
}

function parseIdentity(value: unknown, key: string, docs: string): Ident | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value))
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/${key}', ${JSON.stringify(value)} is not an object.`,
      docs
    )
  const name = requireString(value, 'name', docs)
  const email = requireString(value, 'email', docs)
  const date = optionalString(value, 'date', docs)
  let time = now()
  if (date !== undefined) {
    const ms = Date.parse(date)
    if (Number.isNaN(ms))
      throw unprocessable(
        `Invalid request.\n\n${JSON.stringify(date)} is not a valid date-time.`,
        docs
      )
    time = Math.floor(ms / 1000)
  }
  return { name, email, time, tz: '+0000' }
}

/** A path git (and GitHub) refuse in a tree: empty, `.`, `..` or `.git` components, NUL or newline. */
export function isMalformedPath(path: string): boolean {
  return path
    .split('/')
    .some(
      p => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git' || /[\0\n]/.test(p)
    )
}

/** `heads/x` from the URL → `refs/heads/x`, or 404/422 for names git would refuse. */
function refFromParam(ctx: RequestContext, status: 404 | 422, docs: string): string {
  const ref = `refs/${ctx.params[2] ?? ''}`
  if (!isValidRefName(ref)) {
    throw status === 404 ? notFound(docs) : unprocessable('Reference does not exist', docs)
  }
  return ref
}

export const gitRoutes: Route[] = [
  // ---- refs -------------------------------------------------------------------------------
  {
    method: 'GET',
    pattern: new RegExp(`${R}\\/ref\\/(.+)$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.getRef, { gitData: true })
      const ref = await rec.git.ref(refFromParam(ctx, 404, DOCS.getRef))
      if (!ref) throw notFound(DOCS.getRef)
      return { status: 200, body: refJson(ctx.base, rec, ref.ref, ref.sha, ref.type) }
    }
  },
  {
    method: 'GET',
    pattern: new RegExp(`${R}\\/(matching-refs|refs)(?:\\/(.*))?$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.matchingRefs, { gitData: true })
      const [, , kind, rest = ''] = ctx.params
      const prefix = `refs/${rest}`
      const refs = (await rec.git.refs()).filter(r => r.ref.startsWith(prefix))
      const body = refs.map(r => refJson(ctx.base, rec, r.ref, r.sha, r.type))
      if (kind === 'refs') {
        // legacy endpoint: an exact match answers the object, otherwise the list (404 if none)
        const exact = refs.find(r => r.ref === prefix)
        if (exact)
          return { status: 200, body: refJson(ctx.base, rec, exact.ref, exact.sha, exact.type) }
        if (body.length === 0) throw notFound(DOCS.getRef)
      }
      return { status: 200, body }
    }
  },
  {
    method: 'POST',
    pattern: new RegExp(`${R}\\/refs$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.createRef, { gitData: true })
      const body = bodyObject(ctx, DOCS.createRef)
      const ref = requireString(body, 'ref', DOCS.createRef)
      const sha = requireString(body, 'sha', DOCS.createRef)
      if (!ref.startsWith('refs/') || ref.split('/').length < 3) {
        throw unprocessable(
          'Reference name must contain at least three slash-separated components.',
          DOCS.createRef
        )
      }
      if (!isValidRefName(ref))
        throw unprocessable(`${ref} is not a valid ref name.`, DOCS.createRef)
      return rec.git.mutex.run(async () => {
        const [info] = SHA_RE.test(sha) ? await rec.git.objectInfos([sha]) : [undefined]
        if (!info) throw unprocessable('Object does not exist', DOCS.createRef)
        await createRefRace(backend, rec, ref, sha)
        if (await rec.git.readRef(ref))
          throw unprocessable('Reference already exists', DOCS.createRef)
        // e.g. refs/heads/a while refs/heads/a/b exists (or the reverse): git refuses, so does GitHub
        if (!(await rec.git.updateRef(ref, sha, '')))
          throw unprocessable('Reference update failed', DOCS.createRef)
        rec.pushedAt = isoDate(now())
        const json = refJson(ctx.base, rec, ref, sha, info.type)
        return { status: 201, body: json, headers: { location: json.url } }
      })
    }
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`${R}\\/refs\\/(.+)$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.updateRef, { gitData: true })
      const ref = refFromParam(ctx, 422, DOCS.updateRef)
      const body = bodyObject(ctx, DOCS.updateRef)
      const sha = requireString(body, 'sha', DOCS.updateRef)
      const force = optionalBoolean(body, 'force', DOCS.updateRef) ?? false
      return rec.git.mutex.run(async () => {
        const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined
        // "another pusher" gets there first
        if (branch !== undefined) await backend.applyMoveBranch(rec, branch)
        const old = await rec.git.ref(ref)
        if (!old) throw unprocessable('Reference does not exist', DOCS.updateRef)
        const obj = SHA_RE.test(sha) ? await rec.git.readObject(sha) : undefined
        if (!obj || (branch !== undefined && obj.type !== 'commit')) {
          throw unprocessable('Object does not exist', DOCS.updateRef)
        }
        const protection = branch === undefined ? undefined : backend.protection(rec, branch)
        if (protection) throw unprocessable(refusal(protection, 'rest'), DOCS.updateRef)
        const fastForward =
          force ||
          old.sha === sha ||
          (obj.type === 'commit' && parseCommit(sha, obj.content).parents.includes(old.sha)) ||
          (await rec.git.isAncestor(old.sha, sha))
        if (!fastForward) throw unprocessable('Update is not a fast forward', DOCS.updateRef)
        if (!(await rec.git.updateRef(ref, sha, old.sha))) {
          throw unprocessable('Update is not a fast forward', DOCS.updateRef)
        }
        const info = obj
        rec.pushedAt = isoDate(now())
        return { status: 200, body: refJson(ctx.base, rec, ref, sha, info.type) }
      })
    }
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${R}\\/refs\\/(.+)$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.deleteRef, { gitData: true })
      const ref = refFromParam(ctx, 422, DOCS.deleteRef)
      return rec.git.mutex.run(async () => {
        const old = await rec.git.ref(ref)
        if (!old || !(await rec.git.deleteRef(ref, old.sha))) {
          throw unprocessable('Reference does not exist', DOCS.deleteRef)
        }
        return { status: 204 }
      })
    }
  },
  // ---- trees ------------------------------------------------------------------------------
  {
    method: 'GET',
    pattern: new RegExp(`${R}\\/trees\\/(.+)$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.getTree, { gitData: true })
      const name = ctx.params[2] ?? ''
      if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.startsWith('-') || name.includes('..')) {
        throw notFound(DOCS.getTree)
      }
      const sha = await rec.git.resolveTree(name)
      if (!sha) throw notFound(DOCS.getTree)
      // GitHub turns recursion on for any value of `recursive`, even 0 or false.
      const recursive = ctx.query.has('recursive')
      const limit = backend.treeEntryLimit
      const body = await backend.renderedTrees.get(
        `${api(ctx, rec)} ${sha} ${recursive} ${limit}`,
        async () => {
          let entries = await rec.git.lsTree(sha, recursive)
          const truncated = recursive && entries.length > limit
          if (truncated) entries = entries.slice(0, limit)
          return Buffer.from(JSON.stringify(treeBody(ctx, rec, sha, entries, truncated)), 'utf8')
        }
      )
      return { status: 200, body, headers: { 'content-type': JSON_CONTENT_TYPE } }
    }
  },
  {
    method: 'POST',
    pattern: new RegExp(`${R}\\/trees$`),
    handler: async (ctx, backend) => createTree(ctx, backend)
  },
  // ---- blobs ------------------------------------------------------------------------------
  {
    method: 'GET',
    pattern: new RegExp(`${R}\\/blobs\\/([^/]+)$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.getBlob, { gitData: true })
      const sha = ctx.params[2] ?? ''
      const obj = /^[0-9a-f]{4,40}$/.test(sha) ? await rec.git.readObject(sha) : undefined
      if (obj?.type !== 'blob') throw notFound(DOCS.getBlob)
      if (RAW_MEDIA_TYPE.test(ctx.accept)) {
        return {
          status: 200,
          body: obj.content,
          headers: {
            'content-type': 'application/vnd.github.raw; charset=utf-8',
            'x-github-media-type': 'github.v3; param=raw'
          }
        }
      }
      const a = api(ctx, rec)
      const blob: Blob = {
        sha: obj.sha,
        node_id: Buffer.from(`05:Blob${rec.id}:${obj.sha}`).toString('base64'),
        size: obj.size,
        url: `${a}/git/blobs/${obj.sha}`,
        content: base64Lines(obj.content),
        encoding: 'base64'
      }
      return { status: 200, body: blob }
    }
  },
  {
    method: 'POST',
    pattern: new RegExp(`${R}\\/blobs$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.createBlob, { gitData: true })
      const body = bodyObject(ctx, DOCS.createBlob)
      const content = requireString(body, 'content', DOCS.createBlob)
      const encoding = optionalString(body, 'encoding', DOCS.createBlob) ?? 'utf-8'
      if (!['utf-8', 'utf8', 'base64'].includes(encoding)) {
        throw unprocessable(
          `Invalid request.\n\nencoding must be one of "utf-8" or "base64".`,
          DOCS.createBlob
        )
      }
      const data =
        encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8')
      const sha = await rec.git.writeBlob(data)
      const blob: ShortBlob = { sha, url: `${api(ctx, rec)}/git/blobs/${sha}` }
      return { status: 201, body: blob, headers: { location: blob.url } }
    }
  },
  // ---- commits ----------------------------------------------------------------------------
  {
    method: 'GET',
    pattern: new RegExp(`${R}\\/commits\\/([^/]+)$`),
    handler: async (ctx, backend) => {
      const rec = repoFor(ctx, backend, DOCS.getCommit, { gitData: true })
      const sha = ctx.params[2] ?? ''
      const commit = /^[0-9a-f]{4,40}$/.test(sha) ? await rec.git.readCommit(sha) : undefined
      if (!commit) throw notFound(DOCS.getCommit)
      return { status: 200, body: commitJson(ctx.base, rec, commit) }
    }
  },
  {
    method: 'POST',
    pattern: new RegExp(`${R}\\/commits$`),
    handler: async (ctx, backend) => {
      const docs = DOCS.createCommit
      const rec = repoFor(ctx, backend, docs, { gitData: true })
      const body = bodyObject(ctx, docs)
      const message = requireString(body, 'message', docs)
      const tree = requireString(body, 'tree', docs)
      const parents = body.parents ?? []
      if (!Array.isArray(parents) || parents.some(p => typeof p !== 'string')) {
        throw unprocessable(
          `Invalid request.\n\nFor 'properties/parents', ${JSON.stringify(parents)} is not an array of strings.`,
          docs
        )
      }
      const author = parseIdentity(body.author, 'author', docs)
      const committer = parseIdentity(body.committer, 'committer', docs) ?? author
      const infos = await rec.git.objectInfos(
        [tree, ...(parents as string[])].map(s => (SHA_RE.test(s) ? s : '0'.repeat(40)))
      )
      if (infos[0]?.type !== 'tree') throw unprocessable('Tree SHA does not exist', docs)
      if (infos.slice(1).some(i => i?.type !== 'commit')) {
        throw unprocessable('Parent SHA does not exist or is not a commit object', docs)
      }
      const bot: Ident = botIdent(ctx.login)
      const a = author ?? bot
      const c = committer ?? bot
      const sha = await rec.git.commitTree(tree, parents as string[], message, a, c)
      const verification: Verification = author || committer ? { ...UNSIGNED } : signedByGitHub()
      rec.verifications.set(sha, verification)
      const json = commitJson(ctx.base, rec, {
        sha,
        tree,
        parents: parents as string[],
        author: a,
        committer: c,
        message,
        signed: verification.verified
      })
      return { status: 201, body: json, headers: { location: json.url } }
    }
  }
]

/** A create-ref-race fault: another writer creates `ref` first. Caller holds the repo mutex. */
async function createRefRace(backend: Backend, rec: RepoRecord, ref: string, sha: string) {
  const race = backend.faults.takeRefRace(rec.owner, rec.name, ref)
  if (!race || (await rec.git.readRef(ref))) return
  if (race.sha === undefined && race.changes !== undefined) {
    const message = 'Concurrent ref creation (fake-github create-ref-race fault)'
    await backend.commitOnRef(rec, ref, sha, race.changes, message)
  } else {
    await rec.git.updateRef(ref, race.sha ?? sha, '')
  }
}

const invalidEntrySha = (sha: string, type: string, docs: string) =>
  unprocessable(`tree.sha ${sha} is not a valid ${type}`, docs)

async function createTree(ctx: RequestContext, backend: Backend) {
  const docs = DOCS.createTree
  const rec = repoFor(ctx, backend, docs, { gitData: true })
  const body = bodyObject(ctx, docs)
  const items = body.tree
  if (items === undefined) throw unprocessable(`Invalid request.\n\n"tree" wasn't supplied.`, docs)
  if (!Array.isArray(items)) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/tree', ${JSON.stringify(items)} is not an array.`,
      docs
    )
  }
  const baseTree = optionalString(body, 'base_tree', docs)

  const edits: TreeEdit[] = []
  const contents: { index: number; data: Buffer }[] = []
  const checks: { index: number; sha: string; type: string }[] = []
  items.forEach((item: unknown, index) => {
    if (!isObject(item)) throw unprocessable('Invalid tree info', docs)
    const path = requireString(item, 'path', docs)
    const mode = requireString(item, 'mode', docs)
    if (!TREE_MODES.includes(mode)) {
      throw unprocessable(
        `Invalid request.\n\nFor 'properties/mode', ${JSON.stringify(mode)} is not one of ${JSON.stringify(TREE_MODES)}.`,
        docs
      )
    }
    if (isMalformedPath(path))
      throw unprocessable('tree.path contains a malformed path component', docs)
    const type = typeOfMode(mode)
    if (item.type !== undefined && item.type !== type)
      throw unprocessable('Invalid tree info', docs)
    const hasSha = 'sha' in item
    const hasContent = 'content' in item && item.content !== undefined
    if (hasSha === hasContent) {
      throw unprocessable(
        'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
        docs
      )
    }
    if (hasContent) {
      if (typeof item.content !== 'string' || type !== 'blob')
        throw unprocessable('Invalid tree info', docs)
      contents.push({ index, data: Buffer.from(item.content, 'utf8') })
      edits.push({ path, entry: { mode, type, sha: '' } })
    } else if (item.sha === null) {
      edits.push({ path, entry: null })
    } else {
      if (typeof item.sha !== 'string') {
        throw unprocessable(
          `Invalid request.\n\nFor 'properties/sha', ${JSON.stringify(item.sha)} is not a string or null.`,
          docs
        )
      }
      // GitHub: "tree.sha <sha> is not a valid blob" for an unknown, foreign or mistyped object
      // (a submodule's commit lives in another repository and is not checked)
      if (!SHA_RE.test(item.sha)) throw invalidEntrySha(item.sha, type, docs)
      if (type !== 'commit') checks.push({ index, sha: item.sha, type })
      edits.push({ path, entry: { mode, type, sha: item.sha } })
    }
  })

  const specs = [
    ...(baseTree === undefined ? [] : [SHA_RE.test(baseTree) ? baseTree : '0'.repeat(40)]),
    ...checks.map(c => c.sha)
  ]
  const infos = await rec.git.objectInfos(specs)
  if (baseTree !== undefined && infos.shift()?.type !== 'tree')
    throw unprocessable('base_tree is not a valid tree oid', docs)
  checks.forEach((check, i) => {
    if (infos[i]?.type !== check.type) throw invalidEntrySha(check.sha, check.type, docs)
  })
  // Blob and tree ids are computed with git's algorithm; one `git unpack-objects` stores them all.
  const blobShas = contents.map(c => blobSha(c.data))
  contents.forEach((c, i) => {
    const edit = edits[c.index]
    if (edit?.entry) edit.entry.sha = blobShas[i] ?? ''
  })
  let tree: { sha: string; trees: Buffer[] }
  try {
    tree = await editTree(rec.git, baseTree, edits)
  } catch (e) {
    if (e instanceof TreeEditError) throw unprocessable(e.message, docs)
    throw e
  }
  await rec.git.writeObjects([
    ...contents.map(c => ({ type: 'blob' as const, data: c.data })),
    ...tree.trees.map(data => ({ type: 'tree' as const, data }))
  ])
  const sha = tree.sha
  const entries = await rec.git.lsTree(sha, false)
  const json = treeBody(ctx, rec, sha, entries, false)
  return { status: 201, body: json, headers: { location: json.url ?? '' } }
}
