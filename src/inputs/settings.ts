/** Reads the action's inputs (and the environment) once into a typed, validated Settings object. */
import { createHmac } from 'node:crypto'
import { CodexSyncError, MODES, sameName, type Mode } from '../model.js'
import { globProblem, quotePattern } from './glob-syntax.js'
import { refNameProblem } from './ref-name.js'

export type CommitStrategy = 'direct' | 'pull-request' | 'auto'
export type CodexCommit = 'per-project' | 'single' | 'auto'

/** How the action authenticates: a token as given, or a GitHub App whose tokens it mints itself. */
export type Auth =
  { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string }

/** Pull request options for commit_strategy pull-request and auto; empty texts mean generated ones. */
export interface PullRequestOptions {
  title: string | undefined
  body: string | undefined
  labels: string[]
  /** User logins. */
  reviewers: string[]
  /** Team slugs (given as `org/team`). */
  teamReviewers: string[]
  draft: boolean
}
/** `index` is 1-based: 1 <= index <= count. */
export interface Shard {
  index: number
  count: number
}

export interface Settings {
  /** Input `mode`: which sync this run makes. */
  mode: Mode
  /** Inputs `token`, or `app_id` and `private_key`: reads every project, writes where the mode writes. */
  auth: Auth
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
  /** Input `skip_ci`: direct sync commits carry `[skip ci]`. */
  skipCi: boolean
  /** Input `commit_message`: the subject of sync commits; undefined = generated. */
  commitMessage: string | undefined
  /** Inputs `pull_request_*`. */
  pullRequest: PullRequestOptions
  /** Input `time_budget_minutes`, in milliseconds: no project starts after it is spent. */
  timeBudgetMs: number
  /** Input `writes_per_hour`: content-creating requests allowed in any hour; 0 = no limit. */
  writesPerHour: number
  /** Input `codex_ref`: plan the push modes against this ref and write nothing; undefined = the environment branch. */
  codexRef: string | undefined
  /**
   * The key that signs what the codex state remembers: from input `state_key`, else derived from
   * `private_key`; undefined = nothing remembered is trusted (the routing is read afresh each run).
   */
  stateKey: Buffer | undefined
  /** Input `prune_orphans`: remove codex folders of unlisted repositories without a complete listing. */
  pruneOrphans: boolean
}

/** `mode: merge`: combine the result files of earlier runs into one report. */
export interface MergeSettings {
  /** Input `results`: files or folders holding result JSON. */
  results: string[]
  /** Input `fail_on_partial`. */
  failOnPartial: boolean
  /** Input `plan_comment`: where the plan is written as a comment; undefined = nowhere. */
  planComment: PlanComment | undefined
}

/** `plan_comment`: one comment on a pull request of the codex, kept up to date. */
export interface PlanComment {
  /** The pull request's number. */
  pullRequest: number
  /** Inputs `token`, or `app_id` and `private_key`: may comment on the codex's pull requests. */
  auth: Auth
  /** `GITHUB_API_URL` without a trailing slash. */
  apiUrl: string
  /** Input `organization`. */
  organization: string
  /** Input `codex_repository` (bare name); undefined = the codex the results name. */
  codexRepository: string | undefined
}

/** What the action was asked to do. */
export type ActionTask =
  { task: 'sync'; settings: Settings } | { task: 'merge'; settings: MergeSettings }

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

const COMMIT_STRATEGIES: readonly CommitStrategy[] = ['direct', 'pull-request', 'auto']
const CODEX_COMMITS: readonly CodexCommit[] = ['per-project', 'single', 'auto']
const MERGE = 'merge'
const ALL_MODES = [...MODES, MERGE]
/** Longer than any pause GitHub asks for between writes; Node's timers also stop at 2^31-1 ms. */
const MAX_WRITE_INTERVAL_MS = 60_000
/** GitHub kills a hosted job after 6 hours. */
const MAX_TIME_BUDGET_MINUTES = 350
const MAX_PULL_REQUEST_BODY = 65_536
const DEFAULT_API_URL = 'https://api.github.com'
const MAX_SHARDS = 1000
const OWNER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const REPOSITORY_NAME = /^[A-Za-z0-9._-]+$/

/** The action's task from its inputs: a sync in one mode, or merging earlier results. */
export function parseTask(
  input: InputReader,
  env: Record<string, string | undefined>,
  readDotEnv?: () => string | undefined
): ActionTask {
  if (input('mode').trim() !== MERGE) {
    return { task: 'sync', settings: parseSettings(input, env, readDotEnv) }
  }
  const results = splitList(input('results'))
  if (results.length === 0) {
    throw new InputError(
      'results',
      "Input 'results' is required with mode merge: set it to the files or folders holding the result JSON of earlier runs"
    )
  }
  return {
    task: 'merge',
    settings: {
      results,
      failOnPartial: parseBoolean('fail_on_partial', input('fail_on_partial').trim(), false),
      planComment: parsePlanComment(input, env, readDotEnv)
    }
  }
}

/** Pull request numbers are positive and, on GitHub, well below 2^31. */
const MAX_PULL_REQUEST_NUMBER = 2 ** 31 - 1

/** `plan_comment` and what writing the comment needs: credentials, organisation and codex. */
function parsePlanComment(
  input: InputReader,
  env: Record<string, string | undefined>,
  readDotEnv?: () => string | undefined
): PlanComment | undefined {
  const read = (name: string): string => input(name).trim()
  const value = read('plan_comment').replace(/^#/, '')
  if (value === '') return undefined
  const pullRequest = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(pullRequest >= 1 && pullRequest <= MAX_PULL_REQUEST_NUMBER)) {
    throw new InputError(
      'plan_comment',
      `Input 'plan_comment' must be the number of a pull request of the codex (such as \${{ github.event.pull_request.number }}), got '${read('plan_comment')}'`
    )
  }
  if (read('token') === '' && read('app_id') === '' && input('private_key').trim() === '') {
    throw new InputError(
      'token',
      "Input 'token' (or 'app_id' and 'private_key') is required with 'plan_comment': set it to a token that may comment on the codex's pull requests, such as the workflow's GITHUB_TOKEN with 'pull-requests: write'"
    )
  }
  const fromEnv = (key: string): string | undefined => env[key]?.trim() || undefined
  const dotEnv = lazyDotEnv(readDotEnv)
  const organization = resolveOrganization(read('organization'), fromEnv, dotEnv)
  return {
    pullRequest,
    auth: parseAuth(read('token'), read('app_id'), input('private_key')),
    apiUrl: parseApiUrl(fromEnv('GITHUB_API_URL')),
    organization,
    codexRepository: resolveCodexRepository(read('codex_repository'), organization, fromEnv, dotEnv)
  }
}

export function parseSettings(
  input: InputReader,
  env: Record<string, string | undefined>,
  readDotEnv?: () => string | undefined
): Settings {
  const read = (name: string): string => input(name).trim()
  const fromEnv = (key: string): string | undefined => env[key]?.trim() || undefined
  const dotEnv = lazyDotEnv(readDotEnv)

  const mode = parseChoice(
    'mode',
    required(read('mode'), 'mode', oneOf(ALL_MODES)),
    MODES,
    ALL_MODES
  )
  const auth = parseAuth(read('token'), read('app_id'), input('private_key'))
  const organization = resolveOrganization(read('organization'), fromEnv, dotEnv)
  const codexInput = read('codex_repository')
  return {
    mode,
    auth,
    apiUrl: parseApiUrl(fromEnv('GITHUB_API_URL')),
    organization,
    codexRepository: resolveCodexRepository(codexInput, organization, fromEnv, dotEnv),
    targetRepositories: parseTargetRepositories(read('target_repository'), organization),
    environment: parseEnvironment(read('environment')),
    configPath: parseConfigPath(read('config')),
    include: parseNameGlobs('include', listOr(read('include'), ['*'])),
    exclude: parseNameGlobs('exclude', listOr(read('exclude'), [])),
    parallel: parseInteger('parallel', read('parallel'), { fallback: 5, min: 1, max: 50 }),
    // Planning against codex_ref (say a pull request's head) never writes.
    dryRun: parseBoolean('dry_run', read('dry_run'), false) || read('codex_ref') !== '',
    commitStrategy: parseChoice(
      'commit_strategy',
      read('commit_strategy') || 'direct',
      COMMIT_STRATEGIES
    ),
    codexCommit: parseChoice('codex_commit', read('codex_commit') || 'auto', CODEX_COMMITS),
    shard: read('shard') === '' ? { index: 1, count: 1 } : parseShard(read('shard')),
    writeIntervalMs: parseInteger('write_interval_ms', read('write_interval_ms'), {
      fallback: 1000,
      min: 0,
      max: MAX_WRITE_INTERVAL_MS
    }),
    failOnPartial: parseBoolean('fail_on_partial', read('fail_on_partial'), false),
    skipCi: parseBoolean('skip_ci', read('skip_ci'), false),
    commitMessage: parseCommitMessage(input('commit_message')),
    pullRequest: parsePullRequestOptions(read),
    timeBudgetMs: parseMinutes('time_budget_minutes', read('time_budget_minutes'), 50) * 60_000,
    writesPerHour: parseInteger('writes_per_hour', read('writes_per_hour'), {
      fallback: 450,
      min: 0,
      max: 100_000
    }),
    codexRef: parseCodexRef(read('codex_ref')),
    stateKey: parseStateKey(input('state_key'), auth),
    pruneOrphans: parseBoolean('prune_orphans', read('prune_orphans'), false)
  }
}

/** A state key shorter than this is refused: it would be guessed. */
const MIN_STATE_KEY_LENGTH = 16

/**
 * The key of the state's signatures: `state_key` as given, else one derived from the App's private
 * key (which never leaves the workflow's secrets); undefined with a plain token and no state_key.
 */
function parseStateKey(value: string, auth: Auth): Buffer | undefined {
  const secret = value.trim()
  if (secret !== '') {
    if (secret.length < MIN_STATE_KEY_LENGTH) {
      throw new InputError(
        'state_key',
        `Input 'state_key' must be a random secret of at least ${MIN_STATE_KEY_LENGTH} characters (for example the output of 'openssl rand -hex 32'), got ${secret.length} characters`
      )
    }
    return createHmac('sha256', 'codex-sync state key').update(secret).digest()
  }
  if (auth.kind === 'app') {
    return createHmac('sha256', 'codex-sync state key from private_key')
      .update(auth.privateKey)
      .digest()
  }
  return undefined
}

const PEM_KEY =
  /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (?:RSA |EC )?PRIVATE KEY-----/
const APP_ID = /^(?:\d+|Iv[0-9A-Za-z.]+)$/

function parseAuth(token: string, appId: string, privateKey: string): Auth {
  if (appId === '' && privateKey.trim() === '') {
    return { kind: 'token', token: required(token, 'token', 'a token that can read every project') }
  }
  if (token !== '') {
    throw new InputError(
      'token',
      "Inputs 'token' and 'app_id'/'private_key' are both set: keep one way to authenticate"
    )
  }
  if (!APP_ID.test(appId)) {
    throw new InputError(
      'app_id',
      "Input 'app_id' must be the GitHub App's id (digits, or its client id), given with 'private_key'"
    )
  }
  // Keys pasted with literal \n (as some secret stores keep them) are turned back into lines.
  const key = privateKey.includes('\n')
    ? privateKey.trim()
    : privateKey.trim().replace(/\\n/g, '\n')
  if (!PEM_KEY.test(key)) {
    throw new InputError(
      'private_key',
      "Input 'private_key' must be the GitHub App's private key in PEM form (-----BEGIN RSA PRIVATE KEY----- ...), given with 'app_id'"
    )
  }
  return { kind: 'app', appId, privateKey: key }
}

function parseCommitMessage(value: string): string | undefined {
  const message = value.trim()
  if (message === '') return undefined
  if (message.length > 1000) {
    throw new InputError('commit_message', "Input 'commit_message' must be at most 1000 characters")
  }
  return message
}

function parsePullRequestOptions(read: (name: string) => string): PullRequestOptions {
  const reviewers = splitList(read('pull_request_reviewers'))
  for (const reviewer of reviewers) {
    if (!/^[A-Za-z0-9-]+(?:\/[A-Za-z0-9._-]+)?$/.test(reviewer)) {
      throw new InputError(
        'pull_request_reviewers',
        `Input 'pull_request_reviewers' must hold user logins or org/team names, got '${reviewer}'`
      )
    }
  }
  const body = read('pull_request_body')
  if (body.length > MAX_PULL_REQUEST_BODY) {
    throw new InputError(
      'pull_request_body',
      `Input 'pull_request_body' must be at most ${MAX_PULL_REQUEST_BODY} characters (GitHub's limit), got ${body.length}`
    )
  }
  return {
    title: read('pull_request_title') || undefined,
    body: body || undefined,
    labels: splitList(read('pull_request_labels')),
    reviewers: reviewers.filter(reviewer => !reviewer.includes('/')),
    teamReviewers: reviewers
      .filter(reviewer => reviewer.includes('/'))
      .map(team => team.split('/')[1] ?? team),
    draft: parseBoolean('pull_request_draft', read('pull_request_draft'), false)
  }
}

function parseMinutes(name: string, value: string, fallback: number): number {
  if (value === '') return fallback
  const minutes = /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : NaN
  if (!(minutes > 0 && minutes <= MAX_TIME_BUDGET_MINUTES)) {
    throw new InputError(
      name,
      `Input '${name}' must be a number of minutes above 0 and at most ${MAX_TIME_BUDGET_MINUTES}, got '${value}'`
    )
  }
  return minutes
}

function parseCodexRef(value: string): string | undefined {
  if (value === '') return undefined
  if (/[\s~^:?*[\\]|\.\.|^\/|\/$/.test(value)) {
    throw new InputError(
      'codex_ref',
      `Input 'codex_ref' must be a branch, tag or commit SHA of the codex, got '${value}'`
    )
  }
  return value.replace(/^refs\/heads\//, '')
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

/** Globs on repository names, each valid for the linear-time matcher. */
function parseNameGlobs(name: string, patterns: string[]): string[] {
  for (const pattern of patterns) {
    const problem = globProblem(pattern, 'name')
    if (problem !== undefined) {
      throw new InputError(
        name,
        `Input '${name}' must hold globs on repository names such as 'api-*': ${quotePattern(pattern)} ${problem}`
      )
    }
  }
  return patterns
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

/** One of `choices`; the message lists `named` (the choices as the user may give them). */
function parseChoice<T extends string>(
  name: string,
  value: string,
  choices: readonly T[],
  named: readonly string[] = choices
): T {
  const choice = choices.find(candidate => candidate === value)
  if (choice === undefined) {
    throw new InputError(name, `Input '${name}' must be ${oneOf(named)}, got '${value}'`)
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

/** The environment names the pull request branch (`codex-sync/<environment>`) and the state's files. */
function parseEnvironment(value: string): string {
  if (value === '') return 'test'
  const problem = refNameProblem(value)
  if (problem !== undefined) {
    throw new InputError(
      'environment',
      `Input 'environment' must be a name git accepts in a branch name, such as 'test' or 'prod': ${JSON.stringify(value)} ${problem}`
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
