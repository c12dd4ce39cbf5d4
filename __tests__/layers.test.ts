// The source tree's stages: imports run one way, from the entry point down to the vocabulary.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

/** Each stage and its rank: a module may import only its own stage or a lower one. */
const RANK: Record<string, number> = {
  'model.ts': 0,
  inputs: 1,
  plan: 2,
  github: 3,
  result: 3.5,
  write: 4,
  setup: 4,
  report: 4.5,
  modes: 5,
  'sync.ts': 6,
  'main.ts': 7,
  cli: 7,
  'index.ts': 8,
  'cli.ts': 8
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'types' ? [] : sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

function stageOf(file: string): string {
  return relative(SRC, file).split('/')[0] ?? ''
}

function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^(?:import|export)[^'"]*?from '(\.[^']+)'/gm)].map(match =>
    resolve(dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts'))
  )
}

const files = sourceFiles(SRC)

describe('the stages of src/', () => {
  it('every module belongs to a known stage and opens with a header comment', () => {
    for (const file of files) {
      expect({ file: relative(SRC, file), ranked: stageOf(file) in RANK }).toEqual({
        file: relative(SRC, file),
        ranked: true
      })
      expect(readFileSync(file, 'utf8')).toMatch(/^(\/\*\*|\/\/) \S/)
    }
  })

  it('imports only go to the same stage or a lower one', () => {
    const upward = files.flatMap(file =>
      localImports(file)
        .filter(target => {
          const from = stageOf(file)
          const to = stageOf(target)
          return from !== to && (RANK[to] ?? Infinity) >= (RANK[from] ?? -1)
        })
        .map(target => `${relative(SRC, file)} -> ${relative(SRC, target)}`)
    )
    expect(upward).toEqual([])
  })

  it('the pure stages never import the API adapter, the writer or the modes', () => {
    const pure = files.filter(file => ['model.ts', 'inputs', 'plan'].includes(stageOf(file)))
    const impure = pure.flatMap(file =>
      localImports(file)
        .filter(target => ['github', 'write', 'modes'].includes(stageOf(target)))
        .map(target => `${relative(SRC, file)} -> ${relative(SRC, target)}`)
    )
    expect(impure).toEqual([])
  })

  it('a mode is named only by the vocabulary, the push-mode table and the dispatcher', () => {
    const allowed = ['model.ts', 'plan/desired.ts', 'modes/runners.ts']
    const naming = files
      .filter(file => !allowed.includes(relative(SRC, file)))
      .filter(file => /'(pull-docs|push-docs|push-claude)'/.test(readFileSync(file, 'utf8')))
      .map(file => relative(SRC, file))
    expect(naming).toEqual([])
  })
})
