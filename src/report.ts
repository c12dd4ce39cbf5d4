import * as core from '@actions/core'
import type { ProjectResult, RunResult } from './result.js'

/** Every output of action.yml, from the run's result. */
export function outputsOf(result: RunResult): Record<string, string> {
  return {
    status: result.status,
    succeeded: String(result.succeeded),
    failed: String(result.failed),
    skipped: String(result.skipped),
    files_synced: String(result.files_synced),
    files_deleted: String(result.files_deleted),
    commits_created: String(result.commits_created),
    result: resultOutput(result)
  }
}

/** GitHub keeps at most 1 MB of one step output; a margin stays for the other outputs' framing. */
export const MAX_RESULT_OUTPUT = 1_000_000 - 24_000

/**
 * The `result` output: the whole result when it fits, else without the dry run's planned paths,
 * else listing only the projects that changed or failed. `projects_left_out` says what was dropped.
 */
export function resultOutput(result: RunResult): string {
  const whole = JSON.stringify(result)
  if (whole.length <= MAX_RESULT_OUTPUT) return whole
  const withoutPaths = result.projects.map(({ planned: _planned, ...project }) => project)
  const slim = JSON.stringify({
    ...result,
    projects: withoutPaths,
    projects_left_out: 'planned paths'
  })
  if (slim.length <= MAX_RESULT_OUTPUT) return slim
  const changed = withoutPaths.filter(
    project => project.status === 'synced' || project.status === 'failed'
  )
  return JSON.stringify({
    ...result,
    projects: changed,
    projects_left_out: 'planned paths, unchanged and skipped projects'
  })
}

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
  if (result.failures.length > 0) {
    lines.push('### Failures', '', '| project | error | resolution |', '| --- | --- | --- |')
    for (const failure of result.failures.slice(0, MAX_SUMMARY_ROWS))
      lines.push(
        `| ${cell(failure.project)} | ${cell(failure.error)} | ${cell(failure.resolution)} |`
      )
    lines.push('')
  }
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
  if (project.reason) return project.reason
  if (project.error) return project.error
  if (project.pull_request_url) return project.pull_request_url
  if (project.commit_url) return project.commit_url
  if (project.planned) return plannedPaths(project.planned)
  return ''
}

/** Paths a dry run would write, the first few of them: the `result` output has them all. */
const PLANNED_PATHS_SHOWN = 10

function plannedPaths(planned: NonNullable<ProjectResult['planned']>): string {
  const paths = [...planned.added, ...planned.modified, ...planned.deleted.map(path => `-${path}`)]
  const more = paths.length - PLANNED_PATHS_SHOWN
  return paths.slice(0, PLANNED_PATHS_SHOWN).join(', ') + (more > 0 ? ` and ${more} more` : '')
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** Whether the step should fail: on failure, and on partial success when asked to. */
export function stepFails(result: RunResult, failOnPartial: boolean): boolean {
  return result.status === 'failure' || (failOnPartial && result.status === 'partial_success')
}

export async function publish(result: RunResult, failOnPartial: boolean): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(result))) core.setOutput(name, value)
  if (process.env.GITHUB_STEP_SUMMARY)
    await core.summary.addRaw(summaryMarkdown(result), true).write()
  core.info(
    `${result.status}: ${result.succeeded} succeeded, ${result.failed} failed, ${result.skipped} skipped; ` +
      `${result.files_synced} files synced, ${result.files_deleted} deleted, ${result.commits_created} commits.`
  )
  if (stepFails(result, failOnPartial)) {
    core.setFailed(
      result.error
        ? `${result.error} — ${result.resolution}`
        : `codex-sync ${result.mode}: ${result.status} (${result.failed} of ${result.total_projects} projects failed).`
    )
  }
}
