/** The pipeline of one run: settings → discovery and codex → the mode's projects → result. */
import { RunBudget } from './github/budget.js'
import { createGitHub } from './github/client.js'
import type { Settings } from './inputs/settings.js'
import type { Log } from './model.js'
import type { RunEnv } from './modes/env.js'
import { MODE_RUNNERS } from './modes/runners.js'
import { explain } from './report/explain.js'
import {
  buildResult,
  failedProject,
  fatalResult,
  skippedProject,
  type ProjectResult,
  type RunContext,
  type RunResult
} from './report/results.js'
import { openCodex, resolveCodex } from './setup/codex.js'
import { checkReach, classifyProjects, repositorySource } from './setup/discover.js'

export interface SyncOptions {
  log: Log
}

/** Runs one mode from settings to result. Never throws: a run that cannot start is a failure result. */
export async function runSync(settings: Settings, { log }: SyncOptions): Promise<RunResult> {
  const runner = MODE_RUNNERS[settings.mode]
  const budget = new RunBudget(settings.timeBudgetMs, settings.writesPerHour, log)
  const github = createGitHub({ ...settings, budget, log })
  let context = runContext(settings)
  try {
    const source = repositorySource(settings)
    const repositories = await github.repositories.list(source)
    const codex = await resolveCodex(github, repositories, settings)
    checkReach(repositories, codex, source, settings.organization)
    context = { ...context, codexRepository: codex.name }
    const opened = await openCodex(github, codex, settings, runner.missingBranch, log)
    context = { ...context, codexBranch: opened.branch }
    const env: RunEnv = {
      settings,
      github,
      budget,
      log,
      codex,
      config: opened.config,
      codexBranch: opened.branch,
      codexSnapshot: opened.snapshot
    }
    const { projects, missingTargets } = classifyProjects(
      repositories,
      codex,
      settings,
      opened.config
    )
    const active = projects.filter(entry => !entry.skip).map(entry => entry.repository)
    const skipped = projects.flatMap(entry =>
      entry.skip ? [skippedProject(entry.repository.name, entry.skip)] : []
    )
    log.info(describeRun(env, active.length, skipped.length))
    const synced = await runner.run(env, active)
    return buildResult(context, [
      ...synced,
      ...skipped,
      ...missingTargets.map(name => unknownTarget(env, name))
    ])
  } catch (error) {
    // Setup, or the codex reads a push mode makes before its first project: nothing was attempted.
    const explained = explain(
      error,
      `${settings.organization}/${context.codexRepository || 'codex'}`
    )
    return fatalResult(context, explained.error, explained.resolution)
  }
}

function runContext(settings: Settings): RunContext {
  return {
    mode: settings.mode,
    organization: settings.organization,
    codexRepository: settings.codexRepository ?? '',
    environment: settings.environment,
    codexBranch: '',
    dryRun: settings.dryRun,
    startedAt: Date.now()
  }
}

function unknownTarget(env: RunEnv, name: string): ProjectResult {
  const failure = failedProject(
    name,
    `Repository ${env.settings.organization}/${name} named in target_repository is not a project of the organisation`,
    'Check the name in target_repository, and that the token can see the repository.'
  )
  env.log.error(`${name}: ${failure.error} — ${failure.resolution}`, {
    title: 'codex-sync: unknown target'
  })
  return failure
}

function describeRun(env: RunEnv, active: number, skipped: number): string {
  const { settings } = env
  return [
    `codex-sync ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written)' : ''}`,
    `  organization: ${settings.organization}`,
    `  codex: ${env.codex.name}@${env.codexBranch} (environment ${settings.environment})`,
    `  projects: ${active} to sync, ${skipped} skipped; ${settings.parallel} at a time`
  ].join('\n')
}
