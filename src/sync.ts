/** The pipeline of one run, in three parts that fail separately: setup (discovery and the codex;
 * a failure there means nothing was attempted), the mode's projects (each keeps its own outcome),
 * and the aftermath (the state saved, orphans said; a failure there is a warning on the result).
 */
import { RunBudget } from './github/budget.js'
import { createGitHub, type GitHub } from './github/client.js'
import type { HeadQuestion } from './github/listing.js'
import { InputError, type Settings } from './inputs/settings.js'
import { messageOf, nameKey, type Log, type Repository } from './model.js'
import type { ModeOutcome, PreparedMode, RunEnv } from './modes/env.js'
import { pullRequestBranch } from './modes/pull-request.js'
import { MODE_RUNNERS, type ModeRunner } from './modes/runners.js'
import { isInSync } from './plan/triage.js'
import { Progress } from './report/progress.js'
import { explain } from './result/explain.js'
import { Notices } from './result/notices.js'
import {
  failedProject,
  inSyncProject,
  skippedProject,
  type ProjectResult
} from './result/project.js'
import { buildResult, fatalResult, type RunContext, type RunResult } from './result/run.js'
import { openCodex, resolveCodex, startEnvironmentBranch, type CodexWhere } from './setup/codex.js'
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
  let prepared: PreparedMode | undefined
  try {
    setup = await setUp(settings, runner, { github, budget, log, notices, context })
    // The codex reads a push mode makes before its first project: nothing is attempted before.
    prepared = setup.active.length > 0 ? await runner.prepare(setup.env) : undefined
  } catch (error) {
    return unstarted(settings, context, error)
  }
  const { env, active, skipped, missingTargets } = setup
  const { inSync, toLook } = triage(env, runner, active, prepared)
  log.info(describeRun(env, active.length, inSync.length, skipped))
  for (const result of inSync) env.progress.report(result)
  const outcome = prepared ? await prepared.run(toLook, inSync) : { results: [] }
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

/**
 * Discovery and the codex. A named codex is read first (its config says which paths of each
 * project tell whether it is in sync), then the organisation is listed with those paths' object
 * IDs; a codex found by its name `codex.*` needs the list first, and the heads come after.
 */
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
  const source = repositorySource(settings)
  // Only a codex found by its name needs the organisation listed before it is read.
  const named = settings.codexRepository
  const where: CodexWhere = named
    ? { named }
    : { listing: handledLater(github.repositories.list(source)) }
  const key = stateKey(settings, runner)
  // The first look reads the state too; REST reads it where GraphQL did not.
  const reading = { refFiles: CodexState.question(key), folders: runner.codexFolders(settings) }
  const resolving = handledLater(resolveCodex(github, where, settings, reading))
  // The state never fails the run (see CodexState.load).
  const loadingState = handledLater(
    resolving.then(found =>
      CodexState.load(github.git, found.codex.name, notices.log, key, found.look?.refFiles)
    )
  )
  const found = await resolving
  const { codex } = found
  context.codexRepository = codex.name
  const opened = await openCodex(github, found, settings)
  context.codexBranch = opened.branch
  const question: HeadQuestion = {
    paths: runner.lookups(opened.config),
    ...(runner.offers(settings) ? { offerBranch: pullRequestBranch(settings.environment) } : {})
  }
  const listing =
    'listing' in where
      ? await github.repositories.withHeads(await where.listing, question)
      : await github.repositories.list(source, question)
  checkReach(listing.repositories, codex, source, settings.organization)
  const snapshot =
    opened.snapshot ??
    (await startEnvironmentBranch(
      github,
      codex,
      opened.branch,
      settings,
      runner.missingBranch,
      log
    ))
  const content = new ContentSource(github)
  const { projects, missingTargets } = classifyProjects(
    listing.repositories,
    codex,
    settings,
    opened.config
  )
  const active = deferredFirst(
    projects.filter(entry => !entry.skip).map(entry => entry.repository),
    (await loadingState).deferredProjects
  )
  const env: RunEnv = {
    settings,
    github,
    budget: run.budget,
    log,
    notices,
    progress: new Progress(log, active.length),
    codex,
    discovered: { repositories: listing.repositories, complete: listing.complete },
    heads: listing.heads,
    config: opened.config,
    codexBranch: opened.branch,
    codexSnapshot: snapshot,
    content,
    writer: new Writer({ github, content, limits: opened.config, dryRun: settings.dryRun, log }),
    state: await loadingState
  }
  const skipped = projects.flatMap(({ repository, skip }) =>
    skip ? [skippedProject(repository.name, skip.kind, skip.reason)] : []
  )
  return { env, active, skipped, missingTargets }
}

/**
 * Change detection: a project whose owned paths already hold, object ID for object ID, what the
 * mode would leave there is in sync and is not read at all; the others need a look.
 */
function triage(
  env: RunEnv,
  runner: ModeRunner,
  active: Repository[],
  prepared: PreparedMode | undefined
): { inSync: ProjectResult[]; toLook: Repository[] } {
  const inSync: ProjectResult[] = []
  const toLook: Repository[] = []
  if (!prepared) return { inSync, toLook }
  const offers = runner.offers(env.settings)
  for (const project of active) {
    const head = env.heads.get(nameKey(project.name))
    if (isInSync(prepared.expect(project), head, offers)) {
      inSync.push(inSyncProject(project.name))
    } else {
      toLook.push(project)
    }
  }
  return { inSync, toLook }
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
  const keys = new Set(deferred.map(nameKey))
  const waiting = (project: Repository) => keys.has(nameKey(project.name))
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

function describeRun(
  env: RunEnv,
  active: number,
  inSync: number,
  skipped: ProjectResult[]
): string {
  const { settings } = env
  const reasons = [...new Set(skipped.map(result => result.outcome))].join(', ')
  return [
    `codex-sync ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written)' : ''}`,
    `  organization: ${settings.organization}`,
    `  codex: ${env.codex.name}@${env.codexBranch} (environment ${settings.environment})`,
    `  projects: ${active + skipped.length} discovered; ${skipped.length} skipped${reasons ? ` (${reasons})` : ''}; ${inSync} in sync by their object IDs; ${active - inSync} to look at, ${settings.parallel} at a time`
  ].join('\n')
}
