/** Merges the results of earlier runs (shards of a mode, and the modes as phases) into one report. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CodexSyncError, DIRECTIONS, isMode, MODES, nameKey, sameName } from '../model.js'
import type { ProjectResult } from './project.js'
import { runStatus, type Failure, type RunResult, type RunStatus } from './run.js'

export type Direction = 'to-codex' | 'from-codex' | 'bidirectional'

/** One mode's runs (its shards) merged: the counts of the org-syncer report's phases. */
export interface PhaseResult {
  phase: string
  direction: Exclude<Direction, 'bidirectional'>
  status: RunStatus
  /** The codex branch the phase wrote (pull-docs) or read (push modes). */
  codex_branch: string
  shards: number
  total_projects: number
  succeeded: number
  failed: number
  skipped: number
  deferred: number
  files_synced: number
  files_deleted: number
  commits_created: number
  duration_seconds: number
  error?: string
  resolution?: string
}

export interface PhaseFailure extends Failure {
  phase: string
}

/** The merged report, in the shape of the org-syncer's result. */
export interface MergedResult {
  status: RunStatus
  organization: string
  codex_repository: string
  environment: string
  target_branch: string
  direction: Direction
  dry_run: boolean
  /** Distinct projects seen in any phase. */
  total_projects: number
  /** Projects that succeeded in every phase that attempted them. */
  succeeded: number
  /** Projects that failed in at least one phase. */
  failed: number
  /** Projects no phase attempted. */
  skipped: number
  /** succeeded / (succeeded + failed), in percent with one decimal; 100 when nothing was attempted. */
  success_rate: number
  files_synced: number
  files_deleted: number
  commits_created: number
  /** The phases run one after another: the sum of their durations. */
  duration_seconds: number
  phases: PhaseResult[]
  failures: PhaseFailure[]
  /** Each phase's warnings, once each, named by its phase. */
  warnings: string[]
  /** Failures beyond those listed (GitHub keeps 1 MB of an output). */
  failures_left_out?: number
  /** `phase_1`, `phase_2`, ... as the org-syncer names them. */
  [phase: `phase_${number}`]: PhaseResult
}

/** Failures listed in the merged result; the counts stay whole. */
const MAX_FAILURES = 1000

/** A result file that is not a codex-sync result: the merge names it and stops. */
export class ResultFileError extends CodexSyncError {
  constructor(message: string) {
    super(
      message,
      "Give input 'results' the files or folders that hold the 'result' outputs of codex-sync runs (for example the downloaded result artifacts)."
    )
  }
}

/** Checks what a parsed file must hold to be merged; `source` names the file in the error. */
export function asRunResult(value: unknown, source: string): RunResult {
  const result = value as Partial<RunResult> | null
  const valid =
    typeof result === 'object' &&
    result !== null &&
    typeof result.mode === 'string' &&
    typeof result.status === 'string' &&
    Array.isArray(result.projects) &&
    Array.isArray(result.failures) &&
    typeof result.duration_seconds === 'number' &&
    result.projects.every(isProjectEntry)
  if (!valid) {
    throw new ResultFileError(
      `${source} is not a codex-sync result (the JSON of its 'result' output)`
    )
  }
  return result as RunResult
}

const STATUSES: readonly unknown[] = ['synced', 'unchanged', 'skipped', 'failed']

/** What every project entry holds, whatever its outcome: the merge counts by these fields. */
function isProjectEntry(value: unknown): boolean {
  const entry = value as Partial<Record<keyof ProjectResult, unknown>> | null
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.project === 'string' &&
    STATUSES.includes(entry.status) &&
    typeof entry.outcome === 'string' &&
    [entry.files_added, entry.files_modified, entry.files_deleted].every(
      count => typeof count === 'number'
    )
  )
}

/** Every result JSON in the given files and folders (folders are searched for `*.json`). */
export function readResultFiles(paths: string[]): RunResult[] {
  return paths.flatMap(jsonFiles).map(file => {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'))
    } catch (error) {
      throw new ResultFileError(
        `${file} cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`
      )
    }
    return asRunResult(parsed, file)
  })
}

function jsonFiles(path: string): string[] {
  let stats
  try {
    stats = statSync(path)
  } catch {
    throw new ResultFileError(`${path} does not exist`)
  }
  if (!stats.isDirectory()) return [path]
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const child = join(path, entry.name)
      if (entry.isDirectory()) return jsonFiles(child)
      return entry.name.endsWith('.json') ? [child] : []
    })
}

export function mergeResults(results: RunResult[]): MergedResult {
  if (results.length === 0) throw new ResultFileError('No result files were found to merge')
  const first = results[0] as RunResult
  const phases = phaseOrder(results).map(mode =>
    mergePhase(results.filter(result => result.mode === mode))
  )
  const byProject = projectOutcomes(results)
  const failed = [...byProject.values()].filter(outcome => outcome === 'failed').length
  const succeeded = [...byProject.values()].filter(outcome => outcome === 'succeeded').length
  const failures = phaseFailures(results)
  const sum = (pick: (phase: PhaseResult) => number) =>
    phases.reduce((total, phase) => total + pick(phase), 0)
  const attempted = succeeded + failed
  const merged: MergedResult = {
    status: phases.some(phase => phase.error) ? 'failure' : runStatus(succeeded, failed),
    organization: first.organization,
    codex_repository: first.codex_repository,
    environment: first.environment,
    target_branch: first.codex_branch,
    direction: directionOf(phases),
    dry_run: results.some(result => result.dry_run),
    total_projects: byProject.size,
    succeeded,
    failed,
    skipped: byProject.size - attempted,
    success_rate: attempted === 0 ? 100 : Math.round((succeeded / attempted) * 1000) / 10,
    files_synced: sum(phase => phase.files_synced),
    files_deleted: sum(phase => phase.files_deleted),
    commits_created: sum(phase => phase.commits_created),
    duration_seconds: Math.round(sum(phase => phase.duration_seconds) * 10) / 10,
    phases,
    failures: failures.slice(0, MAX_FAILURES),
    warnings: [
      ...new Set(
        results.flatMap(result =>
          (Array.isArray(result.warnings) ? result.warnings : []).map(
            warning => `${result.mode}: ${String(warning)}`
          )
        )
      )
    ]
  }
  if (failures.length > MAX_FAILURES) merged.failures_left_out = failures.length - MAX_FAILURES
  phases.forEach((phase, index) => (merged[`phase_${index + 1}`] = phase))
  return merged
}

function phaseOrder(results: RunResult[]): string[] {
  const modes = [...new Set(results.map(result => result.mode))]
  const rank = (mode: string) => {
    const index = (MODES as readonly string[]).indexOf(mode)
    return index < 0 ? MODES.length : index
  }
  return modes.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** The shards of one mode: each project counted once, from the shard that handled it. */
function mergePhase(shards: RunResult[]): PhaseResult {
  const first = shards[0] as RunResult
  const projects = handledProjects(shards)
  const count = (status: ProjectResult['status']) =>
    projects.filter(project => project.status === status).length
  const sum = (pick: (result: RunResult) => number) =>
    shards.reduce((total, result) => total + pick(result), 0)
  const failedShard = shards.find(result => result.error)
  const succeeded = count('synced') + count('unchanged')
  const phase: PhaseResult = {
    phase: first.mode,
    direction: isMode(first.mode) ? DIRECTIONS[first.mode] : 'from-codex',
    status: failedShard ? 'failure' : runStatus(succeeded, count('failed')),
    codex_branch: first.codex_branch,
    shards: shards.length,
    total_projects: projects.length,
    succeeded,
    failed: count('failed'),
    skipped: count('skipped'),
    deferred: projects.filter(project => project.outcome === 'deferred').length,
    files_synced: sum(result => result.files_synced),
    files_deleted: sum(result => result.files_deleted),
    commits_created: sum(result => result.commits_created),
    // Shards run side by side: the phase lasts as long as its longest shard.
    duration_seconds: Math.max(...shards.map(result => result.duration_seconds))
  }
  if (failedShard) {
    phase.error = failedShard.error
    phase.resolution = failedShard.resolution
  }
  return phase
}

/** Per project, the entry of the shard that handled it (any entry but "not in shard"). */
function handledProjects(shards: RunResult[]): ProjectResult[] {
  const chosen = new Map<string, ProjectResult>()
  for (const project of shards.flatMap(result => result.projects)) {
    const key = nameKey(project.project)
    const known = chosen.get(key)
    if (!known || (notInShard(known) && !notInShard(project))) chosen.set(key, project)
  }
  return [...chosen.values()]
}

export function notInShard(project: ProjectResult): boolean {
  return project.outcome === 'not-in-shard'
}

type Outcome = 'succeeded' | 'failed' | 'skipped'

/** A project failed if any phase failed it, succeeded if every phase that attempted it succeeded. */
function projectOutcomes(results: RunResult[]): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>()
  for (const mode of phaseOrder(results)) {
    for (const project of handledProjects(results.filter(result => result.mode === mode))) {
      const key = nameKey(project.project)
      const outcome: Outcome =
        project.status === 'failed'
          ? 'failed'
          : project.status === 'skipped'
            ? 'skipped'
            : 'succeeded'
      const known = outcomes.get(key)
      if (known === 'failed' || (known === 'succeeded' && outcome === 'skipped')) continue
      outcomes.set(key, outcome)
    }
  }
  return outcomes
}

function phaseFailures(results: RunResult[]): PhaseFailure[] {
  const failures: PhaseFailure[] = []
  for (const mode of phaseOrder(results)) {
    const seen: string[] = []
    for (const result of results.filter(entry => entry.mode === mode)) {
      for (const failure of result.failures) {
        if (seen.some(name => sameName(name, failure.project))) continue
        seen.push(failure.project)
        failures.push({
          project: failure.project,
          phase: mode,
          error: failure.error,
          resolution: failure.resolution
        })
      }
    }
  }
  return failures
}

function directionOf(phases: PhaseResult[]): Direction {
  const directions = new Set(phases.map(phase => phase.direction))
  if (directions.size > 1) return 'bidirectional'
  return phases[0]?.direction ?? 'to-codex'
}
