import { describe, expect, it, test } from '@jest/globals'
import { defaultConfig, type Config } from '../src/inputs/config.js'
import { blob, doc, tree } from '../__fixtures__/builders.js'
import {
  compileRoutes,
  isMarkdown,
  routingOf,
  routesTo,
  type FileRouting,
  type RoutingRule
} from '../src/plan/routing.js'
import {
  CLAUDE_KINDS,
  isInProjectFolder,
  projectFolder,
  pullDocsFiles,
  pushFiles,
  PUSH_MODES,
  uncarriedPullFiles,
  uncarriedPushFiles,
  unreadablePaths,
  type CodexFile
} from '../src/plan/desired.js'

const DOCS = PUSH_MODES['push-docs']
const CLAUDE = PUSH_MODES['push-claude']
const distributionFolder = (cfg: Config) => DOCS.folders(cfg)[0]
const claudeFolders = (cfg: Config) => CLAUDE.folders(cfg)
const isPushDocsCandidate = (path: string) => DOCS.isCandidate(path, config())
const isPushClaudeCandidate = (path: string, cfg: Config) => CLAUDE.isCandidate(path, cfg)
const pushDocsFiles = (files: CodexFile[], codex: string, project: string, cfg: Config) =>
  pushFiles(DOCS, files, codex, project, cfg)
const pushClaudeFiles = (files: CodexFile[], codex: string, project: string, cfg: Config) =>
  pushFiles(CLAUDE, files, codex, project, cfg)

const CODEX = 'codex.acme.io'

function config(overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig('acme'), ...overrides }
}

function codexFile(
  path: string,
  routing: FileRouting = { kind: 'none' },
  mode = '100644'
): CodexFile {
  return { path, mode, sha: `sha-${path}`, type: 'blob', routing }
}

const front = (rule: RoutingRule): FileRouting => ({ kind: 'frontmatter', rule })
const invalid: FileRouting = { kind: 'invalid', error: 'invalid YAML in frontmatter at line 2' }

const keys = (files: Map<string, unknown>) => [...files.keys()].sort()

describe('folders', () => {
  it('names the owned folders with a trailing slash', () => {
    const custom = config({
      projectsDir: 'repos',
      distributionDir: 'docs/shared',
      claudeNamespace: 'acme-tools'
    })
    expect(projectFolder(custom, 'api')).toBe('repos/api/')
    expect(distributionFolder(custom)).toBe('docs/shared/')
    expect(claudeFolders(custom)).toEqual([
      '.claude/agents/acme-tools/',
      '.claude/commands/acme-tools/',
      '.claude/hooks/acme-tools/',
      '.claude/scripts/acme-tools/'
    ])
    expect(CLAUDE_KINDS).toEqual(['agents', 'commands', 'hooks', 'scripts'])
  })
})

describe('routing helpers', () => {
  it('isMarkdown recognises .md, .mdx and .markdown in any case', () => {
    for (const path of ['a.md', 'docs/b.MD', 'c.mdx', 'd.markdown'])
      expect(isMarkdown(path)).toBe(true)
    for (const path of ['a.json', 'md', 'a.md.txt', 'docs/a.mdown'])
      expect(isMarkdown(path)).toBe(false)
  })

  it('routingOf: routing keys, even empty, make a frontmatter rule; none or a broken one do not', () => {
    expect(routingOf(doc('title: x'))).toEqual({ kind: 'none' })
    expect(routingOf('no frontmatter')).toEqual({ kind: 'none' })
    expect(routingOf(doc('codex_sync_include: []'))).toEqual({
      kind: 'frontmatter',
      rule: { include: [] }
    })
    expect(routingOf(doc('codex_sync_exclude: [x]'))).toEqual({
      kind: 'frontmatter',
      rule: { exclude: ['x'] }
    })
    expect(routingOf(doc('codex_sync_include: [a'))).toMatchObject({ kind: 'invalid' })
  })

  it('routesTo: exclude wins, no include list sends nowhere unless by default', () => {
    expect(routesTo({ include: ['*'] }, 'api', false)).toBe(true)
    expect(routesTo({ include: ['*'], exclude: ['api'] }, 'api', false)).toBe(false)
    expect(routesTo({ exclude: ['web'] }, 'api', false)).toBe(false)
    expect(routesTo({ exclude: ['web'] }, 'api', true)).toBe(true)
    expect(routesTo({ exclude: ['api'] }, 'api', true)).toBe(false)
    expect(routesTo({ include: [] }, 'api', true)).toBe(false)
    expect(routesTo({ include: ['API'] }, 'api', false)).toBe(true) // names are case-insensitive
  })

  it('compileRoutes returns the first route whose pattern matches the path', () => {
    const first = { pattern: 'docs/schema/**/*.json', include: ['api'], exclude: [] }
    const second = { pattern: '**/*.json', include: ['*'], exclude: [] }
    const routeOf = compileRoutes([first, second])
    expect(routeOf('docs/schema/v1/user.json')).toBe(first)
    expect(routeOf('other/x.json')).toBe(second)
    expect(routeOf('docs/x.yaml')).toBeUndefined()
    expect(compileRoutes([])('anything')).toBeUndefined()
  })
})

describe('pullDocsFiles', () => {
  const project = tree(
    blob('README.md'),
    blob('CLAUDE.md'),
    blob('docs/guide.md'),
    blob('docs/deep/nested/page.md'),
    blob('docs/.hidden/x.md'),
    blob('docs/run.sh', { mode: '100755' }),
    blob('src/index.ts'),
    blob('package.json'),
    blob('sub/README.md'),
    blob('docs/node_modules/pkg/README.md'),
    blob('docs/.env'),
    blob('docs/build.log'),
    blob('docs/my-secret-notes.md'),
    blob('.github/workflows/ci.yml')
  )

  it('takes the default sync_patterns minus the default exclude_patterns', () => {
    expect(keys(pullDocsFiles(project, 'api', config()))).toEqual([
      'projects/api/CLAUDE.md',
      'projects/api/README.md',
      'projects/api/docs/.hidden/x.md',
      'projects/api/docs/deep/nested/page.md',
      'projects/api/docs/guide.md',
      'projects/api/docs/run.sh'
    ])
  })

  it('maps each file to <projects_dir>/<project>/<path> with its sha, mode and source', () => {
    const files = pullDocsFiles(project, 'api', config({ projectsDir: 'repos/all' }))
    expect(files.get('repos/all/api/docs/guide.md')).toEqual({
      path: 'repos/all/api/docs/guide.md',
      mode: '100644',
      sha: 'sha-docs/guide.md',
      source: { repo: 'api', path: 'docs/guide.md' }
    })
    expect(files.get('repos/all/api/docs/run.sh')?.mode).toBe('100755')
  })

  it('keys the map by destination path', () => {
    for (const [key, file] of pullDocsFiles(project, 'api', config())) expect(key).toBe(file.path)
  })

  it('uses configured sync_patterns and exclude_patterns (exclude wins)', () => {
    const files = pullDocsFiles(
      project,
      'api',
      config({
        syncPatterns: ['**/*.md', 'package.json'],
        excludePatterns: ['docs/deep/**', 'CLAUDE.md']
      })
    )
    expect(keys(files)).toEqual([
      'projects/api/README.md',
      'projects/api/docs/.hidden/x.md',
      'projects/api/docs/guide.md',
      'projects/api/docs/my-secret-notes.md',
      'projects/api/docs/node_modules/pkg/README.md',
      'projects/api/package.json',
      'projects/api/sub/README.md'
    ])
  })

  it('matches paths case-sensitively', () => {
    const files = pullDocsFiles(
      tree(blob('Docs/a.md'), blob('readme.md'), blob('docs/b.md')),
      'api',
      config()
    )
    expect(keys(files)).toEqual(['projects/api/docs/b.md'])
  })

  it('never reads the folders the push modes own in the project (no loops)', () => {
    const withOwned = tree(
      blob('docs/a.md'),
      blob('.codex/docs/shared.md'),
      blob('.codex/README.md'),
      blob('.claude/agents/acme/reviewer.md'),
      blob('.claude/commands/acme/deploy.md'),
      blob('.claude/hooks/acme/pre.sh', { mode: '100755' }),
      blob('.claude/scripts/acme/tool.py'),
      blob('.claude/agents/other-ns/mine.md'),
      blob('.claude/settings.json'),
      blob('.codexx/a.md')
    )
    const files = pullDocsFiles(
      withOwned,
      'api',
      config({ syncPatterns: ['**'], excludePatterns: [] })
    )
    expect(keys(files)).toEqual([
      'projects/api/.claude/agents/other-ns/mine.md',
      'projects/api/.claude/settings.json',
      'projects/api/.codexx/a.md',
      'projects/api/docs/a.md'
    ])
  })

  it('leaves out a distribution_dir nested in a synced folder', () => {
    const nested = tree(
      blob('docs/guide.md'),
      blob('docs/shared/from-codex.md'),
      blob('docs/shared-notes.md')
    )
    const files = pullDocsFiles(nested, 'api', config({ distributionDir: 'docs/shared' }))
    expect(keys(files)).toEqual(['projects/api/docs/guide.md', 'projects/api/docs/shared-notes.md'])
  })

  // A folder name with glob characters is still a folder: pull never reads a project's
  // <distribution_dir>/ (no loops), and nothing else is left out by accident.
  test('leaves out a distribution_dir whose name holds glob characters (literal folder)', () => {
    for (const dir of ['docs/(shared)', 'docs/{a,b}']) {
      const files = tree(blob('docs/guide.md'), blob(`${dir}/from-codex.md`))
      expect(keys(pullDocsFiles(files, 'api', config({ distributionDir: dir })))).toEqual([
        'projects/api/docs/guide.md'
      ])
    }
  })

  test('does not leave out folders that merely match a distribution_dir read as a glob', () => {
    const files = tree(blob('docs/aXb/page.md'), blob('docs/a*b/from-codex.md'))
    expect(keys(pullDocsFiles(files, 'api', config({ distributionDir: 'docs/a*b' })))).toEqual([
      'projects/api/docs/aXb/page.md'
    ])
  })

  it('leaves out the configured Claude namespace, not another one', () => {
    const claude = tree(blob('.claude/agents/tools/a.md'), blob('.claude/agents/acme/b.md'))
    const files = pullDocsFiles(
      claude,
      'api',
      config({ syncPatterns: ['.claude/**'], claudeNamespace: 'tools' })
    )
    expect(keys(files)).toEqual(['projects/api/.claude/agents/acme/b.md'])
  })

  it('never selects symlinks or submodules', () => {
    const odd = tree(
      blob('docs/real.md'),
      { path: 'docs/link.md', mode: '120000', sha: 'l', type: 'blob' },
      { path: 'docs/vendor', mode: '160000', sha: 'c', type: 'commit' },
      { path: 'README.md', mode: '120000', sha: 'l2', type: 'blob' }
    )
    expect(keys(pullDocsFiles(odd, 'api', config()))).toEqual(['projects/api/docs/real.md'])
  })

  it('gives nothing for a project without documentation or with no patterns', () => {
    expect(pullDocsFiles(tree(blob('src/a.ts')), 'api', config()).size).toBe(0)
    expect(pullDocsFiles(project, 'api', config({ syncPatterns: [] })).size).toBe(0)
    expect(pullDocsFiles(new Map(), 'api', config()).size).toBe(0)
  })
})

describe('pushDocsFiles', () => {
  const everyone = front({ include: ['*'] })

  function routed(files: CodexFile[], project: string, cfg = config()) {
    return keys(pushDocsFiles(files, CODEX, project, cfg))
  }

  it('puts a routed file at <distribution_dir>/<codex path> with its sha, mode and source', () => {
    const file = codexFile('guides/style.md', everyone)
    const files = pushDocsFiles([file], CODEX, 'api', config())
    expect(files.get('.codex/guides/style.md')).toEqual({
      path: '.codex/guides/style.md',
      mode: '100644',
      sha: 'sha-guides/style.md',
      source: { repo: CODEX, path: 'guides/style.md' }
    })
    expect(
      keys(pushDocsFiles([file], CODEX, 'api', config({ distributionDir: 'docs/shared' })))
    ).toEqual(['docs/shared/guides/style.md'])
  })

  it('keeps the file mode', () => {
    const files = pushDocsFiles(
      [codexFile('tools/run.md', everyone, '100755')],
      CODEX,
      'api',
      config()
    )
    expect(files.get('.codex/tools/run.md')?.mode).toBe('100755')
  })

  it('sends a file with include [*] to every project', () => {
    const files = [codexFile('guides/all.md', everyone)]
    for (const project of ['api', 'web', 'Some.Repo_2'])
      expect(routed(files, project)).toEqual(['.codex/guides/all.md'])
  })

  it('sends a file only where its include list matches, with globs', () => {
    const files = [
      codexFile('api-only.md', front({ include: ['api'] })),
      codexFile('api-family.md', front({ include: ['api-*'] })),
      codexFile('two.md', front({ include: ['web', 'mobile'] }))
    ]
    expect(routed(files, 'api')).toEqual(['.codex/api-only.md'])
    expect(routed(files, 'api-gateway')).toEqual(['.codex/api-family.md'])
    expect(routed(files, 'web')).toEqual(['.codex/two.md'])
    expect(routed(files, 'mobile')).toEqual(['.codex/two.md'])
    expect(routed(files, 'webapp')).toEqual([])
  })

  it('matches repository names case-insensitively', () => {
    expect(routed([codexFile('a.md', front({ include: ['API-*'] }))], 'api-gateway')).toEqual([
      '.codex/a.md'
    ])
  })

  it('lets the exclude list win over the include list', () => {
    const files = [
      codexFile('not-legacy.md', front({ include: ['*'], exclude: ['legacy-*'] })),
      codexFile('contradiction.md', front({ include: ['api'], exclude: ['api'] }))
    ]
    expect(routed(files, 'api')).toEqual(['.codex/not-legacy.md'])
    expect(routed(files, 'legacy-billing')).toEqual([])
    expect(routed(files, 'web')).toEqual(['.codex/not-legacy.md'])
  })

  it('does not distribute a file whose frontmatter has no include list', () => {
    const files = [
      codexFile('only-exclude.md', front({ exclude: ['web'] })),
      codexFile('empty-include.md', front({ include: [] })),
      codexFile('empty-rule.md', front({}))
    ]
    expect(routed(files, 'api')).toEqual([])
  })

  it('does not distribute a file without routing when no config route matches', () => {
    expect(routed([codexFile('guides/plain.md'), codexFile('schema/user.json')], 'api')).toEqual([])
  })

  it('does not distribute a file with invalid frontmatter, even when a route would match it', () => {
    const cfg = config({ routes: [{ pattern: '**', include: ['*'], exclude: [] }] })
    const files = [codexFile('broken.md', invalid), codexFile('fine.md', everyone)]
    expect(routed(files, 'api', cfg)).toEqual(['.codex/fine.md'])
  })

  it('routes files without routing frontmatter by the config routes', () => {
    const cfg = config({
      routes: [
        { pattern: 'schema/**/*.json', include: ['api-*'], exclude: ['api-legacy'] },
        { pattern: 'guides/**', include: ['*'], exclude: [] }
      ]
    })
    const files = [
      codexFile('schema/v1/user.json'),
      codexFile('guides/plain.md'),
      codexFile('misc/note.txt')
    ]
    expect(routed(files, 'api-gateway', cfg)).toEqual([
      '.codex/guides/plain.md',
      '.codex/schema/v1/user.json'
    ])
    expect(routed(files, 'api-legacy', cfg)).toEqual(['.codex/guides/plain.md'])
    expect(routed(files, 'web', cfg)).toEqual(['.codex/guides/plain.md'])
  })

  it('uses only the first matching route', () => {
    const cfg = config({
      routes: [
        { pattern: 'schema/**', include: ['api'], exclude: [] },
        { pattern: '**/*.json', include: ['*'], exclude: [] }
      ]
    })
    const files = [codexFile('schema/user.json'), codexFile('other/x.json')]
    expect(routed(files, 'api', cfg)).toEqual(['.codex/other/x.json', '.codex/schema/user.json'])
    // web is not in the first route's include: the later, wider route does not apply.
    expect(routed(files, 'web', cfg)).toEqual(['.codex/other/x.json'])
  })

  it('lets frontmatter routing take precedence over a matching config route', () => {
    const cfg = config({ routes: [{ pattern: '**/*.md', include: ['*'], exclude: [] }] })
    const files = [
      codexFile('guides/web-only.md', front({ include: ['web'] })),
      codexFile('guides/plain.md')
    ]
    expect(routed(files, 'api', cfg)).toEqual(['.codex/guides/plain.md'])
    expect(routed(files, 'web', cfg)).toEqual([
      '.codex/guides/plain.md',
      '.codex/guides/web-only.md'
    ])
  })

  it('never sends <projects_dir>/X/** back to X, but to the others', () => {
    const files = [
      codexFile('projects/api/README.md', everyone),
      codexFile('projects/api/docs/guide.md', everyone),
      codexFile('projects/api-gateway/README.md', everyone)
    ]
    expect(routed(files, 'api')).toEqual(['.codex/projects/api-gateway/README.md'])
    expect(routed(files, 'web')).toEqual([
      '.codex/projects/api-gateway/README.md',
      '.codex/projects/api/README.md',
      '.codex/projects/api/docs/guide.md'
    ])
    expect(routed(files, 'api-gateway')).toEqual([
      '.codex/projects/api/README.md',
      '.codex/projects/api/docs/guide.md'
    ])
  })

  it('honours a configured projects_dir for the no-loop rule, also for routed non-Markdown files', () => {
    const cfg = config({
      projectsDir: 'repos',
      routes: [{ pattern: '**', include: ['*'], exclude: [] }]
    })
    const files = [codexFile('repos/api/schema.json'), codexFile('projects/api/old.md')]
    expect(routed(files, 'api', cfg)).toEqual(['.codex/projects/api/old.md'])
    expect(routed(files, 'web', cfg)).toEqual([
      '.codex/projects/api/old.md',
      '.codex/repos/api/schema.json'
    ])
  })

  it('never distributes .github/ or .claude/ files of the codex', () => {
    const cfg = config({ routes: [{ pattern: '**', include: ['*'], exclude: [] }] })
    const files = [
      codexFile('.github/workflows/sync.yml'),
      codexFile('.github/codex-sync.yml'),
      codexFile('.github/PULL_REQUEST_TEMPLATE.md', everyone),
      codexFile('.claude/agents/acme/reviewer.md', everyone),
      codexFile('.claude/settings.json'),
      codexFile('docs/.github-notes.md', everyone)
    ]
    expect(routed(files, 'api', cfg)).toEqual(['.codex/docs/.github-notes.md'])
    expect(isPushDocsCandidate('.github/x')).toBe(false)
    expect(isPushDocsCandidate('.claude/x')).toBe(false)
    expect(isPushDocsCandidate('docs/.claude/x')).toBe(true)
    expect(isPushDocsCandidate('README.md')).toBe(true)
  })

  it('gives nothing without codex files', () => {
    expect(pushDocsFiles([], CODEX, 'api', config()).size).toBe(0)
  })
})

describe('pushClaudeFiles', () => {
  const files = [
    codexFile('.claude/agents/acme/reviewer.md'),
    codexFile('.claude/commands/acme/deploy.md'),
    codexFile('.claude/hooks/acme/pre-commit.sh', { kind: 'none' }, '100755'),
    codexFile('.claude/scripts/acme/lib/tool.py'),
    codexFile('.claude/agents/other/foreign.md'),
    codexFile('.claude/agents/acme-extra/near.md'),
    codexFile('.claude/skills/acme/skill.md'),
    codexFile('.claude/settings.json'),
    codexFile('.claude/agents/acme'),
    codexFile('guides/style.md', { kind: 'frontmatter', rule: { include: ['*'] } }),
    codexFile('docs/.claude/agents/acme/x.md')
  ]

  it('sends every file of the namespace to every project, at the same path', () => {
    const expected = [
      '.claude/agents/acme/reviewer.md',
      '.claude/commands/acme/deploy.md',
      '.claude/hooks/acme/pre-commit.sh',
      '.claude/scripts/acme/lib/tool.py'
    ]
    for (const project of ['api', 'web'])
      expect(keys(pushClaudeFiles(files, CODEX, project, config()))).toEqual(expected)
  })

  it('keeps the file mode and names the codex as source', () => {
    const out = pushClaudeFiles(files, CODEX, 'api', config())
    expect(out.get('.claude/hooks/acme/pre-commit.sh')).toEqual({
      path: '.claude/hooks/acme/pre-commit.sh',
      mode: '100755',
      sha: 'sha-.claude/hooks/acme/pre-commit.sh',
      source: { repo: CODEX, path: '.claude/hooks/acme/pre-commit.sh' }
    })
    expect(out.get('.claude/agents/acme/reviewer.md')?.mode).toBe('100644')
  })

  it('never sends other namespaces, other .claude files or non-Claude files', () => {
    const out = pushClaudeFiles(files, CODEX, 'api', config())
    for (const path of [
      '.claude/agents/other/foreign.md',
      '.claude/agents/acme-extra/near.md',
      '.claude/skills/acme/skill.md',
      '.claude/settings.json',
      '.claude/agents/acme',
      'guides/style.md',
      'docs/.claude/agents/acme/x.md'
    ]) {
      expect(out.has(path)).toBe(false)
    }
  })

  it('uses the configured namespace', () => {
    const out = pushClaudeFiles(files, CODEX, 'api', config({ claudeNamespace: 'other' }))
    expect(keys(out)).toEqual(['.claude/agents/other/foreign.md'])
    expect(
      isPushClaudeCandidate('.claude/agents/other/foreign.md', config({ claudeNamespace: 'other' }))
    ).toBe(true)
    expect(
      isPushClaudeCandidate('.claude/agents/acme/reviewer.md', config({ claudeNamespace: 'other' }))
    ).toBe(false)
  })

  it('follows frontmatter include and exclude lists (exclude wins)', () => {
    const routedFiles = [
      codexFile('.claude/agents/acme/api-only.md', {
        kind: 'frontmatter',
        rule: { include: ['api-*'] }
      }),
      codexFile('.claude/agents/acme/not-web.md', {
        kind: 'frontmatter',
        rule: { exclude: ['web'] }
      }),
      codexFile('.claude/agents/acme/all-but-legacy.md', {
        kind: 'frontmatter',
        rule: { include: ['*'], exclude: ['*-legacy'] }
      }),
      codexFile('.claude/agents/acme/nowhere.md', { kind: 'frontmatter', rule: { include: [] } })
    ]
    const to = (project: string) => keys(pushClaudeFiles(routedFiles, CODEX, project, config()))
    expect(to('api-core')).toEqual([
      '.claude/agents/acme/all-but-legacy.md',
      '.claude/agents/acme/api-only.md',
      '.claude/agents/acme/not-web.md'
    ])
    expect(to('web')).toEqual(['.claude/agents/acme/all-but-legacy.md'])
    expect(to('api-legacy')).toEqual([
      '.claude/agents/acme/api-only.md',
      '.claude/agents/acme/not-web.md'
    ])
  })

  it('does not send a file with invalid frontmatter', () => {
    const out = pushClaudeFiles(
      [codexFile('.claude/agents/acme/broken.md', invalid)],
      CODEX,
      'api',
      config()
    )
    expect(out.size).toBe(0)
  })

  it('ignores config routes', () => {
    const cfg = config({ routes: [{ pattern: '**', include: ['nobody'], exclude: [] }] })
    expect(
      keys(pushClaudeFiles([codexFile('.claude/agents/acme/a.md')], CODEX, 'api', cfg))
    ).toEqual(['.claude/agents/acme/a.md'])
  })
})

describe('unreadablePaths', () => {
  const files = [
    codexFile('docs/broken.md', invalid),
    codexFile('docs/fine.md', front({ include: ['*'] })),
    codexFile('.claude/agents/acme/broken.md', invalid),
    codexFile('.github/broken.md', invalid)
  ]

  it('push-docs keeps the destinations of its candidates whose frontmatter is broken', () => {
    expect([...unreadablePaths(DOCS, files, config())]).toEqual(['.codex/docs/broken.md'])
  })

  it('push-claude keeps its own broken files where they are', () => {
    expect([...unreadablePaths(CLAUDE, files, config())]).toEqual(['.claude/agents/acme/broken.md'])
  })
})

describe('repository names are case-insensitive in the no-loop rule', () => {
  const everyone = front({ include: ['*'] })

  it('never sends projects/Web/** back to repository web, whatever the case', () => {
    const files = [
      codexFile('projects/Web/docs/guide.md', everyone),
      codexFile('projects/WEB/README.md', everyone),
      codexFile('projects/webby/README.md', everyone)
    ]
    const to = (project: string) => keys(pushDocsFiles(files, CODEX, project, config()))
    expect(to('web')).toEqual(['.codex/projects/webby/README.md'])
    expect(to('Web')).toEqual(['.codex/projects/webby/README.md'])
    expect(to('api')).toHaveLength(3)
  })

  it('isInProjectFolder compares the name case-insensitively and the folder literally', () => {
    expect(isInProjectFolder('projects/Web/a.md', 'web', config())).toBe(true)
    expect(isInProjectFolder('projects/web', 'web', config())).toBe(false)
    expect(isInProjectFolder('Projects/web/a.md', 'web', config())).toBe(false)
    expect(isInProjectFolder('projects/web-x/a.md', 'web', config())).toBe(false)
  })
})

describe('routingOf on hostile frontmatter', () => {
  it('is invalid, naming the key, when a glob is empty, too long, too complex or unsupported', () => {
    for (const value of ['[""]', `["${'a'.repeat(300)}"]`, `["${'*?'.repeat(20)}"]`, '["{a,b}"]']) {
      const routing = routingOf(doc(`codex_sync_exclude: ${value}`))
      expect(routing).toMatchObject({ kind: 'invalid' })
      expect(routing.kind === 'invalid' && routing.error).toContain('codex_sync_exclude')
    }
  })

  it('carries warnings about misspelt routing keys, with the rule it did read', () => {
    expect(routingOf(doc('codex_sync_include: [api]\ncodex_sync_excludes: [web]'))).toEqual({
      kind: 'frontmatter',
      rule: { include: ['api'] },
      warnings: [
        `unknown frontmatter key "codex_sync_excludes" is ignored: did you mean 'codex_sync_exclude'?`
      ]
    })
    expect(routingOf(doc('codex_sync_include_list: [api]'))).toMatchObject({
      kind: 'none',
      warnings: [expect.stringContaining("'codex_sync_include'")]
    })
  })
})

describe('odd paths', () => {
  it('matches a file whose name holds a newline like any other, and names it as one GitHub cannot take', () => {
    const project = tree(blob('docs/line\nbreak.md'), blob('docs/my\nsecret.md'), blob('README.md'))
    expect(keys(pullDocsFiles(project, 'api', config()))).toEqual(['projects/api/README.md'])
    // The secret one is still excluded by **/*secret*, so it is not even named.
    expect(uncarriedPullFiles(project, config())).toEqual([
      {
        path: 'docs/line\nbreak.md',
        reason:
          "its name holds a newline or a NUL, which git allows but GitHub's API refuses to write"
      }
    ])
  })

  it('names the selected entries it cannot carry (symlinks, submodules) instead of dropping them silently', () => {
    const project = tree(
      blob('docs/guide.md'),
      { path: 'docs/link.md', mode: '120000', sha: 'l', type: 'blob' },
      { path: 'docs/vendor', mode: '160000', sha: 'c', type: 'commit' },
      { path: 'src/link', mode: '120000', sha: 'l', type: 'blob' },
      { path: '.codex/link.md', mode: '120000', sha: 'l', type: 'blob' }
    )
    expect(uncarriedPullFiles(project, config({ syncPatterns: ['**'] }))).toEqual([
      { path: 'docs/link.md', reason: 'a symlink: codex-sync never copies symlinks' },
      { path: 'docs/vendor', reason: 'a submodule: codex-sync never copies submodules' },
      { path: 'src/link', reason: 'a symlink: codex-sync never copies symlinks' }
    ])
    expect(uncarriedPullFiles(project, config())).toEqual([
      { path: 'docs/link.md', reason: 'a symlink: codex-sync never copies symlinks' },
      { path: 'docs/vendor', reason: 'a submodule: codex-sync never copies submodules' }
    ])
  })

  it('names the push candidates it cannot carry', () => {
    const codex = tree(
      blob('docs/a.md'),
      { path: 'docs/link.md', mode: '120000', sha: 'l', type: 'blob' },
      { path: '.claude/agents/acme/link.md', mode: '120000', sha: 'l', type: 'blob' }
    )
    expect(uncarriedPushFiles(DOCS, codex, config()).map(file => file.path)).toEqual([
      'docs/link.md'
    ])
    expect(uncarriedPushFiles(CLAUDE, codex, config()).map(file => file.path)).toEqual([
      '.claude/agents/acme/link.md'
    ])
  })
})
