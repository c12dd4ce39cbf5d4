/** The routing picture of a push run: each codex file, the projects it reached, or why it reached none. */
import type { Config } from '../inputs/config.js'
import { ruleOf, type CodexFile, type PushModeRules } from '../plan/desired.js'
import { changedPaths, type ProjectResult } from '../result/project.js'
import type { RoutedFile } from '../result/run.js'

export class RoutingMatrix {
  /** Destination path -> codex file, the same in every project. */
  private readonly byDestination = new Map<string, CodexFile>()
  /** Codex paths routed anywhere, and per project those routed to it. */
  private readonly routed = new Set<string>()
  private readonly perProject = new Map<string, string[]>()

  constructor(
    private readonly rules: PushModeRules,
    private readonly files: CodexFile[],
    private readonly config: Config
  ) {
    for (const file of files) this.byDestination.set(rules.destination(file.path, config), file)
  }

  /** Records where a project's desired files come from (their destinations). */
  route(project: string, destinations: Iterable<string>): void {
    const paths: string[] = []
    for (const destination of destinations) {
      const file = this.byDestination.get(destination)
      if (!file) continue
      paths.push(file.path)
      this.routed.add(file.path)
    }
    this.perProject.set(project, paths)
  }

  /** One row per codex file, and one per deleted path the codex no longer holds. */
  report(results: ProjectResult[], others: RoutedFile[] = []): RoutedFile[] {
    const rows = new Map<string, RoutedFile>()
    const row = (path: string, nowhere?: string): RoutedFile => {
      const known = rows.get(path)
      if (known) return known
      const created = emptyRow(path, nowhere)
      rows.set(path, created)
      return created
    }
    for (const file of this.files)
      row(file.path, this.routed.has(file.path) ? undefined : this.nowhere(file))
    for (const result of results) {
      const changed = touchedPaths(result)
      if (!changed) continue
      const touched = new Set<string>()
      for (const destination of changed.added) {
        const file = this.byDestination.get(destination)
        if (file) touched.add(noteProject(row(file.path), 'added', result.project))
      }
      for (const destination of changed.modified) {
        const file = this.byDestination.get(destination)
        if (file) touched.add(noteProject(row(file.path), 'modified', result.project))
      }
      for (const destination of changed.deleted) {
        const file = this.byDestination.get(destination)
        const path = file?.path ?? this.sourceOf(destination)
        noteProject(
          row(path, file ? undefined : 'no longer in the codex'),
          'deleted',
          result.project
        )
      }
      for (const path of this.perProject.get(result.project) ?? []) {
        if (!touched.has(path)) noteProject(row(path), 'unchanged', result.project)
      }
    }
    const report = [...rows.values(), ...others]
    for (const file of report) {
      for (const kind of PROJECT_LISTS) if (file[kind].length > 1) file[kind].sort()
    }
    return report.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  /** The codex path a destination comes from (the destination less the mode's folder prefix). */
  private sourceOf(destination: string): string {
    const prefix = this.rules.destination('', this.config)
    return destination.startsWith(prefix) ? destination.slice(prefix.length) : destination
  }

  private nowhere(file: CodexFile): string {
    if (file.routing.kind === 'invalid')
      return `its frontmatter cannot be parsed: ${file.routing.error}`
    const rule = ruleOf(this.rules, file, this.config)
    if (rule === undefined) {
      return 'no codex_sync_include in its frontmatter, and no route of the config matches it'
    }
    if (rule.include === undefined && !this.rules.includeByDefault) {
      return 'its frontmatter has codex_sync_exclude but no codex_sync_include, which it needs to go anywhere'
    }
    return 'its codex_sync_include and codex_sync_exclude match no project of this run'
  }
}

const PROJECT_LISTS = ['added', 'modified', 'unchanged', 'deleted'] as const
type ProjectList = (typeof PROJECT_LISTS)[number]

/**
 * Most rows of a large codex name no project: they share one empty list until a project is noted
 * (a codex of 50,000 files would otherwise allocate 200,000 empty arrays at the end of the run).
 */
const NO_PROJECTS: string[] = Object.freeze([]) as unknown as string[]

function emptyRow(path: string, nowhere: string | undefined): RoutedFile {
  const row: RoutedFile = {
    path,
    added: NO_PROJECTS,
    modified: NO_PROJECTS,
    unchanged: NO_PROJECTS,
    deleted: NO_PROJECTS
  }
  if (nowhere) row.nowhere = nowhere
  return row
}

/** Adds a project to one list of a row; returns the row's path. */
function noteProject(row: RoutedFile, kind: ProjectList, project: string): string {
  if (row[kind] === NO_PROJECTS) row[kind] = [project]
  else row[kind].push(project)
  return row.path
}

/** What a project's sync did to its files; nothing at all for a project in sync. */
function touchedPaths(
  result: ProjectResult
): { added: string[]; modified: string[]; deleted: string[] } | undefined {
  if (result.status === 'unchanged') return { added: [], modified: [], deleted: [] }
  return changedPaths(result)
}
