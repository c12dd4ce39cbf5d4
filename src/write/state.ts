/** What the codex remembers between runs, at refs/codex-sync/state: the routing of codex Markdown
 * blobs by SHA, and the projects each mode and shard deferred.
 *
 * Nothing there is reviewed: anyone who can push to the codex can rewrite a ref outside its
 * branches. So the routing is only trusted when it carries a valid HMAC under the run's state key
 * (input `state_key`, or one derived from the App's private key), which only the workflow holds;
 * without a key it is neither read nor written, and each run reads the frontmatter afresh. A
 * signed routing is a pure function of a blob's content, so it can save reads but never change
 * what a project receives. Deferrals only order the projects of a run, and are only validated.
 * Anything that fails a check is dropped with one warning naming the file; no shape of state
 * fails a project or the run.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { GitData } from '../github/git-data.js'
import type { FoundBlob, RefFiles, RefFilesQuestion } from '../github/graphql.js'
import { messageOf, type Log } from '../model.js'
import { asFileRouting, ROUTING_VERSION, type FileRouting } from '../plan/routing.js'

/** The ref, outside branches, so that no branch, pull request or workflow ever sees it. */
const STATE_REF = 'codex-sync/state'
/** Saves tried when other runs keep moving the ref. */
const SAVE_ATTEMPTS = 5
/** The format of the state's files: a file of another version is not read. */
const STATE_VERSION = 2
/** Deferred projects kept at most (more than any organisation's repositories). */
const MAX_DEFERRED = 100_000
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/
/**
 * Bytes of a state file read at the most: the routing of a million codex documents takes some 60
 * MB; anything larger was not written by this action, and is not downloaded to find out.
 */
const MAX_STATE_BYTES = 64 * 1024 * 1024
const BLOB_SHA = /^[0-9a-f]{40}$/

/** The routing file as written: a payload (JSON in a string) and its HMAC. */
interface SignedFile {
  version: number
  mac: string
  payload: string
}

/** What the signed payload holds. */
interface RoutingPayload {
  environment: string
  routing_version: number
  /** Each distinct routing once. */
  rules: FileRouting[]
  /** Blob SHA -> index in `rules`. */
  files: Record<string, number>
}

interface DeferredFile {
  version: number
  projects: string[]
}

/** Which state a run reads: its environment's routing (if it routes) and its mode and shard's deferrals. */
export interface StateKey {
  environment: string
  deferrals: string
  routing: boolean
  /** The key of the routing's signatures; undefined: the routing is neither read nor written. */
  secret: Buffer | undefined
}

export class CodexState {
  private readonly routing = new Map<string, FileRouting>()
  private deferred: string[] = []
  private readonly rules = new Map<string, FileRouting>()
  /** The codex blobs whose routing is worth keeping (set by keepRouting). */
  private kept: ReadonlySet<string> | undefined
  private changed = false

  private constructor(
    private readonly git: GitData,
    private readonly repo: string,
    private readonly log: Log,
    private readonly key: StateKey,
    private head: string | undefined
  ) {}

  /**
   * The state as the codex holds it; an empty one when it has none or it cannot be read. Each
   * environment keeps its own routing file (its branch holds its own blobs), each mode and shard of
   * an environment its own deferrals.
   */
  static async load(
    git: GitData,
    repo: string,
    log: Log,
    key: StateKey,
    found?: RefFiles
  ): Promise<CodexState> {
    try {
      const head = found ? found.head : await git.refHead(repo, STATE_REF)
      const state = new CodexState(git, repo, log, key, head)
      if (head) await state.read(head, found)
      return state
    } catch (error) {
      log.warning(
        `The codex state (refs/${STATE_REF}) cannot be read: ${messageOf(error)}. Going on without it.`
      )
      return new CodexState(git, repo, log, key, undefined)
    }
  }

  /** What a run asks the first look for: the state's files at its ref. */
  static question(key: StateKey): RefFilesQuestion {
    const { routing, deferred } = stateFiles(key)
    return {
      ref: `refs/${STATE_REF}`,
      paths: routing === undefined ? [deferred] : [routing, deferred]
    }
  }

  routingOf(sha: string): FileRouting | undefined {
    return this.routing.get(sha)
  }

  learn(sha: string, routing: FileRouting): void {
    this.routing.set(sha, this.interned(routing))
    if (this.remembersRouting) this.changed = true
  }

  /** Whether the routing is kept between runs (a run that routes, with a key to sign it). */
  private get remembersRouting(): boolean {
    return stateFiles(this.key).routing !== undefined
  }

  /** Forgets the routing of blobs the codex no longer holds, so the state does not grow forever. */
  keepRouting(shas: ReadonlySet<string>): void {
    this.kept = shas
    for (const sha of this.routing.keys()) {
      if (shas.has(sha)) continue
      this.routing.delete(sha)
      if (this.remembersRouting) this.changed = true
    }
  }

  /** The projects the last run of this mode, environment and shard did not reach. */
  get deferredProjects(): string[] {
    return this.deferred
  }

  setDeferred(projects: string[]): void {
    const sorted = [...projects].sort()
    if (JSON.stringify(sorted) === JSON.stringify(this.deferred)) return
    this.deferred = sorted
    this.changed = true
  }

  /**
   * Writes what changed, as a commit on the state ref that moves only if nobody moved it since it
   * was read (see Writer.saveState, which keeps a dry run from writing). When another run (the
   * other push mode, another shard) saved meanwhile, its routing is merged in and the save tried
   * again on its commit: neither run's work is lost.
   */
  async save(): Promise<void> {
    if (!this.changed) return
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      if (await this.write()) {
        this.changed = false
        return
      }
      this.head = await this.git.refHead(this.repo, STATE_REF)
      if (this.head) await this.mergeRouting(this.head)
    }
    this.log.warning(`The codex state (refs/${STATE_REF}) kept moving; it was not saved.`)
  }

  /** The state's files from `found` (the first look) or, without it, from the state commit's tree. */
  private async read(head: string, found: RefFiles | undefined): Promise<void> {
    const paths = stateFiles(this.key)
    // A tree's entries name a blob without its bytes; the first look may give them.
    const files: ReadonlyMap<string, StateBlob | undefined> =
      found?.files ?? (await this.git.readTree(this.repo, head)).files
    const text = async (file: StateBlob | undefined, path: string) => {
      if (!file) return undefined
      if ((file.size ?? 0) > MAX_STATE_BYTES) {
        this.log.warning(
          `The codex state's ${path} (refs/${STATE_REF}) is ${file.size} bytes, more than any state this action writes; it is not used.`,
          { title: 'codex-sync: codex state not used' }
        )
        return undefined
      }
      return (file.bytes ?? (await this.git.readBlob(this.repo, file.sha))).toString('utf8')
    }
    // Both files are read side by side: the state is on the way to the first project.
    const [routing, deferred] = await Promise.all([
      paths.routing === undefined ? undefined : text(files.get(paths.routing), paths.routing),
      text(files.get(paths.deferred), paths.deferred)
    ])
    if (routing !== undefined) this.takeRouting(routing)
    if (deferred !== undefined) this.deferred = this.checkedDeferrals(deferred) ?? []
  }

  /** The routing file of the state at `head` merged into this run's (after another run saved). */
  private async mergeRouting(head: string): Promise<void> {
    const path = stateFiles(this.key).routing
    if (path === undefined) return
    const file = (await this.git.readTree(this.repo, head)).files.get(path)
    if (file && (file.size ?? 0) <= MAX_STATE_BYTES) {
      this.takeRouting((await this.git.readBlob(this.repo, file.sha)).toString('utf8'))
    }
  }

  /** A routing file's entries, when it is signed with this run's key and holds what it should. */
  private takeRouting(text: string): void {
    const path = stateFiles(this.key).routing as string
    const payload = this.verified(text, path)
    if (payload === undefined) return
    for (const [sha, index] of Object.entries(payload.files)) {
      if (this.kept && !this.kept.has(sha)) continue
      if (!this.routing.has(sha)) this.routing.set(sha, payload.rules[index] as FileRouting)
    }
  }

  /** The payload of a signed routing file, checked field by field; undefined (and one warning) otherwise. */
  private verified(text: string, path: string): RoutingPayload | undefined {
    const drop = (why: string) => {
      this.log.warning(
        `The codex state's ${path} (refs/${STATE_REF}) ${why}; it is not used: this run reads the routing of the codex files from their frontmatter.`,
        { title: 'codex-sync: codex state not used' }
      )
      return undefined
    }
    const secret = this.key.secret
    if (secret === undefined) return undefined
    const signed = parseJson(text) as Partial<SignedFile> | undefined
    if (signed?.version !== STATE_VERSION) return drop(`is not of version ${STATE_VERSION}`)
    if (typeof signed.payload !== 'string' || typeof signed.mac !== 'string')
      return drop('is not signed')
    if (!sameMac(signed.mac, mac(secret, this.where(path), signed.payload)))
      return drop(
        'does not carry a valid signature of this workflow (written with another state key, or by hand)'
      )
    const payload = asPayload(parseJson(signed.payload), this.key.environment)
    if (payload === undefined) return drop('holds entries that are not routings of codex files')
    payload.rules = payload.rules.map(rule => this.interned(rule))
    return payload
  }

  /** The deferred projects, when the file holds a list of repository names; else one warning. */
  private checkedDeferrals(text: string): string[] | undefined {
    const file = parseJson(text) as Partial<DeferredFile> | undefined
    const projects = file?.projects
    // The earlier format said no version: its list is read alike.
    const valid =
      (file?.version === STATE_VERSION || (file != null && !('version' in file))) &&
      Array.isArray(projects) &&
      projects.length <= MAX_DEFERRED &&
      projects.every(name => typeof name === 'string' && REPOSITORY_NAME.test(name))
    if (valid) return projects
    this.log.warning(
      `The codex state's ${stateFiles(this.key).deferred} (refs/${STATE_REF}) is not a list of repository names; it is not used.`,
      { title: 'codex-sync: codex state not used' }
    )
    return undefined
  }

  /** One commit on the state ref holding the files that changed; false when the ref moved. */
  private async write(): Promise<boolean> {
    const paths = stateFiles(this.key)
    const changes = [
      {
        path: paths.deferred,
        mode: '100644',
        content: JSON.stringify({ version: STATE_VERSION, projects: this.deferred })
      }
    ]
    const secret = this.key.secret
    if (paths.routing !== undefined && secret !== undefined) {
      const payload = JSON.stringify(this.payload())
      const file: SignedFile = {
        version: STATE_VERSION,
        mac: mac(secret, this.where(paths.routing), payload),
        payload
      }
      changes.push({ path: paths.routing, mode: '100644', content: JSON.stringify(file) })
    }
    const parentTree = this.head
      ? (await this.git.readTree(this.repo, this.head)).treeSha
      : undefined
    const tree = await this.git.createTree(this.repo, parentTree, changes)
    const commit = await this.git.createCommit(
      this.repo,
      'codex-sync: state (routing of codex files, deferred projects)',
      tree,
      this.head ? [this.head] : []
    )
    const moved = this.head
      ? await this.git.updateRef(this.repo, STATE_REF, commit.sha)
      : await this.git.createRef(this.repo, STATE_REF, commit.sha)
    if (moved) this.head = commit.sha
    return moved
  }

  /** What a signature is bound to: the codex, and the file's path in the state. */
  private where(path: string): string {
    return `${this.git.owner}/${this.repo}\0${path}`
  }

  private payload(): RoutingPayload {
    const rules: FileRouting[] = []
    const indexes = new Map<FileRouting, number>()
    const files: Record<string, number> = {}
    for (const [sha, routing] of this.routing) {
      let index = indexes.get(routing)
      if (index === undefined) {
        index = rules.push(routing) - 1
        indexes.set(routing, index)
      }
      files[sha] = index
    }
    return { environment: this.key.environment, routing_version: ROUTING_VERSION, rules, files }
  }

  /** One object per distinct routing, so that its compiled matchers are shared by every file. */
  private interned(routing: FileRouting): FileRouting {
    const key = JSON.stringify(routing)
    const known = this.rules.get(key)
    if (known) return known
    this.rules.set(key, routing)
    return routing
  }
}

/** A state file's blob, by SHA, with its bytes when they came with the first look, and its size. */
type StateBlob = Pick<FoundBlob, 'sha' | 'size'> & { bytes?: Buffer | undefined }

interface StateFiles {
  routing: string | undefined
  deferred: string
}

function stateFiles(key: StateKey): StateFiles {
  return {
    // Only a run that routes, and can sign, reads and writes the routing file.
    routing:
      key.routing && key.secret !== undefined ? `routing/${key.environment}.json` : undefined,
    deferred: `deferred/${key.deferrals}.json`
  }
}

/** The signature of a state file's payload, bound to the codex and the file's path (`where`). */
function mac(secret: Buffer, where: string, payload: string): string {
  return createHmac('sha256', secret)
    .update(`codex-sync state\0${where}\0`)
    .update(payload)
    .digest('hex')
}

function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** A payload whose every field is what the action writes; undefined otherwise. */
function asPayload(value: unknown, environment: string): RoutingPayload | undefined {
  const payload = value as Partial<Record<keyof RoutingPayload, unknown>> | undefined
  if (typeof payload !== 'object' || payload === null) return undefined
  if (payload.environment !== environment || payload.routing_version !== ROUTING_VERSION)
    return undefined
  if (!Array.isArray(payload.rules)) return undefined
  const rules = payload.rules.map(asFileRouting)
  if (rules.some(rule => rule === undefined)) return undefined
  const files = payload.files
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return undefined
  const valid = Object.entries(files).every(
    ([sha, index]) =>
      BLOB_SHA.test(sha) && Number.isInteger(index) && index >= 0 && index < rules.length
  )
  if (!valid) return undefined
  return {
    environment,
    routing_version: ROUTING_VERSION,
    rules: rules as FileRouting[],
    files: files as Record<string, number>
  }
}
