import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { movedBranches, projectResult, sync } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'

let fake: FakeGitHub

// Ownership has a boundary: a file standing where an owned folder goes is never replaced.
describe('a file in the way of an owned folder', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'deletion_threshold: 10\n',
        'docs/all.md': doc('codex_sync_include: [*]'),
        'projects/README.md': '# What projects/ holds\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    await fake.createRepo(ORG, 'web', {
      files: { 'README.md': '# Web\n', '.codex': 'not a folder\n' }
    })
    await fake.createRepo(ORG, 'README.md', {
      files: { 'README.md': '# A repository named README.md\n' }
    })
  })
  afterAll(() => fake.stop())

  test('push-docs: the project with a file named .codex fails, naming it; the others sync', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })

    const web = projectResult(result, 'web')
    expect(web.status).toBe('failed')
    expect(web.error).toBe("'.codex' is a file where codex-sync writes the folder '.codex/'")
    expect(web.resolution).toContain("Move or remove '.codex'")
    expect(projectResult(result, 'api').status).toBe('synced')
    expect(Object.keys(await fake.files(ORG, 'web', 'main')).sort()).toEqual([
      '.codex',
      'README.md'
    ])
    expect(movedBranches(fake)).toContain('api@main')
    expect(movedBranches(fake).filter(moved => moved.startsWith('web@'))).toEqual([])
  })

  test('pull-docs: a repository named README.md never replaces the codex file projects/README.md', async () => {
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    const clash = projectResult(result, 'README.md')
    expect(clash.status).toBe('failed')
    expect(clash.error).toBe(
      "'projects/README.md' is a file where codex-sync writes the folder 'projects/README.md/'"
    )
    const codex = await fake.files(ORG, CODEX, 'test')
    expect(codex['projects/README.md']).toBeDefined()
    expect(codex['projects/api/README.md']).toBeDefined()
  })
})
