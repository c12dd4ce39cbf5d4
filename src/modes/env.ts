/** What every mode works with once the run is set up: settings, config, clients and the codex branch. */
import type { RunBudget } from '../github/budget.js'
import type { GitHub } from '../github/client.js'
import type { Config } from '../inputs/config.js'
import type { Settings } from '../inputs/settings.js'
import type { Log, ProjectHead, Repository, Snapshot } from '../model.js'
import type { Expectation } from '../plan/triage.js'
import type { Notices } from '../result/notices.js'
import type { ProjectResult } from '../result/project.js'
import type { ModeExtras } from '../result/run.js'
import type { Progress } from '../report/progress.js'
import type { ContentSource } from '../write/content.js'
import type { CodexState } from '../write/state.js'
import type { Writer } from '../write/writer.js'

export interface RunEnv {
  settings: Settings
  config: Config
  github: GitHub
  /** Time, writes and token left: no project starts once it is spent. */
  budget: RunBudget
  log: Log
  /** Warnings about the run as a whole, kept for its result. */
  notices: Notices
  /** `[k/n] project: status`, as each project of the run is settled. */
  progress: Progress
  codex: Repository
  /**
   * Every repository discovery saw; `complete` when that is provably the whole organisation (so a
   * name missing from it may be a repository that is gone).
   */
  discovered: { repositories: Repository[]; complete: boolean }
  codexBranch: string
  /** Each project's head as the listing saw it (by name key), where it said. */
  heads: ReadonlyMap<string, ProjectHead>
  /** The codex branch of the environment as read at the start of the run. */
  codexSnapshot: Snapshot
  /** File contents, read once per run. */
  content: ContentSource
  /** The one way to write: it stops a dry run's writes. */
  writer: Writer
  /** What the codex remembers between runs. */
  state: CodexState
}

/** A mode once it has read what it needs of the codex: what it expects of each project, and its run. */
export interface PreparedMode {
  /** What the project holds when it is in sync; undefined when only its tree can tell. */
  expect(project: Repository): Expectation | undefined
  /** The projects that need a look; `inSync` are the results of those that do not. */
  run(projects: Repository[], inSync: ProjectResult[]): Promise<ModeOutcome>
}

/** What a mode did: each project's result, and (pull-docs) the folders of vanished repositories. */
export interface ModeOutcome extends ModeExtras {
  results: ProjectResult[]
}
