import PQueue from 'p-queue'
import { ContentSource } from './content.js'
import { FrontmatterError, readRoutingFrontmatter } from './frontmatter.js'
import { isRegularFile, messageOf, type Repository } from './git-data.js'
import { attempt, countLine, Progress, scopeResult } from './project-results.js'
import { syncViaPullRequest } from './pull-request.js'
import { compileRoutes, hasRoutingKeys, isMarkdown, type FileRouting } from './routing.js'
import type { ModeOutcome, RunEnv } from './run-env.js'
import { writerOptions } from './run-env.js'
import {
  claudeFolders,
  distributionFolder,
  isPushClaudeCandidate,
  isPushDocsCandidate,
  pushClaudeFiles,
  pushDocsFiles,
  unreadablePaths,
  type CodexFile
} from './selection.js'
import type { ProjectResult } from './result.js'
import type { Mode } from './settings.js'
import {
  TrackedBranch,
  writeScopes,
  type Scope,
  type ScopePlan,
  type WriterOptions
} from './writer.js'

type PushMode = Exclude<Mode, 'pull-docs'>

/**
 * push-docs and push-claude: the codex branch is read once (tree and routing), then each project's
 * owned folders are made equal to what is routed to it, `parallel` projects at a time.
 */
export async function pushToProjects(
  env: RunEnv,
  projects: Repository[],
  mode: PushMode
): Promise<ModeOutcome> {
  if (projects.length === 0) return { results: [], commits: 0 }
  const content = new ContentSource(env.git, true)
  const files = await readCodexFiles(env, content, mode)
  const codexFiles: CodexFiles = { files, unreadable: unreadablePaths(files, mode, env.config) }
  const options = writerOptions(env, content)
  const progress = new Progress(env.log, projects.length)
  const queue = new PQueue({ concurrency: env.settings.parallel })
  const results = await Promise.all(
    projects.map(project =>
      queue.add(async () => {
        const subject = `${env.settings.organization}/${project.name}`
        const result = await attempt(project.name, subject, () =>
          pushToProject(env, project, projectScope(env, codexFiles, project.name, mode), options)
        )
        return progress.report(result)
      })
    )
  )
  return { results, commits: results.filter(result => result.commit_sha).length }
}

/** One project's owned folders made equal to its scope, by a direct commit or through a pull request. */
async function pushToProject(
  env: RunEnv,
  project: Repository,
  scope: Scope,
  options: WriterOptions
): Promise<ProjectResult> {
  const message = (plans: ScopePlan[]) => pushMessage(env, plans)
  if (env.settings.commitStrategy === 'pull-request')
    return syncViaPullRequest(env, project, scope, message, options)
  const branch = new TrackedBranch(env.git, project.name, project.defaultBranch, scope.folders)
  const outcome = await writeScopes(branch, [scope], message, options)
  return scopeResult(outcome.plans[0] as ScopePlan, {
    dryRun: env.settings.dryRun,
    commit: outcome.commit
  })
}

function projectScope(env: RunEnv, codex: CodexFiles, project: string, mode: PushMode): Scope {
  if (mode === 'push-docs') {
    return {
      project,
      folders: [distributionFolder(env.config)],
      desired: pushDocsFiles(codex.files, env.codex.name, project, env.config),
      kept: codex.unreadable
    }
  }
  return {
    project,
    folders: claudeFolders(env.config),
    desired: pushClaudeFiles(codex.files, env.codex.name, project, env.config),
    kept: codex.unreadable
  }
}

interface CodexFiles {
  files: CodexFile[]
  /** Destination paths of files whose frontmatter cannot be parsed: left as they are in projects. */
  unreadable: ReadonlySet<string>
}

/** The codex files the mode may push, with the routing their frontmatter declares (read once per run). */
async function readCodexFiles(
  env: RunEnv,
  content: ContentSource,
  mode: PushMode
): Promise<CodexFile[]> {
  const isCandidate =
    mode === 'push-docs'
      ? isPushDocsCandidate
      : (path: string) => isPushClaudeCandidate(path, env.config)
  const candidates = [...env.codexSnapshot.files.values()].filter(
    file => isRegularFile(file) && isCandidate(file.path)
  )
  const reads = new PQueue({ concurrency: env.settings.parallel })
  const files = await Promise.all(
    candidates.map(file =>
      reads.add(async (): Promise<CodexFile> => {
        if (!isMarkdown(file.path)) return { ...file, routing: { kind: 'none' } }
        return {
          ...file,
          routing: routingOf(env, file.path, await content.readText(env.codex.name, file.sha))
        }
      })
    )
  ).catch((error: unknown) => {
    reads.clear()
    throw error
  })
  forgetUnroutable(env, mode, files, content)
  return files
}

/** Keeps in memory only the contents some project can receive (a sha may stand for several files). */
function forgetUnroutable(
  env: RunEnv,
  mode: PushMode,
  files: CodexFile[],
  content: ContentSource
): void {
  const needed = new Set(
    files.filter(file => mayBeRouted(env, mode, file.path, file.routing)).map(file => file.sha)
  )
  for (const file of files) if (!needed.has(file.sha)) content.forget(file.sha)
}

/** Whether a file read for its frontmatter can go to any project, so that its content is worth keeping. */
function mayBeRouted(env: RunEnv, mode: PushMode, path: string, routing: FileRouting): boolean {
  if (routing.kind === 'invalid') return false
  if (routing.kind === 'frontmatter' || mode === 'push-claude') return true
  return compileRoutes(env.config.routes)(path) !== undefined
}

function routingOf(env: RunEnv, path: string, markdown: string): FileRouting {
  try {
    const rule = readRoutingFrontmatter(markdown)
    return hasRoutingKeys(rule) ? { kind: 'frontmatter', rule } : { kind: 'none' }
  } catch (error) {
    if (!(error instanceof FrontmatterError)) throw error
    env.log.warning(
      `${path}: the frontmatter cannot be parsed (${messageOf(error)}), so the file is not distributed. Fix its YAML in the codex.`,
      {
        file: path,
        title: 'codex-sync: invalid frontmatter'
      }
    )
    return { kind: 'invalid', error: messageOf(error) }
  }
}

function pushMessage(env: RunEnv, plans: ScopePlan[]): string {
  const from = `${env.settings.organization}/${env.codex.name}@${env.codexBranch}`
  const what =
    env.settings.mode === 'push-docs'
      ? `${env.config.distributionDir}/`
      : `Claude tooling (${env.config.claudeNamespace})`
  const counts = plans.map(plan => countLine(plan.plan)).join('; ')
  return `codex-sync: update ${what} from ${from}\n\n${counts}.`
}
