/**
 * The codex template (examples/codex/) as a real codex: its files seed a codex on the fake GitHub
 * server next to three projects, and pull-docs, push-docs and push-claude run through the engine.
 * The config parses, the routed guide reaches exactly the projects its frontmatter names, the Claude
 * agent, command and script arrive in every project as they are in the template (the script still
 * executable), every frontmatter parses, and a second round writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { FakeGitHub, type FileTree } from '../__fixtures__/fake-github/index.js'
import { sync, writes } from '../__fixtures__/harness.js'
import { seedSampleOrg } from '../__fixtures__/sample-org.js'
import { parseConfig } from '../src/inputs/config.js'
import { ROOT } from './workflow-files.js'

const TEMPLATE = path.join(ROOT, 'examples', 'codex')
const ORG = 'acme'
const CODEX = 'codex.acme.io'
const PROJECTS = ['api', 'web', 'sandbox-demo']
/** The guide's frontmatter: codex_sync_include: [*], codex_sync_exclude: [sandbox-*]. */
const GUIDE = 'docs/guides/codex-sync-guide.md'
const ROUTED = ['api', 'web']

/** Every file of the template, path -> content and mode (100755 where executable). */
function templateFiles(dir = TEMPLATE): FileTree {
  const files: FileTree = {}
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    const stats = statSync(full)
    if (stats.isDirectory()) {
      Object.assign(files, templateFiles(full))
    } else {
      const mode = (stats.mode & 0o111) !== 0 ? '100755' : '100644'
      files[path.relative(TEMPLATE, full).split(path.sep).join('/')] = {
        content: readFileSync(full),
        mode
      }
    }
  }
  return files
}

const template = templateFiles()
const claudeFiles = Object.keys(template)
  .filter(file => file.startsWith('.claude/'))
  .sort()

let fake: FakeGitHub

beforeAll(async () => {
  fake = await FakeGitHub.start()
  await fake.createRepo(ORG, CODEX, { files: template })
  for (const project of PROJECTS) {
    await fake.createRepo(ORG, project, {
      files: {
        'README.md': `# ${project}\n`,
        'docs/overview.md': `# ${project} overview\n`,
        'src/index.ts': 'export {}\n'
      }
    })
  }
})
afterAll(() => fake.stop())

async function run(mode: string) {
  const { result, log } = await sync(fake, { mode, codex_repository: CODEX })
  expect({ mode, status: result.status, failures: result.failures }).toEqual({
    mode,
    status: 'success',
    failures: []
  })
  expect({ mode, warnings: log.warnings.map(warning => warning.message) }).toEqual({
    mode,
    warnings: []
  })
  return result
}

async function filesUnder(project: string, folder: string) {
  const files = await fake.files(ORG, project, 'main')
  return Object.fromEntries(
    Object.entries(files)
      .filter(([file]) => file.startsWith(folder))
      .map(([file, info]) => [file, info.mode])
  )
}

describe('the codex template as a codex', () => {
  it('ships the files the README lists, the discovery script executable', () => {
    expect(Object.keys(template).sort()).toEqual([
      '.claude/agents/acme/codex/codex-sync-manager.md',
      '.claude/commands/acme/codex/codex-sync-project.md',
      '.claude/scripts/acme/codex/codex-repo-discover.sh',
      '.github/codex-sync.yml',
      '.github/workflows/codex-sync-plan.yml',
      '.github/workflows/codex-sync.yml',
      GUIDE
    ])
    expect(template['.claude/scripts/acme/codex/codex-repo-discover.sh']).toMatchObject({
      mode: '100755'
    })
  })

  it("names no codex repository: the README's rename of the namespace leaves every text right", () => {
    const texts = Object.entries(template).map(([file, entry]) => ({
      file,
      text: (entry as { content: Buffer }).content.toString('utf8')
    }))
    expect(texts.filter(({ text }) => /codex\.acme\b/.test(text)).map(({ file }) => file)).toEqual(
      []
    )
  })

  it('has the Claude files of the demo codex (the sample organisation), by the same names', async () => {
    const demo = await FakeGitHub.start()
    try {
      const { org, codex } = await seedSampleOrg(demo)
      const files = Object.keys(await demo.files(org, codex, 'main'))
      expect(files.filter(file => /^\.claude\/[^/]+\/acme\//.test(file)).sort()).toEqual(
        claudeFiles
      )
    } finally {
      await demo.stop()
    }
  })

  it('has a config the action parses, with the namespace of its .claude folders', () => {
    const text = readFileSync(path.join(TEMPLATE, '.github', 'codex-sync.yml'), 'utf8')
    const config = parseConfig(text, 'another-org', 'examples/codex/.github/codex-sync.yml')
    expect(config.claudeNamespace).toBe('acme')
    expect(claudeFiles.every(file => file.split('/')[2] === config.claudeNamespace)).toBe(true)
  })

  it('pull-docs: every project reaches the codex, on the test branch it creates', async () => {
    await run('pull-docs')
    const codex = await fake.files(ORG, CODEX, 'test')
    for (const project of PROJECTS) {
      expect(Object.keys(codex)).toEqual(
        expect.arrayContaining([
          `projects/${project}/README.md`,
          `projects/${project}/docs/overview.md`
        ])
      )
    }
  })

  it('push-docs: the routed guide reaches exactly the projects its frontmatter names', async () => {
    await run('push-docs')
    const guide = readFileSync(path.join(TEMPLATE, GUIDE), 'utf8')
    for (const project of PROJECTS) {
      const expected = ROUTED.includes(project) ? { [`.codex/${GUIDE}`]: '100644' } : {}
      expect({ project, files: await filesUnder(project, '.codex/') }).toEqual({
        project,
        files: expected
      })
      if (ROUTED.includes(project)) {
        expect(await fake.text(ORG, project, 'main', `.codex/${GUIDE}`)).toBe(guide)
      }
    }
  })

  it('push-claude: the agent, the command and the script arrive in every project as they are', async () => {
    await run('push-claude')
    const modes = Object.fromEntries(
      claudeFiles.map(file => [file, (template[file] as { mode: string }).mode])
    )
    for (const project of PROJECTS) {
      expect({ project, files: await filesUnder(project, '.claude/') }).toEqual({
        project,
        files: modes
      })
      for (const file of claudeFiles) {
        expect(await fake.text(ORG, project, 'main', file)).toBe(
          readFileSync(path.join(TEMPLATE, file), 'utf8')
        )
      }
    }
  })

  it('the codex itself and its workflow stay where they are; a second round writes nothing', async () => {
    for (const project of PROJECTS) {
      expect(await filesUnder(project, '.github/')).toEqual({})
    }
    const before = writes(fake).length
    for (const mode of ['pull-docs', 'push-docs', 'push-claude']) {
      const result = await run(mode)
      const statuses = Object.fromEntries(
        result.projects.map(project => [project.project, project.status])
      )
      expect(statuses).toEqual(Object.fromEntries(PROJECTS.map(name => [name, 'unchanged'])))
    }
    expect(writes(fake).length).toBe(before)
  })
})
