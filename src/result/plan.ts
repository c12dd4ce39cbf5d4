/** A plan across modes and shards: each project with the entry of every mode that handled it. */
import { CodexSyncError, nameKey, sameName } from '../model.js'
import { notInShard } from './merge.js'
import type { ProjectResult, ProjectStatus } from './project.js'
import type { RunResult } from './run.js'

/** A project in every mode of the plan: the entry of the shard that handled it, per mode. */
export interface PlannedProject {
  name: string
  modes: Map<string, ProjectResult>
}

/** Projects by name (case-insensitively), each with the entry of every mode that handled it. */
export function plannedProjects(results: RunResult[], modes: string[]): PlannedProject[] {
  const projects = new Map<string, PlannedProject>()
  for (const mode of modes) {
    for (const entry of results.filter(r => r.mode === mode).flatMap(r => r.projects)) {
      const key = nameKey(entry.project)
      const project = projects.get(key) ?? { name: entry.project, modes: new Map() }
      projects.set(key, project)
      // Shards list every project; the entry that counts is the one of the shard that handled it.
      const known = project.modes.get(mode)
      if (!known || notInShard(known)) project.modes.set(mode, entry)
    }
  }
  return [...projects.values()].sort((a, b) => a.name.localeCompare(b.name))
}

export function someIs(project: PlannedProject, status: ProjectStatus): boolean {
  return [...project.modes.values()].some(entry => entry.status === status)
}

/** The projects of a plan that neither change nor fail, by what kept them so. */
export interface QuietProjects {
  unchanged: PlannedProject[]
  /** Not reached before the run's budget ran out (or, in a dry run, not planned). */
  notReached: PlannedProject[]
  /** Skipped in every mode, with the first reason given. */
  skipped: { project: PlannedProject; reason: string }[]
}

export function quietProjects(projects: PlannedProject[]): QuietProjects {
  const quiet = projects.filter(project => !someIs(project, 'synced') && !someIs(project, 'failed'))
  const notReached = quiet.filter(project =>
    [...project.modes.values()].some(
      entry => entry.outcome === 'deferred' || entry.outcome === 'not-planned'
    )
  )
  const rest = quiet.filter(project => !notReached.includes(project))
  return {
    unchanged: rest.filter(project => someIs(project, 'unchanged')),
    notReached,
    skipped: rest
      .filter(project => !someIs(project, 'unchanged'))
      .map(project => ({
        project,
        reason:
          [...project.modes.values()]
            .map(entry => (entry.status === 'skipped' ? entry.reason : ''))
            .find(reason => reason !== '') ?? ''
      }))
  }
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
