// The FakeGitHub server: node:http on 127.0.0.1, a random port, one temp root of bare repos.
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { looksLikeJwt, type AppRecord } from './apps.js'
import { Backend } from './backend.js'
import { BOT_NAME } from './git.js'
import {
  DOCS,
  HttpError,
  JSON_CONTENT_TYPE,
  notFound,
  type ApiResult,
  type Grant,
  type RequestContext
} from './http.js'
import { RateLimiter } from './rate-limit.js'
import type { Route } from './routing.js'
import { APP_PATH, appRoutes } from './routes-apps.js'
import { gitRoutes } from './routes-git.js'
import { pullRoutes } from './routes-pulls.js'
import { repoRoutes } from './routes-repos.js'
import { htmlBase, type RateLimitOverview } from './shapes.js'
import type {
  AppCredentials,
  AppOptions,
  CommentRecord,
  Fault,
  FakeGitHubOptions,
  FileInfo,
  FileSpec,
  PullRecord,
  RepoOptions,
  RequestLogEntry,
  TokenGrant
} from './types.js'

const ROUTES: Route[] = [...repoRoutes, ...gitRoutes, ...pullRoutes, ...appRoutes]
const RATE_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'
const GRAPHQL_DOCS = 'https://docs.github.com/graphql'
/** What an App JWT may do outside the App endpoints: nothing. */
const NO_GRANT: Grant = { write: 'none', sees: () => false }
const STATUS_TEXT: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Validation Failed',
  429: 'Too Many Requests',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable'
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

/** A configured token's grant: one with a `read` list sees only those repositories (and public ones). */
function tokenGrant(token: TokenGrant): Grant {
  const read = token.read ?? 'all'
  if (read === 'all') return token
  const full = new Set(read.filter(r => r.includes('/')).map(r => r.toLowerCase()))
  const names = new Set(read.filter(r => !r.includes('/')).map(r => r.toLowerCase()))
  return {
    ...token,
    sees: rec =>
      names.has(rec.name.toLowerCase()) || full.has(`${rec.owner}/${rec.name}`.toLowerCase())
  }
}

function tokenOf(header: string | undefined): string | undefined {
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')
  return m?.[1]
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

function requestId(): string {
  const h = randomBytes(14).toString('hex').toUpperCase()
  return `${h.slice(0, 4)}:${h.slice(4, 10)}:${h.slice(10, 17)}:${h.slice(17, 24)}:${h.slice(24, 28)}`
}

export class FakeGitHub {
  readonly log: RequestLogEntry[] = []
  private readonly limiter: RateLimiter
  private readonly tokens: Map<string, Grant>

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly backend: Backend,
    private readonly ownedRoot: string | undefined,
    options: FakeGitHubOptions
  ) {
    this.limiter = new RateLimiter(options.rateLimit ?? 5000)
    const tokens = options.tokens ?? { 'test-token': { write: 'all' } }
    this.tokens = new Map(
      Object.entries(tokens).map(([token, grant]) => [token, tokenGrant(grant)])
    )
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    let root = options.root
    let ownedRoot: string | undefined
    if (root) await mkdir(root, { recursive: true })
    else root = ownedRoot = await mkdtemp(path.join(os.tmpdir(), 'fake-github-'))
    const backend = new Backend(root, options.treeEntryLimit ?? 100000)
    const server = http.createServer()
    // Like GitHub, connections stay open between requests (clients reuse them for seconds).
    server.keepAliveTimeout = 5000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = server.address() as AddressInfo
    const fake = new FakeGitHub(server, `http://127.0.0.1:${port}`, backend, ownedRoot, options)
    server.on('request', (req, res) => void fake.handle(req, res))
    return fake
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
    if (this.ownedRoot) await rm(this.ownedRoot, { recursive: true, force: true })
  }

  // ---- test helpers ---------------------------------------------------------------------------

  async createRepo(owner: string, name: string, options?: RepoOptions): Promise<void> {
    await this.backend.createRepo(owner, name, options)
  }

  commit(
    owner: string,
    name: string,
    branch: string,
    changes: Record<string, FileSpec | null>,
    message = 'Update files'
  ): Promise<string> {
    return this.backend.commit(this.backend.get(owner, name), branch, changes, message)
  }

  setRepo(
    owner: string,
    name: string,
    patch: Partial<
      Pick<RepoOptions, 'archived' | 'fork' | 'disabled' | 'topics' | 'protectedBranches'>
    >
  ): void {
    const rec = this.backend.get(owner, name)
    if (patch.protectedBranches !== undefined)
      rec.protectedBranches = patch.protectedBranches.map(p => ({ ...p }))
    if (patch.archived !== undefined) rec.archived = patch.archived
    if (patch.fork !== undefined) rec.fork = patch.fork
    if (patch.disabled !== undefined) rec.disabled = patch.disabled
    if (patch.topics !== undefined) rec.topics = [...patch.topics]
  }

  /**
   * Bare repository directory, for inspecting state with the git CLI: from this call on, every
   * object the repository has or gets is on disk (the fake keeps a new repository's in memory).
   */
  repoDir(owner: string, name: string): string {
    return this.backend.get(owner, name).git.handOut()
  }

  async files(owner: string, name: string, ref: string): Promise<Record<string, FileInfo>> {
    const rec = this.backend.get(owner, name)
    const tree = rec.empty ? undefined : await rec.git.resolve(`${ref}^{tree}`)
    if (!tree) return {}
    const entries = (await rec.git.lsTree(tree, true)).filter(e => e.type !== 'tree')
    const blobs = entries.filter(e => e.type === 'blob')
    const objects = await rec.git.readObjects(blobs.map(e => e.sha))
    const content = new Map(objects.map(o => [o?.sha ?? '', o?.content ?? Buffer.alloc(0)]))
    const out: Record<string, FileInfo> = {}
    for (const e of entries) {
      out[e.path] = {
        content: e.type === 'blob' ? (content.get(e.sha) ?? Buffer.alloc(0)) : Buffer.alloc(0),
        mode: e.mode,
        type: e.type === 'commit' ? 'commit' : 'blob'
      }
    }
    return out
  }

  async text(
    owner: string,
    name: string,
    ref: string,
    filePath: string
  ): Promise<string | undefined> {
    const rec = this.backend.get(owner, name)
    if (rec.empty || /[\n]/.test(ref + filePath)) return undefined
    const obj = await rec.git.readObject(`${ref}:${filePath}`)
    return obj?.type === 'blob' ? obj.content.toString('utf8') : undefined
  }

  head(owner: string, name: string, branch: string): Promise<string | undefined> {
    return this.backend.get(owner, name).git.branchHead(branch)
  }

  async commitInfo(
    owner: string,
    name: string,
    sha: string
  ): Promise<{ message: string; parents: string[]; tree: string; authorName: string }> {
    const commit = await this.backend.get(owner, name).git.readCommit(sha)
    if (!commit) throw new Error(`fake-github: no commit ${sha} in ${owner}/${name}`)
    return {
      message: commit.message,
      parents: commit.parents,
      tree: commit.tree,
      authorName: commit.author.name
    }
  }

  pulls(owner: string, name: string): PullRecord[] {
    const rec = this.backend.get(owner, name)
    return rec.pulls.map(p => ({
      number: p.number,
      title: p.title,
      body: p.body,
      head: p.head,
      base: p.base,
      state: p.state,
      html_url: `${htmlBase(this.url)}/${rec.owner}/${rec.name}/pull/${p.number}`,
      draft: p.draft,
      labels: [...p.labels],
      requested_reviewers: [...p.requestedReviewers],
      requested_teams: [...p.requestedTeams]
    }))
  }

  /** The comments on pull request `number`, oldest first, as the issue comments API keeps them. */
  comments(owner: string, name: string, number: number): CommentRecord[] {
    const rec = this.backend.get(owner, name)
    return rec.comments
      .filter(c => c.issue === number)
      .map(c => ({
        id: c.id,
        body: c.body,
        author: c.author,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
        html_url: `${htmlBase(this.url)}/${rec.owner}/${rec.name}/pull/${number}#issuecomment-${c.id}`
      }))
  }

  /**
   * Registers a GitHub App installed on `owner` (RSA 2048 key pair; the fake keeps the public
   * key). Its JWT opens the App endpoints; its installation tokens (`ghs_…`) work like tokens.
   */
  createApp(options: AppOptions): Promise<AppCredentials> {
    return this.backend.apps.create(options)
  }

  clearLog(): void {
    this.log.length = 0
  }

  addFault(fault: Fault): void {
    this.backend.faults.add(fault)
  }

  clearFaults(): void {
    this.backend.faults.clear()
  }

  // ---- request handling -----------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const time = Date.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', this.url)
    let rawPath = url.pathname
    let prefix = ''
    if (rawPath === '/api/graphql') {
      // GitHub Enterprise Server: GraphQL at /api/graphql, REST under /api/v3
      rawPath = '/graphql'
      prefix = '/api/v3'
    } else if (rawPath === '/api/v3' || rawPath.startsWith('/api/v3/')) {
      prefix = '/api/v3'
      rawPath = rawPath.slice(prefix.length) || '/'
    }
    const pathName = decode(rawPath)
    const graphql = rawPath === '/graphql'
    const token = tokenOf(req.headers.authorization)
    const id = requestId()
    let truncation: ReturnType<typeof this.backend.faults.takeTruncation>
    let body: unknown
    let result: ApiResult
    let rateHeaders: Record<string, string> = {}
    let operation: RequestLogEntry['graphql']
    try {
      const raw = await readBody(req)
      const text = raw.toString('utf8')
      truncation = this.backend.faults.takeTruncation(method, pathName, text)
      let parseError = false
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'))
        } catch {
          parseError = true
          body = raw.toString('utf8')
        }
      }
      const latency = this.backend.faults.latency(method, pathName)
      if (latency > 0) await sleep(latency)
      const deletion = this.backend.faults.takeDeleteRepo(method, pathName)
      if (deletion) this.backend.deleteRepo(deletion.owner, deletion.repo)
      const fault = this.backend.faults.takeAnswer(method, pathName, text)
      const auth = this.authenticate(token, pathName, graphql)
      const resource = graphql ? 'graphql' : 'core'
      const bucket = `${resource}:${auth.bucket}`
      rateHeaders = this.limiter.headers(bucket, auth.limit, resource)
      if (fault) {
        result = this.faultResult(fault, id, rateHeaders)
      } else if (auth.error) {
        result = { status: auth.error.status, body: auth.error.toBody() }
      } else if (rawPath === '/rate_limit') {
        result = { status: 200, body: this.rateLimitBody(rateHeaders) }
      } else if (!this.limiter.take(bucket)) {
        rateHeaders = this.limiter.headers(bucket, auth.limit, resource)
        result = this.rateLimited(graphql, id)
      } else {
        rateHeaders = this.limiter.headers(bucket, auth.limit, resource)
        if (parseError) {
          const docs = graphql ? GRAPHQL_DOCS : DOCS
          result = { status: 400, body: new HttpError(400, 'Problems parsing JSON', docs).toBody() }
        } else {
          const ctx: RequestContext = {
            method,
            path: pathName,
            params: [],
            query: url.searchParams,
            body,
            base: `http://${req.headers.host ?? new URL(this.url).host}${prefix}`,
            token: token ?? '',
            grant: auth.grant ?? NO_GRANT,
            login: auth.grant?.login ?? (auth.app ? `${auth.app.slug}[bot]` : BOT_NAME),
            accept: req.headers.accept ?? '',
            app: auth.app
          }
          if (graphql) {
            const answer = await this.graphql(ctx, rateHeaders)
            operation = answer.operation
            result = answer.result
          } else {
            result = await this.route(ctx, rawPath)
          }
        }
      }
    } catch (e) {
      if (e instanceof HttpError) {
        result = { status: e.status, body: e.toBody(), headers: e.headers }
      } else {
        const message = e instanceof Error ? e.message : String(e)
        result = {
          status: 500,
          body: { message: `fake-github internal error: ${message}`, status: '500' }
        }
      }
    }
    const truncateAt = truncation ? (truncation.bytes ?? -1) : undefined
    this.send(res, result, { ...rateHeaders, 'x-github-request-id': id }, truncateAt)
    this.log.push({
      method,
      path: pathName,
      query: Object.fromEntries(url.searchParams),
      status: result.status,
      ...(token !== undefined ? { token } : {}),
      ...(body !== undefined ? { body } : {}),
      time,
      answered: Date.now(),
      ...(operation ? { graphql: operation } : {})
    })
  }

  /**
   * Who is asking: a configured token or a live installation token (REST and GraphQL), or an App
   * JWT (App endpoints only). A JWT elsewhere, an unknown or expired token: 401 Bad credentials;
   * anything but a JWT on an App endpoint: 401 "A JSON web token could not be decoded".
   */
  private authenticate(
    token: string | undefined,
    path: string,
    graphql: boolean
  ): { grant?: Grant; app?: AppRecord; error?: HttpError; bucket: string; limit: number } {
    const anonymous = { bucket: 'anonymous', limit: 60 }
    const limit = this.limiter.limit
    if (APP_PATH.test(path)) {
      if (token === undefined || !looksLikeJwt(token))
        return { ...anonymous, error: new HttpError(401, 'A JSON web token could not be decoded') }
      try {
        const app = this.backend.apps.verifyJwt(token)
        return { app, bucket: `app:${app.id}`, limit }
      } catch (e) {
        if (e instanceof HttpError) return { ...anonymous, error: e }
        throw e
      }
    }
    const grant: Grant | undefined =
      token === undefined || looksLikeJwt(token)
        ? undefined
        : (this.tokens.get(token) ?? this.backend.apps.grant(token))
    if (!grant) {
      const docs = graphql ? GRAPHQL_DOCS : DOCS
      return { ...anonymous, error: new HttpError(401, 'Bad credentials', docs) }
    }
    return { grant, bucket: grant.bucket ?? `token:${token}`, limit }
  }

  /** The primary limit is spent: REST answers 403, GraphQL 200 with a RATE_LIMITED error. */
  private rateLimited(graphql: boolean, id: string): ApiResult {
    if (graphql) {
      const errors = [
        { type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1.' }
      ]
      return { status: 200, body: { errors } }
    }
    const message = `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${new Date().toISOString()}.`
    return {
      status: 403,
      body: new HttpError(403, message, `${RATE_DOCS}#about-rate-limits`).toBody()
    }
  }

  private async graphql(
    ctx: RequestContext,
    rateHeaders: Record<string, string>
  ): Promise<{ result: ApiResult; operation?: RequestLogEntry['graphql'] }> {
    const [{ operationOf, readRequest, run }, { ObjectLoader }] = await Promise.all([
      import('./graphql.js'),
      import('./graphql-resolvers.js')
    ])
    const request = readRequest(ctx.body)
    if (!('document' in request)) return { result: { status: 200, body: request } }
    const op = operationOf(request)
    const operation = op && {
      operation: op.operation,
      fields: op.selectionSet.selections.flatMap(s => (s.kind === 'Field' ? [s.name.value] : []))
    }
    const answer = await run(request, {
      backend: this.backend,
      grant: ctx.grant,
      login: ctx.login,
      base: ctx.base,
      loader: new ObjectLoader(),
      rateLimit: {
        cost: 1,
        limit: Number(rateHeaders['x-ratelimit-limit']),
        remaining: Number(rateHeaders['x-ratelimit-remaining']),
        used: Number(rateHeaders['x-ratelimit-used']),
        resetAt: new Date(Number(rateHeaders['x-ratelimit-reset']) * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z')
      }
    })
    return { result: { status: 200, body: answer }, operation }
  }

  private async route(ctx: RequestContext, rawPath: string): Promise<ApiResult> {
    for (const route of ROUTES) {
      if (route.method !== ctx.method) continue
      const m = route.pattern.exec(rawPath)
      if (!m) continue
      ctx.params = m.slice(1).map(p => (p === undefined ? '' : decode(p)))
      return route.handler(ctx, this.backend)
    }
    throw notFound(DOCS)
  }

  private faultResult(
    fault: Extract<Fault, { kind: 'status' | 'rate-limit' | 'secondary-rate-limit' }>,
    id: string,
    rateHeaders: Record<string, string>
  ): ApiResult {
    if (fault.kind === 'status') {
      const message = fault.message ?? STATUS_TEXT[fault.status] ?? 'Server Error'
      return {
        status: fault.status,
        // 4xx answers carry GitHub's usual error body; 5xx ones only a message
        body: fault.status < 500 ? new HttpError(fault.status, message).toBody() : { message },
        ...(fault.retryAfter !== undefined
          ? { headers: { 'retry-after': String(fault.retryAfter) } }
          : {})
      }
    }
    if (fault.kind === 'secondary-rate-limit') {
      const message = `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`
      const status = fault.status ?? 403
      return {
        status,
        body: new HttpError(status, message, `${RATE_DOCS}#about-secondary-rate-limits`).toBody(),
        headers: { 'retry-after': String(fault.retryAfter) }
      }
    }
    const limit = rateHeaders['x-ratelimit-limit'] ?? String(this.limiter.limit)
    const message = `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${new Date().toISOString()}.`
    const status = fault.status ?? 403
    return {
      status,
      body: new HttpError(status, message, `${RATE_DOCS}#about-rate-limits`).toBody(),
      headers: {
        'x-ratelimit-limit': limit,
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': limit,
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + fault.resetInSeconds)
      }
    }
  }

  private rateLimitBody(h: Record<string, string>): RateLimitOverview {
    const core = {
      limit: Number(h['x-ratelimit-limit']),
      used: Number(h['x-ratelimit-used']),
      remaining: Number(h['x-ratelimit-remaining']),
      reset: Number(h['x-ratelimit-reset'])
    }
    // the fake serves no search API: its (required) bucket is always full
    const search = { limit: 30, used: 0, remaining: 30, reset: Math.floor(Date.now() / 1000) + 60 }
    return { resources: { core, search }, rate: core }
  }

  /** Sends the answer; `truncateAt` (bytes, -1 for half) sends only that much of the body, then hangs up. */
  private send(
    res: http.ServerResponse,
    result: ApiResult,
    base: Record<string, string>,
    truncateAt?: number
  ): void {
    const headers: Record<string, string> = {
      ...base,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      ...(result.headers ?? {})
    }
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers)
      res.end()
      return
    }
    const raw = Buffer.isBuffer(result.body)
    const payload = raw ? (result.body as Buffer) : Buffer.from(JSON.stringify(result.body), 'utf8')
    if (!raw) headers['content-type'] = JSON_CONTENT_TYPE
    headers['content-length'] = String(payload.length)
    res.writeHead(result.status, headers)
    if (truncateAt === undefined) {
      res.end(payload)
      return
    }
    const cut = truncateAt < 0 ? Math.floor(payload.length / 2) : truncateAt
    res.write(payload.subarray(0, Math.max(0, Math.min(cut, payload.length - 1))), () =>
      res.destroy()
    )
  }
}
