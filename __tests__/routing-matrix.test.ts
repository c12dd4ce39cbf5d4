import { describe, expect, it } from '@jest/globals'
import { syncedProject, unchangedProject } from '../__fixtures__/results.js'
import { defaultConfig } from '../src/inputs/config.js'
import { RoutingMatrix } from '../src/modes/routing-matrix.js'
import { PUSH_MODES, withRouting, type CodexFile } from '../src/plan/desired.js'
import { NO_ROUTING, type FileRouting } from '../src/plan/routing.js'

const DOCS = PUSH_MODES['push-docs']
const config = defaultConfig('acme')
const everywhere: FileRouting = { kind: 'frontmatter', rule: { include: ['*'] } }

function codexFile(path: string, routing: FileRouting): CodexFile {
  return withRouting({ path, mode: '100644', sha: `sha-${path}`, type: 'blob' }, routing)
}

describe('RoutingMatrix.report', () => {
  const guide = codexFile('guides/a.md', everywhere)
  const silent = codexFile('notes/b.md', NO_ROUTING)
  const other = codexFile('notes/c.md', NO_ROUTING)

  function matrixOf(files: CodexFile[]) {
    const matrix = new RoutingMatrix(DOCS, files, config)
    for (const project of ['web', 'api', 'cli']) matrix.route(project, ['.codex/guides/a.md'])
    return matrix
  }

  it('lists the projects of each file, sorted, and why the others reach none', () => {
    const results = [
      {
        ...syncedProject('web', 0, 0, 0),
        paths: { added: ['.codex/guides/a.md'], modified: [], deleted: [] }
      },
      unchangedProject('cli'),
      {
        ...syncedProject('api', 0, 0, 0),
        paths: { added: ['.codex/guides/a.md'], modified: [], deleted: ['.codex/gone.md'] }
      }
    ]
    const rows = matrixOf([guide, silent, other]).report(results)
    expect(rows.map(row => row.path)).toEqual([
      'gone.md',
      'guides/a.md',
      'notes/b.md',
      'notes/c.md'
    ])
    expect(rows[1]).toEqual({
      path: 'guides/a.md',
      added: ['api', 'web'],
      modified: [],
      unchanged: ['cli'],
      deleted: []
    })
    expect(rows[0]).toMatchObject({ deleted: ['api'], nowhere: 'no longer in the codex' })
    expect(rows[2]?.nowhere).toMatch(/no codex_sync_include/)
    expect(rows[3]).toMatchObject({ added: [], modified: [], unchanged: [], deleted: [] })
  })

  it('gives a row that reached a project lists of its own, whatever reached no project before', () => {
    const results = [
      {
        ...syncedProject('web', 0, 0, 0),
        paths: { added: [], modified: ['.codex/guides/a.md'], deleted: [] }
      }
    ]
    const rows = matrixOf([silent, guide, other]).report(results)
    const byPath = new Map(rows.map(row => [row.path, row]))
    expect(byPath.get('guides/a.md')?.modified).toEqual(['web'])
    expect(byPath.get('notes/b.md')?.modified).toEqual([])
    expect(byPath.get('notes/c.md')?.modified).toEqual([])
  })
})
