import { describe, expect, it } from '@jest/globals'
import { GlobSyntaxError, globProblem } from '../src/inputs/glob-syntax.js'
import { matchesAny, nameMatcher, pathMatcher } from '../src/plan/globs.js'

const selectName = (name: string, include: string[], exclude: string[]) =>
  nameMatcher(include, exclude)(name)

/** Each case: pattern, value, whether the one matches the other. */
function expectMatches(options: { ignoreCase?: boolean }, cases: [string, string, boolean][]) {
  const results = cases.map(([pattern, value]) => matchesAny([pattern], options)(value))
  expect(results).toEqual(cases.map(([, , expected]) => expected))
}

describe('matchesAny', () => {
  it('never matches with an empty list', () => {
    const match = matchesAny([])
    expect(match('')).toBe(false)
    expect(match('anything')).toBe(false)
  })

  it('matches any of the patterns, dot files included', () => {
    const match = matchesAny(['docs/**', '*.md'])
    expect(match('docs/.hidden/a.md')).toBe(true)
    expect(match('.notes.md')).toBe(true)
    expect(match('src/a.ts')).toBe(false)
  })

  it('is case-sensitive unless asked otherwise', () => {
    expect(matchesAny(['README.md'])('readme.md')).toBe(false)
    expect(matchesAny(['README.md'], { ignoreCase: true })('readme.md')).toBe(true)
  })
})

describe('nameMatcher (repository names)', () => {
  it('* selects every project, including names with dots or a leading dot', () => {
    for (const name of ['api', 'codex.acme.io', '.github', 'web-app_2']) {
      expect(selectName(name, ['*'], [])).toBe(true)
    }
  })

  it('matches dotted names such as codex.acme.io against codex.*', () => {
    expect(selectName('codex.acme.io', ['codex.*'], [])).toBe(true)
    expect(selectName('codexacme', ['codex.*'], [])).toBe(false)
  })

  it('lets exclude win over include', () => {
    expect(selectName('api-legacy', ['api-*'], ['*-legacy'])).toBe(false)
    expect(selectName('api-core', ['api-*'], ['*-legacy'])).toBe(true)
  })

  it('selects nothing without include patterns', () => {
    expect(selectName('api', [], [])).toBe(false)
  })

  it('ignores case, as GitHub does for repository names', () => {
    expect(selectName('API-Core', ['api-*'], [])).toBe(true)
    expect(selectName('api-core', ['*'], ['API-*'])).toBe(false)
  })
})

describe('pathMatcher (repository paths)', () => {
  const defaults = pathMatcher(
    ['docs/**', 'README.md', 'CLAUDE.md'],
    ['**/node_modules/**', '**/.env', '**/*.log', '**/*secret*', '.github/workflows/**']
  )

  it('takes the sync patterns', () => {
    expect(defaults('docs/guide/setup.md')).toBe(true)
    expect(defaults('docs/.vitepress/config.js')).toBe(true)
    expect(defaults('README.md')).toBe(true)
    expect(defaults('src/index.ts')).toBe(false)
    expect(defaults('sub/README.md')).toBe(false)
  })

  it('excludes node_modules at the root and below', () => {
    const everything = pathMatcher(['**'], ['**/node_modules/**'])
    expect(everything('node_modules/pkg/README.md')).toBe(false)
    expect(everything('docs/node_modules/pkg/a.md')).toBe(false)
    expect(everything('docs/a.md')).toBe(true)
  })

  it('excludes .env, logs and secrets at any depth, root included', () => {
    const everything = pathMatcher(['**'], ['**/.env', '**/*.log', '**/*secret*'])
    const hidden = ['.env', 'docs/.env', 'debug.log', 'a/b.log', 'secret.md', 'docs/x-secrets.md']
    for (const path of hidden) {
      expect(everything(path)).toBe(false)
    }
    expect(everything('docs/.env.example')).toBe(true)
  })

  it('is case-sensitive for paths', () => {
    expect(defaults('readme.md')).toBe(false)
    expect(defaults('Docs/a.md')).toBe(false)
  })
})

describe('name globs: linear-time matching', () => {
  it('matches *a*a*a*a*a*a*a*a*a*b against a 50-character name at once', () => {
    const matches = matchesAny(['*a*a*a*a*a*a*a*a*a*b'], { ignoreCase: true })
    const started = performance.now()
    expect(matches('a'.repeat(50))).toBe(false)
    expect(matches('a'.repeat(49) + 'b')).toBe(true)
    // Backtracking takes minutes here; the automaton takes well under a millisecond.
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('supports ?, classes with ranges and ! or ^ negation, and escapes, in any case', () => {
    expectMatches({ ignoreCase: true }, [
      ['api-?', 'api-1', true],
      ['api-?', 'api-12', false],
      ['[a-c]pi', 'Bpi', true],
      ['[A-C]pi', 'bpi', true],
      ['[!a]pi', 'api', false],
      ['[!a]pi', 'Api', false],
      ['[^a]pi', 'xpi', true],
      ['web\\-app', 'WEB-app', true],
      ['a**b', 'a-x-b', true],
      ['*', '.github', true]
    ])
  })

  it('refuses an invalid glob with a GlobSyntaxError rather than matching nothing', () => {
    expect(() => matchesAny(['{api,web}'], { ignoreCase: true })).toThrow(GlobSyntaxError)
    expect(() => nameMatcher(['*'], ['[z-a]'])).toThrow(GlobSyntaxError)
  })
})

describe('path globs: linear-time matching', () => {
  it('stays fast on adversarial patterns and paths that make backtracking regexes take minutes', () => {
    const cases: [string, string][] = [
      ['**/*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(20_000)],
      ['**/a/**/a/**/a/**/a/**/b', Array(10_000).fill('a').join('/')],
      ['docs/**/*secret*', `docs/${Array(2_000).fill('secre').join('/')}x`]
    ]
    const started = performance.now()
    for (const [pattern, path] of cases) expect(matchesAny([pattern])(path)).toBe(false)
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('matches paths holding a newline like any other character (git allows them)', () => {
    // picomatch's ** did not cross a newline: such a file was not pulled, or not excluded.
    expect(pathMatcher(['docs/**'], [])('docs/line\nbreak.md')).toBe(true)
    expect(pathMatcher(['*/*'], ['secrets/**'])('secrets/a\nb.md')).toBe(false)
    const defaults = pathMatcher(['docs/**', '**/*.md'], ['**/*secret*'])
    expect(defaults('guide/line\nbreak.md')).toBe(true)
    expect(defaults('docs/a\nb/my-secret.md')).toBe(false)
    expect(defaults('docs/my\nsecret.md')).toBe(false)
  })

  it('supports {a,b}, ** as a whole segment, ? and classes within a segment', () => {
    expectMatches({}, [
      ['docs/**/*.{md,mdx}', 'docs/a/b.mdx', true],
      ['docs/**/*.{md,mdx}', 'docs/b.md', true],
      ['{docs,guides}/**', 'guides/x/y', true],
      ['docs/**', 'docs', true],
      ['a/**/b', 'a/b', true],
      ['*{a,*}', 'x/y', false],
      ['docs/?.md', 'docs/a.md', true],
      ['docs/[!a].md', 'docs/b.md', true],
      ['docs/[!a].md', 'docs/a.md', false],
      ['./docs/*.md', 'docs/a.md', true],
      ['docs/\\*.md', 'docs/*.md', true],
      ['docs/\\*.md', 'docs/a.md', false]
    ])
  })
})

describe('globProblem', () => {
  it.each([
    ['', 'name', /empty/],
    ['{api,web}', 'name', /"\{"/],
    ['acme/api', 'name', /'\/'/],
    ['!api', 'name', /"!"/],
    ['api[', 'name', /unclosed '\['/],
    ['[z-a]', 'name', /reversed range/],
    ['[[:alpha:]]', 'name', /POSIX/],
    ['api\\', 'name', /lone '\\'/],
    ['!docs/**', 'path', /exclude_patterns/],
    ['docs/{a,b', 'path', /unclosed '\{'/],
    ['docs/{a}', 'path', /without a comma/],
    ['docs/a}', 'path', /unmatched '\}'/],
    ['docs/', 'path', /empty path segment/],
    ['/docs/**', 'path', /empty path segment/],
    ['docs/../x', 'path', /'\.\.' segment/],
    ['**.md', 'path', /'\*\*' within a segment/],
    ['docs/+(a|b)', 'path', /extglobs/],
    ['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', 'path', /more than 64 alternatives/],
    ['docs/a\0b', 'path', /NUL/]
  ] as [string, 'name' | 'path', RegExp][])('%p as a %s glob: %p', (pattern, kind, problem) => {
    expect(globProblem(pattern, kind)).toMatch(problem)
  })

  it('bounds the length and the wildcards of a glob', () => {
    expect(globProblem('a'.repeat(256), 'name')).toBeUndefined()
    expect(globProblem('a'.repeat(257), 'name')).toBe('is longer than 256 characters')
    expect(globProblem('a'.repeat(1025), 'path')).toBe('is longer than 1024 characters')
    expect(globProblem('*?'.repeat(16), 'name')).toBeUndefined()
    expect(globProblem('*?'.repeat(17), 'name')).toBe('has more than 32 wildcards')
    expect(globProblem(`${'*a/'.repeat(20)}**/${'?'.repeat(20)}`, 'path')).toBe(
      'has more than 32 wildcards'
    )
  })

  it('accepts the documented defaults and ordinary globs', () => {
    const paths = [
      'docs/**',
      'README.md',
      '**/node_modules/**',
      '**/*secret*',
      'a/[b-d]?/*.{md,txt}'
    ]
    for (const pattern of paths) expect(globProblem(pattern, 'path')).toBeUndefined()
    for (const pattern of ['*', 'api-*', 'codex.*', '[!x]*', 'web\\-?', '*a*a*a*a*a*a*a*a*a*b'])
      expect(globProblem(pattern, 'name')).toBeUndefined()
  })
})
