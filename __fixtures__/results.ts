import {
  inSyncProject,
  type CommittedProject,
  type PlannedPaths,
  type PlannedProject,
  type ProposedProject,
  type UnchangedProject
} from '../src/result/project.js'
import type { RunContext } from '../src/result/run.js'

export const STARTED = 1_700_000_000_000

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    mode: 'pull-docs',
    organization: 'acme',
    codexRepository: 'codex.acme.io',
    environment: 'test',
    codexBranch: 'test',
    dryRun: false,
    startedAt: STARTED,
    ...overrides
  }
}

export function syncedProject(
  project: string,
  added: number,
  modified: number,
  deleted: number
): CommittedProject {
  return {
    project,
    status: 'synced',
    outcome: 'committed',
    files_added: added,
    files_modified: modified,
    files_deleted: deleted,
    commit_sha: `sha-${project}`,
    commit_url: `https://github.com/acme/${project}/commit/sha-${project}`,
    paths: {
      added: Array.from({ length: added }, (_, index) => `.codex/added-${index}.md`),
      modified: Array.from({ length: modified }, (_, index) => `.codex/modified-${index}.md`),
      deleted: Array.from({ length: deleted }, (_, index) => `.codex/deleted-${index}.md`)
    }
  }
}

export function unchangedProject(project: string): UnchangedProject {
  return inSyncProject(project)
}

/** A commit on the pull request branch `#number`, as commit_strategy pull-request reports it. */
export function proposedProject(
  project: string,
  added: number,
  number: number,
  delivery?: string
): ProposedProject {
  const { outcome: _committed, ...committed } = syncedProject(project, added, 0, 0)
  return {
    ...committed,
    outcome: 'pull-request',
    pull_request_number: number,
    pull_request_url: `https://github.com/acme/${project}/pull/${number}`,
    ...(delivery ? { delivery } : {})
  }
}

/** A dry run's project that would change: `planned` lists the paths. */
export function plannedProject(project: string, planned: PlannedPaths): PlannedProject {
  return {
    project,
    status: 'synced',
    outcome: 'planned',
    files_added: planned.added.length,
    files_modified: planned.modified.length,
    files_deleted: planned.deleted.length,
    planned
  }
}
