import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import {
  FrontmatterError,
  MAX_ROUTING_PATTERNS,
  readRoutingFrontmatter
} from '../src/plan/frontmatter.js'

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
    const markdown = titled('codex_sync_include: [*]', 'codex_sync_exclude: [*-legacy, x]')
    const expected = { include: ['*'], exclude: ['*-legacy', 'x'] }
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

describe('the tolerant reading never changes what valid YAML says', () => {
  it('keeps an alias on a routing key an alias', () => {
    const markdown = titled(
      'private: &private [billing, hr]',
      'codex_sync_include: [*]',
      'codex_sync_exclude: *private'
    )
    expect(readRoutingFrontmatter(markdown)).toEqual({ include: ['*'], exclude: ['billing', 'hr'] })
  })

  it('an undefined alias makes the frontmatter invalid, never an exclude of nothing or a glob', () => {
    for (const line of ['codex_sync_exclude: *private', 'codex_sync_include: *-docs']) {
      const error = frontmatterError(titled('codex_sync_include: [*]', line))
      expect(error.message).toMatch(/alias/)
    }
  })

  it('does not read *name items as globs when the frontmatter uses anchors (they may be misspelt aliases)', () => {
    const anchored = (exclude: string) =>
      titled(
        'private: &private billing',
        'codex_sync_include: [*]',
        `codex_sync_exclude: ${exclude}`
      )
    expect(frontmatterError(anchored('[*privat]')).message).toMatch(/alias/)
    expect(readRoutingFrontmatter(anchored('[*private, hr]'))).toEqual({
      include: ['*'],
      exclude: ['billing', 'hr']
    })
  })

  it('reads *name items as globs when the frontmatter defines no anchor ("R&D" is none)', () => {
    const markdown = titled(
      'title: R&D notes',
      'codex_sync_include: [api, *-web]',
      'codex_sync_exclude:',
      '  - *-legacy'
    )
    expect(readRoutingFrontmatter(markdown)).toEqual({
      include: ['api', '*-web'],
      exclude: ['*-legacy']
    })
  })

  it('quotes only plain items: quoted items with commas stay whole', () => {
    const markdown = titled("codex_sync_include: [\"a,b\", *, 'c''d'] # note")
    expect(frontmatterError(markdown).message).toContain('codex_sync_include')
    const valid = titled('codex_sync_include: ["api-*", *, \'web\'] # note')
    expect(readRoutingFrontmatter(valid).include).toEqual(['api-*', '*', 'web'])
  })

  it('reports a second YAML document in the frontmatter as invalid, not a crash', () => {
    expect(frontmatterError(titled('codex_sync_include: [api]', '...', 'x: 1')).message).toMatch(
      /single document/
    )
  })

  it('does not repair indented keys or tags', () => {
    expect(() => readRoutingFrontmatter(titled('meta:', '  codex_sync_include: [*]'))).toThrow(
      FrontmatterError
    )
    expect(() => readRoutingFrontmatter(titled('codex_sync_exclude: [!x]'))).toThrow(
      FrontmatterError
    )
  })
})

describe('frontmatter globs are validated when read', () => {
  it.each([
    ['codex_sync_include: [""]', "item 1 of 'codex_sync_include'", /empty/],
    ['codex_sync_exclude: ["api", "{a,b}"]', "item 2 of 'codex_sync_exclude'", /"\{"/],
    ['codex_sync_exclude: ["acme/api"]', 'codex_sync_exclude', /'\/'/],
    ['codex_sync_include: ["[z-a]"]', 'codex_sync_include', /reversed range/],
    ['codex_sync_include: [1e+21]', 'codex_sync_include', /"\+"/]
  ])('%s', (line, where, problem) => {
    const message = frontmatterError(titled(line)).message
    expect(message).toContain(where)
    expect(message).toMatch(problem)
  })

  it('refuses a glob that is too long or has too many wildcards', () => {
    const long = frontmatterError(titled(`codex_sync_include: "${'a'.repeat(300)}"`)).message
    expect(long).toMatch(/^'codex_sync_include' \("a{60}…"\) is longer than 256 characters$/)
    const complex = frontmatterError(titled(`codex_sync_exclude: ["${'*a'.repeat(40)}"]`)).message
    expect(complex).toMatch(/^item 1 of 'codex_sync_exclude' .* has more than 32 wildcards$/)
  })

  it('refuses more than MAX_ROUTING_PATTERNS patterns on one key', () => {
    const many = Array.from({ length: MAX_ROUTING_PATTERNS + 1 }, (_, i) => `p${i}`).join(', ')
    expect(frontmatterError(titled(`codex_sync_include: [${many}]`)).message).toMatch(
      /more than 1000/
    )
  })

  it('never hangs on long adversarial lines', () => {
    const started = performance.now()
    const spaces = ' '.repeat(200_000)
    expect(() =>
      readRoutingFrontmatter(titled(`codex_sync_include:${spaces}x${spaces}`, 'a: [*'))
    ).toThrow(FrontmatterError)
    expect(
      readRoutingFrontmatter(titled(`codex_sync_include: [${'*, '.repeat(500)}*]`)).include
    ).toHaveLength(501)
    expect(performance.now() - started).toBeLessThan(10_000)
  })
})

describe('unknown routing keys', () => {
  it('warns about a key that starts with codex_sync and is not a routing key, naming the closest one', () => {
    const routing = readRoutingFrontmatter(
      titled('codex_sync_includes: [api]', 'Codex-Sync-Exclude: [web]', 'codex_sync: x')
    )
    expect(routing.include).toBeUndefined()
    expect(routing.warnings).toEqual([
      `unknown frontmatter key "codex_sync_includes" is ignored: did you mean 'codex_sync_include'?`,
      `unknown frontmatter key "Codex-Sync-Exclude" is ignored: did you mean 'codex_sync_exclude'?`,
      `unknown frontmatter key "codex_sync" is ignored: did you mean 'codex_sync_include' or 'codex_sync_exclude'?`
    ])
  })

  it('has no warnings when every key is known or unrelated', () => {
    expect(
      readRoutingFrontmatter(titled('codex_sync_include: [api]', 'title: x')).warnings
    ).toBeUndefined()
  })
})
