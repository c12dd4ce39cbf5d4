/** What became of one project: each outcome a type of its own, told apart by `outcome`. */

export type ProjectStatus = 'synced' | 'unchanged' | 'skipped' | 'failed'

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

interface About extends FileCounts {
  project: string
}

/** A pull request of the project, by number and page. */
export interface PullRequestLink {
  pull_request_number: number
  pull_request_url: string
}

/** A commit on the default branch: the project now holds what the codex routes to it. */
export interface CommittedProject extends About {
  status: 'synced'
  outcome: 'committed'
  commit_sha: string
  commit_url: string
  /** Every path the commit wrote, in the repository written. */
  paths: PlannedPaths
}

/** A commit on the pull request branch: the changes wait in that pull request for review. */
export interface ProposedProject extends About, PullRequestLink {
  status: 'synced'
  outcome: 'pull-request'
  commit_sha: string
  commit_url: string
  paths: PlannedPaths
  /** Why a pull request carries them although commits go straight to the branch elsewhere (auto). */
  delivery?: string
}

/** Dry run: the project would change; `planned` lists every path that would be written. */
export interface PlannedProject extends About {
  status: 'synced'
  outcome: 'planned'
  planned: PlannedPaths
}

/** Nothing to write: the project already holds what the codex routes to it. */
export interface InSyncProject extends About {
  status: 'unchanged'
  outcome: 'in-sync'
}

/** Nothing new to write this run, but the changes of earlier runs still wait in a pull request. */
export interface WaitingProject extends About, PullRequestLink {
  status: 'unchanged'
  outcome: 'waiting-for-review'
}

/** Why a project was not attempted. Only `deferred` projects are taken up by the next run. */
export type SkipKind =
  | 'not-targeted'
  | 'excluded'
  | 'archived'
  | 'fork'
  | 'disabled'
  | 'empty'
  | 'not-in-shard'
  | 'deferred'
  | 'not-planned'

export interface SkippedProject extends About {
  status: 'skipped'
  outcome: SkipKind
  /** The reason in words, as the summary shows it. */
  reason: string
}

/** The project was attempted and something refused or broke: nothing of it was written. */
export interface FailedProject extends About {
  status: 'failed'
  outcome: 'failed'
  error: string
  resolution: string
}

export type SyncedProject = CommittedProject | ProposedProject | PlannedProject
export type UnchangedProject = InSyncProject | WaitingProject
export type ProjectResult = SyncedProject | UnchangedProject | SkippedProject | FailedProject

export const NO_FILES: FileCounts = { files_added: 0, files_modified: 0, files_deleted: 0 }

export function skippedProject(project: string, outcome: SkipKind, reason: string): SkippedProject {
  return { project, status: 'skipped', outcome, reason, ...NO_FILES }
}

/** A project the run's budget did not reach: the next run takes it first. */
export function deferredProject(project: string, why: string): SkippedProject {
  return skippedProject(project, 'deferred', `deferred: ${why}; the next run takes it first`)
}

/** A dry run's project not reached: nothing is remembered for a dry run, so nothing is deferred. */
export function notPlannedProject(project: string, why: string): SkippedProject {
  return skippedProject(project, 'not-planned', `not planned: ${why}`)
}

export function failedProject(project: string, error: string, resolution: string): FailedProject {
  return { project, status: 'failed', outcome: 'failed', error, resolution, ...NO_FILES }
}

export function inSyncProject(project: string): InSyncProject {
  return { project, status: 'unchanged', outcome: 'in-sync', ...NO_FILES }
}

/** The paths a project's sync changed or would change; undefined when it changed nothing. */
export function changedPaths(project: ProjectResult): PlannedPaths | undefined {
  switch (project.outcome) {
    case 'planned':
      return project.planned
    case 'committed':
    case 'pull-request':
      return project.paths
    default:
      return undefined
  }
}

/** The commit a project's sync made this run. */
export function commitOf(project: ProjectResult): string | undefined {
  return project.outcome === 'committed' || project.outcome === 'pull-request'
    ? project.commit_sha
    : undefined
}
