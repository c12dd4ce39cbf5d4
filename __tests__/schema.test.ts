/**
 * schema/codex-sync.schema.json against the parser of the config file (src/inputs/config.ts).
 *
 * - The schema is valid JSON Schema (ajv, strict mode) and closed: every object has
 *   `additionalProperties: false`, and its keys at every level are exactly the keys the parser
 *   accepts (read from the parser's own "known keys here: ..." message, so a key added to the parser
 *   fails here until the schema has it).
 * - The schema's defaults are the parser's defaults.
 * - Sample configs, valid and invalid, every key with values of every type, and generated globs,
 *   folders and names: the schema and parseConfig give the same verdict.
 * - Rules only the parser enforces (JSON Schema's regular expressions can neither expand nor count
 *   nested `{a,b}` groups, compare the two ends of a class range, or count UTF-16 units): for path
 *   globs with a `{`, the schema checks only what holds for every expansion (length, NUL, leading
 *   '!', empty, '.' and '..' segments written out), not the `{...}` groups themselves (closed, with
 *   a comma, at most 64 expansions) nor the expansions' segments, extglobs, classes and wildcards;
 *   reversed ranges such as [z-a]; the limits of 1024 and 256 characters in UTF-16 units (the
 *   schema counts code points, so characters beyond U+FFFF count once) and, in a repository-name
 *   glob, an escaped character beyond U+FFFF (the parser escapes half of it). The samples compared
 *   leave these out; "rules only the parser enforces" below shows the parser rejecting them and
 *   the schema, by design, accepting them: the schema never rejects what the parser accepts.
 * - The template config (examples/codex/.github/codex-sync.yml) is valid for both and points at the
 *   published schema with a `# yaml-language-server: $schema=` line.
 */
import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import fc from 'fast-check'
import { CORE_SCHEMA, load } from 'js-yaml'
import { readFileSync } from 'node:fs'
import { ConfigError, defaultConfig, parseConfig } from '../src/inputs/config.js'
import { publishedAt, readRepoFile } from './published.js'

const SCHEMA_PATH = 'schema/codex-sync.schema.json'
const TEMPLATE_CONFIG = 'examples/codex/.github/codex-sync.yml'
const SOURCE = 'codex.acme.io@test:.github/codex-sync.yml'

type Dict = Record<string, unknown>
const schema = JSON.parse(readRepoFile(SCHEMA_PATH)) as Dict
const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true })
const validate = ajv.compile(schema)

/** The YAML document as the parser reads it (js-yaml, core schema); an empty file is null. */
function document(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA }) ?? null
}

function parserVerdict(text: string): { valid: boolean; message?: string } {
  try {
    parseConfig(text, 'acme', SOURCE)
    return { valid: true }
  } catch (error) {
    if (error instanceof ConfigError) return { valid: false, message: error.message }
    throw error
  }
}

function schemaVerdict(text: string): { valid: boolean; errors?: string } {
  const valid = validate(document(text))
  return valid ? { valid } : { valid, errors: ajv.errorsText(validate.errors) }
}

/** Where the two disagree, both reasons, to see which side to fix. */
function disagreement(text: string): string | undefined {
  const parser = parserVerdict(text)
  const fromSchema = schemaVerdict(text)
  if (parser.valid === fromSchema.valid) return undefined
  return `${JSON.stringify(text)}: parser ${parser.valid ? 'accepts' : `rejects (${parser.message})`}, schema ${fromSchema.valid ? 'accepts' : `rejects (${fromSchema.errors})`}`
}

function dict(value: unknown, what: string): Dict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not an object`)
  }
  return value as Dict
}

function resolve(node: Dict): Dict {
  const ref = node.$ref
  if (typeof ref !== 'string') return node
  const name = ref.replace('#/definitions/', '')
  return resolve(dict(dict(schema.definitions, 'definitions')[name], ref))
}

/** The closed objects of the schema, by path: root '', 'environments.*', 'routes[]', ... */
function schemaObjects(): Map<string, Dict> {
  const found = new Map<string, Dict>()
  const visit = (node: Dict, path: string) => {
    const resolved = resolve(node)
    if (resolved.properties !== undefined) found.set(path, resolved)
    for (const [key, child] of Object.entries(dict(resolved.properties ?? {}, path))) {
      visit(dict(child, key), path === '' ? key : `${path}.${key}`)
    }
    if (typeof resolved.additionalProperties === 'object') {
      visit(dict(resolved.additionalProperties, path), `${path}.*`)
    }
    if (typeof resolved.items === 'object') visit(dict(resolved.items, path), `${path}[]`)
  }
  visit(schema, '')
  return found
}

/** The keys the parser accepts at one level: it names them when it meets an unknown one. */
function parserKeys(probe: string): string[] {
  const { valid, message } = parserVerdict(probe)
  expect(valid).toBe(false)
  const known = /known keys here: (.+)$/.exec(message ?? '')
  if (!known?.[1]) throw new Error(`the parser no longer lists its known keys: ${message}`)
  return known[1].split(', ').sort()
}

describe('the config schema', () => {
  it('is a valid draft-07 JSON Schema (ajv strict mode compiles it)', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(typeof validate).toBe('function')
  })

  it('is published where the template and the README point, at the major version', () => {
    expect(schema.$id).toBe(publishedAt(SCHEMA_PATH))
  })

  it('has, at every level, exactly the keys the parser accepts, and no others', () => {
    const probes: Record<string, string> = {
      '': '__probe__: 1\n',
      'environments.*': 'environments: { staging: { branch: s, __probe__: 1 } }\n',
      'routes[]': 'routes: [{ pattern: "*.json", __probe__: 1 }]\n',
      repositories: 'repositories: { __probe__: 1 }\n'
    }
    const objects = schemaObjects()
    expect([...objects.keys()].sort()).toEqual(Object.keys(probes).sort())
    for (const [path, probe] of Object.entries(probes)) {
      const object = objects.get(path) as Dict
      const keys = Object.keys(dict(object.properties, path)).sort()
      expect({ path, keys }).toEqual({ path, keys: parserKeys(probe) })
      expect({ path, additionalProperties: object.additionalProperties }).toEqual({
        path,
        additionalProperties: false
      })
    }
  })

  it('gives the parser defaults as its defaults (claude_namespace: the organisation, none)', () => {
    const defaults = defaultConfig('acme')
    const snake = (key: string) => key.replace(/[A-Z]/g, letter => `_${letter.toLowerCase()}`)
    const snakeCase = (value: unknown): unknown =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeCase(v)]))
        : value
    const expected = snakeCase(defaults) as Dict
    delete expected.claude_namespace
    const properties = dict(schema.properties, 'properties')
    const schemaDefaults = Object.fromEntries(
      Object.entries(properties)
        .filter(([, property]) => 'default' in dict(property, 'property'))
        .map(([key, property]) => [key, dict(property, key).default])
    )
    expect(schemaDefaults).toEqual(expected)
    expect(dict(properties.claude_namespace, 'claude_namespace').default).toBeUndefined()
  })
})

/** A string as YAML reads it back: JSON, with every character beyond ASCII escaped. */
function quote(value: string): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** The globs in every place of each kind: path globs, repository-name globs. */
const pathGlobs = (globs: string[]) =>
  `sync_patterns: [${globs.map(quote).join(', ')}]\n` +
  `routes:\n${globs.map(glob => `  - { pattern: ${quote(glob)} }\n`).join('')}`
const nameGlobs = (globs: string[]) =>
  `routes: [{ pattern: a, include: [${globs.map(quote).join(', ')}] }]\n` +
  `repositories: { topics: [${globs.map(quote).join(', ')}] }\n`

const GOOD_PATH_GLOBS = [
  '**',
  './docs/**/*.md',
  '  docs/*  ',
  'docs/a b/[!._]*',
  'docs/[]a]/[!]]/[a-]/[\\]-a]',
  'docs/\\*\\?\\[\\]\\{\\}',
  'docs/*.{md,txt}',
  '{docs,guides}/**',
  './!x',
  'a!b/(x)/@/+',
  'docs/a-b_c~d',
  '.github/workflows/*.yml',
  '.../x',
  'a'.repeat(1024),
  ` ${'a'.repeat(1024)}\t`,
  `${'*a/'.repeat(20)}**/${'?'.repeat(11)}`,
  `[a][b][c][d]${'?'.repeat(28)}`
]
const BAD_PATH_GLOBS: [string, string][] = [
  ['too long', 'a'.repeat(1025)],
  ['with 33 wildcards', `${'*a/'.repeat(20)}**/${'?'.repeat(12)}`],
  ['with 33 wildcards in classes', `[a][b][c][d][e]${'?'.repeat(28)}`],
  ['with a NUL', 'docs/a\0b'],
  ['negated', '!docs/**'],
  ['negated after spaces', '  !x'],
  ['with a leading /', '/docs'],
  ['with ./ and a leading /', './/docs'],
  ['with a trailing /', 'docs/'],
  ['with a doubled /', 'docs//x'],
  ['./ twice', '././docs'],
  ['./..', './../docs'],
  ['with .. in braces written out', '{a,b}/../x'],
  ['with // in braces', '{a//b,c}'],
  ['** within a segment', '**.md'],
  ['** after a letter', 'docs/a**'],
  ['***', 'docs/***'],
  ['** after an escaped backslash', 'docs/\\\\**'],
  ['with an extglob', 'docs/+(a|b)'],
  ['with *(', 'docs/*(a)'],
  ['with ?(', '?(a)'],
  ['with @( after ./', './@(a)'],
  ['with !( inside', 'a!(b)'],
  ['with an unclosed class', 'docs/[ab'],
  ['with an empty class', 'docs/[]'],
  ['with a negated empty class', 'docs/[!]'],
  ['with a class across a /', 'docs/[a/b]'],
  ['with a POSIX class', 'docs/[[:alpha:]]'],
  ['with a POSIX class after a negation', 'docs/[^[:alpha:]]'],
  ['with a stray ]', 'docs/a]'],
  ['with a stray }', 'docs/a}'],
  ['with a lone \\ at the end', 'docs/a\\'],
  ['with an escaped space at the end', 'docs/a\\ '],
  ['with an escaped /', 'docs\\/a'],
  ['with a range open to the end', 'docs/[a-']
]
const GOOD_NAME_GLOBS = [
  '*',
  'api-*',
  'codex.*',
  '[!x]*',
  'web\\-?',
  '*a*a*a*a*a*a*a*a*a*b',
  '.',
  '..',
  'a\\ b',
  '[a-z0-9]*',
  '[/]',
  '[ ]',
  '[]a]',
  '\\[\\]\\{\\}\\/',
  '***',
  '*?'.repeat(16),
  '**?'.repeat(16),
  'a'.repeat(256),
  `\t${'a'.repeat(256)} `
]
const BAD_NAME_GLOBS: [string, string][] = [
  ['too long', 'a'.repeat(257)],
  ['with 33 wildcards', '*?'.repeat(17)],
  ['with the owner', 'acme/api'],
  ['with a space', 'a b'],
  ['with braces', '{api,web}'],
  ['negated', '!api'],
  ['with a stray ]', 'api]'],
  ['with an unclosed class', 'api['],
  ['with a POSIX class', '[[:alpha:]]'],
  ['with a lone \\ at the end', 'api\\'],
  ['with an escaped space at the end', 'api\\ '],
  ['with a non-ASCII letter', 'ünï'],
  ['with a NUL', 'a\0b']
]

/** Sample configs with the verdict both the parser and the schema must give. */
const SAMPLES: [string, boolean, string][] = [
  ['empty file', true, ''],
  ['only a comment', true, '# nothing yet\n'],
  ['explicit null document', true, '~\n'],
  ['the SPEC example', true, readRepoFile(TEMPLATE_CONFIG)],
  ['a list as the document', false, '- a\n- b\n'],
  ['a string as the document', false, 'just text\n'],
  ['unknown top-level key', false, 'sync_pattern: ["docs/**"]\n'],
  ['a key without value', false, 'sync_patterns:\n'],
  ['one string for a list', true, 'sync_patterns: "docs/**"\n'],
  ['empty pattern list', true, 'exclude_patterns: []\n'],
  ['an empty pattern', false, 'sync_patterns: ["docs/**", ""]\n'],
  ['a blank pattern', false, 'sync_patterns: ["  "]\n'],
  ['a number as pattern', false, 'sync_patterns: [42]\n'],
  ['patterns as a mapping', false, 'sync_patterns: { docs: true }\n'],
  ['an extra environment', true, 'environments: { staging: { branch: release/next } }\n'],
  ['environment without branch', false, 'environments: { staging: {} }\n'],
  ['environment with null branch', false, 'environments: { staging: { branch: ~ } }\n'],
  ['environment as a string', false, 'environments: { staging: main }\n'],
  ['environment with unknown key', false, 'environments: { test: { branch: t, base: main } }\n'],
  ['environment name with a space', false, 'environments: { "my env": { branch: main } }\n'],
  ['branch with a space', false, 'environments: { test: { branch: "my branch" } }\n'],
  ['branch padded with spaces', true, 'environments: { test: { branch: "  test  " } }\n'],
  ['environments as a list', false, 'environments: [test]\n'],
  ['custom folders', true, 'projects_dir: docs/projects\ndistribution_dir: docs/shared\n'],
  ['folder with ./ and trailing /', true, 'projects_dir: ./docs/projects/\n'],
  ['folder .. outside', false, 'projects_dir: ../elsewhere\n'],
  ['folder with . segment', false, 'distribution_dir: docs/./shared\n'],
  ['folder in .github', false, 'distribution_dir: .github/codex\n'],
  ['folder .claude after ./', false, 'distribution_dir: ./.claude\n'],
  ['folder like .github but not', true, 'distribution_dir: .githubish\n'],
  ['folder with a backslash', false, 'projects_dir: "docs\\\\projects"\n'],
  ['folder root', false, 'projects_dir: /\n'],
  ['folder as a number', false, 'projects_dir: 7\n'],
  ['namespace', true, 'claude_namespace: acme-tools.v2\n'],
  ['namespace with a slash', false, 'claude_namespace: acme/tools\n'],
  ['namespace ..', false, 'claude_namespace: ..\n'],
  ['namespace ...', true, 'claude_namespace: ...\n'],
  ['namespace empty', false, 'claude_namespace: ""\n'],
  [
    'routes',
    true,
    'routes:\n  - { pattern: "docs/**/*.json", include: [api, "web-*"], exclude: legacy }\n'
  ],
  ['route without pattern', false, 'routes: [{ include: ["*"] }]\n'],
  ['route with empty pattern', false, 'routes: [{ pattern: "" }]\n'],
  ['route with unknown key', false, 'routes: [{ pattern: a, to: b }]\n'],
  ['route with null include', false, 'routes: [{ pattern: a, include: ~ }]\n'],
  ['routes as a mapping', false, 'routes: { pattern: a }\n'],
  ['route as a string', false, 'routes: ["docs/**"]\n'],
  ['folder .GitHub', false, 'projects_dir: docs/.GitHub/x\n'],
  ['folder .GIT at the end', false, 'distribution_dir: "docs/.GIT/ "\n'],
  ['folder .github. (not reserved)', true, 'distribution_dir: docs/.github.\n'],
  ['folder .Claude (only .claude is push-claude)', true, 'distribution_dir: .Claude\n'],
  ['folder .claude deeper', true, 'distribution_dir: docs/.claude\n'],
  ['folder .claude after .//', false, 'distribution_dir: .//.claude/x\n'],
  ['namespace .GIT', false, 'claude_namespace: .GIT\n'],
  ['namespace .github-tools', true, 'claude_namespace: .github-tools\n'],
  ['path globs of every kind', true, pathGlobs(GOOD_PATH_GLOBS)],
  ...BAD_PATH_GLOBS.map(([what, glob]): [string, boolean, string] => [
    `path glob ${what}`,
    false,
    pathGlobs([glob])
  ]),
  ['name globs of every kind', true, nameGlobs(GOOD_NAME_GLOBS)],
  ...BAD_NAME_GLOBS.map(([what, glob]): [string, boolean, string] => [
    `name glob ${what}`,
    false,
    nameGlobs([glob])
  ]),
  ['thresholds', true, 'deletion_threshold: 0\ndeletion_threshold_percent: 12.5\n'],
  ['threshold written 5.0', true, 'deletion_threshold: 5.0\n'],
  ['negative threshold', false, 'deletion_threshold: -1\n'],
  ['fractional threshold', false, 'deletion_threshold: 2.5\n'],
  ['threshold as a string', false, 'deletion_threshold: "50"\n'],
  ['percent above 100', false, 'deletion_threshold_percent: 100.5\n'],
  ['percent 100', true, 'deletion_threshold_percent: 100\n'],
  ['percent .nan', false, 'deletion_threshold_percent: .nan\n'],
  ['percent .inf', false, 'deletion_threshold_percent: .inf\n'],
  [
    'repositories',
    true,
    'repositories: { skip_archived: false, skip_forks: true, topics: [docs] }\n'
  ],
  ['repositories partly', true, 'repositories: { topics: docs }\n'],
  ['skip_archived as yes', false, 'repositories: { skip_archived: yes }\n'],
  ['skip_forks as a string', false, 'repositories: { skip_forks: "true" }\n'],
  ['repositories unknown key', false, 'repositories: { skip_templates: true }\n'],
  ['repositories as a list', false, 'repositories: [skip_archived]\n']
]

describe('sample configs: the schema and parseConfig agree', () => {
  it.each(SAMPLES)('%s (valid: %s)', (_name, valid, text) => {
    expect({ parser: parserVerdict(text).valid, schema: schemaVerdict(text).valid }).toEqual({
      parser: valid,
      schema: valid
    })
  })
})

describe('every key with values of every type: the schema and parseConfig agree', () => {
  const values = [
    '~',
    'true',
    '0',
    '-1',
    '1.5',
    '100',
    '101',
    '.nan',
    '""',
    '"x"',
    '"*"',
    '[]',
    '["a"]',
    '["a", ""]',
    '[1]',
    '{}',
    '{ a: 1 }',
    '[{ pattern: a }]'
  ]
  const strings = [
    '.',
    '..',
    '...',
    './',
    '/',
    'docs',
    './docs',
    '/docs/',
    '//docs//x//',
    'a/../b',
    'a/./b',
    'a/.../b',
    '.github',
    '.github/',
    '.github/x',
    './.claude/x',
    '.githubx',
    '.GitHub',
    '.codex',
    'a\\b',
    '  docs  ',
    ' ./ docs',
    ' . ',
    'docs/.. ',
    'docs / ',
    'my docs',
    'a b',
    'a/b',
    'acme_1.x-y',
    ' acme ',
    'feature/x',
    '',
    '.git',
    '.GIT',
    'x/.Git/y',
    '.github.',
    '.claude',
    '.Claude',
    '**',
    '**.md',
    'docs/**/*.md',
    '*.{md,txt}',
    '[!a]*',
    'a\\*',
    '[[:alpha:]]',
    'a]',
    'x\\',
    '!x',
    './!x',
    '@(a)'
  ].map(value => JSON.stringify(value))
  const places: [string, (value: string) => string][] = [
    ['environments', v => `environments: ${v}\n`],
    ['environments.<name>', v => `environments: { staging: ${v} }\n`],
    ['environments.<name>.branch', v => `environments: { staging: { branch: ${v} } }\n`],
    ['sync_patterns', v => `sync_patterns: ${v}\n`],
    ['exclude_patterns', v => `exclude_patterns: ${v}\n`],
    ['projects_dir', v => `projects_dir: ${v}\n`],
    ['distribution_dir', v => `distribution_dir: ${v}\n`],
    ['claude_namespace', v => `claude_namespace: ${v}\n`],
    ['routes', v => `routes: ${v}\n`],
    ['routes[].pattern', v => `routes: [{ pattern: ${v} }]\n`],
    ['routes[].include', v => `routes: [{ pattern: a, include: ${v} }]\n`],
    ['routes[].exclude', v => `routes: [{ pattern: a, exclude: ${v} }]\n`],
    ['deletion_threshold', v => `deletion_threshold: ${v}\n`],
    ['deletion_threshold_percent', v => `deletion_threshold_percent: ${v}\n`],
    ['repositories', v => `repositories: ${v}\n`],
    ['repositories.skip_archived', v => `repositories: { skip_archived: ${v} }\n`],
    ['repositories.skip_forks', v => `repositories: { skip_forks: ${v} }\n`],
    ['repositories.topics', v => `repositories: { topics: ${v} }\n`]
  ]

  it.each(places)('%s', (_place, config) => {
    const disagreements = [...values, ...strings]
      .map(value => disagreement(config(value)))
      .filter(found => found !== undefined)
    expect(disagreements).toEqual([])
  })

  it('environment names: any name without whitespace', () => {
    const names = ['staging', 'pre-prod', '"my env"', '"tab\\tname"', '"1"', '"ünï"']
    const disagreements = names
      .map(name => disagreement(`environments: { ${name}: { branch: b } }\n`))
      .filter(found => found !== undefined)
    expect(disagreements).toEqual([])
  })
})

/** Text made of pieces that globs, folders and names treat specially. */
const piecesText = (pieces: string[], maxLength = 12) =>
  fc
    .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 2 })), { maxLength })
    .map(parts => parts.join(''))

const GLOB_PIECES = [
  '*',
  '**',
  '?',
  '[',
  ']',
  '!',
  '^',
  '-',
  '\\',
  '/',
  './',
  '../',
  '.',
  '..',
  ',',
  '(',
  '@(',
  '+(',
  ' ',
  '\t',
  '[:',
  ':]',
  'a',
  'z',
  '.github',
  '\uFEFF',
  'é',
  '😀',
  'docs/',
  '*.md',
  '[a-z]',
  '[!a]',
  '\\*',
  '\\ '
]
const FOLDER_PIECES = [
  '/',
  './',
  '../',
  '.',
  '..',
  ' ',
  '\\',
  'docs',
  '-',
  '_',
  '.git',
  '.GIT',
  '.github',
  '.GitHub',
  '.claude',
  '.Claude',
  'x'
]

describe('generated values: the schema and parseConfig agree', () => {
  const RUNS = { numRuns: 400 }
  const agree = (text: string) => expect(disagreement(text)).toBeUndefined()
  const reversedRange = (text: string) => /reversed range/.test(parserVerdict(text).message ?? '')

  it('path globs without {: the same verdict (reversed ranges aside)', () => {
    const glob = piecesText([...GLOB_PIECES, '}', '\\{', '\\}', '\0']).filter(
      text => !text.includes('{')
    )
    fc.assert(
      fc.property(glob, text => {
        const config = `routes: [{ pattern: ${quote(text)} }]\n`
        if (!reversedRange(config)) agree(config)
      }),
      RUNS
    )
  })

  it('path globs with {a,b}: the schema accepts every glob the parser accepts', () => {
    const glob = piecesText([...GLOB_PIECES, '{', '}', '{a,b}', '{a,', '\\{'], 16)
    fc.assert(
      fc.property(glob, text => {
        const config = `sync_patterns: ${quote(text)}\n`
        if (parserVerdict(config).valid) expect(schemaVerdict(config)).toEqual({ valid: true })
      }),
      RUNS
    )
  })

  it('repository-name globs: the same verdict (reversed ranges aside)', () => {
    // Without characters beyond U+FFFF (see the top of this file) and without NUL (see above).
    const glob = piecesText(GLOB_PIECES.filter(piece => piece !== '😀'))
    fc.assert(
      fc.property(glob, text => {
        const config = `repositories: { topics: [${quote(text)}] }\n`
        if (!reversedRange(config)) agree(config)
      }),
      RUNS
    )
  })

  it('folders and namespaces: the same verdict', () => {
    fc.assert(
      fc.property(piecesText(FOLDER_PIECES, 6), text => {
        agree(`projects_dir: ${quote(text)}\n`)
        agree(`claude_namespace: ${quote(text)}\n`)
      }),
      RUNS
    )
  })
})

describe('rules only the parser enforces: it rejects, the schema by design accepts', () => {
  const parserOnly: [string, string][] = [
    ['a {...} group without a comma', 'sync_patterns: "docs/{a}"\n'],
    ['an unclosed {', 'sync_patterns: "docs/{a,b"\n'],
    ['more than 64 expansions', 'sync_patterns: "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"\n'],
    ['an empty segment from an expansion', 'sync_patterns: "{a,}/b"\n'],
    ['a . segment from an expansion', 'sync_patterns: "docs/{.,a}/x"\n'],
    ['** within a segment, beside a group', 'sync_patterns: "{a,b}/x**"\n'],
    ['an extglob beside a group', 'sync_patterns: "{a,b}/@(x)"\n'],
    ['33 wildcards beside a group', `sync_patterns: "{a,b}/${'?'.repeat(33)}"\n`],
    ['a reversed range in a path glob', 'routes: [{ pattern: "docs/[z-a]" }]\n'],
    ['a reversed range in a name glob', 'repositories: { topics: "[z-a]*" }\n'],
    ['1025 UTF-16 units in 513 characters', `sync_patterns: "${'😀'.repeat(512)}a"\n`],
    ['an escaped emoji in a name glob', 'repositories: { topics: "\\\\😀" }\n']
  ]

  it.each(parserOnly)('%s', (_what, text) => {
    expect({ parser: parserVerdict(text).valid, schema: schemaVerdict(text).valid }).toEqual({
      parser: false,
      schema: true
    })
  })
})

describe('the template config (examples/codex/.github/codex-sync.yml)', () => {
  const text = readRepoFile(TEMPLATE_CONFIG)

  it('names the published schema on its first line, for editors', () => {
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${publishedAt(SCHEMA_PATH)}`)
  })

  it('is valid for the schema and for the parser, and says what the defaults say', () => {
    expect(schemaVerdict(text)).toEqual({ valid: true })
    const parsed = parseConfig(text, 'acme', TEMPLATE_CONFIG)
    expect(parsed).toEqual({
      ...defaultConfig('acme'),
      routes: [{ pattern: 'docs/schema/**/*.json', include: ['*'], exclude: [] }]
    })
  })

  it('is the file the reference tells editors to point at', () => {
    expect(readFileSync(new URL('../docs/reference.md', import.meta.url), 'utf8')).toContain(
      publishedAt(SCHEMA_PATH)
    )
  })
})
