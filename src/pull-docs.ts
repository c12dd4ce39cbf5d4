import PQueue from 'p-queue'
import { ContentSource } from './content.js'
import type { Repository } from './git-data.js'
import { attempt, countLine, errorResult, Progress, scopeResult } from './project-results.js'
import type { ModeOutcome, RunEnv } from './run-env.js'
import { writerOptions } from './run-env.js'
import { projectFolder, pullDocsFiles } from './selection.js'
import { isEmptyPlan } from './plan.js'
import {
  planScopes,
  TrackedBranch,
  writeScopes,
  type Scope,
  type ScopePlan,
  type WriterOptions
} from './writer.js'

/**
 * pull-docs: each project's documentation into `<projects_dir>/<project>/` of the codex branch.
 * Projects are read `parallel` at a time; codex writes go one after another, each on the head the
 * previous one made, so they never race.
 */
export async function pullDocs(env: RunEnv, projects: Repository[]): Promise<ModeOutcome> {
  const codex = new TrackedBranch(
    env.git,
    env.codex.name,
    env.codexBranch,
    [`${env.config.projectsDir}/`],
    env.codexSnapshot
  )
  const options = writerOptions(env, new ContentSource(env.git, false))
  const progress = new Progress(env.log, projects.length)
  const reads = new PQueue({ concurrency: env.settings.parallel })
  const readScope = async (project: Repository): Promise<Scope> => {
    const { files } = await env.git.readTree(project.name, project.defaultBranch)
    return {
      project: project.name,
      folders: [projectFolder(env.config, project.name)],
      desired: pullDocsFiles(files, project.name, env.config)
    }
  }
  const subject = (name: string) => `${env.settings.organization}/${name}`

  if (env.settings.codexCommit === 'single') {
    const scopes: Scope[] = []
    const unread = await Promise.all(
      projects.map(project =>
        reads.add(() =>
          readScope(project).then(
            scope => void scopes.push(scope),
            (error: unknown) =>
              progress.report(errorResult(project.name, subject(project.name), error))
          )
        )
      )
    )
    const written = await writeOneCommit(env, codex, scopes, options, progress)
    return {
      results: [...unread.filter(result => result !== undefined), ...written.results],
      commits: written.commits
    }
  }

  const writes = new PQueue({ concurrency: 1 })
  const results = await Promise.all(
    projects.map(project =>
      reads.add(async () => {
        const result = await attempt(project.name, subject(project.name), async () => {
          const scope = await readScope(project)
          return writes.add(async () => {
            const outcome = await writeScopes(
              codex,
              [scope],
              plans => pullMessage(env, plans),
              options
            )
            codex.follow(outcome)
            return scopeResult(outcome.plans[0] as ScopePlan, {
              dryRun: env.settings.dryRun,
              commit: outcome.commit
            })
          })
        })
        return progress.report(result)
      })
    )
  )
  return { results, commits: results.filter(result => result.commit_sha).length }
}

/** codex_commit: single — every project's changes in one codex commit; if it fails, they all do. */
async function writeOneCommit(
  env: RunEnv,
  codex: TrackedBranch,
  scopes: Scope[],
  options: WriterOptions,
  progress: Progress
): Promise<ModeOutcome> {
  if (scopes.length === 0) return { results: [], commits: 0 }
  try {
    const outcome = await writeScopes(codex, scopes, plans => pullMessage(env, plans), options)
    const results = outcome.plans.map(plan =>
      progress.report(scopeResult(plan, { dryRun: env.settings.dryRun, commit: outcome.commit }))
    )
    return { results, commits: outcome.commit ? 1 : 0 }
  } catch (error) {
    // Projects with nothing to write, or refused by the threshold, keep that status; the others failed with the commit.
    const failure = errorResult('', `${env.settings.organization}/${env.codex.name}`, error)
    const plans = await codex.read().then(
      base => planScopes(scopes, base, options.limits),
      () => undefined
    )
    const results = scopes.map((scope, index) => {
      const plan = plans?.[index]
      const settled = plan && (plan.refused || isEmptyPlan(plan.plan))
      return progress.report(
        settled ? scopeResult(plan, { dryRun: false }) : { ...failure, project: scope.project }
      )
    })
    return { results, commits: 0 }
  }
}

function pullMessage(env: RunEnv, plans: ScopePlan[]): string {
  const org = env.settings.organization
  if (plans.length === 1) {
    const [only] = plans as [ScopePlan]
    return `codex-sync: pull docs from ${org}/${only.project}\n\n${countLine(only.plan)}.`
  }
  const lines = plans.map(plan => `- ${plan.project}: ${countLine(plan.plan)}`)
  return `codex-sync: pull docs from ${plans.length} projects of ${org}\n\n${lines.join('\n')}`
}
