/**
 * The README and docs/: the generated parts are current (npm run docs), the first screen gives the
 * two commands and what the action talks to, the Command line section opens with the playground
 * and shows what it prints, and every relative link (and #anchor) leads somewhere.
 */
import { describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { load } from 'js-yaml'
import { actionTables, flagTable, generatedDocs } from '../scripts/docs.js'
import { instructions } from '../scripts/playground.js'
import { FLAGS, NOT_FLAGS } from '../src/cli/flags.js'
import { ROOT } from './workflow-files.js'

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const readme = read('README.md')
const actionText = read('action.yml')

/** README.md and every Markdown file of docs/, as paths from the repository root. */
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter(name => name.endsWith('.md'))
    .sort()
    .map(name => `docs/${name}`)
]

/** A Markdown file's text without its fenced code blocks and inline code (links there are code). */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '')
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The anchors of a Markdown file's headings, numbered as GitHub numbers repeated ones. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>()
  const found = new Set<string>()
  for (const match of prose(read(file)).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(match[1] as string)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    found.add(count === 0 ? base : `${base}-${count}`)
  }
  return found
}

/** Every link target of a file's prose: `[text](target)` and `[text]: target`. */
function links(file: string): string[] {
  const text = prose(read(file))
  const inline = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(m => m[1] as string)
  const defined = [...text.matchAll(/^\[[^\]]+\]:\s+(\S+)/gm)].map(m => m[1] as string)
  return [...inline, ...defined]
}

/** What is wrong with a relative link of `file`; undefined when it leads somewhere. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined // https:, mailto:
  const [pathPart = '', anchor] = target.split('#')
  const resolved = pathPart === '' ? file : path.posix.join(path.posix.dirname(file), pathPart)
  if (resolved.startsWith('..')) return `${target}: leaves the repository`
  const full = path.join(ROOT, resolved)
  if (!existsSync(full)) return `${target}: ${resolved} does not exist`
  if (anchor === undefined) return undefined
  if (statSync(full).isDirectory() || !resolved.endsWith('.md'))
    return `${target}: an anchor into ${resolved}, which is not a Markdown file`
  if (!anchors(resolved).has(anchor)) return `${target}: ${resolved} has no heading #${anchor}`
  return undefined
}

describe('the generated parts of the docs (npm run docs)', () => {
  test.each(generatedDocs().map(entry => [entry.file, entry] as const))(
    '%s is current',
    (_file, { current, generated }) => {
      expect(current).toBe(generated)
    }
  )

  test('the tables list every input with its default and every output of action.yml', () => {
    const action = load(actionText) as {
      inputs: Record<string, { required?: boolean; default?: string }>
      outputs: Record<string, unknown>
    }
    const { inputs, outputs } = actionTables(actionText)
    const names = (table: string) =>
      table
        .split('\n')
        .slice(2)
        .map(row => /^\| `([^`]+)` \|/.exec(row)?.[1])
    expect(names(inputs)).toEqual(Object.keys(action.inputs))
    expect(names(outputs)).toEqual(Object.keys(action.outputs))
    expect(inputs).toContain('| `mode` | required |')
    expect(inputs).toContain("| `target_repository` | `''` |")
    expect(inputs).toContain('| `parallel` | `5` |')
  })

  test('an input added to action.yml appears in the table', () => {
    const added = actionText.replace(
      /^outputs:/m,
      "  example_input:\n    description: 'A new input.'\n    required: false\n    default: 'true'\n\noutputs:"
    )
    expect(actionTables(added).inputs).toContain('| `example_input` | `true` | A new input. |')
  })

  test('the flags table lists every flag with its input, and the inputs that are not flags', () => {
    const table = flagTable()
    for (const spec of FLAGS) expect(table).toContain(`| \`${spec.input}\` |`)
    for (const input of Object.keys(NOT_FLAGS)) expect(table).toContain(`- \`${input}\`: `)
    expect(table).toContain('`--json`')
  })
})

describe('README', () => {
  const firstScreen = readme.split('\n').slice(0, 15).join('\n')

  test('the first screen gives the demo and test commands that package.json defines', () => {
    expect(firstScreen).toContain('npm ci && npm run demo')
    expect(firstScreen).toContain('npm test')
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts
    expect(scripts.demo).toBeDefined()
    expect(scripts.test).toBeDefined()
    expect(scripts.playground).toBeDefined()
  })

  test('the first screen says what the action talks to: REST and GraphQL, never a clone', () => {
    const sentence = firstScreen.replace(/\s+/g, ' ')
    expect(sentence).toMatch(/talks to GitHub through its REST and GraphQL APIs/)
    expect(sentence).toContain('Git Data API')
    expect(sentence).toContain('createCommitOnBranch')
    expect(sentence).toContain('never a clone')
  })

  test('the Command line section opens with npm run playground and shows what it prints', () => {
    const section = readme.slice(readme.indexOf('## Command line'))
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
    expect(firstBlock.trim()).toBe('npm ci && npm run playground')
    const shown = section.slice(
      section.indexOf('<!-- playground:start'),
      section.indexOf('<!-- playground:end -->')
    )
    const commands = (text: string) =>
      text
        .split('\n')
        .filter(line => /^(export |node dist\/cli\.js )/.test(line))
        .map(line => line.replace(/\s+#.*$/, ''))
    const printed = instructions('http://127.0.0.1:PORT', 'acme', 'codex.acme.io', '/tmp/x.git')
    expect(commands(shown)).toEqual(commands(printed))
  })

  test('links the docs', () => {
    for (const file of DOCS.filter(doc => doc !== 'README.md')) {
      expect({ file, linked: readme.includes(`](${file})`) }).toEqual({ file, linked: true })
    }
  })
})

describe('links', () => {
  test('the slugs are GitHub’s', () => {
    expect(slug("3. Store the App's id and key in the codex")).toBe(
      '3-store-the-apps-id-and-key-in-the-codex'
    )
    expect(slug('Routing (push-docs, push-claude)')).toBe('routing-push-docs-push-claude')
    expect(slug('Writes: two ways to commit')).toBe('writes-two-ways-to-commit')
  })

  test.each(DOCS)('every relative link and anchor of %s leads somewhere', file => {
    const broken = links(file)
      .map(target => brokenLink(file, target))
      .filter(problem => problem !== undefined)
    expect(broken).toEqual([])
  })

  test('the check finds a broken link, a missing file and a missing anchor', () => {
    expect(brokenLink('README.md', 'docs/nope.md')).toMatch(/does not exist/)
    expect(brokenLink('docs/reference.md', '#no-such-heading')).toMatch(/has no heading/)
    expect(brokenLink('docs/reference.md', '../README.md#command-line')).toBeUndefined()
    expect(brokenLink('README.md', 'https://example.com/#x')).toBeUndefined()
  })
})
