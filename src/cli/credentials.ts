/** Where the command line's token comes from: GITHUB_TOKEN, GH_TOKEN, else the GitHub CLI's login. */
import { spawnSync } from 'node:child_process'
import { CodexSyncError } from '../model.js'

/** What running `gh` gave: its exit status and output, or the error that kept it from running. */
export interface CommandOutcome {
  status: number | null
  stdout: string
  stderr: string
  error?: Error
}

export type RunCommand = (command: string, args: string[]) => CommandOutcome

const HOW_TO_AUTHENTICATE =
  'Set GITHUB_TOKEN or GH_TOKEN to a token that can read every project, or log in with the GitHub CLI ' +
  '(gh auth login) so that `gh auth token` gives one; or pass --app-id with --private-key-file.'

/** No token from any of the three places. */
export class NoTokenError extends CodexSyncError {
  constructor(why: string) {
    super(
      `No GitHub token: GITHUB_TOKEN and GH_TOKEN are not set, and ${why}.`,
      HOW_TO_AUTHENTICATE
    )
  }
}

const runCommand: RunCommand = (command, args) => {
  const outcome = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 })
  return {
    status: outcome.status,
    stdout: outcome.stdout ?? '',
    stderr: outcome.stderr ?? '',
    ...(outcome.error ? { error: outcome.error } : {})
  }
}

/** The token: GITHUB_TOKEN, else GH_TOKEN, else `gh auth token` for the host of GITHUB_API_URL. */
export function resolveToken(
  env: Record<string, string | undefined>,
  run: RunCommand = runCommand
): string {
  const fromEnv = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim()
  if (fromEnv) return fromEnv
  const host = ghHostname(env.GITHUB_API_URL)
  const outcome = run('gh', ['auth', 'token', ...(host ? ['--hostname', host] : [])])
  if (outcome.error) {
    const missing = (outcome.error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new NoTokenError(
      missing
        ? 'the GitHub CLI (gh) is not installed'
        : `gh could not run (${outcome.error.message})`
    )
  }
  const token = outcome.stdout.trim()
  if (outcome.status !== 0 || token === '') {
    const said = outcome.stderr.trim().split('\n')[0] || `exit status ${outcome.status}`
    throw new NoTokenError(`\`gh auth token\` gave none (${said})`)
  }
  return token
}

/** The host `gh` knows the API by: none for github.com, else GHES's host or a GHE.com subdomain. */
export function ghHostname(apiUrl: string | undefined): string | undefined {
  if (!apiUrl?.trim()) return undefined
  let host: string
  try {
    host = new URL(apiUrl.trim()).host
  } catch {
    return undefined
  }
  return host === 'api.github.com' ? undefined : host.replace(/^api\./, '')
}
