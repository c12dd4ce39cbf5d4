// Inputs and config keys that change what a run does, checked end to end against the fake
// server: parallel, deletion_threshold_percent, dry runs on a new environment, a codex without
// config, codex_repository, the config input, environment prod, a GitHub Enterprise base URL, and the defaults of
// the bundled action.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  FakeGitHub,
  type FileTree,
  type RequestLogEntry
} from '../__fixtures__/fake-github/index.js'
import { doc } from '../__fixtures__/builders.js'
import {
  collectingLog,
  movedBranches,
  projectResult,
  sync,
  TOKEN,
  writes
} from '../__fixtures__/harness.js'
import { resultOf, runAction } from '../__fixtures__/run-action.js'
import type { RunResult } from '../src/result/run.js'
import { parseSettings } from '../src/inputs/settings.js'
import { runSync } from '../src/sync.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'

/** Paths under `prefix` on a branch, sorted. */
async function pathsUnder(fake: FakeGitHub, repo: string, ref: string, prefix: string) {
  return Object.keys(await fake.files(ORG, repo, ref))
    .filter(path => path.startsWith(prefix))
    .sort()
}

/** `count` Markdown files `docs/<stem>-<i>.md`. */
function docs(stem: string, count: number): FileTree {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`docs/${stem}-${i}.md`, `${stem} ${i}\n`])
  )
}

describe('parallel', () => {
  const LATENCY_MS = 150
  const PROJECTS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
  let fake: FakeGitHub

  /**
   * For each project, the time during which some request to it was certainly in flight: from the
   * first request's arrival to the latest arrival plus the injected latency (every answer waits at
   * least that long; a small margin covers timer rounding). The true windows contain these, so two
   * of these overlapping means the two projects really were being processed at the same time.
   */
  function projectWindows(log: RequestLogEntry[]): Map<string, { start: number; end: number }> {
    const windows = new Map<string, { start: number; end: number }>()
    for (const entry of log) {
      const project = /^\/repos\/acme\/([^/]+)\//.exec(entry.path)?.[1]
      if (project === undefined || project === CODEX) continue
      const end = entry.time + LATENCY_MS - 10
      const window = windows.get(project)
      if (!window) windows.set(project, { start: entry.time, end })
      else {
        window.start = Math.min(window.start, entry.time)
        window.end = Math.max(window.end, end)
      }
    }
    return windows
  }

  /** The most windows open at one instant (a window ending when another starts does not overlap it). */
  function maxOverlap(windows: Iterable<{ start: number; end: number }>): number {
    const events = [...windows]
      .flatMap(({ start, end }) => [
        { at: start, delta: 1 },
        { at: end, delta: -1 }
      ])
      .sort((a, b) => a.at - b.at || a.delta - b.delta)
    let open = 0
    let most = 0
    for (const { delta } of events) {
      open += delta
      most = Math.max(most, open)
    }
    return most
  }

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'distribution_dir: .codex\n',
        'docs/all.md': doc('codex_sync_include: [*]', 'v1\n')
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    for (const project of PROJECTS) {
      await fake.createRepo(ORG, project, { files: { 'README.md': `# ${project}\n` } })
    }
  })
  afterAll(() => fake.stop())

  test("parallel '2': never more than two projects in flight at once (push-docs, slow server)", async () => {
    fake.addFault({ kind: 'latency', ms: LATENCY_MS })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      parallel: '2'
    })
    fake.clearFaults()

    expect(result.status).toBe('success')
    expect(result.projects.map(project => project.status)).toEqual(PROJECTS.map(() => 'synced'))
    const windows = projectWindows(fake.log)
    expect([...windows.keys()].sort()).toEqual(PROJECTS)
    // Bounded by 2, and the two slots are really used.
    expect(maxOverlap(windows.values())).toBe(2)
  })

  test("parallel '6': more than two projects in flight at once", async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/all.md': doc('codex_sync_include: [*]', 'v2\n')
    })
    fake.addFault({ kind: 'latency', ms: LATENCY_MS })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      parallel: '6'
    })
    fake.clearFaults()

    expect(result.status).toBe('success')
    expect(result.projects.map(project => project.status)).toEqual(PROJECTS.map(() => 'synced'))
    const windows = projectWindows(fake.log)
    expect([...windows.keys()].sort()).toEqual(PROJECTS)
    expect(maxOverlap(windows.values())).toBeGreaterThan(2)
  })
})

describe('deletion_threshold_percent', () => {
  let fake: FakeGitHub
  // 6 deletions each, well under deletion_threshold (50); the share decides.
  const GONE = Array.from({ length: 6 }, (_, i) => `docs/page-${i}.md`)

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'deletion_threshold: 50\ndeletion_threshold_percent: 20\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    // 29 owned files (28 docs + README): 6 deletions are 20.7 %, over 20 %.
    await fake.createRepo(ORG, 'small', {
      files: { 'README.md': '# small\n', ...docs('page', 28) }
    })
    // 31 owned files (30 docs + README): 6 deletions are 19.4 %, under 20 %.
    await fake.createRepo(ORG, 'large', {
      files: { 'README.md': '# large\n', ...docs('page', 30) }
    })
    const first = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    expect(first.result.status).toBe('success')
    expect(await pathsUnder(fake, CODEX, 'test', 'projects/small/')).toHaveLength(29)
    expect(await pathsUnder(fake, CODEX, 'test', 'projects/large/')).toHaveLength(31)

    const removal = Object.fromEntries(GONE.map(path => [path, null]))
    await fake.commit(ORG, 'small', 'main', removal)
    await fake.commit(ORG, 'large', 'main', removal)
  })
  afterAll(() => fake.stop())

  test('a project over the share fails and nothing is written for it', async () => {
    const before = await fake.head(ORG, CODEX, 'test')
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'small'
    })

    expect(projectResult(result, 'small')).toMatchObject({
      status: 'failed',
      error: 'Deletion threshold exceeded'
    })
    expect(writes(fake)).toEqual([])
    expect(await fake.head(ORG, CODEX, 'test')).toBe(before)
    expect(await pathsUnder(fake, CODEX, 'test', 'projects/small/')).toHaveLength(29)
  })

  test('in one run: the project over the share is refused, the one just under it syncs', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result.status).toBe('partial_success')
    expect(projectResult(result, 'small')).toMatchObject({
      status: 'failed',
      error: 'Deletion threshold exceeded'
    })
    expect(projectResult(result, 'large')).toMatchObject({
      status: 'synced',
      files_added: 0,
      files_modified: 0,
      files_deleted: 6
    })
    const large = await pathsUnder(fake, CODEX, 'test', 'projects/large/')
    expect(large).toHaveLength(25)
    for (const path of GONE) expect(large).not.toContain(`projects/large/${path}`)
    expect(await pathsUnder(fake, CODEX, 'test', 'projects/small/')).toHaveLength(29)
    // No request sent anything about the refused project.
    const sent = JSON.stringify(writes(fake).map(request => request.body))
    expect(sent).not.toContain('projects/small/')
    expect(sent).toContain('projects/large/')
  })
})

describe('dry run on a new environment', () => {
  let fake: FakeGitHub
  let mainHead: string | undefined

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'environments:\n  stage: { branch: stage }\n',
        'README.md': '# Codex\n'
      }
    })
    await fake.createRepo(ORG, 'api', {
      files: { 'README.md': '# API\n', 'docs/guide.md': 'guide\n' }
    })
    mainHead = await fake.head(ORG, CODEX, 'main')
  })
  afterAll(() => fake.stop())

  test('pull-docs dry run plans against the default branch, writes nothing, creates no branch', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      environment: 'stage',
      dry_run: 'true'
    })

    expect(result).toMatchObject({
      status: 'success',
      environment: 'stage',
      codex_branch: 'stage',
      dry_run: true,
      commits_created: 0
    })
    expect(projectResult(result, 'api')).toMatchObject({
      status: 'synced',
      planned: {
        added: ['projects/api/README.md', 'projects/api/docs/guide.md'],
        modified: [],
        deleted: []
      }
    })
    expect(writes(fake)).toEqual([])
    expect(await fake.head(ORG, CODEX, 'stage')).toBeUndefined()
    expect(await fake.head(ORG, CODEX, 'main')).toBe(mainHead)
  })

  test('the real run creates the branch from the default branch and commits on it', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      environment: 'stage'
    })

    expect(result).toMatchObject({ status: 'success', codex_branch: 'stage', commits_created: 1 })
    const created = writes(fake).filter(
      request => request.method === 'POST' && request.path === `/repos/${ORG}/${CODEX}/git/refs`
    )
    expect(created.map(request => request.body)).toEqual([
      { ref: 'refs/heads/stage', sha: mainHead }
    ])
    const head = await fake.head(ORG, CODEX, 'stage')
    expect(head).toBe(projectResult(result, 'api').commit_sha)
    expect((await fake.commitInfo(ORG, CODEX, head as string)).parents).toEqual([mainHead])
    expect(Object.keys(await fake.files(ORG, CODEX, 'stage')).sort()).toEqual([
      '.github/codex-sync.yml',
      'README.md',
      'projects/api/README.md',
      'projects/api/docs/guide.md'
    ])
    expect(await fake.head(ORG, CODEX, 'main')).toBe(mainHead)
  })
})

describe('a codex without a config file', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        'README.md': '# Codex\n',
        '.claude/agents/acme/helper.md': 'helper\n',
        '.claude/commands/acme/run.md': 'run\n',
        '.claude/agents/other/x.md': 'another namespace\n',
        '.claude/agents/top.md': 'outside any namespace\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', {
      files: {
        'README.md': '# API\n',
        'CLAUDE.md': 'claude\n',
        'docs/guide.md': 'guide\n',
        'docs/app.log': 'log\n',
        '.env': 'SECRET=1\n',
        'src/index.ts': 'export {}\n'
      }
    })
  })
  afterAll(() => fake.stop())

  test('pull-docs uses the default patterns and lands under projects/<repo>/', async () => {
    const { result, log } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(log.errors).toEqual([])
    expect(Object.keys(await fake.files(ORG, CODEX, 'test')).sort()).toEqual([
      '.claude/agents/acme/helper.md',
      '.claude/agents/other/x.md',
      '.claude/agents/top.md',
      '.claude/commands/acme/run.md',
      'README.md',
      'projects/api/CLAUDE.md',
      'projects/api/README.md',
      'projects/api/docs/guide.md'
    ])
  })

  test('push-claude uses the organisation as the namespace', async () => {
    const { result } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(projectResult(result, 'api')).toMatchObject({ status: 'synced', files_added: 2 })
    expect(await pathsUnder(fake, 'api', 'main', '.claude/')).toEqual([
      '.claude/agents/acme/helper.md',
      '.claude/commands/acme/run.md'
    ])
  })
})

describe('codex_repository', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, 'Codex.Acme.IO', { files: { 'README.md': '# Codex\n' } })
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
  })
  afterAll(() => fake.stop())

  test('names the codex in any case; the run uses its name as GitHub spells it', async () => {
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: 'CODEX.acme.io' })

    expect(result.status).toBe('success')
    expect(result.codex_repository).toBe('Codex.Acme.IO')
    expect(result.projects.map(project => project.project)).toEqual(['api'])
    expect(await fake.text(ORG, 'Codex.Acme.IO', 'test', 'projects/api/README.md')).toBe('# API\n')
  })

  test('a codex that does not exist fails the run by name, and nothing is written', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: 'codex.gone.io' })

    expect(result).toMatchObject({
      status: 'failure',
      error: 'Codex repository acme/codex.gone.io was not found.',
      resolution: expect.stringContaining('codex_repository')
    })
    expect(writes(fake)).toEqual([])
  })
})

describe('the config input', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'projects_dir: projects\n',
        'sync/config.yml': 'projects_dir: library\n'
      }
    })
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
  })
  afterAll(() => fake.stop())

  test('a config at a custom path is the one used', async () => {
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      config: 'sync/config.yml'
    })

    expect(result.status).toBe('success')
    const files = Object.keys(await fake.files(ORG, CODEX, 'test'))
    expect(files).toContain('library/api/README.md')
    expect(files.filter(path => path.startsWith('projects/'))).toEqual([])
  })
})

describe('environment prod', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, { files: { 'README.md': '# Codex\n' } })
    await fake.commit(ORG, CODEX, 'test', { 'notes.md': 'only on test\n' })
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
  })
  afterAll(() => fake.stop())

  test("pull-docs writes to the codex's main, nothing to test", async () => {
    const testHead = await fake.head(ORG, CODEX, 'test')
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      environment: 'prod'
    })

    expect(result).toMatchObject({ status: 'success', environment: 'prod', codex_branch: 'main' })
    expect(await fake.head(ORG, CODEX, 'main')).toBe(projectResult(result, 'api').commit_sha)
    expect(Object.keys(await fake.files(ORG, CODEX, 'main')).sort()).toEqual([
      'README.md',
      'projects/api/README.md'
    ])
    expect(await fake.head(ORG, CODEX, 'test')).toBe(testHead)
    expect(movedBranches(fake)).toEqual([`${CODEX}@main`])
  })
})

describe('GitHub Enterprise Server base URL', () => {
  let fake: FakeGitHub
  let gate: http.Server
  let gateUrl: string
  /** Paths as the client sent them, before the fake strips `/api/v3`. */
  const seen: string[] = []

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, { files: { 'README.md': '# Codex\n' } })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    // A pass-through in front of the fake that records the paths the client really requests
    // (the fake serves both forms and logs them without the prefix).
    gate = http.createServer((req, res) => {
      seen.push(req.url ?? '')
      const upstream = http.request(
        new URL(req.url ?? '/', fake.url),
        { method: req.method, headers: req.headers },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', error => res.writeHead(502).end(String(error)))
      req.pipe(upstream)
    })
    await new Promise<void>(resolve => gate.listen(0, '127.0.0.1', resolve))
    gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>(resolve => {
      gate.close(() => resolve())
      gate.closeAllConnections()
    })
    await fake.stop()
  })

  test('every REST request goes under GITHUB_API_URL=<host>/api/v3, GraphQL to /api/graphql, and the run succeeds', async () => {
    const inputs: Record<string, string> = {
      mode: 'pull-docs',
      token: TOKEN,
      organization: ORG,
      codex_repository: CODEX,
      write_interval_ms: '0'
    }
    const settings = parseSettings(
      name => inputs[name] ?? '',
      { GITHUB_API_URL: `${gateUrl}/api/v3/` },
      () => undefined
    )
    expect(settings.apiUrl).toBe(`${gateUrl}/api/v3`)
    fake.clearLog()
    const result = await runSync(settings, { log: collectingLog() })

    expect(result.status).toBe('success')
    expect(projectResult(result, 'api').status).toBe('synced')
    expect(seen.length).toBeGreaterThan(0)
    // REST under /api/v3, GraphQL where GitHub Enterprise Server serves it.
    expect(seen.filter(path => !path.startsWith('/api/v3/') && path !== '/api/graphql')).toEqual([])
    expect(fake.log).toHaveLength(seen.length)
    // Nothing is refused: the first look tells that there is no codex state yet.
    expect(
      fake.log.filter(entry => entry.status >= 400).map(entry => `${entry.status} ${entry.path}`)
    ).toEqual([])
    const served = fake.log.map(entry => `${entry.method} ${entry.path}`)
    expect(served.some(request => request.startsWith(`GET /repos/${ORG}/api/`))).toBe(true)
    expect(movedBranches(fake)).toEqual([`${CODEX}@test`])
    expect(Object.keys(await fake.files(ORG, CODEX, 'test'))).toContain('projects/api/README.md')
  })
})

describe('defaults of the bundled action (dist/index.js)', () => {
  let fake: FakeGitHub
  const base = { mode: 'pull-docs', token: TOKEN, write_interval_ms: '0', dry_run: 'true' }

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, { files: { 'README.md': '# Codex\n' } })
    // A codex that does not follow the codex.* naming: only the environment can point at it.
    await fake.createRepo(ORG, 'docs-hub', { files: { 'README.md': '# Docs hub\n' } })
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
  })
  afterAll(() => fake.stop())

  const expectRun = (run: Awaited<ReturnType<typeof runAction>>): RunResult => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(result).toBeDefined()
    return result as RunResult
  }

  test('organization defaults to the owner of GITHUB_REPOSITORY; the codex is the only codex.*', async () => {
    const run = await runAction(fake.url, base, { GITHUB_REPOSITORY: `${ORG}/${CODEX}` })

    const result = expectRun(run)
    expect(result).toMatchObject({
      status: 'success',
      organization: ORG,
      codex_repository: CODEX
    })
    // docs-hub is a project here
    expect(projectResult(result, 'docs-hub').status).toBe('synced')
  })

  test('with codex_repository empty, CODEX_GITHUB_REPO names the codex', async () => {
    const run = await runAction(
      fake.url,
      { ...base, codex_repository: '' },
      { GITHUB_REPOSITORY: `${ORG}/tools`, CODEX_GITHUB_ORG: ORG, CODEX_GITHUB_REPO: 'docs-hub' }
    )

    const result = expectRun(run)
    expect(result).toMatchObject({
      status: 'success',
      organization: ORG,
      codex_repository: 'docs-hub'
    })
    expect(result.projects.map(project => project.project)).not.toContain('docs-hub')
    expect(projectResult(result, CODEX).status).toBe('synced')
  })

  test('without GITHUB_REPOSITORY, a .env file in the workspace names the organisation and codex', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'codex-sync-workspace-'))
    try {
      writeFileSync(
        join(workspace, '.env'),
        `# codex location\nCODEX_GITHUB_ORG=${ORG}\nexport CODEX_GITHUB_REPO="docs-hub"\n`
      )
      const run = await runAction(fake.url, base, { GITHUB_WORKSPACE: workspace })

      const result = expectRun(run)
      expect(result).toMatchObject({
        status: 'success',
        organization: ORG,
        codex_repository: 'docs-hub'
      })
    } finally {
      rmSync(workspace, { recursive: true, force: true })
    }
  })
})
