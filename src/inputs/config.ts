/** Parses and validates the codex config file (`.github/codex-sync.yml`) into a typed Config. */
import { CORE_SCHEMA, YAMLException, load } from 'js-yaml'
import { CodexSyncError } from '../model.js'
import { globProblem, quotePattern, type GlobKind } from './glob-syntax.js'
import { refNameProblem } from './ref-name.js'

export interface Route {
  pattern: string
  include: string[]
  exclude: string[]
}

export interface Config {
  environments: Record<string, { branch: string }>
  syncPatterns: string[]
  excludePatterns: string[]
  projectsDir: string
  distributionDir: string
  claudeNamespace: string
  routes: Route[]
  deletionThreshold: number
  deletionThresholdPercent: number
  repositories: { skipArchived: boolean; skipForks: boolean; topics: string[] }
}

export class ConfigError extends CodexSyncError {
  constructor(
    message: string,
    readonly key?: string
  ) {
    super(message, `Fix ${key ? `'${key}'` : 'the file'} in the codex config and run again.`)
  }
}

const TOP_LEVEL_KEYS = [
  'environments',
  'sync_patterns',
  'exclude_patterns',
  'projects_dir',
  'distribution_dir',
  'claude_namespace',
  'routes',
  'deletion_threshold',
  'deletion_threshold_percent',
  'repositories'
]
const REPOSITORIES_KEYS = ['skip_archived', 'skip_forks', 'topics']
const ROUTE_KEYS = ['pattern', 'include', 'exclude']
const ENVIRONMENT_KEYS = ['branch']
/** Names git and GitHub keep for themselves: never a segment of an owned folder (any case). */
const RESERVED_NAMES = ['.git', '.github']
/** push-claude's folder: never the first segment of another owned folder. */
const CLAUDE_DIR = '.claude'

export function defaultConfig(organization: string): Config {
  return {
    environments: { test: { branch: 'test' }, prod: { branch: 'main' } },
    syncPatterns: ['docs/**', 'README.md', 'CLAUDE.md'],
    excludePatterns: [
      '**/node_modules/**',
      '**/.env',
      '**/*.log',
      '**/*secret*',
      '.github/workflows/**'
    ],
    projectsDir: 'projects',
    distributionDir: '.codex',
    claudeNamespace: organization,
    routes: [],
    deletionThreshold: 50,
    deletionThresholdPercent: 20,
    repositories: { skipArchived: true, skipForks: true, topics: [] }
  }
}

/**
 * Reads the config file. A missing or empty file gives the defaults. `source` names the file
 * (e.g. "codex.acme.io@test:.github/codex-sync.yml") in every error message.
 */
export function parseConfig(
  text: string | undefined,
  organization: string,
  source: string
): Config {
  const defaults = defaultConfig(organization)
  const document = text === undefined ? undefined : loadYaml(text, source)
  if (document === undefined || document === null) return defaults

  const reader = new ConfigReader(source)
  const root = reader.mapping(document, '', TOP_LEVEL_KEYS)
  type Parse<T> = (value: unknown, path: string) => T
  const read = <K extends keyof Config>(key: string, field: K, parse: Parse<Config[K]>) =>
    reader.optional(root, '', key, parse, defaults[field])
  const paths: Parse<string[]> = (value, path) => reader.patterns(value, path, 'path')
  const ownedDir: Parse<string> = (value, path) => reader.ownedDir(value, path)

  return {
    environments: {
      ...defaults.environments,
      ...reader.optional(root, '', 'environments', (v, k) => reader.environments(v, k), {})
    },
    syncPatterns: read('sync_patterns', 'syncPatterns', paths),
    excludePatterns: read('exclude_patterns', 'excludePatterns', paths),
    projectsDir: read('projects_dir', 'projectsDir', ownedDir),
    distributionDir: read('distribution_dir', 'distributionDir', ownedDir),
    claudeNamespace: read('claude_namespace', 'claudeNamespace', (v, k) => reader.namespace(v, k)),
    routes: read('routes', 'routes', (v, k) => reader.routes(v, k)),
    deletionThreshold: read('deletion_threshold', 'deletionThreshold', (v, k) =>
      reader.integer(v, k)
    ),
    deletionThresholdPercent: read(
      'deletion_threshold_percent',
      'deletionThresholdPercent',
      (v, k) => reader.percent(v, k)
    ),
    repositories: read('repositories', 'repositories', (v, k) =>
      reader.repositories(v, k, defaults.repositories)
    )
  }
}

export function branchForEnvironment(config: Config, environment: string, source?: string): string {
  const entry = Object.hasOwn(config.environments, environment)
    ? config.environments[environment]
    : undefined
  if (entry === undefined) {
    const known = Object.keys(config.environments).join(', ') || 'none'
    const where = source === undefined ? 'the config' : source
    throw new ConfigError(
      `Unknown environment '${environment}' (known: ${known}): ` +
        `add \`environments.${environment}.branch\` to ${where} or use a known environment`,
      `environments.${environment}`
    )
  }
  return entry.branch
}

// CORE_SCHEMA keeps values like 2024-01-01 as strings instead of turning them into dates.
function loadYaml(text: string, source: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA, filename: source })
  } catch (error) {
    if (error instanceof YAMLException) {
      // js-yaml gives no position for some errors, such as a second document in the stream.
      const where = error.mark
        ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}`
        : ''
      throw new ConfigError(
        `${source}: invalid YAML${where}: ${error.reason}. Fix the syntax of the config file.`
      )
    }
    throw error
  }
}

type Mapping = Record<string, unknown>

/** Validates parts of the parsed document; every failure names the file and the key path. */
class ConfigReader {
  constructor(private readonly source: string) {}

  fail(key: string, problem: string): never {
    throw new ConfigError(`${this.source}: ${problem}`, key || undefined)
  }

  expected(key: string, expectation: string, value: unknown): never {
    const subject = key === '' ? 'the config file' : `'${key}'`
    return this.fail(key, `${subject} must be ${expectation}, got ${describe(value)}`)
  }

  /** `parent` is the path of `mapping` ('' at the top level); `parse` gets the full key path. */
  optional<T>(
    mapping: Mapping,
    parent: string,
    key: string,
    parse: (value: unknown, path: string) => T,
    fallback: T
  ): T {
    if (!Object.hasOwn(mapping, key)) return fallback
    const path = parent === '' ? key : `${parent}.${key}`
    const value = mapping[key]
    if (value === null || value === undefined) {
      this.fail(path, `'${path}' has no value: give it one, or remove it to use the default`)
    }
    return parse(value, path)
  }

  mapping(value: unknown, key: string, allowedKeys?: string[]): Mapping {
    if (!isMapping(value)) return this.expected(key, 'a mapping of keys to values', value)
    for (const name of Object.keys(value)) {
      if (allowedKeys !== undefined && !allowedKeys.includes(name)) {
        const path = key === '' ? name : `${key}.${name}`
        this.fail(path, `unknown key '${path}'; known keys here: ${allowedKeys.join(', ')}`)
      }
    }
    return value
  }

  string(value: unknown, key: string, expectation = 'a non-empty string'): string {
    if (typeof value !== 'string' || value.trim() === '') {
      return this.expected(key, expectation, value)
    }
    return value.trim()
  }

  /** A list of glob strings; a single string counts as a one-item list. */
  patterns(value: unknown, key: string, kind: GlobKind): string[] {
    const items = typeof value === 'string' ? [value] : value
    if (!Array.isArray(items)) return this.expected(key, 'a list of glob strings', value)
    return items.map((item: unknown, i) => this.glob(item, `${key}[${i}]`, kind))
  }

  /** One glob: not empty, not too long, of a syntax the matcher supports. */
  glob(value: unknown, key: string, kind: GlobKind): string {
    const pattern = this.string(value, key, 'a non-empty glob string')
    const problem = globProblem(pattern, kind)
    if (problem !== undefined) {
      const subject = kind === 'name' ? 'repository-name glob' : 'path glob'
      this.fail(key, `'${key}' must be a valid ${subject}: ${quotePattern(pattern)} ${problem}`)
    }
    return pattern
  }

  integer(value: unknown, key: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return this.expected(key, 'a whole number >= 0', value)
    }
    return value
  }

  percent(value: unknown, key: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      return this.expected(key, 'a number from 0 to 100', value)
    }
    return value
  }

  boolean(value: unknown, key: string): boolean {
    if (typeof value !== 'boolean') return this.expected(key, 'true or false', value)
    return value
  }

  /** A folder owned by one sync: relative, inside the repository, outside .git, .github and .claude. */
  ownedDir(value: unknown, key: string): string {
    const expectation = "a folder path relative to the repository root, such as 'docs/shared'"
    const raw = this.string(value, key, expectation)
    const path = raw
      .replace(/^(?:\.?\/)+/, '')
      .replace(/\/+$/, '')
      .replace(/\/{2,}/g, '/')
    const segments = path.split('/')
    if (path === '' || raw.includes('\\') || segments.some(s => s === '.' || s === '..')) {
      return this.expected(key, `${expectation}, without '..', '.' or '\\'`, value)
    }
    const reserved = segments.find(isReservedName)
    if (reserved !== undefined) {
      this.fail(key, `'${key}' must not name '${reserved}' (kept by git and GitHub), got '${raw}'`)
    }
    if (segments[0] === CLAUDE_DIR) {
      this.fail(key, `'${key}' must not be inside ${CLAUDE_DIR} (push-claude's), got '${raw}'`)
    }
    return path
  }

  namespace(value: unknown, key: string): string {
    const expectation = 'one folder name of letters, digits, ., _ or -'
    const name = this.string(value, key, expectation)
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
      return this.expected(key, expectation, value)
    }
    if (isReservedName(name)) {
      this.fail(key, `'${key}' must not be '${name}' (kept by git and GitHub)`)
    }
    return name
  }

  environments(value: unknown, key: string): Record<string, { branch: string }> {
    const environments: Record<string, { branch: string }> = {}
    for (const [name, entry] of Object.entries(this.mapping(value, key))) {
      const path = `${key}.${name}`
      if (!/^\S+$/.test(name)) this.fail(path, `environment name '${name}' must not contain spaces`)
      const branch = this.mapping(entry, path, ENVIRONMENT_KEYS)['branch']
      if (branch === undefined || branch === null) {
        this.fail(`${path}.branch`, `'${path}.branch' is required: set it to the codex branch`)
      }
      environments[name] = { branch: this.branch(branch, `${path}.branch`) }
    }
    return environments
  }

  branch(value: unknown, key: string): string {
    const expectation = "a branch name git accepts, such as 'main'"
    const name = this.string(value, key, expectation)
    if (refNameProblem(name) !== undefined) return this.expected(key, expectation, value)
    return name
  }

  routes(value: unknown, key: string): Route[] {
    if (!Array.isArray(value)) return this.expected(key, 'a list of routes', value)
    return value.map((entry: unknown, i) => this.route(entry, `${key}[${i}]`))
  }

  route(value: unknown, key: string): Route {
    const route = this.mapping(value, key, ROUTE_KEYS)
    if (!Object.hasOwn(route, 'pattern')) {
      this.fail(`${key}.pattern`, `'${key}.pattern' is required: set it to a path glob`)
    }
    return {
      pattern: this.glob(route['pattern'], `${key}.pattern`, 'path'),
      include: this.optional(route, key, 'include', (v, k) => this.patterns(v, k, 'name'), []),
      exclude: this.optional(route, key, 'exclude', (v, k) => this.patterns(v, k, 'name'), [])
    }
  }

  repositories(
    value: unknown,
    key: string,
    defaults: Config['repositories']
  ): Config['repositories'] {
    const section = this.mapping(value, key, REPOSITORIES_KEYS)
    const boolean = (v: unknown, k: string): boolean => this.boolean(v, k)
    return {
      skipArchived: this.optional(section, key, 'skip_archived', boolean, defaults.skipArchived),
      skipForks: this.optional(section, key, 'skip_forks', boolean, defaults.skipForks),
      topics: this.optional(
        section,
        key,
        'topics',
        (v, k) => this.patterns(v, k, 'name'),
        defaults.topics
      )
    }
  }
}

function isReservedName(segment: string): boolean {
  return RESERVED_NAMES.includes(segment.toLowerCase())
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return `'${value}'`
  return `${typeof value} ${String(value)}`
}
