/** The job summary: the run, a row per project, and the failures with what to do, as Markdown. */
import type { MergedResult } from './merge.js'
import { cell, changedFiles, driftPicture, routingPicture } from './pictures.js'
import type { Failure, PlannedPaths, ProjectResult, RunResult } from './results.js'

/** The job summary: the run, then one table row per project, then the failures with what to do. */
export function summaryMarkdown(result: RunResult): string {
  const lines = [
    `## codex-sync ${result.mode}: ${result.status}${result.dry_run ? ' (dry run — planned, nothing written)' : ''}`,
    '',
    `Codex \`${result.organization}/${result.codex_repository}\` on branch \`${result.codex_branch}\` (environment \`${result.environment}\`), ${result.duration_seconds} s.`,
    '',
    '| projects | succeeded | failed | skipped | files synced | files deleted | commits |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${result.total_projects} | ${result.succeeded} | ${result.failed} | ${result.skipped} | ${result.files_synced} | ${result.files_deleted} | ${result.commits_created} |`,
    ''
  ]
  if (result.error)
    lines.push(
      `**The run could not start:** ${cell(result.error)}`,
      '',
      `**What to do:** ${cell(result.resolution ?? '')}`,
      ''
    )
  if (result.orphans) {
    const { status, folders, files_deleted: deleted, reason } = result.orphans
    lines.push(
      `**Folders of repositories that no longer exist** (${status}${reason ? `: ${cell(reason)}` : ''}): ${folders.map(folder => `\`${cell(folder)}\``).join(', ')}; ${deleted} files deleted.`,
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
    const phase = phased ? ` ${failure.phase ?? ''} |` : ''
    lines.push(
      `| ${cell(failure.project)} |${phase} ${cell(failure.error)} | ${cell(failure.resolution)} |`
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
    `Organisation \`${merged.organization}\`, codex \`${merged.codex_repository}\` on branch \`${merged.target_branch}\` (environment \`${merged.environment}\`), direction ${merged.direction}, ${merged.duration_seconds} s in all.`,
    '',
    `${merged.total_projects} projects: ${merged.succeeded} succeeded (${merged.success_rate}%), ${merged.failed} failed, ${merged.skipped} skipped.`,
    '',
    '| phase | direction | status | shards | projects | succeeded | failed | skipped | deferred | files synced | files deleted | commits | seconds |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...merged.phases.map(
      phase =>
        `| ${phase.phase} | ${phase.direction} | ${phase.status} | ${phase.shards} | ${phase.total_projects} | ${phase.succeeded} | ${phase.failed} | ${phase.skipped} | ${phase.deferred} | ${phase.files_synced} | ${phase.files_deleted} | ${phase.commits_created} | ${phase.duration_seconds} |`
    ),
    ''
  ]
  for (const phase of merged.phases.filter(entry => entry.error)) {
    lines.push(
      `**${phase.phase} could not start:** ${cell(phase.error ?? '')} — ${cell(phase.resolution ?? '')}`,
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
  const synced = projects.filter(project => project.status === 'synced')
  const listed = [...failed, ...synced].slice(0, MAX_SUMMARY_ROWS)
  return { listed, unlisted: projects.length - listed.length }
}

function projectRow(project: ProjectResult): string {
  return `| ${cell(project.project)} | ${project.status} | ${project.files_added} | ${project.files_modified} | ${project.files_deleted} | ${cell(details(project))} |`
}

function details(project: ProjectResult): string {
  switch (project.status) {
    case 'skipped':
      return project.reason
    case 'failed':
      return project.error
    case 'unchanged':
      return ''
    case 'synced':
      if ('planned' in project) return plannedPaths(project.planned)
      return project.pull_request_url ?? project.commit_url
  }
}

/** Paths a dry run would write, the first few of them: the `result` output has them all. */
const PLANNED_PATHS_SHOWN = 10

function plannedPaths(planned: PlannedPaths): string {
  const paths = [...planned.added, ...planned.modified, ...planned.deleted.map(path => `-${path}`)]
  const more = paths.length - PLANNED_PATHS_SHOWN
  return paths.slice(0, PLANNED_PATHS_SHOWN).join(', ') + (more > 0 ? ` and ${more} more` : '')
}
