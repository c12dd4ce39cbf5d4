/** pull-docs: each project's documentation into `<projects_dir>/<project>/` of the codex branch. */
import { messageOf, nameKey, type Repository } from '../model.js'
import { projectFolder, pullDocsFiles, uncarriedPullFiles } from '../plan/desired.js'
import { isEmptyPlan } from '../plan/files.js'
import { applicable, countLine, planScopes, type Scope, type ScopePlan } from '../plan/scopes.js'
import { pullExpectation } from '../plan/triage.js'
import type { FailedProject, ProjectResult, SkippedProject } from '../result/project.js'
import type { OrphanReport } from '../result/run.js'
import { TrackedBranch } from '../write/branch.js'
import type { WriteOutcome } from '../write/writer.js'
import { errorResult, mapProjects, scopeResult, unreached } from './each-project.js'
import type { PreparedMode, RunEnv } from './env.js'
import { commitMessage } from './messages.js'

/** codex_commit: auto commits per project up to this many changed projects, once for the run beyond. */
export const AUTO_SINGLE_COMMIT_ABOVE = 3
/** Writes of one codex commit (tree, commit, ref): room kept before it is made. */
const WRITES_PER_COMMIT = 3
/** The scope of the folders of repositories that no longer exist. */
const ORPHANS = '(folders of repositories that no longer exist)'

export interface PullOutcome {
  results: ProjectResult[]
  orphans: OrphanReport | undefined
}

/** pull-docs expects of a project what its folder in the codex holds at the roots of sync_patterns. */
export function preparePull(env: RunEnv): PreparedMode {
  return {
    expect: project => pullExpectation(env.config, env.codexSnapshot, project.name),
    run: async (projects, inSync) => {
      const outcome = await pullDocs(env, projects)
      return { ...outcome, results: [...inSync, ...outcome.results] }
    }
  }
}

/**
 * Every project is read first, `parallel` at a time; then the codex is written: one commit per
 * changed project, or one for the whole run (codex_commit), each on the head the previous one made.
 */
export async function pullDocs(env: RunEnv, projects: Repository[]): Promise<PullOutcome> {
  const { progress } = env
  const read = await mapProjects(env, projects, project => readScope(env, project))
  const scopes = read.filter((entry): entry is Scope => !('outcome' in entry))
  const unread = read.filter((entry): entry is FailedProject | SkippedProject => 'outcome' in entry)
  unread.forEach(result => progress.report(result))
  const found = await orphanFolders(env)
  const orphans = found.gone.length > 0 ? orphanScope(env, found.gone) : undefined
  const codex = new TrackedBranch(
    env.github.git,
    env.codex.name,
    env.codexBranch,
    [`${env.config.projectsDir}/`],
    env.codexSnapshot
  )
  const all = orphans ? [...scopes, orphans] : scopes
  const changed = applicable(planScopes(all, env.codexSnapshot, env.config)).length
  const single =
    env.settings.codexCommit === 'single' ||
    (env.settings.codexCommit === 'auto' && changed > AUTO_SINGLE_COMMIT_ABOVE)
  if (single && changed > 0) {
    env.log.info(
      `One codex commit for ${changed} changed folders (codex_commit: ${env.settings.codexCommit}).`
    )
  }
  const written = single ? await writeOneCommit(env, codex, all) : await writeEach(env, codex, all)
  const results = written.filter(result => result.project !== ORPHANS)
  results.forEach(result => progress.report(result))
  return {
    results: [...unread, ...results],
    orphans: orphans
      ? orphanReport(
          orphans,
          written.find(result => result.project === ORPHANS)
        )
      : found.kept
  }
}

/** What a project's folder in the codex should hold: its documentation as it is now. */
async function readScope(env: RunEnv, project: Repository): Promise<Scope> {
  const { files } = await env.github.git.readTree(project.name, project.defaultBranch)
  for (const file of uncarriedPullFiles(files, env.config)) {
    env.log.info(`${project.name}: ${file.path} is not carried: ${file.reason}.`)
  }
  return {
    project: project.name,
    folders: [projectFolder(env.config, project.name)],
    desired: pullDocsFiles(files, project.name, env.config)
  }
}

/** One commit per changed scope, one after another, while the budget has room for them. */
async function writeEach(
  env: RunEnv,
  codex: TrackedBranch,
  scopes: Scope[]
): Promise<ProjectResult[]> {
  const results: ProjectResult[] = []
  for (const scope of scopes) results.push(await writeScope(env, codex, scope))
  return results
}

/** One scope's codex commit; whatever goes wrong is that scope's result, never the run's. */
async function writeScope(env: RunEnv, codex: TrackedBranch, scope: Scope): Promise<ProjectResult> {
  let reserved = false
  try {
    const [plan] = planScopes([scope], await codex.read(), env.config) as [ScopePlan]
    // Nothing to write (the usual case): planned once, not again by the writer.
    if (applicable([plan]).length === 0)
      return scopeResult(plan, { kind: 'unchanged', plans: [plan] })
    if (!env.budget.start(WRITES_PER_COMMIT)) return unreached(env, scope.project)
    reserved = true
    const outcome = await env.writer.commit(codex, [scope], plans => pullMessage(env, plans))
    if (outcome.kind === 'committed') codex.follow(outcome.after)
    return scopeResult(outcome.plans[0] as ScopePlan, outcome)
  } catch (error) {
    return errorResult(env, scope.project, error)
  } finally {
    if (reserved) env.budget.finish(WRITES_PER_COMMIT)
  }
}

/** Every scope's changes in one codex commit; if it fails, every scope that had changes fails. */
async function writeOneCommit(
  env: RunEnv,
  codex: TrackedBranch,
  scopes: Scope[]
): Promise<ProjectResult[]> {
  if (scopes.length === 0) return []
  if (!env.budget.start(WRITES_PER_COMMIT)) {
    // Those with nothing to write, or refused, say so; only those with writes wait for a next run.
    const base = await codex.read().catch(() => undefined)
    if (!base) return scopes.map(scope => unreached(env, scope.project))
    return planScopes(scopes, base, env.config).map(plan =>
      applicable([plan]).length === 0
        ? scopeResult(plan, { kind: 'unchanged', plans: [plan] })
        : unreached(env, plan.project)
    )
  }
  try {
    return resultsOf(await env.writer.commit(codex, scopes, plans => pullMessage(env, plans)))
  } catch (error) {
    // Scopes with nothing to write, or refused by the threshold, keep that status.
    const failure = errorResult(env, env.codex.name, error)
    const plans = await codex.read().then(
      base => planScopes(scopes, base, env.config),
      () => undefined
    )
    return scopes.map((scope, index) => {
      const plan = plans?.[index]
      const settled = plan && (plan.refusal || isEmptyPlan(plan.plan))
      return settled
        ? scopeResult(plan, { kind: 'unchanged', plans: [plan] })
        : { ...failure, project: scope.project }
    })
  } finally {
    env.budget.finish(WRITES_PER_COMMIT)
  }
}

function resultsOf(outcome: WriteOutcome): ProjectResult[] {
  return outcome.plans.map(plan => scopeResult(plan, outcome))
}

/** The folders under `<projects_dir>/` of repositories that are gone, and those kept for want of proof. */
interface OrphanFolders {
  gone: string[]
  kept: OrphanReport | undefined
}

/**
 * A run over the whole organisation removes the folders of repositories that no longer exist
 * (deleted or renamed); archived ones keep theirs. A folder goes only with proof that its
 * repository is gone: a listing that holds every repository of the organisation (an App installed
 * on all of them), or `prune_orphans` for other tokens; and GitHub, asked for the repository by
 * name, answers that there is none. Without proof the folders are named and kept.
 */
async function orphanFolders(env: RunEnv): Promise<OrphanFolders> {
  const none: OrphanFolders = { gone: [], kept: undefined }
  const { settings, discovered, config } = env
  const wholeOrganization =
    settings.targetRepositories.length === 0 &&
    settings.shard.count === 1 &&
    settings.include.length === 1 &&
    settings.include[0] === '*' &&
    settings.exclude.length === 0
  if (!wholeOrganization) return none
  const known = new Set(discovered.repositories.map(repository => nameKey(repository.name)))
  const candidates = folderNames(env).filter(name => !known.has(nameKey(name)))
  if (candidates.length === 0) return none
  if (!discovered.complete && !settings.pruneOrphans) {
    return {
      gone: [],
      kept: {
        status: 'kept',
        folders: candidates.map(name => projectFolder(config, name)),
        files_deleted: 0,
        reason:
          'the token may not see every repository of the organisation, so a repository it does not list may still exist; use a GitHub App installed on all repositories, or set prune_orphans to remove such folders anyway'
      }
    }
  }
  const answers = await Promise.all(
    candidates.map(async name => ({ name, gone: await isGone(env, name) }))
  )
  return { gone: answers.filter(answer => answer.gone).map(answer => answer.name), kept: undefined }
}

/** Whether GitHub, asked by name, says the repository is gone (or now answers under another name). */
async function isGone(env: RunEnv, name: string): Promise<boolean> {
  try {
    const found = await env.github.repositories.get(name)
    return found === undefined || nameKey(found.name) !== nameKey(name)
  } catch (error) {
    env.notices.warn(
      `${name}: whether the repository still exists cannot be told (${messageOf(error)}); its codex folder is kept.`
    )
    return false
  }
}

/** The folder names directly under `<projects_dir>/` in the codex branch. */
function folderNames(env: RunEnv): string[] {
  const prefix = `${env.config.projectsDir}/`
  const names = new Set<string>()
  for (const path of env.codexSnapshot.files.keys()) {
    if (!path.startsWith(prefix)) continue
    const slash = path.indexOf('/', prefix.length)
    if (slash > prefix.length) names.add(path.slice(prefix.length, slash))
  }
  return [...names]
}

/** The scope that empties the folders of repositories that are gone, within the deletion limits of all of `<projects_dir>/`. */
function orphanScope(env: RunEnv, gone: string[]): Scope {
  const prefix = `${env.config.projectsDir}/`
  let underProjects = 0
  for (const path of env.codexSnapshot.files.keys()) if (path.startsWith(prefix)) underProjects++
  return {
    project: ORPHANS,
    folders: gone.sort().map(name => projectFolder(env.config, name)),
    desired: new Map(),
    shareOf: underProjects
  }
}

function orphanReport(scope: Scope, result: ProjectResult | undefined): OrphanReport {
  const folders = scope.folders
  if (!result || result.status === 'skipped')
    return { status: 'deferred', folders, files_deleted: 0 }
  switch (result.outcome) {
    case 'failed':
      return { status: 'refused', folders, files_deleted: 0, reason: result.error }
    case 'planned':
      return { status: 'planned', folders, files_deleted: result.files_deleted }
    case 'committed':
    case 'pull-request':
      return {
        status: 'removed',
        folders,
        files_deleted: result.files_deleted,
        commit_sha: result.commit_sha
      }
    default:
      return { status: 'removed', folders, files_deleted: 0 }
  }
}

function pullMessage(env: RunEnv, plans: ScopePlan[]): string {
  const org = env.settings.organization
  if (plans.length === 1) {
    const [only] = plans as [ScopePlan]
    const subject =
      only.project === ORPHANS
        ? 'remove the docs of repositories that no longer exist'
        : `pull docs from ${org}/${only.project}`
    return commitMessage(env, `codex-sync: ${subject}`, `${countLine(only.plan)}.`, 'direct')
  }
  const lines = plans.map(plan => `- ${plan.project}: ${countLine(plan.plan)}`)
  return commitMessage(
    env,
    `codex-sync: pull docs from ${plans.length} projects of ${org}`,
    lines.join('\n'),
    'direct'
  )
}
