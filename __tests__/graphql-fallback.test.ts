// GraphQL's fallbacks: a transient failure costs one read its GraphQL; only a server without a
// usable GraphQL API switches it off; each is said once, with what it costs.
import { describe, expect, it } from '@jest/globals'
import { collectingLog } from '../__fixtures__/harness.js'
import type { Octokit } from '../src/github/client.js'
import { GraphQL } from '../src/github/graphql.js'

/** An Octokit whose GraphQL answers with the errors given, in turn, then with empty data. */
function octokitFailing(...errors: unknown[]): { octokit: Octokit; calls: () => number } {
  let calls = 0
  const octokit = {
    graphql: async () => {
      const error = errors[calls++]
      if (error) throw error
      return {}
    }
  } as unknown as Octokit
  return { octokit, calls: () => calls }
}

const status = (code: number, message: string) =>
  Object.assign(new Error(message), { status: code })
const blob = { repo: 'api', sha: 'a'.repeat(40) }

describe('GraphQL fallbacks', () => {
  it('a 5xx after retries costs that read its GraphQL; GraphQL stays in use, said once', async () => {
    const { octokit, calls } = octokitFailing(
      status(502, 'Bad Gateway'),
      status(503, 'Service Unavailable')
    )
    const log = collectingLog()
    const graphql = new GraphQL(octokit, 'acme', log)
    expect(await graphql.blobTexts([blob])).toEqual(new Map())
    expect(await graphql.blobTexts([blob])).toEqual(new Map())
    expect(graphql.canCommit).toBe(true)
    await graphql.blobTexts([blob])
    expect(calls()).toBe(3)
    const said = log.warnings.map(warning => warning.message)
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/failed after retries .*stays in use/)
  })

  it('a query GraphQL refuses (a field the server does not know) costs that read only, silently', async () => {
    const refused = Object.assign(new Error('Field not supported'), {
      errors: [{ message: "Field 'isEmpty' doesn't exist on type 'Repository'" }]
    })
    const { octokit } = octokitFailing(refused)
    const log = collectingLog()
    const graphql = new GraphQL(octokit, 'acme', log)
    expect(await graphql.listOrganization({ paths: ['docs'] })).toBeUndefined()
    expect(graphql.canCommit).toBe(true)
    expect(log.warnings.map(warning => warning.message)).toEqual([
      expect.stringMatching(/listed over REST.*one request a project/)
    ])
  })

  it('a server without GraphQL switches it off for the run, said once with what it costs', async () => {
    const { octokit, calls } = octokitFailing(status(404, 'Not Found'))
    const log = collectingLog()
    const graphql = new GraphQL(octokit, 'acme', log)
    expect(await graphql.blobTexts([blob])).toEqual(new Map())
    expect(graphql.canCommit).toBe(false)
    expect(await graphql.listOrganization(undefined)).toBeUndefined()
    expect(calls()).toBe(1)
    const said = log.warnings.map(warning => warning.message)
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/not usable .*three writes/)
  })

  it('a rejected token is never mistaken for a missing GraphQL API', async () => {
    const { octokit } = octokitFailing(status(401, 'Bad credentials'))
    const graphql = new GraphQL(octokit, 'acme', collectingLog())
    await expect(graphql.blobTexts([blob])).rejects.toThrow('Bad credentials')
    expect(graphql.canCommit).toBe(true)
  })
})

describe('a partial answer', () => {
  it('lists a repository an error touched, but trusts nothing its head says', async () => {
    const node = (name: string, docs: unknown) => ({
      name,
      isArchived: false,
      isFork: false,
      isDisabled: false,
      isEmpty: false,
      repositoryTopics: { nodes: [] },
      defaultBranchRef: { name: 'main', target: { oid: 'c'.repeat(40), p0: docs } }
    })
    const partial = Object.assign(new Error('Resource not accessible'), {
      errors: [
        {
          type: 'FORBIDDEN',
          message: 'Resource not accessible by integration',
          path: ['organization', 'repositories', 'nodes', 1, 'defaultBranchRef', 'target', 'p0']
        }
      ],
      data: {
        organization: {
          repositories: {
            totalCount: 2,
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: [node('open', { oid: 'd'.repeat(40), mode: 16384 }), node('hidden', null)]
          }
        }
      }
    })
    const { octokit } = octokitFailing(partial)
    const graphql = new GraphQL(octokit, 'acme', collectingLog())
    const listing = await graphql.listOrganization({ paths: ['docs'] })
    expect(listing?.listed.map(entry => entry.repository.name)).toEqual(['open', 'hidden'])
    expect(listing?.listed[0]?.head?.paths.get('docs')).toEqual({
      oid: 'd'.repeat(40),
      mode: '40000'
    })
    // A null an error left says nothing of what is there: no head, so the project is read.
    expect(listing?.listed[1]?.head).toBeUndefined()
  })
})
