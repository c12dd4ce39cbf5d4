import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { doc } from '../__fixtures__/builders.js'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { movedBranches, projectResult, sync } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'

let fake: FakeGitHub

// Ownership has a boundary: a file standing where an owned folder goes is never replaced.
describe('a file in the way of an owned folder', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'deletion_threshold: 10\n',
        'docs/all.md': doc('codex_sync_include: [*]'),
        'projects/README.md': '# What projects/ holds\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    await fake.createRepo(ORG, 'web', {
      files: { 'README.md': '# Web\n', '.codex': 'not a folder\n' }
    })
    await fake.createRepo(ORG, 'README.md', {
      files: { 'README.md': '# A repository named README.md\n' }
    })
  })
  afterAll(() => fake.stop())

  test('push-docs: the project with a file named .codex fails, naming it; the others sync', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-docs', codex_repository: CODEX })

    const web = projectResult(result, 'web')
    expect(web.status).toBe('failed')
    expect(web.error).toBe("'.codex' is a file where codex-sync writes the folder '.codex/'")
    expect(web.resolution).toContain("Move or remove '.codex'")
    expect(projectResult(result, 'api').status).toBe('synced')
    expect(Object.keys(await fake.files(ORG, 'web', 'main')).sort()).toEqual([
      '.codex',
      'README.md'
    ])
    expect(movedBranches(fake)).toContain('api@main')
    expect(movedBranches(fake).filter(moved => moved.startsWith('web@'))).toEqual([])
  })

  test('pull-docs: a repository named README.md never replaces the codex file projects/README.md', async () => {
    const { result } = await sync(fake, { mode: 'pull-docs', codex_repository: CODEX })

    const clash = projectResult(result, 'README.md')
    expect(clash.status).toBe('failed')
    expect(clash.error).toBe(
      "'projects/README.md' is a file where codex-sync writes the folder 'projects/README.md/'"
    )
    const codex = await fake.files(ORG, CODEX, 'test')
    expect(codex['projects/README.md']).toBeDefined()
    expect(codex['projects/api/README.md']).toBeDefined()
  })
})

// Names GitHub compares case-insensitively, and paths git allows that tools often drop.
describe('case variants and odd file names', () => {
  let odd: FakeGitHub

  beforeAll(async () => {
    odd = await FakeGitHub.start()
    await odd.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'claude_namespace: acme\n',
        'projects/Web/docs/own.md': doc('codex_sync_include: [*]', 'web pulled this\n'),
        '.claude/commands/acme/run.md': 'run\n'
      }
    })
    await odd.commit(ORG, CODEX, 'test', {})
    await odd.createRepo(ORG, 'web', {
      files: { 'README.md': '# web\n', 'docs/line\nbreak.md': 'a newline in its name\n' }
    })
    await odd.createRepo(ORG, 'api', {
      files: { 'README.md': '# api\n', '.claude/commands/ACME': 'a file, in another case\n' }
    })
  })
  afterAll(() => odd.stop())

  test("a codex folder projects/Web/ never goes back to repository 'web'", async () => {
    const { result } = await sync(odd, { mode: 'push-docs', codex_repository: CODEX })
    expect(projectResult(result, 'api').status).toBe('synced')
    expect(
      Object.keys(await odd.files(ORG, 'web', 'main')).some(path => path.startsWith('.codex/'))
    ).toBe(false)
    expect(await odd.text(ORG, 'api', 'main', '.codex/projects/Web/docs/own.md')).toContain(
      'web pulled this'
    )
  })

  test('a file whose name holds a newline (git allows it, GitHub refuses it) is named, and the rest is pulled', async () => {
    const { result, log } = await sync(odd, {
      mode: 'pull-docs',
      codex_repository: CODEX,
      target_repository: 'web'
    })
    expect(projectResult(result, 'web')).toMatchObject({ status: 'synced', files_added: 1 })
    expect(await odd.text(ORG, CODEX, 'test', 'projects/web/README.md')).toBe('# web\n')
    expect(
      log.lines.some(line =>
        line.startsWith('web: docs/line\nbreak.md is not carried: its name holds a newline')
      )
    ).toBe(true)
  })

  test("a whole-organisation pull never takes projects/Web/ for the folder of a vanished repository: 'web' exists", async () => {
    const { result } = await sync(odd, { mode: 'pull-docs', codex_repository: CODEX })
    expect(result.status).toBe('success')
    expect(result.orphans).toBeUndefined()
    expect(await odd.text(ORG, CODEX, 'test', 'projects/Web/docs/own.md')).toContain(
      'web pulled this'
    )
  })
})
