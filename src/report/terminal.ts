/** The run's result for a terminal: what the job summary shows, as plain text with aligned columns. */
import { changedPaths, type ProjectResult } from '../result/project.js'
import type { RunResult } from '../result/run.js'
import { isNoteworthy, markedPaths } from './pictures.js'

/** Beyond this many projects, the table lists only those that changed or failed. */
export const TERMINAL_ROWS = 50
/** Planned paths listed per project in a dry run; the result JSON has them all. */
export const TERMINAL_PATHS = 20

/** Header, counts, a row per project, the planned paths of a dry run, and the failures with what to do. */
export function terminalSummary(result: RunResult): string {
  const lines = [
    `codex-sync ${result.mode}: ${result.status}${result.dry_run ? ' (dry run: planned, nothing written)' : ''}`,
    `${codexLine(result)}, ${result.duration_seconds} s`,
    '',
    countLine(result)
  ]
  if (result.error) {
    lines.push(
      '',
      `The run could not start: ${result.error}`,
      `What to do: ${result.resolution ?? ''}`
    )
  }
  for (const warning of result.warnings) lines.push('', `Warning: ${warning}`)
  if (result.orphans) {
    const { status, folders, files_deleted: deleted, reason } = result.orphans
    lines.push(
      '',
      `Folders of repositories that no longer exist, ${status}${reason ? ` (${reason})` : ''}: ${folders.join(', ')}; ${deleted} files deleted.`
    )
  }
  lines.push(...projectTable(result.projects), ...plannedSection(result.projects))
  if (result.failures.length > 0) {
    lines.push('', 'failures:')
    for (const failure of result.failures) {
      lines.push(`  ${failure.project}: ${failure.error}`, `    what to do: ${failure.resolution}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** Where the run read and wrote; a run that could not start may not have found the codex or its branch. */
function codexLine(result: RunResult): string {
  const codex = result.codex_repository
    ? `codex ${result.organization}/${result.codex_repository}`
    : `organization ${result.organization || '(none)'}, codex not resolved`
  const branch = result.codex_branch ? `, branch ${result.codex_branch}` : ''
  return `${codex}${branch} (environment ${result.environment})`
}

function countLine(result: RunResult): string {
  const [synced, deleted] = result.dry_run ? ['to sync', 'to delete'] : ['synced', 'deleted']
  return (
    `${result.total_projects} projects: ${result.succeeded} succeeded, ${result.failed} failed, ${result.skipped} skipped; ` +
    `${result.files_synced} files ${synced}, ${result.files_deleted} ${deleted}, ${result.commits_created} commits`
  )
}

function projectTable(projects: ProjectResult[]): string[] {
  if (projects.length === 0) return []
  const listed = projects.length <= TERMINAL_ROWS ? projects : projects.filter(isNoteworthy)
  const rows = [
    ['project', 'status', 'added', 'modified', 'deleted', 'details'],
    ...listed.map(project => [
      project.project,
      project.status,
      String(project.files_added),
      String(project.files_modified),
      String(project.files_deleted),
      details(project)
    ])
  ]
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map(row => (row[column] ?? '').length))
  )
  const numeric = new Set([2, 3, 4])
  const lines = rows.map(row =>
    row
      .map((text, column) => {
        const width = widths?.[column] ?? 0
        if (column === row.length - 1) return text
        return numeric.has(column) ? text.padStart(width) : text.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  )
  const unlisted = projects.length - listed.length
  if (unlisted > 0) lines.push(`(${unlisted} projects in sync or skipped not listed)`)
  return ['', ...lines]
}

/** One line of what became of a project; a failure's whole text follows under failures. */
function details(project: ProjectResult): string {
  switch (project.outcome) {
    case 'committed':
      return project.commit_url
    case 'pull-request':
      return `${project.pull_request_url}${project.delivery ? ` (${project.delivery})` : ''}`
    case 'waiting-for-review':
      return `waiting for review in #${project.pull_request_number}: ${project.pull_request_url}`
    case 'planned':
      return 'planned below'
    case 'in-sync':
      return ''
    case 'failed':
      return firstLine(project.error)
    default:
      return project.reason
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 100 ? `${line.slice(0, 99)}…` : line
}

/** A dry run's planned paths, per project: `+` added, `~` modified, `-` deleted. */
function plannedSection(projects: ProjectResult[]): string[] {
  const planned = projects.flatMap(project => {
    const paths = project.outcome === 'planned' ? changedPaths(project) : undefined
    return paths ? [{ name: project.project, paths }] : []
  })
  if (planned.length === 0) return []
  const lines = ['', 'planned (+ add, ~ modify, - delete):']
  for (const { name, paths } of planned) {
    const { shown, more } = markedPaths(paths, TERMINAL_PATHS)
    lines.push(`  ${name}`, ...shown.map(path => `    ${path.slice(0, 1)} ${path.slice(1)}`))
    if (more > 0) lines.push(`    … and ${more} more (the result JSON lists them all)`)
  }
  return lines
}
