/** Reads the action's inputs (and the environment) once into a typed, validated Settings object. */
import { CodexSyncError, MODES, sameName, type Mode } from '../model.js'

export type CommitStrategy = 'direct' | 'pull-request'
export type CodexCommit = 'per-project' | 'single'
/** `index` is 1-based: 1 <= index <= count. */
export interface Shard {
  index: number
  count: number
}

export interface Settings {
  /** Input `mode`: which sync this run makes. */
  mode: Mode
  /** Input `token`: reads every project and writes where the mode writes. */
  token: string
  /** `GITHUB_API_URL` without a trailing slash: api.github.com, a GHES `/api/v3` URL, or a test server. */
  apiUrl: string
  /** Input `organization` (else the owner of `GITHUB_REPOSITORY`, else `CODEX_GITHUB_ORG`). */
  organization: string
  /** Bare repository name; undefined = discover the single `codex.*` repository later. */
  codexRepository: string | undefined
  /** Input `target_repository`: bare names, deduplicated case-insensitively; empty = every project. */
  targetRepositories: string[]
  /** Input `environment`: names the codex branch through the config. */
  environment: string
  /** Input `config`: path of the config file in the codex, relative to its root. */
  configPath: string
  /** Input `include`: globs on repository names that discovery keeps. */
  include: string[]
  /** Input `exclude`: globs on repository names that discovery leaves out. */
  exclude: string[]
  /** Input `parallel`: projects processed at once (1-50). */
  parallel: number
  /** Input `dry_run`: plan and report everything, write nothing. */
  dryRun: boolean
  /** Input `commit_strategy` (push modes): commit to the default branch, or through a pull request. */
  commitStrategy: CommitStrategy
  /** Input `codex_commit` (pull-docs): one codex commit per project, or one for the run. */
  codexCommit: CodexCommit
  /** Input `shard`: the partition of the project list this job handles. */
  shard: Shard
  /** Input `write_interval_ms`: minimum pause between two write requests. */
  writeIntervalMs: number
  /** Input `fail_on_partial`: fail the step on partial_success too. */
  failOnPartial: boolean
}

export class InputError extends CodexSyncError {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(message, `Correct the '${input}' input of the workflow step.`)
  }
}

/** Like core.getInput: '' when the input is unset. */
export type InputReader = (name: string) => string

const COMMIT_STRATEGIES: readonly CommitStrategy[] = ['direct', 'pull-request']
const CODEX_COMMITS: readonly CodexCommit[] = ['per-project', 'single']
const DEFAULT_API_URL = 'https://api.github.com'
const MAX_SHARDS = 1000
const OWNER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const REPOSITORY_NAME = /^[A-Za-z0-9._-]+$/

export function parseSettings(
  input: InputReader,
  env: Record<string, string | undefined>,
  readDotEnv?: () => string | undefined
): Settings {
  const read = (name: string): string => input(name).trim()
  const fromEnv = (key: string): string | undefined => env[key]?.trim() || undefined
  const dotEnv = lazyDotEnv(readDotEnv)

  const mode = parseChoice('mode', required(read('mode'), 'mode', oneOf(MODES)), MODES)
  const token = required(read('token'), 'token', 'a token that can read every project')
  const organization = resolveOrganization(read('organization'), fromEnv, dotEnv)
  const codexInput = read('codex_repository')
  return {
    mode,
    token,
    apiUrl: parseApiUrl(fromEnv('GITHUB_API_URL')),
    organization,
    codexRepository: resolveCodexRepository(codexInput, organization, fromEnv, dotEnv),
    targetRepositories: parseTargetRepositories(read('target_repository'), organization),
    environment: parseEnvironment(read('environment')),
    configPath: parseConfigPath(read('config')),
    include: listOr(read('include'), ['*']),
    exclude: listOr(read('exclude'), []),
    parallel: parseInteger('parallel', read('parallel'), { fallback: 5, min: 1, max: 50 }),
    dryRun: parseBoolean('dry_run', read('dry_run'), false),
    commitStrategy: parseChoice(
      'commit_strategy',
      read('commit_strategy') || 'direct',
      COMMIT_STRATEGIES
    ),
    codexCommit: parseChoice('codex_commit', read('codex_commit') || 'per-project', CODEX_COMMITS),
    shard: read('shard') === '' ? { index: 1, count: 1 } : parseShard(read('shard')),
    writeIntervalMs: parseInteger('write_interval_ms', read('write_interval_ms'), {
      fallback: 1000,
      min: 0
    }),
    failOnPartial: parseBoolean('fail_on_partial', read('fail_on_partial'), false)
  }
}

/** `i/n`: the i-th of n stable partitions of the project list. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new InputError(
      'shard',
      `Input 'shard' must be 'i/n' with 1 <= i <= n <= ${MAX_SHARDS} (for example 2/4), ` +
        `got '${text}'`
    )
  }
  return { index, count }
}

/** A comma- or newline-separated list: trimmed, without empties or duplicates, order kept. */
export function splitList(text: string): string[] {
  const items = text.split(/[,\n]/).map(item => item.trim())
  return [...new Set(items.filter(item => item !== ''))]
}

/** Parses simple `KEY=VALUE` lines (optional `export `, quotes and # comments). */
export function parseDotEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const rawLine of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(rawLine)
    if (match?.[1] !== undefined) values[match[1]] = dotEnvValue(match[2] ?? '')
  }
  return values
}

function dotEnvValue(raw: string): string {
  const quoted = /^(["'])(.*?)\1/.exec(raw)
  if (quoted) return quoted[2] ?? ''
  return raw.replace(/(^|\s)#.*$/, '').trim()
}

type Lookup = (key: string) => string | undefined

function lazyDotEnv(readDotEnv: (() => string | undefined) | undefined): Lookup {
  let values: Record<string, string> | undefined
  return key => {
    values ??= parseDotEnv(readDotEnv?.() ?? '')
    return values[key]?.trim() || undefined
  }
}

function listOr(value: string, fallback: string[]): string[] {
  const items = splitList(value)
  return items.length > 0 ? items : fallback
}

function oneOf(choices: readonly string[]): string {
  return choices.length < 2
    ? choices.join('')
    : `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`
}

function required(value: string, name: string, expected: string): string {
  if (value === '') throw new InputError(name, `Input '${name}' is required: set it to ${expected}`)
  return value
}

function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  const choice = choices.find(candidate => candidate === value)
  if (choice === undefined) {
    throw new InputError(name, `Input '${name}' must be ${oneOf(choices)}, got '${value}'`)
  }
  return choice
}

function parseBoolean(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `Input '${name}' must be true or false, got '${value}'`)
}

function parseInteger(
  name: string,
  value: string,
  range: { fallback: number; min: number; max?: number }
): number {
  if (value === '') return range.fallback
  const number = /^-?\d+$/.test(value) ? Number(value) : NaN
  const max = range.max ?? Number.MAX_SAFE_INTEGER
  if (!Number.isSafeInteger(number) || number < range.min || number > max) {
    const bounds = range.max === undefined ? `>= ${range.min}` : `from ${range.min} to ${range.max}`
    throw new InputError(name, `Input '${name}' must be an integer ${bounds}, got '${value}'`)
  }
  return number
}

function parseApiUrl(value: string | undefined): string {
  if (value === undefined) return DEFAULT_API_URL
  let url: URL
  try {
    url = new URL(value)
  } catch {
    url = new URL('invalid:')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      'GITHUB_API_URL',
      `Environment variable GITHUB_API_URL must be an http(s) URL such as ${DEFAULT_API_URL}, ` +
        `got '${value}'`
    )
  }
  return value.replace(/\/+$/, '')
}

function resolveOrganization(value: string, fromEnv: Lookup, dotEnv: Lookup): string {
  const organization =
    value ||
    fromEnv('GITHUB_REPOSITORY')?.split('/')[0] ||
    fromEnv('CODEX_GITHUB_ORG') ||
    dotEnv('CODEX_GITHUB_ORG')
  if (!organization) {
    throw new InputError(
      'organization',
      "Input 'organization' is required outside GitHub Actions: " +
        'set it to the organisation that owns the codex and the projects'
    )
  }
  if (!OWNER_NAME.test(organization)) {
    throw new InputError(
      'organization',
      `Input 'organization' must be an organisation name such as 'acme', got '${organization}'`
    )
  }
  return organization
}

function resolveCodexRepository(
  value: string,
  organization: string,
  fromEnv: Lookup,
  dotEnv: Lookup
): string | undefined {
  if (value) {
    return bareRepositoryName('codex_repository', "Input 'codex_repository'", value, organization)
  }

  const fromEnvironment = fromEnv('CODEX_GITHUB_REPO') ?? dotEnv('CODEX_GITHUB_REPO')
  if (fromEnvironment === undefined) return undefined
  const codexOrganization = fromEnv('CODEX_GITHUB_ORG') ?? dotEnv('CODEX_GITHUB_ORG')
  if (codexOrganization !== undefined && !sameName(codexOrganization, organization)) {
    throw new InputError(
      'codex_repository',
      `CODEX_GITHUB_ORG is '${codexOrganization}' but the organization is '${organization}': ` +
        "make them agree or set input 'codex_repository'"
    )
  }
  return bareRepositoryName('codex_repository', 'CODEX_GITHUB_REPO', fromEnvironment, organization)
}

function parseTargetRepositories(value: string, organization: string): string[] {
  const names = splitList(value).map(name =>
    bareRepositoryName('target_repository', "Input 'target_repository'", name, organization)
  )
  return names.filter((name, i) => names.findIndex(other => sameName(other, name)) === i)
}

/**
 * `name` or `owner/name` (owner must be the organisation) -> `name`.
 * `source` says where the value came from, e.g. "Input 'codex_repository'" or "CODEX_GITHUB_REPO".
 */
function bareRepositoryName(
  input: string,
  source: string,
  value: string,
  organization: string
): string {
  const [first, second, ...rest] = value.split('/')
  const name = second ?? first ?? ''
  const owner = second === undefined ? organization : (first ?? '')
  const validName = REPOSITORY_NAME.test(name) && name !== '.' && name !== '..'
  if (rest.length > 0 || !validName || !OWNER_NAME.test(owner)) {
    throw new InputError(
      input,
      `${source} must hold repository names such as 'api' or '${organization}/api', got '${value}'`
    )
  }
  if (!sameName(owner, organization)) {
    throw new InputError(
      input,
      `${source} names '${value}', which is outside the organization '${organization}': ` +
        `name a repository of '${organization}' in input '${input}', or change input 'organization'`
    )
  }
  return name
}

function parseEnvironment(value: string): string {
  if (value === '') return 'test'
  if (/\s/.test(value)) {
    throw new InputError(
      'environment',
      `Input 'environment' must be a name without spaces such as 'test', got '${value}'`
    )
  }
  return value
}

function parseConfigPath(value: string): string {
  if (value === '') return '.github/codex-sync.yml'
  const path = value.replace(/^\.\//, '')
  if (path.startsWith('/') || path.split('/').some(segment => segment === '..' || segment === '')) {
    throw new InputError(
      'config',
      "Input 'config' must be a file path relative to the codex root " +
        `such as '.github/codex-sync.yml', got '${value}'`
    )
  }
  return path
}
