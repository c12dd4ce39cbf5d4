import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { runContext, STARTED, syncedProject, unchangedProject } from '../__fixtures__/results.js'
import { mergeResults, readResultFiles, ResultFileError } from '../src/result/merge.js'
import { mergeReport } from '../src/report/outputs.js'
import { failedProject, skippedProject } from '../src/result/project.js'
import { buildResult, fatalResult } from '../src/result/run.js'

const unchanged = unchangedProject

const pullShard1 = buildResult(
  runContext({ mode: 'pull-docs' }),
  [
    syncedProject('api', 2, 0, 0),
    failedProject('web', 'Bad credentials', 'Fix the token'),
    skippedProject('worker', 'not-in-shard', 'not in shard 1/2')
  ],
  STARTED + 4_000
)
const pullShard2 = buildResult(
  runContext({ mode: 'pull-docs' }),
  [
    skippedProject('api', 'not-in-shard', 'not in shard 2/2'),
    skippedProject('web', 'not-in-shard', 'not in shard 2/2'),
    syncedProject('worker', 1, 1, 0)
  ],
  STARTED + 6_000
)
const pushDocs = buildResult(
  runContext({ mode: 'push-docs' }),
  [
    syncedProject('api', 3, 0, 1),
    unchanged('web'),
    skippedProject('worker', 'deferred', 'deferred'),
    skippedProject('legacy', 'archived', 'archived')
  ],
  STARTED + 10_000
)

describe('mergeResults', () => {
  const merged = mergeResults([pushDocs, pullShard2, pullShard1])

  it('orders the phases as the modes run and merges the shards of a mode', () => {
    expect(merged.phases.map(phase => [phase.phase, phase.direction, phase.shards])).toEqual([
      ['pull-docs', 'to-codex', 2],
      ['push-docs', 'from-codex', 1]
    ])
    expect(merged.phase_1).toBe(merged.phases[0])
    expect(merged.phase_2).toBe(merged.phases[1])
    expect(merged.phases[0]).toMatchObject({
      total_projects: 3,
      succeeded: 2,
      failed: 1,
      skipped: 0,
      files_synced: 4,
      commits_created: 2,
      duration_seconds: 6
    })
    expect(merged.phases[1]).toMatchObject({ succeeded: 2, skipped: 2, deferred: 1 })
  })

  it('reports in the org-syncer shape: direction, success rate, total duration, failures with their phase', () => {
    expect(merged).toMatchObject({
      status: 'partial_success',
      organization: 'acme',
      direction: 'bidirectional',
      total_projects: 4,
      succeeded: 2,
      failed: 1,
      skipped: 1,
      success_rate: 66.7,
      files_synced: 7,
      files_deleted: 1,
      commits_created: 3,
      duration_seconds: 16
    })
    expect(merged.failures).toEqual([
      { project: 'web', phase: 'pull-docs', error: 'Bad credentials', resolution: 'Fix the token' }
    ])
  })

  it('is a failure when a phase could not start, and says why', () => {
    const unstarted = fatalResult(
      runContext({ mode: 'push-claude' }),
      'No codex',
      'Set codex_repository',
      STARTED
    )
    const result = mergeResults([pullShard1, unstarted])
    expect(result.status).toBe('failure')
    expect(result.phases[1]).toMatchObject({ phase: 'push-claude', error: 'No codex' })
    expect(mergeReport(result).summary).toContain('push-claude could not start')
  })

  it('gives the outputs of a run, with the merged document as result', () => {
    const { outputs, summary } = mergeReport(merged)
    expect(outputs).toMatchObject({
      status: 'partial_success',
      failed: '1',
      failed_projects: 'web'
    })
    expect(JSON.parse(outputs.result ?? '{}')).toMatchObject({ direction: 'bidirectional' })
    expect(summary).toContain('| project | phase | error | resolution |')
    expect(summary).toContain('| web | pull-docs | Bad credentials | Fix the token |')
  })
})

describe('readResultFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codex-sync-merge-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads result JSON from files and folders, nested as downloaded artifacts are', () => {
    mkdirSync(join(dir, 'codex-sync-result-pull-docs-1'))
    writeFileSync(
      join(dir, 'codex-sync-result-pull-docs-1', 'result.json'),
      JSON.stringify(pullShard1)
    )
    writeFileSync(join(dir, 'push.json'), JSON.stringify(pushDocs))
    writeFileSync(join(dir, 'notes.txt'), 'not a result')
    expect(readResultFiles([dir]).map(result => result.mode)).toEqual(['pull-docs', 'push-docs'])
  })

  it('names a file that is not a result, or a path that does not exist', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"hello": 1}')
    expect(() => readResultFiles([bad])).toThrow(ResultFileError)
    expect(() => readResultFiles([bad])).toThrow(bad)
    expect(() => readResultFiles([join(dir, 'missing')])).toThrow('does not exist')
    expect(() => mergeResults([])).toThrow('No result files')
  })
})

describe('the warnings of the phases', () => {
  it('are kept once each, named by their phase, and shown in the merged summary', () => {
    const warned = (mode: string, warnings: string[]) => ({
      ...buildResult(runContext({ mode }), [unchanged('api')], STARTED + 1_000),
      warnings
    })
    const merged = mergeResults([
      warned('pull-docs', ['The codex state was not saved (boom).']),
      warned('push-docs', ['GraphQL is not usable on this server.']),
      warned('push-docs', ['GraphQL is not usable on this server.'])
    ])
    expect(merged.warnings).toEqual([
      'pull-docs: The codex state was not saved (boom).',
      'push-docs: GraphQL is not usable on this server.'
    ])
    expect(mergeReport(merged).summary).toContain(
      '**Warning:** push-docs: GraphQL is not usable on this server.'
    )
  })
})
