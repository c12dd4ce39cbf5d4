// Runs that cost what changed: a project in sync is known by the object IDs the listing gives and
// is never read; one edited by hand is read and repaired; patterns without a fixed root, and a
// server without GraphQL, fall back to reading each project, and the files come out the same.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { projectResult, sync, writes } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = ['alpha', 'beta', 'gamma']
let fake: FakeGitHub

beforeAll(async () => {
  fake = await FakeGitHub.start()
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
      files: { 'README.md': `# ${project}\n`, 'docs/intro.md': `intro of ${project}\n` }
    })
  }
  for (const mode of ['pull-docs', 'push-docs', 'push-claude']) {
    expect((await sync(fake, { mode, codex_repository: CODEX })).result.status).toBe('success')
  }
})
afterAll(() => fake.stop())

/** Every request about one project's repository. */
const projectRequests = (project: string) =>
  fake.log.filter(entry => entry.path.startsWith(`/repos/${ORG}/${project}/`))

describe('projects in sync', () => {
  test.each(['pull-docs', 'push-docs', 'push-claude'])(
    '%s reads no project that is in sync, and writes nothing',
    async mode => {
      fake.clearLog()
      const { result, log } = await sync(fake, { mode, codex_repository: CODEX })
      expect(result.projects.map(project => [project.project, project.outcome])).toEqual(
        PROJECTS.map(project => [project, 'in-sync'])
      )
      for (const project of PROJECTS) expect(projectRequests(project)).toEqual([])
      expect(writes(fake)).toEqual([])
      expect(log.lines.some(line => /3 in sync by their object IDs; 0 to look at/.test(line))).toBe(
        true
      )
    }
  )
})

describe('projects that changed', () => {
  test('an owned folder edited by hand is read and repaired, the others left unread', async () => {
    await fake.commit(ORG, 'beta', 'main', {
      '.codex/docs/guide.md': 'edited by hand\n',
      '.codex/docs/stray.md': 'put there by hand\n'
    })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(projectResult(result, 'beta')).toMatchObject({
      status: 'synced',
      files_modified: 1,
      files_deleted: 1
    })
    expect(await fake.text(ORG, 'beta', 'main', '.codex/docs/guide.md')).toContain('guide')
    expect(await fake.text(ORG, 'beta', 'main', '.codex/docs/stray.md')).toBeUndefined()
    for (const project of ['alpha', 'gamma']) expect(projectRequests(project)).toEqual([])
  })

  test('a doc changed in one project: pull-docs reads that project alone', async () => {
    await fake.commit(ORG, 'gamma', 'main', { 'docs/intro.md': 'intro of gamma, v2\n' })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(projectResult(result, 'gamma')).toMatchObject({ status: 'synced', files_modified: 1 })
    expect(await fake.text(ORG, CODEX, 'test', 'projects/gamma/docs/intro.md')).toContain('v2')
    for (const project of ['alpha', 'beta']) expect(projectRequests(project)).toEqual([])
  })

  test('a codex folder holding a file the config now excludes is read and cleaned, though the project is unchanged', async () => {
    await fake.commit(ORG, 'alpha', 'main', { 'docs/debug.log': 'log\n' })
    await fake.commit(ORG, CODEX, 'test', {
      '.github/codex-sync.yml': 'claude_namespace: acme\nexclude_patterns: []\n'
    })
    await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(await fake.text(ORG, CODEX, 'test', 'projects/alpha/docs/debug.log')).toBe('log\n')
    // The default excludes again: alpha's docs are unchanged, yet its codex copy must lose the log.
    await fake.commit(ORG, CODEX, 'test', { '.github/codex-sync.yml': 'claude_namespace: acme\n' })
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(projectResult(result, 'alpha')).toMatchObject({ status: 'synced', files_deleted: 1 })
    expect(await fake.text(ORG, CODEX, 'test', 'projects/alpha/docs/debug.log')).toBeUndefined()
  })
})

describe('falling back to reading each project', () => {
  test('a pattern without a fixed root: every project is read, and still found in sync', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      '.github/codex-sync.yml': "claude_namespace: acme\nsync_patterns: ['**/*.md']\n"
    })
    await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(result.projects.every(project => project.outcome === 'in-sync')).toBe(true)
    for (const project of PROJECTS) expect(projectRequests(project).length).toBeGreaterThan(0)
    expect(writes(fake)).toEqual([])
    await fake.commit(ORG, CODEX, 'test', { '.github/codex-sync.yml': 'claude_namespace: acme\n' })
    await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
  })

  test('a server without GraphQL: projects are listed and read over REST, the files the same', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide over REST\n')
    })
    fake.addFault({ kind: 'status', status: 404, times: 1000, match: { path: /\/graphql$/ } })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    fake.clearFaults()
    expect(result.status).toBe('success')
    expect(fake.log.some(entry => entry.path === `/orgs/${ORG}/repos`)).toBe(true)
    for (const project of PROJECTS) {
      expect(projectResult(result, project).status).toBe('synced')
      expect(await fake.text(ORG, project, 'main', '.codex/docs/guide.md')).toContain('over REST')
    }
    // The next run, with GraphQL, finds them in sync without reading them.
    fake.clearLog()
    const rerun = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(rerun.result.projects.every(project => project.outcome === 'in-sync')).toBe(true)
    for (const project of PROJECTS) expect(projectRequests(project)).toEqual([])
  })
})
