import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { load } from 'js-yaml'
import { MAX_RESULT_OUTPUT, outputsOf, resultOutput, stepFails } from '../src/report/outputs.js'
import { MAX_SUMMARY_ROWS, summaryMarkdown } from '../src/report/summary.js'
import {
  failedProject,
  inSyncProject,
  skippedProject,
  type ProjectResult
} from '../src/result/project.js'
import {
  buildResult,
  fatalResult,
  type RoutedFile,
  type RunContext,
  type RunResult
} from '../src/result/run.js'
import {
  plannedProject,
  proposedProject,
  runContext,
  STARTED,
  syncedProject
} from '../__fixtures__/results.js'

const context: RunContext = runContext({
  mode: 'push-docs',
  environment: 'prod',
  codexBranch: 'main'
})

const synced = syncedProject

/** A row of the routing picture: no project reached unless given. */
const routed = (path: string, reached: Partial<RoutedFile> = {}): RoutedFile => ({
  path,
  added: [],
  modified: [],
  unchanged: [],
  deleted: [],
  ...reached
})

const projects: ProjectResult[] = [
  synced('api', 3, 1, 2),
  synced('web', 0, 2, 0),
  inSyncProject('docs'),
  skippedProject('old', 'archived', 'archived'),
  failedProject(
    'billing',
    'Deletion threshold exceeded',
    'Raise deletion_threshold or check billing.'
  )
]

const result: RunResult = buildResult(context, projects, STARTED + 12_300)

function actionOutputs(): string[] {
  const action = load(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
    outputs: Record<string, unknown>
  }
  return Object.keys(action.outputs)
}

/** Rows of the markdown table whose header line starts with `header`. */
function tableRows(markdown: string, header: string): string[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex(line => line.startsWith(header))
  expect(start).toBeGreaterThanOrEqual(0)
  const rows: string[] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(line)
  }
  return rows
}

/** Splits a table row on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map(cell => cell.trim())
}

describe('outputsOf', () => {
  it('has exactly the outputs declared in action.yml', () => {
    expect(Object.keys(outputsOf(result)).sort()).toEqual(actionOutputs().sort())
  })

  it('gives the counts as strings and the result as JSON', () => {
    const outputs = outputsOf(result)
    expect(outputs).toMatchObject({
      status: 'partial_success',
      succeeded: '3',
      failed: '1',
      skipped: '1',
      files_synced: '6',
      files_deleted: '2',
      commits_created: '2'
    })
    for (const value of Object.values(outputs)) expect(typeof value).toBe('string')
    expect(JSON.parse(outputs['result'] ?? '')).toEqual(result)
  })

  it('works for a run that could not start', () => {
    const fatal = fatalResult(context, 'No codex', 'Set codex_repository', STARTED)
    const outputs = outputsOf(fatal)
    expect(outputs['status']).toBe('failure')
    expect(outputs['commits_created']).toBe('0')
    expect(JSON.parse(outputs['result'] ?? '{}')).toMatchObject({
      error: 'No codex',
      resolution: 'Set codex_repository'
    })
  })
})

describe('summaryMarkdown', () => {
  const markdown = summaryMarkdown(result)

  it('names the mode, the status, the codex, the branch and the environment', () => {
    expect(markdown).toContain('push-docs')
    expect(markdown).toContain('partial_success')
    expect(markdown).toContain('acme/codex.acme.io')
    expect(markdown).toContain('`main`')
    expect(markdown).toContain('`prod`')
    expect(markdown).toContain('12.3')
    expect(markdown).not.toMatch(/dry run/i)
  })

  it('has the counts table', () => {
    const [row, ...rest] = tableRows(markdown, '| projects |')
    expect(rest).toEqual([])
    expect(cells(row ?? '')).toEqual(['5', '3', '1', '1', '6', '2', '2'])
  })

  it('has one row per project, in name order, with status, counts and details', () => {
    const rows = tableRows(markdown, '| project | status |').map(cells)
    expect(rows.map(row => row[0])).toEqual(['api', 'billing', 'docs', 'old', 'web'])
    expect(rows[0]).toEqual([
      'api',
      'synced',
      '3',
      '1',
      '2',
      '[sha-api](https://github.com/acme/api/commit/sha-api)'
    ])
    expect(rows[1]?.slice(0, 2)).toEqual(['billing', 'failed'])
    expect(rows[1]?.[5]).toContain('Deletion threshold exceeded')
    expect(rows[2]?.slice(0, 5)).toEqual(['docs', 'unchanged', '0', '0', '0'])
    expect(rows[3]).toEqual(['old', 'skipped', '0', '0', '0', 'archived'])
  })

  it('shows a pull request rather than a commit when there is one', () => {
    const withPr = buildResult(context, [proposedProject('api', 1, 7)], STARTED)
    const [row] = tableRows(summaryMarkdown(withPr), '| project | status |').map(cells)
    expect(row?.[5]).toBe('[pull request #7](https://github.com/acme/api/pull/7)')
  })

  it('has a failures section with error and resolution', () => {
    expect(markdown).toContain('### Failures')
    const rows = tableRows(markdown, '| project | error | resolution |').map(cells)
    expect(rows).toEqual([
      ['billing', 'Deletion threshold exceeded', 'Raise deletion_threshold or check billing.']
    ])
  })

  it('has no failures section when nothing failed', () => {
    const clean = summaryMarkdown(buildResult(context, [synced('api', 1, 0, 0)], STARTED))
    expect(clean).not.toContain('Failures')
    expect(clean).toContain('success')
  })

  it('labels a dry run and lists the planned paths', () => {
    const planned = {
      added: ['.codex/a.md'],
      modified: ['.codex/b.md'],
      deleted: ['.codex/old.md']
    }
    const dry = buildResult({ ...context, dryRun: true }, [plannedProject('api', planned)], STARTED)
    const text = summaryMarkdown(dry)
    expect(text.split('\n')[0]).toMatch(/dry run/i)
    const [row] = tableRows(text, '| project | status |').map(cells)
    expect(row?.[5]).toContain('.codex/a.md')
    expect(row?.[5]).toContain('.codex/b.md')
    expect(row?.[5]).toContain('.codex/old.md')
    expect(cells(tableRows(text, '| projects |')[0] ?? '')[6]).toBe('0') // no commits in a dry run
  })

  it('escapes | and flattens line breaks in cells so every row keeps its columns', () => {
    const nasty = buildResult(
      context,
      [
        failedProject('pipe|repo', 'GitHub refused: a | b\nsecond line', 'Do x | y\r\nthen z'),
        skippedProject('odd', 'excluded', 'excluded | by rule')
      ],
      STARTED
    )
    const text = summaryMarkdown(nasty)
    const projectRows = tableRows(text, '| project | status |')
    expect(projectRows).toHaveLength(2)
    for (const row of projectRows) expect(cells(row)).toHaveLength(6)
    expect(projectRows.join('\n')).toContain('pipe\\|repo')
    expect(projectRows.join('\n')).toContain('excluded \\| by rule')
    const failureRows = tableRows(text, '| project | error | resolution |')
    expect(failureRows).toHaveLength(1)
    expect(cells(failureRows[0] ?? '')).toEqual([
      'pipe\\|repo',
      'GitHub refused: a \\| b second line',
      'Do x \\| y then z'
    ])
  })

  it('shows why a run could not start and what to do', () => {
    const fatal = fatalResult(
      context,
      'Several codex repositories in acme: a | b',
      'Set the codex_repository input.',
      STARTED
    )
    const text = summaryMarkdown(fatal)
    expect(text).toContain('failure')
    expect(text).toContain('Several codex repositories in acme: a \\| b')
    expect(text).toContain('Set the codex_repository input.')
    expect(text).not.toContain('| project | status |')
    expect(cells(tableRows(text, '| projects |')[0] ?? '')).toEqual([
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0'
    ])
  })
})

describe('stepFails', () => {
  const withStatus = (status: RunResult['status']): RunResult => ({ ...result, status })

  it('fails on failure, with or without fail_on_partial', () => {
    expect(stepFails(withStatus('failure'), false)).toBe(true)
    expect(stepFails(withStatus('failure'), true)).toBe(true)
  })

  it('fails on partial_success only with fail_on_partial', () => {
    expect(stepFails(withStatus('partial_success'), false)).toBe(false)
    expect(stepFails(withStatus('partial_success'), true)).toBe(true)
  })

  it('never fails on success', () => {
    expect(stepFails(withStatus('success'), false)).toBe(false)
    expect(stepFails(withStatus('success'), true)).toBe(false)
  })
})

describe('summaryMarkdown for a large organisation', () => {
  it('lists only synced and failed projects past MAX_SUMMARY_ROWS, and says how many it left out', () => {
    const many: ProjectResult[] = Array.from({ length: MAX_SUMMARY_ROWS + 5 }, (_, index) => ({
      ...inSyncProject(`svc-${String(index).padStart(5, '0')}`),
      files_added: 0,
      files_modified: 0,
      files_deleted: 0
    }))
    many.push(synced('changed', 1, 0, 0), failedProject('broken', 'Boom', 'Fix it'))
    const markdown = summaryMarkdown(buildResult(context, many, STARTED))

    expect(markdown).toContain('| changed | synced |')
    expect(markdown).toContain('| broken | failed |')
    expect(markdown).not.toContain('| svc-00000 |')
    expect(markdown).toContain(`${MAX_SUMMARY_ROWS + 5} more projects are not listed`)
  })

  it('never lists more than MAX_SUMMARY_ROWS projects, failures first', () => {
    const many: ProjectResult[] = Array.from({ length: MAX_SUMMARY_ROWS + 10 }, (_, index) =>
      synced(`svc-${String(index).padStart(5, '0')}`, 1, 0, 0)
    )
    many.push(failedProject('zz-broken', 'Boom', 'Fix it'))
    const markdown = summaryMarkdown(buildResult(context, many, STARTED))
    const rows = markdown
      .split('\n')
      .filter(line => /^\| (svc|zz)-/.test(line) && /\| (synced|failed) \|/.test(line))

    expect(rows).toHaveLength(MAX_SUMMARY_ROWS)
    expect(rows[0]).toContain('| zz-broken | failed |')
    expect(markdown).toContain('11 more projects are not listed')
  })
})

describe('resultOutput', () => {
  const huge = (planned: boolean): ProjectResult[] =>
    Array.from({ length: 3000 }, (_, index): ProjectResult => {
      const project = synced(`project-${index}`, 20, 0, 0)
      if (!planned) return project
      const { commit_sha: _sha, commit_url: _url, paths: _paths, outcome: _o, ...counts } = project
      return {
        ...counts,
        outcome: 'planned',
        planned: {
          added: Array.from({ length: 20 }, (_, file) => `docs/a-rather-long-path/${file}.md`),
          modified: [],
          deleted: []
        }
      }
    })

  it('is the whole result when it fits', () => {
    const small = buildResult(context, [synced('api', 1, 0, 0)], STARTED)
    expect(JSON.parse(resultOutput(small))).toEqual(small)
  })

  it('leaves out planned paths, then unchanged and skipped projects, to stay under the output limit', () => {
    const dry = buildResult({ ...context, dryRun: true }, huge(true), STARTED)
    const slim = JSON.parse(resultOutput(dry)) as {
      projects: ProjectResult[]
      projects_left_out?: string
      total_projects: number
    }
    expect(resultOutput(dry).length).toBeLessThanOrEqual(MAX_RESULT_OUTPUT)
    expect(slim.projects).toHaveLength(3000)
    expect(slim.projects[0]).not.toHaveProperty('planned')
    expect(slim.projects_left_out).toBe('paths and routing')
    expect(slim.total_projects).toBe(3000)

    const crowded = [
      ...huge(false),
      ...Array.from({ length: 9000 }, (_, index) =>
        skippedProject(`old-${index}`, 'archived', 'archived repository kept for reference')
      )
    ]
    const listed = JSON.parse(resultOutput(buildResult(context, crowded, STARTED))) as {
      projects: ProjectResult[]
      projects_left_out?: string
    }
    expect(listed.projects.every(project => project.status === 'synced')).toBe(true)
    expect(listed.projects).toHaveLength(3000)
    expect(listed.projects_left_out).toMatch(/skipped/)
  })
})

describe('the pictures of a summary', () => {
  const planned = (project: string, added: number): ProjectResult => ({
    project,
    status: 'synced',
    outcome: 'planned',
    files_added: added,
    files_modified: 0,
    files_deleted: 0,
    planned: {
      added: Array.from({ length: added }, (_, file) => `.codex/docs/${file}.md`),
      modified: [],
      deleted: []
    }
  })

  it('a dry run shows the drift, worst first', () => {
    const dry = buildResult(
      { ...context, dryRun: true },
      [planned('small', 1), planned('large', 7), planned('middle', 3)],
      STARTED
    )
    const markdown = summaryMarkdown(dry)
    const drift = markdown.split('### Drift')[1] ?? ''
    expect(drift.indexOf('| large | 7 |')).toBeLessThan(drift.indexOf('| middle | 3 |'))
    expect(drift.indexOf('| middle | 3 |')).toBeLessThan(drift.indexOf('| small | 1 |'))
  })

  it('the routing picture names the projects each file reaches, and why a file reaches none', () => {
    const result = {
      ...buildResult(context, [synced('api', 1, 0, 0)], STARTED),
      routing: [
        routed('docs/all.md', { added: ['api', 'web'], unchanged: ['worker'] }),
        routed('docs/internal.md', {
          nowhere: 'no codex_sync_include in its frontmatter, and no route of the config matches it'
        })
      ]
    }
    const markdown = summaryMarkdown(result)
    expect(markdown).toContain('| `docs/all.md` | 2: api, web |  | 1: worker |  |  |')
    expect(markdown).toContain('| `docs/internal.md` |  |  |  |  | no codex_sync_include')
  })

  it('a run over 1,000 projects and 50 codex files stays far below the 1 MiB summary limit', () => {
    const projects = Array.from({ length: 1000 }, (_, index) =>
      synced(`project-with-a-long-name-${String(index).padStart(4, '0')}`, 50, 0, 0)
    )
    const names = projects.map(project => project.project)
    const result = {
      ...buildResult(context, projects, STARTED),
      routing: Array.from({ length: 50 }, (_, file) =>
        routed(`docs/some/rather/deep/folder/document-${file}.md`, { added: names })
      )
    }
    const markdown = summaryMarkdown(result)
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024)
    expect(markdown).toContain('<details><summary>50 rows</summary>')
    expect(markdown).toContain('1000: project-with-a-long-name-0000')
  })

  it('a codex of 50,000 files routed nowhere: 500 rows drawn, the rest counted, routing left out of the output', () => {
    const result = {
      ...buildResult(context, [synced('api', 1, 0, 0)], STARTED),
      routing: Array.from({ length: 50_000 }, (_, file) =>
        routed(`projects/p-${Math.floor(file / 50)}/docs/page-${file % 50}.md`, {
          nowhere: 'no codex_sync_include in its frontmatter'
        })
      )
    }
    const markdown = summaryMarkdown(result)
    expect(markdown).toContain('<details><summary>50000 rows</summary>')
    expect(markdown).toContain('49500 more rows are not shown.')
    expect(markdown.split('\n').filter(line => line.startsWith('| `projects/'))).toHaveLength(500)
    const output = JSON.parse(resultOutput(result)) as {
      routing?: unknown
      projects_left_out?: string
    }
    expect(output.routing).toBeUndefined()
    expect(output.projects_left_out).toBe('paths and routing')
  })
})
