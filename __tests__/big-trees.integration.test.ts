// A tree too large for one REST answer (GitHub stops at 100,000 entries; this fake at 60) is read
// through GraphQL, several levels and many sub-trees a query, and found whole: a run over it is
// as exact, and costs a few requests more, not one per folder.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { sync, writes } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = Array.from({ length: 30 }, (_, index) => `p${String(index).padStart(2, '0')}`)
let fake: FakeGitHub

beforeAll(async () => {
  fake = await FakeGitHub.start({ treeEntryLimit: 60 })
  await fake.createRepo(ORG, CODEX, {
    files: {
      '.github/codex-sync.yml': 'claude_namespace: acme\n',
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide\n'),
      '.claude/agents/acme/helper.md': 'helper\n'
    }
  })
  await fake.commit(ORG, CODEX, 'test', {})
  for (const project of PROJECTS) {
    await fake.createRepo(ORG, project, {
      files: { 'README.md': `# ${project}\n`, 'docs/a/deep/b.md': `b of ${project}\n` }
    })
  }
})
afterAll(() => fake.stop())

const codexTreeReads = () =>
  fake.log.filter(entry => entry.path.startsWith(`/repos/${ORG}/${CODEX}/git/trees/`))
const treeQueries = () =>
  fake.log.filter(
    entry =>
      entry.path === '/graphql' &&
      /codexSyncTrees/.test(String((entry.body as { query?: unknown }).query))
  )

describe('a codex tree beyond one REST answer', () => {
  test('is read whole through GraphQL: pull-docs finds every project in sync without reading one', async () => {
    const first = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(first.result.succeeded).toBe(PROJECTS.length)
    // Far more entries than one answer holds: 30 projects of 5 entries and their folders.
    expect(Object.keys(await fake.files(ORG, CODEX, 'test')).length).toBeGreaterThan(60)

    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(result.projects.every(project => project.outcome === 'in-sync')).toBe(true)
    expect(codexTreeReads()).toHaveLength(1)
    expect(treeQueries().length).toBeGreaterThan(0)
    expect(treeQueries().length).toBeLessThanOrEqual(3)
    expect(fake.log.filter(entry => /\/repos\/acme\/p\d\d\//.test(entry.path))).toEqual([])
    expect(writes(fake)).toEqual([])
  })

  test('a document pulled deep in the codex is routed from it like any other', async () => {
    await fake.commit(ORG, 'p07', 'main', {
      'docs/a/deep/b.md': doc('codex_sync_include: [p08]', 'shared by p07\n')
    })
    await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(result.status).toBe('success')
    expect(await fake.text(ORG, 'p08', 'main', '.codex/projects/p07/docs/a/deep/b.md')).toContain(
      'shared by p07'
    )
    expect(await fake.text(ORG, 'p09', 'main', '.codex/projects/p07/docs/a/deep/b.md')).toBe(
      undefined
    )
  })

  test('push-claude lists only the Claude folders of it', async () => {
    await sync(fake, { mode: 'push-claude', codex_repository: CODEX })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })
    expect(result.projects.every(project => project.outcome === 'in-sync')).toBe(true)
    const asked = treeQueries().map(entry =>
      JSON.stringify((entry.body as { variables?: unknown }).variables)
    )
    expect(asked.length).toBeLessThanOrEqual(2)
  })
})
