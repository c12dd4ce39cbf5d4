// Faithfulness of the fake GitHub server, through real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { execFileSync } from 'node:child_process'
import { FakeGitHub, git } from '../__fixtures__/fake-github/index.js'
import { DIAGRAM_PNG, seedSampleOrg } from '../__fixtures__/sample-org.js'

interface Res {
  status: number
  headers: Headers
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

let fake: FakeGitHub

async function call(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = 'test-token'
): Promise<Res> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

const R = '/repos/acme/api'

beforeAll(async () => {
  fake = await FakeGitHub.start({
    treeEntryLimit: 20,
    tokens: {
      'test-token': { write: 'all' },
      'read-only': { write: 'none' },
      'api-only': { write: ['acme/api'], login: 'api-bot[bot]' }
    }
  })
  await seedSampleOrg(fake)
})
afterAll(() => fake.stop())

describe('repositories and pagination', () => {
  it('lists >100 repositories with GitHub Link headers and per_page limits', async () => {
    await Promise.all(
      Array.from({ length: 105 }, (_, i) =>
        fake.createRepo('many', `r${String(i).padStart(3, '0')}`, { empty: true })
      )
    )
    const first = await call('GET', '/orgs/many/repos?per_page=100&sort=full_name')
    expect(first.status).toBe(200)
    expect(first.body).toHaveLength(100)
    expect(first.body[0]).toMatchObject({
      name: 'r000',
      full_name: 'many/r000',
      owner: { login: 'many', type: 'Organization' },
      size: 0
    })
    expect(first.headers.get('link')).toBe(
      `<${fake.url}/orgs/many/repos?per_page=100&sort=full_name&page=2>; rel="next", ` +
        `<${fake.url}/orgs/many/repos?per_page=100&sort=full_name&page=2>; rel="last"`
    )
    const second = await call('GET', '/orgs/many/repos?per_page=100&sort=full_name&page=2')
    expect(second.body.map((r: { name: string }) => r.name)).toEqual([
      'r100',
      'r101',
      'r102',
      'r103',
      'r104'
    ])
    expect(second.headers.get('link')).toContain('page=1>; rel="prev"')
    expect(second.headers.get('link')).toContain('page=1>; rel="first"')
    expect(second.headers.get('link')).not.toContain('rel="next"')

    const defaults = await call('GET', '/orgs/many/repos?per_page=500')
    expect(defaults.body).toHaveLength(100) // max 100
    const thirty = await call('GET', '/orgs/many/repos')
    expect(thirty.body).toHaveLength(30)
    expect(thirty.headers.get('link')).toContain('page=4>; rel="last"')

    const octokit = new (Octokit.plugin(paginateRest))({ auth: 'test-token', baseUrl: fake.url })
    const all = await octokit.paginate('GET /orgs/{org}/repos', { org: 'many', per_page: 100 })
    expect(new Set(all.map(r => r.name)).size).toBe(105)
    const inst = await call('GET', '/installation/repositories?per_page=100&page=2')
    expect(inst.body.total_count).toBeGreaterThanOrEqual(105 + 7)
    expect(inst.headers.get('link')).toContain('rel="prev"')
    expect((await call('GET', '/orgs/nobody/repos')).status).toBe(404)
  })

  it('reports archived, fork, topics, empty and permissions like GitHub', async () => {
    const repos = (await call('GET', '/orgs/acme/repos?per_page=100')).body as {
      name: string
      archived: boolean
      fork: boolean
      size: number
      permissions: { push: boolean }
    }[]
    const by = Object.fromEntries(repos.map(r => [r.name, r]))
    expect(by.legacy?.archived).toBe(true)
    expect(by.forked?.fork).toBe(true)
    expect(by.blank?.size).toBe(0)
    expect(by['codex.acme.io']).toMatchObject({
      topics: ['codex'],
      default_branch: 'main',
      archived: false
    })
    const ro = await call('GET', `${R}`, undefined, 'read-only')
    expect(ro.body.permissions).toMatchObject({ push: false, pull: true })
    expect((await call('GET', '/repos/acme/nope')).status).toBe(404)
  })

  it('lists each repository as it is now, after a push, a setting or another token changed it', async () => {
    const listed = async (token = 'test-token') => {
      const page = await call('GET', '/orgs/acme/repos?per_page=100', undefined, token)
      const web: unknown = (page.body as { name: string }[]).find(repo => repo.name === 'web')
      return web as {
        archived: boolean
        topics: string[]
        pushed_at: string
        permissions: { push: boolean }
      }
    }
    const before = await listed()
    expect(await listed()).toEqual(before)
    await new Promise(resolve => setTimeout(resolve, 1100))
    await fake.commit('acme', 'web', 'main', { 'later.md': 'later\n' })
    fake.setRepo('acme', 'web', { archived: true, topics: ['docs'] })
    const after = await listed()
    expect(after).toMatchObject({ archived: true, topics: ['docs'] })
    expect(after.pushed_at > before.pushed_at).toBe(true)
    expect((await listed('read-only')).permissions.push).toBe(false)
    fake.setRepo('acme', 'web', { archived: false, topics: before.topics })
  })
})

describe('auth, permissions, rate limit headers', () => {
  it('answers 401, 403 and archived 403 with GitHub messages', async () => {
    const none = await call('GET', R, undefined, null)
    expect(none).toMatchObject({ status: 401, body: { message: 'Bad credentials', status: '401' } })
    expect((await call('GET', R, undefined, 'wrong')).status).toBe(401)

    const blob = { content: 'x', encoding: 'utf-8' }
    const ro = await call('POST', `${R}/git/blobs`, blob, 'read-only')
    expect(ro).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect((await call('POST', `${R}/git/blobs`, blob, 'api-only')).status).toBe(201)
    expect((await call('POST', '/repos/acme/web/git/blobs', blob, 'api-only')).status).toBe(403)
    const archived = await call('POST', '/repos/acme/legacy/git/blobs', blob)
    expect(archived).toMatchObject({
      status: 403,
      body: { message: 'Repository was archived so is read-only.' }
    })
    expect((await call('GET', '/repos/acme/legacy/git/ref/heads/main')).status).toBe(200)

    const ok = await call('GET', R)
    for (const h of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-used',
      'x-ratelimit-reset',
      'x-github-request-id'
    ]) {
      expect(ok.headers.get(h)).toBeTruthy()
    }
    expect(ok.headers.get('x-ratelimit-resource')).toBe('core')
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(Number(ok.headers.get('x-ratelimit-limit'))).toBe(5000)
  })

  it('spends a per-token budget and then answers 403 with remaining 0', async () => {
    const small = await FakeGitHub.start({ rateLimit: 3 })
    try {
      await small.createRepo('o', 'r')
      const remaining: string[] = []
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${small.url}/repos/o/r`, {
          headers: { authorization: 'token test-token' }
        })
        remaining.push(res.headers.get('x-ratelimit-remaining') ?? '')
      }
      expect(remaining).toEqual(['2', '1', '0'])
      const limited = await fetch(`${small.url}/repos/o/r`, {
        headers: { authorization: 'token test-token' }
      })
      expect(limited.status).toBe(403)
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(((await limited.json()) as { message: string }).message).toMatch(
        /^API rate limit exceeded/
      )
    } finally {
      await small.stop()
    }
  })
})

describe('empty repositories', () => {
  it('answers 409 on every git endpoint until a first commit exists', async () => {
    await fake.createRepo('acme', 'void', { empty: true })
    const v = '/repos/acme/void'
    for (const [method, path, body] of [
      ['GET', `${v}/git/ref/heads/main`],
      ['GET', `${v}/git/trees/main`],
      ['POST', `${v}/git/blobs`, { content: 'x' }],
      [
        'POST',
        `${v}/git/trees`,
        { tree: [{ path: 'a', mode: '100644', type: 'blob', content: 'a' }] }
      ],
      ['POST', `${v}/git/refs`, { ref: 'refs/heads/main', sha: 'a'.repeat(40) }]
    ] as [string, string, unknown?][]) {
      const res = await call(method, path, body)
      expect([path, res.status, res.body.message]).toEqual([path, 409, 'Git Repository is empty.'])
    }
    expect((await call('GET', `${v}/branches/main`)).status).toBe(404)
    const sha = await fake.commit('acme', 'void', 'main', { 'README.md': 'first\n' })
    expect((await fake.commitInfo('acme', 'void', sha)).parents).toEqual([])
    expect((await call('GET', `${v}/git/ref/heads/main`)).body.object.sha).toBe(sha)
  })
})

describe('trees', () => {
  it('recurses for any value of recursive, lists one level otherwise, truncates over the limit', async () => {
    for (const q of ['recursive=1', 'recursive=0', 'recursive=false', 'recursive']) {
      const res = await call('GET', `/repos/acme/web/git/trees/main?${q}`)
      expect(res.body.tree.some((e: { path: string }) => e.path === 'docs/ui.md')).toBe(true)
    }
    const flat = await call('GET', '/repos/acme/web/git/trees/main')
    expect(flat.body.tree.every((e: { path: string }) => !e.path.includes('/'))).toBe(true)
    expect(flat.body.tree.find((e: { path: string }) => e.path === 'docs')).toMatchObject({
      mode: '040000',
      type: 'tree'
    })
    expect(flat.body.truncated).toBe(false)

    const big = await call('GET', '/repos/acme/codex.acme.io/git/trees/main?recursive=1') // > 20 entries
    expect(big.body.truncated).toBe(true)
    expect(big.body.tree).toHaveLength(20)
    const docsSha = flat.body.tree.find((e: { path: string }) => e.path === 'docs').sha
    const docs = await call('GET', `/repos/acme/web/git/trees/${docsSha}`)
    expect(docs.body.tree.map((e: { path: string }) => e.path)).toContain('ui.md')
    expect((await call('GET', `${R}/git/trees/${'b'.repeat(40)}`)).status).toBe(404)

    // tree sha and modes are git's own
    const dir = fake.repoDir('acme', 'codex.acme.io')
    const full = await git(dir, ['ls-tree', '-r', 'main', '.claude/scripts/'])
    expect(full).toMatch(
      /^100755 blob [0-9a-f]{40}\t\.claude\/scripts\/acme\/codex\/codex-repo-discover\.sh/
    )
    expect((await git(fake.repoDir('acme', 'web'), ['rev-parse', 'main^{tree}'])).trim()).toBe(
      flat.body.sha
    )
  })

  it('creates trees on base_tree with inline content, deletions and only the changed sub-trees', async () => {
    const base = (await call('GET', `${R}/git/trees/main`)).body
    const srcBefore = base.tree.find((e: { path: string }) => e.path === 'src').sha
    const res = await call('POST', `${R}/git/trees`, {
      base_tree: base.sha,
      tree: [
        { path: 'docs/new/deep.md', mode: '100644', type: 'blob', content: 'deep\n' },
        { path: 'docs/setup.md', mode: '100644', type: 'blob', sha: null },
        { path: 'tool.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\n' }
      ]
    })
    expect(res.status).toBe(201)
    expect(res.body.tree.find((e: { path: string }) => e.path === 'src').sha).toBe(srcBefore)
    expect(res.body.tree.find((e: { path: string }) => e.path === 'tool.sh')).toMatchObject({
      mode: '100755',
      size: 10
    })
    const listing = (
      await git(fake.repoDir('acme', 'api'), ['ls-tree', '-r', '--name-only', res.body.sha])
    ).split('\n')
    expect(listing).toContain('docs/new/deep.md')
    expect(listing).toContain('docs/diagram.png')
    expect(listing).not.toContain('docs/setup.md')

    const only = await call('POST', `${R}/git/trees`, {
      tree: [{ path: 'a/b.md', mode: '100644', type: 'blob', content: 'b' }]
    })
    expect(only.body.tree).toEqual([expect.objectContaining({ path: 'a', type: 'tree' })])

    const missing = await call('POST', `${R}/git/trees`, {
      base_tree: base.sha,
      tree: [{ path: 'no/such.md', mode: '100644', type: 'blob', sha: null }]
    })
    expect(missing.status).toBe(422)
    const both = await call('POST', `${R}/git/trees`, {
      tree: [{ path: 'x', mode: '100644', type: 'blob', sha: 'a'.repeat(40), content: 'x' }]
    })
    expect(both).toMatchObject({
      status: 422,
      body: { message: expect.stringContaining('Must supply either tree.sha or tree.content') }
    })
    const foreignSha = (await call('GET', '/repos/acme/web/git/trees/main')).body.tree.find(
      (e: { path: string }) => e.path === 'README.md'
    ).sha
    const foreign = await call('POST', `${R}/git/trees`, {
      base_tree: base.sha,
      tree: [{ path: 'x.md', mode: '100644', type: 'blob', sha: foreignSha }]
    })
    expect(foreign).toMatchObject({
      status: 422,
      body: { message: `tree.sha ${foreignSha} is not a valid blob` }
    })
    const badMode = await call('POST', `${R}/git/trees`, {
      tree: [{ path: 'x', mode: '100600', type: 'blob', content: 'x' }]
    })
    expect(badMode.status).toBe(422)
  })
})

describe('blobs and commits', () => {
  it('stores blobs under git hash-object shas and round-trips binary content as 60-column base64', async () => {
    const data = Buffer.concat([DIAGRAM_PNG, Buffer.alloc(80, 0xff), Buffer.from([0, 1, 2])])
    const created = await call('POST', `${R}/git/blobs`, {
      content: data.toString('base64'),
      encoding: 'base64'
    })
    expect(created.status).toBe(201)
    expect(created.body.sha).toBe(
      execFileSync('git', ['hash-object', '--stdin'], { input: data }).toString().trim()
    )
    const got = await call('GET', `${R}/git/blobs/${created.body.sha}`)
    expect(got.body).toMatchObject({ sha: created.body.sha, size: data.length, encoding: 'base64' })
    const lines = (got.body.content as string).split('\n')
    expect(lines[0]).toHaveLength(60)
    expect(got.body.content.endsWith('\n')).toBe(true)
    expect(Buffer.from(got.body.content, 'base64').equals(data)).toBe(true)
    expect((await call('GET', `${R}/git/blobs/${'c'.repeat(40)}`)).status).toBe(404)
  })

  it('signs commits made without author and leaves explicit authors unsigned', async () => {
    const head = (await call('GET', `${R}/git/ref/heads/main`)).body.object.sha
    const tree = (await call('GET', `${R}/git/commits/${head}`)).body.tree.sha
    const bot = await call('POST', `${R}/git/commits`, {
      message: 'sync docs',
      tree,
      parents: [head]
    })
    expect(bot.status).toBe(201)
    expect(bot.body).toMatchObject({
      message: 'sync docs',
      author: { name: 'codex-sync[bot]' },
      parents: [{ sha: head }],
      verification: { verified: true, reason: 'valid', signature: null, payload: null }
    })
    expect(bot.body.html_url).toContain(`/commit/${bot.body.sha}`)
    const human = await call('POST', `${R}/git/commits`, {
      message: 'by hand',
      tree,
      parents: [head],
      author: { name: 'Jane', email: 'jane@example.com', date: '2024-01-02T03:04:05Z' }
    })
    expect(human.body).toMatchObject({
      author: { name: 'Jane', date: '2024-01-02T03:04:05Z' },
      verification: { verified: false, reason: 'unsigned' }
    })
    expect((await call('GET', `${R}/git/commits/${bot.body.sha}`)).body.verification.verified).toBe(
      true
    )
    expect(await fake.commitInfo('acme', 'api', human.body.sha)).toEqual({
      message: 'by hand',
      parents: [head],
      tree,
      authorName: 'Jane'
    })
    const byApiBot = await call(
      'POST',
      `${R}/git/commits`,
      { message: 'x', tree, parents: [] },
      'api-only'
    )
    expect(byApiBot.body.author.name).toBe('api-bot[bot]')
    expect(
      (await call('POST', `${R}/git/commits`, { message: 'x', tree, parents: ['d'.repeat(40)] }))
        .status
    ).toBe(422)
    expect(
      (await call('POST', `${R}/git/commits`, { message: 'x', tree: 'e'.repeat(40), parents: [] }))
        .status
    ).toBe(422)
  })
})

async function commitOn(parent: string, path: string, content: string): Promise<string> {
  const tree = (
    await call('POST', `${R}/git/trees`, {
      base_tree: (await call('GET', `${R}/git/commits/${parent}`)).body.tree.sha,
      tree: [{ path, mode: '100644', type: 'blob', content }]
    })
  ).body.sha
  return (
    await call('POST', `${R}/git/commits`, { message: `add ${path}`, tree, parents: [parent] })
  ).body.sha
}

describe('refs', () => {
  it('creates, reads (encoded), fast-forwards, refuses non fast-forwards, forces and deletes', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    const created = await call('POST', `${R}/git/refs`, { ref: 'refs/heads/feature/x', sha: main })
    expect(created).toMatchObject({
      status: 201,
      body: { ref: 'refs/heads/feature/x', object: { sha: main, type: 'commit' } }
    })
    expect(
      (await call('POST', `${R}/git/refs`, { ref: 'refs/heads/feature/x', sha: main })).body.message
    ).toBe('Reference already exists')
    expect(
      (await call('POST', `${R}/git/refs`, { ref: 'refs/heads/y', sha: 'f'.repeat(40) })).body
        .message
    ).toBe('Object does not exist')

    const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url })
    const viaOctokit = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
      owner: 'acme',
      repo: 'api',
      ref: 'heads/feature/x'
    })
    expect(fake.log[fake.log.length - 1]?.path).toBe('/repos/acme/api/git/ref/heads/feature/x')
    expect(viaOctokit.data.object.sha).toBe(main)
    expect((await call('GET', `${R}/git/ref/heads%2Fnope`)).status).toBe(404)

    const ahead = await commitOn(main, 'ff.md', 'ff')
    expect((await call('PATCH', `${R}/git/refs/heads%2Ffeature%2Fx`, { sha: ahead })).status).toBe(
      200
    )
    const sideways = await commitOn(main, 'side.md', 'side')
    const nonFf = await call('PATCH', `${R}/git/refs/heads/feature/x`, {
      sha: sideways,
      force: false
    })
    expect(nonFf).toMatchObject({ status: 422, body: { message: 'Update is not a fast forward' } })
    expect(await fake.head('acme', 'api', 'feature/x')).toBe(ahead)
    expect(
      (await call('PATCH', `${R}/git/refs/heads/feature/x`, { sha: sideways, force: true })).status
    ).toBe(200)
    expect(await fake.head('acme', 'api', 'feature/x')).toBe(sideways)
    expect((await call('PATCH', `${R}/git/refs/heads/ghost`, { sha: sideways })).body.message).toBe(
      'Reference does not exist'
    )
    expect((await call('DELETE', `${R}/git/refs/heads/feature/x`)).status).toBe(204)
    expect(await fake.head('acme', 'api', 'feature/x')).toBeUndefined()
  })

  it('never loses a commit when two fast-forward candidates race', async () => {
    const main = (await fake.head('acme', 'worker', 'main')) as string
    const mk = async (name: string) => {
      const w = '/repos/acme/worker'
      const baseTree = (await call('GET', `${w}/git/commits/${main}`)).body.tree.sha
      const tree = (
        await call('POST', `${w}/git/trees`, {
          base_tree: baseTree,
          tree: [{ path: name, mode: '100644', type: 'blob', content: name }]
        })
      ).body.sha
      return (await call('POST', `${w}/git/commits`, { message: name, tree, parents: [main] })).body
        .sha as string
    }
    const [a, b] = await Promise.all([mk('a.md'), mk('b.md')])
    const results = await Promise.all(
      [a, b].map(sha => call('PATCH', '/repos/acme/worker/git/refs/heads/main', { sha }))
    )
    expect(results.map(r => r.status).sort()).toEqual([200, 422])
    const winner = results[0]?.status === 200 ? a : b
    expect(await fake.head('acme', 'worker', 'main')).toBe(winner)
  })
})

describe('faults', () => {
  it('move-branch: another pusher makes the update a non fast-forward once', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    fake.addFault({
      kind: 'move-branch',
      owner: 'acme',
      repo: 'api',
      branch: 'main',
      changes: { 'docs/theirs.md': 'theirs\n' }
    })
    const mine = await commitOn(main, 'docs/mine.md', 'mine\n')
    const first = await call('PATCH', `${R}/git/refs/heads/main`, { sha: mine })
    expect(first).toMatchObject({ status: 422, body: { message: 'Update is not a fast forward' } })
    const moved = (await fake.head('acme', 'api', 'main')) as string
    expect(moved).not.toBe(main)
    expect((await fake.commitInfo('acme', 'api', moved)).parents).toEqual([main])
    expect(await fake.text('acme', 'api', 'main', 'docs/theirs.md')).toBe('theirs\n')
    const rebuilt = await commitOn(moved, 'docs/mine.md', 'mine\n')
    expect((await call('PATCH', `${R}/git/refs/heads/main`, { sha: rebuilt })).status).toBe(200)
    const files = await fake.files('acme', 'api', 'main')
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['docs/mine.md', 'docs/theirs.md']))
  })

  it('secondary rate limit, primary rate limit, status and latency faults answer like GitHub', async () => {
    fake.addFault({
      kind: 'secondary-rate-limit',
      retryAfter: 7,
      times: 1,
      match: { method: 'GET', path: /^\/repos\/acme\/web$/ }
    })
    const secondary = await call('GET', '/repos/acme/web')
    expect(secondary.status).toBe(403)
    expect(secondary.headers.get('retry-after')).toBe('7')
    expect(secondary.body.message).toContain('You have exceeded a secondary rate limit')
    expect((await call('GET', '/repos/acme/web')).status).toBe(200)

    fake.addFault({ kind: 'secondary-rate-limit', status: 429, retryAfter: 1, times: 1 })
    expect((await call('GET', '/repos/acme/web')).status).toBe(429)

    fake.addFault({ kind: 'rate-limit', resetInSeconds: 60, times: 1 })
    const primary = await call('GET', '/repos/acme/web')
    expect(primary.status).toBe(403)
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(Number(primary.headers.get('x-ratelimit-reset')) - Date.now() / 1000).toBeGreaterThan(55)
    expect(primary.body.message).toMatch(/^API rate limit exceeded for /)

    fake.clearLog()
    fake.addFault({ kind: 'status', status: 502, times: 2, match: { path: /\/git\/trees\// } })
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push((await call('GET', '/repos/acme/web/git/trees/main?recursive=1')).status)
    expect(statuses).toEqual([502, 502, 200])
    expect(fake.log.map(e => e.status)).toEqual([502, 502, 200])
    expect(fake.log[0]).toMatchObject({
      method: 'GET',
      path: '/repos/acme/web/git/trees/main',
      query: { recursive: '1' },
      token: 'test-token'
    })

    fake.addFault({ kind: 'latency', ms: 150, match: { path: /\/branches\// } })
    const t0 = Date.now()
    expect((await call('GET', '/repos/acme/web/branches/main')).status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
    fake.clearFaults()
  })
})

describe('pull requests', () => {
  it('creates, refuses duplicates and empty ones, filters by head and updates', async () => {
    const branch = 'codex-sync/update'
    await fake.commit('acme', 'web', branch, { '.codex/guide.md': 'guide\n' })
    const opened = await call('POST', '/repos/acme/web/pulls', {
      title: 'Sync docs',
      head: branch,
      base: 'main',
      body: 'from codex'
    })
    expect(opened).toMatchObject({
      status: 201,
      body: {
        number: 1,
        state: 'open',
        title: 'Sync docs',
        body: 'from codex',
        head: { ref: branch, label: `acme:${branch}` },
        base: { ref: 'main' }
      }
    })
    expect(opened.body.head.sha).toBe(await fake.head('acme', 'web', branch))

    const dup = await call('POST', '/repos/acme/web/pulls', {
      title: 'again',
      head: `acme:${branch}`,
      base: 'main'
    })
    expect(dup.status).toBe(422)
    expect(dup.body.errors[0].message).toBe(`A pull request already exists for acme:${branch}.`)
    const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url })
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/pulls', {
        owner: 'acme',
        repo: 'web',
        title: 't',
        head: branch,
        base: 'main'
      })
    ).rejects.toThrow(/A pull request already exists for acme:codex-sync\/update\./)

    await git(fake.repoDir('acme', 'web'), [
      'update-ref',
      'refs/heads/same',
      (await fake.head('acme', 'web', 'main')) as string
    ])
    const empty = await call('POST', '/repos/acme/web/pulls', {
      title: 'nothing',
      head: 'same',
      base: 'main'
    })
    expect(empty.body.errors[0].message).toBe('No commits between main and same')

    expect(
      (await call('GET', `/repos/acme/web/pulls?head=acme:${encodeURIComponent(branch)}`)).body
    ).toHaveLength(1)
    expect((await call('GET', '/repos/acme/web/pulls?head=acme:other')).body).toHaveLength(0)
    const patched = await call('PATCH', '/repos/acme/web/pulls/1', {
      body: 'updated',
      state: 'closed'
    })
    expect(patched.body).toMatchObject({ body: 'updated', state: 'closed' })
    expect((await call('GET', '/repos/acme/web/pulls')).body).toHaveLength(0)
    expect((await call('GET', '/repos/acme/web/pulls?state=all')).body).toHaveLength(1)
    expect(fake.pulls('acme', 'web')).toEqual([
      expect.objectContaining({
        number: 1,
        head: branch,
        base: 'main',
        state: 'closed',
        body: 'updated'
      })
    ])
  })
})

describe('git interop', () => {
  it('keeps working after the repository is packed by hand (git gc) and answers under /api/v3', async () => {
    await fake.createRepo('acme', 'packed', {
      files: { 'docs/a.md': 'a\n', 'b.bin': Buffer.from([0, 255]) }
    })
    const dir = fake.repoDir('acme', 'packed')
    await git(dir, ['gc', '--quiet'])
    expect(await git(dir, ['count-objects', '-v'])).toMatch(/^count: 0$/m)
    const P = '/repos/acme/packed'
    const ref = await call('GET', `${P}/git/ref/heads/main`)
    expect(ref.body.object.sha).toBe((await git(dir, ['rev-parse', 'main'])).trim())
    const tree = await call('GET', `${P}/git/trees/main?recursive=1`)
    expect(tree.body.tree.map((e: { path: string }) => e.path)).toEqual([
      'b.bin',
      'docs',
      'docs/a.md'
    ])
    const bin = tree.body.tree[0]
    expect(bin.size).toBe(2)
    expect(
      Buffer.from((await call('GET', `${P}/git/blobs/${bin.sha}`)).body.content, 'base64')
    ).toEqual(Buffer.from([0, 255]))
    const newTree = await call('POST', `${P}/git/trees`, {
      base_tree: tree.body.sha,
      tree: [{ path: 'docs/c.md', mode: '100644', type: 'blob', content: 'c' }]
    })
    const commit = await call('POST', `${P}/git/commits`, {
      message: 'c',
      tree: newTree.body.sha,
      parents: [ref.body.object.sha]
    })
    expect((await call('PATCH', `${P}/git/refs/heads/main`, { sha: commit.body.sha })).status).toBe(
      200
    )
    expect(await git(dir, ['show', 'main:docs/c.md'])).toBe('c')
    await git(dir, ['fsck', '--strict', '--no-progress'])

    const ghes = await fetch(`${fake.url}/api/v3/orgs/acme/repos?per_page=1`, {
      headers: { authorization: 'token test-token' }
    })
    expect(ghes.status).toBe(200)
    expect(ghes.headers.get('link')).toContain(
      `<${fake.url}/api/v3/orgs/acme/repos?per_page=1&page=2>; rel="next"`
    )
  })
})

describe('seeding', () => {
  it('stores seeded repositories and helper commits as objects and refs git itself accepts', async () => {
    const BIN = Buffer.from([0, 1, 2, 255, 10])
    const submodule = 'd'.repeat(40)
    await fake.createRepo('acme', 'seeded', {
      defaultBranch: 'trunk',
      files: {
        'README.md': '# seeded\n',
        'a/b/c.md': 'deep\n',
        'a/keep.md': 'keep\n',
        'run.sh': { content: '#!/bin/sh\n', mode: '100755' },
        link: { symlink: 'README.md' },
        vendor: { submodule },
        'docs/naïve "file".md': 'quoted\n',
        'data.bin': BIN
      }
    })
    // a helper commit before anything looked at the directory: a deletion of a path that is not
    // there is no error, deleting a folder's last file drops the folder
    await fake.commit('acme', 'seeded', 'trunk', {
      'a/b/c.md': null,
      'nope/x.md': null,
      'docs/new.md': 'new\n'
    })
    const S = '/repos/acme/seeded'
    const listed = (await call('GET', `${S}/git/trees/trunk?recursive=1`)).body.tree
    const dir = fake.repoDir('acme', 'seeded')
    await git(dir, ['fsck', '--strict', '--full', '--no-progress'])
    // -z: paths as they are (git quotes the others)
    const lsTree = (await git(dir, ['ls-tree', '-r', '-t', '-z', 'trunk'])).split('\0')
    lsTree.pop()
    expect(
      listed.map(
        (e: { mode: string; type: string; sha: string; path: string }) =>
          `${e.mode} ${e.type} ${e.sha}\t${e.path}`
      )
    ).toEqual(lsTree)
    expect(lsTree).toEqual(
      expect.arrayContaining([
        `100755 blob ${(await git(dir, ['rev-parse', 'trunk:run.sh'])).trim()}\trun.sh`,
        expect.stringMatching(/^120000 blob \w+\tlink$/),
        `160000 commit ${submodule}\tvendor`,
        expect.stringMatching(/^040000 tree \w+\ta$/)
      ])
    )
    expect(lsTree.some(line => line.endsWith('\ta/b'))).toBe(false)
    expect(await git(dir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/trunk\n')
    expect(await git(dir, ['log', '--format=%an <%ae>|%s', 'trunk'])).toBe(
      'octocat <octocat@users.noreply.github.com>|Update files\n' +
        'octocat <octocat@users.noreply.github.com>|Initial commit\n'
    )
    const bin = (await fake.files('acme', 'seeded', 'trunk'))['data.bin']
    expect(bin?.content.equals(BIN)).toBe(true)

    // once the directory is handed out, commits land on disk at once, new branches too
    const sha = await fake.commit('acme', 'seeded', 'feature/x', { 'later.md': 'later\n' })
    expect(await git(dir, ['show', 'feature/x:later.md'])).toBe('later\n')
    expect((await git(dir, ['rev-parse', 'feature/x'])).trim()).toBe(sha)
    await git(dir, ['fsck', '--strict', '--full', '--no-progress'])
  })
})

describe('sample organisation', () => {
  it('seeds the codex with modes, a test branch and binary project files', async () => {
    expect(await fake.head('acme', 'codex.acme.io', 'test')).toBe(
      await fake.head('acme', 'codex.acme.io', 'main')
    )
    const codex = await fake.files('acme', 'codex.acme.io', 'main')
    expect(codex['.claude/scripts/acme/codex/codex-repo-discover.sh']?.mode).toBe('100755')
    expect(codex['docs/guides/codex-sync-guide.md']?.content.toString()).toContain(
      'codex_sync_include: [*]\n'
    )
    const api = await fake.files('acme', 'api', 'main')
    expect(api['docs/diagram.png']?.content.equals(DIAGRAM_PNG)).toBe(true)
    expect(await fake.files('acme', 'api', 'no-such-branch')).toEqual({})
    expect(await fake.text('acme', 'web', 'main', '.claude/agents/web-own.md')).toContain(
      'web own agent'
    )
  })
})

// Each case below was a deviation from GitHub (docs.github.com, the OpenAPI description and the
// answers GitHub is known to give) that the fake used to get wrong.
describe('faithfulness to GitHub', () => {
  it('POST git/trees names the bad sha, the bad base_tree and a non-array tree like GitHub', async () => {
    const main = (await call('GET', `${R}/git/trees/main`)).body
    const blobSha = main.tree.find((e: { type: string }) => e.type === 'blob').sha
    const treeSha = main.tree.find((e: { type: string }) => e.type === 'tree').sha
    const head = (await fake.head('acme', 'api', 'main')) as string
    const post = (body: unknown) => call('POST', `${R}/git/trees`, body)

    const missing = 'a'.repeat(40)
    expect(
      await post({ tree: [{ path: 'x.md', mode: '100644', type: 'blob', sha: missing }] })
    ).toMatchObject({ status: 422, body: { message: `tree.sha ${missing} is not a valid blob` } })
    // a blob where a tree is expected, and the reverse
    expect(
      (await post({ tree: [{ path: 'd', mode: '040000', type: 'tree', sha: blobSha }] })).body
        .message
    ).toBe(`tree.sha ${blobSha} is not a valid tree`)
    expect(
      (await post({ tree: [{ path: 'f', mode: '100644', type: 'blob', sha: treeSha }] })).body
        .message
    ).toBe(`tree.sha ${treeSha} is not a valid blob`)
    expect(
      (await post({ tree: [{ path: 'f', mode: '100644', type: 'blob', sha: 'abc' }] })).body.message
    ).toBe('tree.sha abc is not a valid blob')
    // a submodule's commit is not looked up, but it must still be an object id
    expect(
      (await post({ tree: [{ path: 'sub', mode: '160000', type: 'commit', sha: 'b'.repeat(40) }] }))
        .status
    ).toBe(201)
    expect(
      (await post({ tree: [{ path: 'sub', mode: '160000', type: 'commit', sha: 'HEAD' }] })).status
    ).toBe(422)

    // base_tree must be a tree of this repository: not a commit, not unknown
    for (const base of [head, missing]) {
      const res = await post({
        base_tree: base,
        tree: [{ path: 'x.md', mode: '100644', type: 'blob', content: 'x' }]
      })
      expect(res).toMatchObject({
        status: 422,
        body: { message: 'base_tree is not a valid tree oid', status: '422' }
      })
    }

    expect((await post({ tree: { path: 'x' } })).body.message).toBe(
      `Invalid request.\n\nFor 'properties/tree', {"path":"x"} is not an array.`
    )
    expect((await post({})).body.message).toBe(`Invalid request.\n\n"tree" wasn't supplied.`)
    expect(
      (await post({ tree: [{ path: 'x', mode: '100644', type: 'blob', sha: 42 }] })).status
    ).toBe(422)
  })

  it('POST git/refs refuses bad names and directory/file conflicts with GitHub messages', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    const create = (ref: string) => call('POST', `${R}/git/refs`, { ref, sha: main })
    for (const ref of ['refs/main', 'heads/main', 'main']) {
      expect(await create(ref)).toMatchObject({
        status: 422,
        body: { message: 'Reference name must contain at least three slash-separated components.' }
      })
    }
    for (const ref of ['refs/heads/a..b', 'refs/heads/x.lock', 'refs//heads/x', 'refs/heads/a b']) {
      expect((await create(ref)).body.message).toBe(`${ref} is not a valid ref name.`)
    }
    expect((await create('refs/heads/df/inner')).status).toBe(201)
    // git (and GitHub) cannot have refs/heads/df and refs/heads/df/inner at once
    expect(await create('refs/heads/df')).toMatchObject({
      status: 422,
      body: { message: 'Reference update failed' }
    })
    expect(await create('refs/heads/df/inner/deeper')).toMatchObject({
      status: 422,
      body: { message: 'Reference update failed' }
    })
    expect((await create('refs/heads/df/inner')).body.message).toBe('Reference already exists')
    expect((await call('DELETE', `${R}/git/refs/heads/df/inner`)).status).toBe(204)
  })

  it('racing POST git/refs for one new branch: one 201, the others "Reference already exists"', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    const results = await Promise.all(
      [1, 2, 3].map(() => call('POST', `${R}/git/refs`, { ref: 'refs/heads/raced', sha: main }))
    )
    expect(results.map(r => r.status).sort()).toEqual([201, 422, 422])
    expect(results.filter(r => r.status === 422).map(r => r.body.message)).toEqual([
      'Reference already exists',
      'Reference already exists'
    ])
    expect(await fake.head('acme', 'api', 'raced')).toBe(main)
    expect((await call('DELETE', `${R}/git/refs/heads/raced`)).status).toBe(204)
  })

  it('PATCH git/refs wants a boolean force, and a refused update leaves the ref alone', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    expect(
      (await call('POST', `${R}/git/refs`, { ref: 'refs/heads/force-check', sha: main })).status
    ).toBe(201)
    const sideways = await commitOn(
      (await fake.commitInfo('acme', 'api', main)).parents[0] ?? main,
      'sideways.md',
      'x'
    )
    const res = await call('PATCH', `${R}/git/refs/heads/force-check`, {
      sha: sideways,
      force: 'true'
    })
    expect(res).toMatchObject({
      status: 422,
      body: { message: `Invalid request.\n\nFor 'properties/force', "true" is not a boolean.` }
    })
    expect(await fake.head('acme', 'api', 'force-check')).toBe(main)
    expect((await call('DELETE', `${R}/git/refs/heads/force-check`)).status).toBe(204)
  })

  it('GET pulls ignores a head filter that is not owner:branch, as GitHub does', async () => {
    await fake.createRepo('acme', 'prs')
    for (const branch of ['one', 'two']) {
      await fake.commit('acme', 'prs', branch, { [`${branch}.md`]: `${branch}\n` })
      const res = await call('POST', '/repos/acme/prs/pulls', {
        title: branch,
        head: branch,
        base: 'main'
      })
      expect(res.status).toBe(201)
    }
    const list = async (query: string) =>
      ((await call('GET', `/repos/acme/prs/pulls?${query}`)).body as { head: { ref: string } }[])
        .map(p => p.head.ref)
        .sort()
    expect(await list('head=one')).toEqual(['one', 'two']) // silently ignored
    expect(await list('head=acme:one')).toEqual(['one'])
    expect(await list('head=ACME:two')).toEqual(['two'])
    expect(await list('head=someone-else:one')).toEqual([])
    expect(await list('head=acme:one&state=closed')).toEqual([])
  })

  it('two racing POST pulls for the same head open one pull request, the other gets 422', async () => {
    await fake.createRepo('acme', 'race')
    await fake.commit('acme', 'race', 'topic', { 'topic.md': 'topic\n' })
    const results = await Promise.all(
      [1, 2, 3].map(i =>
        call('POST', '/repos/acme/race/pulls', { title: `t${i}`, head: 'acme:topic', base: 'main' })
      )
    )
    expect(results.map(r => r.status).sort()).toEqual([201, 422, 422])
    for (const r of results.filter(r => r.status === 422)) {
      expect(r.body.errors[0].message).toBe('A pull request already exists for acme:topic.')
    }
    expect(fake.pulls('acme', 'race')).toHaveLength(1)
  })

  it('GET /rate_limit has every required bucket and does not spend the budget', async () => {
    const before = await call('GET', '/rate_limit')
    const after = await call('GET', '/rate_limit')
    expect(before.status).toBe(200)
    for (const bucket of ['core', 'search'])
      expect(Object.keys(before.body.resources[bucket]).sort()).toEqual([
        'limit',
        'remaining',
        'reset',
        'used'
      ])
    expect(before.body.rate).toEqual(before.body.resources.core)
    expect(after.body.rate.used).toBe(before.body.rate.used)
  })

  it('fault answers carry a body whose status and message match the HTTP status', async () => {
    fake.addFault({ kind: 'secondary-rate-limit', status: 429, retryAfter: 3, times: 1 })
    const secondary = await call('GET', R)
    expect(secondary.status).toBe(429)
    expect(secondary.headers.get('retry-after')).toBe('3')
    expect(secondary.body).toMatchObject({
      status: '429',
      message: expect.stringContaining('secondary rate limit'),
      documentation_url: expect.stringContaining('#about-secondary-rate-limits')
    })

    fake.addFault({ kind: 'rate-limit', status: 429, resetInSeconds: 30, times: 1 })
    const primary = await call('GET', R)
    expect(primary).toMatchObject({
      status: 429,
      body: { status: '429', message: expect.stringMatching(/^API rate limit exceeded/) }
    })
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(primary.headers.get('x-ratelimit-resource')).toBe('core')
    expect(primary.headers.get('retry-after')).toBeNull()

    fake.addFault({ kind: 'status', status: 404, times: 1 })
    expect(await call('GET', R)).toMatchObject({
      status: 404,
      body: {
        message: 'Not Found',
        status: '404',
        documentation_url: 'https://docs.github.com/rest'
      }
    })
    fake.addFault({ kind: 'status', status: 409, times: 1 })
    expect((await call('GET', R)).body).toMatchObject({ message: 'Conflict', status: '409' })
    fake.addFault({ kind: 'status', status: 503, times: 1 })
    expect((await call('GET', R)).body).toEqual({ message: 'Service Unavailable' })
    fake.clearFaults()
  })
})

describe('comments on pull requests', () => {
  const C = '/repos/acme/c-codex'

  beforeAll(async () => {
    await fake.createRepo('acme', 'c-codex')
    await fake.createRepo('acme', 'c-other')
    for (const [repo, branch] of [
      ['c-codex', 'one'],
      ['c-codex', 'two'],
      ['c-other', 'x']
    ] as const) {
      await fake.commit('acme', repo, branch, { [`${branch}.md`]: `${branch}\n` })
      const opened = await call('POST', `/repos/acme/${repo}/pulls`, {
        title: branch,
        head: branch,
        base: 'main'
      })
      expect(opened.status).toBe(201)
    }
  })

  it('POST creates a comment in the issue-comment shape, with an int64 id and a Location', async () => {
    const res = await call('POST', `${C}/issues/1/comments`, { body: 'first\n\nline' })
    expect(res.status).toBe(201)
    const comment = res.body
    expect(Object.keys(comment)).toEqual(
      expect.arrayContaining([
        'id',
        'node_id',
        'html_url',
        'issue_url',
        'user',
        'url',
        'created_at',
        'updated_at',
        'body',
        'author_association'
      ])
    )
    expect(comment.id).toBeGreaterThan(2 ** 31)
    expect(comment.body).toBe('first\n\nline')
    expect(comment.url).toBe(`${fake.url}${C}/issues/comments/${comment.id}`)
    expect(res.headers.get('location')).toBe(comment.url)
    expect(comment.issue_url).toBe(`${fake.url}${C}/issues/1`)
    expect(comment.html_url).toBe(`${fake.url}/acme/c-codex/pull/1#issuecomment-${comment.id}`)
    expect(comment.user).toMatchObject({ login: 'codex-sync[bot]', type: 'Bot' })
    expect(comment.author_association).toBe('NONE')
    expect(comment.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(comment.updated_at).toBe(comment.created_at)

    expect(fake.comments('acme', 'c-codex', 1).map(c => [c.body, c.author])).toEqual([
      ['first\n\nline', 'codex-sync[bot]']
    ])
  })

  it('GET lists the comments of one pull request, oldest first, paginated with Link', async () => {
    for (const body of ['a', 'b', 'c']) await call('POST', `${C}/issues/2/comments`, { body })
    const all = await call('GET', `${C}/issues/2/comments`)
    expect(all.status).toBe(200)
    expect(all.body.map((c: { body: string }) => c.body)).toEqual(['a', 'b', 'c'])
    expect(all.headers.get('link')).toBeNull()

    const first = await call('GET', `${C}/issues/2/comments?per_page=2`)
    expect(first.body.map((c: { body: string }) => c.body)).toEqual(['a', 'b'])
    expect(first.headers.get('link')).toContain('rel="next"')
    const second = await call('GET', `${C}/issues/2/comments?per_page=2&page=2`)
    expect(second.body.map((c: { body: string }) => c.body)).toEqual(['c'])

    // octokit's paginate follows the Link header to the end
    const MyOctokit = Octokit.plugin(paginateRest)
    const octokit = new MyOctokit({ auth: 'test-token', baseUrl: fake.url })
    const paged = await octokit.paginate(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      {
        owner: 'acme',
        repo: 'c-codex',
        issue_number: 2,
        per_page: 1
      }
    )
    expect(paged.map(c => c.body)).toEqual(['a', 'b', 'c'])

    // `since` keeps the comments updated at or after it
    const future = new Date(Date.now() + 3_600_000).toISOString()
    expect((await call('GET', `${C}/issues/2/comments?since=${future}`)).body).toEqual([])
    expect(
      (await call('GET', `${C}/issues/2/comments?since=2000-01-01T00:00:00Z`)).body
    ).toHaveLength(3)
  })

  it('PATCH updates the body in place and answers the comment', async () => {
    const created = (await call('POST', `${C}/issues/1/comments`, { body: 'old' })).body
    const res = await call('PATCH', `${C}/issues/comments/${created.id}`, { body: 'new' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: created.id, body: 'new', url: created.url })
    const stored = fake.comments('acme', 'c-codex', 1).find(c => c.id === created.id)
    expect(stored?.body).toBe('new')
    expect(fake.comments('acme', 'c-codex', 1).filter(c => c.body === 'old')).toEqual([])
  })

  it('answers 404 for an unknown pull request, an unknown comment or one of another repository', async () => {
    expect(await call('GET', `${C}/issues/99/comments`)).toMatchObject({
      status: 404,
      body: {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/issues/comments#list-issue-comments'
      }
    })
    expect((await call('POST', `${C}/issues/99/comments`, { body: 'x' })).status).toBe(404)
    expect((await call('PATCH', `${C}/issues/comments/1`, { body: 'x' })).status).toBe(404)
    const elsewhere = (await call('POST', '/repos/acme/c-other/issues/1/comments', { body: 'x' }))
      .body
    expect(
      (await call('PATCH', `${C}/issues/comments/${elsewhere.id}`, { body: 'y' })).status
    ).toBe(404)
    expect((await call('GET', '/repos/acme/nope/issues/1/comments')).status).toBe(404)
  })

  it('answers 422 for a missing, non-string, blank or too long body; 65,536 characters are fine', async () => {
    const post = (body: unknown) => call('POST', `${C}/issues/1/comments`, body)
    expect(await post({})).toMatchObject({
      status: 422,
      body: { message: `Invalid request.\n\n"body" wasn't supplied.` }
    })
    expect((await post({ body: 5 })).body.message).toBe(
      `Invalid request.\n\nFor 'properties/body', 5 is not a string.`
    )
    expect(await post({ body: '  \n' })).toMatchObject({
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]
      }
    })
    const tooLong = await post({ body: 'x'.repeat(65_537) })
    expect(tooLong).toMatchObject({
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'unprocessable',
            field: 'data',
            message: 'Body is too long (maximum is 65536 characters)'
          }
        ],
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment'
      }
    })
    // characters, not bytes: 65,536 two-byte characters fit
    expect((await post({ body: 'é'.repeat(65_536) })).status).toBe(201)
    const id = fake.comments('acme', 'c-codex', 1).at(-1)?.id
    expect(
      (await call('PATCH', `${C}/issues/comments/${id}`, { body: 'x'.repeat(65_537) })).status
    ).toBe(422)
  })

  it('answers 403 to a token that may not write the repository', async () => {
    const res = await call('POST', `${C}/issues/1/comments`, { body: 'x' }, 'read-only')
    expect(res).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const id = fake.comments('acme', 'c-codex', 1)[0]?.id
    expect(
      (await call('PATCH', `${C}/issues/comments/${id}`, { body: 'x' }, 'read-only')).status
    ).toBe(403)
    expect((await call('GET', `${C}/issues/1/comments`, undefined, 'read-only')).status).toBe(200)
  })
})
