import { describe, expect, it } from '@jest/globals'
import {
  ConfigError,
  branchForEnvironment,
  defaultConfig,
  parseConfig
} from '../src/inputs/config.js'

const SOURCE = 'codex.acme.io@test:.github/codex-sync.yml'

function parse(text: string | undefined) {
  return parseConfig(text, 'acme', SOURCE)
}

function configError(text: string): ConfigError {
  try {
    parse(text)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

/** The message names the file and the full key path, and the error carries the key. */
function expectKeyError(text: string, key: string): ConfigError {
  const error = configError(text)
  expect(error.name).toBe('ConfigError')
  expect(error.message).toContain(SOURCE)
  expect(error.message).toContain(`'${key}'`)
  expect(error.key).toBe(key)
  return error
}

describe('defaults', () => {
  const expected = {
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
    claudeNamespace: 'acme',
    routes: [],
    deletionThreshold: 50,
    deletionThresholdPercent: 20,
    repositories: { skipArchived: true, skipForks: true, topics: [] }
  }

  it('defaultConfig holds the documented defaults, namespace = organization', () => {
    expect(defaultConfig('acme')).toEqual(expected)
  })

  it.each([undefined, '', '   \n', '# only a comment\n# another\n', '---\n'])(
    'a missing or empty file (%p) gives the defaults',
    text => {
      expect(parse(text)).toEqual(expected)
    }
  )

  it('returns fresh lists, so callers cannot change the defaults', () => {
    defaultConfig('acme').syncPatterns.push('x')
    expect(defaultConfig('acme').syncPatterns).toEqual(expected.syncPatterns)
  })
})

describe('values', () => {
  it('reads every key', () => {
    const config = parse(`
environments:
  test: { branch: develop }
  staging: { branch: release/next }
sync_patterns: ["docs/**", "*.md"]
exclude_patterns: "**/draft/**"
projects_dir: ./codex/projects/
distribution_dir: /shared-docs
claude_namespace: acme.tools
routes:
  - { pattern: "docs/schema/**/*.json", include: ["*"], exclude: api }
  - pattern: "docs/internal/**"
deletion_threshold: 0
deletion_threshold_percent: 12.5
repositories: { skip_archived: false, topics: docs }
`)
    expect(config).toEqual({
      environments: {
        test: { branch: 'develop' },
        prod: { branch: 'main' },
        staging: { branch: 'release/next' }
      },
      syncPatterns: ['docs/**', '*.md'],
      excludePatterns: ['**/draft/**'],
      projectsDir: 'codex/projects',
      distributionDir: 'shared-docs',
      claudeNamespace: 'acme.tools',
      routes: [
        { pattern: 'docs/schema/**/*.json', include: ['*'], exclude: ['api'] },
        { pattern: 'docs/internal/**', include: [], exclude: [] }
      ],
      deletionThreshold: 0,
      deletionThresholdPercent: 12.5,
      repositories: { skipArchived: false, skipForks: true, topics: ['docs'] }
    })
  })

  it('keeps a date-like branch name as a string, and a quoted number too', () => {
    const config = parse('environments: { v1: { branch: 2024-01-01 }, v2: { branch: "1.0" } }')
    expect(branchForEnvironment(config, 'v1')).toBe('2024-01-01')
    expect(branchForEnvironment(config, 'v2')).toBe('1.0')
  })
})

describe('unknown keys', () => {
  it.each([
    ['sync_pattern: []', 'sync_pattern'],
    ['repositories: { skip_archive: true }', 'repositories.skip_archive'],
    ['routes: [{ pattern: "a/**", includes: ["*"] }]', 'routes[0].includes'],
    ['environments: { prod: { branch: main, protected: true } }', 'environments.prod.protected']
  ])('%s -> names %s', (text, key) => {
    const error = expectKeyError(text, key)
    expect(error.message).toMatch(/unknown key/)
  })
})

describe('wrong types name the key and what is expected', () => {
  it.each([
    ['sync_patterns: 5', 'sync_patterns', 'list of glob strings'],
    ['exclude_patterns: [a, 3]', 'exclude_patterns[1]', 'glob string'],
    ['exclude_patterns: [a, ""]', 'exclude_patterns[1]', 'glob string'],
    ['projects_dir: [a]', 'projects_dir', 'folder path'],
    ['claude_namespace: 12', 'claude_namespace', 'folder name'],
    ['routes: { pattern: x }', 'routes', 'list of routes'],
    ['routes: ["docs/**"]', 'routes[0]', 'mapping'],
    ['routes: [{ include: ["*"] }]', 'routes[0].pattern', 'required'],
    ['routes: [{ pattern: a }, { pattern: b, include: { x: 1 } }]', 'routes[1].include', 'list'],
    ['deletion_threshold: -1', 'deletion_threshold', 'whole number'],
    ['deletion_threshold: 2.5', 'deletion_threshold', 'whole number'],
    ['deletion_threshold: "10"', 'deletion_threshold', 'whole number'],
    ['deletion_threshold_percent: 101', 'deletion_threshold_percent', '0 to 100'],
    ['repositories: { skip_forks: "no" }', 'repositories.skip_forks', 'true or false'],
    ['repositories: [skip_forks]', 'repositories', 'mapping'],
    ['repositories: { topics: [[a]] }', 'repositories.topics[0]', 'glob string'],
    ['environments: [test]', 'environments', 'mapping'],
    ['environments: { test: main }', 'environments.test', 'mapping'],
    ['environments: { test: {} }', 'environments.test.branch', 'required'],
    ['environments: { test: { branch: "" } }', 'environments.test.branch', 'branch name'],
    ['environments: { test: { branch: "a b" } }', 'environments.test.branch', 'branch name'],
    ['sync_patterns:', 'sync_patterns', 'no value']
  ])('%s', (text, key, expectation) => {
    expect(expectKeyError(text, key).message).toContain(expectation)
  })

  it('rejects a document that is not a mapping', () => {
    const error = configError('- docs/**')
    expect(error.message).toContain(SOURCE)
    expect(error.message).toContain('mapping')
  })
})

describe('paths and names', () => {
  it.each([
    ['projects_dir', '../elsewhere'],
    ['projects_dir', 'a/../../b'],
    ['projects_dir', '.'],
    ['projects_dir', '/'],
    ['projects_dir', '.github'],
    ['projects_dir', '.claude'],
    ['distribution_dir', '.github/codex'],
    ['distribution_dir', '.claude/agents'],
    ['distribution_dir', 'a\\b'],
    ['claude_namespace', 'a/b'],
    ['claude_namespace', '..'],
    ['claude_namespace', 'has space']
  ])('rejects %s: %p', (key, value) => {
    expectKeyError(`${key}: ${JSON.stringify(value)}`, key)
  })

  it('normalises leading ./ and / and trailing /', () => {
    expect(parse('projects_dir: ./projects/').projectsDir).toBe('projects')
    expect(parse('distribution_dir: /.codex//shared/').distributionDir).toBe('.codex/shared')
  })
})

describe('YAML syntax errors', () => {
  it('names the file and the line', () => {
    const error = configError('sync_patterns:\n  - docs/**\n projects_dir: [oops\n')
    expect(error.message).toContain(SOURCE)
    expect(error.message).toMatch(/line \d+/)
  })

  it('reports duplicate keys', () => {
    expect(configError('projects_dir: a\nprojects_dir: b\n').message).toMatch(/line 2/)
  })
})

describe('branchForEnvironment', () => {
  it('maps the default environments', () => {
    const config = defaultConfig('acme')
    expect(branchForEnvironment(config, 'test')).toBe('test')
    expect(branchForEnvironment(config, 'prod')).toBe('main')
  })

  it('explains how to add an unknown environment', () => {
    const config = parse('environments: { staging: { branch: stage } }')
    let error: unknown
    try {
      branchForEnvironment(config, 'qa')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    expect(message).toContain("'qa'")
    expect(message).toContain('test, prod, staging')
    expect(message).toContain('environments.qa.branch')
  })

  it('does not treat inherited object properties as environments', () => {
    expect(() => branchForEnvironment(defaultConfig('acme'), 'constructor')).toThrow(ConfigError)
  })
})

describe('reserved names', () => {
  it.each([
    ['projects_dir', 'docs/.git/x'],
    ['projects_dir', '.GIT'],
    ['projects_dir', 'a/.github'],
    ['distribution_dir', 'shared/.GitHub/docs'],
    ['distribution_dir', '.Github'],
    ['claude_namespace', '.git'],
    ['claude_namespace', '.GitHub']
  ])('rejects %s: %p, naming the key', (key, value) => {
    expect(expectKeyError(`${key}: ${JSON.stringify(value)}`, key).message).toMatch(
      /kept by git and GitHub/
    )
  })

  it('still keeps .claude out of the first segment, and accepts look-alikes', () => {
    expectKeyError('distribution_dir: .claude/x', 'distribution_dir')
    const config = parse(
      'projects_dir: docs/.gitx\ndistribution_dir: .github-docs\nclaude_namespace: .gitkeep'
    )
    expect([config.projectsDir, config.distributionDir, config.claudeNamespace]).toEqual([
      'docs/.gitx',
      '.github-docs',
      '.gitkeep'
    ])
  })
})

describe('globs are validated at parse time', () => {
  it.each([
    ['sync_patterns: ["docs/{a,b"]', 'sync_patterns[0]', /unclosed '\{'/],
    ['exclude_patterns: ["**/x", "!secret"]', 'exclude_patterns[1]', /exclude_patterns/],
    ['routes: [{ pattern: "docs/**.json" }]', 'routes[0].pattern', /within a segment/],
    ['routes: [{ pattern: "docs/**", include: ["acme/api"] }]', 'routes[0].include[0]', /'\/'/],
    ['routes: [{ pattern: "docs/**", exclude: ["[z-a]"] }]', 'routes[0].exclude[0]', /reversed/],
    ['repositories: { topics: ["{docs,api}"] }', 'repositories.topics[0]', /"\{"/]
  ])('%s', (text, key, problem) => {
    const error = expectKeyError(text, key)
    expect(error.message).toMatch(problem)
    expect(error.message).not.toMatch(/picomatch|SyntaxError|Invalid regular expression/)
  })

  it('refuses globs that are too long or too complex', () => {
    const long = expectKeyError(`sync_patterns: ["${'a'.repeat(1100)}"]`, 'sync_patterns[0]')
    expect(long.message).toMatch(/is longer than 1024 characters$/)
    const complex = expectKeyError(
      `repositories: { topics: ["${'*x'.repeat(40)}"] }`,
      'repositories.topics[0]'
    )
    expect(complex.message).toMatch(/has more than 32 wildcards$/)
  })

  it('reports a second YAML document as a ConfigError, not a crash', () => {
    expect(configError('projects_dir: a\n---\nprojects_dir: b\n').message).toMatch(
      /single document/
    )
  })

  it('accepts braces, classes and globstars in path globs', () => {
    const config = parse(
      'sync_patterns: ["docs/**/*.{md,mdx}", "[A-Z]*.md"]\nroutes: [{ pattern: "schema/**/*.json", include: ["api-*", "web?"] }]'
    )
    expect(config.syncPatterns).toEqual(['docs/**/*.{md,mdx}', '[A-Z]*.md'])
    expect(config.routes[0]?.include).toEqual(['api-*', 'web?'])
  })
})
