import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'
import { actionTables, generatedReadme } from '../scripts/docs.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const actionText = readFileSync(new URL('../action.yml', import.meta.url), 'utf8')

describe('README', () => {
  test('its inputs and outputs tables are generated from action.yml (npm run docs)', () => {
    expect(readme).toBe(generatedReadme())
  })

  test('the generated tables list every input with its default and every output', () => {
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
