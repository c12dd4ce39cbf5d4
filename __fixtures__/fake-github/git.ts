// Thin, shell-free wrapper around the git CLI with an isolated environment.
import { spawn } from 'node:child_process'
import os from 'node:os'

export interface GitResult {
  code: number
  stdout: Buffer
  stderr: string
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly result: GitResult
  ) {
    super(`git ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`)
    this.name = 'GitError'
  }
}

export const BOT_NAME = 'codex-sync[bot]'
export const BOT_EMAIL = 'codex-sync[bot]@users.noreply.github.com'

/** Author and committer of commits GitHub creates for `login` (no author given). */
export function botIdent(login: string): { name: string; email: string; time: number; tz: string } {
  return {
    name: login,
    email: login === BOT_NAME ? BOT_EMAIL : `${login}@users.noreply.github.com`,
    time: Math.floor(Date.now() / 1000),
    tz: '+0000'
  }
}

/** Environment that never reads the user's or system's git config and never prompts. */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: BOT_NAME,
    GIT_AUTHOR_EMAIL: BOT_EMAIL,
    GIT_COMMITTER_NAME: BOT_NAME,
    GIT_COMMITTER_EMAIL: BOT_EMAIL
  }
}

const ENV = baseEnv()

/** Runs git with `--git-dir=<gitDir>` (omit gitDir for commands like init); never throws on exit code. */
export function runGit(
  gitDir: string | undefined,
  args: string[],
  input?: string | Buffer,
  env?: Record<string, string>
): Promise<GitResult> {
  const fullArgs = gitDir ? [`--git-dir=${gitDir}`, ...args] : args
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, {
      env: env ? { ...ENV, ...env } : ENV,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', code =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8')
      })
    )
    child.stdin.on('error', () => undefined) // git may exit before reading all input
    child.stdin.end(input ?? '')
  })
}

/** Runs git in a (bare) repository and returns stdout as UTF-8; throws GitError on failure. */
export async function git(
  repoDir: string,
  args: string[],
  input?: string | Buffer
): Promise<string> {
  const result = await runGit(repoDir, args, input)
  if (result.code !== 0) throw new GitError(args, result)
  return result.stdout.toString('utf8')
}
