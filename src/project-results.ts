import { explain } from './errors.js'
import { EmptyRepositoryError, type Commit } from './git-data.js'
import type { Log } from './log.js'
import { isEmptyPlan } from './plan.js'
import { failedProject, skippedProject, type ProjectResult } from './result.js'
import type { ScopePlan } from './writer.js'

export const DELETION_THRESHOLD_EXCEEDED = 'Deletion threshold exceeded'

/** What happened to one project's folders: refused, nothing to do, planned (dry run) or committed. */
export function scopeResult(
  entry: ScopePlan,
  written: { dryRun: boolean; commit?: Commit }
): ProjectResult {
  const { plan } = entry
  if (entry.refused) {
    return failedProject(
      entry.project,
      DELETION_THRESHOLD_EXCEEDED,
      `${entry.refused}; nothing was written. Check why those files are gone, or raise deletion_threshold / deletion_threshold_percent in the codex config.`
    )
  }
  const counts = {
    files_added: plan.added.length,
    files_modified: plan.modified.length,
    files_deleted: plan.deleted.length
  }
  if (isEmptyPlan(plan)) return { project: entry.project, status: 'unchanged', ...counts }
  if (written.dryRun) {
    const paths = (files: { path: string }[]) => files.map(file => file.path)
    return {
      project: entry.project,
      status: 'synced',
      ...counts,
      planned: {
        added: paths(plan.added),
        modified: paths(plan.modified),
        deleted: paths(plan.deleted)
      }
    }
  }
  if (!written.commit)
    throw new Error(`No commit was made for ${entry.project} although it has changes.`)
  return {
    project: entry.project,
    status: 'synced',
    ...counts,
    commit_sha: written.commit.sha,
    commit_url: written.commit.url
  }
}

/** Logs `[k/n] project: status` as each project finishes. */
export class Progress {
  private done = 0

  constructor(
    private readonly log: Log,
    private readonly total: number
  ) {}

  report(result: ProjectResult): ProjectResult {
    this.done++
    this.log.info(
      `[${this.done}/${this.total}] ${result.project}: ${result.status}${detail(result)}`
    )
    if (result.status === 'failed') {
      this.log.error(`${result.project}: ${result.error} — ${result.resolution}`, {
        title: `codex-sync: ${result.project} failed`
      })
    }
    return result
  }
}

function detail(result: ProjectResult): string {
  if (result.status === 'skipped') return ` (${result.reason})`
  if (result.status === 'failed') return ` (${result.error})`
  if (result.status === 'unchanged') return ''
  const counts = `${result.files_added} added, ${result.files_modified} modified, ${result.files_deleted} deleted`
  const where = result.pull_request_url ?? result.commit_url
  return ` (${counts}${result.planned ? ', dry run' : ''}${where ? ` — ${where}` : ''})`
}

/** Runs one project's sync; whatever it throws becomes that project's result, never the run's. */
export async function attempt(
  project: string,
  subject: string,
  sync: () => Promise<ProjectResult>
): Promise<ProjectResult> {
  try {
    return await sync()
  } catch (error) {
    return errorResult(project, subject, error)
  }
}

/** An empty repository is skipped; any other error fails the project with a resolution. */
export function errorResult(project: string, subject: string, error: unknown): ProjectResult {
  if (error instanceof EmptyRepositoryError) return skippedProject(project, 'empty repository')
  const { error: message, resolution } = explain(error, subject)
  return failedProject(project, message, resolution)
}

export function countLine(plan: ScopePlan['plan']): string {
  return `${plan.added.length} added, ${plan.modified.length} modified, ${plan.deleted.length} deleted`
}
