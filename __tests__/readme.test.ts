import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'

interface ActionInput {
  required?: boolean
  default?: string
}
interface ActionMetadata {
  inputs: Record<string, ActionInput>
  outputs: Record<string, unknown>
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const action = load(
  readFileSync(new URL('../action.yml', import.meta.url), 'utf8')
) as ActionMetadata

/** Rows of the first table under a `## heading`: first two cells, backticks removed. */
function tableUnder(heading: string): [string, string][] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  return section
    .split('\n')
    .filter(line => /^\| `/.test(line))
    .map(
      line =>
        line
          .split('|')
          .slice(1, 3)
          .map(cell => cell.trim().replace(/^`|`$/g, '')) as [string, string]
    )
}

describe('README', () => {
  test('the inputs table lists exactly the inputs of action.yml with their defaults', () => {
    const rows = tableUnder('Inputs')
    expect(rows.map(([name]) => name)).toEqual(Object.keys(action.inputs))
    for (const [name, documented] of rows) {
      const input = action.inputs[name] as ActionInput
      const expected = input.required ? 'required' : input.default === '' ? "''" : input.default
      expect(`${name}: ${documented}`).toBe(`${name}: ${expected}`)
    }
  })

  test('the outputs table lists exactly the outputs of action.yml', () => {
    expect(tableUnder('Outputs').map(([name]) => name)).toEqual(Object.keys(action.outputs))
  })

  test('the first screen gives the demo and test commands that package.json defines', () => {
    const firstScreen = readme.split('\n').slice(0, 15).join('\n')
    expect(firstScreen).toContain('npm ci && npm run demo')
    expect(firstScreen).toContain('npm test')
    const scripts = (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        scripts: Record<string, string>
      }
    ).scripts
    expect(scripts.demo).toBeDefined()
    expect(scripts.test).toBeDefined()
  })
})
