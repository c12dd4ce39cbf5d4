import { describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { collectingLog } from '../__fixtures__/harness.js'
import { RunBudget } from '../src/github/budget.js'
import { limitsPlugin } from '../src/github/limits.js'

const HOUR_MS = 3_600_000

/** A client with only the limits plugin, whose requests get the given answers in turn. */
function clientAnswering(answers: (() => Response)[]) {
  const sent: string[] = []
  const fetch = (url: string | URL) => {
    sent.push(String(url))
    const answer = answers.shift()
    if (!answer) throw new Error('no answer left')
    return Promise.resolve(answer())
  }
  const log = collectingLog()
  const budget = new RunBudget(HOUR_MS, 0, log)
  const Client = Octokit.plugin(limitsPlugin({ budget, log }))
  return { octokit: new Client({ request: { fetch } }), sent, budget }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers }
    })

describe('limitsPlugin', () => {
  it('tries a server error again, and gives the parsed answer', async () => {
    const { octokit, sent } = clientAnswering([
      json(502, { message: 'Server Error' }),
      json(200, { sha: 'abc', tree: [] })
    ])
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{sha}', {
      owner: 'acme',
      repo: 'api',
      sha: 'main'
    })
    expect(data).toEqual({ sha: 'abc', tree: [] })
    expect(sent).toHaveLength(2)
  })

  it("asks GraphQL again when it answers 200 with GitHub's internal-failure error", async () => {
    const { octokit, sent } = clientAnswering([
      json(200, {
        data: null,
        errors: [{ message: 'Something went wrong while executing your query. Please try again.' }]
      }),
      json(200, { data: { viewer: { login: 'bot' } } })
    ])
    const { data } = await octokit.request('POST /graphql', { query: '{ viewer { login } }' })
    expect(data).toEqual({ data: { viewer: { login: 'bot' } } })
    expect(sent).toHaveLength(2)
  })

  it('does not repeat what a repeat cannot fix, and a 401 ends the budget', async () => {
    const { octokit, sent, budget } = clientAnswering([
      json(404, { message: 'Not Found' }),
      json(401, { message: 'Bad credentials' })
    ])
    await expect(
      octokit.request('GET /repos/{owner}/{repo}', { owner: 'a', repo: 'b' })
    ).rejects.toMatchObject({ status: 404 })
    expect(budget.stopReason).toBeUndefined()
    await expect(
      octokit.request('GET /repos/{owner}/{repo}', { owner: 'a', repo: 'b' })
    ).rejects.toMatchObject({ status: 401 })
    expect(sent).toHaveLength(2)
    expect(budget.stopReason).toBe('GitHub rejected the token')
  })

  it('reads the answer again when an outer plugin sends the same options twice', async () => {
    const { octokit, sent } = clientAnswering([json(200, { try: 1 }), json(200, { try: 2 })])
    const given: unknown[] = []
    octokit.hook.wrap('request', async (request, options) => {
      await request(options)
      given.push({ ...options.request })
      return request(options)
    })
    const { data } = await octokit.request('GET /rate_limit')
    expect(data).toEqual({ try: 2 })
    expect(sent).toHaveLength(2)
    expect(given[0]).not.toHaveProperty('signal')
    expect(given[0]).not.toHaveProperty('parseSuccessResponseBody')
  })
})

describe('the writes counted against writes_per_hour', () => {
  /** A client whose budget allows `writes` an hour, and which answers every request alike. */
  function counting(writes: number) {
    const log = collectingLog()
    const budget = new RunBudget(HOUR_MS, writes, log)
    const fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify({ data: { ok: true } }), {
          status: 200,
          headers: { 'content-type': 'application/json' }
        })
      )
    const Client = Octokit.plugin(limitsPlugin({ budget, log }))
    return { octokit: new Client({ request: { fetch } }), budget }
  }

  it('count a GraphQL mutation as Octokit sends it (its document an option, not yet a body), and no query', async () => {
    const { octokit, budget } = counting(1)
    await octokit.graphql('query { viewer { login } }')
    expect(budget.start(1)).toBe(true)
    budget.finish(1)
    await octokit.graphql('mutation { createCommitOnBranch(input: {}) { clientMutationId } }')
    expect(budget.start(1)).toBe(false)
  })

  it('count every REST request but a read', async () => {
    const { octokit, budget } = counting(2)
    await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'api' })
    await octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
      owner: 'acme',
      repo: 'api',
      content: 'x'
    })
    expect(budget.start(1)).toBe(true)
    budget.finish(1)
    await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      owner: 'acme',
      repo: 'api',
      ref: 'heads/main',
      sha: 'a'.repeat(40)
    })
    expect(budget.start(1)).toBe(false)
  })
})
