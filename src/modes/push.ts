/** push-docs and push-claude: the codex branch read once, then each project's owned folders made exact. */
import PQueue from 'p-queue'
import { isRegularFile, type Repository } from '../model.js'
import {
  pushFiles,
  ruleOf,
  unreadablePaths,
  type CodexFile,
  type PushModeRules
} from '../plan/desired.js'
import type { Scope, ScopePlan } from '../plan/scopes.js'
import { countLine } from '../plan/scopes.js'
import { isMarkdown, routingOf } from '../plan/routing.js'
import type { ProjectResult } from '../report/results.js'
import { TrackedBranch } from '../write/branch.js'
import { ContentSource } from '../write/content.js'
import type { Writer } from '../write/writer.js'
import { eachProject, onlyResult } from './each-project.js'
import { writerFor, type RunEnv } from './env.js'
import { syncViaPullRequest } from './pull-request.js'

/** Each project's owned folders made equal to what is routed to it, `parallel` projects at a time. */
export async function pushToProjects(
  env: RunEnv,
  projects: Repository[],
  rules: PushModeRules
): Promise<ProjectResult[]> {
  if (projects.length === 0) return []
  const content = new ContentSource(env.github)
  const files = await readCodexFiles(env, content, rules)
  const unreadable = unreadablePaths(rules, files, env.config)
  const writer = writerFor(env, content)
  return eachProject(env, projects, project => {
    const scope: Scope = {
      project: project.name,
      folders: rules.folders(env.config),
      desired: pushFiles(rules, files, env.codex.name, project.name, env.config),
      kept: unreadable
    }
    return pushToProject(env, writer, project, scope, rules)
  })
}

/** One project's owned folders made equal to its scope, by a direct commit or through a pull request. */
async function pushToProject(
  env: RunEnv,
  writer: Writer,
  project: Repository,
  scope: Scope,
  rules: PushModeRules
): Promise<ProjectResult> {
  const message = (plans: ScopePlan[]) => pushMessage(env, rules, plans)
  if (env.settings.commitStrategy === 'pull-request')
    return syncViaPullRequest(env, writer, project, scope, message)
  const branch = new TrackedBranch(
    env.github.git,
    project.name,
    project.defaultBranch,
    scope.folders
  )
  return onlyResult(await writer.commit(branch, [scope], message))
}

/** The codex files the mode may push, with the routing their frontmatter declares (read once per run). */
async function readCodexFiles(
  env: RunEnv,
  content: ContentSource,
  rules: PushModeRules
): Promise<CodexFile[]> {
  const candidates = [...env.codexSnapshot.files.values()].filter(
    file => isRegularFile(file) && rules.isCandidate(file.path, env.config)
  )
  const reads = new PQueue({ concurrency: env.settings.parallel })
  const files = await Promise.all(
    candidates.map(file =>
      reads.add(async (): Promise<CodexFile> => {
        if (!isMarkdown(file.path)) return { ...file, routing: { kind: 'none' } }
        const routing = routingOf(await content.readText(env.codex.name, file.sha))
        if (routing.kind === 'invalid') warnInvalidFrontmatter(env, file.path, routing.error)
        return { ...file, routing }
      })
    )
  ).catch((error: unknown) => {
    reads.clear()
    throw error
  })
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

function pushMessage(env: RunEnv, rules: PushModeRules, plans: ScopePlan[]): string {
  const from = `${env.settings.organization}/${env.codex.name}@${env.codexBranch}`
  const counts = plans.map(plan => countLine(plan.plan)).join('; ')
  return `codex-sync: update ${rules.subject(env.config)} from ${from}\n\n${counts}.`
}
