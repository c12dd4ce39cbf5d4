/** Glob syntax: parses and bounds the globs of the inputs, the config and frontmatter (plan/globs.ts matches them). */

/**
 * `name`: a repository name or topic (`[A-Za-z0-9._-]`): `*`, `?`, `[...]` and `\` escapes.
 * `path`: a repository path: the same within a segment, `**` as a whole segment, `{a,b}`.
 */
export type GlobKind = 'name' | 'path'

/** One character of a segment, or `*`: any run of characters (never `/`). */
export type GlobToken =
  | { kind: 'literal'; char: string }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: [string, string][] }
  | { kind: 'star' }

/** A path segment pattern, or `**`: any number of whole segments, none included. */
export type GlobSegment = { kind: 'globstar' } | { kind: 'segment'; tokens: GlobToken[] }

/** A parsed glob: it matches when one of its alternatives (from `{a,b}`) matches. */
export interface ParsedGlob {
  kind: GlobKind
  alternatives: GlobSegment[][]
}

/**
 * Bounds on one glob. Matching time grows with the pattern's size times the name's or path's
 * length (never more), so these bounds keep each match cheap; patterns beyond them are mistakes.
 */
export const GLOB_LIMITS = {
  /** Characters of a repository-name glob (GitHub names have at most 100). */
  nameLength: 256,
  /** Characters of a path glob. */
  pathLength: 1024,
  /** `*`, `?` and `[...]` in one glob. */
  wildcards: 32,
  /** Alternatives a path glob's `{a,b}` groups expand to. */
  alternatives: 64
} as const

/** What is wrong with a glob; the caller names where it came from. */
export class GlobSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GlobSyntaxError'
  }
}

const NAME_CHAR = /^[A-Za-z0-9._-]$/
/** Marks where a `{a,b}` option was spliced in, so that `*{a,*}` never forms a `**` segment. */
const SPLICE = '\0'
const NAME_SYNTAX = 'supported: letters, digits, . _ - and *, ?, [...], \\'

/** What is wrong with a glob, or undefined when it is valid. */
export function globProblem(pattern: string, kind: GlobKind): string | undefined {
  try {
    parseGlob(pattern, kind)
    return undefined
  } catch (error) {
    if (error instanceof GlobSyntaxError) return error.message
    throw error
  }
}

/** A pattern as messages show it: quoted, and cut when long. */
export function quotePattern(pattern: string): string {
  return JSON.stringify(pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern)
}

/** Parses a glob; throws GlobSyntaxError when it is empty, too large or uses unsupported syntax. */
export function parseGlob(pattern: string, kind: GlobKind): ParsedGlob {
  const maxLength = kind === 'name' ? GLOB_LIMITS.nameLength : GLOB_LIMITS.pathLength
  if (pattern === '') fail('is empty')
  if (pattern.length > maxLength) fail(`is longer than ${maxLength} characters`)
  if (pattern.includes(SPLICE)) fail(`contains a NUL character, which no repository ${kind} has`)
  if (kind === 'name') return { kind, alternatives: [[nameSegment(pattern)]] }
  if (pattern.startsWith('!')) {
    fail("starts with '!', which would negate it: use exclude_patterns for what to leave out")
  }
  const alternatives = expandBraces(pattern.replace(/^\.\//, '')).map(pathSegments)
  const wildcards = Math.max(...alternatives.map(countWildcards))
  if (wildcards > GLOB_LIMITS.wildcards) tooManyWildcards()
  return { kind, alternatives }
}

function fail(problem: string): never {
  throw new GlobSyntaxError(problem)
}

function tooManyWildcards(): never {
  fail(`has more than ${GLOB_LIMITS.wildcards} wildcards`)
}

function nameSegment(pattern: string): GlobSegment {
  const tokens = segmentTokens(pattern, 'name', char => {
    if (char === '/') fail("contains '/': match the bare repository name, without the owner")
    if (!NAME_CHAR.test(char)) {
      fail(`contains ${JSON.stringify(char)}, which no repository name has (${NAME_SYNTAX})`)
    }
  })
  if (countWildcards([{ kind: 'segment', tokens }]) > GLOB_LIMITS.wildcards) tooManyWildcards()
  return { kind: 'segment', tokens }
}

function pathSegments(pattern: string): GlobSegment[] {
  return pattern.split('/').map(part => {
    const text = part.replaceAll(SPLICE, '')
    if (text === '') fail("has an empty path segment (a leading, trailing or doubled '/')")
    if (text === '.' || text === '..') fail(`has a '${text}' segment, which no repository path has`)
    if (part === '**') return { kind: 'globstar' }
    return {
      kind: 'segment',
      tokens: segmentTokens(part, 'path', char => {
        if (char === '{' || char === '}')
          fail(`has an unmatched '${char}' (escape it as \\${char})`)
      })
    }
  })
}

/** The tokens of one segment; `checkLiteral` rejects unescaped characters the kind forbids. */
function segmentTokens(
  text: string,
  kind: GlobKind,
  checkLiteral: (char: string) => void
): GlobToken[] {
  const tokens: GlobToken[] = []
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i)
    if (char === SPLICE) continue
    if (kind === 'path' && '@!+*?'.includes(char) && text.charAt(i + 1) === '(') {
      fail(`uses '${char}(...)' (extglobs are not supported; escape the '(' to match it)`)
    }
    if (char === '*') {
      const afterStar = tokens[tokens.length - 1]?.kind === 'star' && text.charAt(i - 1) === '*'
      if (afterStar && kind === 'path') {
        fail("uses '**' within a segment: '**' stands alone between slashes, as in docs/**/*.md")
      }
      // In a name, `**` is `*`: consecutive stars are one.
      if (!afterStar) tokens.push({ kind: 'star' })
    } else if (char === '?') {
      tokens.push({ kind: 'any' })
    } else if (char === '[') {
      const { token, end } = parseClass(text, i)
      tokens.push(token)
      i = end
    } else if (char === '\\') {
      if (i + 1 >= text.length) fail("ends with a lone '\\'")
      tokens.push({ kind: 'literal', char: text.charAt(++i) })
    } else if (char === ']') {
      fail("has a ']' without its '[' (escape it as \\])")
    } else {
      checkLiteral(char)
      tokens.push({ kind: 'literal', char })
    }
  }
  return tokens
}

/** `[abc]`, `[a-z]`, `[!a]` or `[^a]` from `start`; `end` is the index of its `]`. */
function parseClass(text: string, start: number): { token: GlobToken; end: number } {
  let i = start + 1
  const negated = text.charAt(i) === '!' || text.charAt(i) === '^'
  if (negated) i++
  const ranges: [string, string][] = []
  const readChar = (): string => {
    const char = text.charAt(i)
    if (char === '\\' && i + 1 < text.length) i++
    return text.charAt(i++)
  }
  while (i < text.length) {
    if (text.charAt(i) === ']' && ranges.length > 0)
      return { token: { kind: 'class', negated, ranges }, end: i }
    if (text.startsWith('[:', i)) fail('uses a POSIX class such as [:alpha:] (not supported)')
    const low = readChar()
    let high = low
    if (text.charAt(i) === '-' && i + 1 < text.length && text.charAt(i + 1) !== ']') {
      i++
      high = readChar()
      if (high < low) fail(`has the reversed range '${low}-${high}'`)
    }
    ranges.push([low, high])
  }
  return fail("has an unclosed '['")
}

/** The index of the `]` closing the class opened at `start`, or -1 (as parseClass reads it). */
function classEnd(text: string, start: number): number {
  let i = start + 1
  if (text.charAt(i) === '!' || text.charAt(i) === '^') i++
  let first = true
  while (i < text.length) {
    const char = text.charAt(i)
    if (char === ']' && !first) return i
    i += char === '\\' ? 2 : 1
    first = false
  }
  return -1
}

/** `a{b,c}d` -> [abd, acd], nested groups too; escapes and classes are kept as written. */
function expandBraces(pattern: string): string[] {
  const open = findUnescaped(pattern, '{')
  if (open === -1) return [pattern]
  const options: string[] = []
  let depth = 0
  let from = open + 1
  for (let i = open + 1; i < pattern.length; i++) {
    const char = pattern.charAt(i)
    if (char === '\\') i++
    else if (char === '[') i = Math.max(i, classEnd(pattern, i))
    else if (char === '{') depth++
    else if (char === '}' && depth > 0) depth--
    else if ((char === ',' || char === '}') && depth === 0) {
      options.push(pattern.slice(from, i))
      from = i + 1
      if (char === '}') return expandGroup(pattern.slice(0, open), options, pattern.slice(i + 1))
    }
  }
  return fail("has an unclosed '{'")
}

function expandGroup(prefix: string, options: string[], suffix: string): string[] {
  if (options.length < 2) fail("has a '{...}' group without a comma (write {a,b}, or escape it)")
  const expanded: string[] = []
  const tails = expandBraces(suffix)
  for (const option of options) {
    for (const head of expandBraces(prefix + SPLICE + option)) {
      for (const tail of tails) {
        expanded.push(head + SPLICE + tail)
        if (expanded.length > GLOB_LIMITS.alternatives) {
          fail(`expands to more than ${GLOB_LIMITS.alternatives} alternatives`)
        }
      }
    }
  }
  return expanded
}

/** The index of the first `char` that is neither escaped nor inside a class, or -1. */
function findUnescaped(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    const current = text.charAt(i)
    if (current === char) return i
    if (current === '\\') i++
    else if (current === '[') i = Math.max(i, classEnd(text, i))
  }
  return -1
}

function countWildcards(segments: GlobSegment[]): number {
  let count = 0
  for (const segment of segments) {
    if (segment.kind === 'globstar') count++
    else count += segment.tokens.filter(token => token.kind !== 'literal').length
  }
  return count
}
