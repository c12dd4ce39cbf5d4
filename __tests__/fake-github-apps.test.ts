// GitHub App authentication on the fake GitHub server: JWTs, installations, installation tokens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { graphql } from '@octokit/graphql'
import { createPrivateKey, createSign } from 'node:crypto'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import type { AppCredentials } from '../__fixtures__/fake-github/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

let fake: FakeGitHub
let app: AppCredentials

const now = () => Math.floor(Date.now() / 1000)

/** An RS256 JWT as an App signs it; claims default to GitHub's recommended ones. */
function jwt(
  credentials: AppCredentials,
  claims: Record<string, unknown> = {},
  alg = 'RS256'
): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const body = `${part({ alg, typ: 'JWT' })}.${part({
    iat: now() - 60,
    exp: now() + 540,
    iss: credentials.appId,
    ...claims
  })}`
  const signature = createSign('RSA-SHA256')
    .update(body)
    .sign(createPrivateKey(credentials.privateKey))
  return `${body}.${signature.toString('base64url')}`
}

async function call(
  method: string,
  path: string,
  token: string | null,
  body?: unknown
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

async function installationToken(credentials: AppCredentials, body?: unknown): Promise<Json> {
  const res = await call(
    'POST',
    `/app/installations/${credentials.installationId}/access_tokens`,
    jwt(credentials),
    body
  )
  expect(res.status).toBe(201)
  return res.body
}

beforeAll(async () => {
  fake = await FakeGitHub.start()
  await fake.createRepo('acme', 'api')
  await fake.createRepo('acme', 'web')
  await fake.createRepo('other', 'tool')
  app = await fake.createApp({ owner: 'acme' })
})
afterAll(() => fake.stop())

describe('createApp', () => {
  it('gives an App id, a PKCS#1 PEM private key and an installation id', () => {
    expect(app.appId).toMatch(/^\d+$/)
    expect(app.privateKey).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/
    )
    expect(createPrivateKey(app.privateKey).asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(Number.isInteger(app.installationId)).toBe(true)
  })
})

describe('App JWT', () => {
  it('opens GET /app, GET /orgs/{org}/installation and GET /app/installations', async () => {
    const octokit = new Octokit({ baseUrl: fake.url, auth: jwt(app) })
    const self = await octokit.request('GET /app')
    expect(self.data).toMatchObject({ id: Number(app.appId), slug: 'codex-sync' })
    expect(self.data?.owner).toMatchObject({ login: 'acme' })
    const installation = await octokit.request('GET /orgs/{org}/installation', { org: 'ACME' })
    expect(installation.data).toMatchObject({
      id: app.installationId,
      app_id: Number(app.appId),
      account: { login: 'acme' },
      repository_selection: 'all',
      target_type: 'Organization',
      permissions: { contents: 'write', metadata: 'read' }
    })
    const list = await octokit.request('GET /app/installations')
    expect(list.data.map(i => i.id)).toEqual([app.installationId])
    await expect(
      octokit.request('GET /orgs/{org}/installation', { org: 'other' })
    ).rejects.toMatchObject({
      status: 404
    })
    // iss as a number, and as the client id, work as well
    expect((await call('GET', '/app', jwt(app, { iss: Number(app.appId) }))).status).toBe(200)
    expect((await call('GET', '/app', jwt(app, { iss: app.clientId }))).status).toBe(200)
  })

  it('refuses bad JWTs with GitHub 401 messages', async () => {
    const other = await fake.createApp({ owner: 'other' })
    const refused = async (token: string | null, path = '/app') => {
      const res = await call('GET', path, token)
      return [res.status, res.body.message]
    }
    const decode = 'A JSON web token could not be decoded'
    expect(await refused(null)).toEqual([401, decode])
    expect(await refused('test-token')).toEqual([401, decode])
    expect(await refused(jwt(app, {}, 'HS256'))).toEqual([401, decode])
    // signed with another App's key
    expect(await refused(jwt({ ...other, appId: app.appId }))).toEqual([401, decode])
    expect(await refused(jwt(app, { iat: now() + 120 }))).toEqual([
      401,
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
    ])
    expect(await refused(jwt(app, { iat: String(now()) }))).toEqual([
      401,
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
    ])
    expect(await refused(jwt(app, { iat: now() - 60, exp: now() + 900 }))).toEqual([
      401,
      "'Expiration time' claim ('exp') is too far in the future"
    ])
    expect(await refused(jwt(app, { iat: now() - 900, exp: now() - 300 }))).toEqual([
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    ])
    expect(await refused(jwt(app, { iss: 'my-app' }))).toEqual([
      401,
      "'Issuer' claim ('iss') must be an Integer"
    ])
    expect(await refused(jwt(app, { iss: 12345 }))).toEqual([404, 'Integration not found'])
    // a JWT is no token for the other endpoints, REST or GraphQL
    expect(await refused(jwt(app), '/repos/acme/api')).toEqual([401, 'Bad credentials'])
    const gql = await fetch(`${fake.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${jwt(app)}` },
      body: JSON.stringify({ query: '{ rateLimit { cost } }' })
    })
    expect(gql.status).toBe(401)
  })
})

describe('installation access tokens', () => {
  it('mints ghs_ tokens with the OpenAPI shape that read and write the installation', async () => {
    const before = Date.now()
    const minted = await installationToken(app)
    expect(Object.keys(minted).sort()).toEqual([
      'expires_at',
      'permissions',
      'repository_selection',
      'token'
    ])
    expect(minted.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/)
    expect(minted.repository_selection).toBe('all')
    expect(minted.permissions).toMatchObject({
      contents: 'write',
      metadata: 'read',
      pull_requests: 'write'
    })
    expect(minted.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const ttl = Date.parse(minted.expires_at) - before
    expect(ttl).toBeGreaterThanOrEqual(3600_000)
    expect(ttl).toBeLessThan(3600_000 + 5000)
    expect((await call('POST', '/app/installations/1/access_tokens', jwt(app))).status).toBe(404)

    const octokit = new Octokit({ baseUrl: fake.url, auth: minted.token })
    const repos = await octokit.request('GET /installation/repositories')
    expect(repos.data.repositories.map(r => r.full_name).sort()).toEqual(['acme/api', 'acme/web'])
    expect(repos.data.repository_selection).toBe('all')
    expect((await octokit.request('GET /orgs/{org}/repos', { org: 'acme' })).data).toHaveLength(2)
    await expect(
      octokit.request('GET /repos/{owner}/{repo}', { owner: 'other', repo: 'tool' })
    ).rejects.toMatchObject({
      status: 404
    })
    const blob = await octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
      owner: 'acme',
      repo: 'api',
      content: 'x'
    })
    expect(blob.status).toBe(201)
    const data: Json = await graphql(
      '{ repository(owner: "acme", name: "web") { nameWithOwner } }',
      {
        baseUrl: fake.url,
        headers: { authorization: `token ${minted.token}` }
      }
    )
    expect(data.repository.nameWithOwner).toBe('acme/web')
    const outside = await graphql('{ repository(owner: "other", name: "tool") { name } }', {
      baseUrl: fake.url,
      headers: { authorization: `token ${minted.token}` }
    }).catch((e: Json) => e.errors)
    expect(outside).toEqual([expect.objectContaining({ type: 'NOT_FOUND' })])
  })

  it('limits selected-repository installations and read-only Apps', async () => {
    const selected = await fake.createApp({
      owner: 'acme',
      repositories: ['api'],
      slug: 'docs-bot'
    })
    const minted = await installationToken(selected)
    expect(minted.repository_selection).toBe('selected')
    expect(minted.repositories.map((r: Json) => r.full_name)).toEqual(['acme/api'])
    const list = await call('GET', '/installation/repositories', minted.token)
    expect(list.body).toMatchObject({ total_count: 1, repository_selection: 'selected' })
    expect((await call('GET', '/repos/acme/web', minted.token)).status).toBe(404)
    const tree = await call('GET', '/repos/acme/api/git/trees/main', minted.token)
    const commit = await call('POST', '/repos/acme/api/git/commits', minted.token, {
      message: 'by the App',
      tree: tree.body.sha,
      parents: []
    })
    expect(commit.body.author.name).toBe('docs-bot[bot]')

    const narrowed = await installationToken(app, { repositories: ['web'] })
    expect(narrowed.repositories.map((r: Json) => r.name)).toEqual(['web'])
    expect((await call('GET', '/repos/acme/api', narrowed.token)).status).toBe(404)
    const outside = await call(
      'POST',
      `/app/installations/${selected.installationId}/access_tokens`,
      jwt(selected),
      { repositories: ['web'] }
    )
    expect(outside.status).toBe(422)

    const reader = await fake.createApp({ owner: 'acme', write: 'none' })
    const readOnly = await installationToken(reader)
    expect(readOnly.permissions.contents).toBe('read')
    expect((await call('GET', '/repos/acme/api', readOnly.token)).body.permissions.push).toBe(false)
    const refused = await call('POST', '/repos/acme/api/git/blobs', readOnly.token, {
      content: 'x'
    })
    expect(refused).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
  })

  it('hides repositories outside a selected installation everywhere, and names its bot as the viewer', async () => {
    await fake.createRepo('acme', 'site', { visibility: 'public' })
    await fake.commit('acme', 'api', 'topic', { 't.md': 't\n' })
    const selected = await fake.createApp({ owner: 'acme', repositories: ['api'], slug: 'lister' })
    const { token } = await installationToken(selected)
    const gql = graphql.defaults({
      baseUrl: fake.url,
      headers: { authorization: `token ${token}` }
    })
    const data: Json = await gql(
      '{ viewer { login } organization(login: "acme") { repositories(first: 100) { totalCount nodes { name } } } }'
    )
    expect(data.viewer.login).toBe('lister[bot]')
    // its own repository, and public ones (readable with any token), never the others
    expect(data.organization.repositories).toEqual({
      totalCount: 2,
      nodes: [{ name: 'api' }, { name: 'site' }]
    })
    const rest = (await call('GET', '/orgs/acme/repos?per_page=100', token)).body
    expect(rest.map((r: Json) => r.name)).toEqual(['site', 'api'])
    for (const path of [
      '/repos/acme/web',
      '/repos/acme/web/branches',
      '/repos/acme/web/git/trees/main',
      '/repos/acme/web/rules/branches/main',
      '/repos/acme/web/pulls'
    ]) {
      expect(await call('GET', path, token)).toMatchObject({
        status: 404,
        body: { message: 'Not Found' }
      })
    }
    expect((await call('GET', '/repos/acme/site/branches/main', token)).status).toBe(200)
    const write = await call('POST', '/repos/acme/site/git/blobs', token, { content: 'x' })
    expect(write).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    // what it writes carries the viewer's login
    const pull = await call('POST', '/repos/acme/api/pulls', token, {
      title: 't',
      head: 'topic',
      base: 'main'
    })
    const comment = await call(
      'POST',
      `/repos/acme/api/issues/${pull.body.number}/comments`,
      token,
      {
        body: 'hello'
      }
    )
    expect(comment.body.user).toMatchObject({ login: 'lister[bot]', type: 'Bot' })
  })

  it('answers 401 Bad credentials once a token has expired', async () => {
    const shortLived = await fake.createApp({ owner: 'acme', tokenTtlMs: 20 })
    const minted = await installationToken(shortLived)
    // expires_at has whole seconds: at most about a second to wait
    while (Date.now() < Date.parse(minted.expires_at)) await new Promise(r => setTimeout(r, 20))
    const res = await call('GET', '/repos/acme/api', minted.token)
    expect(res).toMatchObject({ status: 401, body: { message: 'Bad credentials' } })
    const gql = await fetch(`${fake.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${minted.token}` },
      body: JSON.stringify({ query: '{ rateLimit { cost } }' })
    })
    expect(gql.status).toBe(401)
  })
})
