/** The pictures a summary draws: where codex files went, which files changed, and which projects lag. */
import { DIRECTIONS, isMode } from '../model.js'
import type { PlannedPaths, ProjectResult, RoutedFile, RunResult } from './results.js'

/** Names shown in one cell; the rest are counted. */
const NAMES_SHOWN = 5
/** Rows of one picture at most: the summary stays far below GitHub's 1 MiB. */
const MAX_ROWS = 500
/** Tables longer than this are folded in <details>. */
const FOLD_ABOVE = 20
/** Paths listed for one project at most. */
const PATHS_SHOWN = 20

export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

function names(projects: string[]): string {
  if (projects.length === 0) return ''
  const shown = projects.slice(0, NAMES_SHOWN).join(', ')
  const more = projects.length - NAMES_SHOWN
  return `${projects.length}: ${shown}${more > 0 ? ` and ${more} more` : ''}`
}

/** A table of `items`, folded when long; only the rows shown are drawn (a codex may hold 50,000 files). */
function folded<T>(title: string, items: T[], row: (item: T) => string, table: string[]): string[] {
  const body = [...table, ...items.slice(0, MAX_ROWS).map(row)]
  if (items.length > MAX_ROWS) body.push('', `${items.length - MAX_ROWS} more rows are not shown.`)
  if (items.length <= FOLD_ABOVE) return [`### ${title}`, '', ...body, '']
  return [
    `### ${title}`,
    '',
    `<details><summary>${items.length} rows</summary>`,
    '',
    ...body,
    '',
    '</details>',
    ''
  ]
}

/** push modes: a row per codex file, with the projects it reached by outcome, or why none. */
export function routingPicture(routing: RoutedFile[] | undefined, dryRun: boolean): string[] {
  if (!routing || routing.length === 0) return []
  const verb = dryRun ? 'would be ' : ''
  const row = (file: RoutedFile) =>
    `| \`${cell(file.path)}\` | ${names(file.added)} | ${names(file.modified)} | ${names(file.unchanged)} | ${names(file.deleted)} | ${cell(file.nowhere ?? '')} |`
  return folded('Routing: codex files and the projects they reach', routing, row, [
    `| codex file | ${verb}added | ${verb}modified | unchanged | ${verb}deleted | goes to no project because |`,
    '| --- | --- | --- | --- | --- | --- |'
  ])
}

function changedPaths(project: ProjectResult): PlannedPaths | undefined {
  if (project.status !== 'synced') return undefined
  return 'planned' in project ? project.planned : project.paths
}

function pathList(paths: PlannedPaths): string {
  const all = [
    ...paths.added.map(path => `+${path}`),
    ...paths.modified.map(path => `~${path}`),
    ...paths.deleted.map(path => `-${path}`)
  ]
  const more = all.length - PATHS_SHOWN
  return (
    all
      .slice(0, PATHS_SHOWN)
      .map(path => `\`${cell(path)}\``)
      .join(' ') + (more > 0 ? ` and ${more} more` : '')
  )
}

/** Per changed project, the paths written (or planned): `+` added, `~` modified, `-` deleted. */
export function changedFiles(result: RunResult): string[] {
  const changed = result.projects.flatMap(project => {
    const paths = changedPaths(project)
    return paths ? [{ project: project.project, paths }] : []
  })
  if (changed.length === 0) return []
  const toCodex = isMode(result.mode) && DIRECTIONS[result.mode] === 'to-codex'
  const where = toCodex ? 'in the codex' : 'in each project'
  const row = ({ project, paths }: (typeof changed)[number]) =>
    `| ${cell(project)} | ${pathList(paths)} |`
  return folded(
    `Files ${result.dry_run ? 'a sync would write' : 'written'} ${where}`,
    changed,
    row,
    ['| project | files (+ added, ~ modified, - deleted) |', '| --- | --- |']
  )
}

/** Dry run: the projects a sync would change, those furthest behind first. */
export function driftPicture(result: RunResult): string[] {
  if (!result.dry_run) return []
  const behind = result.projects
    .filter(project => changedPaths(project) !== undefined)
    .map(project => ({
      project,
      files: project.files_added + project.files_modified + project.files_deleted
    }))
    .sort((a, b) => b.files - a.files || a.project.project.localeCompare(b.project.project))
  if (behind.length === 0)
    return ['### Drift', '', 'Every project is up to date with the codex.', '']
  const row = ({ project, files }: (typeof behind)[number]) =>
    `| ${cell(project.project)} | ${files} | ${project.files_added} | ${project.files_modified} | ${project.files_deleted} |`
  return folded('Drift: behind the codex, worst first', behind, row, [
    '| project | files behind | to add | to modify | to delete |',
    '| --- | ---: | ---: | ---: | ---: |'
  ])
}
