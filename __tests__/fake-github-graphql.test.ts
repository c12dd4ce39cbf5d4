// The fake GitHub server's GraphQL endpoint, through real HTTP and @octokit/graphql.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { graphql, GraphqlResponseError } from '@octokit/graphql'
import { execFileSync } from 'node:child_process'
import { FakeGitHub, git } from '../__fixtures__/fake-github/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

let fake: FakeGitHub
let gql: typeof graphql

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x00])
const COMMIT = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } ref { name prefix } }
}`

/** The HTTP answer itself: status, headers and parsed body. */
async function post(
  body: unknown,
  token: string | null = 'test-token',
  path = '/graphql'
): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `bearer ${token}`
  const res = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

const query = (q: string, variables: Record<string, unknown> = {}, token?: string) =>
  post({ query: q, variables }, token)

function commitInput(
  head: string,
  changes: Record<string, unknown>,
  branch = 'main',
  repo = 'acme/api'
) {
  return {
    input: {
      branch: { repositoryNameWithOwner: repo, branchName: branch },
      expectedHeadOid: head,
      message: { headline: 'Sync docs' },
      fileChanges: changes
    }
  }
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64')

/** GitHub's answer when one root field fails: that field null in data, and its typed error. */
const failed = (field: string, type: string, message: string) => ({
  data: { [field]: null },
  errors: [{ type, path: [field], locations: [{ line: 2, column: 3 }], message }]
})

beforeAll(async () => {
  fake = await FakeGitHub.start({
    tokens: {
      'test-token': { write: 'all' },
      'read-only': { write: 'none' },
      'web-only': { write: ['acme/web'], login: 'web-bot[bot]' },
      'listing-reader': {
        write: 'none',
        read: ['listing/l-api', 'l-void'],
        login: 'reader-bot[bot]'
      }
    }
  })
  await fake.createRepo('acme', 'api', {
    files: {
      'README.md': '# api\n',
      'docs/guide.md': 'guide\n',
      'docs/diagram.png': PNG,
      'docs/big.txt': 'a'.repeat(512_001),
      'docs/exact.txt': 'b'.repeat(512_000),
      'tool.sh': { content: '#!/bin/sh\n', mode: '100755' },
      link: { symlink: 'README.md' }
    }
  })
  await fake.createRepo('acme', 'web')
  await fake.createRepo('acme', 'void', { empty: true })
  await fake.createRepo('acme', 'legacy', { archived: true })
  await fake.createRepo('acme', 'guarded', {
    protectedBranches: [
      { branch: 'main', kind: 'protection' },
      { branch: 'release', kind: 'ruleset' }
    ]
  })
  await fake.commit('acme', 'guarded', 'release', { 'r.md': 'r\n' })
  gql = graphql.defaults({ baseUrl: fake.url, headers: { authorization: 'token test-token' } })
})
afterAll(() => fake.stop())

describe('queries', () => {
  it('reads blobs, trees and commits by expression and oid, with GitHub Blob rules', async () => {
    const dir = fake.repoDir('acme', 'api')
    const data: Json = await gql(`{
      repository(owner: "ACME", name: "Api") {
        name nameWithOwner id isArchived
        guide: object(expression: "main:docs/guide.md") { __typename ... on Blob { oid abbreviatedOid byteSize isBinary isTruncated text } }
        png: object(expression: "main:docs/diagram.png") { ... on Blob { byteSize isBinary isTruncated text } }
        big: object(expression: "main:docs/big.txt") { ... on Blob { byteSize isTruncated text } }
        exact: object(expression: "main:docs/exact.txt") { ... on Blob { isTruncated text } }
        missing: object(expression: "main:docs/nope.md") { oid }
        root: object(expression: "main:") { ... on Tree { oid entries { name path mode type oid } } }
        docs: object(expression: "main:docs") { ... on Tree { entries { path object { ... on Blob { byteSize } } } } }
        head: object(expression: "main") { __typename ... on Commit { oid tree { oid } } }
      }
    }`)
    const repo = data.repository
    expect(repo).toMatchObject({ name: 'api', nameWithOwner: 'acme/api', isArchived: false })
    expect(Buffer.from(repo.id, 'base64').toString()).toMatch(/^010:Repository\d+$/)
    const guideSha = (await git(dir, ['rev-parse', 'main:docs/guide.md'])).trim()
    expect(repo.guide).toEqual({
      __typename: 'Blob',
      oid: guideSha,
      abbreviatedOid: guideSha.slice(0, 7),
      byteSize: 6,
      isBinary: false,
      isTruncated: false,
      text: 'guide\n'
    })
    expect(repo.png).toEqual({
      byteSize: PNG.length,
      isBinary: true,
      isTruncated: false,
      text: null
    })
    expect(repo.big.byteSize).toBe(512_001)
    expect(repo.big.isTruncated).toBe(true)
    expect(repo.big.text).toHaveLength(512_000)
    expect(repo.exact).toEqual({ isTruncated: false, text: 'b'.repeat(512_000) })
    expect(repo.missing).toBeNull()
    const byName = Object.fromEntries(repo.root.entries.map((e: Json) => [e.name, e]))
    expect(repo.root.oid).toBe((await git(dir, ['rev-parse', 'main^{tree}'])).trim())
    expect(byName['README.md']).toMatchObject({ path: 'README.md', mode: 0o100644, type: 'blob' })
    expect(byName['tool.sh']).toMatchObject({ mode: 0o100755, type: 'blob' })
    expect(byName.link).toMatchObject({ mode: 0o120000, type: 'blob' })
    expect(byName.docs).toMatchObject({ path: 'docs', mode: 0o40000, type: 'tree' })
    expect(repo.docs.entries).toContainEqual({ path: 'docs/guide.md', object: { byteSize: 6 } })
    const head = (await fake.head('acme', 'api', 'main')) as string
    expect(repo.head).toEqual({ __typename: 'Commit', oid: head, tree: { oid: repo.root.oid } })

    const byOid: Json = await gql(
      `query($oid: GitObjectID!) { repository(owner: "acme", name: "api") { object(oid: $oid) { ... on Blob { text } } } }`,
      { oid: guideSha }
    )
    expect(byOid.repository.object).toEqual({ text: 'guide\n' })
  })

  it('names objects by HEAD, a full ref, a commit or a tree and a path exactly as git does', async () => {
    const dir = fake.repoDir('acme', 'api')
    const head = (await fake.head('acme', 'api', 'main')) as string
    const tree = (await git(dir, ['rev-parse', 'main^{tree}'])).trim()
    const expressions = [
      'HEAD:docs/guide.md',
      'HEAD:',
      'HEAD:docs',
      'refs/heads/main:tool.sh',
      `${head}:docs/diagram.png`,
      `${tree}:README.md`,
      'HEAD:docs/nope.md',
      'HEAD:README.md/inside',
      'HEAD:docs//guide.md',
      'refs/heads/gone:README.md'
    ]
    const fields = expressions.map(
      (e, i) => `e${i}: object(expression: ${JSON.stringify(e)}) { oid }`
    )
    const data: Json = await gql(
      `{ repository(owner: "acme", name: "api") { ${fields.join(' ')} } }`
    )
    for (const [i, expression] of expressions.entries()) {
      const byGit = await git(dir, ['rev-parse', '--verify', '--quiet', expression]).catch(() => '')
      const expected = byGit.trim() ? { oid: byGit.trim() } : null
      expect({ expression, answer: data.repository[`e${i}`] }).toEqual({
        expression,
        answer: expected
      })
    }
  })

  it("gives a commit's file at a path as the tree entry git names there, null where there is none", async () => {
    const dir = fake.repoDir('acme', 'api')
    const head = (await fake.head('acme', 'api', 'main')) as string
    const paths = ['docs/guide.md', 'README.md', 'docs', 'docs/nope.md', 'README.md/inside']
    const fields = paths.map(
      (path, i) =>
        `f${i}: file(path: ${JSON.stringify(path)}) { name path oid object { ... on Blob { text } } }`
    )
    const data: Json = await gql(
      `{ repository(owner: "acme", name: "api") { ref(qualifiedName: "refs/heads/main") { target { ... on Commit { ${fields.join(' ')} } } } } }`
    )
    const target = data.repository.ref.target
    for (const [i, path] of paths.entries()) {
      const byGit = (
        await git(dir, ['rev-parse', '--verify', '--quiet', `${head}:${path}`]).catch(() => '')
      ).trim()
      const expected = byGit
        ? { name: path.split('/').pop(), path, oid: byGit, object: expect.any(Object) }
        : null
      expect({ path, answer: target[`f${i}`] }).toEqual({ path, answer: expected })
    }
    expect(target.f0.object).toEqual({ text: 'guide\n' })
    expect(target.f2.object).toEqual({})
  })

  it('reads the default branch and refs like GitHub', async () => {
    const head = (await fake.head('acme', 'api', 'main')) as string
    const tree = (await git(fake.repoDir('acme', 'api'), ['rev-parse', 'main^{tree}'])).trim()
    const data: Json = await gql(`{
      api: repository(owner: "acme", name: "api") {
        defaultBranchRef { name prefix target { oid ... on Commit { tree { oid } } } }
        full: ref(qualifiedName: "refs/heads/main") { name prefix target { oid } }
        short: ref(qualifiedName: "main") { name }
        none: ref(qualifiedName: "nope") { name }
      }
      void: repository(owner: "acme", name: "void") { defaultBranchRef { name } object(expression: "main:README.md") { oid } }
    }`)
    expect(data.api.defaultBranchRef).toEqual({
      name: 'main',
      prefix: 'refs/heads/',
      target: { oid: head, tree: { oid: tree } }
    })
    expect(data.api.full).toEqual({ name: 'main', prefix: 'refs/heads/', target: { oid: head } })
    expect(data.api.short).toEqual({ name: 'main' })
    expect(data.api.none).toBeNull()
    expect(data.void).toEqual({ defaultBranchRef: null, object: null })
  })

  it('answers a missing repository with GitHub NOT_FOUND error and a null repository', async () => {
    const res = await query(`{
  repository(owner: "acme", name: "x") { name }
}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual(
      failed('repository', 'NOT_FOUND', "Could not resolve to a Repository with the name 'acme/x'.")
    )
    // with aliases, the path is the alias and the other repositories still resolve
    const mixed = await query(
      `{ a: repository(owner: "acme", name: "api") { name } b: repository(owner: "acme", name: "gone") { name } }`
    )
    expect(mixed.body.data).toEqual({ a: { name: 'api' }, b: null })
    expect(mixed.body.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['b'] })])
    const err: Json = await gql(`{ repository(owner: "acme", name: "x") { name } }`).catch(e => e)
    expect(err).toBeInstanceOf(GraphqlResponseError)
    expect(err.message).toContain("Could not resolve to a Repository with the name 'acme/x'.")
  })

  it('reads about a hundred blobs across repositories in one query', async () => {
    await Promise.all(
      [0, 1, 2, 3, 4].map(i =>
        fake.createRepo('many', `r${i}`, {
          files: Object.fromEntries(
            Array.from({ length: 20 }, (_, j) => [`docs/f${j}.md`, `repo ${i} file ${j}\n`])
          )
        })
      )
    )
    const select = [0, 1, 2, 3, 4]
      .map(i => {
        const files = Array.from(
          { length: 20 },
          (_, j) => `f${j}: object(expression: "main:docs/f${j}.md") { ... on Blob { text } }`
        )
        return `r${i}: repository(owner: "many", name: "r${i}") { ${files.join(' ')} }`
      })
      .join('\n')
    fake.clearLog()
    const data: Json = await gql(`{ ${select} }`)
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 20; j++) expect(data[`r${i}`][`f${j}`].text).toBe(`repo ${i} file ${j}\n`)
    expect(fake.log).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/graphql',
        status: 200,
        graphql: { operation: 'query', fields: Array(5).fill('repository') }
      })
    ])
  })
})

describe('validation against GitHub schema', () => {
  it('answers invalid documents with HTTP 200 and GitHub errors, without data', async () => {
    const unknown = await query('{ repository(owner: "acme", name: "api") { nope } }')
    expect(unknown.status).toBe(200)
    expect(unknown.body).toEqual({
      errors: [
        {
          path: ['query', 'repository', 'nope'],
          extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'nope' },
          locations: [{ line: 1, column: 44 }],
          message: "Field 'nope' doesn't exist on type 'Repository'"
        }
      ]
    })
    const missing = await query('query Q { repository(owner: "acme") { name } }')
    expect(missing.body.errors).toEqual([
      expect.objectContaining({
        path: ['query Q', 'repository'],
        extensions: expect.objectContaining({
          code: 'missingRequiredArguments',
          arguments: 'name'
        }),
        message: "Field 'repository' is missing required arguments: name"
      })
    ])
    const extra = await query('{ repository(owner: "acme", name: "api", colour: 1) { name } }')
    expect(extra.body.errors[0]).toMatchObject({
      path: ['query', 'repository', 'colour'],
      extensions: { code: 'argumentNotAccepted', argumentName: 'colour' },
      message: "Field 'repository' doesn't accept argument 'colour'"
    })
    expect((await query('{ repository(owner: "acme", name: "api") { name }')).body).toEqual({
      errors: [{ message: 'Unexpected end of document', locations: [{ line: 1, column: 50 }] }]
    })
    expect(
      (await query('{ repository(owner: "acme", name: "api") } }')).body.errors[0].message
    ).toBe('Parse error on "}" (RCURLY) at [1, 44]')
    expect((await post({ variables: {} })).body).toEqual({
      errors: [{ message: 'A query attribute must be specified and must be a string.' }]
    })
    const variable = await query(COMMIT, {
      input: {
        branch: { repositoryNameWithOwner: 'acme/api', branchName: 'main' },
        message: { headline: 'x' }
      }
    })
    expect(variable.body.data).toBeUndefined()
    expect(variable.body.errors[0].message).toBe(
      'Variable $input of type CreateCommitOnBranchInput! was provided invalid value for expectedHeadOid (Expected value to not be null)'
    )
    await expect(gql('{ repository(owner: "acme", name: "api") { nope } }')).rejects.toThrow(
      "Field 'nope' doesn't exist on type 'Repository'"
    )
  })

  it('checks a document again unless it differs from a passed one only in its strings', async () => {
    const ask = (owner: string, name: string, field: string) =>
      query(`{ repository(owner: ${owner}, name: ${name}) { ${field} } }`)
    expect((await ask('"acme"', '"api"', 'name')).body).toEqual({
      data: { repository: { name: 'api' } }
    })
    expect((await ask('"acme"', '"web"', 'name')).body).toEqual({
      data: { repository: { name: 'web' } }
    })
    expect((await ask('"acme"', '"a\\"pi"', 'name')).body.errors[0].type).toBe('NOT_FOUND')
    // a number where the string was: refused by validation, no data
    const number = await ask('"acme"', '5', 'name')
    expect(number.body.data).toBeUndefined()
    expect(number.body.errors).toHaveLength(1)
    expect((await ask('"acme"', '"api"', 'nope')).body.errors[0].message).toBe(
      "Field 'nope' doesn't exist on type 'Repository'"
    )
  })

  it('refuses fields outside the supported subset instead of answering nulls', async () => {
    const res = await query(
      '{ repository(owner: "acme", name: "api") { name issues(first: 1) { totalCount } } }'
    )
    expect(res.status).toBe(200)
    expect(res.body.data).toBeUndefined()
    expect(res.body.errors[0]).toMatchObject({
      path: ['query', 'repository', 'issues'],
      extensions: { code: 'unsupportedByFakeGitHub', typeName: 'Repository', fieldName: 'issues' },
      message: expect.stringContaining(
        "Field 'issues' on type 'Repository' is not supported by the fake GitHub server"
      )
    })
    const user = await query('{ user(login: "octocat") { login } }')
    expect(user.body.errors[0].message).toContain("Field 'user' on type 'Query' is not supported")
    // introspection is graphql-js's own, on GitHub's schema
    const blob: Json = await gql('{ __type(name: "Blob") { fields { name } } }')
    expect(blob.__type.fields.map((f: Json) => f.name)).toContain('isTruncated')
  })
})

describe('rate limit, authentication, log and faults', () => {
  it('spends one point of a graphql bucket per query and reports it in rateLimit and headers', async () => {
    const first = await query('{ rateLimit { cost limit remaining used resetAt } }')
    const second = await query('{ rateLimit { cost limit remaining used resetAt } }')
    const a = first.body.data.rateLimit
    const b = second.body.data.rateLimit
    expect(a).toMatchObject({ cost: 1, limit: 5000 })
    expect(b.used).toBe(a.used + 1)
    expect(b.remaining).toBe(5000 - b.used)
    expect(b.resetAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(second.headers.get('x-ratelimit-resource')).toBe('graphql')
    expect(second.headers.get('x-ratelimit-used')).toBe(String(b.used))
    const rest = await fetch(`${fake.url}/rate_limit`, {
      headers: { authorization: 'token test-token' }
    })
    expect(((await rest.json()) as Json).resources.core.used).toBeLessThan(b.used)
  })

  it('answers a spent graphql budget with a RATE_LIMITED error', async () => {
    const small = await FakeGitHub.start({ rateLimit: 1 })
    try {
      const ask = () =>
        fetch(`${small.url}/graphql`, {
          method: 'POST',
          headers: { authorization: 'bearer test-token' },
          body: JSON.stringify({ query: '{ rateLimit { remaining } }' })
        })
      expect(((await (await ask()).json()) as Json).data.rateLimit.remaining).toBe(0)
      const spent = await ask()
      expect(spent.status).toBe(200)
      expect(spent.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(await spent.json()).toEqual({
        errors: [
          { type: 'RATE_LIMITED', message: 'API rate limit already exceeded for user ID 1.' }
        ]
      })
    } finally {
      await small.stop()
    }
  })

  it('authenticates like REST and serves GitHub Enterprise Server path /api/graphql', async () => {
    for (const token of [null, 'wrong']) {
      const res = await query('{ rateLimit { cost } }', {}, token as string)
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/graphql'
      })
    }
    fake.clearLog()
    const ghes = graphql.defaults({
      baseUrl: `${fake.url}/api/v3`,
      headers: { authorization: 'token test-token' }
    })
    const data: Json = await ghes('{ repository(owner: "acme", name: "api") { nameWithOwner } }')
    expect(data.repository.nameWithOwner).toBe('acme/api')
    expect(fake.log[0]).toMatchObject({
      method: 'POST',
      path: '/graphql',
      token: 'test-token',
      body: { query: expect.stringContaining('nameWithOwner') }
    })
  })

  it('honours status, secondary rate limit and latency faults matched on /graphql', async () => {
    fake.addFault({ kind: 'status', status: 502, times: 1, match: { path: /^\/graphql$/ } })
    expect((await query('{ rateLimit { cost } }')).status).toBe(502)
    fake.addFault({
      kind: 'secondary-rate-limit',
      status: 403,
      retryAfter: 9,
      times: 1,
      match: { method: 'POST', path: /^\/graphql$/ }
    })
    const limited = await query('{ rateLimit { cost } }')
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('9')
    expect(limited.body.message).toContain('secondary rate limit')
    fake.addFault({ kind: 'latency', ms: 120, match: { path: /^\/graphql$/ } })
    const t0 = Date.now()
    expect((await query('{ rateLimit { cost } }')).status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110)
    fake.clearFaults()
  })
})

describe('createCommitOnBranch', () => {
  it('commits additions and deletions on the expected head, signed, every file 100644', async () => {
    const head = (await fake.head('acme', 'api', 'main')) as string
    fake.clearLog()
    const res = await query(COMMIT, {
      input: {
        branch: { repositoryNameWithOwner: 'acme/api', branchName: 'main' },
        expectedHeadOid: head,
        message: { headline: 'Sync docs', body: 'From the codex.' },
        fileChanges: {
          additions: [
            { path: 'docs/new/deep.md', contents: b64('deep\n') },
            { path: 'tool.sh', contents: b64('#!/bin/sh\necho hi\n') },
            { path: 'docs/raw.bin', contents: b64(PNG) }
          ],
          deletions: [{ path: 'docs/guide.md' }]
        },
        clientMutationId: 'abc'
      }
    })
    expect(res.body.errors).toBeUndefined()
    const { commit, ref } = res.body.data.createCommitOnBranch
    expect(ref).toEqual({ name: 'main', prefix: 'refs/heads/' })
    expect(commit.url).toBe(`${fake.url}/acme/api/commit/${commit.oid}`)
    expect(await fake.head('acme', 'api', 'main')).toBe(commit.oid)
    const info = await fake.commitInfo('acme', 'api', commit.oid)
    expect(info).toMatchObject({
      parents: [head],
      message: 'Sync docs\n\nFrom the codex.',
      authorName: 'codex-sync[bot]'
    })
    const files = await fake.files('acme', 'api', 'main')
    expect(files['docs/new/deep.md']?.content.toString()).toBe('deep\n')
    expect(files['tool.sh']).toMatchObject({ mode: '100644' }) // was 100755
    expect(files['docs/raw.bin']?.content.equals(PNG)).toBe(true)
    expect(files['docs/guide.md']).toBeUndefined()
    expect(files['README.md']).toBeDefined()
    const rest = await fetch(`${fake.url}/repos/acme/api/git/commits/${commit.oid}`, {
      headers: { authorization: 'token test-token' }
    })
    expect(((await rest.json()) as Json).verification).toMatchObject({
      verified: true,
      reason: 'valid'
    })
    const committer = execFileSync('git', [
      `--git-dir=${fake.repoDir('acme', 'api')}`,
      'log',
      '-1',
      '--format=%an <%ae>|%cn <%ce>',
      commit.oid
    ])
      .toString()
      .trim()
    expect(committer).toBe(
      'codex-sync[bot] <codex-sync[bot]@users.noreply.github.com>|codex-sync[bot] <codex-sync[bot]@users.noreply.github.com>'
    )
    expect(fake.log[0]).toMatchObject({
      method: 'POST',
      path: '/graphql',
      graphql: { operation: 'mutation', fields: ['createCommitOnBranch'] }
    })
  })

  it('takes the branch by Ref id, as REST and GraphQL give it', async () => {
    const head = (await fake.head('acme', 'web', 'main')) as string
    const ref: Json = await gql(
      '{ repository(owner: "acme", name: "web") { ref(qualifiedName: "refs/heads/main") { id } } }'
    )
    const rest = await fetch(`${fake.url}/repos/acme/web/git/ref/heads/main`, {
      headers: { authorization: 'token test-token' }
    })
    const id = ref.repository.ref.id
    expect(((await rest.json()) as Json).node_id).toBe(id)
    const data: Json = await gql(COMMIT, {
      input: {
        branch: { id },
        expectedHeadOid: head,
        message: { headline: 'by id' },
        fileChanges: { additions: [{ path: 'id.md', contents: b64('id\n') }] }
      }
    })
    expect(
      (await fake.commitInfo('acme', 'web', data.createCommitOnBranch.commit.oid)).parents
    ).toEqual([head])
  })

  it('refuses a stale expectedHeadOid with STALE_DATA and leaves the branch alone', async () => {
    const head = (await fake.head('acme', 'api', 'main')) as string
    const stale = 'f'.repeat(40)
    const res = await query(
      COMMIT,
      commitInput(stale, { additions: [{ path: 'x.md', contents: b64('x') }] })
    )
    expect(res.status).toBe(200)
    expect(res.body).toEqual(
      failed(
        'createCommitOnBranch',
        'STALE_DATA',
        `Expected branch to point to "${stale}" but it did not.  Pull and try again.`
      )
    )
    expect(await fake.head('acme', 'api', 'main')).toBe(head)

    // another pusher moves the branch just before the mutation lands
    fake.addFault({
      kind: 'move-branch',
      owner: 'acme',
      repo: 'api',
      branch: 'main',
      changes: { 'theirs.md': 't\n' }
    })
    const raced = await query(
      COMMIT,
      commitInput(head, { additions: [{ path: 'mine.md', contents: b64('m') }] })
    )
    expect(raced.body.errors[0].type).toBe('STALE_DATA')
    expect(await fake.text('acme', 'api', 'main', 'theirs.md')).toBe('t\n')
    expect(await fake.text('acme', 'api', 'main', 'mine.md')).toBeUndefined()
  })

  it('refuses deleting a path that does not exist, naming the head commit', async () => {
    const head = (await fake.head('acme', 'api', 'main')) as string
    const res = await query(COMMIT, commitInput(head, { deletions: [{ path: 'docs/never.md' }] }))
    expect(res.body.data).toEqual({ createCommitOnBranch: null })
    expect(res.body.errors[0]).toMatchObject({
      type: 'UNPROCESSABLE',
      path: ['createCommitOnBranch'],
      message: `A path was requested for deletion which does not exist as of commit oid \`${head}\``
    })
    expect(await fake.head('acme', 'api', 'main')).toBe(head)
  })

  it('answers missing repositories, branches, empty and archived repositories and read-only tokens', async () => {
    const head = (await fake.head('acme', 'api', 'main')) as string
    const add = { additions: [{ path: 'x.md', contents: b64('x') }] }
    const error = async (vars: Json, token?: string) =>
      (await query(COMMIT, vars, token)).body.errors[0]
    expect(await error(commitInput(head, add, 'main', 'acme/nope'))).toMatchObject({
      type: 'NOT_FOUND',
      message: "Could not resolve to a Repository with the name 'acme/nope'."
    })
    expect(await error(commitInput(head, add, 'no-such-branch'))).toMatchObject({
      type: 'NOT_FOUND',
      message: "Could not resolve to a Ref with the name 'refs/heads/no-such-branch'."
    })
    expect(await error(commitInput(head, add, 'main', 'acme/void'))).toMatchObject({
      type: 'NOT_FOUND'
    })
    const legacyHead = (await fake.head('acme', 'legacy', 'main')) as string
    expect(await error(commitInput(legacyHead, add, 'main', 'acme/legacy'))).toMatchObject({
      type: 'FORBIDDEN',
      message: 'Repository was archived so is read-only.'
    })
    expect(await error(commitInput(head, add), 'read-only')).toMatchObject({
      type: 'FORBIDDEN',
      message: 'Resource not accessible by integration'
    })
    expect(await error(commitInput(head, add), 'web-only')).toMatchObject({ type: 'FORBIDDEN' })
    expect(await fake.head('acme', 'api', 'main')).toBe(head)

    const webHead = (await fake.head('acme', 'web', 'main')) as string
    const ok = await query(COMMIT, commitInput(webHead, add, 'main', 'acme/web'), 'web-only')
    const oid = ok.body.data.createCommitOnBranch.commit.oid
    expect((await fake.commitInfo('acme', 'web', oid)).authorName).toBe('web-bot[bot]')
  })

  it('refuses protected branches with GitHub messages and writes the others', async () => {
    const main = (await fake.head('acme', 'guarded', 'main')) as string
    const release = (await fake.head('acme', 'guarded', 'release')) as string
    const add = { additions: [{ path: 'x.md', contents: b64('x') }] }
    const protectedMain = await query(COMMIT, commitInput(main, add, 'main', 'acme/guarded'))
    expect(protectedMain.body).toEqual(
      failed(
        'createCommitOnBranch',
        'FORBIDDEN',
        "protected branch 'main' check failed:\n  Changes must be made through a pull request."
      )
    )
    const ruleset = await query(COMMIT, commitInput(release, add, 'release', 'acme/guarded'))
    expect(ruleset.body.errors[0]).toMatchObject({
      type: 'FORBIDDEN',
      message:
        'Repository rule violations found\n\nChanges must be made through a pull request.\n\n'
    })
    expect(await fake.head('acme', 'guarded', 'main')).toBe(main)
    expect(await fake.head('acme', 'guarded', 'release')).toBe(release)
    await fake.commit('acme', 'guarded', 'topic', {})
    const topic = (await fake.head('acme', 'guarded', 'topic')) as string
    const free = await query(COMMIT, commitInput(topic, add, 'topic', 'acme/guarded'))
    expect(free.body.errors).toBeUndefined()
  })
})

describe('organisation listing', () => {
  const SUB = 'c'.repeat(40)
  /** The listing the action asks for, a page of `$first`. */
  const NODE = `name isArchived isFork isDisabled isEmpty
    repositoryTopics(first: 20) { totalCount nodes { topic { name } } }
    defaultBranchRef { name target { oid ... on Commit { tree { oid }
      p0: file(path: "docs") { oid mode type } p1: file(path: "README.md") { oid mode type }
      p2: file(path: "tool.sh") { mode type } p3: file(path: "link") { mode type }
      p4: file(path: "sub") { oid mode type } p5: file(path: "docs/none.md") { oid } } } }
    prBranch: ref(qualifiedName: "refs/heads/codex-sync/test") { target { oid }
      associatedPullRequests(states: [OPEN], first: 1) { totalCount nodes { number url state baseRefName headRefName } } }`
  const LIST = `query($org: String!, $cursor: String, $first: Int!) {
    organization(login: $org) {
      login
      repositories(first: $first, after: $cursor) {
        totalCount
        pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
        nodes { ${NODE} }
      }
    }
  }`
  const names = (connection: Json) => connection.nodes.map((n: Json) => n.name)

  beforeAll(async () => {
    await fake.createRepo('listing', 'l-api', {
      topics: ['docs', 'codex'],
      files: {
        'README.md': '# api\n',
        'docs/guide.md': 'guide\n',
        'tool.sh': { content: '#!/bin/sh\n', mode: '100755' },
        link: { symlink: 'README.md' },
        sub: { submodule: SUB }
      }
    })
    await fake.createRepo('listing', 'l-fork', { fork: true })
    await fake.createRepo('listing', 'l-old', { archived: true })
    await fake.createRepo('listing', 'l-off', { disabled: true })
    await fake.createRepo('listing', 'l-void', { empty: true })
    await fake.createRepo('listing', 'l-pub', { visibility: 'public' })
    await fake.createRepo('listing', 'l-hidden')
    await fake.commit('listing', 'l-api', 'codex-sync/test', { 'docs/new.md': 'new\n' })
    await fake.commit('listing', 'l-api', 'other', { 'o.md': 'o\n' })
    const open = (head: string) =>
      fetch(`${fake.url}/repos/listing/l-api/pulls`, {
        method: 'POST',
        headers: { authorization: 'token test-token' },
        body: JSON.stringify({ title: head, head, base: 'main' })
      })
    expect((await open('other')).status).toBe(201)
    expect((await open('codex-sync/test')).status).toBe(201)
  })

  it("pages through an organisation with each head, path entries and its branch's pull request", async () => {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    let api: Json
    for (;;) {
      const data: Json = await gql(LIST, { org: 'LISTING', cursor, first: 3 })
      const repos = data.organization.repositories
      expect(data.organization.login).toBe('listing')
      expect(repos.totalCount).toBe(7)
      seen.push(...names(repos))
      api ??= repos.nodes.find((n: Json) => n.name === 'l-api')
      pages++
      expect(repos.pageInfo).toMatchObject({ hasPreviousPage: pages > 1 })
      expect(typeof repos.pageInfo.endCursor).toBe('string')
      if (!repos.pageInfo.hasNextPage) break
      cursor = repos.pageInfo.endCursor
    }
    // creation order, every repository once
    expect(seen).toEqual(['l-api', 'l-fork', 'l-old', 'l-off', 'l-void', 'l-pub', 'l-hidden'])
    expect(pages).toBe(3)

    const dir = fake.repoDir('listing', 'l-api')
    const rev = async (spec: string) => (await git(dir, ['rev-parse', spec])).trim()
    const head = await rev('main')
    expect(api).toEqual({
      name: 'l-api',
      isArchived: false,
      isFork: false,
      isDisabled: false,
      isEmpty: false,
      repositoryTopics: {
        totalCount: 2,
        nodes: [{ topic: { name: 'docs' } }, { topic: { name: 'codex' } }]
      },
      defaultBranchRef: {
        name: 'main',
        target: {
          oid: head,
          tree: { oid: await rev('main^{tree}') },
          // GraphQL gives git's octal modes as Ints: 040000, 100644, 100755, 120000, 160000
          p0: { oid: await rev('main:docs'), mode: 16384, type: 'tree' },
          p1: { oid: await rev('main:README.md'), mode: 33188, type: 'blob' },
          p2: { mode: 33261, type: 'blob' },
          p3: { mode: 40960, type: 'blob' },
          p4: { oid: SUB, mode: 57344, type: 'commit' },
          p5: null
        }
      },
      prBranch: {
        target: { oid: await rev('codex-sync/test') },
        associatedPullRequests: {
          totalCount: 1,
          nodes: [
            {
              number: 2,
              url: `${fake.url}/listing/l-api/pull/2`,
              state: 'OPEN',
              baseRefName: 'main',
              headRefName: 'codex-sync/test'
            }
          ]
        }
      }
    })

    // the same node fields through aliased repository fields answer the same
    const aliased: Json = await gql(
      `{ ${['l-api', 'l-void', 'l-fork'].map((n, i) => `r${i}: repository(owner: "listing", name: "${n}") { ${NODE} }`).join(' ')} }`
    )
    const all: Json = await gql(LIST, { org: 'listing', cursor: null, first: 100 })
    const byName = Object.fromEntries(
      all.organization.repositories.nodes.map((n: Json) => [n.name, n])
    )
    expect([aliased.r0, aliased.r1, aliased.r2]).toEqual([
      byName['l-api'],
      byName['l-void'],
      byName['l-fork']
    ])
    expect(byName['l-void']).toMatchObject({
      isEmpty: true,
      defaultBranchRef: null,
      prBranch: null
    })
    expect(byName['l-fork'].isFork).toBe(true)
    expect(byName['l-old'].isArchived).toBe(true)
    expect(byName['l-off'].isDisabled).toBe(true)
  })

  it('pages backwards with last and before, gives edges and filters like GitHub', async () => {
    const q = `{ organization(login: "listing") { repositories(first: 7) { edges { cursor node { name } } } } }`
    const listed: Json = await gql(q)
    const edges: Json[] = listed.organization.repositories.edges
    expect(edges.map(e => e.node.name)).toHaveLength(7)
    // opaque cursors, GitHub's format: base64 of "cursor:v2:" and the item's key
    expect(Buffer.from(edges[0].cursor, 'base64').toString('latin1')).toMatch(/^cursor:v2:/)
    const back: Json = await gql(
      `query($before: String) { organization(login: "listing") { repositories(last: 2, before: $before) { nodes { name } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } } }`,
      { before: edges[4].cursor }
    )
    expect(back.organization.repositories).toEqual({
      nodes: [{ name: 'l-old' }, { name: 'l-off' }],
      pageInfo: {
        hasPreviousPage: true,
        hasNextPage: true,
        startCursor: edges[2].cursor,
        endCursor: edges[3].cursor
      }
    })
    const filtered: Json = await gql(`{ organization(login: "listing") {
      forks: repositories(first: 10, isFork: true) { nodes { name } }
      live: repositories(first: 10, isArchived: false, isFork: false) { totalCount }
      public: repositories(first: 10, privacy: PUBLIC) { nodes { name } }
      none: repositories(first: 0) { totalCount nodes { name } pageInfo { hasNextPage } }
    } }`)
    expect(filtered.organization).toEqual({
      forks: { nodes: [{ name: 'l-fork' }] },
      live: { totalCount: 5 },
      public: { nodes: [{ name: 'l-pub' }] },
      none: { totalCount: 7, nodes: [], pageInfo: { hasNextPage: true } }
    })
  })

  it('keeps its place when a repository is deleted between two pages', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await fake.createRepo('churn', n, { empty: true })
    const q = `query($after: String) { organization(login: "churn") { repositories(first: 2, after: $after) { totalCount nodes { name } pageInfo { endCursor } } } }`
    const first: Json = await gql(q)
    expect(names(first.organization.repositories)).toEqual(['a', 'b'])
    // the repository the cursor names, and one before it, go before the next page is asked
    fake.addFault({
      kind: 'delete-repo',
      owner: 'churn',
      repo: 'b',
      match: { path: /^\/graphql$/ }
    })
    fake.addFault({
      kind: 'delete-repo',
      owner: 'churn',
      repo: 'a',
      match: { path: /^\/graphql$/ }
    })
    const after = first.organization.repositories.pageInfo.endCursor
    const second: Json = await gql(q, { after })
    expect(second.organization.repositories.totalCount).toBe(4)
    expect(names(second.organization.repositories)).toEqual(['c', 'd'])
    const third: Json = await gql(q, { after })
    expect(third.organization.repositories.totalCount).toBe(3)
    expect(names(third.organization.repositories)).toEqual(['c', 'd'])
  })

  it('answers paging mistakes, unknown organisations and unsupported arguments as GitHub does', async () => {
    const res = await query(`{
  organization(login: "listing") { repositories { totalCount } }
  many: organization(login: "listing") { repositories(first: 101) { totalCount } }
  back: organization(login: "listing") { repositories(last: 250) { totalCount } }
  bad: organization(login: "listing") { repositories(first: 1, after: "nope") { totalCount } }
  topics: organization(login: "listing") { repositories(first: 1) { nodes { repositoryTopics { totalCount } } } }
  nobody: organization(login: "nobody") { login }
}`)
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual({
      organization: null,
      many: null,
      back: null,
      bad: null,
      // a repository node is nullable: the error stops there
      topics: { repositories: { nodes: [null] } },
      nobody: null
    })
    const errors = Object.fromEntries(res.body.errors.map((e: Json) => [e.path.join('.'), e]))
    expect(errors['organization.repositories']).toEqual({
      type: 'MISSING_PAGINATION_BOUNDARIES',
      path: ['organization', 'repositories'],
      locations: [{ line: 2, column: 36 }],
      message:
        'You must provide a `first` or `last` value to properly paginate the `repositories` connection.'
    })
    expect(errors['many.repositories']).toMatchObject({
      type: 'EXCESSIVE_PAGINATION',
      message:
        'Requesting 101 records on the `repositories` connection exceeds the `first` limit of 100 records.'
    })
    expect(errors['back.repositories'].message).toBe(
      'Requesting 250 records on the `repositories` connection exceeds the `last` limit of 100 records.'
    )
    expect(errors['bad.repositories']).toMatchObject({
      type: 'INVALID_CURSOR_ARGUMENTS',
      message: '`nope` does not appear to be a valid cursor.'
    })
    expect(errors['topics.repositories.nodes.0.repositoryTopics'].type).toBe(
      'MISSING_PAGINATION_BOUNDARIES'
    )
    expect(errors.nobody).toMatchObject({
      type: 'NOT_FOUND',
      message: "Could not resolve to an Organization with the login of 'nobody'."
    })

    const ordered = await query(
      '{ organization(login: "listing") { repositories(first: 1, orderBy: { field: NAME, direction: ASC }) { totalCount } } }'
    )
    expect(ordered.body.data).toBeUndefined()
    expect(ordered.body.errors[0]).toMatchObject({
      path: ['query', 'organization', 'repositories', 'orderBy'],
      extensions: { code: 'unsupportedByFakeGitHub', argumentName: 'orderBy' }
    })
  })

  it("lists and resolves only what a token's read scope reaches, public repositories too", async () => {
    const scoped = graphql.defaults({
      baseUrl: fake.url,
      headers: { authorization: 'token listing-reader' }
    })
    const data: Json = await scoped(
      '{ viewer { login } organization(login: "listing") { repositories(first: 100) { totalCount nodes { name } } } }'
    )
    expect(data.viewer.login).toBe('reader-bot[bot]')
    expect(data.organization.repositories).toEqual({
      totalCount: 3,
      nodes: [{ name: 'l-api' }, { name: 'l-void' }, { name: 'l-pub' }]
    })
    const hidden = await query(
      '{ repository(owner: "listing", name: "l-hidden") { name } }',
      {},
      'listing-reader'
    )
    expect(hidden.body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 1, column: 3 }],
          message: "Could not resolve to a Repository with the name 'listing/l-hidden'."
        }
      ]
    })
    const pub = await query(
      '{ repository(owner: "listing", name: "l-pub") { defaultBranchRef { target { oid } } } }',
      {},
      'listing-reader'
    )
    const head = (await fake.head('listing', 'l-pub', 'main')) as string
    expect(pub.body.data.repository.defaultBranchRef.target.oid).toBe(head)
    // readable, not writable: a public repository outside the selection
    const write = await query(
      COMMIT,
      commitInput(
        head,
        { additions: [{ path: 'x.md', contents: b64('x') }] },
        'main',
        'listing/l-pub'
      ),
      'listing-reader'
    )
    expect(write.body.errors[0]).toMatchObject({ type: 'FORBIDDEN' })
  })

  it('gives the viewer as the login commits and comments are made under', async () => {
    expect(((await gql('{ viewer { login } }')) as Json).viewer).toEqual({
      login: 'codex-sync[bot]'
    })
    const web: Json = await graphql('{ viewer { login } }', {
      baseUrl: fake.url,
      headers: { authorization: 'token web-only' }
    })
    expect(web.viewer.login).toBe('web-bot[bot]')
  })

  it('reads several hundred aliased trees by oid, entries nested three levels deep', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) files[`d${i}/e${j}/f.md`] = `${i}${j}\n`
    await fake.createRepo('listing', 'l-deep', { files })
    const dir = fake.repoDir('listing', 'l-deep')
    const lines = (await git(dir, ['ls-tree', '-r', '-t', 'main'])).trim().split('\n')
    const trees = lines.filter(l => l.includes(' tree ')).map(l => l.split(/\s+/)[2] as string)
    trees.unshift((await git(dir, ['rev-parse', 'main^{tree}'])).trim())
    const LEVEL = (inner: string) =>
      `... on Tree { entries { name path mode type oid${inner ? ` object { ${inner} }` : ''} } }`
    const select = LEVEL(LEVEL(LEVEL('')))
    const aliases = Array.from(
      { length: 300 },
      (_, i) => `t${i}: object(oid: "${trees[i % trees.length]}") { ${select} }`
    )
    const data: Json = await gql(
      `{ repository(owner: "listing", name: "l-deep") { ${aliases.join('\n')} } }`
    )
    expect(Object.keys(data.repository)).toHaveLength(300)
    // the root tree: three levels of entries, paths below the tree asked for, as git lists them
    const paths: string[] = []
    const walk = (tree: Json) => {
      for (const e of tree.entries) {
        paths.push(`${e.type} ${e.oid} ${e.path}`)
        if (e.object?.entries) walk(e.object)
      }
    }
    walk(data.repository.t0)
    const byGit = lines.map(l => {
      const [, type, oid, path] = /^\d+ (\w+) (\w+)\t(.*)$/.exec(l) as RegExpExecArray
      return `${type} ${oid} ${path}`
    })
    expect(paths.sort()).toEqual(byGit.sort())
    expect(data.repository[`t${trees.length}`]).toEqual(data.repository.t0)
  })
})
