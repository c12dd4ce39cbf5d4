import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { projectResult, sync, TOKEN, writes } from '../__fixtures__/harness.js'
import { gitBlobSha } from '../__fixtures__/builders.js'
import { TREE_BATCH } from '../src/write/content.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const MANY = 105

let fake: FakeGitHub

describe('GitHub faults, limits and scale', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start({
      treeEntryLimit: 12,
      tokens: {
        [TOKEN]: { write: 'all' },
        ghs_installation: { write: 'all' },
        'read-mostly': { write: [`${ORG}/${CODEX}`, `${ORG}/api`] }
      }
    })
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'deletion_threshold: 100\n',
        'docs/all.md': '---\ncodex_sync_include: [*]\n---\nall\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'docs/a.md': 'a\n' } })
    await fake.createRepo(ORG, 'web', { files: { 'docs/w.md': 'w\n' } })
  })
  afterAll(() => fake.stop())
  beforeEach(() => fake.clearFaults())

  test('secondary rate limits (403 and 429 with retry-after) are waited out and retried', async () => {
    fake.addFault({
      kind: 'secondary-rate-limit',
      status: 403,
      retryAfter: 1,
      times: 1,
      match: { method: 'GET', path: /\/repos\/[^/]+\/api\/git\/trees\// }
    })
    // The codex's first look, a GraphQL query, answered before any project is read.
    fake.addFault({
      kind: 'secondary-rate-limit',
      status: 429,
      retryAfter: 1,
      times: 1,
      match: { method: 'POST', path: /\/graphql$/ }
    })
    const { result, log } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })

    expect(result.status).toBe('success')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/a.md')).toBe('a\n')
    expect(
      log.warnings.filter(warning => /Secondary rate limit/.test(warning.message))
    ).toHaveLength(2)
    expect(fake.log.filter(entry => entry.status === 403 || entry.status === 429)).toHaveLength(2)
  })

  test('a primary rate limit is waited out until x-ratelimit-reset', async () => {
    fake.addFault({
      kind: 'rate-limit',
      resetInSeconds: 1,
      times: 1,
      match: { method: 'GET', path: /\/git\/trees\// }
    })
    await fake.commit(ORG, 'api', 'main', { 'docs/b.md': 'b\n' })
    const { result, log } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })

    expect(result.status).toBe('success')
    expect(log.warnings.some(warning => /Primary rate limit: waiting/.test(warning.message))).toBe(
      true
    )
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/b.md')).toBe('b\n')
  })

  test('server errors are retried', async () => {
    fake.addFault({
      kind: 'status',
      status: 502,
      times: 1,
      // The commit's first write: GraphQL's createCommitOnBranch, or the Git Data tree.
      match: { method: 'POST', path: /\/graphql$|\/git\/trees$/ }
    })
    await fake.commit(ORG, 'api', 'main', { 'docs/c.md': 'c\n' })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })

    expect(result.status).toBe('success')
    expect(fake.log.some(entry => entry.status === 502)).toBe(true)
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/c.md')).toBe('c\n')
  })

  test('slow answers still give a complete sync', async () => {
    fake.addFault({ kind: 'latency', ms: 30 })
    await fake.commit(ORG, 'api', 'main', { 'docs/slow.md': 'slow\n' })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })
    expect(result.status).toBe('success')
    expect(await fake.text(ORG, CODEX, 'test', 'projects/api/docs/slow.md')).toBe('slow\n')
  })

  test('an archived project that is not skipped fails with a resolution', async () => {
    await fake.createRepo(ORG, 'frozen', { archived: true, files: { 'README.md': 'frozen\n' } })
    await fake.commit(ORG, CODEX, 'test', {
      '.github/codex-sync.yml': 'deletion_threshold: 100\nrepositories: { skip_archived: false }\n'
    })
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'frozen'
    })

    const frozen = projectResult(result, 'frozen')
    expect(frozen.status).toBe('failed')
    expect(frozen.resolution).toMatch(/archived/)
    expect(await fake.text(ORG, 'frozen', 'main', '.codex/docs/all.md')).toBeUndefined()
    await fake.commit(ORG, CODEX, 'test', { '.github/codex-sync.yml': 'deletion_threshold: 100\n' })
  })

  test('an App installation token discovers the repositories of its installation', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      token: 'ghs_installation',
      dry_run: 'true'
    })

    expect(result.status).toBe('success')
    expect(fake.log.some(entry => entry.path === '/installation/repositories')).toBe(true)
    expect(fake.log.some(entry => entry.path === `/orgs/${ORG}/repos`)).toBe(false)
    expect(projectResult(result, 'api').status).toBe('unchanged')
    expect(projectResult(result, 'web').status).toBe('synced')
    expect(
      result.projects
        .filter(project => project.status === 'skipped')
        .map(project => project.project)
    ).toEqual(['frozen'])
  })

  test('a conflict that is not an empty repository fails the project instead of skipping it', async () => {
    fake.addFault({
      kind: 'status',
      status: 409,
      message: 'Conflict',
      times: 1,
      match: { method: 'GET', path: /\/repos\/acme\/web\/git\/trees\// }
    })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'web',
      dry_run: 'true'
    })
    expect(projectResult(result, 'web').status).toBe('failed')
  })

  test('a codex document that cannot be read is named, goes nowhere new and fails nothing', async () => {
    // Aimed at a new routed document's blob, read by push-docs itself after setup for its
    // frontmatter (not the config; its routing is not yet in the codex state).
    const fresh = '---\ncodex_sync_include: [*]\n---\nfresh\n'
    await fake.commit(ORG, CODEX, 'test', { 'docs/fresh.md': fresh })
    const routed = gitBlobSha(Buffer.from(fresh))
    // A server without GraphQL, so that the blob is read over REST, where the fault waits.
    fake.addFault({ kind: 'status', status: 404, times: 1, match: { path: /\/graphql$/ } })
    fake.addFault({
      kind: 'status',
      status: 404,
      times: 1,
      match: {
        method: 'GET',
        path: new RegExp(`/repos/acme/codex\\.acme\\.io/git/blobs/${routed}$`)
      }
    })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })
    expect(result.status).toBe('success')
    expect(
      result.warnings.some(warning => /docs\/fresh\.md cannot be read now/.test(warning))
    ).toBe(true)
    expect(fake.log.some(entry => entry.status === 404 && entry.path.endsWith(routed))).toBe(true)
    expect(await fake.text(ORG, 'api', 'main', '.codex/docs/fresh.md')).toBeUndefined()
  })

  test('a bad token stops the run with a resolution', async () => {
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      token: 'wrong'
    })
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/Bad credentials/)
    expect(result.resolution).toMatch(/token/)
  })

  test('a project the token may not write fails with a resolution; the others are synced', async () => {
    const { result, log } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      token: 'read-mostly'
    })

    expect(projectResult(result, 'api').status).toBe('synced')
    const web = projectResult(result, 'web')
    expect(web.status).toBe('failed')
    expect(web.resolution).toMatch(/Contents: read and write/)
    // A failure thrown mid-write still gets its progress line and its error annotation.
    expect(log.lines.some(line => /^\[\d+\/\d+\] web: failed/.test(line))).toBe(true)
    expect(log.errors.map(error => error.properties?.title)).toContain('codex-sync: web failed')
    // one of two attempted projects failed: exactly half is a partial success
    expect(result.status).toBe('partial_success')
    expect(await fake.text(ORG, 'web', 'main', '.codex/docs/all.md')).toBeUndefined()
  })

  test('a truncated recursive tree is walked sub-tree by sub-tree', async () => {
    const docs = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [
        `docs/part-${index % 3}/page-${index}.md`,
        `page ${index}\n`
      ])
    )
    await fake.createRepo(ORG, 'big', { files: docs })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'big'
    })

    expect(projectResult(result, 'big')).toMatchObject({ status: 'synced', files_added: 30 })
    const pulled = Object.keys(await fake.files(ORG, CODEX, 'test')).filter(path =>
      path.startsWith('projects/big/')
    )
    expect(pulled).toHaveLength(30)
  })

  test('a push to a truncated project tree walks only the folders that lead to the owned one', async () => {
    const sources = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [
        `src/module-${index % 4}/file-${index}.ts`,
        `export const n = ${index}\n`
      ])
    )
    await fake.createRepo(ORG, 'mono', { files: sources })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'mono'
    })

    expect(projectResult(result, 'mono').status).toBe('synced')
    expect(await fake.text(ORG, 'mono', 'main', '.codex/docs/all.md')).toContain('all')
    expect(await fake.text(ORG, 'mono', 'main', 'src/module-0/file-0.ts')).toBe(
      'export const n = 0\n'
    )
    const treeReads = fake.log.filter(
      entry => entry.method === 'GET' && entry.path.startsWith(`/repos/${ORG}/mono/git/trees/`)
    )
    // The truncated recursive listing, then the levels GraphQL reads at once: src/ is never
    // walked folder by folder.
    expect(treeReads).toHaveLength(1)
    const levels = fake.log.filter(entry => {
      const body = entry.body as { query?: unknown; variables?: { repo?: unknown } } | undefined
      return /codexSyncTrees/.test(String(body?.query)) && body?.variables?.repo === 'mono'
    })
    expect(levels).toHaveLength(1)
  })

  test('a commit of more changes than one tree request carries is written in chained batches', async () => {
    const pages = Object.fromEntries(
      Array.from({ length: TREE_BATCH + 5 }, (_, index) => [
        `docs/page-${index}.md`,
        `page ${index}\n`
      ])
    )
    await fake.createRepo(ORG, 'wide', { files: pages })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'wide'
    })

    expect(projectResult(result, 'wide')).toMatchObject({
      status: 'synced',
      files_added: TREE_BATCH + 5
    })
    const treeWrites = fake.log.filter(
      entry => entry.method === 'POST' && entry.path.endsWith('/git/trees')
    )
    expect(treeWrites).toHaveLength(2)
    expect(
      fake.log.filter(entry => entry.method === 'POST' && entry.path.endsWith('/git/commits'))
    ).toHaveLength(1)
    const pulled = Object.keys(await fake.files(ORG, CODEX, 'test')).filter(path =>
      path.startsWith('projects/wide/')
    )
    expect(pulled).toHaveLength(TREE_BATCH + 5)
  })

  test('discovery reads every page of a large organisation', async () => {
    for (let index = 0; index < MANY; index++)
      await fake.createRepo(ORG, `svc-${String(index).padStart(3, '0')}`, { empty: true })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      include: 'svc-10*',
      dry_run: 'true'
    })

    // GraphQL lists them a hundred a page, each page after the one before.
    const pages = fake.log.filter(entry => entry.graphql?.fields.includes('organization'))
    expect(pages.length).toBeGreaterThanOrEqual(2)
    expect(result.total_projects).toBe(MANY + 6) // api, web, big, frozen, mono, wide and the svc-* repositories
    expect(
      result.projects
        .filter(project => 'reason' in project && project.reason === 'empty repository')
        .map(project => project.project)
    ).toEqual(['svc-100', 'svc-101', 'svc-102', 'svc-103', 'svc-104'])
    expect(writes(fake)).toEqual([])
  })
})
