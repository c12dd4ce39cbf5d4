import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { doc } from '../__fixtures__/builders.js'
import { projectResult, sync, writes } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x00, 0x01])

const CONFIG = `
environments:
  staging: { branch: staging }
distribution_dir: .codex
deletion_threshold: 4
routes:
  - { pattern: "docs/schema/**/*.json", include: ["*"] }
  - { pattern: "docs/**/*.png", include: ["*"], exclude: ["worker"] }
`

let fake: FakeGitHub

const distributed = async (project: string, ref = 'main') =>
  Object.keys(await fake.files(ORG, project, ref))
    .filter(path => path.startsWith('.codex/'))
    .sort()

describe('push-docs', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start()
    const codexFiles = {
      '.github/codex-sync.yml': CONFIG,
      'README.md': '# Codex\n',
      'docs/all.md': doc('title: All\ncodex_sync_include: [*]\ncodex_sync_exclude: []'),
      'docs/api-only.md': doc('codex_sync_include: [api]'),
      'docs/not-web.md': doc('codex_sync_include: ["*"]\ncodex_sync_exclude: [web]'),
      'docs/w-star.md': doc('codex_sync_include: "w*"'),
      'docs/no-include.md': doc('codex_sync_exclude: [api]'),
      'docs/internal.md': 'no frontmatter\n',
      'docs/broken.md': doc('codex_sync_include: [api\ntitle: "unclosed'),
      'docs/schema/event.json': '{"type":"event"}\n',
      'docs/schema/notes.txt': 'no route\n',
      'docs/img/logo.png': PNG,
      'projects/api/docs/api-guide.md': doc('codex_sync_include: [*]'),
      '.claude/agents/acme/agent.md': 'agent\n'
    }
    await fake.createRepo(ORG, CODEX, { files: codexFiles })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n', 'docs/own.md': 'own\n' } })
    await fake.createRepo(ORG, 'web', {
      files: {
        'README.md': '# Web\n',
        '.codex/stale.md': 'stale\n',
        '.codex/docs/all.md': 'old copy\n',
        '.claude/agents/own.md': 'own\n'
      }
    })
    await fake.createRepo(ORG, 'worker', { files: { 'README.md': '# Worker\n' } })
  })
  afterAll(() => fake.stop())

  test('routes every file by frontmatter and config routes; the codex is never written', async () => {
    fake.clearLog()
    const { result, log } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(await distributed('api')).toEqual([
      '.codex/docs/all.md',
      '.codex/docs/api-only.md',
      '.codex/docs/img/logo.png',
      '.codex/docs/not-web.md',
      '.codex/docs/schema/event.json'
    ])
    expect(await distributed('web')).toEqual([
      '.codex/docs/all.md',
      '.codex/docs/img/logo.png',
      '.codex/docs/schema/event.json',
      '.codex/docs/w-star.md',
      '.codex/projects/api/docs/api-guide.md'
    ])
    expect(await distributed('worker')).toEqual([
      '.codex/docs/all.md',
      '.codex/docs/not-web.md',
      '.codex/docs/schema/event.json',
      '.codex/docs/w-star.md',
      '.codex/projects/api/docs/api-guide.md'
    ])
    expect(writes(fake).filter(entry => entry.path.includes(`/repos/${ORG}/${CODEX}/`))).toEqual([])
    // The codex is read once per run, not once per project: one recursive tree, each blob once.
    const codexReads = fake.log.filter(
      entry => entry.method === 'GET' && entry.path.startsWith(`/repos/${ORG}/${CODEX}/git/`)
    )
    expect(
      codexReads.filter(entry => entry.path.includes('/git/trees/') && 'recursive' in entry.query)
    ).toHaveLength(1)
    const blobReads = codexReads
      .filter(entry => entry.path.includes('/git/blobs/'))
      .map(entry => entry.path)
    expect(new Set(blobReads).size).toBe(blobReads.length)
    expect(log.warnings).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ file: 'docs/broken.md' }) })
    ])

    // The routing picture: where each codex file went, and why some went nowhere.
    const row = (path: string) => result.routing?.find(file => file.path === path)
    // web had an old copy of it
    expect(row('docs/all.md')).toMatchObject({ added: ['api', 'worker'], modified: ['web'] })
    expect(row('docs/api-only.md')).toMatchObject({ added: ['api'] })
    expect(row('docs/api-only.md')).not.toHaveProperty('nowhere')
    expect(row('docs/internal.md')?.nowhere).toMatch(/no codex_sync_include/)
    expect(row('docs/no-include.md')?.nowhere).toMatch(/but no codex_sync_include/)
    expect(row('docs/broken.md')?.nowhere).toMatch(/cannot be parsed/)
    expect(row('docs/schema/notes.txt')?.nowhere).toMatch(/no route/)
    expect(row('projects/api/docs/api-guide.md')?.added).toEqual(['web', 'worker'])
  })

  test('the owned folder is made exact and nothing else in the project changes; binaries arrive byte for byte', async () => {
    const web = await fake.files(ORG, 'web', 'main')
    expect(web['.codex/stale.md']).toBeUndefined()
    expect(web['.codex/docs/all.md']?.content.toString()).toContain('title: All')
    expect(web['README.md']?.content.toString()).toBe('# Web\n')
    expect(web['.claude/agents/own.md']?.content.toString()).toBe('own\n')
    expect(web['.codex/docs/img/logo.png']?.content.equals(PNG)).toBe(true)
  })

  test('a rerun with nothing changed writes nothing', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(writes(fake)).toEqual([])
    expect(result.projects.map(project => project.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged'
    ])
  })

  test('dry run lists the planned paths and writes nothing', async () => {
    await fake.commit(ORG, CODEX, 'test', { 'docs/new.md': doc('codex_sync_include: [api]') })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      dry_run: 'true'
    })
    expect(writes(fake)).toEqual([])
    expect(projectResult(result, 'api').planned).toEqual({
      added: ['.codex/docs/new.md'],
      modified: [],
      deleted: []
    })
    expect(projectResult(result, 'web').status).toBe('unchanged')
  })

  test('a branch moved during the write keeps the other commit and gets ours on top', async () => {
    fake.addFault({
      kind: 'move-branch',
      owner: ORG,
      repo: 'api',
      branch: 'main',
      changes: { 'CHANGELOG.md': 'someone else\n' }
    })
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })

    expect(projectResult(result, 'api').status).toBe('synced')
    const api = await fake.files(ORG, 'api', 'main')
    expect(api['CHANGELOG.md']?.content.toString()).toBe('someone else\n')
    expect(api['.codex/docs/new.md']).toBeDefined()
  })

  test('more deletions than the threshold fail the project and write nothing to it', async () => {
    await fake.commit(
      ORG,
      'worker',
      'main',
      Object.fromEntries(
        ['a', 'b', 'c', 'd', 'e'].map(name => [`.codex/old/${name}.md`, `${name}\n`])
      )
    )
    const before = await fake.head(ORG, 'worker', 'main')
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })

    expect(projectResult(result, 'worker')).toMatchObject({
      status: 'failed',
      error: 'Deletion threshold exceeded'
    })
    expect(await fake.head(ORG, 'worker', 'main')).toBe(before)
    await fake.commit(
      ORG,
      'worker',
      'main',
      Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map(name => [`.codex/old/${name}.md`, null]))
    )
  })

  test('a file whose frontmatter breaks keeps its copies in projects until it is fixed', async () => {
    const good = await fake.text(ORG, CODEX, 'test', 'docs/all.md')
    await fake.commit(ORG, CODEX, 'test', {
      'docs/all.md': doc('codex_sync_include: [*\ntitle: broken')
    })
    const { result, log } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })

    expect(result.status).toBe('success')
    expect(await fake.text(ORG, 'api', 'main', '.codex/docs/all.md')).toBe(good)
    expect(log.warnings.map(warning => warning.properties?.file)).toContain('docs/all.md')
    await fake.commit(ORG, CODEX, 'test', { 'docs/all.md': good ?? '' })
  })

  test('a missing environment branch fails the run with a resolution and writes nothing', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      environment: 'staging'
    })
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/staging/)
    expect(result.resolution).toMatch(/pull-docs/)
    expect(writes(fake)).toEqual([])
  })

  test('pull-request strategy: one pull request per project, updated by later runs, default branch untouched', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/pr.md': doc('codex_sync_include: [worker]', 'v1\n')
    })
    const before = await fake.head(ORG, 'worker', 'main')
    const first = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'worker',
      commit_strategy: 'pull-request'
    })

    const worker = projectResult(first.result, 'worker')
    expect(worker.status).toBe('synced')
    expect(await fake.head(ORG, 'worker', 'main')).toBe(before)
    expect(await fake.text(ORG, 'worker', 'codex-sync/test', '.codex/docs/pr.md')).toContain('v1')
    const pulls = fake.pulls(ORG, 'worker')
    expect(pulls).toHaveLength(1)
    expect(worker.pull_request_url).toBe(pulls[0]?.html_url)

    await fake.commit(ORG, CODEX, 'test', {
      'docs/pr.md': doc('codex_sync_include: [worker]', 'v2\n')
    })
    const second = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'worker',
      commit_strategy: 'pull-request'
    })
    expect(projectResult(second.result, 'worker')).toMatchObject({
      status: 'synced',
      files_modified: 1,
      pull_request_url: worker.pull_request_url
    })
    expect(fake.pulls(ORG, 'worker')).toHaveLength(1)
    expect(await fake.text(ORG, 'worker', 'codex-sync/test', '.codex/docs/pr.md')).toContain('v2')

    fake.clearLog()
    const third = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'worker',
      commit_strategy: 'pull-request'
    })
    expect(projectResult(third.result, 'worker')).toMatchObject({
      status: 'unchanged',
      pull_request_url: worker.pull_request_url
    })
    expect(writes(fake)).toEqual([])
  })
  test('an open pull request that the default branch no longer needs is closed', async () => {
    await fake.commit(ORG, CODEX, 'test', { 'docs/pr.md': null })
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'worker',
      commit_strategy: 'pull-request'
    })

    expect(projectResult(result, 'worker').status).toBe('unchanged')
    expect(fake.pulls(ORG, 'worker').map(pull => pull.state)).toEqual(['closed'])
  })

  test('codex_ref plans against another codex ref (a pull request head) and writes nothing', async () => {
    await fake.commit(ORG, CODEX, 'proposal', {
      'docs/proposed.md': doc('codex_sync_include: [api]')
    })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      codex_ref: 'proposal'
    })
    expect(result).toMatchObject({ dry_run: true, codex_branch: 'proposal', commits_created: 0 })
    expect(projectResult(result, 'api').planned?.added).toContain('.codex/docs/proposed.md')
    expect(writes(fake)).toEqual([])
    expect(fake.log.some(entry => entry.method !== 'GET' && entry.path !== '/graphql')).toBe(false)

    const pull = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      codex_ref: 'proposal'
    })
    expect(pull.result.status).toBe('failure')
    expect(pull.result.error).toMatch(/codex_ref/)
  })

  test('a misspelt routing key is named with the key it is closest to', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/misspelt.md': doc('codex_sync_includes: [api]', 'misspelt\n')
    })
    const { log } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      dry_run: 'true'
    })
    const warning = log.warnings.find(entry => entry.properties?.file === 'docs/misspelt.md')
    expect(warning?.message).toMatch(/codex_sync_includes/)
    expect(warning?.message).toMatch(/codex_sync_include\b/)
  })
})
