/** The action: reads the inputs once, runs the sync (or merges results), and publishes its report. */
import * as core from '@actions/core'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseTask } from './inputs/settings.js'
import { messageOf, type Log } from './model.js'
import { explain } from './report/explain.js'
import { mergeResults, readResultFiles } from './report/merge.js'
import { mergeReport, publish, runReport } from './report/outputs.js'
import { fatalResult } from './report/results.js'
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
  for (const name of ['token', 'private_key']) {
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
      const merged = mergeResults(readResultFiles(task.settings.results))
      await publish(mergeReport(merged), task.settings.failOnPartial)
      return
    }
    const result = await runSync(task.settings, { log: actionsLog })
    await publish(runReport(result), task.settings.failOnPartial)
  } catch (error) {
    await publishUnstarted(error, startedAt)
  }
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
