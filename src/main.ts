/** The action: reads the inputs once, runs the sync (or merges results), and publishes its report. */
import * as core from '@actions/core'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RunBudget } from './github/budget.js'
import { createGitHub } from './github/client.js'
import type { MarkedComment } from './github/comments.js'
import { parseTask, type MergeSettings, type PlanComment } from './inputs/settings.js'
import { messageOf, type Log } from './model.js'
import { explain } from './result/explain.js'
import { mergeResults, readResultFiles, type MergedResult } from './result/merge.js'
import { planCodex } from './result/plan.js'
import { link, text } from './report/markdown.js'
import { mergeReport, publish, runReport } from './report/outputs.js'
import { PLAN_MARKER, planCommentMarkdown, planFailureMarkdown } from './report/plan-comment.js'
import { fatalResult, type RunResult } from './result/run.js'
import { runSync } from './sync.js'

const actionsLog: Log = {
  info: message => core.info(message),
  debug: message => core.debug(message),
  warning: (message, properties) => core.warning(message, properties),
  error: (message, properties) => core.error(message, properties)
}

/** The `.env` file of the workspace, where CODEX_GITHUB_ORG / CODEX_GITHUB_REPO may be kept. */
function readDotEnv(): string | undefined {
  const path = join(process.env.GITHUB_WORKSPACE ?? process.cwd(), '.env')
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

/** Secrets never reach the log: a multi-line key is masked line by line as well as whole. */
function maskSecrets(): void {
  for (const name of ['token', 'private_key', 'state_key']) {
    const value = core.getInput(name)
    if (!value) continue
    core.setSecret(value)
    for (const line of value.split(/\r?\n|\\n/)) if (line.trim().length > 8) core.setSecret(line)
  }
}

export async function run(): Promise<void> {
  const startedAt = Date.now()
  try {
    maskSecrets()
    const task = parseTask(name => core.getInput(name), process.env, readDotEnv)
    if (task.task === 'merge') {
      await runMerge(task.settings)
      return
    }
    const result = await runSync(task.settings, { log: actionsLog })
    await publish(runReport(result), task.settings.failOnPartial)
  } catch (error) {
    await publishUnstarted(error, startedAt)
  }
}

/** `mode: merge`: one report of the results, and with `plan_comment` the plan on the pull request. */
async function runMerge(settings: MergeSettings): Promise<void> {
  const target = settings.planComment
  let results: RunResult[]
  let merged: MergedResult
  try {
    results = readResultFiles(settings.results)
    merged = mergeResults(results)
  } catch (error) {
    // An earlier plan must not stand unchallenged: the comment says this one could not be made.
    if (target) await commentPlanFailure(target, error)
    throw error
  }
  const report = mergeReport(merged)
  let failure: string | undefined
  if (target) {
    try {
      const codex = planCodex(results, target.codexRepository)
      const body = planCommentMarkdown(results, merged, { runUrl: runUrl() })
      const written = await writePlanComment(target, codex, body)
      core.info(
        `Plan comment on pull request #${target.pullRequest} ${written.action}: ${written.url}`
      )
      if (written.unclaimed) core.warning(`Plan comment: ${written.unclaimed}.`)
      report.summary += `\nThe plan is in ${link(`the comment on pull request #${target.pullRequest}`, written.url)} (${written.action}).\n`
    } catch (error) {
      const { error: message, resolution } = explain(
        error,
        `${target.organization}/${target.codexRepository ?? 'codex'}`
      )
      core.error(`${message} — ${resolution}`, { title: 'codex-sync: plan comment not written' })
      report.summary += `\n**The plan comment was not written:** ${text(message)} — ${text(resolution)}\n`
      failure = `The plan comment on pull request #${target.pullRequest} was not written: ${message}`
    }
  }
  await publish(report, settings.failOnPartial)
  if (failure) core.setFailed(failure)
}

/** Writes the plan as the pull request's one marked comment, or updates it in place. */
async function writePlanComment(
  target: PlanComment,
  codex: string,
  body: string
): Promise<MarkedComment> {
  // One list and at most one write: no pacing needed, and a few minutes are plenty.
  const budget = new RunBudget(COMMENT_TIME_BUDGET_MS, 0, actionsLog)
  const github = createGitHub({
    ...target,
    parallel: 1,
    writeIntervalMs: 0,
    budget,
    log: actionsLog
  })
  return github.comments.writeMarked(codex, target.pullRequest, PLAN_MARKER, body)
}

const COMMENT_TIME_BUDGET_MS = 10 * 60_000

/** The plan could not be made: said in the comment, where the codex is known; never throws. */
async function commentPlanFailure(target: PlanComment, error: unknown): Promise<void> {
  if (target.codexRepository === undefined) return
  try {
    const explained = explain(error, `${target.organization}/${target.codexRepository}`)
    const body = planFailureMarkdown(explained.error, explained.resolution, runUrl())
    await writePlanComment(target, target.codexRepository, body)
  } catch (writing) {
    core.warning(`The plan comment could not say that the plan failed: ${messageOf(writing)}`)
  }
}

/** The workflow run's page, when the runner says where it is. */
function runUrl(): string | undefined {
  const {
    GITHUB_SERVER_URL: server,
    GITHUB_REPOSITORY: repository,
    GITHUB_RUN_ID: id
  } = process.env
  return server && repository && id ? `${server}/${repository}/actions/runs/${id}` : undefined
}

/** Inputs that cannot be read still give a failure result, outputs and a job summary. */
async function publishUnstarted(error: unknown, startedAt: number): Promise<void> {
  try {
    const { error: message, resolution } = explain(error, 'the workflow step')
    const result = fatalResult(
      {
        mode: core.getInput('mode').trim(),
        organization: core.getInput('organization').trim(),
        codexRepository: core.getInput('codex_repository').trim(),
        environment: core.getInput('environment').trim(),
        codexBranch: '',
        dryRun: core.getInput('dry_run').trim().toLowerCase() === 'true',
        startedAt
      },
      message,
      resolution
    )
    await publish(runReport(result), false)
  } catch (publishing) {
    core.setFailed(
      `${messageOf(error)} (and the report could not be written: ${messageOf(publishing)})`
    )
  }
}
