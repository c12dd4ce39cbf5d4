// The fake GitHub server's comments on pull requests (the issue comments API): shapes, pagination,
// updates, and GitHub's errors — checked over real HTTP and through octokit's own methods.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

let fake: FakeGitHub
const R = '/repos/acme/codex'

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = 'test-token'
): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { accept: 'application/vnd.github+json', authorization: `token ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

beforeAll(async () => {
  fake = await FakeGitHub.start({
    tokens: {
      'test-token': { write: 'all' },
      'read-only': { write: 'none' },
      'person-token': { write: 'all', login: 'octocat' }
    }
  })
  await fake.createRepo('acme', 'codex')
  await fake.createRepo('acme', 'other')
  for (const [repo, branch] of [
    ['codex', 'one'],
    ['codex', 'two'],
    ['other', 'x']
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
afterAll(() => fake.stop())

describe('comments on pull requests', () => {
  it('POST creates a comment in the issue-comment shape, with an int64 id and a Location', async () => {
    const res = await call('POST', `${R}/issues/1/comments`, { body: 'first\n\nline' })
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
    expect(comment.url).toBe(`${fake.url}${R}/issues/comments/${comment.id}`)
    expect(res.headers.get('location')).toBe(comment.url)
    expect(comment.issue_url).toBe(`${fake.url}${R}/issues/1`)
    expect(comment.html_url).toBe(`${fake.url}/acme/codex/pull/1#issuecomment-${comment.id}`)
    expect(comment.user).toMatchObject({ login: 'codex-sync[bot]', type: 'Bot' })
    expect(comment.author_association).toBe('NONE')
    expect(comment.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(comment.updated_at).toBe(comment.created_at)

    const person = await call('POST', `${R}/issues/1/comments`, { body: 'me' }, 'person-token')
    expect(person.body.user).toMatchObject({ login: 'octocat', type: 'User' })
    expect(fake.comments('acme', 'codex', 1).map(c => [c.body, c.author])).toEqual([
      ['first\n\nline', 'codex-sync[bot]'],
      ['me', 'octocat']
    ])
  })

  it('GET lists the comments of one pull request, oldest first, paginated with Link', async () => {
    for (const body of ['a', 'b', 'c']) await call('POST', `${R}/issues/2/comments`, { body })
    const all = await call('GET', `${R}/issues/2/comments`)
    expect(all.status).toBe(200)
    expect(all.body.map((c: Json) => c.body)).toEqual(['a', 'b', 'c'])
    expect(all.headers.get('link')).toBeNull()

    const first = await call('GET', `${R}/issues/2/comments?per_page=2`)
    expect(first.body.map((c: Json) => c.body)).toEqual(['a', 'b'])
    expect(first.headers.get('link')).toContain('rel="next"')
    const second = await call('GET', `${R}/issues/2/comments?per_page=2&page=2`)
    expect(second.body.map((c: Json) => c.body)).toEqual(['c'])

    // octokit's paginate follows the Link header to the end
    const MyOctokit = Octokit.plugin(paginateRest)
    const octokit = new MyOctokit({ auth: 'test-token', baseUrl: fake.url })
    const paged = await octokit.paginate(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      {
        owner: 'acme',
        repo: 'codex',
        issue_number: 2,
        per_page: 1
      }
    )
    expect(paged.map(c => c.body)).toEqual(['a', 'b', 'c'])

    // `since` keeps the comments updated at or after it
    const future = new Date(Date.now() + 3_600_000).toISOString()
    expect((await call('GET', `${R}/issues/2/comments?since=${future}`)).body).toEqual([])
    expect(
      (await call('GET', `${R}/issues/2/comments?since=2000-01-01T00:00:00Z`)).body
    ).toHaveLength(3)
  })

  it('PATCH updates the body in place and answers the comment', async () => {
    const created = (await call('POST', `${R}/issues/1/comments`, { body: 'old' })).body
    const res = await call('PATCH', `${R}/issues/comments/${created.id}`, { body: 'new' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: created.id, body: 'new', url: created.url })
    const stored = fake.comments('acme', 'codex', 1).find(c => c.id === created.id)
    expect(stored?.body).toBe('new')
    expect(fake.comments('acme', 'codex', 1).filter(c => c.body === 'old')).toEqual([])
  })

  it('answers 404 for an unknown pull request, an unknown comment or one of another repository', async () => {
    expect(await call('GET', `${R}/issues/99/comments`)).toMatchObject({
      status: 404,
      body: {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/issues/comments#list-issue-comments'
      }
    })
    expect((await call('POST', `${R}/issues/99/comments`, { body: 'x' })).status).toBe(404)
    expect((await call('PATCH', `${R}/issues/comments/1`, { body: 'x' })).status).toBe(404)
    const elsewhere = (await call('POST', '/repos/acme/other/issues/1/comments', { body: 'x' }))
      .body
    expect(
      (await call('PATCH', `${R}/issues/comments/${elsewhere.id}`, { body: 'y' })).status
    ).toBe(404)
    expect((await call('GET', '/repos/acme/nope/issues/1/comments')).status).toBe(404)
  })

  it('answers 422 for a missing, non-string, blank or too long body; 65,536 characters are fine', async () => {
    const post = (body: unknown) => call('POST', `${R}/issues/1/comments`, body)
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
    const id = fake.comments('acme', 'codex', 1).at(-1)?.id
    expect(
      (await call('PATCH', `${R}/issues/comments/${id}`, { body: 'x'.repeat(65_537) })).status
    ).toBe(422)
  })

  it('answers 403 to a token that may not write the repository', async () => {
    const res = await call('POST', `${R}/issues/1/comments`, { body: 'x' }, 'read-only')
    expect(res).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    const id = fake.comments('acme', 'codex', 1)[0]?.id
    expect(
      (await call('PATCH', `${R}/issues/comments/${id}`, { body: 'x' }, 'read-only')).status
    ).toBe(403)
    expect((await call('GET', `${R}/issues/1/comments`, undefined, 'read-only')).status).toBe(200)
  })
})
