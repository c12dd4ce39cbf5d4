// Every status says what happened to that repository, checked against what git and the pull
// requests show after the run: a commit whose answer was lost, refusals, pull requests that wait,
// failures after the projects, GraphQL switched off, and a result that tells them apart alone.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { projectResult, sync } from '../__fixtures__/harness.js'
import { summaryMarkdown } from '../src/report/summary.js'
import type { ProjectResult } from '../src/result/project.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const STATE_KEY = 'outcomes-state-key-0123456789'
let fake: FakeGitHub
let version = 0

beforeAll(async () => {
  fake = await FakeGitHub.start()
  await fake.createRepo(ORG, CODEX, {
    files: {
      '.github/codex-sync.yml': 'claude_namespace: acme\n',
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide v0\n')
    }
  })
  await fake.commit(ORG, CODEX, 'test', {})
  // In creation order, which the listing keeps: one project at a time meets them in this order.
  for (const project of ['plain', 'guarded', 'locked', 'later', 'r1', 'r2', 'r3', 'r4']) {
    await fake.createRepo(ORG, project, {
      files: { 'README.md': `# ${project}\n` },
      ...(project === 'guarded' ? { protectedBranches: [{ branch: 'main', kind: 'ruleset' }] } : {})
    })
  }
})
afterAll(() => fake.stop())

/** A new version of the guide every project receives, so that each needs a write. */
async function changeGuide(): Promise<string> {
  version++
  await fake.commit(ORG, CODEX, 'test', {
    'docs/guide.md': doc('codex_sync_include: [*]', `guide v${version}\n`)
  })
  return `guide v${version}`
}

const pushDocs = (inputs: Record<string, string>) =>
  sync(fake, { mode: 'push-docs', codex_repository: CODEX, ...inputs })

describe('a write whose answer was lost', () => {
  test('a createCommitOnBranch applied but unanswered is the project’s commit, counted once', async () => {
    const guide = await changeGuide()
    const before = await fake.head(ORG, 'plain', 'main')
    fake.addFault({
      kind: 'truncated-body',
      times: 1,
      match: { path: /\/graphql$/, body: /createCommitOnBranch/ }
    })
    const { result } = await pushDocs({ target_repository: 'plain' })
    fake.clearFaults()
    const head = await fake.head(ORG, 'plain', 'main')
    expect((await fake.commitInfo(ORG, 'plain', head as string)).parents).toEqual([before])
    expect(await fake.text(ORG, 'plain', 'main', '.codex/docs/guide.md')).toContain(guide)
    expect(projectResult(result, 'plain')).toMatchObject({
      status: 'synced',
      outcome: 'committed',
      commit_sha: head,
      files_added: 1
    })
    expect(result.commits_created).toBe(1)
  })

  test('a pull request opened but unanswered is found again by its head and base', async () => {
    await changeGuide()
    fake.addFault({
      kind: 'truncated-body',
      times: 1,
      match: { method: 'POST', path: new RegExp(`/repos/${ORG}/plain/pulls$`) }
    })
    const { result } = await pushDocs({
      target_repository: 'plain',
      commit_strategy: 'pull-request'
    })
    fake.clearFaults()
    const pulls = fake.pulls(ORG, 'plain').filter(pull => pull.state === 'open')
    expect(pulls).toHaveLength(1)
    expect(projectResult(result, 'plain')).toMatchObject({
      status: 'synced',
      outcome: 'pull-request',
      pull_request_number: pulls[0]?.number,
      pull_request_url: pulls[0]?.html_url
    })
    // Merged by hand: the next runs commit straight to the branch again.
    await fake.commit(ORG, 'plain', 'main', {
      '.codex/docs/guide.md':
        (await fake.text(ORG, 'plain', 'codex-sync/test', '.codex/docs/guide.md')) ?? ''
    })
    const closing = await fetch(`${fake.url}/repos/${ORG}/plain/pulls/${pulls[0]?.number}`, {
      method: 'PATCH',
      headers: { authorization: 'token test-token' },
      body: JSON.stringify({ state: 'closed' })
    })
    expect(closing.status).toBe(200)
  })
})

describe('refusals are failures, never deferrals', () => {
  test('a rejected token, a forbidden and a refused commit each fail their project; the run says failure', async () => {
    await changeGuide()
    const commitTo = (project: string) =>
      new RegExp(`createCommitOnBranch[\\s\\S]*"repositoryNameWithOwner":"${ORG}/${project}"`)
    fake.addFault({
      kind: 'status',
      status: 401,
      times: 1,
      match: { path: new RegExp(`/repos/${ORG}/r1/git/trees/`) }
    })
    fake.addFault({
      kind: 'status',
      status: 403,
      message: 'Resource not accessible by integration',
      times: 1,
      match: { body: commitTo('r2') }
    })
    fake.addFault({ kind: 'status', status: 422, times: 1, match: { body: commitTo('r3') } })
    const { result, log } = await pushDocs({
      target_repository: 'r1,r2,r3,r4',
      parallel: '4'
    })
    fake.clearFaults()
    expect(result.projects.filter(project => project.outcome === 'deferred')).toEqual([])
    expect(projectResult(result, 'r1')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/rejected the token/)
    })
    expect(projectResult(result, 'r2')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/not accessible/)
    })
    expect(projectResult(result, 'r3')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/refused the change/)
    })
    expect(projectResult(result, 'r4').status).toBe('synced')
    expect(result.status).toBe('failure')
    expect(log.warnings.some(warning => /deferred/.test(warning.message))).toBe(false)
  })

  test('a dry run stopped by a rejected token never speaks of deferral', async () => {
    await changeGuide()
    fake.addFault({
      kind: 'status',
      status: 401,
      times: 1,
      match: { path: new RegExp(`/repos/${ORG}/r1/git/trees/`) }
    })
    const { result, log } = await pushDocs({
      target_repository: 'r1,r2,r3,r4',
      parallel: '1',
      dry_run: 'true'
    })
    fake.clearFaults()
    expect(projectResult(result, 'r1').status).toBe('failed')
    for (const project of ['r2', 'r3', 'r4']) {
      expect(projectResult(result, project)).toMatchObject({
        status: 'skipped',
        outcome: 'not-planned'
      })
    }
    const said = [
      ...log.lines,
      ...log.warnings.map(warning => warning.message),
      JSON.stringify(result)
    ]
    expect(said.filter(text => /defer/i.test(text))).toEqual([])
  })
})

describe('a result read alone', () => {
  test('tells a commit, a pending pull request, a refusal and a deferral apart', async () => {
    await changeGuide()
    // One project at a time, in creation order; the token is rejected on the third project's
    // first read, so the fourth is never started.
    fake.addFault({
      kind: 'status',
      status: 401,
      times: 1,
      match: { path: new RegExp(`/repos/${ORG}/locked/git/trees/`) }
    })
    const { result } = await pushDocs({
      target_repository: 'plain,guarded,locked,later',
      commit_strategy: 'auto',
      parallel: '1'
    })
    fake.clearFaults()
    const json = JSON.parse(JSON.stringify(result)) as { projects: ProjectResult[] }
    const read = Object.fromEntries(
      json.projects
        .filter(project => project.outcome !== 'not-targeted')
        .map(project => [project.project, told(project)])
    )
    expect(read).toEqual({
      plain: 'a commit on the default branch',
      guarded: 'changes waiting for review in a pull request',
      locked: 'refused: nothing written',
      later: 'deferred to the next run'
    })
    // And git agrees.
    expect(
      (await fake.commitInfo(ORG, 'plain', (await fake.head(ORG, 'plain', 'main')) as string))
        .parents
    ).toHaveLength(1)
    expect(fake.pulls(ORG, 'guarded').filter(pull => pull.state === 'open')).toHaveLength(1)
  })

  test('a pull request that waits is named on every run until it is merged or closed', async () => {
    const { result } = await pushDocs({ target_repository: 'guarded', commit_strategy: 'auto' })
    const [pull] = fake.pulls(ORG, 'guarded').filter(each => each.state === 'open')
    expect(projectResult(result, 'guarded')).toMatchObject({
      status: 'unchanged',
      outcome: 'waiting-for-review',
      pull_request_number: pull?.number,
      pull_request_url: pull?.html_url
    })
    expect(summaryMarkdown(result)).toContain(
      `waiting for review in [#${pull?.number}](${pull?.html_url})`
    )
  })
})

/** What an operator reads in one project entry of the result JSON, without anything else. */
function told(project: ProjectResult): string {
  switch (project.outcome) {
    case 'committed':
      return 'a commit on the default branch'
    case 'pull-request':
    case 'waiting-for-review':
      return 'changes waiting for review in a pull request'
    case 'failed':
      return 'refused: nothing written'
    case 'deferred':
      return 'deferred to the next run'
    default:
      return project.outcome
  }
}

describe('setup, projects and aftermath fail apart', () => {
  test('a state that cannot be saved is a warning on a result that keeps every project', async () => {
    await changeGuide()
    fake.addFault({
      kind: 'status',
      status: 403,
      times: 5,
      match: { method: 'POST', path: new RegExp(`/repos/${ORG}/${CODEX}/git/trees$`) }
    })
    const { result } = await pushDocs({ target_repository: 'r4', state_key: STATE_KEY })
    fake.clearFaults()
    expect(result.status).toBe('success')
    expect(projectResult(result, 'r4')).toMatchObject({ status: 'synced', outcome: 'committed' })
    expect(result.commits_created).toBe(1)
    expect(result.warnings.some(warning => /codex state was not saved/.test(warning))).toBe(true)
    expect(summaryMarkdown(result)).toContain('**Warning:** The codex state was not saved')
  })
})

describe('GraphQL switched off', () => {
  test('is said once, with what it costs, and the run goes on over REST', async () => {
    await changeGuide()
    fake.addFault({ kind: 'status', status: 404, times: 1, match: { path: /\/graphql$/ } })
    fake.clearLog()
    const { result } = await pushDocs({ target_repository: 'r4' })
    fake.clearFaults()
    expect(result.status).toBe('success')
    expect(projectResult(result, 'r4').status).toBe('synced')
    const said = result.warnings.filter(warning => /GraphQL is not usable/.test(warning))
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/three writes/)
    expect(fake.log.filter(entry => entry.path === '/graphql')).toHaveLength(1)
  })
})

describe('codex_ref plans what the ref holds', () => {
  test('a pull request that repairs a broken config on the branch can be planned', async () => {
    await fake.commit(ORG, CODEX, 'test', { '.github/codex-sync.yml': 'no_such_key: 1\n' })
    const broken = await pushDocs({ target_repository: 'r4' })
    expect(broken.result.status).toBe('failure')
    expect(broken.result.error).toMatch(/no_such_key/)

    await fake.commit(ORG, CODEX, 'repair', {
      '.github/codex-sync.yml': 'claude_namespace: acme\n'
    })
    const head = (await fake.head(ORG, CODEX, 'repair')) as string
    const { result } = await pushDocs({ target_repository: 'r4', codex_ref: head })
    expect(result.status).toBe('success')
    expect(result.dry_run).toBe(true)
    await fake.commit(ORG, CODEX, 'test', { '.github/codex-sync.yml': 'claude_namespace: acme\n' })
  })
})

describe('a codex file that cannot be read', () => {
  test('goes nowhere new and deletes nothing; the run and its projects go on', async () => {
    const guide = await changeGuide()
    await pushDocs({ target_repository: 'r4' })
    expect(await fake.text(ORG, 'r4', 'main', '.codex/docs/guide.md')).toContain(guide)
    await fake.commit(ORG, CODEX, 'test', {
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide unread\n')
    })
    fake.addFault({ kind: 'status', status: 403, times: 1, match: { body: /codexSyncBlobs/ } })
    fake.addFault({ kind: 'status', status: 403, times: 1, match: { path: /\/git\/blobs\// } })
    const { result } = await pushDocs({ target_repository: 'r4' })
    fake.clearFaults()
    expect(result.status).toBe('success')
    expect(projectResult(result, 'r4').outcome).toBe('in-sync')
    expect(await fake.text(ORG, 'r4', 'main', '.codex/docs/guide.md')).toContain(guide)
    expect(result.warnings.some(warning => /docs\/guide.md cannot be read now/.test(warning))).toBe(
      true
    )
  })
})
