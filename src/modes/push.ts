/** push-docs and push-claude: the codex branch read once, then each project's owned folders made exact. */
import { isRegularFile, nameKey, type Repository } from '../model.js'
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
import { isMarkdown, NO_ROUTING, routingOf } from '../plan/routing.js'
import { pushExpectation } from '../plan/triage.js'
import type { ProjectResult } from '../result/project.js'
import type { RoutedFile } from '../result/run.js'
import { RoutingMatrix } from './routing-matrix.js'
import type { PreparedMode } from './runners.js'
import { TrackedBranch } from '../write/branch.js'
import type { Writer } from '../write/writer.js'
import { eachProject, onlyResult } from './each-project.js'
import type { RunEnv } from './env.js'
import { commitMessage, type Landing } from './messages.js'
import { BranchRuleError } from '../github/errors.js'
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
  const folders = rules.folders(env.config)
  const scopeOf = (project: Repository): Scope => {
    const desired = routedTo(routable, env.codex.name, project.name, env.config)
    matrix.route(project.name, desired.keys())
    return { project: project.name, folders, desired, kept: unreadable }
  }
  return {
    expect: project => pushExpectation(scopeOf(project).desired, folders),
    run: async (projects, inSync) => {
      const { writer } = env
      const results = await eachProject(env, projects, project =>
        pushToProject(env, writer, project, scopeOf(project), rules)
      )
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
 * commit_strategy auto: a project with nothing to write is in sync, unless a pull request of an
 * earlier run is open (its branch is then kept exact, or the pull request closed). Changes go
 * straight to the branch when its rules allow it, else through a pull request; where the rules
 * cannot be read, a refused commit tells.
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
  const [plan] = planScopes([ways.scope], await ways.branch.read(), env.config)
  const nothingToWrite = !plan || applicable([plan]).length === 0
  if (nothingToWrite) {
    const offering = await env.github.git.branchHead(
      project.name,
      pullRequestBranch(env.settings.environment)
    )
    return offering ? ways.viaPullRequest() : ways.direct()
  }
  const writes = await env.github.repositories.directCommits(project.name, project.defaultBranch)
  if (writes?.allowed === false) {
    return delivered(await ways.viaPullRequest(), `pull request: ${writes.why}`)
  }
  if (writes === undefined) {
    env.notices.once(
      'branch rules',
      `The branch rules of ${project.name} (and maybe other projects) cannot be read with this token; there, commit_strategy auto learns from a refused commit (one refused write per project and run). Give the token "Metadata: read" and "Administration: read" to avoid it.`
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
  for (let start = 0; start < unknown.length; start += ROUTING_READ_CHUNK) {
    const chunk = unknown.slice(start, start + ROUTING_READ_CHUNK)
    const texts = await Promise.all(chunk.map(file => content.readText(env.codex.name, file.sha)))
    chunk.forEach((file, index) => {
      const routing = routingOf(texts[index] ?? '')
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
    const routing = (isMarkdown(file.path) && state.routingOf(file.sha)) || NO_ROUTING
    if (routing.kind === 'invalid') warnInvalidFrontmatter(env, file.path, routing.error)
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
