import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { projectResult, sync, writes } from '../__fixtures__/harness.js'

const ORG = 'acme'
const CODEX = 'codex.acme.io'

let fake: FakeGitHub

const claudeFiles = async (project: string) => {
  const files = await fake.files(ORG, project, 'main')
  return Object.fromEntries(
    Object.entries(files)
      .filter(([path]) => path.startsWith('.claude/'))
      .map(([path, file]) => [path, file.mode])
  )
}

describe('push-claude', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await fake.createRepo(ORG, CODEX, {
      files: {
        '.github/codex-sync.yml': 'claude_namespace: acme\n',
        '.claude/agents/acme/codex/manager.md': '---\nname: manager\n---\nagent\n',
        '.claude/commands/acme/codex/sync.md': 'command\n',
        '.claude/hooks/acme/pre.sh': { content: '#!/bin/sh\n', mode: '100755' },
        '.claude/scripts/acme/codex/discover.sh': {
          content: '#!/bin/sh\necho codex\n',
          mode: '100755'
        },
        '.claude/agents/acme/api-only.md': '---\ncodex_sync_include: [api]\n---\napi\n',
        '.claude/agents/acme/not-web.md': '---\ncodex_sync_exclude: [web]\n---\nnot web\n',
        '.claude/agents/acme/broken.md': '---\ncodex_sync_include: [api\n---\nbroken\n',
        '.claude/agents/acme/link.md': { symlink: 'codex/manager.md' },
        '.claude/agents/other/x.md': 'other namespace\n',
        '.claude/settings.json': '{}\n',
        'docs/guide.md': '---\ncodex_sync_include: [*]\n---\nguide\n'
      }
    })
    await fake.commit(ORG, CODEX, 'test', {})
    await fake.createRepo(ORG, 'api', { files: { 'README.md': '# API\n' } })
    await fake.createRepo(ORG, 'web', {
      files: {
        'README.md': '# Web\n',
        '.claude/agents/web-own.md': 'mine\n',
        '.claude/agents/other/y.md': 'other namespace of the project\n',
        '.claude/agents/acme/stale.md': 'stale\n'
      }
    })
  })
  afterAll(() => fake.stop())

  test('the namespace reaches every project at the same paths, modes kept, frontmatter respected', async () => {
    const { result, log } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })

    expect(result.status).toBe('success')
    expect(await claudeFiles('api')).toEqual({
      '.claude/agents/acme/api-only.md': '100644',
      '.claude/agents/acme/codex/manager.md': '100644',
      '.claude/agents/acme/not-web.md': '100644',
      '.claude/commands/acme/codex/sync.md': '100644',
      '.claude/hooks/acme/pre.sh': '100755',
      '.claude/scripts/acme/codex/discover.sh': '100755'
    })
    expect(await claudeFiles('web')).toEqual({
      '.claude/agents/acme/codex/manager.md': '100644',
      '.claude/agents/other/y.md': '100644',
      '.claude/agents/web-own.md': '100644',
      '.claude/commands/acme/codex/sync.md': '100644',
      '.claude/hooks/acme/pre.sh': '100755',
      '.claude/scripts/acme/codex/discover.sh': '100755'
    })
    expect(projectResult(result, 'web')).toMatchObject({ status: 'synced', files_deleted: 1 })
    expect(await fake.text(ORG, 'api', 'main', '.claude/scripts/acme/codex/discover.sh')).toBe(
      '#!/bin/sh\necho codex\n'
    )
    expect(log.warnings.map(warning => warning.properties?.file)).toEqual([
      '.claude/agents/acme/broken.md'
    ])
  })

  test('a rerun with nothing changed writes nothing', async () => {
    fake.clearLog()
    const { result } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })
    expect(writes(fake)).toEqual([])
    expect(result.status).toBe('success')
    expect(result.projects.map(project => project.status)).toEqual(['unchanged', 'unchanged'])
  })

  test('a mode change alone is synced', async () => {
    await fake.commit(ORG, CODEX, 'test', {
      '.claude/commands/acme/codex/sync.md': { content: 'command\n', mode: '100755' }
    })
    const { result } = await sync(fake, { mode: 'push-claude', codex_repository: CODEX })
    expect(projectResult(result, 'api')).toMatchObject({ status: 'synced', files_modified: 1 })
    expect((await claudeFiles('api'))['.claude/commands/acme/codex/sync.md']).toBe('100755')
  })
  test("push-docs and push-claude share one pull request and never close each other's", async () => {
    await fake.createRepo(ORG, 'svc', { files: { 'README.md': '# svc\n' } })
    const both = {
      codex_repository: CODEX,
      target_repository: 'svc',
      commit_strategy: 'pull-request'
    }
    const docs = await sync(fake, { ...both, mode: 'push-docs' })
    const pullUrl = projectResult(docs.result, 'svc').pull_request_url
    expect(pullUrl).toBeDefined()

    const claude = await sync(fake, { ...both, mode: 'push-claude' })
    expect(projectResult(claude.result, 'svc')).toMatchObject({
      status: 'synced',
      pull_request_url: pullUrl
    })
    expect(fake.pulls(ORG, 'svc').map(pull => pull.state)).toEqual(['open'])
    const offered = await fake.files(ORG, 'svc', 'codex-sync/test')
    expect(offered['.codex/docs/guide.md']).toBeDefined()
    expect(offered['.claude/agents/acme/codex/manager.md']).toBeDefined()

    fake.clearLog()
    for (const mode of ['push-docs', 'push-claude']) {
      const rerun = await sync(fake, { ...both, mode })
      expect(projectResult(rerun.result, 'svc')).toMatchObject({
        status: 'unchanged',
        pull_request_url: pullUrl
      })
    }
    expect(writes(fake)).toEqual([])

    // Once the default branch has what the pull request offers (as after a merge), it is closed.
    const merged = Object.fromEntries(
      Object.entries(offered)
        .filter(([path]) => path.startsWith('.codex/') || path.startsWith('.claude/'))
        .map(([path, file]) => [
          path,
          { content: file.content, mode: file.mode as '100644' | '100755' }
        ])
    )
    await fake.commit(ORG, 'svc', 'main', merged)
    const after = await sync(fake, { ...both, mode: 'push-claude' })
    expect(projectResult(after.result, 'svc').status).toBe('unchanged')
    expect(fake.pulls(ORG, 'svc').map(pull => pull.state)).toEqual(['closed'])
  })
})
