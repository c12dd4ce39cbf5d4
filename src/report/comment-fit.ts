/** A comment kept under GitHub's size limit: fewer paths per project, else cut at a whole line. */
import { nameKey } from '../model.js'

/**
 * GitHub refuses a comment body over 65,536 characters. The body is measured in UTF-8 bytes,
 * never fewer than its characters, so a body within the limit in bytes is within it in characters.
 */
export const MAX_COMMENT_BYTES = 65_536

/** Room kept for the closing tags and the line saying what was left out. */
const CUT_RESERVE = 1_000

/** One line of the comment; `project` and `path` say what it shows, to count what a cut leaves out. */
export interface Line {
  text: string
  project?: string
  path?: boolean
}

/**
 * The comment within `maxBytes`: whole when it fits; else with at most as many paths per project
 * as fit (every project keeps its line of counts); else, for a plan of very many projects, cut at
 * a line with every open `<details>` closed. A line says what was left out; the tail (the summary
 * lines and the run's link) is short and always kept. `where` names the run, as Markdown.
 */
export function fit(
  render: (most: number) => Line[],
  tail: Line[],
  maxBytes: number,
  where: string
): string {
  const whole = render(Infinity)
  if (size(whole) + size(tail) <= maxBytes) return join(whole, tail)
  const room = maxBytes - size(tail) - CUT_RESERVE
  const paths = whole.filter(line => line.path).length
  const limit = "to stay under GitHub's limit of 65,536 characters for a comment"
  const { lines: best, most } = mostPathsThatFit(render, whole, room)
  if (best) {
    const left = paths - best.filter(line => line.path).length
    const note =
      most === 0
        ? `**Shortened:** the ${plural(paths, 'path')} are left out ${limit}; the result files of ${where} list them all.`
        : `**Shortened:** each project lists at most ${plural(most, 'path')} here; ${plural(left, 'more path')} are left out ${limit}. The result files of ${where} list them all.`
    return join(best, [{ text: note }, { text: '' }], tail)
  }
  return cut(
    render(0),
    tail,
    room,
    `${limit}. The job summary and the result files of ${where} have the whole plan.`
  )
}

/** The most paths per project that fit, found in as many tries as bits in the longest list. */
function mostPathsThatFit(
  render: (most: number) => Line[],
  whole: Line[],
  room: number
): { lines: Line[] | undefined; most: number } {
  const rows = new Map<string, number>()
  for (const line of whole) {
    if (line.path) rows.set(line.project ?? '', (rows.get(line.project ?? '') ?? 0) + 1)
  }
  let low = 0
  let high = Math.max(0, ...rows.values())
  let best: Line[] | undefined
  let most = 0
  while (low < high) {
    const middle = Math.floor((low + high + 1) / 2)
    const lines = render(middle)
    if (size(lines) <= room) {
      best = lines
      most = middle
      low = middle
    } else {
      high = middle - 1
    }
  }
  best ??= size(render(0)) <= room ? render(0) : undefined
  return { lines: best, most }
}

/** `body` cut at the last line that fits in `room`, open `<details>` closed, and a line saying so. */
function cut(body: Line[], tail: Line[], room: number, why: string): string {
  const kept: Line[] = []
  let used = 0
  for (const line of body) {
    used += Buffer.byteLength(line.text, 'utf8') + 1
    if (used > room) break
    kept.push(line)
  }
  const left = body.slice(kept.length)
  while (kept.at(-1)?.text === '') kept.pop()
  const open =
    kept.filter(line => line.text.startsWith('<details>')).length -
    kept.filter(line => line.text === '</details>').length
  const projects = new Set(left.flatMap(line => (line.project ? [nameKey(line.project)] : [])))
  const note = `**Cut short:** ${plural(left.length, 'more line')} (of ${plural(projects.size, 'project')}) left out ${why}`
  const closing = Array.from({ length: Math.max(0, open) }, () => ['', '</details>']).flat()
  return [
    ...kept.map(line => line.text),
    ...closing,
    '',
    note,
    '',
    ...tail.map(line => line.text)
  ].join('\n')
}

function join(...parts: Line[][]): string {
  return parts
    .flat()
    .map(line => line.text)
    .join('\n')
}

function size(lines: Line[]): number {
  return lines.reduce((total, line) => total + Buffer.byteLength(line.text, 'utf8') + 1, 0)
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}
