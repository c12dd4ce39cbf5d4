/** What the codex remembers between runs, at refs/codex-sync/state: routing by blob SHA, deferrals. */
import type { GitData } from '../github/git-data.js'
import type { FoundBlob, RefFiles, RefFilesQuestion } from '../github/graphql.js'
import { messageOf, type Log } from '../model.js'
import { ROUTING_VERSION, type FileRouting } from '../plan/routing.js'

/** The ref, outside branches, so that no branch, pull request or workflow ever sees it. */
const STATE_REF = 'codex-sync/state'
const SAVE_ATTEMPTS = 3

interface RoutingFile {
  version: number
  /** Blob SHA -> what its frontmatter says. */
  files: Record<string, FileRouting>
}

interface DeferredFile {
  projects: string[]
}

/**
 * The routing of each codex Markdown blob ever read (a SHA names its content, so its routing never
 * changes), and per mode and shard the projects a run deferred. Reading it costs a few requests;
 * it is written (three writes) only when it changed, and a failure to read or write it is only
 * a warning: it saves work, it never decides what is synced.
 */
export class CodexState {
  private readonly routing = new Map<string, FileRouting>()
  private deferred: string[] = []
  private readonly rules = new Map<string, FileRouting>()
  private changed = false

  private constructor(
    private readonly git: GitData,
    private readonly repo: string,
    private readonly log: Log,
    private readonly files: StateFiles,
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
    const files = stateFiles(key)
    try {
      const head = found ? found.head : await git.refHead(repo, STATE_REF)
      const state = new CodexState(git, repo, log, files, head)
      if (head) await state.read(head, found)
      return state
    } catch (error) {
      log.warning(
        `The codex state (refs/${STATE_REF}) cannot be read: ${messageOf(error)}. Going on without it.`
      )
      return new CodexState(git, repo, log, files, undefined)
    }
  }

  routingOf(sha: string): FileRouting | undefined {
    return this.routing.get(sha)
  }

  learn(sha: string, routing: FileRouting): void {
    this.routing.set(sha, this.interned(routing))
    this.changed = true
  }

  /** Forgets the routing of blobs the codex no longer holds, so the state does not grow forever. */
  keepRouting(shas: ReadonlySet<string>): void {
    for (const sha of this.routing.keys()) {
      if (shas.has(sha)) continue
      this.routing.delete(sha)
      this.changed = true
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

  /** Writes what changed (see Writer.saveState, which keeps a dry run from writing). */
  async save(): Promise<void> {
    if (!this.changed) return
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      try {
        if (await this.write()) {
          this.changed = false
          return
        }
      } catch (error) {
        this.log.warning(`The codex state (refs/${STATE_REF}) was not saved: ${messageOf(error)}.`)
        return
      }
      // Another run saved meanwhile (a shard of the same mode): take its deferrals and try again.
      this.head = await this.git.refHead(this.repo, STATE_REF)
    }
    this.log.warning(`The codex state (refs/${STATE_REF}) kept moving; it was not saved.`)
  }

  /** What a run asks the first look for: the state's files at its ref. */
  static question(key: StateKey): RefFilesQuestion {
    const { routing, deferred } = stateFiles(key)
    return {
      ref: `refs/${STATE_REF}`,
      paths: routing === undefined ? [deferred] : [routing, deferred]
    }
  }

  /** The state's files from `found` (the first look) or, without it, from the state commit's tree. */
  private async read(head: string, found: RefFiles | undefined): Promise<void> {
    // A tree's entries name a blob without its bytes; the first look may give them.
    const files: ReadonlyMap<string, StateBlob | undefined> =
      found?.files ?? (await this.git.readTree(this.repo, head)).files
    const routing = this.files.routing === undefined ? undefined : files.get(this.files.routing)
    const deferred = files.get(this.files.deferred)
    const parsed = async <T>(file: StateBlob | undefined): Promise<Partial<T> | undefined> =>
      file &&
      (JSON.parse(
        (file.bytes ?? (await this.git.readBlob(this.repo, file.sha))).toString('utf8')
      ) as Partial<T>)
    // Both files are read side by side: the state is on the way to the first project.
    const [routingFile, deferredFile] = await Promise.all([
      parsed<RoutingFile>(routing),
      parsed<DeferredFile>(deferred)
    ])
    if (routingFile?.version === ROUTING_VERSION && routingFile.files) {
      for (const [sha, entry] of Object.entries(routingFile.files)) {
        this.routing.set(sha, this.interned(entry))
      }
    }
    if (Array.isArray(deferredFile?.projects)) this.deferred = deferredFile.projects.map(String)
  }

  /** One commit on the state ref holding the files that changed; false when the ref moved. */
  private async write(): Promise<boolean> {
    const routing: RoutingFile = {
      version: ROUTING_VERSION,
      files: Object.fromEntries(this.routing)
    }
    const deferred: DeferredFile = { projects: this.deferred }
    const changes = [
      ...(this.files.routing === undefined
        ? []
        : [{ path: this.files.routing, mode: '100644', content: JSON.stringify(routing) }]),
      { path: this.files.deferred, mode: '100644', content: JSON.stringify(deferred) }
    ]
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

  /** One object per distinct routing, so that its compiled matchers are shared by every file. */
  private interned(routing: FileRouting): FileRouting {
    const key = JSON.stringify(routing)
    const known = this.rules.get(key)
    if (known) return known
    this.rules.set(key, routing)
    return routing
  }
}

/** A state file's blob, by SHA, with its bytes when they came with the first look. */
type StateBlob = Pick<FoundBlob, 'sha'> & { bytes?: Buffer | undefined }

interface StateFiles {
  routing: string | undefined
  deferred: string
}

/** Which state a run reads: its environment's routing (if it routes) and its mode and shard's deferrals. */
export interface StateKey {
  environment: string
  deferrals: string
  routing: boolean
}

function stateFiles(key: StateKey): StateFiles {
  return {
    // A mode that routes nothing (pull-docs) neither reads nor writes the routing file.
    routing: key.routing ? `routing/${key.environment}.json` : undefined,
    deferred: `deferred/${key.deferrals}.json`
  }
}
