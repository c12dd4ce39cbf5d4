// Only reviewed content decides what a project receives: a codex state written by anyone but this
// workflow (forged, malformed, moved by another run) changes nothing any project receives and fails
// nothing.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { sync, TOKEN, writes } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = ['web', 'api', 'billing']
const STATE_KEY = 'the-secret-only-this-workflow-holds'
const ROUTING = 'routing/test.json'

let fake: FakeGitHub

beforeAll(async () => {
  fake = await FakeGitHub.start({
    tokens: {
      [TOKEN]: { write: 'all' },
      // A fine-grained token given two projects and the codex: billing is out of its sight.
      scoped: {
        read: [`${ORG}/web`, `${ORG}/api`, `${ORG}/${CODEX}`],
        write: [`${ORG}/web`, `${ORG}/api`, `${ORG}/${CODEX}`]
      }
    }
  })
  await fake.createRepo(ORG, CODEX, {
    files: {
      '.github/codex-sync.yml': 'claude_namespace: acme\n',
      'docs/secret.md': doc('codex_sync_include: [web]', 'for web only\n'),
      'docs/all.md': doc('codex_sync_include: [*]', 'for everyone\n'),
      'docs/none.md': 'no frontmatter: goes nowhere\n'
    }
  })
  await fake.commit(ORG, CODEX, 'test', {})
  for (const project of PROJECTS) {
    await fake.createRepo(ORG, project, { files: { 'README.md': `# ${project}\n` } })
  }
})
afterAll(() => fake.stop())

const pushDocs = (inputs: Record<string, string> = {}) =>
  sync(fake, { mode: 'push-docs', codex_repository: CODEX, state_key: STATE_KEY, ...inputs })

/** What each project holds under `.codex/docs/`. */
async function received(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const project of PROJECTS) {
    const files = await fake.files(ORG, project, 'main')
    out[project] = Object.keys(files)
      .filter(path => path.startsWith('.codex/'))
      .sort()
  }
  return out
}

const EXPECTED = {
  api: ['.codex/docs/all.md'],
  billing: ['.codex/docs/all.md'],
  web: ['.codex/docs/all.md', '.codex/docs/secret.md']
}

/** Rewrites files of the state as anyone with push access to the codex could (no key needed). */
async function rewriteState(changes: Record<string, string>): Promise<void> {
  const head = await stateHead()
  const headers = { authorization: `token ${TOKEN}`, 'content-type': 'application/json' }
  const scratch = `forged-${Math.random().toString(36).slice(2)}`
  await fetch(`${fake.url}/repos/${ORG}/${CODEX}/git/refs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ref: `refs/heads/${scratch}`, sha: head })
  })
  const forged = await fake.commit(ORG, CODEX, scratch, changes)
  const moved = await fetch(`${fake.url}/repos/${ORG}/${CODEX}/git/refs/codex-sync/state`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ sha: forged, force: true })
  })
  expect(moved.status).toBe(200)
}

async function stateHead(): Promise<string> {
  const answer = await fetch(`${fake.url}/repos/${ORG}/${CODEX}/git/ref/codex-sync/state`, {
    headers: { authorization: `token ${TOKEN}` }
  })
  return ((await answer.json()) as { object: { sha: string } }).object.sha
}

async function routingFile(): Promise<{ version: number; mac: string; payload: string }> {
  const text = await fake.text(ORG, CODEX, 'refs/codex-sync/state', ROUTING)
  return JSON.parse(text ?? '{}') as { version: number; mac: string; payload: string }
}

/** A routing file as a holder of the key would sign it (the format the action writes). */
function signed(payload: string): string {
  const key = createHmac('sha256', 'codex-sync state key').update(STATE_KEY).digest()
  const mac = createHmac('sha256', key)
    .update(`codex-sync state\0${ORG}/${CODEX}\0${ROUTING}\0`)
    .update(payload)
    .digest('hex')
  return JSON.stringify({ version: 2, mac, payload })
}

const blobSha = async (path: string) =>
  (await fake.files(ORG, CODEX, 'test'))[path] &&
  (await import('../src/github/git-data.js')).gitBlobSha(
    Buffer.from((await fake.text(ORG, CODEX, 'test', path)) ?? '')
  )

describe('a codex state written by anyone but this workflow', () => {
  test('a forged routing sends a document nowhere its frontmatter does not name', async () => {
    const first = await pushDocs()
    expect(first.result.status).toBe('success')
    expect(await received()).toEqual(EXPECTED)

    // Everyone gets the secret document and the one without frontmatter: the payload is rewritten,
    // the signature (which needs the key) kept.
    const file = await routingFile()
    const payload = JSON.parse(file.payload) as {
      rules: unknown[]
      files: Record<string, number>
    }
    const everyone = payload.rules.push({ kind: 'frontmatter', rule: { include: ['*'] } }) - 1
    payload.files[(await blobSha('docs/secret.md')) as string] = everyone
    payload.files[(await blobSha('docs/none.md')) as string] = everyone
    await rewriteState({ [ROUTING]: JSON.stringify({ ...file, payload: JSON.stringify(payload) }) })

    fake.clearLog()
    const rerun = await pushDocs()
    expect(rerun.result.status).toBe('success')
    expect(writes(fake).filter(entry => !entry.path.includes(CODEX))).toEqual([])
    expect(await received()).toEqual(EXPECTED)
    const warnings = rerun.log.warnings.map(warning => warning.message)
    expect(warnings.filter(message => message.includes(ROUTING))).toHaveLength(1)
    expect(warnings.find(message => message.includes(ROUTING))).toMatch(/signature/)
  })

  test('without a key, the state is neither read nor written: every run reads the frontmatter', async () => {
    fake.clearLog()
    const keyless = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })
    expect(keyless.result.status).toBe('success')
    expect(await received()).toEqual(EXPECTED)
    // The routing came from the documents themselves, read a hundred to a query.
    const blobQueries = fake.log.filter(
      entry =>
        entry.path === '/graphql' &&
        /object\(oid:/.test(String((entry.body as { query?: unknown }).query))
    )
    expect(blobQueries.length).toBeGreaterThan(0)
    expect(keyless.log.warnings.filter(warning => warning.message.includes(ROUTING))).toEqual([])
  })

  test.each<[string, (payload: Record<string, unknown>) => unknown]>([
    [
      'an include that is a string',
      p => ({ ...p, rules: [{ kind: 'frontmatter', rule: { include: '*' } }] })
    ],
    [
      'an include that is a number',
      p => ({ ...p, rules: [{ kind: 'frontmatter', rule: { include: 7 } }] })
    ],
    [
      'an include that is a mapping',
      p => ({ ...p, rules: [{ kind: 'frontmatter', rule: { include: {} } }] })
    ],
    [
      'a glob that is empty',
      p => ({ ...p, rules: [{ kind: 'frontmatter', rule: { include: [''] } }] })
    ],
    [
      'a glob of unsupported syntax',
      p => ({ ...p, rules: [{ kind: 'frontmatter', rule: { include: ['a/b'] } }] })
    ],
    ['an unknown kind', p => ({ ...p, rules: [{ kind: 'everyone' }] })],
    ['an index past the rules', p => ({ ...p, files: { ['a'.repeat(40)]: 99 } })],
    ['a key that is no blob SHA', p => ({ ...p, files: { 'not-a-sha': 0 } })],
    ['another routing version', p => ({ ...p, routing_version: 999 })],
    ['another environment', p => ({ ...p, environment: 'prod' })],
    ['no payload at all', () => null]
  ])(
    'a signed routing with %s is dropped with one warning, and fails nothing',
    async (_, shape) => {
      await pushDocs()
      const file = await routingFile()
      const payload = JSON.parse(file.payload) as Record<string, unknown>
      const changed = shape(payload)
      await rewriteState({ [ROUTING]: signed(JSON.stringify(changed)) })
      const { result, log } = await pushDocs()
      expect(result.status).toBe('success')
      expect(result.failed).toBe(0)
      expect(await received()).toEqual(EXPECTED)
      const about = log.warnings.filter(warning => warning.message.includes(ROUTING))
      expect(about).toHaveLength(1)
      expect(about[0]?.message).toMatch(/not routings of codex files|not of version/)
    }
  )

  test.each<[string, string]>([
    ['projects that are an object', JSON.stringify({ version: 2, projects: { web: true } })],
    ['names that are no repository names', JSON.stringify({ version: 2, projects: ['../x', 7] })],
    ['text that is no JSON', 'not json {'],
    ['an unknown version', JSON.stringify({ version: 99, projects: ['web'] })],
    ['nothing but null', 'null']
  ])('deferrals with %s are dropped with one warning, and fail nothing', async (_, text) => {
    const path = 'deferred/test/push-docs/1-of-1.json'
    await rewriteState({ [path]: text })
    const { result, log } = await pushDocs()
    expect(result.status).toBe('success')
    expect(result.failed).toBe(0)
    expect(log.warnings.filter(warning => warning.message.includes(path))).toHaveLength(1)
  })

  test('deferrals of the earlier format (no version) are read as they are, without a warning', async () => {
    const path = 'deferred/test/push-docs/1-of-1.json'
    await rewriteState({ [path]: JSON.stringify({ projects: ['api'] }) })
    const { result, log } = await pushDocs()
    expect(result.status).toBe('success')
    expect(log.warnings.filter(warning => warning.message.includes(path))).toEqual([])
  })

  test('a state file of the old, unsigned format is not trusted', async () => {
    const payload = { version: 1, files: {} as Record<string, unknown> }
    payload.files[(await blobSha('docs/secret.md')) as string] = {
      kind: 'frontmatter',
      rule: { include: ['*'] }
    }
    await rewriteState({ [ROUTING]: JSON.stringify(payload) })
    const { result } = await pushDocs()
    expect(result.status).toBe('success')
    expect(await received()).toEqual(EXPECTED)
  })
})

describe('two runs saving the state at once', () => {
  test('the second merges what the first saved instead of overwriting it', async () => {
    // push-claude remembers the routing of .claude files, push-docs that of documents: the
    // first save of push-docs meets the ref that push-claude created meanwhile.
    await fake.commit(ORG, CODEX, 'test', {
      '.claude/agents/acme/helper.md': doc('codex_sync_include: [*]', 'helper\n')
    })
    await pushDocs()
    const deleted = await fetch(`${fake.url}/repos/${ORG}/${CODEX}/git/refs/codex-sync/state`, {
      method: 'DELETE',
      headers: { authorization: `token ${TOKEN}` }
    })
    expect(deleted.status).toBe(204)
    await sync(fake, { mode: 'push-claude', codex_repository: CODEX, state_key: STATE_KEY })
    const claudeRouting = (await fake.text(ORG, CODEX, 'refs/codex-sync/state', ROUTING)) as string
    const claudeHead = await stateHead()
    await fetch(`${fake.url}/repos/${ORG}/${CODEX}/git/refs/codex-sync/state`, {
      method: 'DELETE',
      headers: { authorization: `token ${TOKEN}` }
    })
    fake.addFault({
      kind: 'create-ref-race',
      owner: ORG,
      repo: CODEX,
      ref: 'refs/codex-sync/state',
      changes: { [ROUTING]: claudeRouting }
    })
    const { result } = await pushDocs()
    fake.clearFaults()
    expect(result.status).toBe('success')
    expect(claudeHead).not.toBe(await stateHead())

    const merged = JSON.parse((await routingFile()).payload) as { files: Record<string, number> }
    const shas = Object.keys(merged.files)
    expect(shas).toContain(await blobSha('.claude/agents/acme/helper.md'))
    expect(shas).toContain(await blobSha('docs/secret.md'))

    // Both modes rerun without reading a single document again.
    fake.clearLog()
    await sync(fake, { mode: 'push-claude', codex_repository: CODEX, state_key: STATE_KEY })
    await pushDocs()
    const blobQueries = fake.log.filter(
      entry =>
        entry.path === '/graphql' &&
        /object\(oid:/.test(String((entry.body as { query?: unknown }).query))
    )
    expect(blobQueries).toEqual([])
  })
})

describe('the codex folders of repositories a run does not list', () => {
  const codexHas = async (path: string) => (await fake.text(ORG, CODEX, 'test', path)) !== undefined

  test('a token that cannot see a repository keeps its docs in the codex', async () => {
    await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })
    await fake.commit(ORG, CODEX, 'test', { 'projects/gone/README.md': '# gone\n' })
    expect(await codexHas('projects/billing/README.md')).toBe(true)

    fake.clearLog()
    const { result, log } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      token: 'scoped'
    })
    expect(result.status).toBe('success')
    expect(result.orphans).toMatchObject({
      status: 'kept',
      folders: ['projects/billing/', 'projects/gone/'],
      files_deleted: 0
    })
    expect(result.files_deleted).toBe(0)
    expect(await codexHas('projects/billing/README.md')).toBe(true)
    expect(await codexHas('projects/gone/README.md')).toBe(true)
    expect(log.warnings.some(warning => /were kept.*prune_orphans/s.test(warning.message))).toBe(
      true
    )
    expect(writes(fake)).toEqual([])
  })

  test('an App installed on every repository proves what is gone: only that folder goes', async () => {
    const app = await fake.createApp({ owner: ORG })
    const { result } = await sync(fake, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      token: '',
      app_id: app.appId,
      private_key: app.privateKey
    })
    expect(result.status).toBe('success')
    expect(result.orphans).toMatchObject({
      status: 'removed',
      folders: ['projects/gone/'],
      files_deleted: 1
    })
    expect(result.files_deleted).toBe(1)
    expect(await codexHas('projects/gone/README.md')).toBe(false)
    expect(await codexHas('projects/billing/README.md')).toBe(true)
  })
})
