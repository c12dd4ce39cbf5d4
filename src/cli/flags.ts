/** The command line's flags: one table of action inputs, from which parsing and the usage text come. */
import { MODES } from '../model.js'

/** `value` takes one value; `list` may be repeated (joined with commas); `switch` alone means true. */
export type FlagKind = 'value' | 'list' | 'switch'

export interface FlagSpec {
  /** The action.yml input the flag sets. */
  input: string
  kind: FlagKind
  /** The value's placeholder in the usage text. */
  value: string
  help: string
  /** The flag's name when it is not the input's name in kebab-case (which then still works too). */
  short?: string
  /** The value is a path: the input receives the file's contents. */
  file?: true
}

const flag = (
  input: string,
  kind: FlagKind,
  value: string,
  help: string,
  more: Pick<FlagSpec, 'short' | 'file'> = {}
): FlagSpec => ({ input, kind, value, help, ...more })

/** Every action input a command line can give, in the order of action.yml. */
export const FLAGS: readonly FlagSpec[] = [
  flag('mode', 'value', 'MODE', `what to sync: ${MODES.join(', ')} (required)`),
  flag('app_id', 'value', 'ID', 'GitHub App id, with --private-key-file, instead of a token'),
  flag('private_key', 'value', 'PATH', "the GitHub App's private key (PEM file): private_key", {
    short: 'private-key-file',
    file: true
  }),
  flag('organization', 'value', 'ORG', 'the organisation (required)', { short: 'org' }),
  flag('codex_repository', 'value', 'REPO', 'the codex; default: the only codex.* repository', {
    short: 'codex'
  }),
  flag('target_repository', 'list', 'NAME', 'only this project (repeat for more)', {
    short: 'project'
  }),
  flag('environment', 'value', 'NAME', 'environment, names the codex branch (default test)'),
  flag('config', 'value', 'PATH', 'config file in the codex (default .github/codex-sync.yml)'),
  flag('include', 'list', 'GLOB', 'repository names discovery keeps (default *)'),
  flag('exclude', 'list', 'GLOB', 'repository names discovery leaves out'),
  flag('parallel', 'value', 'N', 'projects processed at once, 1-50 (default 5)'),
  flag('dry_run', 'switch', '', 'plan and report, write nothing (plan always does)'),
  flag('commit_strategy', 'value', 'HOW', 'push modes: direct, pull-request or auto'),
  flag('codex_commit', 'value', 'HOW', 'pull-docs: per-project, single or auto'),
  flag('skip_ci', 'switch', '', 'direct sync commits carry [skip ci]'),
  flag('commit_message', 'value', 'TEXT', 'subject of the sync commits'),
  flag('pull_request_title', 'value', 'TEXT', 'title of the pull requests'),
  flag('pull_request_body', 'value', 'TEXT', 'body of the pull requests'),
  flag('pull_request_labels', 'list', 'LABEL', 'label of the pull requests (repeat for more)'),
  flag('pull_request_reviewers', 'list', 'LOGIN', 'reviewer, or org/team (repeat for more)'),
  flag('pull_request_draft', 'switch', '', 'open the pull requests as drafts'),
  flag('shard', 'value', 'I/N', 'handle the i-th of n partitions of the projects'),
  flag('write_interval_ms', 'value', 'MS', 'pause between writes (default 1000)'),
  flag('fail_on_partial', 'switch', '', 'exit 1 on partial_success too'),
  flag('time_budget_minutes', 'value', 'MIN', 'no project starts after this (default 50)'),
  flag('writes_per_hour', 'value', 'N', 'content writes allowed per hour, 0 = no limit'),
  flag('codex_ref', 'value', 'REF', 'push modes: plan against this codex ref, write nothing'),
  flag('state_key', 'value', 'PATH', 'file holding the secret that signs the codex state', {
    short: 'state-key-file',
    file: true
  }),
  flag('prune_orphans', 'switch', '', 'remove codex folders of repositories not listed')
]

/** The inputs of action.yml that no flag sets, and why. */
export const NOT_FLAGS: Readonly<Record<string, string>> = {
  token: 'the token comes from GITHUB_TOKEN, GH_TOKEN or `gh auth token`, never the command line',
  results: 'mode merge combines the result files of workflow runs; the command line runs syncs',
  plan_comment:
    'mode merge comments on a pull request of the codex from its workflow; the command line runs syncs'
}

export const COMMANDS = ['plan', 'sync'] as const
export type Command = (typeof COMMANDS)[number]

/** The command line as read: the command, the inputs it sets, and the command line's own options. */
export interface CommandLine {
  command: Command | undefined
  /** Input name -> value, as the action would read it (a file flag's value is still its path). */
  inputs: Record<string, string>
  json: boolean
  verbose: boolean
  help: boolean
}

/** A command line that cannot be read: exit 2 with one line naming what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

const kebab = (input: string): string => input.replace(/_/g, '-')

/** The flag a user writes for an input: its short name, else the input in kebab-case. */
export function flagName(spec: FlagSpec): string {
  return `--${namesOf(spec)[0] ?? ''}`
}

/** Every name of a flag, without dashes: its short name first, then the kebab-case input name. */
function namesOf(spec: FlagSpec): string[] {
  if (spec.short === undefined) return [kebab(spec.input)]
  return spec.file ? [spec.short] : [spec.short, kebab(spec.input)]
}

/** `name` (without dashes) -> the flag's spec. */
const BY_NAME = new Map<string, FlagSpec>(
  FLAGS.flatMap(spec => namesOf(spec).map(name => [name, spec] as const))
)

/** The command line's own switches, which set no input. */
const OWN_SWITCHES = { json: 'json', verbose: 'verbose', help: 'help' } as const

/** Reads `plan|sync [--flag value | --flag=value | --switch]...`; throws UsageError. */
export function parseCommandLine(args: readonly string[]): CommandLine {
  const line: CommandLine = {
    command: undefined,
    inputs: {},
    json: false,
    verbose: false,
    help: false
  }
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? ''
    if (arg === '-h') {
      line.help = true
      continue
    }
    if (!arg.startsWith('--') || arg === '--') {
      line.command = readCommand(line.command, arg)
      continue
    }
    const [name, inline] = splitFlag(arg.slice(2))
    if (Object.hasOwn(OWN_SWITCHES, name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`)
      line[OWN_SWITCHES[name as keyof typeof OWN_SWITCHES]] = true
      continue
    }
    const spec = BY_NAME.get(name)
    if (spec === undefined) throw new UsageError(`unknown flag --${name}`)
    let value = inline
    if (value === undefined && spec.kind !== 'switch') {
      const next = args[index + 1]
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${flagName(spec)} needs a value (${flagName(spec)} ${spec.value})`)
      value = next
      index++
    }
    setInput(line.inputs, spec, value ?? 'true')
  }
  return line
}

function readCommand(current: Command | undefined, arg: string): Command {
  if (current !== undefined) throw new UsageError(`unexpected argument '${arg}'`)
  const command = COMMANDS.find(candidate => candidate === arg)
  if (command === undefined)
    throw new UsageError(`unknown command '${arg}': the commands are ${COMMANDS.join(' and ')}`)
  return command
}

function splitFlag(text: string): [string, string | undefined] {
  const equals = text.indexOf('=')
  return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)]
}

function setInput(inputs: Record<string, string>, spec: FlagSpec, value: string): void {
  const earlier = inputs[spec.input]
  if (earlier === undefined) inputs[spec.input] = value
  else if (spec.kind === 'list') inputs[spec.input] = `${earlier},${value}`
  else throw new UsageError(`${flagName(spec)} is given twice`)
}

/** A flag as the usage text shows it: every name, then the value's placeholder. */
function synopsis(spec: FlagSpec): string {
  const names = namesOf(spec).map(name => `--${name}`)
  return `${names.join(', ')}${spec.value ? ` ${spec.value}` : ''}`
}

/** The usage text: the synopsis, the commands, every flag of the table, the token and exit codes. */
export const SYNOPSIS = 'usage: codex-sync plan|sync --org ORG --mode MODE [flags]'

/** The command line's own switches, as the usage text and the reference list them. */
export const OWN_FLAGS: readonly (readonly [string, string])[] = [
  ['--json', 'print exactly the result JSON on stdout'],
  ['--verbose', 'print debug lines on stderr'],
  ['-h, --help', 'print this text']
]

/** Every name of a flag and its value's placeholder, as the usage text shows them. */
export function flagSynopsis(spec: FlagSpec): string {
  return synopsis(spec)
}

export function usageText(): string {
  const rows = [...FLAGS.map(spec => [synopsis(spec), spec.help]), ...OWN_FLAGS]
  const width = Math.max(...rows.map(([left]) => (left ?? '').length))
  return [
    SYNOPSIS,
    '',
    'Runs one codex-sync mode from a terminal, with the engine and settings of the action.',
    '',
    'commands:',
    '  plan   a dry run: plans and reports every project, writes nothing',
    '  sync   syncs: writes where the mode writes (nothing with --dry-run)',
    '',
    'flags (each sets the action input of its name in snake_case):',
    ...rows.map(([left, help]) => `  ${(left ?? '').padEnd(width)}  ${help}`),
    '',
    'token: GITHUB_TOKEN, else GH_TOKEN, else `gh auth token`; or --app-id with --private-key-file.',
    'GITHUB_API_URL points at GitHub Enterprise Server (https://HOST/api/v3), as for the action, or at',
    'a local stand-in: `npm run playground` in a clone starts a fake GitHub with a sample organisation',
    'and prints the GITHUB_API_URL and GITHUB_TOKEN to export.',
    '',
    'not flags: token (from the environment, as above); results and plan_comment (mode merge, which',
    'combines the results of workflow runs, runs in workflows only).',
    '',
    'exit codes: 0 success, 1 failure (and partial_success with --fail-on-partial), 2 bad usage.',
    '',
    'example:',
    '  codex-sync plan --org acme --mode push-docs --project web',
    ''
  ].join('\n')
}
