/** What every mode works with once the run is set up: settings, config, clients and the codex branch. */
import type { RunBudget } from '../github/budget.js'
import type { GitHub } from '../github/client.js'
import type { Config } from '../inputs/config.js'
import type { Settings } from '../inputs/settings.js'
import type { Log, Repository, Snapshot } from '../model.js'
import type { ContentSource } from '../write/content.js'
import { Writer } from '../write/writer.js'

export interface RunEnv {
  settings: Settings
  config: Config
  github: GitHub
  /** Time, writes and token left: no project starts once it is spent. */
  budget: RunBudget
  log: Log
  codex: Repository
  codexBranch: string
  /** The codex branch of the environment as read at the start of the run. */
  codexSnapshot: Snapshot
}

/** The writer of a mode: its dry run and deletion limits come from the run's settings and config. */
export function writerFor(env: RunEnv, content: ContentSource): Writer {
  return new Writer({
    github: env.github,
    content,
    limits: env.config,
    dryRun: env.settings.dryRun,
    log: env.log
  })
}
