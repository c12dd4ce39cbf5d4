/** The command line's binding: flags in, the engine of the action, the result on a terminal or as JSON out. */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InputError, parseSettings, type InputReader, type Settings } from '../inputs/settings.js'
import { isMode, MODES } from '../model.js'
import { explain } from '../result/explain.js'
import { fatalResult, type RunResult } from '../result/run.js'
import { terminalSummary } from '../report/terminal.js'
import { runSync } from '../sync.js'
import { resolveToken, type RunCommand } from './credentials.js'
import {
  FLAGS,
  flagName,
  parseCommandLine,
  usageText,
  UsageError,
  type CommandLine
} from './flags.js'
import { TerminalLog, type TextStream } from './terminal-log.js'

/** What the command line runs with: process.* in dist/cli.js, stand-ins in tests. */
export interface CliContext {
  stdout: TextStream
  stderr: TextStream
  env: Record<string, string | undefined>
  cwd: string
  /** Runs `gh auth token` when no token is in the environment. */
  runCommand?: RunCommand
}

export const EXIT_SUCCESS = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** Runs the command line; resolves to the exit code. */
export async function runCli(args: readonly string[], context: CliContext): Promise<number> {
  const startedAt = Date.now()
  let line: CommandLine
  let settings: Settings
  try {
    line = parseCommandLine(args)
    if (line.help) {
      context.stdout.write(usageText())
      return EXIT_SUCCESS
    }
    settings = readSettings(line, context)
  } catch (error) {
    return usageFailure(error, context.stderr)
  }
  const log = new TerminalLog(context.stderr, line.verbose)
  let result: RunResult
  try {
    if (settings.auth.kind === 'token') {
      settings = {
        ...settings,
        auth: { kind: 'token', token: resolveToken(context.env, context.runCommand) }
      }
    }
    result = await runSync(settings, { log })
  } catch (error) {
    result = unstarted(settings, error, startedAt)
  }
  log.finish()
  if (line.json) {
    context.stdout.write(`${JSON.stringify(result)}\n`)
    if (result.error) log.error(`${result.error} ${result.resolution ?? ''}`)
  } else {
    context.stdout.write(terminalSummary(result))
  }
  const fails =
    result.status === 'failure' || (settings.failOnPartial && result.status === 'partial_success')
  return fails ? EXIT_FAILURE : EXIT_SUCCESS
}

/** The result of a run that found no token: nothing was attempted (the context as sync.ts makes it). */
function unstarted(settings: Settings, error: unknown, startedAt: number): RunResult {
  const { error: message, resolution } = explain(error, settings.organization)
  const { mode, organization, environment, dryRun, codexRepository = '' } = settings
  const context = { mode, organization, environment, dryRun, codexRepository, codexBranch: '' }
  return fatalResult({ ...context, startedAt }, message, resolution)
}

/** A placeholder until the token is looked up: flags are checked before `gh` is ever run. */
const TOKEN_LATER = 'token-from-the-environment'

/** Settings from the flags, read by the action's own parser; throws UsageError or InputError. */
export function readSettings(
  line: CommandLine,
  context: Pick<CliContext, 'env' | 'cwd'>
): Settings {
  if (line.command === undefined) throw new UsageError('a command is needed: plan or sync')
  const mode = line.inputs.mode ?? ''
  if (!isMode(mode)) {
    throw new UsageError(
      mode === '' ? '--mode is required' : `--mode must be ${MODES.join(', ')}, got '${mode}'`
    )
  }
  const inputs = { ...line.inputs }
  for (const spec of FLAGS.filter(entry => entry.file && inputs[entry.input] !== undefined)) {
    inputs[spec.input] = readFlagFile(flagName(spec), inputs[spec.input] ?? '', context.cwd)
  }
  if (line.command === 'plan') inputs.dry_run = 'true'
  const withApp = (inputs.app_id ?? '') !== '' || (inputs.private_key ?? '') !== ''
  const input: InputReader = name =>
    name === 'token' ? (withApp ? '' : TOKEN_LATER) : (inputs[name] ?? '')
  return parseSettings(input, context.env, () => readDotEnv(context.cwd))
}

function readFlagFile(flag: string, path: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8')
  } catch (error) {
    throw new UsageError(`${flag} ${path}: the file cannot be read (${(error as Error).message})`)
  }
}

/** The `.env` of the current folder, where CODEX_GITHUB_ORG / CODEX_GITHUB_REPO may be kept. */
function readDotEnv(cwd: string): string | undefined {
  const path = join(cwd, '.env')
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

/** Where bad usage sends the user for the rest: the full usage text is `--help`. */
export const SEE_HELP = '(see codex-sync --help)'

/** Bad usage: one line naming what is wrong, in terms of flags, and where the usage text is; exit 2. */
function usageFailure(error: unknown, stderr: TextStream): number {
  if (error instanceof InputError || error instanceof UsageError) {
    const message = error instanceof InputError ? asFlags(error.message) : error.message
    stderr.write(`codex-sync: ${message.replace(/\s*\n\s*/g, ' ')} ${SEE_HELP}\n`)
    return EXIT_USAGE
  }
  throw error
}

const FLAG_OF_INPUT = new Map(FLAGS.map(spec => [spec.input, flagName(spec)]))

/** The parser speaks of inputs (`Input 'parallel' must be ...`): the command line names its flags. */
export function asFlags(message: string): string {
  return message.replace(
    /\b([Ii]nputs? |with )'([a-z_]+)'/g,
    (quoted, before: string, input: string) => {
      const flag = FLAG_OF_INPUT.get(input)
      if (flag === undefined) return quoted
      return before === 'with ' ? `with ${flag}` : flag
    }
  )
}
