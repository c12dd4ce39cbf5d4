// The plan comment on a codex pull request: its marker, per-project sections, summary lines,
// failures, folding, escaping and the cut that keeps it under GitHub's limit for a comment.
import { describe, expect, it } from '@jest/globals'
import {
  plannedProject,
  runContext,
  STARTED,
  syncedProject,
  unchangedProject
} from '../__fixtures__/results.js'
import { CodexSyncError } from '../src/model.js'
import { mergeResults } from '../src/result/merge.js'
import { planCodex } from '../src/result/plan.js'
import {
  MAX_COMMENT_BYTES,
  PLAN_MARKER,
  planCommentMarkdown,
  planFailureMarkdown
} from '../src/report/plan-comment.js'
import {
  failedProject,
  skippedProject,
  type PlannedProject,
  type ProjectResult
} from '../src/result/project.js'
import { buildResult, fatalResult, type RunResult } from '../src/result/run.js'

const HEAD = '0123456789abcdef0123456789abcdef01234567'

function planned(
  project: string,
  added: string[],
  modified: string[] = [],
  deleted: string[] = []
): PlannedProject {
  return plannedProject(project, { added, modified, deleted })
}

const unchanged = unchangedProject

function plan(mode: string, projects: ProjectResult[], ref = HEAD): RunResult {
  return buildResult(
    runContext({ mode, codexBranch: ref, dryRun: true, environment: 'prod' }),
    projects,
    STARTED + 2_000
  )
}

function comment(results: RunResult[], options = {}): string {
  return planCommentMarkdown(results, mergeResults(results), options)
}

const docs = plan('push-docs', [
  planned('api', ['.codex/docs/new.md'], ['.codex/docs/guide.md'], ['.codex/docs/old.md']),
  unchanged('web'),
  unchanged('worker'),
  skippedProject('legacy', 'archived', 'archived'),
  skippedProject('fork-of-x', 'fork', 'fork'),
  failedProject('broken', 'Deletion threshold exceeded', 'Raise deletion_threshold, or check'),
  skippedProject('late', 'deferred', 'deferred')
])
const claude = plan('push-claude', [
  planned('web', ['.claude/agents/acme/helper.md']),
  unchanged('api'),
  unchanged('worker'),
  skippedProject('legacy', 'archived', 'archived'),
  skippedProject('fork-of-x', 'fork', 'fork'),
  unchanged('broken'),
  skippedProject('late', 'deferred', 'deferred')
])

describe('planCommentMarkdown', () => {
  const text = comment([docs, claude], { runUrl: 'https://github.com/acme/codex/actions/runs/7' })

  it('opens with the hidden marker, then says what merging would change and at which commit', () => {
    expect(text.startsWith(`${PLAN_MARKER}\n`)).toBe(true)
    expect(text).toContain('### codex-sync plan: 2 projects would change, 1 project failed')
    expect(text).toContain(
      'Merging this pull request would change 2 of 7 projects through push-docs and push-claude: **4 files: 2 added, 1 changed, 1 deleted**.'
    )
    expect(text).toContain('Planned at `0123456` of `acme/codex.acme.io`, environment `prod`')
    expect(text).toContain('a dry run: nothing was written')
  })

  it('gives each project that would change its counts per mode and every path', () => {
    expect(text).toContain(
      '**`api`** — push-docs: 1 added, 1 changed, 1 deleted · push-claude: no change'
    )
    expect(text).toContain('| push-docs | added | `.codex/docs/new.md` |')
    expect(text).toContain('| push-docs | changed | `.codex/docs/guide.md` |')
    expect(text).toContain('| push-docs | deleted | `.codex/docs/old.md` |')
    expect(text).toContain('**`web`** — push-docs: no change · push-claude: 1 added')
    expect(text).toContain('| push-claude | added | `.claude/agents/acme/helper.md` |')
    expect(text).not.toContain('<details>')
  })

  it('sums up the projects without change, not reached and skipped in one line each', () => {
    expect(text).toContain('**No change** (1): `worker`.')
    expect(text).toContain('**Not planned** (1, the run stopped before them): `late`.')
    expect(text).toContain('**Skipped** (2): fork: `fork-of-x`; archived: `legacy`.')
    expect(text).not.toMatch(/\*\*`worker`\*\*/)
  })

  it('lists the failures with their mode and resolution', () => {
    expect(text).toContain('#### Failed (1)')
    expect(text).toContain(
      '| `broken` | push-docs | Deletion threshold exceeded | Raise deletion_threshold, or check |'
    )
  })

  it('links the run', () => {
    expect(
      text
        .trimEnd()
        .endsWith(
          '(https://github.com/acme/codex/actions/runs/7): its job summary and result files.</sub>'
        )
    ).toBe(true)
  })

  it('says when nothing would change', () => {
    const quiet = comment([plan('push-docs', [unchanged('api')])])
    expect(quiet).toContain('### codex-sync plan: no project would change')
    expect(quiet).toContain('would change none of the 1 project through push-docs.')
    expect(quiet).toContain('**No change** (1): `api`.')
    expect(quiet).not.toContain('Would change')
  })

  it('names a mode that could not plan, with what to do', () => {
    const failed = fatalResult(
      runContext({ mode: 'push-claude', codexBranch: HEAD, dryRun: true }),
      "codex_ref 'x' is not a branch, tag or commit",
      'Check codex_ref.'
    )
    const text = comment([docs, failed])
    expect(text).toContain('a mode could not plan')
    expect(text).toContain(
      "**push-claude could not plan:** codex_ref 'x' is not a branch, tag or commit"
    )
    expect(text).toContain('**What to do:** Check codex_ref.')
  })

  it('takes each project from the shard that handled it', () => {
    const shard1 = plan('push-docs', [
      planned('api', ['.codex/a.md']),
      skippedProject('web', 'not-in-shard', 'not in shard 1/2')
    ])
    const shard2 = plan('push-docs', [
      skippedProject('api', 'not-in-shard', 'not in shard 2/2'),
      planned('web', ['.codex/a.md'])
    ])
    const text = comment([shard1, shard2])
    expect(text).toContain('**`api`** — push-docs: 1 added')
    expect(text).toContain('**`web`** — push-docs: 1 added')
    expect(text).not.toContain('not in shard')
  })

  it('shows each mode’s commit when the modes planned different ones', () => {
    const other = 'f'.repeat(40)
    const text = comment([
      plan('push-docs', [unchanged('api')]),
      plan('push-claude', [unchanged('api')], other)
    ])
    expect(text).toContain('Planned at `0123456` (push-docs) and `fffffff` (push-claude)')
  })

  it('says so when a result lost its paths (to fit an output), and when it was no dry run', () => {
    // resultOutput leaves the paths out of a result too large for one output.
    const { paths: _paths, ...slimmed } = syncedProject('api', 2, 0, 0)
    const text = comment([{ ...plan('push-docs', [slimmed as ProjectResult]), dry_run: false }])
    expect(text).toContain('_paths not in the result')
    expect(text).toContain('**not a dry run**')
    const whole = comment([
      { ...plan('push-docs', [syncedProject('api', 2, 0, 0)]), dry_run: false }
    ])
    expect(whole).toContain('| push-docs | added | `.codex/added-0.md` |')
  })

  it('shows paths and messages exactly, without breaking the table or the folds', () => {
    const text = comment([
      plan('push-docs', [
        planned('api', ['docs/a|b.md', 'docs/tick`s.md', 'docs/line\nbreak.md']),
        failedProject('web', 'bad </details> | <b>x</b>', 'fix\nit')
      ])
    ])
    expect(text).toContain('| push-docs | added | `docs/a\\|b.md` |')
    expect(text).toContain('| push-docs | added | ``docs/tick`s.md`` |')
    expect(text).toContain('| push-docs | added | `docs/line break.md` |')
    expect(text).toContain(
      '| `web` | push-docs | bad &lt;/details&gt; \\| &lt;b&gt;x&lt;/b&gt; | fix it |'
    )
  })
})

describe('folding', () => {
  const paths = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => `${prefix}/file-${i}.md`)

  it('folds the paths of a project that lists more than ten, and leaves short lists open', () => {
    const text = comment([
      plan('push-docs', [
        planned('api', paths('.codex/docs', 11)),
        planned('web', paths('.codex/w', 2))
      ])
    ])
    expect(text).toContain('<details><summary>11 paths</summary>')
    expect(text.match(/<details>/g)).toHaveLength(1)
    expect(text).toContain('| push-docs | added | `.codex/w/file-1.md` |')
  })

  it('folds every project when more than ten would change, and a long failure list', () => {
    const projects = Array.from({ length: 12 }, (_, i) => planned(`p${i}`, ['.codex/a.md']))
    const failures = Array.from({ length: 11 }, (_, i) => failedProject(`f${i}`, 'e', 'r'))
    const text = comment([plan('push-docs', [...projects, ...failures])])
    expect(text.match(/<details><summary>1 path<\/summary>/g)).toHaveLength(12)
    expect(text).toContain('<details><summary>11 failures</summary>')
    expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length)
  })
})

describe('the size limit', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8')
  const projects = (count: number, paths: number) =>
    Array.from({ length: count }, (_, p) =>
      planned(
        `project-${String(p).padStart(4, '0')}`,
        Array.from({ length: paths }, (_, i) => `.codex/docs/section-${i}/a-long-file-name-${i}.md`)
      )
    )
  const pathRows = (text: string) => (text.match(/^\| push-docs \| added \|/gm) ?? []).length
  const balanced = (text: string) =>
    expect(text.match(/<details>/g)?.length ?? 0).toBe(text.match(/<\/details>/g)?.length ?? 0)
  const quiet = plan('push-claude', [unchanged('quiet')])

  it('lists as many paths of every project as fit, and says how many were left out', () => {
    const text = comment([plan('push-docs', [...projects(60, 60), unchanged('quiet')]), quiet], {
      runUrl: 'https://example.test/run/1'
    })
    expect(bytes(text)).toBeLessThanOrEqual(MAX_COMMENT_BYTES)
    expect(text.startsWith(PLAN_MARKER)).toBe(true)
    expect(text).toContain('60 projects would change')
    const note =
      /\*\*Shortened:\*\* each project lists at most (\d+) paths here; ([\d,]+) more paths are left out to stay under GitHub's limit of 65,536 characters for a comment\. The result files of \[the run\]\(https:\/\/example\.test\/run\/1\) list them all\./.exec(
        text
      )
    expect(note).not.toBeNull()
    const most = Number(note?.[1])
    expect(most).toBeGreaterThan(0)
    expect(pathRows(text)).toBe(60 * most)
    expect(pathRows(text) + Number(note?.[2]?.replace(/,/g, ''))).toBe(60 * 60)
    // every project keeps its line of counts, and says how many of its paths are not shown
    expect(text.match(/^\*\*`project-\d{4}`\*\* — push-docs: 60 added/gm)).toHaveLength(60)
    expect(text.match(new RegExp(`_${60 - most} more paths_`, 'g'))).toHaveLength(60)
    expect(text).toContain('**No change** (1): `quiet`.')
    balanced(text)
  })

  it('keeps only the line of counts of each project when no path fits', () => {
    const text = comment([plan('push-docs', projects(400, 40))])
    expect(bytes(text)).toBeLessThanOrEqual(MAX_COMMENT_BYTES)
    expect(pathRows(text)).toBe(0)
    expect(text.match(/^\*\*`project-\d{4}`\*\* — push-docs: 40 added$/gm)).toHaveLength(400)
    expect(text).toContain('**Shortened:** the 16,000 paths are left out')
    expect(text).not.toContain('<details>')
  })

  it('cuts a plan of very many projects at a line, closing what it opened', () => {
    const failures = Array.from({ length: 20 }, (_, i) => failedProject(`f${i}`, 'e', 'r'))
    const text = comment(
      [plan('push-docs', [...failures, ...projects(3000, 1), unchanged('quiet')])],
      {
        runUrl: 'https://example.test/run/1'
      }
    )
    expect(bytes(text)).toBeLessThanOrEqual(MAX_COMMENT_BYTES)
    expect(bytes(text)).toBeGreaterThan(MAX_COMMENT_BYTES - 3_000)
    const note = /\*\*Cut short:\*\* ([\d,]+) more lines \(of ([\d,]+) projects\) left out/.exec(
      text
    )
    expect(note).not.toBeNull()
    const listed = (text.match(/^\*\*`project-\d{4}`\*\*/gm) ?? []).length
    expect(listed + Number(note?.[2]?.replace(/,/g, ''))).toBe(3000)
    expect(text).toContain('have the whole plan')
    expect(text).toContain('**No change** (1): `quiet`.')
    balanced(text)
  })

  it('counts bytes, so that paths in other scripts stay within the limit too', () => {
    const wide = Array.from({ length: 200 }, (_, p) =>
      planned(
        `p${p}`,
        Array.from({ length: 30 }, (_, i) => `.codex/文書/説明-${i}-ファイル.md`)
      )
    )
    const text = comment([plan('push-docs', wide)], { maxBytes: 20_000 })
    expect(bytes(text)).toBeLessThanOrEqual(20_000)
    expect(text).toContain('**Shortened:**')
  })

  it('leaves a plan that fits as it is', () => {
    const text = comment([docs, claude])
    expect(text).not.toMatch(/Shortened|Cut short/)
  })
})

describe('planCodex', () => {
  it('is the configured codex, when the results were planned against it', () => {
    expect(planCodex([docs, claude], 'Codex.Acme.IO')).toBe('Codex.Acme.IO')
    expect(planCodex([docs], undefined)).toBe('codex.acme.io')
  })

  it('refuses a codex other than the one the results name, and results of several codices', () => {
    expect(() => planCodex([docs], 'other-codex')).toThrow(CodexSyncError)
    expect(() => planCodex([docs], 'other-codex')).toThrow(/codex.acme.io.*other-codex/)
    const elsewhere = { ...claude, codex_repository: 'codex.globex.io' }
    expect(() => planCodex([docs, elsewhere], undefined)).toThrow(/several codices/)
    expect(() => planCodex([{ ...docs, codex_repository: '' }], undefined)).toThrow(/name no codex/)
  })
})

describe('planFailureMarkdown', () => {
  it('carries the marker, so that it replaces an earlier plan, and says what to do', () => {
    const text = planFailureMarkdown('No result files were found to merge', 'Check the artifacts.')
    expect(text.startsWith(`${PLAN_MARKER}\n`)).toBe(true)
    expect(text).toContain('could not be made')
    expect(text).toContain('**What to do:** Check the artifacts.')
  })
})
