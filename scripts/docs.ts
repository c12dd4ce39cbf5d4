// Writes the generated parts of the docs (run by `npm run docs` and `npm run bundle`): in
// docs/reference.md, the action's inputs and outputs tables from action.yml, and the command line's
// flags from src/cli/flags.ts. Each part stands between `<!-- name:start (...) -->` and
// `<!-- name:end -->`; everything else in the file is written by hand. An input added to action.yml
// appears in the inputs table at the next `npm run docs` (and the docs test fails until then).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { load } from 'js-yaml'
import { FLAGS, flagSynopsis, NOT_FLAGS, OWN_FLAGS } from '../src/cli/flags.js'

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const ROOT = new URL('..', import.meta.url)
const ACTION = new URL('action.yml', ROOT)

/** The files with generated parts, each with the parts it holds. */
export const GENERATED_FILES = { 'docs/reference.md': ['inputs', 'outputs', 'flags'] } as const

/** Where each generated part comes from, as its start marker says. */
const SOURCES: Record<string, string> = {
  inputs: 'action.yml',
  outputs: 'action.yml',
  flags: 'src/cli/flags.ts'
}

function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
}

function defaultCell(input: ActionMetadata['inputs'][string]): string {
  if (input.required) return 'required'
  if (input.default === undefined || input.default === '') return "`''`"
  return `\`${input.default}\``
}

/** The two tables, each a block of Markdown lines, from the text of action.yml. */
export function actionTables(actionText: string): { inputs: string; outputs: string } {
  const action = load(actionText) as ActionMetadata
  const inputs = [
    '| input | default | meaning |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(
      ([name, input]) => `| \`${name}\` | ${defaultCell(input)} | ${cell(input.description)} |`
    )
  ]
  const outputs = [
    '| output | meaning |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`
    )
  ]
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') }
}

/** The command line's flags: each with the input it sets, its own switches, and the inputs it has no flag for. */
export function flagTable(): string {
  const code = (text: string) => `\`${text.replace(/, /g, '`, `')}\``
  return [
    '| flag | sets input | meaning |',
    '| --- | --- | --- |',
    ...FLAGS.map(
      spec => `| ${code(flagSynopsis(spec))} | \`${spec.input}\` | ${cell(spec.help)} |`
    ),
    ...OWN_FLAGS.map(([flag, help]) => `| ${code(flag)} | | ${cell(help)} |`),
    '',
    'Inputs of the action that are not flags:',
    '',
    ...Object.entries(NOT_FLAGS).map(([input, why]) => `- \`${input}\`: ${cell(why)}.`)
  ].join('\n')
}

/** The text with each part between `<!-- name:start ... -->` and `<!-- name:end -->` replaced. */
export function withTables(text: string, tables: Record<string, string>, file: string): string {
  let result = text
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start (generated from ${SOURCES[name]} by npm run docs) -->`
    const end = `<!-- ${name}:end -->`
    const from = result.indexOf(start)
    const to = result.indexOf(end)
    if (from < 0 || to < from) throw new Error(`${file} has no ${start} ... ${end} markers`)
    result = `${result.slice(0, from + start.length)}\n${table}\n${result.slice(to)}`
  }
  return result
}

/** Every generated part, by name. */
export function generatedParts(): Record<string, string> {
  return { ...actionTables(readFileSync(ACTION, 'utf8')), flags: flagTable() }
}

/** Each file with generated parts as it is, and as `npm run docs` would write it. */
export function generatedDocs(): { file: string; current: string; generated: string }[] {
  const parts = generatedParts()
  return Object.entries(GENERATED_FILES).map(([file, names]) => {
    const current = readFileSync(new URL(file, ROOT), 'utf8')
    const tables = Object.fromEntries(names.map(name => [name, parts[name] as string]))
    return { file, current, generated: withTables(current, tables, file) }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { file, current, generated } of generatedDocs()) {
    if (generated !== current) writeFileSync(new URL(file, ROOT), generated)
    console.log(generated === current ? `${file} is up to date.` : `${file}: tables updated.`)
  }
}
