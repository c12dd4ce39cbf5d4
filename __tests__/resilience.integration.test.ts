// Tokens that expire, answers cut short, limits that name their wait, and runs that converge after.
import { createSign } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { projectResult, sync } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = ['a1', 'a2', 'a3', 'a4']

let fake: FakeGitHub

const tokenMints = () =>
  fake.log.filter(
    entry =>
      entry.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(entry.path)
  )

beforeAll(async () => {
  fake = await FakeGitHub.start()
  await fake.createRepo(ORG, CODEX, {
    files: { 'docs/guide.md': doc('codex_sync_include: [*]', 'guide v1\n') }
  })
  await fake.commit(ORG, CODEX, 'test', {})
  for (const project of PROJECTS) {
    await fake.createRepo(ORG, project, { files: { 'README.md': `# ${project}\n` } })
  }
})
afterAll(() => fake.stop())

describe('GitHub App credentials', () => {
  test('the action finds the installation and mints a new token before the old one expires', async () => {
    const app = await fake.createApp({ owner: ORG, tokenTtlMs: 2_000 })
    // Slow answers make the run outlast one token.
    fake.addFault({ kind: 'latency', ms: 300 })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      token: '',
      app_id: app.appId,
      private_key: app.privateKey,
      parallel: '1'
    })
    fake.clearFaults()

    expect(result.status).toBe('success')
    expect(result.succeeded).toBe(PROJECTS.length)
    expect(fake.log.some(entry => entry.path === `/orgs/${ORG}/installation`)).toBe(true)
    expect(tokenMints().length).toBeGreaterThanOrEqual(2)
    expect(fake.log.filter(entry => entry.status === 401)).toEqual([])
    const tokens = new Set(
      fake.log.map(entry => entry.token).filter(token => token?.startsWith('ghs_'))
    )
    expect(tokens.size).toBeGreaterThanOrEqual(2)
  })

  test('an App that is not installed on the organisation stops the run with what to do', async () => {
    const elsewhere = await fake.createApp({ owner: 'other-org' })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      token: '',
      app_id: elsewhere.appId,
      private_key: elsewhere.privateKey
    })
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/not installed on acme/)
    expect(result.resolution).toMatch(/Install the App/)
  })

  test('a token rejected mid-run (one minted outside the action, which it cannot refresh): the project it stops fails, those not started are deferred; the rerun converges', async () => {
    const app = await fake.createApp({ owner: ORG })
    const minted = await fetch(
      `${fake.url}/app/installations/${app.installationId}/access_tokens`,
      {
        method: 'POST',
        headers: { authorization: `bearer ${jwtFor(app.appId, app.privateKey)}` }
      }
    ).then(response => response.json() as Promise<{ token: string }>)
    await fake.commit(ORG, CODEX, 'test', {
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide v2\n')
    })
    // GitHub answers 401 once the token's hour is over: here when the second project is read.
    fake.addFault({
      kind: 'status',
      status: 401,
      times: 1,
      match: { path: new RegExp(`/repos/${ORG}/a2/git/trees/`) }
    })
    const { result, log } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      token: minted.token,
      parallel: '1'
    })
    fake.clearFaults()

    // One project at a time, in the listing's order. The project the rejection met says so; a
    // refusal is never recoloured as a deferral, nor a project never started as a failure.
    expect(result.projects.map(project => [project.project, project.outcome])).toEqual([
      ['a1', 'committed'],
      ['a2', 'failed'],
      ['a3', 'deferred'],
      ['a4', 'deferred']
    ])
    const failed = projectResult(result, 'a2')
    expect(failed.error).toMatch(/rejected the token/)
    expect(projectResult(result, 'a3').reason).toMatch(/rejected the token/)
    expect(result.status).toBe('partial_success')
    expect(log.warnings.some(warning => /rejected the token/.test(warning.message))).toBe(true)

    const rerun = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(rerun.result.status).toBe('success')
    for (const project of PROJECTS) {
      expect(await fake.text(ORG, project, 'main', '.codex/docs/guide.md')).toContain('guide v2')
    }
  })
})

describe('broken answers', () => {
  test('answers closed mid-body are read again, and the sync completes', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide v3\n')
    })
    fake.addFault({
      kind: 'truncated-body',
      times: 1,
      match: { method: 'GET', path: /\/git\/trees\// }
    })
    fake.addFault({ kind: 'truncated-body', times: 1, match: { path: /\/graphql$/ } })
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    fake.clearFaults()
    expect(result.status).toBe('success')
    for (const project of PROJECTS) {
      expect(await fake.text(ORG, project, 'main', '.codex/docs/guide.md')).toContain('guide v3')
    }
  })

  test('a 429 naming retry-after is waited out for the time it names', async () => {
    fake.addFault({
      kind: 'status',
      status: 429,
      retryAfter: 2,
      times: 1,
      match: { method: 'GET', path: new RegExp(`/repos/${ORG}/${CODEX}/git/trees/`) }
    })
    fake.clearLog()
    const { result, log } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'a1'
    })
    fake.clearFaults()
    expect(projectResult(result, 'a1').status).toBe('unchanged')
    const attempts = fake.log.filter(entry =>
      entry.path.startsWith(`/repos/${ORG}/${CODEX}/git/trees/`)
    )
    expect(attempts.map(entry => entry.status)).toEqual([429, 200])
    expect((attempts[1]?.time ?? 0) - (attempts[0]?.time ?? 0)).toBeGreaterThanOrEqual(1_900)
    expect(log.warnings.some(warning => /waiting 2 s/.test(warning.message))).toBe(true)
  })
})

/** A JWT for the App, signed with its key: what a workflow step minting its own token sends. */
function jwtFor(appId: string, privateKey: string): string {
  const now = Math.floor(Date.now() / 1000)
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 30, exp: now + 300, iss: appId })}`
  const signature = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url')
  return `${body}.${signature}`
}

describe('races and odd repositories', () => {
  test('a repository deleted during the run is named as such; the others are synced', async () => {
    await fake.createRepo(ORG, 'doomed', { files: { 'README.md': '# doomed\n' } })
    await fake.commit(ORG, CODEX, 'test', {
      'docs/guide.md': doc('codex_sync_include: [*]', 'guide v4\n')
    })
    fake.addFault({
      kind: 'delete-repo',
      owner: ORG,
      repo: 'doomed',
      match: { method: 'GET', path: new RegExp(`^/repos/${ORG}/doomed/git/trees/`) }
    })
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    const doomed = projectResult(result, 'doomed')
    expect(doomed.status).toBe('failed')
    expect(doomed.error).toBe(
      `Repository ${ORG}/doomed no longer exists: it was deleted, renamed or hidden from the token during the run.`
    )
    expect(projectResult(result, 'a1').status).toBe('synced')
  })

  test('two first runs racing to create the environment branch: the later one uses it and goes on', async () => {
    fake.addFault({
      kind: 'create-ref-race',
      owner: ORG,
      repo: CODEX,
      ref: 'refs/heads/stage',
      changes: { 'notes/other-run.md': 'made by the other run\n' }
    })
    await fake.commit(ORG, CODEX, 'main', {
      '.github/codex-sync.yml': 'environments:\n  stage: { branch: stage }\n'
    })
    const { result, log } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      environment: 'stage',
      target_repository: 'a1'
    })
    expect(result.status).toBe('success')
    expect(log.lines.some(line => /created by another run meanwhile/.test(line))).toBe(true)
    const files = await fake.files(ORG, CODEX, 'stage')
    expect(files['notes/other-run.md']?.content.toString()).toBe('made by the other run\n')
    expect(files['projects/a1/README.md']?.content.toString()).toBe('# a1\n')
  })

  test('a 12 MB binary file arrives byte for byte (read raw, never as base64 inside JSON)', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024)
    for (let index = 0; index < big.length; index += 4096) big[index] = index % 251
    await fake.commit(ORG, CODEX, 'test', {
      '.github/codex-sync.yml': 'routes:\n  - { pattern: "docs/*.bin", include: [a1] }\n',
      'docs/big.bin': big
    })
    fake.clearLog()
    const { result } = await sync(fake, {
      mode: 'push-docs',
      codex_repository: CODEX,
      target_repository: 'a1'
    })
    expect(projectResult(result, 'a1').status).toBe('synced')
    const arrived = (await fake.files(ORG, 'a1', 'main'))['.codex/docs/big.bin']
    expect(arrived?.content.equals(big)).toBe(true)
  })
})
