/** The plan as one pull request comment: what merging would change, per project and mode. */
import { sameName } from '../model.js'
import type { MergedResult } from '../result/merge.js'
import { plannedProjects, quietProjects, someIs, type PlannedProject } from '../result/plan.js'
import { changedPaths, type ProjectResult } from '../result/project.js'
import type { RunResult } from '../result/run.js'
import { fit, MAX_COMMENT_BYTES, plural, type Line } from './comment-fit.js'
import { code, link, row, text } from './markdown.js'

export { MAX_COMMENT_BYTES }

/** Opens every plan comment: how later runs find the comment to update. */
export const PLAN_MARKER = '<!-- codex-sync-plan -->'

/** A project's paths are folded into `<details>` beyond this many, and so are long lists. */
const FOLD_AT = 10
/** Names listed in one summary line before "and N more". */
const NAMES_IN_A_LINE = 50

export interface PlanCommentOptions {
  /** The workflow run, where the job summary and the result files are. */
  runUrl?: string
  /** The limit, in bytes (tests lower it). */
  maxBytes?: number
}

/** The plan of the merged results as the comment's Markdown, starting with PLAN_MARKER. */
export function planCommentMarkdown(
  results: RunResult[],
  merged: MergedResult,
  options: PlanCommentOptions = {}
): string {
  const modes = merged.phases.map(phase => phase.phase)
  const projects = plannedProjects(results, modes)
  const changed = projects.filter(project => someIs(project, 'synced'))
  const failed = projects.filter(project => someIs(project, 'failed'))
  const head: Line[] = [
    ...header(results, modes, projects, changed, failed),
    ...runErrors(results),
    ...failureLines(results, modes),
    ...(changed.length > 0 ? [{ text: `#### Would change (${changed.length})` }, { text: '' }] : [])
  ]
  const render = (most: number): Line[] => [
    ...head,
    ...changed.flatMap(project => projectLines(project, modes, changed.length > FOLD_AT, most))
  ]
  const tail = [...summaryLines(projects), ...footer(options.runUrl)]
  const where = options.runUrl ? link('the run', options.runUrl) : 'the run'
  return fit(render, tail, options.maxBytes ?? MAX_COMMENT_BYTES, where)
}

/** The comment that says the plan could not be made (no results to merge, unreadable ones). */
export function planFailureMarkdown(error: string, resolution: string, runUrl?: string): string {
  return [
    PLAN_MARKER,
    '### codex-sync plan: could not be made',
    '',
    `**What went wrong:** ${text(error)}`,
    '',
    `**What to do:** ${text(resolution)}`,
    '',
    'An earlier plan in this comment, if any, is out of date.',
    ...footer(runUrl).map(line => line.text)
  ].join('\n')
}

function header(
  results: RunResult[],
  modes: string[],
  projects: PlannedProject[],
  changed: PlannedProject[],
  failed: PlannedProject[]
): Line[] {
  const entries = changed.flatMap(project => [...project.modes.values()])
  const sum = (pick: (entry: ProjectResult) => number) =>
    entries.reduce((total, entry) => total + (entry.status === 'synced' ? pick(entry) : 0), 0)
  const added = sum(entry => entry.files_added)
  const modified = sum(entry => entry.files_modified)
  const deleted = sum(entry => entry.files_deleted)
  const files = `${plural(added + modified + deleted, 'file')}: ${counts(added, modified, deleted)}`
  const title =
    (changed.length === 0
      ? 'no project would change'
      : `${plural(changed.length, 'project')} would change`) +
    (failed.length > 0 ? `, ${plural(failed.length, 'project')} failed` : '') +
    (results.some(result => result.error) ? ', a mode could not plan' : '')
  const first = results[0]
  const dryRun = results.every(result => result.dry_run)
  const through = modes.map(text).join(' and ')
  const lines = [
    PLAN_MARKER,
    `### codex-sync plan: ${title}`,
    '',
    changed.length === 0
      ? `Merging this pull request would change none of the ${plural(projects.length, 'project')} through ${through}.`
      : `Merging this pull request would change ${changed.length} of ${plural(projects.length, 'project')} through ${through}: **${files}**.`,
    '',
    `Planned at ${plannedAt(results, modes)} of ${code(`${first?.organization ?? ''}/${first?.codex_repository ?? ''}`)}, environment ${code(first?.environment ?? '')} — ` +
      (dryRun
        ? 'a dry run: nothing was written. This comment is updated on every new plan.'
        : '**not a dry run**: the changes shown were written.'),
    ''
  ]
  return lines.map(line => ({ text: line }))
}

/** The codex ref each mode planned against: one, or each mode's when they differ. */
function plannedAt(results: RunResult[], modes: string[]): string {
  const refOf = (mode: string) =>
    [...new Set(results.filter(r => r.mode === mode).map(r => shortRef(r.codex_branch)))].join(', ')
  const refs = modes.map(refOf)
  if (new Set(refs).size <= 1) return code(refs[0] ?? '')
  return modes.map((mode, i) => `${code(refs[i] ?? '')} (${text(mode)})`).join(' and ')
}

function shortRef(ref: string): string {
  return /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref
}

/** Modes that could not plan at all (their run failed before any project). */
function runErrors(results: RunResult[]): Line[] {
  const seen = new Set<string>()
  return results.flatMap(result => {
    const key = `${result.mode}\n${result.error ?? ''}`
    if (!result.error || seen.has(key)) return []
    seen.add(key)
    return [
      { text: `**${text(result.mode)} could not plan:** ${text(result.error)}` },
      { text: '' },
      { text: `**What to do:** ${text(result.resolution ?? '')}` },
      { text: '' }
    ]
  })
}

/** Every project that failed, per mode, with its resolution; folded when long. */
function failureLines(results: RunResult[], modes: string[]): Line[] {
  const rows = modes.flatMap(mode => {
    const seen: string[] = []
    return results
      .filter(result => result.mode === mode)
      .flatMap(result => result.failures)
      .filter(failure => {
        if (seen.some(name => sameName(name, failure.project))) return false
        seen.push(failure.project)
        return true
      })
      .map(failure => ({
        text: row([
          code(failure.project, true),
          text(mode),
          text(failure.error),
          text(failure.resolution)
        ]),
        project: failure.project
      }))
  })
  if (rows.length === 0) return []
  const table = [
    { text: '| project | mode | error | what to do |' },
    { text: '| --- | --- | --- | --- |' },
    ...rows
  ]
  return [
    { text: `#### Failed (${rows.length})` },
    { text: '' },
    ...folded(table, plural(rows.length, 'failure'), rows.length > FOLD_AT),
    { text: '' }
  ]
}

/**
 * A project that would change: its counts per mode, then its paths (at most `most` of them),
 * folded when long.
 */
function projectLines(
  project: PlannedProject,
  modes: string[],
  foldAll: boolean,
  most: number
): Line[] {
  const name = project.name
  const perMode = modes.flatMap(mode => {
    const entry = project.modes.get(mode)
    return entry ? [`${text(mode)}: ${modeOutcome(entry)}`] : []
  })
  const rows: Line[] = modes.flatMap(mode => {
    const entry = project.modes.get(mode)
    if (entry?.status !== 'synced') return []
    // A result too large for one output leaves its paths out (see resultOutput).
    const changed = changedPaths(entry)
    if (!changed) {
      return [
        {
          text: `| ${text(mode)} | — | _paths not in the result (left out to fit GitHub's limit on an output)_ |`,
          project: name
        }
      ]
    }
    const { added, modified, deleted } = changed
    return [
      ...added.map(path => ({ path, change: 'added' })),
      ...modified.map(path => ({ path, change: 'changed' })),
      ...deleted.map(path => ({ path, change: 'deleted' }))
    ].map(({ path, change }) => ({
      text: row([text(mode), change, code(path, true)]),
      project: name,
      path: true
    }))
  })
  const headline = [
    { text: `**${code(name)}** — ${perMode.join(' · ')}`, project: name },
    { text: '', project: name }
  ]
  if (most === 0) return headline
  const paths = rows.filter(line => line.path).length
  const shown = rows.slice(0, most)
  const more = rows.length - shown.length
  const table = [
    { text: '| mode | change | path |', project: name },
    { text: '| --- | --- | --- |', project: name },
    ...shown,
    ...(more > 0 ? [{ text: `| … | … | _${plural(more, 'more path')}_ |`, project: name }] : [])
  ]
  return [
    ...headline,
    ...folded(table, plural(paths, 'path'), foldAll || rows.length > FOLD_AT, name),
    { text: '' }
  ]
}

function modeOutcome(entry: ProjectResult): string {
  switch (entry.status) {
    case 'synced':
      return counts(entry.files_added, entry.files_modified, entry.files_deleted)
    case 'unchanged':
      return entry.outcome === 'waiting-for-review'
        ? `no change; waiting for review in ${link(`#${entry.pull_request_number}`, entry.pull_request_url)}`
        : 'no change'
    case 'failed':
      return 'failed (see above)'
    case 'skipped':
      return `skipped (${text(entry.reason)})`
  }
}

/** The projects without change, those not reached and those skipped: one line each. */
function summaryLines(projects: PlannedProject[]): Line[] {
  const { unchanged, notReached, skipped } = quietProjects(projects)
  const lines: string[] = []
  if (unchanged.length > 0) {
    lines.push(`**No change** (${unchanged.length}): ${names(unchanged.map(p => p.name))}.`)
  }
  if (notReached.length > 0) {
    lines.push(
      `**Not planned** (${notReached.length}, the run stopped before them): ${names(notReached.map(p => p.name))}.`
    )
  }
  if (skipped.length > 0) {
    const byReason = new Map<string, string[]>()
    for (const { project, reason } of skipped) {
      byReason.set(reason, [...(byReason.get(reason) ?? []), project.name])
    }
    const groups = [...byReason].map(
      ([reason, list]) => `${text(reason) || 'skipped'}: ${names(list, NAMES_IN_A_LINE / 5)}`
    )
    lines.push(`**Skipped** (${skipped.length}): ${groups.join('; ')}.`)
  }
  return lines.flatMap(line => [{ text: line }, { text: '' }])
}

function footer(runUrl: string | undefined): Line[] {
  return runUrl
    ? [{ text: `<sub>${link('The run', runUrl)}: its job summary and result files.</sub>` }]
    : []
}

/** `lines` inside `<details>` when `fold`, else as they are. */
function folded(lines: Line[], summary: string, fold: boolean, project?: string): Line[] {
  if (!fold) return lines
  return [
    { text: `<details><summary>${text(summary)}</summary>`, project },
    { text: '', project },
    ...lines,
    { text: '', project },
    { text: '</details>', project }
  ]
}

function counts(added: number, changed: number, deleted: number): string {
  const parts = [
    added > 0 ? `${added.toLocaleString('en-US')} added` : '',
    changed > 0 ? `${changed.toLocaleString('en-US')} changed` : '',
    deleted > 0 ? `${deleted.toLocaleString('en-US')} deleted` : ''
  ].filter(part => part !== '')
  return parts.length > 0 ? parts.join(', ') : 'no change'
}

function names(list: string[], most = NAMES_IN_A_LINE): string {
  const shown = list.slice(0, most).map(name => code(name))
  const more = list.length - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}
