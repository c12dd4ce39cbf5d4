import type { Mode } from './settings.js'

export type ProjectStatus = 'synced' | 'unchanged' | 'skipped' | 'failed'
export type RunStatus = 'success' | 'partial_success' | 'failure'

export interface PlannedPaths {
  added: string[]
  modified: string[]
  deleted: string[]
}

export interface ProjectResult {
  project: string
  status: ProjectStatus
  /** Why a project was skipped. */
  reason?: string
  files_added: number
  files_modified: number
  files_deleted: number
  commit_sha?: string
  commit_url?: string
  pull_request_url?: string
  /** Dry run only: every path that would be written, in the repository written. */
  planned?: PlannedPaths
  error?: string
  resolution?: string
}

export interface Failure {
  project: string
  error: string
  resolution: string
}

export interface RunResult {
  status: RunStatus
  mode: Mode
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
  /** Set when the run could not start (bad config, codex unreadable, discovery failed). */
  error?: string
  resolution?: string
}

export interface RunContext {
  mode: Mode
  organization: string
  codexRepository: string
  environment: string
  codexBranch: string
  dryRun: boolean
  startedAt: number
}

export function skippedProject(project: string, reason: string): ProjectResult {
  return { project, status: 'skipped', reason, files_added: 0, files_modified: 0, files_deleted: 0 }
}

export function failedProject(project: string, error: string, resolution: string): ProjectResult {
  return {
    project,
    status: 'failed',
    error,
    resolution,
    files_added: 0,
    files_modified: 0,
    files_deleted: 0
  }
}

/** failure when every attempted project failed or more than half did; partial when some did. */
export function runStatus(succeeded: number, failed: number): RunStatus {
  const attempted = succeeded + failed
  if (failed === 0) return 'success'
  if (failed === attempted || failed * 2 > attempted) return 'failure'
  return 'partial_success'
}

export function buildResult(
  context: RunContext,
  projects: ProjectResult[],
  commitsCreated: number,
  now = Date.now()
): RunResult {
  const count = (status: ProjectStatus) =>
    projects.filter(project => project.status === status).length
  const succeeded = count('synced') + count('unchanged')
  const failed = count('failed')
  const sum = (pick: (project: ProjectResult) => number) =>
    projects.reduce((total, project) => total + pick(project), 0)
  return {
    status: runStatus(succeeded, failed),
    ...header(context),
    total_projects: projects.length,
    succeeded,
    failed,
    skipped: count('skipped'),
    files_synced: sum(project => project.files_added + project.files_modified),
    files_deleted: sum(project => project.files_deleted),
    commits_created: context.dryRun ? 0 : commitsCreated,
    duration_seconds: seconds(context, now),
    projects: [...projects].sort((a, b) => a.project.localeCompare(b.project)),
    failures: projects
      .filter(project => project.status === 'failed')
      .map(project => ({
        project: project.project,
        error: project.error ?? 'Unknown error',
        resolution: project.resolution ?? ''
      }))
  }
}

/** The result of a run that could not start: nothing was attempted, nothing written. */
export function fatalResult(
  context: RunContext,
  error: string,
  resolution: string,
  now = Date.now()
): RunResult {
  return { ...buildResult(context, [], 0, now), status: 'failure', error, resolution }
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
