/** Glob matching for repository names (case-insensitive) and paths (case-sensitive), linear in time. */
import { parseGlob, type GlobSegment, type GlobToken } from '../inputs/glob-syntax.js'

export interface MatchOptions {
  /**
   * true: the patterns are repository-name globs (names, topics), compared case-insensitively as
   * GitHub does. false (default): path globs, case-sensitive.
   */
  ignoreCase?: boolean
}

type Matcher = (value: string) => boolean

// Patterns are run as automata, never as backtracking regexes: a match costs at most the length of
// the name or path times the size of the pattern, which parseGlob bounds.

/**
 * One matcher for a list of globs, compiled once. An empty list never matches. A glob that is not
 * valid throws GlobSyntaxError: callers validate the globs they read (see globProblem).
 */
export function matchesAny(patterns: string[], options: MatchOptions = {}): Matcher {
  if (patterns.length === 0) return () => false
  return options.ignoreCase ? nameGlobs(patterns) : pathGlobs(patterns)
}

/** Whether a repository name matches an include pattern and no exclude pattern. */
export function nameMatcher(include: string[], exclude: string[]): Matcher {
  const included = matchesAny(include, { ignoreCase: true })
  const excluded = matchesAny(exclude, { ignoreCase: true })
  return name => included(name) && !excluded(name)
}

/** Matcher for repository paths (case-sensitive, dot files included); exclude wins. */
export function pathMatcher(include: string[], exclude: string[]): Matcher {
  const included = matchesAny(include)
  const excluded = matchesAny(exclude)
  return path => included(path) && !excluded(path)
}

function nameGlobs(patterns: string[]): Matcher {
  const literals = new Set<string>()
  const segments: SegmentMatcher[] = []
  for (const pattern of patterns) {
    const [segment] = parseGlob(pattern, 'name').alternatives[0] as [GlobSegment]
    const matcher = new SegmentMatcher(segment, true)
    if (matcher.literal === undefined) segments.push(matcher)
    else literals.add(matcher.literal)
  }
  return name => {
    const folded = name.toLowerCase()
    return literals.has(folded) || segments.some(segment => segment.matches(folded))
  }
}

function pathGlobs(patterns: string[]): Matcher {
  const literals = new Set<string>()
  const alternatives: SegmentMatcher[][] = []
  for (const pattern of patterns) {
    for (const alternative of parseGlob(pattern, 'path').alternatives) {
      const compiled = alternative.map(segment => new SegmentMatcher(segment, false))
      const literal = compiled.every(segment => segment.literal !== undefined)
      if (literal) literals.add(compiled.map(segment => segment.literal).join('/'))
      else alternatives.push(compiled)
    }
  }
  return path => {
    if (literals.has(path)) return true
    if (alternatives.length === 0) return false
    const parts = path.split('/')
    return alternatives.some(alternative => matchesSegments(alternative, parts))
  }
}

/**
 * Whether the path's segments match the pattern's, `**` standing for any number of whole
 * segments. `reached[j]`: the pattern so far can end just before path segment j. Each pattern
 * segment is tried once against each path segment: time linear in the path's length.
 */
function matchesSegments(pattern: SegmentMatcher[], parts: string[]): boolean {
  let reached = new Uint8Array(parts.length + 1)
  reached[0] = 1
  for (const segment of pattern) {
    const next = new Uint8Array(parts.length + 1)
    let any = false
    if (segment.globstar) {
      const first = reached.indexOf(1)
      if (first !== -1) next.fill(1, first)
      any = first !== -1
    } else {
      for (let j = 0; j < parts.length; j++) {
        if (reached[j] && segment.matches(parts[j] as string)) {
          next[j + 1] = 1
          any = true
        }
      }
    }
    if (!any) return false
    reached = next
  }
  return reached[parts.length] === 1
}

/**
 * One segment pattern run as a nondeterministic automaton: state i means "tokens before i matched".
 * Each character moves every live state at most one step, so a match costs at most
 * (characters x tokens) steps, whatever the pattern: no backtracking.
 */
class SegmentMatcher {
  readonly globstar: boolean
  /** The text a pattern without wildcards matches (folded to lower case for names). */
  readonly literal: string | undefined
  private readonly tokens: GlobToken[]
  /** The usual shapes (`*`, `*.log`, `draft-*`, `*secret*`) as a string test, without the automaton. */
  private readonly quick: Matcher | undefined

  constructor(
    segment: GlobSegment,
    private readonly ignoreCase: boolean
  ) {
    this.globstar = segment.kind === 'globstar'
    const tokens = segment.kind === 'segment' ? segment.tokens : []
    this.tokens = tokens.map(token =>
      token.kind === 'literal' && ignoreCase ? { ...token, char: token.char.toLowerCase() } : token
    )
    const literal = !this.globstar && this.tokens.every(token => token.kind === 'literal')
    this.literal = literal
      ? this.tokens.map(token => (token.kind === 'literal' ? token.char : '')).join('')
      : undefined
    this.quick = this.globstar ? undefined : quickMatcher(this.tokens)
  }

  /** `text` is already folded to lower case when the pattern ignores case. */
  matches(text: string): boolean {
    if (this.literal !== undefined) return text === this.literal
    if (this.quick) return this.quick(text)
    const tokens = this.tokens
    const size = tokens.length + 1
    let live = new Uint8Array(size)
    let next = new Uint8Array(size)
    live[0] = 1
    this.closeOverStars(live)
    for (let c = 0; c < text.length; c++) {
      const char = text.charAt(c)
      next.fill(0)
      let any = false
      for (let i = 0; i < tokens.length; i++) {
        if (!live[i]) continue
        const token = tokens[i] as GlobToken
        const to = token.kind === 'star' ? i : this.tokenMatches(token, char) ? i + 1 : -1
        if (to === -1) continue
        next[to] = 1
        any = true
      }
      if (!any) return false
      this.closeOverStars(next)
      ;[live, next] = [next, live]
    }
    return live[tokens.length] === 1
  }

  /** A star may match nothing: a live star state makes the state after it live too. */
  private closeOverStars(states: Uint8Array): void {
    for (let i = 0; i < this.tokens.length; i++) {
      if (states[i] && this.tokens[i]?.kind === 'star') states[i + 1] = 1
    }
  }

  private tokenMatches(token: GlobToken, char: string): boolean {
    switch (token.kind) {
      case 'literal':
        return token.char === char
      case 'class':
        return this.inClass(token, char) !== token.negated
      default:
        return true
    }
  }

  private inClass(token: { ranges: [string, string][] }, char: string): boolean {
    const candidates = this.ignoreCase ? [char, char.toUpperCase()] : [char]
    return token.ranges.some(([low, high]) =>
      candidates.some(candidate => candidate >= low && candidate <= high)
    )
  }
}

/** A matcher for stars around one literal run; undefined for any other shape. */
function quickMatcher(tokens: GlobToken[]): Matcher | undefined {
  const leading = tokens[0]?.kind === 'star'
  const trailing = tokens.length > 1 && tokens[tokens.length - 1]?.kind === 'star'
  const middle = tokens.slice(leading ? 1 : 0, trailing ? -1 : undefined)
  if (!leading && !trailing) return undefined
  if (!middle.every(token => token.kind === 'literal')) return undefined
  const run = middle.map(token => (token.kind === 'literal' ? token.char : '')).join('')
  if (leading && trailing) return text => text.includes(run)
  if (leading) return text => text.endsWith(run)
  return text => text.startsWith(run)
}
