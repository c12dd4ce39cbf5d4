/** The step's outputs, job summary and exit status: the report's binding to @actions/core. */
import * as core from '@actions/core'
import type { MergedResult } from '../result/merge.js'
import type { ProjectResult } from '../result/project.js'
import type { RunResult, RunStatus } from '../result/run.js'
import { isNoteworthy } from './pictures.js'
import { mergedSummaryMarkdown, summaryMarkdown } from './summary.js'

/** Every output of action.yml, from the run's result. */
export function outputsOf(result: RunResult): Record<string, string> {
  return { ...countOutputs(result, result.failures), result: resultOutput(result) }
}

/** GitHub keeps at most 1 MB of one step output; a margin stays for the other outputs' framing. */
export const MAX_RESULT_OUTPUT = 1_000_000 - 24_000

/**
 * The `result` output: the whole result when it fits, else without the dry run's planned paths,
 * else listing only the projects that changed or failed. `projects_left_out` says what was dropped.
 */
export function resultOutput(result: RunResult): string {
  if (leastJsonLength(result) <= MAX_RESULT_OUTPUT) {
    const whole = JSON.stringify(result)
    if (whole.length <= MAX_RESULT_OUTPUT) return whole
  }
  const withoutPaths = result.projects.map(withoutPlannedPaths)
  const { routing: _routing, ...withoutRouting } = result
  const slim = JSON.stringify({
    ...withoutRouting,
    projects: withoutPaths,
    projects_left_out: 'paths and routing'
  })
  if (slim.length <= MAX_RESULT_OUTPUT) return slim
  const changed = withoutPaths.filter((_, index) =>
    isNoteworthy(result.projects[index] as ProjectResult)
  )
  return JSON.stringify({
    ...withoutRouting,
    projects: changed,
    projects_left_out: 'paths and routing, projects in sync and skipped projects'
  })
}

/** What one routing row and one project take in JSON at the least (empty lists, a short name). */
const ROUTED_FILE_MIN_JSON = 60
const PROJECT_MIN_JSON = 30

/** A lower bound of the result's JSON length: a codex of 50,000 files need not be written out to see it is too long. */
function leastJsonLength(result: RunResult): number {
  const routing = (result.routing ?? []).reduce(
    (sum, file) => sum + file.path.length + ROUTED_FILE_MIN_JSON,
    0
  )
  return routing + result.projects.length * PROJECT_MIN_JSON
}

function withoutPlannedPaths(project: ProjectResult): object & Pick<ProjectResult, 'status'> {
  switch (project.outcome) {
    case 'planned': {
      const { planned: _planned, ...rest } = project
      return rest
    }
    case 'committed':
    case 'pull-request': {
      const { paths: _paths, ...rest } = project
      return rest
    }
    default:
      return project
  }
}

/** Whether the step should fail: on failure, and on partial success when asked to. */
export function stepFails(result: { status: RunStatus }, failOnPartial: boolean): boolean {
  return result.status === 'failure' || (failOnPartial && result.status === 'partial_success')
}

/** What a step publishes: its outputs, its job summary, a closing log line, and why it fails. */
export interface StepReport {
  status: RunStatus
  outputs: Record<string, string>
  summary: string
  line: string
  failure: string
}

type Counts = Pick<
  RunResult,
  | 'status'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'files_synced'
  | 'files_deleted'
  | 'commits_created'
>

function countOutputs(result: Counts, failures: { project: string }[]): Record<string, string> {
  return {
    status: result.status,
    succeeded: String(result.succeeded),
    failed: String(result.failed),
    skipped: String(result.skipped),
    files_synced: String(result.files_synced),
    files_deleted: String(result.files_deleted),
    commits_created: String(result.commits_created),
    failed_projects: [...new Set(failures.map(failure => failure.project))].join(',')
  }
}

function countLine(result: Counts): string {
  return (
    `${result.status}: ${result.succeeded} succeeded, ${result.failed} failed, ${result.skipped} skipped; ` +
    `${result.files_synced} files synced, ${result.files_deleted} deleted, ${result.commits_created} commits.`
  )
}

export function runReport(result: RunResult): StepReport {
  return {
    status: result.status,
    outputs: outputsOf(result),
    summary: summaryMarkdown(result),
    line: countLine(result),
    failure: result.error
      ? `${result.error} — ${result.resolution}`
      : `codex-sync ${result.mode}: ${result.status} (${result.failed} of ${result.total_projects} projects failed).`
  }
}

export function mergeReport(merged: MergedResult): StepReport {
  return {
    status: merged.status,
    outputs: { ...countOutputs(merged, merged.failures), result: JSON.stringify(merged) },
    summary: mergedSummaryMarkdown(merged),
    line: countLine(merged),
    failure: `codex-sync (${merged.phases.map(phase => phase.phase).join(', ')}): ${merged.status} (${merged.failed} of ${merged.total_projects} projects failed).`
  }
}

export async function publish(report: StepReport, failOnPartial: boolean): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(report.summary, true).write()
  core.info(report.line)
  if (stepFails(report, failOnPartial)) core.setFailed(report.failure)
}
