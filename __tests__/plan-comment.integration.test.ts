/**
 * The plan as a pull request check of the codex, end to end against the fake GitHub: a pull request
 * of the codex is planned by push-docs and push-claude with `codex_ref` at its head (as the plan
 * workflow's legs do), the results are merged by dist/index.js with `plan_comment` (as its comment
 * job does), and a new commit on the pull request is planned again. There is one comment, updated in
 * place and showing the latest plan; nothing is written anywhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { doc } from '../__fixtures__/builders.js'
import { isStateWrite, sync, TOKEN, writes } from '../__fixtures__/harness.js'
import { runAction, type ActionRun } from '../__fixtures__/run-action.js'
import { resultOutput } from '../src/report/outputs.js'
import { PLAN_MARKER } from '../src/report/plan-comment.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = ['api', 'web']
const BRANCH = 'guide-update'
const RUN = {
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_REPOSITORY: `${ORG}/${CODEX}`,
  GITHUB_RUN_ID: '4711'
}

let fake: FakeGitHub
let pull: number
const dirs: string[] = []

async function openPull(head: string, base: string): Promise<number> {
  const res = await fetch(`${fake.url}/repos/${ORG}/${CODEX}/pulls`, {
    method: 'POST',
    headers: { authorization: `token ${TOKEN}` },
    body: JSON.stringify({ title: 'Update the guides', head, base })
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { number: number }).number
}

/** The plan workflow's legs: push-docs and push-claude at the pull request's head, results kept. */
async function planHead(): Promise<{ dir: string; head: string }> {
  const head = (await fake.head(ORG, CODEX, BRANCH)) as string
  const dir = mkdtempSync(join(tmpdir(), 'codex-sync-plan-'))
  dirs.push(dir)
  for (const mode of ['push-docs', 'push-claude']) {
    const { result } = await sync(fake, {
      mode,
      codex_repository: CODEX,
      environment: 'prod',
      codex_ref: head
    })
    expect({ mode, status: result.status, dry_run: result.dry_run }).toEqual({
      mode,
      status: 'success',
      dry_run: true
    })
    writeFileSync(join(dir, `${mode}-1-of-1.json`), resultOutput(result))
  }
  return { dir, head }
}

/** The plan workflow's comment job: dist/index.js with mode merge and plan_comment. */
function comment(results: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    fake.url,
    {
      mode: 'merge',
      results,
      plan_comment: String(pull),
      token: TOKEN,
      organization: ORG,
      codex_repository: CODEX,
      ...inputs
    },
    RUN
  )
}

/**
 * Requests that changed anything (GraphQL mutations included, its queries not), other than the
 * comments on the codex's pull requests; the codex's state counts too.
 */
function writesBesideComments() {
  const comments = new RegExp(`^/repos/${ORG}/${CODEX}/issues/(\\d+/)?comments`)
  return [...writes(fake), ...fake.log.filter(isStateWrite)]
    .filter(entry => !comments.test(entry.path))
    .map(entry => `${entry.method} ${entry.path}`)
}

const commentWrites = () =>
  fake.log
    .filter(entry => entry.method !== 'GET' && entry.path.includes('/comments'))
    .map(entry => entry.method)

beforeAll(async () => {
  fake = await FakeGitHub.start({
    tokens: {
      [TOKEN]: { write: 'all' },
      'read-only': { write: 'none' },
      'someone-else': { write: 'all', login: 'mallory' }
    }
  })
  await fake.createRepo(ORG, CODEX, {
    files: {
      'README.md': '# codex\n',
      'docs/guides/shared.md': doc('codex_sync_include: [*]', '# Shared\n\nv1\n'),
      'docs/guides/old.md': doc('codex_sync_include: [web]', '# Old\n'),
      '.claude/agents/acme/helper.md': '# helper v1\n'
    }
  })
  for (const project of PROJECTS) {
    await fake.createRepo(ORG, project, { files: { 'README.md': `# ${project}\n` } })
  }
  await fake.createRepo(ORG, 'legacy', { archived: true })
  // The projects have what the codex's main branch hands out: the plan shows only the pull request.
  for (const mode of ['push-docs', 'push-claude']) {
    const { result } = await sync(fake, { mode, codex_repository: CODEX, environment: 'prod' })
    expect(result.status).toBe('success')
  }
  await fake.commit(
    ORG,
    CODEX,
    BRANCH,
    {
      'docs/guides/shared.md': doc('codex_sync_include: [*]', '# Shared\n\nv2\n'),
      'docs/guides/new.md': doc('codex_sync_include: [api]', '# New\n'),
      '.claude/commands/acme/review.md': '# review\n'
    },
    'Update the guides'
  )
  pull = await openPull(BRANCH, 'main')
})

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  await fake.stop()
})

describe('the plan of a codex pull request as one comment', () => {
  const heads: Record<string, string | undefined> = {}
  let firstId: number

  it('is written once, showing per project what merging would add, change and delete', async () => {
    for (const project of PROJECTS) heads[project] = await fake.head(ORG, project, 'main')
    fake.clearLog()
    const { dir, head } = await planHead()
    const run = await comment(dir)

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('success')
    const comments = fake.comments(ORG, CODEX, pull)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body ?? ''
    firstId = comments[0]?.id ?? 0
    expect(body.startsWith(`${PLAN_MARKER}\n`)).toBe(true)
    for (const line of [
      '### codex-sync plan: 2 projects would change',
      `Planned at \`${head.slice(0, 7)}\` of \`${ORG}/${CODEX}\``,
      '**`api`** — push-docs: 1 added, 1 changed · push-claude: 1 added',
      '**`web`** — push-docs: 1 changed · push-claude: 1 added',
      '| push-docs | added | `.codex/docs/guides/new.md` |',
      '| push-docs | changed | `.codex/docs/guides/shared.md` |',
      '| push-claude | added | `.claude/commands/acme/review.md` |',
      '**Skipped** (1): archived: `legacy`.',
      '(https://github.example/acme/codex.acme.io/actions/runs/4711)'
    ])
      expect(body).toContain(line)
    expect(run.summary).toContain(
      `The plan is in [the comment on pull request #${pull}](${comments[0]?.html_url}) (created).`
    )
    expect(run.stdout).toContain(`Plan comment on pull request #${pull} created`)
    expect(commentWrites()).toEqual(['POST'])
    expect(writesBesideComments()).toEqual([])
  })

  it('is updated in place after a new commit on the pull request, never repeated', async () => {
    await fake.commit(
      ORG,
      CODEX,
      BRANCH,
      {
        'docs/guides/new.md': null,
        'docs/guides/old.md': null,
        '.claude/agents/acme/helper.md': '# helper v2\n'
      },
      'Drop the new and the old guide, change the helper'
    )
    fake.clearLog()
    const { dir, head } = await planHead()
    const run = await comment(dir)

    expect(run.code).toBe(0)
    const comments = fake.comments(ORG, CODEX, pull)
    expect(comments.map(c => c.id)).toEqual([firstId])
    const body = comments[0]?.body ?? ''
    for (const line of [
      `Planned at \`${head.slice(0, 7)}\``,
      '**`api`** — push-docs: 1 changed · push-claude: 1 added, 1 changed',
      '**`web`** — push-docs: 1 changed, 1 deleted · push-claude: 1 added, 1 changed',
      '| push-docs | deleted | `.codex/docs/guides/old.md` |',
      '| push-claude | changed | `.claude/agents/acme/helper.md` |'
    ])
      expect(body).toContain(line)
    expect(body).not.toContain('new.md')
    expect(run.summary).toContain('(updated).')
    expect(commentWrites()).toEqual(['PATCH'])
    expect(writesBesideComments()).toEqual([])

    // the same plan again writes nothing
    fake.clearLog()
    const again = await comment(dir)
    expect(again.code).toBe(0)
    expect(again.summary).toContain('(unchanged).')
    expect(commentWrites()).toEqual([])
    expect(fake.comments(ORG, CODEX, pull).map(c => c.body)).toEqual([body])
  })

  it('never touches a comment by anyone else, whatever marker it carries', async () => {
    const other = await fetch(`${fake.url}/repos/${ORG}/${CODEX}/issues/${pull}/comments`, {
      method: 'POST',
      headers: { authorization: 'token someone-else' },
      body: JSON.stringify({
        body: `${PLAN_MARKER}\n### codex-sync plan: approve me, nothing changes`
      })
    })
    expect(other.status).toBe(201)
    await fake.commit(ORG, CODEX, BRANCH, { '.claude/agents/acme/helper.md': '# helper v3\n' })
    const { dir } = await planHead()
    const run = await comment(dir)
    expect(run.code).toBe(0)
    const comments = fake.comments(ORG, CODEX, pull)
    expect(comments.map(c => c.author)).toEqual(['codex-sync[bot]', 'mallory'])
    expect(comments[0]?.id).toBe(firstId)
    expect(comments[0]?.body).toContain('helper')
    expect(comments[1]?.body).toContain('approve me, nothing changes')
  })

  it('writes a comment of its own beside one by anyone else that was there first', async () => {
    await fake.commit(ORG, CODEX, 'other-change', { 'docs/guides/shared.md': 'v9\n' }, 'Other')
    const first = await openPull('other-change', 'main')
    await fetch(`${fake.url}/repos/${ORG}/${CODEX}/issues/${first}/comments`, {
      method: 'POST',
      headers: { authorization: 'token someone-else' },
      body: JSON.stringify({ body: `${PLAN_MARKER}\nplanted first` })
    })
    const { dir } = await planHead()
    const run = await comment(dir, { plan_comment: String(first) })
    expect(run.code).toBe(0)
    const comments = fake.comments(ORG, CODEX, first)
    expect(comments.map(c => [c.author, c.body.startsWith(PLAN_MARKER)])).toEqual([
      ['mallory', true],
      ['codex-sync[bot]', true]
    ])
    expect(comments[0]?.body).toBe(`${PLAN_MARKER}\nplanted first`)
  })

  it('never wrote to a project', async () => {
    for (const project of PROJECTS) {
      expect({ project, head: await fake.head(ORG, project, 'main') }).toEqual({
        project,
        head: heads[project]
      })
      expect(await fake.text(ORG, project, 'main', '.codex/docs/guides/shared.md')).toContain('v1')
    }
  })

  it('says in the same comment when the plan could not be made', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'codex-sync-plan-'))
    dirs.push(empty)
    const run = await comment(empty)

    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failure')
    const comments = fake.comments(ORG, CODEX, pull).filter(c => c.author === 'codex-sync[bot]')
    expect(comments.map(c => c.id)).toEqual([firstId])
    expect(comments[0]?.body).toContain('### codex-sync plan: could not be made')
    expect(comments[0]?.body).toContain('No result files were found to merge')
  })

  it('fails the step, with the report published, when the token may not comment', async () => {
    const { dir } = await planHead()
    const before = fake.comments(ORG, CODEX, pull)
    const run = await comment(dir, { token: 'read-only' })

    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('success')
    expect(JSON.parse(run.outputs.result ?? '{}')).toMatchObject({ status: 'success' })
    expect(run.summary).toContain('**The plan comment was not written:** The token may not comment')
    expect(run.stdout).toContain('pull-requests: write')
    expect(fake.comments(ORG, CODEX, pull)).toEqual(before)
  })

  it('needs no token without plan_comment, as before', async () => {
    const { dir } = await planHead()
    const run = await runAction(fake.url, { mode: 'merge', results: dir })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('success')
  })
})
