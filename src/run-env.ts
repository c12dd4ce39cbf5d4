import type { Config } from './config.js'
import type { GitData, Repository, Snapshot } from './git-data.js'
import type { Log } from './log.js'
import type { ProjectResult } from './result.js'
import type { Settings } from './settings.js'
import type { WriterOptions } from './writer.js'

/** Everything a mode needs once the run is set up: settings, config, codex and its branch. */
export interface RunEnv {
  settings: Settings
  config: Config
  git: GitData
  log: Log
  codex: Repository
  codexBranch: string
  /** The codex branch of the environment as read at the start of the run. */
  codexSnapshot: Snapshot
}

/** Projects to sync and what became of them. */
export interface ModeOutcome {
  results: ProjectResult[]
  commits: number
}

export function writerOptions(env: RunEnv, content: WriterOptions['content']): WriterOptions {
  return {
    git: env.git,
    content,
    limits: env.config,
    dryRun: env.settings.dryRun,
    log: env.log
  }
}
