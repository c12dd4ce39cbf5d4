import { describe, expect, it } from '@jest/globals'
import {
  failedProject,
  inSyncProject,
  skippedProject,
  type ProjectResult
} from '../src/result/project.js'
import {
  buildResult,
  fatalResult,
  runStatus,
  type RunContext,
  type RunStatus
} from '../src/result/run.js'
import { plannedProject, runContext, STARTED, syncedProject } from '../__fixtures__/results.js'

const context: RunContext = runContext()

const synced = syncedProject

function unchanged(project: string): ProjectResult {
  return inSyncProject(project)
}

describe('runStatus', () => {
  it.each<[number, number, RunStatus]>([
    [5, 0, 'success'],
    [0, 0, 'success'],
    [1, 0, 'success'],
    [3, 1, 'partial_success'],
    [2, 2, 'partial_success'], // exactly half is not more than half
    [1, 1, 'partial_success'],
    [2, 3, 'failure'], // more than half
    [4, 5, 'failure'],
    [0, 1, 'failure'], // every attempted project failed
    [0, 7, 'failure'],
    [99, 1, 'partial_success']
  ])('%i succeeded, %i failed -> %s', (succeeded, failed, status) => {
    expect(runStatus(succeeded, failed)).toBe(status)
  })
})

describe('skippedProject / failedProject', () => {
  it('build results with zero file counts', () => {
    expect(skippedProject('old', 'archived', 'archived')).toEqual({
      project: 'old',
      status: 'skipped',
      outcome: 'archived',
      reason: 'archived',
      files_added: 0,
      files_modified: 0,
      files_deleted: 0
    })
    expect(failedProject('web', 'Deletion threshold exceeded', 'Check it')).toEqual({
      project: 'web',
      status: 'failed',
      outcome: 'failed',
      error: 'Deletion threshold exceeded',
      resolution: 'Check it',
      files_added: 0,
      files_modified: 0,
      files_deleted: 0
    })
  })
})

describe('buildResult', () => {
  const projects: ProjectResult[] = [
    synced('web', 3, 1, 0),
    failedProject('billing', 'Bad credentials', 'Pass a valid token.'),
    unchanged('docs'),
    skippedProject('archive', 'archived', 'archived'),
    synced('api', 2, 5, 4),
    skippedProject('zeta', 'not-in-shard', 'not in shard 1/2')
  ]

  it('counts succeeded (synced + unchanged), failed and skipped; total is their sum', () => {
    const result = buildResult(context, projects, STARTED + 1000)
    expect(result.succeeded).toBe(3)
    expect(result.failed).toBe(1)
    expect(result.skipped).toBe(2)
    expect(result.total_projects).toBe(6)
    expect(result.total_projects).toBe(result.succeeded + result.failed + result.skipped)
  })

  it('sums files_synced (added + modified) and files_deleted', () => {
    const result = buildResult(context, projects, STARTED)
    expect(result.files_synced).toBe(3 + 1 + 2 + 5)
    expect(result.files_deleted).toBe(4)
  })

  it('copies the run header and counts the distinct commits', () => {
    const result = buildResult(
      { ...context, mode: 'push-docs', environment: 'prod', codexBranch: 'main' },
      projects,
      STARTED
    )
    expect(result).toMatchObject({
      mode: 'push-docs',
      organization: 'acme',
      codex_repository: 'codex.acme.io',
      environment: 'prod',
      codex_branch: 'main',
      dry_run: false,
      commits_created: 2
    })
    expect(result.error).toBeUndefined()
  })

  it('counts one commit for projects that share it, and none for planned projects', () => {
    const shared = { ...synced('web', 1, 0, 0), commit_sha: 'one' }
    const alsoShared = { ...synced('api', 1, 0, 0), commit_sha: 'one' }
    expect(buildResult(context, [shared, alsoShared], STARTED).commits_created).toBe(1)
    const planned = plannedProject('web', { added: ['.codex/a.md'], modified: [], deleted: [] })
    const result = buildResult({ ...context, dryRun: true }, [planned], STARTED)
    expect(result.dry_run).toBe(true)
    expect(result.commits_created).toBe(0)
  })

  it('derives the status from the attempted projects, skipped ones never counting', () => {
    expect(buildResult(context, projects, STARTED).status).toBe('partial_success')
    expect(
      buildResult(context, [unchanged('a'), skippedProject('b', 'fork', 'fork')], STARTED).status
    ).toBe('success')
    expect(
      buildResult(
        context,
        [skippedProject('a', 'fork', 'fork'), skippedProject('b', 'fork', 'fork')],
        STARTED
      ).status
    ).toBe('success')
    // One attempted, it failed: failure even with many skipped.
    const oneFailed = [
      failedProject('a', 'e', 'r'),
      ...Array.from({ length: 9 }, (_, i) => skippedProject(`s${i}`, 'fork', 'fork'))
    ]
    expect(buildResult(context, oneFailed, STARTED).status).toBe('failure')
    // 2 failed of 3 attempted: more than half, even though 2 of 10 listed.
    const mostFailed = [
      failedProject('a', 'e', 'r'),
      failedProject('b', 'e', 'r'),
      synced('c', 1, 0, 0),
      ...Array.from({ length: 7 }, (_, i) => skippedProject(`s${i}`, 'fork', 'fork'))
    ]
    expect(buildResult(context, mostFailed, STARTED).status).toBe('failure')
  })

  it('lists the projects sorted by name, without changing the input order', () => {
    const input = [...projects]
    const result = buildResult(context, input, STARTED)
    expect(result.projects.map(project => project.project)).toEqual([
      'api',
      'archive',
      'billing',
      'docs',
      'web',
      'zeta'
    ])
    expect(input.map(project => project.project)).toEqual(projects.map(project => project.project))
    expect(result.projects.find(project => project.project === 'api')).toEqual(
      synced('api', 2, 5, 4)
    )
  })

  it('lists the failures with error and resolution', () => {
    const result = buildResult(
      context,
      [
        ...projects,
        failedProject(
          'auth',
          'Deletion threshold exceeded',
          'Raise deletion_threshold or check the project.'
        )
      ],
      STARTED
    )
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { project: 'billing', error: 'Bad credentials', resolution: 'Pass a valid token.' },
        {
          project: 'auth',
          error: 'Deletion threshold exceeded',
          resolution: 'Raise deletion_threshold or check the project.'
        }
      ])
    )
    expect(result.failures).toHaveLength(2)
  })

  it('gives the duration in seconds, to a tenth', () => {
    expect(buildResult(context, [], STARTED + 145_700).duration_seconds).toBe(145.7)
    expect(buildResult(context, [], STARTED + 1_234).duration_seconds).toBe(1.2)
    expect(buildResult(context, [], STARTED + 1_250).duration_seconds).toBe(1.3)
    expect(buildResult(context, [], STARTED).duration_seconds).toBe(0)
  })

  it('keeps the planned paths of a dry run in the project results', () => {
    const planned = { added: ['.codex/a.md'], modified: [], deleted: ['.codex/old.md'] }
    const project = plannedProject('api', planned)
    const result = buildResult({ ...context, dryRun: true }, [project], STARTED)
    expect(result.projects[0]).toHaveProperty('planned', planned)
  })

  it('is the documented JSON document for an empty run', () => {
    const result = buildResult(context, [], STARTED)
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      status: 'success',
      mode: 'pull-docs',
      organization: 'acme',
      codex_repository: 'codex.acme.io',
      environment: 'test',
      codex_branch: 'test',
      dry_run: false,
      total_projects: 0,
      succeeded: 0,
      failed: 0,
      skipped: 0,
      files_synced: 0,
      files_deleted: 0,
      commits_created: 0,
      duration_seconds: 0,
      projects: [],
      failures: [],
      warnings: []
    })
  })
})

describe('fatalResult', () => {
  it('is a failure with nothing attempted, the error and what to do', () => {
    const result = fatalResult(
      context,
      'codex.acme.io@test:.github/codex-sync.yml: unknown key',
      'Fix the config.',
      STARTED + 2_000
    )
    expect(result).toEqual({
      status: 'failure',
      mode: 'pull-docs',
      organization: 'acme',
      codex_repository: 'codex.acme.io',
      environment: 'test',
      codex_branch: 'test',
      dry_run: false,
      total_projects: 0,
      succeeded: 0,
      failed: 0,
      skipped: 0,
      files_synced: 0,
      files_deleted: 0,
      commits_created: 0,
      duration_seconds: 2,
      projects: [],
      failures: [],
      warnings: [],
      error: 'codex.acme.io@test:.github/codex-sync.yml: unknown key',
      resolution: 'Fix the config.'
    })
  })

  it('keeps the dry-run flag', () => {
    expect(fatalResult({ ...context, dryRun: true }, 'e', 'r', STARTED).dry_run).toBe(true)
  })
})
