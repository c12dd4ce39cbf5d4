// Delivery that fits real repositories: protected branches, [skip ci], commit messages, and the
// pull requests' title, body, labels, reviewers and draft flag.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub, type RequestLogEntry } from '../__fixtures__/fake-github/index.js'
import { projectResult, sync } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'

let fake: FakeGitHub

const headMessage = async (repo: string, branch = 'main') =>
  (await fake.commitInfo(ORG, repo, (await fake.head(ORG, repo, branch)) as string)).message

async function changeGuide(version: string): Promise<void> {
  await fake.commit(ORG, CODEX, 'test', {
    'docs/guide.md': doc('codex_sync_include: [*]', `guide ${version}\n`)
  })
}

beforeAll(async () => {
  fake = await FakeGitHub.start()
  await fake.createRepo(ORG, CODEX, {
    files: { 'docs/guide.md': doc('codex_sync_include: [*]', 'guide v1\n') }
  })
  await fake.commit(ORG, CODEX, 'test', {})
  await fake.createRepo(ORG, 'open', { files: { 'README.md': '# open\n' } })
  await fake.createRepo(ORG, 'guarded', {
    files: { 'README.md': '# guarded\n' },
    protectedBranches: [{ branch: 'main', kind: 'protection' }]
  })
  await fake.createRepo(ORG, 'ruled', {
    files: { 'README.md': '# ruled\n' },
    protectedBranches: [{ branch: 'main', kind: 'ruleset' }]
  })
})
afterAll(() => fake.stop())

/** A write aimed at a branch: a ref update, or a createCommitOnBranch naming it. */
function writesTo(entry: RequestLogEntry, project: string, branch: string): boolean {
  if (entry.method === 'PATCH')
    return entry.path === `/repos/${ORG}/${project}/git/refs/heads/${branch}`
  const input = (entry.body as { variables?: { input?: { branch?: Record<string, unknown> } } })
    ?.variables?.input?.branch
  return (
    entry.path === '/graphql' &&
    input?.repositoryNameWithOwner === `${ORG}/${project}` &&
    input.branchName === branch
  )
}

describe('commit_strategy', () => {
  test('direct: a protected branch fails its project, named as such, with what to do', async () => {
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(projectResult(result, 'open').status).toBe('synced')
    for (const project of ['guarded', 'ruled']) {
      const refused = projectResult(result, project)
      expect(refused.status).toBe('failed')
      expect(refused.error).toMatch(/refused the commit/)
      expect(refused.resolution).toMatch(/commit_strategy: auto/)
      expect(await fake.text(ORG, project, 'main', '.codex/docs/guide.md')).toBeUndefined()
    }
  })

  test('auto: direct where allowed, a pull request where the branch rules say so, learnt without a refused write', async () => {
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      commit_strategy: 'auto'
    })
    expect(result.status).toBe('success')
    expect(projectResult(result, 'ruled').delivery).toMatch(
      /a ruleset of the branch requires it \(pull_request\)/
    )
    expect(projectResult(result, 'guarded').delivery).toMatch(/the branch is protected/)
    for (const project of ['guarded', 'ruled']) {
      // The rules were read; no commit was sent to the branch only to be refused.
      expect(
        fake.log.some(entry => entry.path === `/repos/${ORG}/${project}/rules/branches/main`)
      ).toBe(true)
      expect(fake.log.filter(entry => writesTo(entry, project, 'main'))).toEqual([])
      const delivered = projectResult(result, project)
      expect(delivered).toMatchObject({
        status: 'synced',
        outcome: 'pull-request',
        delivery: expect.stringMatching(/pull request/)
      })
      const [pull] = fake.pulls(ORG, project)
      expect(pull).toMatchObject({ head: 'codex-sync/test', base: 'main', state: 'open' })
      expect(delivered.pull_request_url).toBe(pull?.html_url)
      expect(await fake.text(ORG, project, 'codex-sync/test', '.codex/docs/guide.md')).toContain(
        'guide v1'
      )
    }
  })
})

describe('commit messages', () => {
  test('skip_ci marks direct commits, never a pull request branch; commit_message sets the subject', async () => {
    await changeGuide('v2')
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      commit_strategy: 'auto',
      skip_ci: 'true',
      commit_message: 'docs: shared documentation from the codex'
    })
    expect(result.status).toBe('success')
    const direct = await headMessage('open')
    expect(direct.split('\n')[0]).toBe('docs: shared documentation from the codex [skip ci]')
    expect(direct).toMatch(/1 modified/)
    const onPullRequest = await headMessage('guarded', 'codex-sync/test')
    expect(onPullRequest.split('\n')[0]).toBe('docs: shared documentation from the codex')
    expect(onPullRequest).not.toMatch(/skip ci/)
  })

  test('pull-docs commits to the codex carry [skip ci] too', async () => {
    await fake.commit(ORG, 'open', 'main', { 'docs/new.md': 'new\n' })
    await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'open',
      skip_ci: 'true'
    })
    expect((await headMessage(CODEX, 'test')).split('\n')[0]).toMatch(/\[skip ci\]$/)
  })
})

describe('pull request options', () => {
  test('title, body, labels, reviewers and draft are used when the pull request is opened', async () => {
    await fake.createRepo(ORG, 'reviewed', { files: { 'README.md': '# reviewed\n' } })
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'reviewed',
      commit_strategy: 'pull-request',
      pull_request_title: 'Shared docs from the codex',
      pull_request_body: 'Please merge.',
      pull_request_labels: 'docs, codex-sync',
      pull_request_reviewers: 'alice, acme/platform',
      pull_request_draft: 'true'
    })
    expect(projectResult(result, 'reviewed').status).toBe('synced')
    expect(fake.pulls(ORG, 'reviewed')).toEqual([
      expect.objectContaining({
        title: 'Shared docs from the codex',
        body: 'Please merge.',
        draft: true,
        labels: ['docs', 'codex-sync'],
        requested_reviewers: ['alice'],
        requested_teams: ['platform']
      })
    ])
  })
})
