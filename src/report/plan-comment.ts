/** The plan as one pull request comment: found again by its marker, under GitHub's size limit. */
import { CodexSyncError, nameKey, sameName } from '../model.js'
import type { MergedResult } from './merge.js'
import type { ProjectResult, RunResult } from './results.js'

/** Opens every plan comment: how later runs find the comment to update. */
export const PLAN_MARKER = '<!-- codex-sync-plan -->'

/**
 * GitHub refuses a comment body over 65,536 characters. The body is measured in UTF-8 bytes,
 * never fewer than its characters, so a body within the limit in bytes is within it in characters.
 */
export const MAX_COMMENT_BYTES = 65_536

/** A project's paths are folded into `<details>` beyond this many, and so are long lists. */
const FOLD_AT = 10
/** Names listed in one summary line before "and N more". */
const NAMES_IN_A_LINE = 50
/** Room kept for the closing tags and the line saying what was left out. */
const CUT_RESERVE = 1_000

export interface PlanCommentOptions {
  /** The workflow run, where the job summary and the result files are. */
  runUrl?: string
  /** The limit, in bytes (tests lower it). */
  maxBytes?: number
}

/** One line of the comment; `project` and `path` say what it shows, to count what a cut leaves out. */
interface Line {
  text: string
  project?: string
  path?: boolean
}

/** A project in every mode of the plan: the entry of the shard that handled it, per mode. */
interface PlannedProject {
  name: string
  modes: Map<string, ProjectResult>
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
  return fit(render, tail, options.maxBytes ?? MAX_COMMENT_BYTES, options.runUrl)
}

/** The comment that says the plan could not be made (no results to merge, unreadable ones). */
export function planFailureMarkdown(error: string, resolution: string, runUrl?: string): string {
  return [
    PLAN_MARKER,
    '### codex-sync plan: could not be made',
    '',
    `**What went wrong:** ${inline(error)}`,
    '',
    `**What to do:** ${inline(resolution)}`,
    '',
    'An earlier plan in this comment, if any, is out of date.',
    ...footer(runUrl).map(line => line.text)
  ].join('\n')
}

/**
 * The codex whose pull request gets the comment: `configured` (input `codex_repository`), which
 * must be the codex the results were planned against; without it, the one the results name.
 */
export function planCodex(results: RunResult[], configured: string | undefined): string {
  const named = results
    .map(result => result.codex_repository)
    .filter((name, i, all) => name !== '' && all.findIndex(other => sameName(other, name)) === i)
  if (configured !== undefined) {
    if (named.length > 0 && !named.some(name => sameName(name, configured))) {
      throw new CodexSyncError(
        `The results are plans of ${named.join(', ')}, but 'plan_comment' would comment on a pull request of ${configured}.`,
        "Set 'codex_repository' to the codex the results were planned against, or merge only the results of that codex."
      )
    }
    return configured
  }
  if (named.length !== 1) {
    throw new CodexSyncError(
      named.length === 0
        ? 'The results name no codex whose pull request could get the plan comment.'
        : `The results are plans of several codices (${named.join(', ')}).`,
      "Set 'codex_repository' to the codex whose pull request gets the plan comment."
    )
  }
  return named[0] as string
}

/** Projects by name (case-insensitively), each with the entry of every mode that handled it. */
function plannedProjects(results: RunResult[], modes: string[]): PlannedProject[] {
  const projects = new Map<string, PlannedProject>()
  for (const mode of modes) {
    for (const entry of results.filter(r => r.mode === mode).flatMap(r => r.projects)) {
      const key = nameKey(entry.project)
      const project = projects.get(key) ?? { name: entry.project, modes: new Map() }
      projects.set(key, project)
      // Shards list every project; the entry that counts is the one of the shard that handled it.
      const known = project.modes.get(mode)
      if (!known || outOfShard(known)) project.modes.set(mode, entry)
    }
  }
  return [...projects.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function outOfShard(entry: ProjectResult): boolean {
  return entry.status === 'skipped' && entry.reason.startsWith('not in shard')
}

function someIs(project: PlannedProject, status: ProjectResult['status']): boolean {
  return [...project.modes.values()].some(entry => entry.status === status)
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
  const lines = [
    PLAN_MARKER,
    `### codex-sync plan: ${title}`,
    '',
    changed.length === 0
      ? `Merging this pull request would change none of the ${plural(projects.length, 'project')} through ${modes.join(' and ')}.`
      : `Merging this pull request would change ${changed.length} of ${plural(projects.length, 'project')} through ${modes.join(' and ')}: **${files}**.`,
    '',
    `Planned at ${plannedAt(results, modes)} of \`${first?.organization ?? ''}/${first?.codex_repository ?? ''}\`, environment \`${first?.environment ?? ''}\` — ` +
      (dryRun
        ? 'a dry run: nothing was written. This comment is updated on every new plan.'
        : '**not a dry run**: the changes shown were written.'),
    ''
  ]
  return lines.map(text => ({ text }))
}

/** The codex ref each mode planned against: one, or each mode's when they differ. */
function plannedAt(results: RunResult[], modes: string[]): string {
  const refOf = (mode: string) =>
    [...new Set(results.filter(r => r.mode === mode).map(r => shortRef(r.codex_branch)))].join(', ')
  const refs = modes.map(refOf)
  if (new Set(refs).size <= 1) return code(refs[0] ?? '')
  return modes.map((mode, i) => `${code(refs[i] ?? '')} (${mode})`).join(' and ')
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
      { text: `**${result.mode} could not plan:** ${inline(result.error)}` },
      { text: '' },
      { text: `**What to do:** ${inline(result.resolution ?? '')}` },
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
        text: `| ${code(failure.project)} | ${mode} | ${cell(failure.error)} | ${cell(failure.resolution)} |`,
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
    ...folded(table, `${plural(rows.length, 'failure')}`, rows.length > FOLD_AT),
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
    return entry ? [`${mode}: ${modeOutcome(entry)}`] : []
  })
  const rows: Line[] = modes.flatMap(mode => {
    const entry = project.modes.get(mode)
    if (entry?.status !== 'synced') return []
    if (!('planned' in entry)) {
      return [
        {
          text: `| ${mode} | — | _paths not in the result (left out to fit GitHub's limit on an output, or not a dry run)_ |`,
          project: name
        }
      ]
    }
    const { added, modified, deleted } = entry.planned
    return [
      ...added.map(path => ({ path, change: 'added' })),
      ...modified.map(path => ({ path, change: 'changed' })),
      ...deleted.map(path => ({ path, change: 'deleted' }))
    ].map(({ path, change }) => ({
      text: `| ${mode} | ${change} | ${code(path, true)} |`,
      project: name,
      path: true
    }))
  })
  const headline = [
    { text: `**${code(name)}** — ${perMode.join(' · ')}`, project: name },
    { text: '', project: name }
  ]
  if (most === 0) return headline
  const paths = rows.filter(row => row.path).length
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
      return 'no change'
    case 'failed':
      return 'failed (see above)'
    case 'skipped':
      return `skipped (${inline(entry.reason)})`
  }
}

/** The projects without change, those not reached and those skipped: one line each. */
function summaryLines(projects: PlannedProject[]): Line[] {
  const quiet = projects.filter(project => !someIs(project, 'synced') && !someIs(project, 'failed'))
  const deferred = quiet.filter(project =>
    [...project.modes.values()].some(e => e.status === 'skipped' && e.reason === 'deferred')
  )
  const skipped = quiet.filter(
    project => !deferred.includes(project) && !someIs(project, 'unchanged')
  )
  const unchanged = quiet.filter(
    project => !deferred.includes(project) && !skipped.includes(project)
  )
  const lines: string[] = []
  if (unchanged.length > 0) {
    lines.push(`**No change** (${unchanged.length}): ${names(unchanged.map(p => p.name))}.`)
  }
  if (deferred.length > 0) {
    lines.push(
      `**Not planned** (${deferred.length}, the time budget ran out before them): ${names(deferred.map(p => p.name))}.`
    )
  }
  if (skipped.length > 0) {
    const byReason = new Map<string, string[]>()
    for (const project of skipped) {
      const reason = [...project.modes.values()].map(skipReason).find(r => r !== '') ?? ''
      byReason.set(reason, [...(byReason.get(reason) ?? []), project.name])
    }
    const groups = [...byReason].map(
      ([reason, list]) => `${inline(reason) || 'skipped'}: ${names(list, NAMES_IN_A_LINE / 5)}`
    )
    lines.push(`**Skipped** (${skipped.length}): ${groups.join('; ')}.`)
  }
  return lines.flatMap(text => [{ text }, { text: '' }])
}

function skipReason(entry: ProjectResult): string {
  return entry.status === 'skipped' ? entry.reason : ''
}

function footer(runUrl: string | undefined): Line[] {
  return runUrl
    ? [{ text: `<sub>[The run](${runUrl}): its job summary and result files.</sub>` }]
    : []
}

/** `lines` inside `<details>` when `fold`, else as they are. */
function folded(lines: Line[], summary: string, fold: boolean, project?: string): Line[] {
  if (!fold) return lines
  return [
    { text: `<details><summary>${summary}</summary>`, project },
    { text: '', project },
    ...lines,
    { text: '', project },
    { text: '</details>', project }
  ]
}

/**
 * The comment within `maxBytes`: whole when it fits; else with at most as many paths per project
 * as fit (every project keeps its line of counts); else, for a plan of very many projects, cut at
 * a line with every open `<details>` closed. A line says what was left out; the tail (the summary
 * lines and the run's link) is short and always kept.
 */
function fit(
  render: (most: number) => Line[],
  tail: Line[],
  maxBytes: number,
  runUrl: string | undefined
): string {
  const join = (...parts: Line[][]) =>
    parts
      .flat()
      .map(line => line.text)
      .join('\n')
  const whole = render(Infinity)
  if (size(whole) + size(tail) <= maxBytes) return join(whole, tail)
  const room = maxBytes - size(tail) - CUT_RESERVE
  const paths = whole.filter(line => line.path).length
  const where = runUrl ? `[the run](${runUrl})` : 'the run'
  const limit = "to stay under GitHub's limit of 65,536 characters for a comment"
  // The most paths per project that fit, found in as many tries as bits in the longest list.
  const rows = new Map<string, number>()
  for (const line of whole) {
    if (line.path) rows.set(line.project ?? '', (rows.get(line.project ?? '') ?? 0) + 1)
  }
  let low = 0
  let high = Math.max(0, ...rows.values())
  let best: Line[] | undefined
  let most = 0
  while (low < high) {
    const middle = Math.floor((low + high + 1) / 2)
    const lines = render(middle)
    if (size(lines) <= room) {
      best = lines
      most = middle
      low = middle
    } else {
      high = middle - 1
    }
  }
  best ??= size(render(0)) <= room ? render(0) : undefined
  if (best) {
    const left = paths - best.filter(line => line.path).length
    const note =
      most === 0
        ? `**Shortened:** the ${plural(paths, 'path')} are left out ${limit}; the result files of ${where} list them all.`
        : `**Shortened:** each project lists at most ${plural(most, 'path')} here; ${plural(left, 'more path')} are left out ${limit}. The result files of ${where} list them all.`
    return join(best, [{ text: note }, { text: '' }], tail)
  }
  return cut(
    render(0),
    tail,
    room,
    `${limit}. The job summary and the result files of ${where} have the whole plan.`
  )
}

/** `body` cut at the last line that fits in `room`, open `<details>` closed, and a line saying so. */
function cut(body: Line[], tail: Line[], room: number, why: string): string {
  const kept: Line[] = []
  let used = 0
  for (const line of body) {
    used += Buffer.byteLength(line.text, 'utf8') + 1
    if (used > room) break
    kept.push(line)
  }
  const left = body.slice(kept.length)
  while (kept.at(-1)?.text === '') kept.pop()
  const open =
    kept.filter(line => line.text.startsWith('<details>')).length -
    kept.filter(line => line.text === '</details>').length
  const projects = new Set(left.flatMap(line => (line.project ? [nameKey(line.project)] : [])))
  const note = `**Cut short:** ${plural(left.length, 'more line')} (of ${plural(projects.size, 'project')}) left out ${why}`
  const closing = Array.from({ length: Math.max(0, open) }, () => ['', '</details>']).flat()
  return [
    ...kept.map(line => line.text),
    ...closing,
    '',
    note,
    '',
    ...tail.map(line => line.text)
  ].join('\n')
}

function size(lines: Line[]): number {
  return lines.reduce((total, line) => total + Buffer.byteLength(line.text, 'utf8') + 1, 0)
}

function counts(added: number, changed: number, deleted: number): string {
  const parts = [
    added > 0 ? `${number(added)} added` : '',
    changed > 0 ? `${number(changed)} changed` : '',
    deleted > 0 ? `${number(deleted)} deleted` : ''
  ].filter(part => part !== '')
  return parts.length > 0 ? parts.join(', ') : 'no change'
}

function plural(count: number, noun: string): string {
  return `${number(count)} ${noun}${count === 1 ? '' : 's'}`
}

function number(count: number): string {
  return count.toLocaleString('en-US')
}

function names(list: string[], most = NAMES_IN_A_LINE): string {
  const shown = list.slice(0, most).map(name => code(name))
  const more = list.length - shown.length
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
}

/**
 * Inline code that shows `text` exactly: a fence longer than any run of backticks inside it,
 * newlines as spaces, and `|` escaped when it stands in a table cell.
 */
function code(text: string, inTable = false): string {
  const flat = text.replace(/\r?\n/g, ' ')
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  const span = `${fence}${pad}${flat}${pad}${fence}`
  return inTable ? span.replace(/\|/g, '\\|') : span
}

/** Text in a sentence: on one line, its HTML inert (a `</details>` in it closes nothing). */
function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/</g, '&lt;')
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|')
}
