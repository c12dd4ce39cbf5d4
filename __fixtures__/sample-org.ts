// A small, realistic organisation for the demo and the integration tests.
import { FakeGitHub, git } from './fake-github/index.js'
import type { FileTree } from './fake-github/index.js'

const frontmatter = (org: string, title: string, include: string, exclude: string): string =>
  [
    '---',
    `org: ${org}`,
    `system: codex.${org}.io`,
    `title: ${title}`,
    `description: ${title} for ${org} projects`,
    `codex_sync_include: ${include}`,
    `codex_sync_exclude: ${exclude}`,
    'tags: [guide, codex]',
    'created: 2025-09-30',
    'updated: 2025-09-30',
    'visibility: internal',
    'audience: [agents]',
    '---',
    ''
  ].join('\n')

/** A few bytes of a PNG, including 0x00 and 0xff, that break any UTF-8 round trip. */
export const DIAGRAM_PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28
])

function codexFiles(org: string): FileTree {
  const ns = org
  return {
    '.github/codex-sync.yml': [
      'environments:',
      '  test: { branch: test }',
      '  prod: { branch: main }',
      `claude_namespace: ${ns}`,
      'routes:',
      '  - { pattern: "docs/schema/**/*.json", include: ["*"], exclude: [] }',
      ''
    ].join('\n'),
    'README.md': `# codex.${org}.io\n\nCentral documentation of the ${org} organisation.\n`,
    'docs/guides/codex-sync-guide.md':
      frontmatter(org, 'Codex Sync Guide', '[*]', '[]') +
      '\n# Codex Sync Guide\n\nHow docs flow between projects and the codex.\n',
    'docs/guides/api-only.md':
      frontmatter(org, 'API Only', '[api]', '[]') + '\n# API only\n\nOnly for the api project.\n',
    'docs/guides/not-web.md':
      frontmatter(org, 'Not Web', '["*"]', '[web]') + '\n# Not web\n\nEverywhere except web.\n',
    'docs/internal/notes.md': '# Internal notes\n\nNo frontmatter: never distributed.\n',
    'docs/schema/event.json':
      '{ "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object" }\n',
    [`.claude/agents/${ns}/codex/codex-sync-manager.md`]:
      '---\nname: codex-sync-manager\ndescription: Keeps docs in sync with the codex\n---\n\nYou manage codex sync.\n',
    [`.claude/commands/${ns}/codex/codex-sync-project.md`]:
      '# /codex-sync-project\n\nSync one project with the codex.\n',
    [`.claude/scripts/${ns}/codex/codex-repo-discover.sh`]: {
      content: '#!/usr/bin/env bash\nset -euo pipefail\necho "discovering repositories"\n',
      mode: '100755'
    },
    '.claude/agents/other-ns/x.md': '# Another namespace: never pushed\n'
  }
}

function projectFiles(name: string, extra: FileTree): FileTree {
  return {
    'README.md': `# ${name}\n\nThe ${name} service.\n`,
    'docs/overview.md': `# ${name} overview\n\nWhat ${name} does.\n`,
    'docs/setup.md': `# Setting up ${name}\n\nRun \`npm install\`.\n`,
    'src/index.ts': `export const name = '${name}'\n`,
    '.env': 'SECRET_TOKEN=do-not-sync\n',
    'docs/node_modules/x/readme.md': '# vendored: must be excluded\n',
    '.github/workflows/ci.yml':
      'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n',
    ...extra
  }
}

export async function seedSampleOrg(
  fake: FakeGitHub,
  org = 'acme'
): Promise<{ org: string; codex: string; projects: string[] }> {
  const codex = `codex.${org}.io`
  await fake.createRepo(org, codex, { files: codexFiles(org), topics: ['codex'] })
  const main = await fake.head(org, codex, 'main')
  if (!main) throw new Error('sample-org: codex has no main branch')
  await git(fake.repoDir(org, codex), ['update-ref', 'refs/heads/test', main, ''])

  await Promise.all([
    fake.createRepo(org, 'api', {
      files: projectFiles('api', {
        'CLAUDE.md': '# CLAUDE.md\n\nProject instructions for Claude in api.\n',
        'docs/endpoints.md': '# Endpoints\n\n- GET /health\n',
        'docs/diagram.png': DIAGRAM_PNG
      })
    }),
    fake.createRepo(org, 'web', {
      files: projectFiles('web', {
        'docs/ui.md': '# UI\n\nComponents and pages.\n',
        '.claude/agents/web-own.md': '# web own agent: not owned by codex-sync\n'
      })
    }),
    fake.createRepo(org, 'worker', {
      files: projectFiles('worker', { 'docs/jobs.md': '# Jobs\n\nQueues and schedules.\n' })
    }),
    fake.createRepo(org, 'legacy', {
      archived: true,
      files: { 'README.md': '# legacy\n', 'docs/old.md': '# Old\n' }
    }),
    fake.createRepo(org, 'forked', {
      fork: true,
      files: { 'README.md': '# forked\n', 'docs/fork.md': '# Fork\n' }
    }),
    fake.createRepo(org, 'blank', { empty: true })
  ])
  return { org, codex, projects: ['api', 'web', 'worker'] }
}
