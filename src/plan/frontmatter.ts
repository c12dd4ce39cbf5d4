/** Reads the routing keys of a Markdown file's YAML frontmatter, accepting real documents' `[*]`. */
import matter from 'gray-matter'
import { YAMLException, load } from 'js-yaml'

/** An absent key leaves its property undefined; an empty value gives []. */
export interface RoutingFrontmatter {
  include?: string[]
  exclude?: string[]
}

/** What is wrong with a document's frontmatter; the caller adds the file path. */
export class FrontmatterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FrontmatterError'
  }
}

const INCLUDE_KEY = 'codex_sync_include'
const EXCLUDE_KEY = 'codex_sync_exclude'
const ROUTING_KEY_LINE = /^(\s*codex_sync_(?:include|exclude)\s*:)(.*)$/
const BLOCK_ITEM_LINE = /^(\s*-)(\s.*|)$/
const TRAILING_COMMENT = /^(.*?)(\s+#.*)?$/

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
  return routing
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
 * Real documents write `codex_sync_include: [*]`, which strict YAML reads as an alias. When the
 * strict parse fails, glob-looking items on the two routing keys are quoted and the parse retried.
 * Lines are rewritten in place, so reported line numbers stay true.
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
  return new FrontmatterError(
    `invalid YAML in frontmatter at line ${error.mark.line + 1}: ${error.reason}${hint}`
  )
}

function quoteRoutingGlobs(text: string): string {
  let inRoutingBlockList = false
  return text
    .split(/\r\n|\r|\n/)
    .map(line => {
      const keyLine = ROUTING_KEY_LINE.exec(line)
      if (keyLine) {
        const [, key = '', value = ''] = keyLine
        inRoutingBlockList = isBlank(value)
        return key + quoteValue(value)
      }
      if (!inRoutingBlockList || isBlank(line)) return line
      const item = BLOCK_ITEM_LINE.exec(line)
      if (item) return (item[1] ?? '') + quoteValue(item[2] ?? '')
      inRoutingBlockList = false
      return line
    })
    .join('\n')
}

/** A scalar or a flow list `[a, b]`, with an optional trailing comment; unchanged if no glob. */
function quoteValue(value: string): string {
  const [, body = '', comment = ''] = TRAILING_COMMENT.exec(value) ?? []
  const trimmed = body.trim()
  // An unclosed list stays as written: it is a YAML error to report, not a pattern like "[*".
  if (/^[[{]/.test(trimmed) !== /[\]}]$/.test(trimmed)) return value
  const isFlowList = trimmed.startsWith('[') && trimmed.endsWith(']')
  const items = isFlowList ? trimmed.slice(1, -1).split(',') : [trimmed]
  if (!items.some(needsQuotes)) return value
  const quoted = items.map(item => (needsQuotes(item) ? JSON.stringify(item.trim()) : item.trim()))
  return ` ${isFlowList ? `[${quoted.join(', ')}]` : quoted[0]}${comment}`
}

function needsQuotes(item: string): boolean {
  const text = item.trim()
  const globLooking = /[*?]/.test(text) || text.startsWith('!')
  return globLooking && !/^["']/.test(text)
}

function isBlank(text: string): boolean {
  return text.trim() === '' || text.trim().startsWith('#')
}

function patternList(value: unknown, key: string): string[] {
  if (value === null || value === undefined) return []
  const items: unknown[] = Array.isArray(value) ? value : [value]
  return items.map((item, i) => {
    if (typeof item === 'string') return item
    if (typeof item === 'number' || typeof item === 'boolean') return String(item)
    const where = Array.isArray(value) ? `item ${i + 1} of '${key}'` : `'${key}'`
    throw new FrontmatterError(
      `${where} must be a glob pattern on repository names (a string such as 'api-*'), ` +
        `got ${describe(item)}`
    )
  })
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'an empty item'
  return typeof value === 'object' ? 'a mapping' : typeof value
}
