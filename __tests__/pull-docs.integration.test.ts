import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { gitBlobSha } from '../__fixtures__/builders.js'
import { blobsRead, projectResult, sync, writes } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x00, 0x10
])

const CONFIG = `
projects_dir: projects
claude_namespace: acme
deletion_threshold: 3
`

let fake: FakeGitHub

async function seedCodex(name = CODEX, config = CONFIG) {
  await fake.createRepo(ORG, name, {
    files: {
      'README.md': '# Codex\n',
      '.github/codex-sync.yml': config,
      'docs/shared.md': 'shared\n'
    }
  })
}

describe('pull-docs', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start({
      tokens: {
        'test-token': { write: 'all' },
        'read-only': { write: 'none' },
        ghs_workflow: { write: 'all' }
      }
    })
    await seedCodex()
    await fake.createRepo(ORG, 'api', {
      files: {
        'README.md': '# API\n',
        'CLAUDE.md': 'claude notes\n',
        'docs/guide.md': 'guide\n',
        'docs/diagram.png': PNG,
        'docs/run.sh': { content: '#!/bin/sh\necho hi\n', mode: '100755' },
        'docs/link.md': { symlink: 'guide.md' },
        'docs/node_modules/x/readme.md': 'vendored\n',
        'docs/app.log': 'log\n',
        '.env': 'SECRET=1\n',
        'src/index.ts': 'export {}\n',
        '.github/workflows/ci.yml': 'on: push\n',
        '.codex/docs/shared.md': 'pushed copy\n',
        '.claude/agents/acme/agent.md': 'pushed agent\n',
        '.claude/agents/own.md': 'project agent\n'
      }
    })
    await fake.createRepo(ORG, 'web', {
      files: {
        'README.md': '# Web\n',
        'docs/a.md': 'a\n',
        'docs/b.md': 'b\n',
        'docs/c.md': 'c\n',
        'docs/d.md': 'd\n',
        'docs/e.md': 'e\n'
      }
    })
    await fake.createRepo(ORG, 'legacy', { archived: true, files: { 'README.md': 'old\n' } })
    await fake.createRepo(ORG, 'forked', { fork: true, files: { 'README.md': 'fork\n' } })
    await fake.createRepo(ORG, 'blank', { empty: true })
  })
  afterAll(() => fake.stop())

  test('pulls selected docs into projects/<repo>/ of a new environment branch, byte for byte, modes kept', async () => {
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(result.codex_branch).toBe('test')
    const codex = await fake.files(ORG, CODEX, 'test')
    const pulled = Object.keys(codex)
      .filter(path => path.startsWith('projects/api/'))
      .sort()
    expect(pulled).toEqual([
      'projects/api/CLAUDE.md',
      'projects/api/README.md',
      'projects/api/docs/diagram.png',
      'projects/api/docs/guide.md',
      'projects/api/docs/run.sh'
    ])
    expect(codex['projects/api/docs/diagram.png']?.content.equals(PNG)).toBe(true)
    expect(codex['projects/api/docs/run.sh']?.mode).toBe('100755')
    expect(codex['docs/shared.md']?.content.toString()).toBe('shared\n')
    // The environment branch was created from main, which is untouched.
    expect(
      Object.keys(await fake.files(ORG, CODEX, 'main')).some(path => path.startsWith('projects/'))
    ).toBe(false)

    const api = projectResult(result, 'api')
    expect(api).toMatchObject({
      status: 'synced',
      files_added: 5,
      files_modified: 0,
      files_deleted: 0
    })
    expect(api.commit_sha).toMatch(/^[0-9a-f]{40}$/)
    const commit = await fake.commitInfo(ORG, CODEX, api.commit_sha as string)
    expect(commit.message).toContain('acme/api')
    expect(projectResult(result, 'web')).toMatchObject({ status: 'synced', files_added: 6 })
    expect(projectResult(result, 'legacy')).toMatchObject({ status: 'skipped', reason: 'archived' })
    expect(projectResult(result, 'forked')).toMatchObject({ status: 'skipped', reason: 'fork' })
    expect(projectResult(result, 'blank')).toMatchObject({
      status: 'skipped',
      reason: 'empty repository'
    })
    expect(result.projects.map(project => project.project)).not.toContain(CODEX)
    expect(result).toMatchObject({
      total_projects: 5,
      succeeded: 2,
      failed: 0,
      skipped: 3,
      files_synced: 11,
      commits_created: 2
    })
    expect(result.total_projects).toBe(result.succeeded + result.failed + result.skipped)
  })

  test('a second run with nothing changed writes nothing', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(writes(fake)).toEqual([])
    expect(projectResult(result, 'api').status).toBe('unchanged')
    expect(projectResult(result, 'web').status).toBe('unchanged')
    expect(result.commits_created).toBe(0)
  })

  test('unchanged files are never downloaded; changed ones are updated and gone ones deleted', async () => {
    await fake.commit(ORG, 'api', 'main', { 'docs/guide.md': 'guide v2\n', 'CLAUDE.md': null })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(projectResult(result, 'api')).toMatchObject({
      status: 'synced',
      files_added: 0,
      files_modified: 1,
      files_deleted: 1
    })
    expect(blobsRead(fake, 'api')).toEqual([gitBlobSha('guide v2\n')])
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/guide.md')).toBe('guide v2\n')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/CLAUDE.md')).toBeUndefined()
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/a.md')).toBe('a\n')
  })

  test('a project that would delete more than the threshold fails and nothing is written to it', async () => {
    const before = await fake.head(ORG, CODEX, 'test')
    await fake.commit(ORG, 'web', 'main', {
      'docs/a.md': null,
      'docs/b.md': null,
      'docs/c.md': null,
      'docs/d.md': null
    })
    const { result, log } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(projectResult(result, 'web')).toMatchObject({
      status: 'failed',
      error: 'Deletion threshold exceeded'
    })
    // the failure is an error annotation that says what to do, and a progress line
    expect(log.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^web: Deletion threshold exceeded — .*deletion_threshold/)
      })
    ])
    expect(log.lines).toContainEqual(expect.stringMatching(/^\[\d\/\d\] web: failed/))
    expect(projectResult(result, 'web').resolution).toMatch(/deletion_threshold/)
    expect(result.failures).toEqual([
      expect.objectContaining({ project: 'web', error: 'Deletion threshold exceeded' })
    ])
    expect(await fake.head(ORG, CODEX, 'test')).toBe(before)
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/a.md')).toBe('a\n')
    // one of two attempted projects failed: not more than half
    expect(result.status).toBe('partial_success')
    await fake.commit(ORG, 'web', 'main', {
      'docs/a.md': 'a\n',
      'docs/b.md': 'b\n',
      'docs/c.md': 'c\n',
      'docs/d.md': 'd\n'
    })
  })

  test('dry run plans every path and writes nothing', async () => {
    await fake.commit(ORG, 'web', 'main', { 'docs/new.md': 'new\n', 'docs/e.md': null })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      dry_run: 'true'
    })

    expect(writes(fake)).toEqual([])
    expect(result.dry_run).toBe(true)
    expect(result.commits_created).toBe(0)
    expect(projectResult(result, 'web')).toMatchObject({
      status: 'synced',
      planned: {
        added: ['projects/web/docs/new.md'],
        modified: [],
        deleted: ['projects/web/docs/e.md']
      }
    })
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/new.md')).toBeUndefined()
  })

  test('target_repository syncs only the named projects; an unknown name fails clearly', async () => {
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'web, nope'
    })

    expect(projectResult(result, 'web').status).toBe('synced')
    expect(projectResult(result, 'api')).toMatchObject({
      status: 'skipped',
      reason: 'not in target_repository'
    })
    expect(projectResult(result, 'nope').status).toBe('failed')
    expect(projectResult(result, 'nope').error).toMatch(/acme\/nope/)
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/new.md')).toBe('new\n')
  })

  test('shards partition the projects: each project is synced by exactly one shard', async () => {
    await fake.commit(ORG, 'api', 'main', { 'docs/shard.md': 'x\n' })
    await fake.commit(ORG, 'web', 'main', { 'docs/shard.md': 'x\n' })
    const first = (await sync(fake, { mode: 'pull-docs', codex_repository: CODEX, shard: '1/2' }))
      .result
    const second = (await sync(fake, { mode: 'pull-docs', codex_repository: CODEX, shard: '2/2' }))
      .result

    for (const project of ['api', 'web']) {
      const statuses = [projectResult(first, project), projectResult(second, project)]
      expect(statuses.filter(entry => entry.status === 'synced')).toHaveLength(1)
      expect(statuses.filter(entry => entry.reason?.startsWith('not in shard'))).toHaveLength(1)
    }
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/shard.md')).toBe('x\n')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/shard.md')).toBe('x\n')
  })

  test('codex_commit single folds every project into one commit', async () => {
    await fake.commit(ORG, 'api', 'main', { 'docs/single.md': 'one\n' })
    await fake.commit(ORG, 'web', 'main', { 'docs/single.md': 'one\n' })
    const before = await fake.head(ORG, CODEX, 'test')
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      codex_commit: 'single'
    })

    expect(result.commits_created).toBe(1)
    const api = projectResult(result, 'api')
    expect(api.status).toBe('synced')
    expect(projectResult(result, 'web').commit_sha).toBe(api.commit_sha)
    const commit = await fake.commitInfo(ORG, CODEX, api.commit_sha as string)
    expect(commit.parents).toEqual([before])
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/single.md')).toBe('one\n')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/single.md')).toBe('one\n')
  })

  test('when the single codex commit fails, projects with changes fail and the others keep their status', async () => {
    await fake.commit(ORG, 'api', 'main', { 'docs/single.md': 'two\n' })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      codex_commit: 'single',
      token: 'read-only'
    })

    expect(projectResult(result, 'api').status).toBe('failed')
    expect(projectResult(result, 'api').resolution).toMatch(/Contents: read and write/)
    expect(projectResult(result, 'web').status).toBe('unchanged')
    expect(result.commits_created).toBe(0)
  })

  test('a path that turns from a folder into a file, and back, is synced', async () => {
    await fake.commit(ORG, 'api', 'main', { 'docs/topic/intro.md': 'intro\n' })
    await sync(fake, { mode: 'pull-docs', codex_repository: CODEX, target_repository: 'api' })
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/topic/intro.md')).toBe('intro\n')

    await fake.commit(ORG, 'api', 'main', {
      'docs/topic/intro.md': null,
      'docs/topic': 'now a file\n'
    })
    const toFile = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })
    expect(projectResult(toFile.result, 'api').status).toBe('synced')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/topic')).toBe('now a file\n')

    await fake.commit(ORG, 'api', 'main', { 'docs/topic': null, 'docs/topic/intro.md': 'back\n' })
    const toFolder = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })
    expect(projectResult(toFolder.result, 'api').status).toBe('synced')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/topic/intro.md')).toBe('back\n')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/guide.md')).toBe('guide v2\n')
  })

  test('pull never reads back what the push modes own in a project, even when sync_patterns take everything', async () => {
    await fake.createRepo('loop', 'codex.loop.io', {
      files: { '.github/codex-sync.yml': 'sync_patterns: ["**"]\nexclude_patterns: []\n' }
    })
    await fake.createRepo('loop', 'app', {
      files: {
        'docs/a.md': 'a\n',
        '.codex/docs/from-codex.md': 'pushed\n',
        '.claude/agents/loop/agent.md': 'pushed agent\n',
        '.claude/scripts/loop/run.sh': 'pushed script\n',
        '.claude/agents/own.md': "the project's own agent\n"
      }
    })
    const { result } = await sync(fake, { mode: 'pull-docs', organization: 'loop' })

    expect(result.status).toBe('success')
    const pulled = Object.keys(await fake.files('loop', 'codex.loop.io', 'test'))
      .filter(path => path.startsWith('projects/app/'))
      .sort()
    expect(pulled).toEqual(['projects/app/.claude/agents/own.md', 'projects/app/docs/a.md'])
  })

  test('an invalid config stops the run before any write and names the key', async () => {
    await fake.createRepo('broken', 'codex.broken.io', {
      files: { '.github/codex-sync.yml': 'projects_dir: projects\nsync_pattern: ["docs/**"]\n' }
    })
    await fake.createRepo('broken', 'svc', { files: { 'docs/a.md': 'a\n' } })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', organization: 'broken' })

    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/sync_pattern/)
    expect(result.resolution).toBeTruthy()
    expect(writes(fake)).toEqual([])
    expect(result.total_projects).toBe(0)
  })

  test('a token that reaches only the codex (the workflow GITHUB_TOKEN) stops the run with a resolution', async () => {
    await fake.createRepo('solo', 'codex.solo.io', { files: { 'README.md': 'x\n' } })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      organization: 'solo',
      token: 'ghs_workflow'
    })
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/GITHUB_TOKEN/)
    expect(result.resolution).toMatch(/create-github-app-token/)
    // Named, the codex is read while the organisation is listed: still nothing is written to it.
    fake.clearLog()
    const named = await sync(fake, {
      mode: 'pull-docs',
      organization: 'solo',
      codex_repository: 'codex.solo.io',
      token: 'ghs_workflow'
    })
    expect(named.result.error).toMatch(/GITHUB_TOKEN/)
    expect(writes(fake)).toEqual([])
    expect(await fake.head('solo', 'codex.solo.io', 'test')).toBeUndefined()
  })

  test('the codex is found as the only codex.* repository; several are an error naming them', async () => {
    const found = await sync(fake, { mode: 'pull-docs', dry_run: 'true' })
    expect(found.result.codex_repository).toBe(CODEX)

    await fake.createRepo('twin', 'codex.one.io', { files: { 'README.md': 'x\n' } })
    await fake.createRepo('twin', 'codex.two.io', { files: { 'README.md': 'x\n' } })
    const twins = await sync(fake, { mode: 'pull-docs', organization: 'twin' })
    expect(twins.result.status).toBe('failure')
    expect(twins.result.error).toMatch(/codex\.one\.io.*codex\.two\.io/)
  })
})
