// Reads and writes in proportion to what changed, the codex state, and runs that stop cleanly
// (time budget, hourly write budget) and resume with the projects they did not reach.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import {
  isStateWrite,
  movedBranches,
  projectResult,
  sync,
  writes
} from '../__fixtures__/harness.js'
import { gitBlobSha } from '../src/github/git-data.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
/** Signs what the codex state remembers: without it, routing is read afresh each run. */
const STATE_KEY = 'a-state-key-only-this-workflow-holds'

let fake: FakeGitHub

const codexReads = (kind: string) =>
  fake.log.filter(
    entry => entry.method === 'GET' && entry.path.startsWith(`/repos/${ORG}/${CODEX}/git/${kind}`)
  )
/** GraphQL queries that read blob texts (the codex's first look reads only its config). */
const blobTextQueries = () =>
  fake.log.filter(
    entry =>
      entry.path === '/graphql' &&
      /object\(oid:/.test(String((entry.body as { query?: unknown } | undefined)?.query))
  )
/** REST reads of the state's ref or tree, which the first look makes needless. */
const stateReads = () =>
  fake.log.filter(
    entry =>
      entry.method === 'GET' &&
      (entry.path.endsWith('/git/ref/codex-sync/state') ||
        (entry.path.startsWith(`/repos/${ORG}/${CODEX}/git/trees/`) &&
          !entry.path.endsWith('/git/trees/test')))
  )
const projectRequests = (project: string) =>
  fake.log.filter(entry => entry.path.startsWith(`/repos/${ORG}/${project}/`))

beforeAll(async () => {
  fake = await FakeGitHub.start()
  await fake.createRepo(ORG, CODEX, {
    files: {
      '.github/codex-sync.yml': 'claude_namespace: acme\n',
      'docs/all.md': doc('codex_sync_include: [*]', 'all\n'),
      'docs/none.md': 'no frontmatter\n',
      '.claude/agents/acme/helper.md': 'helper\n'
    }
  })
  await fake.commit(ORG, CODEX, 'test', {})
  for (const project of PROJECTS) {
    await fake.createRepo(ORG, project, { files: { 'README.md': `# ${project}\n` } })
  }
})
afterAll(() => fake.stop())

describe('reads in proportion to what changed', () => {
  test('push-docs reads each codex Markdown blob once, ever: the rerun reads none', async () => {
    fake.clearLog()
    const first = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      state_key: STATE_KEY
    })
    expect(first.result.status).toBe('success')
    expect(first.result.commits_created).toBe(PROJECTS.length)
    expect(fake.log.filter(isStateWrite).length).toBeGreaterThan(0)

    fake.clearLog()
    const rerun = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      state_key: STATE_KEY
    })
    expect(rerun.result.projects.map(project => project.status)).toEqual(
      PROJECTS.map(() => 'unchanged')
    )
    expect(writes(fake)).toEqual([])
    expect(fake.log.filter(isStateWrite)).toEqual([])
    // The state came with the codex's first look, and no routed document is downloaded again.
    expect(codexReads('blobs')).toEqual([])
    expect(stateReads()).toEqual([])
    expect(blobTextQueries()).toEqual([])
  })

  test("a state too large for GraphQL's text is read over REST by its SHA, and still spares the documents", async () => {
    await sync(fake, { mode: 'push-docs', codex_repository: CODEX, state_key: STATE_KEY })
    const routing = await fake.text(ORG, CODEX, 'refs/codex-sync/state', 'routing/test.json')
    // GitHub cuts Blob.text at 512,000 bytes; the padding is a field the state does not read.
    const padded = JSON.stringify({ ...JSON.parse(routing ?? '{}'), padding: 'x'.repeat(600_000) })
    const head = await fake.commit(ORG, CODEX, 'padded-state', { 'routing/test.json': padded })
    const moved = await fetch(`${fake.url}/repos/${ORG}/${CODEX}/git/refs/codex-sync/state`, {
      method: 'PATCH',
      headers: { authorization: 'token test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ sha: head, force: true })
    })
    expect(moved.status).toBe(200)

    fake.clearLog()
    const rerun = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      state_key: STATE_KEY
    })
    expect(rerun.result.projects.map(project => project.status)).toEqual(
      PROJECTS.map(() => 'unchanged')
    )
    expect(codexReads('blobs').map(entry => entry.path)).toEqual([
      `/repos/${ORG}/${CODEX}/git/blobs/${gitBlobSha(Buffer.from(padded))}`
    ])
    expect(stateReads()).toEqual([])
    expect(blobTextQueries()).toEqual([])
  })

  test('a no-op push run reads no project: the object IDs of its owned folders come with the listing', async () => {
    await sync(fake, { mode: 'push-claude', codex_repository: CODEX })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })
    expect(result.succeeded).toBe(PROJECTS.length)
    for (const project of PROJECTS) expect(projectRequests(project)).toEqual([])
  })

  test('a changed codex document is read once for all projects, and only it', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/all.md': doc('codex_sync_include: [*]', 'all v2\n')
    })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      state_key: STATE_KEY
    })
    expect(result.commits_created).toBe(PROJECTS.length)
    const blobReads = codexReads('blobs').filter(entry => !entry.path.endsWith('/blobs/'))
    // The config, the state's two files, and the new document: never once per project.
    expect(blobReads.length).toBeLessThanOrEqual(4)
    for (const project of PROJECTS) {
      expect(await fake.text(ORG, project, 'main', '.codex/docs/all.md')).toContain('all v2')
    }
  })
})

describe('a run that stops before a limit ends it', () => {
  test('the hourly write budget defers projects; the next run takes them first and converges', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/all.md': doc('codex_sync_include: [*]', 'all v3\n')
    })
    // Room for two projects at four writes each (the state's own writes come after).
    const limited = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      state_key: STATE_KEY,
      writes_per_hour: '8'
    })
    const deferred = limited.result.projects.filter(project => project.outcome === 'deferred')
    expect(limited.result.status).toBe('success')
    expect(limited.result.succeeded).toBeGreaterThan(0)
    expect(deferred.length).toBeGreaterThan(0)
    expect(limited.result.skipped).toBe(deferred.length)
    expect(limited.log.warnings.some(warning => /writes_per_hour/.test(warning.message))).toBe(true)

    // One at a time, so that the progress lines show the order projects start in.
    const next = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      state_key: STATE_KEY,
      parallel: '1'
    })
    // Projects already in sync are settled first, unread; of those that need a look, the deferred go first.
    const order = next.log.lines
      .map(line => /^\[\d+\/\d+\] (\S+): (?!unchanged)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined)
    expect(order.slice(0, deferred.length).sort()).toEqual(
      deferred.map(project => project.project).sort()
    )
    for (const project of deferred) {
      expect(projectResult(next.result, project.project).status).toBe('synced')
    }
    for (const project of PROJECTS) {
      expect(await fake.text(ORG, project, 'main', '.codex/docs/all.md')).toContain('all v3')
    }
  })

  test('a spent time budget defers every project not started, and the run is no failure', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      '.claude/agents/acme/helper.md': 'helper v2\n'
    })
    const { result, log } = await sync(fake, {
      mode: 'push-claude',
      codex_repository: CODEX,
      time_budget_minutes: '0.00001'
    })
    expect(result.status).toBe('success')
    expect(result.projects.map(project => project.status)).toEqual(PROJECTS.map(() => 'skipped'))
    expect(log.warnings.some(warning => /time budget/.test(warning.message))).toBe(true)
    expect(await fake.text(ORG, 'p1', 'main', '.claude/agents/acme/helper.md')).toBe('helper\n')
  })
})

describe('pull-docs writes in proportion to what changed', () => {
  test('codex_commit auto: one commit per project while few changed, one for the run beyond', async () => {
    // The first import: six projects changed, more than three: one commit.
    const first = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(first.result.succeeded).toBe(PROJECTS.length)
    expect(first.result.commits_created).toBe(1)

    await fake.commit(ORG, 'p1', 'main', { 'docs/one.md': 'one\n' })
    await fake.commit(ORG, 'p2', 'main', { 'docs/two.md': 'two\n' })
    const few = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(few.result.commits_created).toBe(2)

    await fake.commit(ORG, 'p1', 'main', { 'docs/one.md': 'one v2\n' })
    fake.clearLog()
    const one = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(one.result.commits_created).toBe(1)
    expect(projectResult(one.result, 'p1').status).toBe('synced')

    for (const project of PROJECTS) {
      await fake.commit(ORG, project, 'main', { 'docs/all.md': `all of ${project}\n` })
    }
    fake.clearLog()
    const many = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(many.result.commits_created).toBe(1)
    const shas = new Set(
      many.result.projects.map(project => projectResult(many.result, project.project).commit_sha)
    )
    expect(shas.size).toBe(1)
    expect(movedBranches(fake)).toEqual([`${CODEX}@test`])
    const message = (
      await fake.commitInfo(ORG, CODEX, (await fake.head(ORG, CODEX, 'test')) as string)
    ).message
    for (const project of PROJECTS) expect(message).toContain(`- ${project}: 1 added`)
  })

  test('a whole-organisation run removes the folders of repositories that no longer exist', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'projects/gone/README.md': '# gone\n',
      'projects/gone/docs/a.md': 'a\n'
    })
    const targeted = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'p1'
    })
    expect(targeted.result.orphans).toBeUndefined()
    expect(await fake.text(ORG, CODEX, 'test', 'projects/gone/README.md')).toBe('# gone\n')

    // A personal token cannot prove it sees every repository: the folder is named and kept.
    const unproven = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(unproven.result.orphans).toMatchObject({
      status: 'kept',
      folders: ['projects/gone/'],
      files_deleted: 0
    })
    expect(await fake.text(ORG, CODEX, 'test', 'projects/gone/README.md')).toBe('# gone\n')

    const prune = { mode: 'pull-docs', codex_repository: CODEX, prune_orphans: 'true' }
    const dry = await sync(fake, { ...prune, dry_run: 'true' })
    expect(dry.result.orphans).toEqual({
      status: 'planned',
      folders: ['projects/gone/'],
      files_deleted: 2
    })
    expect(dry.result.files_deleted).toBe(2)

    const { result, log } = await sync(fake, prune)
    expect(result.orphans).toEqual({
      status: 'removed',
      folders: ['projects/gone/'],
      files_deleted: 2,
      commit_sha: await fake.head(ORG, CODEX, 'test')
    })
    expect(result.files_deleted).toBe(2)
    expect(result.commits_created).toBe(1)
    expect(log.lines.some(line => /no longer exist, removed: projects\/gone\//.test(line))).toBe(
      true
    )
    expect(await fake.text(ORG, CODEX, 'test', 'projects/gone/README.md')).toBeUndefined()
    expect(await fake.text(ORG, CODEX, 'test', 'projects/p1/README.md')).toBe('# p1\n')
  })

  test('orphaned folders beyond the deletion limits are kept, with a warning', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, index) => [`projects/old/docs/${index}.md`, `${index}\n`])
    )
    await fake.commit(ORG, CODEX, 'test', many)
    const { result, log } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      prune_orphans: 'true'
    })
    expect(result.orphans).toMatchObject({ status: 'refused', folders: ['projects/old/'] })
    expect(log.warnings.some(warning => /were kept/.test(warning.message))).toBe(true)
    expect(await fake.text(ORG, CODEX, 'test', 'projects/old/docs/0.md')).toBe('0\n')
    expect(result.status).toBe('success')
  })
})

describe('the codex state across modes', () => {
  test('a pull-docs run that saves its deferrals keeps what push-docs remembers of routing', async () => {
    await sync(fake, { mode: 'push-docs', codex_repository: CODEX, state_key: STATE_KEY })
    // Every project has something to pull, so that a spent budget defers each of them.
    for (const project of PROJECTS) {
      await fake.commit(ORG, project, 'main', { 'docs/deferred.md': `${project}\n` })
    }
    fake.clearLog()
    const deferring = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      time_budget_minutes: '0.00001'
    })
    expect(deferring.result.skipped).toBe(PROJECTS.length)
    expect(fake.log.some(isStateWrite)).toBe(true)
    fake.clearLog()
    await sync(fake, { mode: 'push-docs', codex_repository: CODEX, state_key: STATE_KEY })
    expect(blobTextQueries()).toEqual([])
    expect(codexReads('blobs')).toEqual([])
  })
})
