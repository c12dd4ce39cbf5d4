/** The Markdown kit every report writes with (job summary, plan comment): text from outside (file
 * names, error messages, repository names) goes in only through these, so that it shows as written
 * and can never open a tag, close a fold, start a link or break a table.
 */

/**
 * Characters that start Markdown constructs in running text, shown as themselves when escaped. An
 * underscore inside a word (`codex_sync_include`) never starts emphasis and is left as it is.
 */
const MARKDOWN_PUNCTUATION = /[\\`*[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g
const HTML_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/**
 * Text in a sentence or a table cell: on one line, inert as Markdown and as HTML, and naming no
 * one (a word joiner after `@` keeps `@team` in an error text from notifying anybody).
 */
export function text(value: string): string {
  return value
    .replace(/\r?\n|\r/g, ' ')
    .replace(MARKDOWN_PUNCTUATION, char => `\\${char}`)
    .replace(/[&<>]/g, char => HTML_SPECIALS[char] ?? char)
    .replace(/@(?=[A-Za-z0-9])/g, '@\u2060')
}

/**
 * Inline code that shows `value` exactly: a fence longer than any run of backticks inside it,
 * newlines as spaces. In a table cell (`inTable`), `|` is escaped, which GitHub's table parser
 * reads before the code span; elsewhere a backslash would show.
 */
export function code(value: string, inTable = false): string {
  const flat = value.replace(/\r?\n|\r/g, ' ')
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : ''
  const span = `${fence}${pad}${flat}${pad}${fence}`
  return inTable ? span.replace(/\|/g, '\\|') : span
}

/** A link whose label is text and whose address cannot end the link early. */
export function link(label: string, url: string): string {
  const safe = url.replace(
    /[\s()<>\\[\]`]/g,
    char => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
  )
  return `[${text(label)}](${safe})`
}

/** Lines folded under a summary line; the summary is text. */
export function fold(summary: string, lines: string[]): string[] {
  return [`<details><summary>${text(summary)}</summary>`, '', ...lines, '', '</details>']
}

/** One table row of cells already written with this kit. */
export function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`
}
