/** The action: reads the inputs once into settings, runs the sync, and publishes its report. */
import * as core from '@actions/core'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSettings } from './inputs/settings.js'
import type { Log } from './model.js'
import { publish } from './report/outputs.js'
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

export async function run(): Promise<void> {
  try {
    const token = core.getInput('token')
    if (token) core.setSecret(token)
    const settings = parseSettings(name => core.getInput(name), process.env, readDotEnv)
    const result = await runSync(settings, { log: actionsLog })
    await publish(result, settings.failOnPartial)
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
