/** Reads the routing keys of a Markdown file's YAML frontmatter, accepting real documents' `[*]`. */
import matter from 'gray-matter'
import { YAMLException, load } from 'js-yaml'
import { globProblem, quotePattern } from '../inputs/glob-syntax.js'

/** An absent key leaves its property undefined; an empty value gives []. */
export interface RoutingFrontmatter {
  include?: string[]
  exclude?: string[]
  /** Problems that do not stop the file, such as a misspelt routing key; absent when none. */
  warnings?: string[]
}

/** What is wrong with a document's frontmatter; the caller adds the file path. */
export class FrontmatterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FrontmatterError'
  }
}

/** Patterns one routing key may list: far more than any document needs, few enough to match fast. */
export const MAX_ROUTING_PATTERNS = 1000

const INCLUDE_KEY = 'codex_sync_include'
const EXCLUDE_KEY = 'codex_sync_exclude'
const ROUTING_KEYS = [INCLUDE_KEY, EXCLUDE_KEY]
/** Keys that look meant for codex-sync: `codex_sync...`, `codex-sync...`, in any case. */
const ROUTING_LIKE_KEY = /^codex[_-]?sync/i
const ROUTING_KEY_LINE = /^(codex_sync_(?:include|exclude)[ \t]*:)(.*)$/
const BLOCK_ITEM_LINE = /^([ \t]*-[ \t]+)(.*)$/
/** An alias-looking item: `*` and a name without spaces or flow indicators. */
const STAR_ITEM = /^\*[^\s,[\]{}]*$/
/** An anchor where YAML allows one: at a line start, or after a space or a flow indicator. */
const ANCHOR = /(?:^|[\s[{,])&[^\s,[\]{}]/m

/** Reads `codex_sync_include` / `codex_sync_exclude`; a document without frontmatter gives {}. */
export function readRoutingFrontmatter(markdown: string): RoutingFrontmatter {
  const data = parseFrontmatter(markdown)
  const routing: RoutingFrontmatter = {}
  if (Object.hasOwn(data, INCLUDE_KEY)) {
    routing.include = patternList(data[INCLUDE_KEY], INCLUDE_KEY)
  }
  if (Object.hasOwn(data, EXCLUDE_KEY)) {
    routing.exclude = patternList(data[EXCLUDE_KEY], EXCLUDE_KEY)
  }
  const warnings = Object.keys(data).flatMap(unknownRoutingKey)
  if (warnings.length > 0) routing.warnings = warnings
  return routing
}

/** A warning for a key that looks like a routing key but is none, naming the closest one. */
function unknownRoutingKey(key: string): string[] {
  if (!ROUTING_LIKE_KEY.test(key) || ROUTING_KEYS.includes(key)) return []
  const distances = ROUTING_KEYS.map(known => editDistance(key.toLowerCase(), known))
  const closest = ROUTING_KEYS.filter((_, i) => distances[i] === Math.min(...distances))
  return [
    `unknown frontmatter key ${quotePattern(key)} is ignored: did you mean ${closest.map(known => `'${known}'`).join(' or ')}?`
  ]
}

/** Levenshtein distance; the key is cut to 100 characters, so this stays cheap. */
function editDistance(a: string, b: string): number {
  const source = a.slice(0, 100)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= source.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (source[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

function parseFrontmatter(text: string): Record<string, unknown> {
  const markdown = text.replace(/^\uFEFF/, '')
  // Like gray-matter: a document opening with `----` has no frontmatter.
  if (!matter.test(markdown) || markdown.charAt(3) === '-') return {}
  // gray-matter would eval `---js` frontmatter: only YAML is ever handed to an engine.
  const language = matter.language(markdown).name.toLowerCase()
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    throw new FrontmatterError(`frontmatter language '${language}' is not supported: use YAML`)
  }
  // Passing options also keeps gray-matter from caching results by input text.
  const { data } = matter(markdown, { engines: { yaml: { parse: loadTolerantYaml } } })
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FrontmatterError('frontmatter must be a mapping of keys to values')
  }
  return data as Record<string, unknown>
}

/**
 * Real documents write `codex_sync_include: [*]`, which strict YAML rejects (`*` opens an alias).
 * Only when the strict parse fails, and only on the two routing keys, items that are themselves
 * invalid YAML are quoted and the parse retried (see quoteRoutingGlobs). Valid YAML is never
 * rewritten: a document whose strict parse succeeds reads exactly as strict YAML reads it. Lines
 * are rewritten in place, so reported line numbers stay true.
 */
function loadTolerantYaml(text: string): object {
  try {
    return load(text) as object
  } catch (strictError) {
    const repaired = quoteRoutingGlobs(text)
    if (repaired === text) throw yamlError(strictError)
    try {
      return load(repaired) as object
    } catch (error) {
      throw yamlError(error)
    }
  }
}

/** gray-matter hands over the text after the opening `---`, so YAML line numbers are file lines. */
function yamlError(error: unknown): unknown {
  if (!(error instanceof YAMLException)) return error
  const misreadIndicator = /alias|anchor|tag/.test(error.reason)
  const hint = misreadIndicator ? ' (quote values that start with *, & or !)' : ''
  // js-yaml gives no position for some errors, such as a second document in the stream.
  const where = error.mark ? ` at line ${error.mark.line + 1}` : ''
  return new FrontmatterError(`invalid YAML in frontmatter${where}: ${error.reason}${hint}`)
}

/**
 * Quotes, on the top-level routing keys, the list items (flow `[*, api-*]` or block `- *-web`) and
 * the lone scalar `*` that strict YAML cannot read. A lone `*` is never an alias (an alias needs a
 * name). `*name` is an alias to an undefined anchor when the frontmatter defines no anchor at all;
 * when it does define some, `*name` may be a misspelt alias, so it is left for the parse to reject:
 * reading it as a glob could drop projects from an exclude list. A scalar `*name` stays an alias.
 */
function quoteRoutingGlobs(text: string): string {
  const usesAnchors = ANCHOR.test(text)
  const repairable = (item: string) => item === '*' || (!usesAnchors && STAR_ITEM.test(item))
  let inRoutingBlockList = false
  return text
    .split(/\r\n|\r|\n/)
    .map(line => {
      const keyLine = ROUTING_KEY_LINE.exec(line)
      if (keyLine) {
        const [, key = '', value = ''] = keyLine
        inRoutingBlockList = isBlank(value)
        if (value.trimStart().startsWith('[')) return key + quoteFlowItems(value, repairable)
        return key + quoteScalar(value, item => item === '*')
      }
      if (!inRoutingBlockList || isBlank(line)) return line
      const item = BLOCK_ITEM_LINE.exec(line)
      if (item) return (item[1] ?? '') + quoteScalar(item[2] ?? '', repairable)
      inRoutingBlockList = false
      return line
    })
    .join('\n')
}

/** A scalar with an optional trailing comment, quoted when `repairable`; else unchanged. */
function quoteScalar(value: string, repairable: (item: string) => boolean): string {
  // A comment starts at the first `#` after a space (a search, not a backtracking match).
  const commentAt = /\s#/.exec(value)?.index ?? value.length
  const body = value.slice(0, commentAt)
  const comment = value.slice(commentAt)
  const leading = /^\s*/.exec(body)?.[0] ?? ''
  const item = body.trim()
  return repairable(item) ? `${leading}${JSON.stringify(item)}${comment}` : value
}

/**
 * A one-line flow list `[a, *, "b"]` with its `repairable` plain items quoted. Anything this
 * reader does not follow (nested collections, an unclosed list or quote) is left unchanged.
 */
function quoteFlowItems(value: string, repairable: (item: string) => boolean): string {
  const edits: [number, number][] = []
  let i = value.indexOf('[') + 1
  const skipSpaces = () => {
    while (value.charAt(i) === ' ' || value.charAt(i) === '\t') i++
  }
  for (;;) {
    skipSpaces()
    if (value.charAt(i) === ']') break
    const start = i
    const quote = value.charAt(i)
    if (quote === '"' || quote === "'") {
      i = closingQuote(value, i)
      if (i === -1) return value
      i++
    } else {
      while (i < value.length && !',]'.includes(value.charAt(i))) {
        if ('[{}'.includes(value.charAt(i))) return value
        i++
      }
      const item = value.slice(start, i).trimEnd()
      if (repairable(item)) edits.push([start, start + item.length])
    }
    skipSpaces()
    if (value.charAt(i) === ',') i++
    else if (value.charAt(i) !== ']') return value
  }
  const rest = value.slice(i + 1)
  if (rest.trim() !== '' && !/^\s+#/.test(rest)) return value
  return edits.reduceRight(
    (text, [from, to]) =>
      text.slice(0, from) + JSON.stringify(text.slice(from, to)) + text.slice(to),
    value
  )
}

/** The index of the quote closing the one at `start` ('' escapes ' , \ escapes in "), or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text.charAt(start)
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charAt(i)
    if (quote === '"' && char === '\\') i++
    else if (char === quote) {
      if (quote === "'" && text.charAt(i + 1) === "'") i++
      else return i
    }
  }
  return -1
}

function isBlank(text: string): boolean {
  return text.trim() === '' || text.trim().startsWith('#')
}

/** A routing key's value as a list of valid repository-name globs. */
function patternList(value: unknown, key: string): string[] {
  if (value === null || value === undefined) return []
  const items: unknown[] = Array.isArray(value) ? value : [value]
  if (items.length > MAX_ROUTING_PATTERNS) {
    throw new FrontmatterError(
      `'${key}' lists ${items.length} patterns, more than ${MAX_ROUTING_PATTERNS}`
    )
  }
  return items.map((item, i) => {
    const where = Array.isArray(value) ? `item ${i + 1} of '${key}'` : `'${key}'`
    const pattern = typeof item === 'number' || typeof item === 'boolean' ? String(item) : item
    if (typeof pattern !== 'string') {
      throw new FrontmatterError(
        `${where} must be a glob pattern on repository names (a string such as 'api-*'), ` +
          `got ${describe(item)}`
      )
    }
    const problem = globProblem(pattern, 'name')
    if (problem !== undefined) {
      throw new FrontmatterError(`${where} (${quotePattern(pattern)}) ${problem}`)
    }
    return pattern
  })
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'an empty item'
  return typeof value === 'object' ? 'a mapping' : typeof value
}
