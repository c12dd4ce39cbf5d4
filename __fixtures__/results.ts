import type { CommittedProject, RunContext, UnchangedProject } from '../src/report/results.js'

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
  return { project, status: 'unchanged', files_added: 0, files_modified: 0, files_deleted: 0 }
}
