// The fake GitHub server's newer REST behaviour: raw blobs, branches, refs outside refs/heads,
// protected branches, pull request drafts/labels/reviewers, faults and large rate limits.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { RateLimiter } from '../__fixtures__/fake-github/rate-limit.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

let fake: FakeGitHub
const BIN = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28, 0x00])
const R = '/repos/acme/api'

async function call(
  method: string,
  path: string,
  body?: unknown,
  accept = 'application/vnd.github+json',
  token = 'test-token'
): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { accept, authorization: `token ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

/** A commit on `parent` adding one file, through the Git Data API. */
async function commitOn(parent: string, path: string): Promise<string> {
  const base = (await call('GET', `${R}/git/commits/${parent}`)).body.tree.sha
  const tree = await call('POST', `${R}/git/trees`, {
    base_tree: base,
    tree: [{ path, mode: '100644', type: 'blob', content: path }]
  })
  const commit = await call('POST', `${R}/git/commits`, {
    message: path,
    tree: tree.body.sha,
    parents: [parent]
  })
  return commit.body.sha
}

beforeAll(async () => {
  fake = await FakeGitHub.start({
    tokens: {
      'test-token': { write: 'all' },
      // a fine-grained token given one repository
      scoped: { write: ['acme/api'], read: ['acme/api'] },
      person: { write: 'all', login: 'octo-dev' }
    }
  })
  await fake.createRepo('acme', 'api', { files: { 'README.md': '# api\n', 'bin.dat': BIN } })
  await fake.createRepo('acme', 'web', {
    protectedBranches: [
      { branch: 'main', kind: 'protection' },
      { branch: 'release', kind: 'ruleset' }
    ]
  })
  await fake.commit('acme', 'web', 'release', { 'r.md': 'r\n' })
})
afterAll(() => fake.stop())

describe('blobs and branches', () => {
  it('answers raw blob bytes for the raw media types, JSON otherwise', async () => {
    const sha = (await call('GET', `${R}/git/trees/main`)).body.tree.find(
      (e: Json) => e.path === 'bin.dat'
    ).sha
    for (const accept of [
      'application/vnd.github.raw+json',
      'application/vnd.github.raw',
      'application/vnd.github.v3.raw'
    ]) {
      const res = await fetch(`${fake.url}${R}/git/blobs/${sha}`, {
        headers: { accept, authorization: 'token test-token' }
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/vnd.github.raw; charset=utf-8')
      expect(res.headers.get('content-length')).toBe(String(BIN.length))
      expect(Buffer.from(await res.arrayBuffer()).equals(BIN)).toBe(true)
    }
    const json = await call('GET', `${R}/git/blobs/${sha}`)
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(Buffer.from(json.body.content, 'base64').equals(BIN)).toBe(true)
  })

  it('GET branches/{branch} has the OpenAPI shape and tells protected branches', async () => {
    const main = await call('GET', `${R}/branches/main`)
    const head = await fake.head('acme', 'api', 'main')
    const tree = (await call('GET', `${R}/git/commits/${head}`)).body.tree.sha
    expect(main.status).toBe(200)
    expect(main.body).toMatchObject({
      name: 'main',
      commit: { sha: head, commit: { tree: { sha: tree } } },
      protected: false,
      protection_url: expect.stringContaining('/branches/main/protection')
    })
    await fake.commit('acme', 'api', 'feature/x', { 'x.md': 'x\n' })
    expect((await call('GET', `${R}/branches/feature/x`)).body.name).toBe('feature/x')
    expect((await call('GET', `${R}/branches/none`)).body.message).toBe('Branch not found')
    const web = await call('GET', '/repos/acme/web/branches/main')
    expect(web.body).toMatchObject({ protected: true, protection: { enabled: true } })
    const list = (await call('GET', '/repos/acme/web/branches')).body
    expect(list.find((b: Json) => b.name === 'main').protected).toBe(true)
  })
})

describe('refs outside refs/heads', () => {
  it('creates, reads, lists, fast-forwards and forces refs/codex-sync/state', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    const created = await call('POST', `${R}/git/refs`, { ref: 'refs/codex-sync/state', sha: main })
    expect([created.status, created.headers.get('location'), created.body.object]).toEqual([
      201,
      `${fake.url}${R}/git/refs/codex-sync/state`,
      { sha: main, type: 'commit', url: `${fake.url}${R}/git/commits/${main}` }
    ])
    const got = await call('GET', `${R}/git/ref/codex-sync/state`)
    expect(got.body).toMatchObject({ ref: 'refs/codex-sync/state', object: { sha: main } })
    expect((await call('GET', `${R}/git/matching-refs/codex-sync/`)).body).toHaveLength(1)

    const next = await commitOn(main, 'state-1.json')
    expect((await call('PATCH', `${R}/git/refs/codex-sync/state`, { sha: next })).status).toBe(200)
    const sideways = await commitOn(main, 'state-2.json')
    expect(await call('PATCH', `${R}/git/refs/codex-sync/state`, { sha: sideways })).toMatchObject({
      status: 422,
      body: { message: 'Update is not a fast forward' }
    })
    const forced = await call('PATCH', `${R}/git/refs/codex-sync/state`, {
      sha: sideways,
      force: true
    })
    expect(forced.body.object.sha).toBe(sideways)
    expect(await call('PATCH', `${R}/git/refs/codex-sync/other`, { sha: main })).toMatchObject({
      status: 422,
      body: { message: 'Reference does not exist' }
    })
    expect(
      (await call('POST', `${R}/git/refs`, { ref: 'refs/codex-sync', sha: main })).body.message
    ).toBe('Reference name must contain at least three slash-separated components.')
    expect(
      (await call('POST', `${R}/git/refs`, { ref: 'refs/codex-sync/a..b', sha: main })).body.message
    ).toBe('refs/codex-sync/a..b is not a valid ref name.')
    expect((await call('DELETE', `${R}/git/refs/codex-sync/state`)).status).toBe(204)
    expect((await call('GET', `${R}/git/ref/codex-sync/state`)).status).toBe(404)
  })
})

describe('protected branches', () => {
  it('refuses PATCH git/refs on protected branches with GitHub messages, forced or not', async () => {
    const w = '/repos/acme/web'
    const main = (await fake.head('acme', 'web', 'main')) as string
    const tree = (await call('GET', `${w}/git/commits/${main}`)).body.tree.sha
    const next = (await call('POST', `${w}/git/commits`, { message: 'n', tree, parents: [main] }))
      .body.sha
    for (const force of [false, true]) {
      expect(await call('PATCH', `${w}/git/refs/heads/main`, { sha: next, force })).toMatchObject({
        status: 422,
        body: { message: 'Protected branch update failed for refs/heads/main.' }
      })
    }
    const release = (await fake.head('acme', 'web', 'release')) as string
    const onRelease = (
      await call('POST', `${w}/git/commits`, { message: 'r', tree, parents: [release] })
    ).body.sha
    expect(await call('PATCH', `${w}/git/refs/heads/release`, { sha: onRelease })).toMatchObject({
      status: 422,
      body: {
        message:
          'Repository rule violations found\n\nChanges must be made through a pull request.\n\n'
      }
    })
    expect(await fake.head('acme', 'web', 'main')).toBe(main)
    // other branches of the repository stay writable, and protection can be lifted
    expect(
      (await call('POST', `${w}/git/refs`, { ref: 'refs/heads/topic', sha: main })).status
    ).toBe(201)
    expect((await call('PATCH', `${w}/git/refs/heads/topic`, { sha: next })).status).toBe(200)
    fake.setRepo('acme', 'web', { protectedBranches: [] })
    expect((await call('PATCH', `${w}/git/refs/heads/main`, { sha: next })).status).toBe(200)
    fake.setRepo('acme', 'web', { protectedBranches: [{ branch: 'main', kind: 'protection' }] })
  })
})

describe('pull requests', () => {
  it('records draft, labels and requested reviewers with the OpenAPI shapes', async () => {
    await fake.commit('acme', 'api', 'codex-sync/update', { 'docs/x.md': 'x\n' })
    const opened = await call('POST', `${R}/pulls`, {
      title: 'Sync docs',
      head: 'codex-sync/update',
      base: 'main',
      draft: true
    })
    expect(opened).toMatchObject({
      status: 201,
      body: { draft: true, labels: [], requested_reviewers: [] }
    })
    const n = opened.body.number
    expect(
      (await call('POST', `${R}/pulls`, { title: 't', head: 'x', base: 'main', draft: 'yes' }))
        .status
    ).toBe(422)

    const labels = await call('POST', `${R}/issues/${n}/labels`, { labels: ['docs', 'codex-sync'] })
    expect(labels.status).toBe(200)
    expect(labels.body).toEqual([
      {
        id: expect.any(Number),
        node_id: expect.any(String),
        url: `${fake.url}${R}/labels/docs`,
        name: 'docs',
        description: null,
        color: 'ededed',
        default: false
      },
      expect.objectContaining({ name: 'codex-sync' })
    ])
    const again = await call('POST', `${R}/issues/${n}/labels`, ['DOCS', 'automated'])
    expect(again.body.map((l: Json) => l.name)).toEqual(['docs', 'codex-sync', 'automated'])
    expect((await call('POST', `${R}/issues/${n}/labels`, { labels: [] })).status).toBe(422)
    expect((await call('POST', `${R}/issues/999/labels`, { labels: ['x'] })).status).toBe(404)

    const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url })
    const requested = await octokit.request(
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
      {
        owner: 'acme',
        repo: 'api',
        pull_number: n,
        reviewers: ['alice'],
        team_reviewers: ['docs-team']
      }
    )
    expect(requested.status).toBe(201)
    expect(requested.data.requested_reviewers?.map(u => [u.login, u.type])).toEqual([
      ['alice', 'User']
    ])
    expect(requested.data.requested_teams?.map(t => t.slug)).toEqual(['docs-team'])
    expect(requested.data.labels.map(l => l.name)).toEqual(['docs', 'codex-sync', 'automated'])
    const self = await call('POST', `${R}/pulls/${n}/requested_reviewers`, {
      reviewers: ['codex-sync[bot]']
    })
    expect(self).toMatchObject({
      status: 422,
      body: { message: 'Review cannot be requested from pull request author.' }
    })
    expect((await call('POST', `${R}/pulls/${n}/requested_reviewers`, {})).status).toBe(422)
    expect((await call('GET', `${R}/pulls/${n}`)).body.user).toMatchObject({
      login: 'codex-sync[bot]',
      type: 'Bot'
    })
    expect(fake.pulls('acme', 'api')).toEqual([
      expect.objectContaining({
        number: n,
        draft: true,
        labels: ['docs', 'codex-sync', 'automated'],
        requested_reviewers: ['alice'],
        requested_teams: ['docs-team']
      })
    ])
  })
})

describe('faults', () => {
  it('truncated-body: full content-length, part of the body, then a closed connection', async () => {
    fake.addFault({
      kind: 'truncated-body',
      times: 1,
      match: { method: 'POST', path: /\/git\/blobs$/ }
    })
    const res = await fetch(`${fake.url}${R}/git/blobs`, {
      method: 'POST',
      headers: { authorization: 'token test-token' },
      body: JSON.stringify({ content: 'truncated on the way back' })
    })
    expect(res.status).toBe(201)
    const length = Number(res.headers.get('content-length'))
    expect(length).toBeGreaterThan(0)
    await expect(res.text()).rejects.toThrow()
    // the write itself happened
    expect(fake.log[fake.log.length - 1]).toMatchObject({ method: 'POST', status: 201 })
    const blobs = await call('POST', `${R}/git/blobs`, { content: 'truncated on the way back' })
    expect((await call('GET', `${R}/git/blobs/${blobs.body.sha}`)).status).toBe(200)

    fake.addFault({ kind: 'truncated-body', bytes: 5, times: 1 })
    // @octokit/request swallows the broken body: no error, `data` is the empty string
    const octokit = new Octokit({ auth: 'test-token', baseUrl: fake.url })
    const cut = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'api' })
    expect([cut.status, cut.data]).toEqual([200, ''])
    const whole = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'api' })
    expect(whole.data.full_name).toBe('acme/api')
  })

  it('status 429 with retry-after, and secondary limits as 403 or 429 with retry-after', async () => {
    fake.addFault({ kind: 'status', status: 429, retryAfter: 30, times: 1 })
    const res = await call('GET', R)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('30')
    expect(res.body).toMatchObject({ message: 'Too Many Requests', status: '429' })
    fake.addFault({ kind: 'status', status: 429, times: 1 })
    expect((await call('GET', R)).headers.get('retry-after')).toBeNull()
    for (const status of [403, 429] as const) {
      fake.addFault({ kind: 'secondary-rate-limit', status, retryAfter: 60, times: 1 })
      const limited = await call('GET', R)
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([status, '60'])
    }
    expect((await call('GET', R)).status).toBe(200)
  })

  it('create-ref-race: another writer creates the ref just before POST git/refs lands', async () => {
    const main = (await fake.head('acme', 'api', 'main')) as string
    fake.addFault({ kind: 'create-ref-race', owner: 'acme', repo: 'api', ref: 'refs/heads/raced' })
    const same = await call('POST', `${R}/git/refs`, { ref: 'refs/heads/raced', sha: main })
    expect(same).toMatchObject({ status: 422, body: { message: 'Reference already exists' } })
    expect(await fake.head('acme', 'api', 'raced')).toBe(main)

    fake.addFault({
      kind: 'create-ref-race',
      owner: 'acme',
      repo: 'api',
      ref: 'refs/heads/raced-2',
      changes: { 'theirs.md': 'theirs\n' }
    })
    const other = await call('POST', `${R}/git/refs`, { ref: 'refs/heads/raced-2', sha: main })
    expect(other.body.message).toBe('Reference already exists')
    const theirs = (await fake.head('acme', 'api', 'raced-2')) as string
    expect(theirs).not.toBe(main)
    expect((await fake.commitInfo('acme', 'api', theirs)).parents).toEqual([main])
    expect(await fake.text('acme', 'api', 'raced-2', 'theirs.md')).toBe('theirs\n')
    // once only: the next creation of another ref is not raced
    expect(
      (await call('POST', `${R}/git/refs`, { ref: 'refs/heads/calm', sha: main })).status
    ).toBe(201)
  })
})

describe('rate limit option', () => {
  it('can be set high enough for a ~50,000-request benchmark, which never waits', async () => {
    const big = await FakeGitHub.start({ rateLimit: 1_000_000 })
    try {
      await big.createRepo('o', 'r')
      const res = await fetch(`${big.url}/repos/o/r`, {
        headers: { authorization: 'token test-token' }
      })
      expect(res.headers.get('x-ratelimit-limit')).toBe('1000000')
      expect(res.headers.get('x-ratelimit-remaining')).toBe('999999')
    } finally {
      await big.stop()
    }
    const limiter = new RateLimiter(1_000_000)
    const t0 = Date.now()
    let refused = 0
    for (let i = 0; i < 50_000; i++) if (!limiter.take('core:token:t')) refused++
    expect(refused).toBe(0)
    expect(limiter.headers('core:token:t')['x-ratelimit-remaining']).toBe('950000')
    expect(Date.now() - t0).toBeLessThan(5000)
  })
})

describe('rules of a branch', () => {
  it('answers the pull_request rule of a ruleset branch, none for classic protection or none', async () => {
    fake.setRepo('acme', 'web', {
      protectedBranches: [
        { branch: 'main', kind: 'protection' },
        { branch: 'release', kind: 'ruleset' }
      ]
    })
    const rules = await call('GET', '/repos/acme/web/rules/branches/release')
    expect(rules.status).toBe(200)
    expect(rules.body).toEqual([
      {
        type: 'pull_request',
        parameters: {
          required_approving_review_count: 0,
          dismiss_stale_reviews_on_push: false,
          require_code_owner_review: false,
          require_last_push_approval: false,
          required_review_thread_resolution: false,
          automatic_copilot_code_review_enabled: false,
          allowed_merge_methods: ['merge', 'squash', 'rebase']
        },
        ruleset_source_type: 'Repository',
        ruleset_source: 'acme/web',
        ruleset_id: expect.any(Number)
      }
    ])
    // one ruleset: the same id on every call
    const again = await call('GET', '/repos/acme/web/rules/branches/release')
    expect(again.body[0].ruleset_id).toBe(rules.body[0].ruleset_id)
    // classic protection shows on the branches API, not as a rule; other branches have none
    expect((await call('GET', '/repos/acme/web/rules/branches/main')).body).toEqual([])
    expect((await call('GET', `${R}/rules/branches/main`)).body).toEqual([])
    // the branch need not exist; a rule follows its protection
    fake.setRepo('acme', 'api', { protectedBranches: [{ branch: 'later/x', kind: 'ruleset' }] })
    expect((await call('GET', `${R}/rules/branches/later/x`)).body).toHaveLength(1)
    fake.setRepo('acme', 'api', { protectedBranches: [] })
    expect(await call('GET', '/repos/acme/nope/rules/branches/main')).toMatchObject({
      status: 404,
      body: { message: 'Not Found' }
    })
  })

  it('can be refused with a status fault of 403 and its message', async () => {
    fake.addFault({
      kind: 'status',
      status: 403,
      message: 'Resource not accessible by integration',
      times: 1,
      match: { path: /\/rules\/branches\// }
    })
    const refused = await call('GET', '/repos/acme/web/rules/branches/release')
    expect(refused).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration', status: '403' }
    })
    expect((await call('GET', '/repos/acme/web/rules/branches/release')).status).toBe(200)
  })
})

describe('read scope of a token', () => {
  it('hides every repository outside it as GitHub does: 404 Not Found, left out of listings', async () => {
    await fake.createRepo('acme', 'open', { visibility: 'public' })
    const scoped = (method: string, path: string, body?: unknown) =>
      call(method, path, body, undefined, 'scoped')
    for (const path of [
      '/repos/acme/web',
      '/repos/acme/web/branches',
      '/repos/acme/web/branches/main',
      '/repos/acme/web/git/ref/heads/main',
      '/repos/acme/web/git/trees/main',
      '/repos/acme/web/pulls',
      '/repos/acme/web/rules/branches/release'
    ]) {
      const res = await scoped('GET', path)
      expect([path, res.status, res.body.message]).toEqual([path, 404, 'Not Found'])
    }
    expect((await scoped('POST', '/repos/acme/web/git/blobs', { content: 'x' })).status).toBe(404)
    const listed = (await scoped('GET', '/orgs/acme/repos?sort=full_name')).body
    expect(listed.map((r: Json) => r.name)).toEqual(['api', 'open'])
    expect((await scoped('GET', R)).body.permissions.push).toBe(true)
    // a public repository is readable with any token, writable only within its scope
    expect((await scoped('GET', '/repos/acme/open/branches/main')).status).toBe(200)
    expect(await scoped('POST', '/repos/acme/open/git/blobs', { content: 'x' })).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
  })

  it('writes comments as its login, a User unless it is a [bot]', async () => {
    await fake.commit('acme', 'api', 'person', { 'p.md': 'p\n' })
    const pull = await call(
      'POST',
      `${R}/pulls`,
      { title: 'p', head: 'person', base: 'main' },
      undefined,
      'person'
    )
    const comment = await call(
      'POST',
      `${R}/issues/${pull.body.number}/comments`,
      { body: 'hi' },
      undefined,
      'person'
    )
    expect(comment.body.user).toMatchObject({ login: 'octo-dev', type: 'User' })
    const viewer = await fetch(`${fake.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'bearer person' },
      body: JSON.stringify({ query: '{ viewer { login } }' })
    })
    expect(await viewer.json()).toEqual({ data: { viewer: { login: 'octo-dev' } } })
  })
})
