/** The pipeline of one run, in three parts that fail separately: setup (discovery and the codex;
 * a failure there means nothing was attempted), the mode's projects (each keeps its own outcome),
 * and the aftermath (the state saved, orphans said; a failure there is a warning on the result).
 */
import { RunBudget } from './github/budget.js'
import { createGitHub, type GitHub } from './github/client.js'
import { InputError, type Settings } from './inputs/settings.js'
import { messageOf, sameName, type Log, type Repository } from './model.js'
import type { RunEnv } from './modes/env.js'
import { MODE_RUNNERS, type ModeOutcome, type ModeRunner } from './modes/runners.js'
import { explain } from './result/explain.js'
import { Notices } from './result/notices.js'
import { failedProject, skippedProject, type ProjectResult } from './result/project.js'
import { buildResult, fatalResult, type RunContext, type RunResult } from './result/run.js'
import { openCodex, resolveCodex } from './setup/codex.js'
import { checkReach, classifyProjects, repositorySource } from './setup/discover.js'
import { ContentSource } from './write/content.js'
import { CodexState, type StateKey } from './write/state.js'
import { Writer } from './write/writer.js'

export interface SyncOptions {
  log: Log
}

/** Runs one mode from settings to result. Never throws: a run that cannot start is a failure result. */
export async function runSync(settings: Settings, { log }: SyncOptions): Promise<RunResult> {
  const notices = new Notices(log)
  const runner = MODE_RUNNERS[settings.mode]
  const budget = new RunBudget(settings.timeBudgetMs, settings.writesPerHour, notices.log)
  const github = createGitHub({ ...settings, budget, log: notices.log })
  const context = runContext(settings)
  let setup: SetUp
  try {
    setup = await setUp(settings, runner, { github, budget, log, notices, context })
  } catch (error) {
    return unstarted(settings, context, error)
  }
  const { env, active, skipped, missingTargets } = setup
  log.info(describeRun(env, active.length, skipped))
  let outcome: ModeOutcome
  try {
    outcome = await runner.run(env, active)
  } catch (error) {
    // The codex reads a push mode makes before its first project: nothing was attempted.
    return unstarted(settings, context, error)
  }
  await aftermath(env, outcome)
  const missing = missingTargets.map(name => unknownTarget(env, name))
  return buildResult(
    context,
    [...outcome.results, ...skipped, ...missing],
    Date.now(),
    outcome,
    notices.warnings
  )
}

interface SetUp {
  env: RunEnv
  /** Projects to attempt, those the last run did not reach first. */
  active: Repository[]
  skipped: ProjectResult[]
  missingTargets: string[]
}

/** Discovery and the codex, read side by side; `context` learns the codex and its branch as found. */
async function setUp(
  settings: Settings,
  runner: ModeRunner,
  run: { github: GitHub; budget: RunBudget; log: Log; notices: Notices; context: RunContext }
): Promise<SetUp> {
  const { github, log, notices, context } = run
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
  const resolving = handledLater(resolveCodex(github, listing, settings, CodexState.question(key)))
  // The state never fails the run (see CodexState.load).
  const loadingState = handledLater(
    resolving.then(found =>
      CodexState.load(github.git, found.codex.name, notices.log, key, found.look?.refFiles)
    )
  )
  const found = await resolving
  const { codex } = found
  context.codexRepository = codex.name
  const reached = handledLater(
    listing.then(({ repositories }) =>
      checkReach(repositories, codex, source, settings.organization)
    )
  )
  const opened = await openCodex(github, found, settings, runner.missingBranch, {
    log,
    mayWrite: reached
  })
  context.codexBranch = opened.branch
  await reached
  const { repositories, complete } = await listing
  const content = new ContentSource(github)
  const env: RunEnv = {
    settings,
    github,
    budget: run.budget,
    log,
    notices,
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
  const skipped = projects.flatMap(({ repository, skip }) =>
    skip ? [skippedProject(repository.name, skip.kind, skip.reason)] : []
  )
  return { env, active, skipped, missingTargets }
}

/** What follows the projects: the state saved, and the orphans said. A failure here only warns. */
async function aftermath(env: RunEnv, outcome: ModeOutcome): Promise<void> {
  const deferred = outcome.results
    .filter(result => result.outcome === 'deferred')
    .map(result => result.project)
  if (deferred.length > 0) {
    env.log.info(
      `${deferred.length} projects were deferred (${env.budget.stopReason ?? 'the run stopped'}); the next run takes them first.`
    )
  }
  try {
    env.state.setDeferred(deferred)
    await env.writer.saveState(env.state)
  } catch (error) {
    env.notices.warn(
      `The codex state was not saved (${messageOf(error)}): the next run reads what it would have remembered again, and may not take deferred projects first. Every project's outcome above stands.`
    )
  }
  if (outcome.orphans) reportOrphans(env, outcome.orphans)
}

/** A run that could not start: nothing was attempted, nothing written. */
function unstarted(settings: Settings, context: RunContext, error: unknown): RunResult {
  const explained = explain(error, `${settings.organization}/${context.codexRepository || 'codex'}`)
  return fatalResult(context, explained.error, explained.resolution)
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
function stateKey(
  { environment, mode, shard, stateKey: secret }: Settings,
  runner: ModeRunner
): StateKey {
  return {
    environment,
    deferrals: `${environment}/${mode}/${shard.index}-of-${shard.count}`,
    routing: runner.routes,
    secret
  }
}

/** Projects the last run did not reach go first, so that every project is reached in turn. */
function deferredFirst(projects: Repository[], deferred: string[]): Repository[] {
  const waiting = (project: Repository) => deferred.some(name => sameName(name, project.name))
  return [...projects.filter(waiting), ...projects.filter(project => !waiting(project))]
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

function reportOrphans(env: RunEnv, orphans: NonNullable<ModeOutcome['orphans']>): void {
  const folders = orphans.folders.join(', ')
  switch (orphans.status) {
    case 'refused':
      env.notices.warn(
        `The folders of repositories that no longer exist were kept (${folders}): ${orphans.reason ?? ''}`,
        { title: 'codex-sync: orphaned folders kept' }
      )
      return
    case 'kept':
      env.notices.warn(
        `Folders of repositories this run does not see were kept (${folders}): ${orphans.reason ?? ''}.`,
        { title: 'codex-sync: orphaned folders kept' }
      )
      return
    default:
      env.log.info(`Folders of repositories that no longer exist, ${orphans.status}: ${folders}.`)
  }
}

function describeRun(env: RunEnv, active: number, skipped: ProjectResult[]): string {
  const { settings } = env
  const reasons = [...new Set(skipped.map(result => result.outcome))].join(', ')
  return [
    `codex-sync ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written)' : ''}`,
    `  organization: ${settings.organization}`,
    `  codex: ${env.codex.name}@${env.codexBranch} (environment ${settings.environment})`,
    `  projects: ${active + skipped.length} discovered; ${active} to look at, ${settings.parallel} at a time; ${skipped.length} skipped${reasons ? ` (${reasons})` : ''}`
  ].join('\n')
}
