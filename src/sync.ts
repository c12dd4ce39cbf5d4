import { branchForEnvironment, parseConfig, type Config } from './config.js'
import { classifyProjects, findCodex, type ProjectEntry } from './discover.js'
import { explain, SetupError } from './errors.js'
import { sameName } from './globs.js'
import {
  EmptyRepositoryError,
  GitData,
  type Repository,
  type Snapshot,
  type TreeFile
} from './git-data.js'
import type { Log } from './log.js'
import { createOctokit } from './octokit.js'
import { pullDocs } from './pull-docs.js'
import { pushToProjects } from './push.js'
import {
  buildResult,
  failedProject,
  fatalResult,
  skippedProject,
  type ProjectResult,
  type RunContext,
  type RunResult
} from './result.js'
import type { ModeOutcome, RunEnv } from './run-env.js'
import type { Settings } from './settings.js'

export interface SyncOptions {
  log: Log
}

/** Runs one mode from settings to result. Never throws: a run that cannot start is a failure result. */
export async function runSync(settings: Settings, { log }: SyncOptions): Promise<RunResult> {
  const context: RunContext = {
    mode: settings.mode,
    organization: settings.organization,
    codexRepository: settings.codexRepository ?? '',
    environment: settings.environment,
    codexBranch: '',
    dryRun: settings.dryRun,
    startedAt: Date.now()
  }
  const octokit = createOctokit({
    token: settings.token,
    apiUrl: settings.apiUrl,
    parallel: settings.parallel,
    writeIntervalMs: settings.writeIntervalMs,
    log
  })
  const git = new GitData(octokit, settings.organization)
  const failure = (error: unknown) => {
    const explained = explain(
      error,
      `${settings.organization}/${context.codexRepository || 'codex'}`
    )
    return fatalResult(context, explained.error, explained.resolution)
  }
  try {
    const prepared = await prepare(git, settings, log, context)
    return await syncProjects(prepared, context)
  } catch (error) {
    // Setup, or the codex reads a push mode makes before its first project: nothing was attempted.
    return failure(error)
  }
}

/** Each project synced, skipped with its reason, or (named but unknown) failed. */
async function syncProjects(
  { env, entries, missingTargets }: Prepared,
  context: RunContext
): Promise<RunResult> {
  const active = entries.filter(entry => !entry.skip).map(entry => entry.repository)
  const skipped = entries
    .filter(entry => entry.skip)
    .map(entry => skippedProject(entry.repository.name, entry.skip ?? ''))
  const missing = missingTargets.map(name => unknownTarget(env, name))
  env.log.info(describeRun(env, active.length, skipped.length))
  const outcome = await runMode(env, active)
  return buildResult(context, [...outcome.results, ...skipped, ...missing], outcome.commits)
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

function runMode(env: RunEnv, projects: Repository[]): Promise<ModeOutcome> {
  if (env.settings.mode === 'pull-docs') return pullDocs(env, projects)
  return pushToProjects(env, projects, env.settings.mode)
}

interface Prepared {
  env: RunEnv
  entries: ProjectEntry[]
  missingTargets: string[]
}

/**
 * Discovery, codex, config and codex branch: everything that must hold before any project is
 * touched. The codex and its branch are recorded in `context` as soon as they are known, so that a
 * failure report names them.
 */
async function prepare(
  git: GitData,
  settings: Settings,
  log: Log,
  context: RunContext
): Promise<Prepared> {
  const installation = isInstallationToken(settings.token)
  const repositories = await git.listRepositories(installation ? 'installation' : 'organization')
  const codex = await resolveCodex(git, repositories, settings)
  if (installation && repositories.every(repository => sameName(repository.name, codex.name))) {
    throw new SetupError(
      `The token reaches no repository of ${settings.organization} but the codex: it is the workflow's GITHUB_TOKEN, or an App installed on the codex alone.`,
      'Pass a GitHub App installation token for the organisation (actions/create-github-app-token with owner:) installed on the projects, or a personal token.'
    )
  }
  context.codexRepository = codex.name
  const { config, branch, snapshot } = await readCodex(git, codex, settings, log)
  context.codexBranch = branch
  const { projects, missingTargets } = classifyProjects(repositories, codex, settings, config)
  return {
    env: { settings, config, git, log, codex, codexBranch: branch, codexSnapshot: snapshot },
    entries: projects,
    missingTargets
  }
}

async function resolveCodex(
  git: GitData,
  repositories: Repository[],
  settings: Settings
): Promise<Repository> {
  const named = settings.codexRepository
  const codex =
    findCodex(repositories, named, settings.organization) ??
    (named ? await git.getRepository(named) : undefined)
  if (!codex) {
    throw new SetupError(
      `Codex repository ${settings.organization}/${named} was not found.`,
      'Check codex_repository (or CODEX_GITHUB_REPO), and that the token can read that repository.'
    )
  }
  return codex
}

/**
 * The config tells which branch an environment uses, so it is read first from the codex default
 * branch, then again from the environment's branch, whose copy governs the run.
 */
async function readCodex(
  git: GitData,
  codex: Repository,
  settings: Settings,
  log: Log
): Promise<{ config: Config; branch: string; snapshot: Snapshot }> {
  try {
    const textOf = async (file: TreeFile | undefined) =>
      file && (await git.readBlob(codex.name, file.sha)).toString('utf8')
    const parse = (text: string | undefined, ref: string) =>
      parseConfig(text, settings.organization, `${codex.name}@${ref}:${settings.configPath}`)
    const onDefault = await git.findFile(codex.name, codex.defaultBranch, settings.configPath)
    const defaultText = await textOf(onDefault)
    let config = parse(defaultText, codex.defaultBranch)
    const branch = branchForEnvironment(config, settings.environment)
    let snapshot = await git.readBranch(codex.name, branch)
    if (!snapshot) snapshot = await startEnvironmentBranch(git, codex, branch, settings, log)
    else if (branch !== codex.defaultBranch) {
      const onBranch = snapshot.files.get(settings.configPath)
      config = parse(
        onBranch?.sha === onDefault?.sha ? defaultText : await textOf(onBranch),
        branch
      )
    }
    return { config, branch, snapshot }
  } catch (error) {
    if (error instanceof EmptyRepositoryError) {
      throw new SetupError(
        `The codex repository ${settings.organization}/${codex.name} is empty.`,
        'Push a first commit (a README will do) to the codex.'
      )
    }
    throw error
  }
}

/** pull-docs creates a missing environment branch from the codex default branch; push modes need it. */
async function startEnvironmentBranch(
  git: GitData,
  codex: Repository,
  branch: string,
  settings: Settings,
  log: Log
): Promise<Snapshot> {
  const missing = `Codex branch '${branch}' of environment '${settings.environment}' does not exist in ${settings.organization}/${codex.name}.`
  if (settings.mode !== 'pull-docs') {
    throw new SetupError(
      missing,
      `Run pull-docs for environment '${settings.environment}' first (it creates the branch from ${codex.defaultBranch}), or create the branch.`
    )
  }
  const base = await git.readBranch(codex.name, codex.defaultBranch)
  if (!base)
    throw new SetupError(
      `The codex default branch '${codex.defaultBranch}' does not exist.`,
      'Check the default branch of the codex repository.'
    )
  if (settings.dryRun) {
    log.info(
      `${missing} A real run creates it from ${codex.defaultBranch}; this dry run plans against ${codex.defaultBranch}.`
    )
    return base
  }
  await git.createBranch(codex.name, branch, base.commitSha)
  log.info(
    `Created codex branch '${branch}' from ${codex.defaultBranch} (${base.commitSha.slice(0, 7)}).`
  )
  return base
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

/** GitHub App installation tokens (and the workflow's GITHUB_TOKEN, which is one) start with `ghs_`. */
function isInstallationToken(token: string): boolean {
  return token.startsWith('ghs_')
}
