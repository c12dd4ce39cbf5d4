// What the engine sends to GitHub: request bodies, pacing, races and the pull-request strategy,
// checked against the fake server's request log (SPEC.md and GITHUB-FACTS.md).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { FakeGitHub, type RequestLogEntry } from '../__fixtures__/fake-github/index.js'
import { doc, gitBlobSha as blobSha } from '../__fixtures__/builders.js'
import {
  isStateWrite,
  movedBranches,
  projectResult,
  sync,
  withoutGraphQL,
  writes
} from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
// Binary: a NUL byte and bytes that are not UTF-8.
const LOGO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x01])
const LOGO_V2 = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xfe, 0xff, 0x02, 0x03
])
const DIAGRAM = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x00, 0x00, 0x80, 0xc3, 0x28])
// Latin-1 text: no NUL, but not valid UTF-8 either; reading it as UTF-8 would corrupt it.
const LATIN1 = Buffer.from('caf\xe9 cr\xe8me\n', 'latin1')
const SUBMODULE_SHA = '0123456789abcdef0123456789abcdef01234567'

interface TreeEntryBody {
  path: string
  mode: string
  type?: string
  sha?: string | null
  content?: string
}

interface TreeBody {
  tree: TreeEntryBody[]
  base_tree?: string
}

/** Requests to branches and pull requests (the codex state's own writes left out). */
const requestsTo = (fake: FakeGitHub, method: string, pattern: RegExp): RequestLogEntry[] =>
  fake.log.filter(
    entry => entry.method === method && pattern.test(entry.path) && !isStateWrite(entry)
  )

/** GraphQL requests whose query matches `pattern`. */
const graphqlRequests = (fake: FakeGitHub, pattern: RegExp): RequestLogEntry[] =>
  fake.log.filter(
    entry =>
      entry.path === '/graphql' &&
      pattern.test(String((entry.body as { query?: unknown } | undefined)?.query))
  )

const bodyOf = (entry: RequestLogEntry) => entry.body as Record<string, unknown>

/** Requests to `/repos/acme/<repo>/git/<kind>`; every repository when repo is not given. */
const gitRequests = (fake: FakeGitHub, method: string, kind: string, repo?: string) =>
  requestsTo(
    fake,
    method,
    new RegExp(`^/repos/${ORG}/${repo ? repo.replace(/\./g, '\\.') : '[^/]+'}/git/${kind}$`)
  )
const commitRequests = (fake: FakeGitHub, repo?: string) =>
  gitRequests(fake, 'POST', 'commits', repo)
const treeRequests = (fake: FakeGitHub, repo?: string) => gitRequests(fake, 'POST', 'trees', repo)
const blobRequests = (fake: FakeGitHub, repo?: string) => gitRequests(fake, 'POST', 'blobs', repo)
const refUpdates = (fake: FakeGitHub) => requestsTo(fake, 'PATCH', /\/git\/refs\//)

/** The single successful tree creation sent to a repository. */
function onlyTree(fake: FakeGitHub, repo: string): TreeBody {
  const trees = treeRequests(fake, repo).filter(entry => entry.status === 201)
  expect(trees).toHaveLength(1)
  return trees[0]?.body as TreeBody
}

function entry(tree: TreeBody, path: string): TreeEntryBody {
  const found = tree.tree.find(candidate => candidate.path === path)
  if (!found)
    throw new Error(
      `No tree entry for ${path} in ${JSON.stringify(tree.tree.map(candidate => candidate.path))}`
    )
  return found
}

function expectCommitsWithoutIdentity(entries: RequestLogEntry[], count: number) {
  expect(entries).toHaveLength(count)
  for (const commit of entries) {
    const body = bodyOf(commit)
    expect(body).toEqual(
      expect.objectContaining({
        message: expect.any(String),
        tree: expect.stringMatching(/^[0-9a-f]{40}$/)
      })
    )
    expect(body['parents']).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/)])
    expect(body).not.toHaveProperty('author')
    expect(body).not.toHaveProperty('committer')
  }
}

describe('request bodies in direct mode over the Git Data API (a server without GraphQL)', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    withoutGraphQL(fake)
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml':
          'distribution_dir: .codex\nroutes:\n  - { pattern: "docs/img/*.png", include: ["*"] }\n',
        'README.md': '# Codex\n',
        'docs/shared.md': doc('codex_sync_include: [*]', 'shared v1\n'),
        'docs/other.md': doc('codex_sync_include: [*]', 'other, never changed\n'),
        'docs/img/logo.png': LOGO
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', {
      files: { 'README.md': '# API\n', 'docs/guide.md': 'api guide\n', 'docs/diagram.gif': DIAGRAM }
    })
    await fake.createRepo(ORG, 'web', { files: { 'README.md': '# Web\n', 'docs/a.md': 'web a\n' } })
  })
  afterAll(() => fake.stop())

  test('pull-docs: commits carry no author or committer, refs move with force false, text inline, one blob per binary', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(projectResult(result, 'api').status).toBe('synced')
    expect(projectResult(result, 'web').status).toBe('synced')

    expectCommitsWithoutIdentity(commitRequests(fake, CODEX), 2)
    const updates = refUpdates(fake)
    expect(updates.length).toBeGreaterThanOrEqual(2)
    for (const update of updates) {
      expect(update.path).toBe(`/repos/${ORG}/${CODEX}/git/refs/heads/test`)
      expect(bodyOf(update)['force']).toBe(false)
    }

    // Only the binary file became a blob, uploaded byte for byte to the codex.
    const blobs = blobRequests(fake)
    expect(blobs.map(blob => blob.path)).toEqual([`/repos/${ORG}/${CODEX}/git/blobs`])
    expect(bodyOf(blobs[0] as RequestLogEntry)['encoding']).toBe('base64')
    expect(
      Buffer.from(String(bodyOf(blobs[0] as RequestLogEntry)['content']), 'base64').equals(DIAGRAM)
    ).toBe(true)

    const trees = treeRequests(fake, CODEX).map(request => request.body as TreeBody)
    expect(trees).toHaveLength(2)
    const entries = trees.flatMap(tree => tree.tree)
    expect(entries.map(change => change.path).sort()).toEqual([
      'projects/api/README.md',
      'projects/api/docs/diagram.gif',
      'projects/api/docs/guide.md',
      'projects/web/README.md',
      'projects/web/docs/a.md'
    ])
    for (const tree of trees) expect(tree.base_tree).toMatch(/^[0-9a-f]{40}$/)
    const texts = {
      'projects/api/README.md': '# API\n',
      'projects/api/docs/guide.md': 'api guide\n',
      'projects/web/README.md': '# Web\n',
      'projects/web/docs/a.md': 'web a\n'
    }
    for (const [path, text] of Object.entries(texts)) {
      const change = entries.find(candidate => candidate.path === path)
      expect(change?.content).toBe(text)
      expect(change).not.toHaveProperty('sha')
    }
    const binary = entries.find(candidate => candidate.path === 'projects/api/docs/diagram.gif')
    expect(binary?.content).toBeUndefined()
    expect(binary?.sha).toBe(blobSha(DIAGRAM))
    expect(
      (await fake.files(ORG, CODEX, 'test'))['projects/api/docs/diagram.gif']?.content.equals(
        DIAGRAM
      )
    ).toBe(true)
  })

  test('push-docs: the same rules for every project; the binary is uploaded once per project', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expectCommitsWithoutIdentity(commitRequests(fake), 2)
    expect(
      commitRequests(fake)
        .map(commit => commit.path)
        .sort()
    ).toEqual([`/repos/${ORG}/api/git/commits`, `/repos/${ORG}/web/git/commits`])
    const updates = refUpdates(fake)
    expect(updates.map(update => update.path).sort()).toEqual([
      `/repos/${ORG}/api/git/refs/heads/main`,
      `/repos/${ORG}/web/git/refs/heads/main`
    ])
    for (const update of updates) expect(bodyOf(update)['force']).toBe(false)

    const blobs = blobRequests(fake)
    expect(blobs.map(blob => blob.path).sort()).toEqual([
      `/repos/${ORG}/api/git/blobs`,
      `/repos/${ORG}/web/git/blobs`
    ])
    for (const blob of blobs)
      expect(Buffer.from(String(bodyOf(blob)['content']), 'base64').equals(LOGO)).toBe(true)

    for (const project of ['api', 'web']) {
      const tree = onlyTree(fake, project)
      expect(tree.base_tree).toMatch(/^[0-9a-f]{40}$/)
      expect(tree.tree.map(change => change.path).sort()).toEqual([
        '.codex/docs/img/logo.png',
        '.codex/docs/other.md',
        '.codex/docs/shared.md'
      ])
      expect(entry(tree, '.codex/docs/shared.md')).toEqual(
        expect.objectContaining({ content: doc('codex_sync_include: [*]', 'shared v1\n') })
      )
      expect(entry(tree, '.codex/docs/shared.md')).not.toHaveProperty('sha')
      expect(entry(tree, '.codex/docs/img/logo.png')).toEqual(
        expect.objectContaining({ sha: blobSha(LOGO) })
      )
      expect(entry(tree, '.codex/docs/img/logo.png')).not.toHaveProperty('content')
      expect(
        (await fake.files(ORG, project, 'main'))['.codex/docs/img/logo.png']?.content.equals(LOGO)
      ).toBe(true)
    }
  })

  test('push-docs update: only the changed files are sent, unchanged ones never inline, one blob per changed binary', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/shared.md': doc('codex_sync_include: [*]', 'shared v2\n'),
      'docs/img/logo.png': LOGO_V2
    })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(projectResult(result, 'api')).toMatchObject({
      status: 'synced',
      files_added: 0,
      files_modified: 2,
      files_deleted: 0
    })
    // one changed binary file per project
    expect(
      blobRequests(fake)
        .map(blob => blob.path)
        .sort()
    ).toEqual([`/repos/${ORG}/api/git/blobs`, `/repos/${ORG}/web/git/blobs`])
    for (const project of ['api', 'web']) {
      const tree = onlyTree(fake, project)
      expect(tree.base_tree).toMatch(/^[0-9a-f]{40}$/)
      expect(
        tree.tree.filter(change => change.content !== undefined).map(change => change.path)
      ).toEqual(['.codex/docs/shared.md'])
      expect(entry(tree, '.codex/docs/shared.md').content).toContain('shared v2')
      expect(entry(tree, '.codex/docs/img/logo.png').sha).toBe(blobSha(LOGO_V2))
      // Exactly the two changed files; the unchanged other.md stays in base_tree, never resent.
      expect(tree.tree.map(change => change.path).sort()).toEqual([
        '.codex/docs/img/logo.png',
        '.codex/docs/shared.md'
      ])
      const files = await fake.files(ORG, project, 'main')
      expect(files['.codex/docs/img/logo.png']?.content.equals(LOGO_V2)).toBe(true)
      expect(files['.codex/docs/other.md']?.content.toString()).toContain('other, never changed')
    }
    const updates = refUpdates(fake)
    expect(updates.map(update => update.path).sort()).toEqual([
      `/repos/${ORG}/api/git/refs/heads/main`,
      `/repos/${ORG}/web/git/refs/heads/main`
    ])
    for (const update of updates) expect(bodyOf(update)['force']).toBe(false)
  })
})

describe('pull-docs while the codex branch moves (Git Data API)', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    withoutGraphQL(fake)
    await fake.createRepo(ORG, CODEX, {
      files: { '.github/codex-sync.yml': 'projects_dir: projects\n', 'README.md': '# Codex\n' }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', {
      files: { 'README.md': '# API\n', 'docs/guide.md': 'guide\n' }
    })
  })
  afterAll(() => fake.stop())

  test('the other commit survives and the project docs land on top of it', async () => {
    fake.addFault({
      kind: 'move-branch',
      owner: ORG,
      repo: CODEX,
      branch: 'test',
      changes: { 'notes/other.md': 'someone else\n' }
    })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    const api = projectResult(result, 'api')
    expect(api.status).toBe('synced')
    // the first update was refused (not a fast-forward), the rebuilt one accepted
    expect(refUpdates(fake).map(update => update.status)).toEqual([422, 200])

    const files = await fake.files(ORG, CODEX, 'test')
    expect(files['notes/other.md']?.content.toString()).toBe('someone else\n')
    expect(files['projects/api/docs/guide.md']?.content.toString()).toBe('guide\n')
    expect(files['projects/api/README.md']?.content.toString()).toBe('# API\n')
    expect(files['README.md']?.content.toString()).toBe('# Codex\n')

    const head = await fake.head(ORG, CODEX, 'test')
    expect(api.commit_sha).toBe(head)
    const ours = await fake.commitInfo(ORG, CODEX, head as string)
    expect(ours.message).toContain('acme/api')
    expect(ours.parents).toHaveLength(1)
    const theirs = await fake.commitInfo(ORG, CODEX, ours.parents[0] as string)
    expect(theirs.message).toContain('Concurrent change')
  })
})

describe('write_interval_ms (Git Data API: three writes a project)', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    withoutGraphQL(fake)
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'distribution_dir: .codex\n',
        'docs/a.md': doc('codex_sync_include: [*]'),
        'docs/b.md': doc('codex_sync_include: [*]', 'b\n')
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    await fake.createRepo(ORG, 'web', { files: { 'README.md': '# Web\n' } })
  })
  afterAll(() => fake.stop())

  test('write requests go one at a time, spaced by the interval, across projects', async () => {
    const interval = 200
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      write_interval_ms: String(interval)
    })

    expect(result.status).toBe('success')
    expect(result.commits_created).toBe(2)
    const sent = writes(fake).sort((a, b) => a.time - b.time)
    expect(sent.length).toBeGreaterThanOrEqual(6)
    expect(new Set(sent.map(request => request.path.split('/')[3]))).toEqual(
      new Set(['api', 'web'])
    )
    // Never two writes in flight: each arrives after the previous one was answered.
    const overlapping = sent
      .slice(1)
      .filter((request, index) => request.time < (sent[index] as RequestLogEntry).answered)
    expect(overlapping).toEqual([])
    // The client spaces the starts of writes; arrivals can lag a start on a busy machine, so the
    // whole span is checked, with one interval of margin for the first request's lag.
    const span = (sent.at(-1) as RequestLogEntry).time - (sent[0] as RequestLogEntry).time
    expect(span).toBeGreaterThanOrEqual((sent.length - 2) * interval)
  })
})

describe('push-claude with commit_strategy pull-request', () => {
  let fake: FakeGitHub
  const projects = ['api', 'web']
  const heads: Record<string, string | undefined> = {}

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'claude_namespace: acme\n',
        '.claude/agents/acme/helper.md': 'helper agent\n',
        '.claude/scripts/acme/run.sh': { content: '#!/bin/sh\necho run\n', mode: '100755' }
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    for (const project of projects) {
      await fake.createRepo(ORG, project, { files: { 'README.md': `# ${project}\n` } })
      heads[project] = await fake.head(ORG, project, 'main')
    }
  })
  afterAll(() => fake.stop())

  test('a dry run plans the pull requests and writes nothing', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-claude',
      codex_repository: CODEX,
      commit_strategy: 'pull-request',
      dry_run: 'true'
    })

    expect(result.status).toBe('success')
    expect(writes(fake)).toEqual([])
    for (const project of projects) {
      expect(projectResult(result, project)).toMatchObject({
        status: 'synced',
        planned: {
          added: ['.claude/agents/acme/helper.md', '.claude/scripts/acme/run.sh'],
          modified: [],
          deleted: []
        }
      })
      expect(fake.pulls(ORG, project)).toEqual([])
      expect(await fake.head(ORG, project, 'codex-sync/test')).toBeUndefined()
    }
  })

  test('branch codex-sync/test holds the files, one pull request per project, default branch untouched', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-claude',
      codex_repository: CODEX,
      commit_strategy: 'pull-request'
    })

    expect(result.status).toBe('success')
    expectCommitsWithoutIdentity(commitRequests(fake), 2)
    for (const project of projects) {
      expect(await fake.head(ORG, project, 'main')).toBe(heads[project])
      const files = await fake.files(ORG, project, 'codex-sync/test')
      expect(files['.claude/agents/acme/helper.md']?.content.toString()).toBe('helper agent\n')
      expect(files['.claude/scripts/acme/run.sh']).toMatchObject({ mode: '100755' })
      expect(files['README.md']?.content.toString()).toBe(`# ${project}\n`)
      const branchHead = await fake.head(ORG, project, 'codex-sync/test')
      expect((await fake.commitInfo(ORG, project, branchHead as string)).parents).toEqual([
        heads[project]
      ])

      const pulls = fake.pulls(ORG, project)
      expect(pulls).toHaveLength(1)
      expect(pulls[0]).toMatchObject({ head: 'codex-sync/test', base: 'main', state: 'open' })
      expect(projectResult(result, project)).toMatchObject({
        status: 'synced',
        files_added: 2,
        pull_request_url: pulls[0]?.html_url
      })
    }
    expect(
      writes(fake).filter(request => request.path.includes(`/repos/${ORG}/${CODEX}/`))
    ).toEqual([])
  })

  test('a rerun with nothing changed writes nothing and opens no second pull request', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-claude',
      codex_repository: CODEX,
      commit_strategy: 'pull-request'
    })
    expect(writes(fake)).toEqual([])
    for (const project of projects) {
      expect(projectResult(result, project).status).toBe('unchanged')
      expect(fake.pulls(ORG, project)).toHaveLength(1)
    }
  })
})

describe('push-claude content: binaries and submodules', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'claude_namespace: acme\n',
        '.claude/agents/acme/agent.md': 'agent\n',
        '.claude/scripts/acme/tool.bin': LOGO,
        '.claude/scripts/acme/latin1.txt': LATIN1,
        '.claude/scripts/acme/vendor': { submodule: SUBMODULE_SHA }
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
  })
  afterAll(() => fake.stop())

  test('binary files arrive byte for byte; the submodule is never copied', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(projectResult(result, 'api')).toMatchObject({ status: 'synced', files_added: 3 })
    const files = await fake.files(ORG, 'api', 'main')
    expect(files['.claude/scripts/acme/tool.bin']).toMatchObject({ type: 'blob', mode: '100644' })
    expect(files['.claude/scripts/acme/tool.bin']?.content.equals(LOGO)).toBe(true)
    expect(files['.claude/scripts/acme/latin1.txt']?.content.equals(LATIN1)).toBe(true)
    expect(files['.claude/agents/acme/agent.md']?.content.toString()).toBe('agent\n')
    expect(files['.claude/scripts/acme/vendor']).toBeUndefined()
    expect(Object.values(files).filter(file => file.type === 'commit')).toEqual([])

    const tree = onlyTree(fake, 'api')
    expect(tree.tree.map(change => change.path)).not.toContain('.claude/scripts/acme/vendor')
    expect(
      tree.tree.filter(change => change.mode === '160000' || change.type === 'commit')
    ).toEqual([])
    // both non-text files went up as blobs, the text inline
    expect(blobRequests(fake, 'api')).toHaveLength(2)
    expect(entry(tree, '.claude/agents/acme/agent.md').content).toBe('agent\n')
  })
})

describe('empty project repositories', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'claude_namespace: acme\ndistribution_dir: .codex\n',
        'docs/all.md': doc('codex_sync_include: [*]'),
        '.claude/agents/acme/agent.md': 'agent\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    await fake.createRepo(ORG, 'blank', { empty: true })
  })
  afterAll(() => fake.stop())

  test.each(['push-docs', 'push-claude'])(
    '%s skips an empty repository and the run stays a success',
    async mode => {
      fake.clearLog()
      const { result } = await sync(fake, { mode, codex_repository: CODEX })

      expect(result.status).toBe('success')
      expect(projectResult(result, 'blank')).toMatchObject({
        status: 'skipped',
        reason: 'empty repository'
      })
      expect(projectResult(result, 'api').status).toBe('synced')
      expect(result).toMatchObject({
        total_projects: 2,
        succeeded: 1,
        failed: 0,
        skipped: 1,
        commits_created: 1
      })
      expect(result.failures).toEqual([])
      expect(
        writes(fake).filter(request => request.path.startsWith(`/repos/${ORG}/blank/`))
      ).toEqual([])
    }
  )
})

describe('commits through GraphQL createCommitOnBranch', () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml':
          'distribution_dir: .codex\nroutes:\n  - { pattern: "docs/img/*.png", include: ["api"] }\n',
        'docs/guide.md': doc('codex_sync_include: [*]', 'guide\n'),
        'docs/img/logo.png': LOGO
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    await fake.createRepo(ORG, 'web', { files: { 'README.md': '# Web\n', 'docs/a.md': 'a\n' } })
  })
  afterAll(() => fake.stop())

  const mutations = () => graphqlRequests(fake, /createCommitOnBranch/)

  test('text-only changes of 100644 files are one signed write, compared against the head read', async () => {
    const head = await fake.head(ORG, 'web', 'main')
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'web'
    })
    expect(projectResult(result, 'web').status).toBe('synced')
    const [mutation] = mutations()
    const input = (mutation?.body as { variables: { input: Record<string, unknown> } }).variables
      .input
    expect(input).toMatchObject({
      branch: { repositoryNameWithOwner: `${ORG}/${CODEX}`, branchName: 'test' },
      message: { headline: `codex-sync: pull docs from ${ORG}/web` }
    })
    expect(input.expectedHeadOid).toBe(
      await fake
        .commitInfo(ORG, CODEX, projectResult(result, 'web').commit_sha as string)
        .then(commit => commit.parents[0])
    )
    expect(writes(fake)).toEqual([mutation])
    expect(await fake.head(ORG, 'web', 'main')).toBe(head)
    expect(await fake.text(ORG, CODEX, 'test', 'projects/web/docs/a.md')).toBe('a\n')
  })

  test('a binary file keeps the Git Data path: blob, tree, commit, ref', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'api'
    })
    expect(projectResult(result, 'api').status).toBe('synced')
    expect(mutations()).toEqual([])
    expect(movedBranches(fake)).toEqual(['api@main'])
    const files = await fake.files(ORG, 'api', 'main')
    expect(files['.codex/docs/img/logo.png']?.content.equals(LOGO)).toBe(true)
  })

  test('a branch moved before the mutation lands: the commit is rebuilt on the new head', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide v2\n')
    })
    fake.addFault({
      kind: 'move-branch',
      owner: ORG,
      repo: 'web',
      branch: 'main',
      changes: { 'notes/other.md': 'someone else\n' }
    })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'web'
    })
    expect(projectResult(result, 'web').status).toBe('synced')
    expect(mutations().length).toBeGreaterThanOrEqual(2)
    const files = await fake.files(ORG, 'web', 'main')
    expect(files['notes/other.md']?.content.toString()).toBe('someone else\n')
    expect(files['.codex/docs/guide.md']?.content.toString()).toContain('guide v2')
  })
})

describe("the codex's first look", () => {
  let fake: FakeGitHub

  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: { '.github/codex-sync.yml': 'projects_dir: teams\n', 'README.md': '# Codex\n' }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
  })
  afterAll(() => fake.stop())

  const codexReads = () =>
    fake.log.filter(
      entry =>
        entry.method === 'GET' &&
        entry.path.startsWith(`/repos/${ORG}/${CODEX}/`) &&
        !entry.path.includes('codex-sync/state')
    )
  const firstLooks = () => graphqlRequests(fake, /codexSyncCodex/)

  const treeReads = () =>
    codexReads()
      .map(entry => entry.path)
      .filter(path => path.includes('/git/trees/'))

  test('one GraphQL query gives the codex, its config and the branch head; the tree is read beside it', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result.status).toBe('success')
    // The config read in the first look governs: projects land under teams/.
    expect(await fake.text(ORG, CODEX, 'test', 'teams/api/README.md')).toBe('# API\n')
    expect(firstLooks()).toHaveLength(1)
    // Read by branch name at once, not after the first look named the head.
    expect(treeReads()).toEqual([`/repos/${ORG}/${CODEX}/git/trees/test`])
    const [look] = firstLooks()
    const [tree] = codexReads()
    expect(tree?.time).toBeLessThanOrEqual(look?.answered ?? 0)
    expect(codexReads().filter(e => /\/git\/(ref\/heads|blobs)\//.test(e.path))).toEqual([])
  })

  test('a branch that moves between the early tree read and the first look is read again at its new head', async () => {
    fake.clearLog()
    // The first look answers late; meanwhile the branch gets a commit the early tree does not hold.
    fake.addFault({ kind: 'latency', ms: 1500, match: { method: 'POST', path: /\/graphql$/ } })
    const running = sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    while (treeReads().length === 0) await new Promise(resolve => setTimeout(resolve, 5))
    const moved = await fake.commit(ORG, CODEX, 'test', { 'notes/moved.md': 'moved\n' })
    const { result } = await running
    fake.clearFaults()

    expect(result.status).toBe('success')
    expect(treeReads()).toEqual([
      `/repos/${ORG}/${CODEX}/git/trees/test`,
      `/repos/${ORG}/${CODEX}/git/trees/${moved}`
    ])
    expect(await fake.text(ORG, CODEX, 'test', 'notes/moved.md')).toBe('moved\n')
  })

  test('an environment the config maps to another branch has that branch read over REST', async () => {
    await fake.commit(ORG, CODEX, 'main', {
      '.github/codex-sync.yml':
        'projects_dir: teams\nenvironments:\n  test: { branch: staging }\n  prod: { branch: main }\n'
    })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    expect(result).toMatchObject({ status: 'success', codex_branch: 'staging' })
    expect(firstLooks()).toHaveLength(1)
    expect(codexReads().some(entry => entry.path.endsWith('/git/ref/heads/staging'))).toBe(true)
    expect(await fake.text(ORG, CODEX, 'staging', 'teams/api/README.md')).toBe('# API\n')
  })

  test('without GraphQL, the codex is read over REST with the same outcome', async () => {
    withoutGraphQL(fake)
    await fake.commit(ORG, 'api', 'main', { 'docs/new.md': 'new\n' })
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    fake.clearFaults()

    expect(result).toMatchObject({ status: 'success', codex_branch: 'staging' })
    expect(await fake.text(ORG, CODEX, 'staging', 'teams/api/docs/new.md')).toBe('new\n')
    expect(fake.log.some(entry => entry.path === `/repos/${ORG}/${CODEX}`)).toBe(true)
    expect(codexReads().some(entry => entry.path.includes('/git/blobs/'))).toBe(true)
  })
})
