/** The run's result: what became of each project, and the counts and status derived from them. */
import type { Mode } from '../model.js'

export type ProjectStatus = 'synced' | 'unchanged' | 'skipped' | 'failed'
export type RunStatus = 'success' | 'partial_success' | 'failure'

export interface PlannedPaths {
  added: string[]
  modified: string[]
  deleted: string[]
}

export interface FileCounts {
  files_added: number
  files_modified: number
  files_deleted: number
}

/** A commit was made (on the default branch, or on the pull request branch). */
export interface CommittedProject extends FileCounts {
  project: string
  status: 'synced'
  commit_sha: string
  commit_url: string
  /** Every path the commit wrote, in the repository written. */
  paths: PlannedPaths
  pull_request_url?: string
  /** How the changes were delivered when it was not as asked (commit_strategy: auto). */
  delivery?: string
}

/** Dry run: the project would change; `planned` lists every path that would be written. */
export interface PlannedProject extends FileCounts {
  project: string
  status: 'synced'
  planned: PlannedPaths
}

export interface UnchangedProject extends FileCounts {
  project: string
  status: 'unchanged'
  /** The pull request that already offers everything (commit_strategy: pull-request). */
  pull_request_url?: string
}

export interface SkippedProject extends FileCounts {
  project: string
  status: 'skipped'
  reason: string
}

export interface FailedProject extends FileCounts {
  project: string
  status: 'failed'
  error: string
  resolution: string
}

export type ProjectResult =
  CommittedProject | PlannedProject | UnchangedProject | SkippedProject | FailedProject

/** pull-docs over the whole organisation: the folders of repositories that no longer exist. */
export interface OrphanReport {
  /** removed; planned (dry run); refused (deletion limits, or the commit failed); deferred (budget). */
  status: 'removed' | 'planned' | 'refused' | 'deferred'
  /** The folders, each with a trailing slash. */
  folders: string[]
  files_deleted: number
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

const NO_FILES: FileCounts = { files_added: 0, files_modified: 0, files_deleted: 0 }

export function skippedProject(project: string, reason: string): SkippedProject {
  return { project, status: 'skipped', reason, ...NO_FILES }
}

export function failedProject(project: string, error: string, resolution: string): FailedProject {
  return { project, status: 'failed', error, resolution, ...NO_FILES }
}

/** failure when every attempted project failed or more than half did; partial when some did. */
export function runStatus(succeeded: number, failed: number): RunStatus {
  const attempted = succeeded + failed
  if (failed === 0) return 'success'
  if (failed === attempted || failed * 2 > attempted) return 'failure'
  return 'partial_success'
}

/** Commits made, counted once however many projects share one (codex_commit: single). */
function commitsOf(projects: ProjectResult[]): number {
  const shas = projects.map(project => ('commit_sha' in project ? project.commit_sha : undefined))
  return new Set(shas.filter(sha => sha !== undefined)).size
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
  extras: ModeExtras = {}
): RunResult {
  const count = (status: ProjectStatus) =>
    projects.filter(project => project.status === status).length
  const succeeded = count('synced') + count('unchanged')
  const failed = projects.filter((project): project is FailedProject => project.status === 'failed')
  const sum = (pick: (project: ProjectResult) => number) =>
    projects.reduce((total, project) => total + pick(project), 0)
  return {
    status: runStatus(succeeded, failed.length),
    ...header(context),
    total_projects: projects.length,
    succeeded,
    failed: failed.length,
    skipped: count('skipped'),
    files_synced: sum(project => project.files_added + project.files_modified),
    files_deleted: sum(project => project.files_deleted),
    commits_created: commitsOf(projects),
    duration_seconds: seconds(context, now),
    projects: [...projects].sort((a, b) => a.project.localeCompare(b.project)),
    failures: failed.map(({ project, error, resolution }) => ({ project, error, resolution })),
    ...(extras.orphans ? { orphans: extras.orphans } : {}),
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
