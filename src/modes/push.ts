/** push-docs and push-claude: the codex branch read once, then each project's owned folders made exact. */
import { isRegularFile, messageOf, nameKey, type Repository } from '../model.js'
import {
  routableFiles,
  routedTo,
  isCarried,
  ruleOf,
  uncarriedPushFiles,
  unreadablePaths,
  withRouting,
  type CodexFile,
  type PushModeRules
} from '../plan/desired.js'
import { applicable, countLine, planScopes, type Scope, type ScopePlan } from '../plan/scopes.js'
import { isMarkdown, NO_ROUTING, routingOf, type FileRouting } from '../plan/routing.js'
import { pushExpectation } from '../plan/triage.js'
import type { ProjectResult } from '../result/project.js'
import type { RoutedFile } from '../result/run.js'
import { RoutingMatrix } from './routing-matrix.js'
import { TrackedBranch } from '../write/branch.js'
import type { Writer } from '../write/writer.js'
import { eachProject, onlyResult } from './each-project.js'
import type { PreparedMode, RunEnv } from './env.js'
import { commitMessage, type Landing } from './messages.js'
import { BranchRuleError, statusOf } from '../github/errors.js'
import { pullRequestBranch, syncViaPullRequest } from './pull-request.js'

/**
 * A push mode once the codex is read: what each project's owned folders should hold, and the run
 * that makes them so, `parallel` projects at a time.
 */
export async function preparePush(env: RunEnv, rules: PushModeRules): Promise<PreparedMode> {
  const files = await readCodexFiles(env, rules)
  const unreadable = unreadablePaths(rules, files, env.config)
  const matrix = new RoutingMatrix(rules, files, env.config)
  const routable = routableFiles(rules, files, env.config)
  const others = otherNamespaceFiles(env, rules)
  // Nothing else reads the codex tree in a push run: a tree of 50,000 files is let go before the
  // projects, whose run may last hours.
  env.codexSnapshot.files.clear()
  env.codexSnapshot.folders = undefined
  const folders = rules.folders(env.config)
  const desiredOf = (project: string) => routedTo(routable, env.codex.name, project, env.config)
  return {
    expect: project => pushExpectation(desiredOf(project.name), folders),
    run: async (projects, inSync) => {
      const { writer } = env
      const results = await eachProject(env, projects, project => {
        const desired = desiredOf(project.name)
        matrix.route(project.name, desired.keys())
        const scope: Scope = { project: project.name, folders, desired, kept: unreadable }
        return pushToProject(env, writer, project, scope, rules)
      })
      // Projects found in sync hold what is routed to them: the picture says so too.
      for (const result of inSync) matrix.route(result.project, desiredOf(result.project).keys())
      const all = [...inSync, ...results]
      return { results: all, routing: matrix.report(all, others) }
    }
  }
}

/** push-claude: tooling of other namespaces in the codex, which this run leaves alone. */
function otherNamespaceFiles(env: RunEnv, rules: PushModeRules): RoutedFile[] {
  if (rules.includeByDefault === false) return []
  const own = env.config.claudeNamespace
  return [...env.codexSnapshot.files.keys()]
    .filter(path => /^\.claude\/[^/]+\/[^/]+\//.test(path) && !rules.isCandidate(path, env.config))
    .map(path => ({
      path,
      added: [],
      modified: [],
      unchanged: [],
      deleted: [],
      nowhere: `another namespace (${path.split('/')[2] ?? ''}): this codex pushes '${own}'`
    }))
}

/**
 * One project's owned folders made equal to its scope: by a direct commit, through a pull request,
 * or (auto) directly where the branch takes direct commits, else through a pull request.
 */
async function pushToProject(
  env: RunEnv,
  writer: Writer,
  project: Repository,
  scope: Scope,
  rules: PushModeRules
): Promise<ProjectResult> {
  const message = (landing: Landing) => (plans: ScopePlan[]) =>
    pushMessage(env, rules, plans, landing)
  const viaPullRequest = () =>
    syncViaPullRequest(env, writer, project, scope, message('pull-request'))
  const branch = new TrackedBranch(
    env.github.git,
    project.name,
    project.defaultBranch,
    scope.folders,
    undefined,
    env.heads.get(nameKey(project.name))?.commitSha
  )
  const direct = async () => onlyResult(await writer.commit(branch, [scope], message('direct')))
  switch (env.settings.commitStrategy) {
    case 'pull-request':
      return viaPullRequest()
    case 'direct':
      return direct()
    case 'auto':
      return autoDelivery(env, project, { branch, scope, direct, viaPullRequest })
  }
}

/**
 * commit_strategy auto: a project whose pull request of an earlier run is open goes on through it
 * (its branch kept exact, or the pull request closed once the default branch has it all). Else a
 * project with nothing to write is in sync, and changes go straight to the branch when its rules
 * allow it, through a pull request when they do not; where the rules cannot be read, a refused
 * commit tells. A dry run plans the same either way, and asks nothing of the rules.
 */
async function autoDelivery(
  env: RunEnv,
  project: Repository,
  ways: {
    branch: TrackedBranch
    scope: Scope
    direct: () => Promise<ProjectResult>
    viaPullRequest: () => Promise<ProjectResult>
  }
): Promise<ProjectResult> {
  if (await hasOpenPullRequest(env, project)) return ways.viaPullRequest()
  const [plan] = planScopes([ways.scope], await ways.branch.read(), env.config)
  const nothingToWrite = !plan || applicable([plan]).length === 0
  if (nothingToWrite || env.settings.dryRun) return ways.direct()
  const writes = await env.github.repositories.directCommits(project.name, project.defaultBranch)
  if (writes?.allowed === false) {
    return delivered(await ways.viaPullRequest(), `pull request: ${writes.why}`)
  }
  if (writes === undefined) {
    env.notices.once(
      'branch rules',
      `The branch rules of ${project.name} (and maybe other projects) cannot be read with this token; there, commit_strategy auto learns from a refused commit (one refused write per project and run). Give the token "Metadata: read" and "Contents: read" on the projects to avoid it.`
    )
  }
  try {
    return await ways.direct()
  } catch (error) {
    if (!(error instanceof BranchRuleError)) throw error
    env.log.info(`${project.name}: ${error.message} Offering the changes as a pull request.`)
    return delivered(
      await ways.viaPullRequest(),
      'pull request: the default branch refused the commit'
    )
  }
}

/**
 * Whether the project's pull request of this environment is open: as the listing saw it, or (when
 * it did not say) as its branch and pull requests are read now.
 */
async function hasOpenPullRequest(env: RunEnv, project: Repository): Promise<boolean> {
  const branch = pullRequestBranch(env.settings.environment)
  const listed = env.heads.get(nameKey(project.name))
  if (listed) return listed.offering?.pull !== undefined
  if (!(await env.github.git.branchHead(project.name, branch))) return false
  return (
    (await env.github.pulls.findOpen(project.name, branch, project.defaultBranch)) !== undefined
  )
}

/** Says why a pull request carries the changes, when one does. */
function delivered(result: ProjectResult, delivery: string): ProjectResult {
  return result.outcome === 'pull-request' ? { ...result, delivery } : result
}

/** Markdown files read at once for their frontmatter: GraphQL takes them a hundred a query. */
const ROUTING_READ_CHUNK = 500

/**
 * The codex files the mode may push, with the routing their frontmatter declares. The routing of
 * a blob SHA read in an earlier run comes from the codex state; only new blobs are read.
 */
async function readCodexFiles(env: RunEnv, rules: PushModeRules): Promise<CodexFile[]> {
  const { content, state } = env
  const candidates = [...env.codexSnapshot.files.values()].filter(
    file => isCarried(file) && rules.isCandidate(file.path, env.config)
  )
  const unknown = candidates.filter(
    file => isMarkdown(file.path) && state.routingOf(file.sha) === undefined
  )
  const unreadable = new Map<string, FileRouting>()
  for (let start = 0; start < unknown.length; start += ROUTING_READ_CHUNK) {
    const chunk = unknown.slice(start, start + ROUTING_READ_CHUNK)
    const texts = await Promise.all(chunk.map(file => readRoutingText(env, file.sha)))
    chunk.forEach((file, index) => {
      const text = texts[index] as string | Unreadable
      // A file that cannot be read this time goes nowhere new and loses nothing: its copies are
      // kept as they are (as for a broken frontmatter), and nothing is remembered of it.
      if (typeof text !== 'string') {
        unreadable.set(file.sha, { kind: 'invalid', error: text.why })
        return
      }
      const routing = routingOf(text)
      state.learn(file.sha, routing)
      // A text that goes nowhere is not kept for the writes (a codex may hold 50,000 such docs).
      if (ruleOf(rules, withRouting(file, routing), env.config) === undefined)
        content.forget(file.sha)
    })
  }
  state.keepRouting(
    new Set([...env.codexSnapshot.files.values()].filter(isRegularFile).map(file => file.sha))
  )
  const files = candidates.map((file): CodexFile => {
    const routing =
      unreadable.get(file.sha) || (isMarkdown(file.path) && state.routingOf(file.sha)) || NO_ROUTING
    const failed = unreadable.get(file.sha)
    if (failed?.kind === 'invalid') {
      env.notices.warn(
        `${file.path} cannot be read now (${failed.error}): its copies in the projects are kept as they are, and the next run reads it again.`,
        { file: file.path, title: 'codex-sync: codex file not read' }
      )
    } else if (routing.kind === 'invalid') warnInvalidFrontmatter(env, file.path, routing.error)
    for (const warning of routing.warnings ?? []) {
      env.log.warning(`${file.path}: ${warning}`, {
        file: file.path,
        title: 'codex-sync: frontmatter'
      })
    }
    return withRouting(file, routing)
  })
  for (const file of uncarriedPushFiles(rules, env.codexSnapshot.files, env.config)) {
    env.log.info(`${env.codex.name}: ${file.path} is not carried: ${file.reason}.`)
  }
  // Keep in memory only the contents some project can receive (a sha may stand for several files).
  const needed = new Set(
    files.filter(file => ruleOf(rules, file, env.config) !== undefined).map(file => file.sha)
  )
  for (const file of files) if (!needed.has(file.sha)) content.forget(file.sha)
  return files
}

/** A codex text that could not be read, and why. */
interface Unreadable {
  why: string
}

/** A codex text for its routing; a read that fails is said, not thrown (but a rejected token is). */
async function readRoutingText(env: RunEnv, sha: string): Promise<string | Unreadable> {
  try {
    return await env.content.readText(env.codex.name, sha)
  } catch (error) {
    if (statusOf(error) === 401) throw error
    return { why: messageOf(error) }
  }
}

function warnInvalidFrontmatter(env: RunEnv, path: string, error: string): void {
  env.log.warning(
    `${path}: the frontmatter cannot be parsed (${error}), so the file is not distributed. Fix its YAML in the codex.`,
    { file: path, title: 'codex-sync: invalid frontmatter' }
  )
}

function pushMessage(
  env: RunEnv,
  rules: PushModeRules,
  plans: ScopePlan[],
  landing: Landing
): string {
  const from = `${env.settings.organization}/${env.codex.name}@${env.codexBranch}`
  const counts = plans.map(plan => countLine(plan.plan)).join('; ')
  return commitMessage(
    env,
    `codex-sync: update ${rules.subject(env.config)} from ${from}`,
    `${counts}.`,
    landing
  )
}
