/** The run's result: each project's outcome, and the counts and status derived from them. */
import type { Mode } from '../model.js'
import { commitOf, type FailedProject, type ProjectResult, type ProjectStatus } from './project.js'

export type RunStatus = 'success' | 'partial_success' | 'failure'

/** pull-docs over the whole organisation: the folders of repositories that no longer exist. */
export interface OrphanReport {
  /**
   * removed; planned (dry run); kept (no proof that the repositories are gone); refused (deletion
   * limits, or the commit failed); deferred (budget).
   */
  status: 'removed' | 'planned' | 'kept' | 'refused' | 'deferred'
  /** The folders, each with a trailing slash. */
  folders: string[]
  files_deleted: number
  /** The codex commit that removed them. */
  commit_sha?: string
  reason?: string
}

/**
 * push modes: where one codex file went. Projects by what happened to the file there; `nowhere`
 * says why a file reached no project.
 */
export interface RoutedFile {
  path: string
  added: string[]
  modified: string[]
  unchanged: string[]
  deleted: string[]
  nowhere?: string
}

export interface Failure {
  project: string
  error: string
  resolution: string
}

export interface RunResult {
  status: RunStatus
  /** The mode as given: a Mode, unless the inputs could not be read. */
  mode: Mode | string
  organization: string
  codex_repository: string
  environment: string
  codex_branch: string
  dry_run: boolean
  total_projects: number
  succeeded: number
  failed: number
  skipped: number
  files_synced: number
  files_deleted: number
  commits_created: number
  duration_seconds: number
  projects: ProjectResult[]
  failures: Failure[]
  /** What went wrong beside the projects (the state not saved, a slower path taken): said, not fatal. */
  warnings: string[]
  /** pull-docs over the whole organisation, when it found folders of repositories that are gone. */
  orphans?: OrphanReport
  /** push modes: each codex file and the projects it reached, or why it reached none. */
  routing?: RoutedFile[]
  /** Set when the run could not start (bad config, codex unreadable, discovery failed). */
  error?: string
  resolution?: string
}

/** What the result says about the run itself, whatever became of the projects. */
export interface RunContext {
  mode: Mode | string
  organization: string
  codexRepository: string
  environment: string
  codexBranch: string
  dryRun: boolean
  startedAt: number
}

/** failure when every attempted project failed or more than half did; partial when some did. */
export function runStatus(succeeded: number, failed: number): RunStatus {
  const attempted = succeeded + failed
  if (failed === 0) return 'success'
  if (failed === attempted || failed * 2 > attempted) return 'failure'
  return 'partial_success'
}

/** What a mode reports beside its projects. */
export interface ModeExtras {
  orphans?: OrphanReport
  routing?: RoutedFile[]
}

export function buildResult(
  context: RunContext,
  projects: ProjectResult[],
  now = Date.now(),
  extras: ModeExtras = {},
  warnings: string[] = []
): RunResult {
  const count = (status: ProjectStatus) =>
    projects.filter(project => project.status === status).length
  const succeeded = count('synced') + count('unchanged')
  const failed = projects.filter((project): project is FailedProject => project.status === 'failed')
  const sum = (pick: (project: ProjectResult) => number) =>
    projects.reduce((total, project) => total + pick(project), 0)
  const orphans = extras.orphans
  // Commits are counted once however many projects share one (codex_commit: single).
  const commits = new Set([...projects.map(commitOf), orphans?.commit_sha])
  commits.delete(undefined)
  return {
    status: runStatus(succeeded, failed.length),
    ...header(context),
    total_projects: projects.length,
    succeeded,
    failed: failed.length,
    skipped: count('skipped'),
    files_synced: sum(project => project.files_added + project.files_modified),
    files_deleted: sum(project => project.files_deleted) + (orphans?.files_deleted ?? 0),
    commits_created: commits.size,
    duration_seconds: seconds(context, now),
    projects: [...projects].sort((a, b) => a.project.localeCompare(b.project)),
    failures: failed.map(({ project, error, resolution }) => ({ project, error, resolution })),
    warnings,
    ...(orphans ? { orphans } : {}),
    ...(extras.routing ? { routing: extras.routing } : {})
  }
}

/** The result of a run that could not start: nothing was attempted, nothing written. */
export function fatalResult(
  context: RunContext,
  error: string,
  resolution: string,
  now = Date.now()
): RunResult {
  return { ...buildResult(context, [], now), status: 'failure', error, resolution }
}

function header(context: RunContext) {
  return {
    mode: context.mode,
    organization: context.organization,
    codex_repository: context.codexRepository,
    environment: context.environment,
    codex_branch: context.codexBranch,
    dry_run: context.dryRun
  }
}

function seconds(context: RunContext, now: number): number {
  return Math.round((now - context.startedAt) / 100) / 10
}
