/** The pipeline of one run: settings → discovery and codex → the mode's projects → result. */
import { RunBudget } from './github/budget.js'
import { createGitHub } from './github/client.js'
import { InputError, type Settings } from './inputs/settings.js'
import { sameName, type Log, type Repository } from './model.js'
import { DEFERRED } from './modes/each-project.js'
import type { RunEnv } from './modes/env.js'
import { MODE_RUNNERS, type ModeRunner } from './modes/runners.js'
import { explain } from './report/explain.js'
import {
  buildResult,
  failedProject,
  fatalResult,
  skippedProject,
  type OrphanReport,
  type ProjectResult,
  type RunContext,
  type RunResult
} from './report/results.js'
import { openCodex, resolveCodex } from './setup/codex.js'
import { checkReach, classifyProjects, repositorySource } from './setup/discover.js'
import { ContentSource } from './write/content.js'
import { CodexState } from './write/state.js'
import { Writer } from './write/writer.js'

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
    if (settings.codexRef !== undefined && !runner.plansFromCodexRef) {
      throw new InputError(
        'codex_ref',
        `Input 'codex_ref' plans push-docs and push-claude; ${settings.mode} writes the codex branch of the environment: leave codex_ref empty`
      )
    }
    // The organisation is listed while the codex is read: neither waits for the other.
    const source = repositorySource(settings)
    const listing = handledLater(github.repositories.list(source))
    const key = stateKey(settings, runner)
    // The first look reads the state too; REST reads it where GraphQL did not.
    const resolving = handledLater(
      resolveCodex(github, listing, settings, CodexState.question(key))
    )
    // The state never fails the run (see CodexState.load).
    const loadingState = handledLater(
      resolving.then(found =>
        CodexState.load(github.git, found.codex.name, log, key, found.look?.refFiles)
      )
    )
    const found = await resolving
    const { codex } = found
    context = { ...context, codexRepository: codex.name }
    const reached = handledLater(
      listing.then(({ repositories }) =>
        checkReach(repositories, codex, source, settings.organization)
      )
    )
    const opened = await openCodex(github, found, settings, runner.missingBranch, {
      log,
      mayWrite: reached
    })
    context = { ...context, codexBranch: opened.branch }
    await reached
    const { repositories, complete } = await listing
    const content = new ContentSource(github)
    const env: RunEnv = {
      settings,
      github,
      budget,
      log,
      codex,
      discovered: { repositories, complete },
      config: opened.config,
      codexBranch: opened.branch,
      codexSnapshot: opened.snapshot,
      content,
      writer: new Writer({ github, content, limits: opened.config, dryRun: settings.dryRun, log }),
      state: await loadingState
    }
    const { projects, missingTargets } = classifyProjects(
      repositories,
      codex,
      settings,
      opened.config
    )
    const active = deferredFirst(
      projects.filter(entry => !entry.skip).map(entry => entry.repository),
      env.state.deferredProjects
    )
    const skipped = projects.flatMap(entry =>
      entry.skip ? [skippedProject(entry.repository.name, entry.skip)] : []
    )
    log.info(describeRun(env, active.length, skipped.length))
    const outcome = await runner.run(env, active)
    env.state.setDeferred(deferredNames(outcome.results))
    await env.writer.saveState(env.state)
    if (outcome.orphans) reportOrphans(env, outcome.orphans)
    const missing = missingTargets.map(name => unknownTarget(env, name))
    return buildResult(context, [...outcome.results, ...skipped, ...missing], Date.now(), outcome)
  } catch (error) {
    // Setup, or the codex reads a push mode makes before its first project: nothing was attempted.
    const explained = explain(
      error,
      `${settings.organization}/${context.codexRepository || 'codex'}`
    )
    return fatalResult(context, explained.error, explained.resolution)
  }
}

/**
 * A promise awaited later, after other work: its failure is then thrown where it is awaited, not
 * reported meanwhile as unhandled.
 */
function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

/** Where this run's state lives: routing per environment, deferrals per mode and shard. */
function stateKey({ environment, mode, shard }: Settings, runner: ModeRunner) {
  return {
    environment,
    deferrals: `${environment}/${mode}/${shard.index}-of-${shard.count}`,
    routing: runner.routes
  }
}

/** Projects the last run did not reach go first, so that every project is reached in turn. */
function deferredFirst(projects: Repository[], deferred: string[]): Repository[] {
  const waiting = (project: Repository) => deferred.some(name => sameName(name, project.name))
  return [...projects.filter(waiting), ...projects.filter(project => !waiting(project))]
}

function deferredNames(results: ProjectResult[]): string[] {
  return results
    .filter(result => result.status === 'skipped' && result.reason === DEFERRED)
    .map(result => result.project)
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

function reportOrphans(env: RunEnv, orphans: OrphanReport): void {
  const folders = orphans.folders.join(', ')
  if (orphans.status === 'refused') {
    env.log.warning(
      `The folders of repositories that no longer exist were kept (${folders}): ${orphans.reason ?? ''}`,
      { title: 'codex-sync: orphaned folders kept' }
    )
  } else {
    env.log.info(`Folders of repositories that no longer exist, ${orphans.status}: ${folders}.`)
  }
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
