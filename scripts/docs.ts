// Writes the README's inputs and outputs tables from action.yml (run by `npm run docs` and `npm run bundle`).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { load } from 'js-yaml'

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const ACTION = new URL('../action.yml', import.meta.url)
const README = new URL('../README.md', import.meta.url)

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

/** The README with the text between `<!-- name:start -->` and `<!-- name:end -->` replaced. */
export function withTables(readme: string, tables: { inputs: string; outputs: string }): string {
  let text = readme
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start (generated from action.yml by npm run docs) -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} markers`)
    text = `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`
  }
  return text
}

export function generatedReadme(): string {
  return withTables(readFileSync(README, 'utf8'), actionTables(readFileSync(ACTION, 'utf8')))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const before = readFileSync(README, 'utf8')
  const after = generatedReadme()
  if (after !== before) writeFileSync(README, after)
  console.log(after === before ? 'README.md is up to date.' : 'README.md tables updated.')
}
