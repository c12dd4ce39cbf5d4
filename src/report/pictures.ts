/** The pictures a summary draws: where codex files went, which files changed, and which projects lag. */
import { DIRECTIONS, isMode } from '../model.js'
import { changedPaths, type PlannedPaths, type ProjectResult } from '../result/project.js'
import type { RoutedFile, RunResult } from '../result/run.js'
import { code, fold, row, text } from './markdown.js'

/** Names shown in one cell; the rest are counted. */
const NAMES_SHOWN = 5
/** Rows of one picture at most: the summary stays far below GitHub's 1 MiB. */
const MAX_ROWS = 500
/** Tables longer than this are folded in <details>. */
const FOLD_ABOVE = 20
/** Paths listed for one project at most. */
const PATHS_SHOWN = 20

function names(projects: string[]): string {
  if (projects.length === 0) return ''
  const shown = projects.slice(0, NAMES_SHOWN).map(text).join(', ')
  const more = projects.length - NAMES_SHOWN
  return `${projects.length}: ${shown}${more > 0 ? ` and ${more} more` : ''}`
}

/** A table of `items`, folded when long; only the rows shown are drawn (a codex may hold 50,000 files). */
function table<T>(title: string, items: T[], draw: (item: T) => string, head: string[]): string[] {
  const body = [...head, ...items.slice(0, MAX_ROWS).map(draw)]
  if (items.length > MAX_ROWS) body.push('', `${items.length - MAX_ROWS} more rows are not shown.`)
  if (items.length <= FOLD_ABOVE) return [`### ${title}`, '', ...body, '']
  return [`### ${title}`, '', ...fold(`${items.length} rows`, body), '']
}

/** push modes: a row per codex file, with the projects it reached by outcome, or why none. */
export function routingPicture(routing: RoutedFile[] | undefined, dryRun: boolean): string[] {
  if (!routing || routing.length === 0) return []
  const verb = dryRun ? 'would be ' : ''
  const draw = (file: RoutedFile) =>
    row([
      code(file.path, true),
      names(file.added),
      names(file.modified),
      names(file.unchanged),
      names(file.deleted),
      text(file.nowhere ?? '')
    ])
  return table('Routing: codex files and the projects they reach', routing, draw, [
    `| codex file | ${verb}added | ${verb}modified | unchanged | ${verb}deleted | goes to no project because |`,
    '| --- | --- | --- | --- | --- | --- |'
  ])
}

/** Paths marked `+` added, `~` modified, `-` deleted; at most `most` of them, then a count. */
export function markedPaths(
  paths: PlannedPaths,
  most = Infinity
): { shown: string[]; more: number } {
  const all = [
    ...paths.added.map(path => `+${path}`),
    ...paths.modified.map(path => `~${path}`),
    ...paths.deleted.map(path => `-${path}`)
  ]
  const shown = all.slice(0, most)
  return { shown, more: all.length - shown.length }
}

function pathList(paths: PlannedPaths): string {
  const { shown, more } = markedPaths(paths, PATHS_SHOWN)
  return shown.map(path => code(path, true)).join(' ') + (more > 0 ? ` and ${more} more` : '')
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
  const draw = ({ project, paths }: (typeof changed)[number]) =>
    row([text(project), pathList(paths)])
  return table(
    `Files ${result.dry_run ? 'a sync would write' : 'written'} ${where}`,
    changed,
    draw,
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
  const draw = ({ project, files }: (typeof behind)[number]) =>
    row([
      text(project.project),
      String(files),
      String(project.files_added),
      String(project.files_modified),
      String(project.files_deleted)
    ])
  return table('Drift: behind the codex, worst first', behind, draw, [
    '| project | files behind | to add | to modify | to delete |',
    '| --- | ---: | ---: | ---: | ---: |'
  ])
}

/** Whether a project's result is worth a line when there are too many to list them all. */
export function isNoteworthy(project: ProjectResult): boolean {
  return (
    project.status === 'synced' ||
    project.status === 'failed' ||
    project.outcome === 'waiting-for-review'
  )
}
