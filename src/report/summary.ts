/** The job summary: the run, a row per project, and the failures with what to do, as Markdown. */
import type { MergedResult } from '../result/merge.js'
import type { ProjectResult } from '../result/project.js'
import type { Failure, RunResult } from '../result/run.js'
import { code, link, row, text } from './markdown.js'
import {
  changedFiles,
  driftPicture,
  isNoteworthy,
  markedPaths,
  routingPicture
} from './pictures.js'

/** The job summary: the run, then one table row per project, then the failures with what to do. */
export function summaryMarkdown(result: RunResult): string {
  const lines = [
    `## codex-sync ${text(result.mode)}: ${result.status}${result.dry_run ? ' (dry run — planned, nothing written)' : ''}`,
    '',
    `Codex ${code(`${result.organization}/${result.codex_repository}`)} on branch ${code(result.codex_branch)} (environment ${code(result.environment)}), ${result.duration_seconds} s.`,
    '',
    '| projects | succeeded | failed | skipped | files synced | files deleted | commits |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${result.total_projects} | ${result.succeeded} | ${result.failed} | ${result.skipped} | ${result.files_synced} | ${result.files_deleted} | ${result.commits_created} |`,
    ''
  ]
  if (result.error)
    lines.push(
      `**The run could not start:** ${text(result.error)}`,
      '',
      `**What to do:** ${text(result.resolution ?? '')}`,
      ''
    )
  for (const warning of result.warnings) lines.push(`**Warning:** ${text(warning)}`, '')
  if (result.orphans) {
    const { status, folders, files_deleted: deleted, reason } = result.orphans
    lines.push(
      `**Folders of repositories that no longer exist** (${status}${reason ? `: ${text(reason)}` : ''}): ${folders.map(folder => code(folder)).join(', ')}; ${deleted} files deleted.`,
      ''
    )
  }
  if (result.projects.length > 0) {
    const { listed, unlisted } = rowsToList(result.projects)
    lines.push(
      '| project | status | added | modified | deleted | details |',
      '| --- | --- | ---: | ---: | ---: | --- |'
    )
    for (const project of listed) lines.push(projectRow(project))
    lines.push('')
    if (unlisted > 0)
      lines.push(
        `${unlisted} more projects are not listed here; the \`result\` output has them.`,
        ''
      )
  }
  lines.push(...failureTable(result.failures))
  lines.push(...driftPicture(result))
  lines.push(...routingPicture(result.routing, result.dry_run))
  lines.push(...changedFiles(result))
  return lines.join('\n')
}

/** The failures with what to do, the phase of each when the report merges phases. */
function failureTable(failures: (Failure & { phase?: string })[]): string[] {
  if (failures.length === 0) return []
  const phased = failures.some(failure => failure.phase !== undefined)
  const lines = [
    '### Failures',
    '',
    phased ? '| project | phase | error | resolution |' : '| project | error | resolution |',
    phased ? '| --- | --- | --- | --- |' : '| --- | --- | --- |'
  ]
  for (const failure of failures.slice(0, MAX_SUMMARY_ROWS)) {
    const phase = phased ? [text(failure.phase ?? '')] : []
    lines.push(
      row([text(failure.project), ...phase, text(failure.error), text(failure.resolution)])
    )
  }
  lines.push('')
  return lines
}

/** The merged report of several runs: one row per phase, then every failure with its phase. */
export function mergedSummaryMarkdown(merged: MergedResult): string {
  const lines = [
    `## codex-sync: ${merged.status}${merged.dry_run ? ' (dry run — planned, nothing written)' : ''}`,
    '',
    `Organisation ${code(merged.organization)}, codex ${code(merged.codex_repository)} on branch ${code(merged.target_branch)} (environment ${code(merged.environment)}), direction ${merged.direction}, ${merged.duration_seconds} s in all.`,
    '',
    `${merged.total_projects} projects: ${merged.succeeded} succeeded (${merged.success_rate}%), ${merged.failed} failed, ${merged.skipped} skipped.`,
    '',
    '| phase | direction | status | shards | projects | succeeded | failed | skipped | deferred | files synced | files deleted | commits | seconds |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...merged.phases.map(phase =>
      row([
        text(phase.phase),
        phase.direction,
        phase.status,
        ...[
          phase.shards,
          phase.total_projects,
          phase.succeeded,
          phase.failed,
          phase.skipped,
          phase.deferred,
          phase.files_synced,
          phase.files_deleted,
          phase.commits_created,
          phase.duration_seconds
        ].map(String)
      ])
    ),
    ''
  ]
  for (const warning of merged.warnings) lines.push(`**Warning:** ${text(warning)}`, '')
  for (const phase of merged.phases.filter(entry => entry.error)) {
    lines.push(
      `**${text(phase.phase)} could not start:** ${text(phase.error ?? '')} — ${text(phase.resolution ?? '')}`,
      ''
    )
  }
  lines.push(...failureTable(merged.failures))
  if (merged.failures_left_out)
    lines.push(`${merged.failures_left_out} more failures are not listed.`, '')
  return lines.join('\n')
}

/** GitHub keeps at most 1 MiB of job summary: past this many rows, only what changed or failed is listed. */
export const MAX_SUMMARY_ROWS = 1000

function rowsToList(projects: ProjectResult[]): { listed: ProjectResult[]; unlisted: number } {
  if (projects.length <= MAX_SUMMARY_ROWS) return { listed: projects, unlisted: 0 }
  const failed = projects.filter(project => project.status === 'failed')
  const others = projects.filter(project => project.status !== 'failed' && isNoteworthy(project))
  const listed = [...failed, ...others].slice(0, MAX_SUMMARY_ROWS)
  return { listed, unlisted: projects.length - listed.length }
}

function projectRow(project: ProjectResult): string {
  return row([
    text(project.project),
    project.status,
    String(project.files_added),
    String(project.files_modified),
    String(project.files_deleted),
    details(project)
  ])
}

/** Paths a dry run would write, the first few of them: the `result` output has them all. */
const PLANNED_PATHS_SHOWN = 10

/** What became of a project, in words and links (already Markdown). */
function details(project: ProjectResult): string {
  switch (project.outcome) {
    case 'committed':
      return link(project.commit_sha.slice(0, 7), project.commit_url)
    case 'pull-request': {
      const pull = link(`pull request #${project.pull_request_number}`, project.pull_request_url)
      return `${pull}${project.delivery ? ` (${text(project.delivery)})` : ''}`
    }
    case 'waiting-for-review':
      return `waiting for review in ${link(`#${project.pull_request_number}`, project.pull_request_url)}`
    case 'planned': {
      const { shown, more } = markedPaths(project.planned, PLANNED_PATHS_SHOWN)
      return shown.map(path => code(path, true)).join(' ') + (more > 0 ? ` and ${more} more` : '')
    }
    case 'in-sync':
      return ''
    case 'failed':
      return text(project.error)
    default:
      return text(project.reason)
  }
}
