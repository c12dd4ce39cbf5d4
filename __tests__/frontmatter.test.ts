import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FrontmatterError, readRoutingFrontmatter } from '../src/plan/frontmatter.js'

const GUIDE = new URL('../__fixtures__/documents/codex-sync-agent-guide.md', import.meta.url)

/** A document whose frontmatter has these lines, then a title. */
const titled = (...lines: string[]) => doc(lines, '\n# Title\n')

function frontmatterError(markdown: string): FrontmatterError {
  try {
    readRoutingFrontmatter(markdown)
  } catch (error) {
    if (error instanceof FrontmatterError) return error
    throw error
  }
  throw new Error('expected a FrontmatterError')
}

describe('readRoutingFrontmatter', () => {
  it("reads a real guide's frontmatter: [*] unquoted means every project", () => {
    const markdown = readFileSync(GUIDE, 'utf8')
    expect(readRoutingFrontmatter(markdown)).toEqual({ include: ['*'], exclude: [] })
  })

  it('gives {} without frontmatter or routing keys', () => {
    expect(readRoutingFrontmatter('# Title\n\ntext')).toEqual({})
    expect(readRoutingFrontmatter('')).toEqual({})
    expect(readRoutingFrontmatter(titled('title: x'))).toEqual({})
    expect(readRoutingFrontmatter(titled('# only a comment'))).toEqual({})
    expect(readRoutingFrontmatter('----\ncodex_sync_include: [*]\n----\n')).toEqual({})
  })

  it('leaves an absent key undefined', () => {
    const routing = readRoutingFrontmatter(titled('codex_sync_exclude: [web]'))
    expect(routing.include).toBeUndefined()
    expect(routing.exclude).toEqual(['web'])
  })

  it.each([
    ['codex_sync_include: [*]', ['*']],
    ['codex_sync_include: [*, api-*]', ['*', 'api-*']],
    ['codex_sync_include: [api, *-service]', ['api', '*-service']],
    ['codex_sync_include: [ *,api ] # every project', ['*', 'api']],
    ['codex_sync_include: *', ['*']],
    ['codex_sync_include: api', ['api']],
    ['codex_sync_include: "*"', ['*']],
    ["codex_sync_include: ['api-*', web]", ['api-*', 'web']],
    ['codex_sync_include:\n  - *\n  - web\n\n  - api-*', ['*', 'web', 'api-*']],
    ['codex_sync_include:\n- *-docs\nauthor: x', ['*-docs']],
    ['codex_sync_include: [1, true]', ['1', 'true']],
    ['codex_sync_include: []', []],
    ['codex_sync_include:', []]
  ])('%s', (line, include) => {
    const markdown = titled('title: Guide', line, 'tags: [a, b]')
    expect(readRoutingFrontmatter(markdown).include).toEqual(include)
  })

  it('accepts [*] on both keys at once, and with CRLF line ends', () => {
    const markdown = titled('codex_sync_include: [*]', 'codex_sync_exclude: [*-legacy, !x]')
    const expected = { include: ['*'], exclude: ['*-legacy', '!x'] }
    expect(readRoutingFrontmatter(markdown)).toEqual(expected)
    expect(readRoutingFrontmatter(markdown.replace(/\n/g, '\r\n'))).toEqual(expected)
  })

  it('repairs only the routing keys: [*] elsewhere stays an error with its line', () => {
    const error = frontmatterError(titled('title: x', 'tags: [*]', 'codex_sync_include: [*]'))
    expect(error.name).toBe('FrontmatterError')
    expect(error.message).toMatch(/YAML/)
    expect(error.message).toContain('line 3')
    expect(error.message).toContain('quote')
  })

  it('reports YAML that is invalid even after the repair, with the file line', () => {
    const error = frontmatterError(titled('title: x', 'codex_sync_include: [*', 'other: ['))
    expect(error.message).toMatch(/line \d+/)
  })

  it.each([
    ['codex_sync_include: {a: 1}', 'codex_sync_include'],
    ['codex_sync_exclude: [api, {a: 1}]', 'codex_sync_exclude'],
    ['codex_sync_exclude: [[a]]', 'codex_sync_exclude']
  ])('rejects a mapping or nested list: %s', (line, key) => {
    expect(frontmatterError(titled(line)).message).toContain(key)
  })

  it('rejects frontmatter that is not a mapping', () => {
    expect(frontmatterError(titled('- a', '- b')).message).toMatch(/mapping/)
  })

  it('never evaluates JavaScript frontmatter', () => {
    const markdown = '---js\n{ codex_sync_include: (globalThis.pwned = ["*"]) }\n---\n'
    expect(frontmatterError(markdown).message).toContain("'js'")
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined()
  })

  it('parses each call afresh (no stale cache for equal inputs)', () => {
    const markdown = titled('codex_sync_include: [*]')
    const first = readRoutingFrontmatter(markdown)
    first.include?.push('mutated')
    expect(readRoutingFrontmatter(markdown)).toEqual({ include: ['*'] })
  })
})

describe('readRoutingFrontmatter with an unclosed list', () => {
  it('reports the YAML error instead of reading a pattern such as "[*"', () => {
    expect(() =>
      readRoutingFrontmatter('---\ncodex_sync_include: [*\ntitle: broken\n---\nbody\n')
    ).toThrow(FrontmatterError)
  })
})
