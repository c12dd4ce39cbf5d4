import { describe, expect, it } from '@jest/globals'
import { matchesAny, nameMatcher, pathMatcher } from '../src/plan/globs.js'

const selectName = (name: string, include: string[], exclude: string[]) =>
  nameMatcher(include, exclude)(name)

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
