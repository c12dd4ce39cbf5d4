// The terminal rendering of a RunResult: what the job summary shows, as aligned plain text.
import { describe, expect, it } from '@jest/globals'
import {
  plannedProject,
  proposedProject,
  runContext,
  STARTED,
  syncedProject
} from '../__fixtures__/results.js'
import {
  failedProject,
  inSyncProject,
  skippedProject,
  type PlannedProject
} from '../src/result/project.js'
import { buildResult, fatalResult } from '../src/result/run.js'
import { TERMINAL_PATHS, TERMINAL_ROWS, terminalSummary } from '../src/report/terminal.js'

const planned = (project: string, added: string[], deleted: string[] = []): PlannedProject =>
  plannedProject(project, { added, modified: [], deleted })

describe('terminalSummary', () => {
  it('a run: header, counts, a row per project with aligned columns, failures with what to do', () => {
    const result = buildResult(
      runContext({ mode: 'push-docs' }),
      [
        syncedProject('api', 3, 1, 0),
        proposedProject('web', 1, 7),
        skippedProject('legacy', 'archived', 'archived'),
        failedProject('worker', 'Deletion threshold exceeded', 'Check the codex, then rerun.'),
        inSyncProject('docs')
      ],
      STARTED + 12_300
    )
    expect(terminalSummary(result)).toBe(
      [
        'codex-sync push-docs: partial_success',
        'codex acme/codex.acme.io, branch test (environment test), 12.3 s',
        '',
        '5 projects: 3 succeeded, 1 failed, 1 skipped; 5 files synced, 0 deleted, 2 commits',
        '',
        'project  status     added  modified  deleted  details',
        'api      synced         3         1        0  https://github.com/acme/api/commit/sha-api',
        'docs     unchanged      0         0        0',
        'legacy   skipped        0         0        0  archived',
        'web      synced         1         0        0  https://github.com/acme/web/pull/7',
        'worker   failed         0         0        0  Deletion threshold exceeded',
        '',
        'failures:',
        '  worker: Deletion threshold exceeded',
        '    what to do: Check the codex, then rerun.',
        ''
      ].join('\n')
    )
  })

  it('a dry run lists the planned paths of each project, a few of them', () => {
    const many = Array.from({ length: TERMINAL_PATHS + 3 }, (_, i) => `.codex/docs/${i}.md`)
    const result = buildResult(runContext({ mode: 'push-docs', dryRun: true }), [
      planned('api', ['.codex/a.md'], ['.codex/old.md']),
      planned('web', many)
    ])
    const text = terminalSummary(result)
    expect(text).toContain('codex-sync push-docs: success (dry run: planned, nothing written)')
    expect(text).toContain('files to sync, 1 to delete, 0 commits')
    expect(text).toMatch(/^api {6}synced {6}1 {9}0 {8}1 {2}planned below$/m)
    expect(text).toContain(
      [
        'planned (+ add, ~ modify, - delete):',
        '  api',
        '    + .codex/a.md',
        '    - .codex/old.md',
        '  web'
      ].join('\n')
    )
    expect(text).toContain(`    + .codex/docs/${TERMINAL_PATHS - 1}.md\n    … and 3 more`)
    expect(text).not.toContain(`.codex/docs/${TERMINAL_PATHS}.md`)
  })

  it('a run that could not start says why and what to do', () => {
    const result = fatalResult(
      runContext({ codexRepository: '', codexBranch: '' }),
      'No GitHub token.',
      'Set GITHUB_TOKEN.',
      STARTED
    )
    expect(terminalSummary(result)).toBe(
      [
        'codex-sync pull-docs: failure',
        'organization acme, codex not resolved (environment test), 0 s',
        '',
        '0 projects: 0 succeeded, 0 failed, 0 skipped; 0 files synced, 0 deleted, 0 commits',
        '',
        'The run could not start: No GitHub token.',
        'What to do: Set GITHUB_TOKEN.',
        ''
      ].join('\n')
    )
  })

  it('a large organisation: only the projects that changed or failed get a row', () => {
    const quiet = Array.from({ length: TERMINAL_ROWS }, (_, i) =>
      skippedProject(`p${i}`, 'fork', 'fork')
    )
    const result = buildResult(runContext(), [...quiet, syncedProject('api', 1, 0, 0)])
    const text = terminalSummary(result)
    expect(text).toContain('\napi ')
    expect(text).not.toContain('\np1 ')
    expect(text).toContain(`(${TERMINAL_ROWS} projects in sync or skipped not listed)`)
  })

  it('names the orphaned folders of a pull over the whole organisation', () => {
    const result = buildResult(runContext(), [], STARTED, {
      orphans: {
        status: 'refused',
        folders: ['projects/gone/'],
        files_deleted: 0,
        reason: 'Deletion threshold exceeded'
      }
    })
    expect(terminalSummary(result)).toContain(
      'Folders of repositories that no longer exist, refused (Deletion threshold exceeded): projects/gone/; 0 files deleted.'
    )
  })
})
