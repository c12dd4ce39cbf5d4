/** The one project loop: `parallel` projects at a time, each failure kept as that project's result. */
import PQueue from 'p-queue'
import { EmptyRepositoryError } from '../github/errors.js'
import type { Repository } from '../model.js'
import { isEmptyPlan } from '../plan/files.js'
import type { ScopePlan } from '../plan/scopes.js'
import { explain } from '../result/explain.js'
import {
  deferredProject,
  failedProject,
  inSyncProject,
  notPlannedProject,
  skippedProject,
  type FailedProject,
  type ProjectResult,
  type SkippedProject
} from '../result/project.js'
import type { WriteOutcome } from '../write/writer.js'
import type { RunEnv } from './env.js'

/** Writes one project may need (tree, commit, ref, pull request): room kept before it starts. */
const WRITES_PER_PROJECT = 4

/** Syncs each project, `parallel` at a time, logging progress as each finishes. */
export async function eachProject(
  env: RunEnv,
  projects: Repository[],
  sync: (project: Repository) => Promise<ProjectResult>
): Promise<ProjectResult[]> {
  return mapProjects(env, projects, sync, result => env.progress.report(result))
}

/**
 * Runs `work` for each project, `parallel` at a time, while the run's budget lasts: a project not
 * started then is not reached (see unreached). Whatever `work` throws becomes that project's
 * result, never the run's; a project once started keeps its own outcome whatever stops the run.
 */
export async function mapProjects<T>(
  env: RunEnv,
  projects: Repository[],
  work: (project: Repository) => Promise<T>,
  done: (result: T | FailedProject | SkippedProject) => void = () => undefined
): Promise<(T | FailedProject | SkippedProject)[]> {
  const queue = new PQueue({ concurrency: env.settings.parallel })
  const one = async (project: Repository): Promise<T | FailedProject | SkippedProject> => {
    if (!env.budget.start(WRITES_PER_PROJECT)) return unreached(env, project.name)
    try {
      return await work(project)
    } catch (error) {
      return errorResult(env, project.name, error)
    } finally {
      env.budget.finish(WRITES_PER_PROJECT)
    }
  }
  return Promise.all(
    projects.map(project =>
      queue.add(async () => {
        const result = await one(project)
        done(result)
        return result
      })
    )
  )
}

/**
 * A project the run did not start because its budget had ended: deferred, so that the next run
 * takes it first; in a dry run (which remembers nothing) only not planned.
 */
export function unreached(env: RunEnv, project: string): SkippedProject {
  const why = env.budget.stopReason ?? 'the run stopped'
  return env.settings.dryRun ? notPlannedProject(project, why) : deferredProject(project, why)
}

/** An empty repository is skipped; any other error fails the project, with what to do about it. */
export function errorResult(
  env: RunEnv,
  project: string,
  error: unknown
): FailedProject | SkippedProject {
  if (error instanceof EmptyRepositoryError)
    return skippedProject(project, 'empty', 'empty repository')
  const { error: message, resolution } = explain(error, `${env.settings.organization}/${project}`)
  return failedProject(project, message, resolution)
}

/** What one scope's write did to its project: refused, nothing to do, planned, or committed. */
export function scopeResult(entry: ScopePlan, outcome: WriteOutcome): ProjectResult {
  const { plan, project } = entry
  if (entry.refusal) return failedProject(project, entry.refusal.error, entry.refusal.resolution)
  if (isEmptyPlan(plan) || outcome.kind === 'unchanged') return inSyncProject(project)
  const counts = {
    files_added: plan.added.length,
    files_modified: plan.modified.length,
    files_deleted: plan.deleted.length
  }
  const paths = (files: { path: string }[]) => files.map(file => file.path)
  const changed = {
    added: paths(plan.added),
    modified: paths(plan.modified),
    deleted: paths(plan.deleted)
  }
  if (outcome.kind === 'planned') {
    return { project, status: 'synced', outcome: 'planned', ...counts, planned: changed }
  }
  return {
    project,
    status: 'synced',
    outcome: 'committed',
    ...counts,
    commit_sha: outcome.commit.sha,
    commit_url: outcome.commit.url,
    paths: changed
  }
}

/** The result of a write of one scope. */
export function onlyResult(outcome: WriteOutcome): ProjectResult {
  return scopeResult(outcome.plans[0] as ScopePlan, outcome)
}
