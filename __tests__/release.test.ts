/**
 * A release a user can pin:
 * - package.json names the version (semantic, 1.0.0 or later) and the repository the action is
 *   published from; LICENSE and CHANGELOG.md go with it.
 * - Every reference to the action or the reusable workflow (workflows, the codex template, the
 *   README and docs/, the schema's URL) is `<that repository>@v<major>`: a fork that changes package.json
 *   sees here every place to change.
 * - The release workflow checks the tag against package.json and the changelog (its script run
 *   with bash), checks dist/ and the tests, publishes the release and moves the major tag.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  majorTag,
  packageJson,
  publishedRepository,
  readRepoFile,
  REUSABLE_WORKFLOWS,
  reusableWorkflowReference,
  actionReference
} from './published.js'
import {
  ROOT,
  WORKFLOWS_DIR,
  cleanUp,
  dict,
  job,
  loadWorkflow,
  outOfOrder,
  runStep,
  scriptsOf,
  step,
  stepsOf
} from './workflow-files.js'

const RELEASE = loadWorkflow(`${WORKFLOWS_DIR}/release.yml`)
/** Runs and folders to remove after each test. */
const runs: { temp: string }[] = []
afterEach(() => runs.splice(0).forEach(cleanUp))

describe('package.json, LICENSE and CHANGELOG.md', () => {
  it('package.json has a semantic version from 1.0.0 on and the repository it is published from', () => {
    const pkg = packageJson()
    expect(pkg.version).toMatch(/^[1-9]\d*\.\d+\.\d+$/)
    expect(publishedRepository()).toMatch(/^[\w.-]+\/[\w.-]+$/)
    expect(publishedRepository({ version: '1.0.0', repository: 'github:a/b' })).toBe('a/b')
    expect(
      publishedRepository({ version: '1.0.0', repository: { url: 'git@github.com:a/b-c.git' } })
    ).toBe('a/b-c')
  })

  it('LICENSE is the MIT license of the codex-sync contributors, as package.json says', () => {
    const license = readRepoFile('LICENSE')
    expect((JSON.parse(readRepoFile('package.json')) as { license: string }).license).toBe('MIT')
    expect(license.split('\n')[0]).toBe('MIT License')
    expect(license).toMatch(/^Copyright \(c\) \d{4} codex-sync contributors$/m)
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND')
  })

  it("CHANGELOG.md follows Keep a Changelog, newest first, with a dated section for package.json's version", () => {
    const changelog = readRepoFile('CHANGELOG.md')
    expect(changelog).toContain('[Keep a Changelog](https://keepachangelog.com/')
    expect(changelog).toContain('## [Unreleased]')
    const sections = [
      ...changelog.matchAll(/^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$/gm)
    ]
    const versions = sections.map(match => match[1] as string)
    expect(versions).toContain(packageJson().version)
    const numeric = (version: string) => version.split(/[.-]/).slice(0, 3).map(Number)
    const sorted = [...versions].sort((a, b) => {
      const [x, y] = [numeric(a), numeric(b)]
      return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!
    })
    expect(versions).toEqual(sorted)
    // Every version heading has its link, to the published repository.
    for (const version of ['Unreleased', ...versions]) {
      expect(changelog).toMatch(
        new RegExp(
          `^\\[${version.replace(/\./g, '\\.')}\\]: https://github\\.com/${publishedRepository()}/`,
          'm'
        )
      )
    }
  })
})

/** Text files of the repository that users copy from. */
function userFacingFiles(): { file: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir)).flatMap(name => {
      const file = `${dir}/${name}`
      return statSync(path.join(ROOT, file)).isDirectory() ? walk(file) : [file]
    })
  const files = [
    'README.md',
    ...walk('docs'),
    ...walk(WORKFLOWS_DIR),
    ...walk('examples'),
    ...walk('schema')
  ]
  return files.map(file => ({ file, text: readRepoFile(file) }))
}

/**
 * Places that refer to the action, the reusable workflow or the schema otherwise than at
 * `repository` and `major`: every `uses:` that is not local, a container or a third-party action
 * pinned to a commit SHA, and every raw URL of the schema.
 */
function referenceProblems(
  files: { file: string; text: string }[],
  repository: string,
  major: string
): string[] {
  const allowed = [
    `${repository}@${major}`,
    ...REUSABLE_WORKFLOWS.map(file => `${repository}/.github/workflows/${file}@${major}`)
  ]
  const schemaUrl = `https://raw.githubusercontent.com/${repository}/${major}/schema/codex-sync.schema.json`
  const problems: string[] = []
  for (const { file, text } of files) {
    text.split('\n').forEach((line, i) => {
      const where = `${file}:${i + 1}`
      const uses = /^[\s#]*(?:-\s+)?uses:\s*['"]?([^\s'"#`]+)/.exec(line)?.[1]
      if (uses !== undefined && !uses.startsWith('./') && !uses.startsWith('docker://')) {
        const ours = uses.startsWith(`${repository}@`) || uses.startsWith(`${repository}/`)
        const pinnedThirdParty = !ours && /^[^@\s]+@[0-9a-f]{40}$/.test(uses)
        if (!pinnedThirdParty && !allowed.includes(uses)) {
          problems.push(
            `${where}: uses: ${uses} (expected ${allowed.join(' or ')}, or a third-party action pinned to a commit SHA)`
          )
        }
      }
      for (const url of line.match(
        /https:\/\/raw\.githubusercontent\.com\/[\w.-]+\/[\w.-]+\/[\w.-]+\/schema\/codex-sync\.schema\.json/g
      ) ?? []) {
        if (url !== schemaUrl) problems.push(`${where}: ${url} (expected ${schemaUrl})`)
      }
    })
  }
  return problems
}

describe('references to the published action', () => {
  it('the workflows, the codex template, the README, the docs and the schema use <repository>@v<major> of package.json', () => {
    expect(referenceProblems(userFacingFiles(), publishedRepository(), majorTag())).toEqual([])
  })

  it('are really there: the reusable workflow runs the action, the template calls the workflow', () => {
    const text = (file: string) => readRepoFile(file)
    expect(text(`${WORKFLOWS_DIR}/codex-sync.yml`)).toContain(`uses: ${actionReference()}\n`)
    expect(text('examples/codex/.github/workflows/codex-sync.yml')).toContain(
      `uses: ${reusableWorkflowReference()}\n`
    )
    expect(text(`${WORKFLOWS_DIR}/codex-sync-plan.yml`)).toContain(`uses: ${actionReference()}\n`)
    expect(text('examples/codex/.github/workflows/codex-sync-plan.yml')).toContain(
      `uses: ${reusableWorkflowReference('codex-sync-plan.yml')}\n`
    )
    const docs = ['README.md', 'docs/reference.md'].map(text).join('\n')
    expect(docs).toContain(`uses: ${reusableWorkflowReference('codex-sync-plan.yml')}\n`)
    expect(docs).toContain(`uses: ${reusableWorkflowReference()}\n`)
    expect(docs).toContain(`uses: ${actionReference()}\n`)
  })

  it('a fork that changes package.json is told every place that still names the original', () => {
    const problems = referenceProblems(userFacingFiles(), 'globex/codex-sync', 'v2')
    const files = new Set(problems.map(problem => problem.split(':')[0]))
    expect([...files].sort()).toEqual(
      [
        'README.md',
        'docs/reference.md',
        '.github/workflows/codex-sync.yml',
        '.github/workflows/codex-sync-plan.yml',
        'examples/codex/.github/codex-sync.yml',
        'examples/codex/.github/workflows/codex-sync.yml',
        'examples/codex/.github/workflows/codex-sync-plan.yml',
        'schema/codex-sync.schema.json'
      ].sort()
    )
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\.github\/workflows\/codex-sync\.yml:\d+: uses: codex-sync\/codex-sync@v1 \(expected globex\/codex-sync@v2 or /
        )
      ])
    )
  })

  it('the development notes say how to publish a fork and what this test checks', () => {
    const notes = readRepoFile('docs/development.md')
    expect(notes).toContain('__tests__/release.test.ts')
    expect(notes).toMatch(/"repository"/)
    expect(notes).toContain("grep -rl 'codex-sync/codex-sync' README.md CHANGELOG.md docs .github")
  })
})

describe('the release workflow', () => {
  it('runs on a version tag push and by hand with the version', () => {
    const on = dict(RELEASE.doc.on, 'on')
    expect(Object.keys(on).sort()).toEqual(['push', 'workflow_dispatch'])
    expect(dict(on.push, 'push')).toEqual({ tags: ['v*.*.*'] })
    const version = dict(
      dict(dict(on.workflow_dispatch, 'dispatch').inputs, 'inputs').version,
      'version'
    )
    expect(version).toMatchObject({ type: 'string', required: true })
  })

  it('verifies with a read-only token: version, then npm ci, a fresh dist, the tests', () => {
    const verify = job(RELEASE, 'verify')
    expect(verify.permissions).toEqual({ contents: 'read' })
    const order = [
      'package.json',
      'npm ci',
      'npm run bundle',
      'git diff --exit-code',
      'npm run typecheck',
      'npm run lint',
      'npm test'
    ]
    expect(outOfOrder(scriptsOf(verify), order)).toEqual([])
  })

  it('publishes after verify, with contents: write only there, and moves the major tag', () => {
    expect(RELEASE.doc.permissions).toEqual({})
    const publish = job(RELEASE, 'publish')
    expect(publish.needs).toBe('verify')
    expect(publish.permissions).toEqual({ contents: 'write' })
    const steps = stepsOf(publish)
    const runsOf = steps.map(each => String(each.run ?? '')).join('\n')
    expect(runsOf).toContain('gh release create "$TAG"')
    expect(runsOf).not.toContain('npm')
    const move = step(publish, 'Move the major tag to this release')
    expect(move.if).toBe("${{ needs.verify.outputs.prerelease == 'false' }}")
    expect(String(move.run)).toContain('git push --force origin "refs/tags/$MAJOR"')
  })

  describe('the version check', () => {
    const check = (
      event: { event_name: string; ref_name?: string },
      version: string | undefined,
      files: { version: string; changelog: string }
    ) => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'codex-sync-release-'))
      writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ version: files.version }))
      writeFileSync(path.join(cwd, 'CHANGELOG.md'), files.changelog)
      const run = runStep(
        step(job(RELEASE, 'verify'), 'version'),
        { github: event, inputs: { version: version ?? null } },
        { cwd }
      )
      runs.push(run, { temp: cwd })
      return run
    }
    const files = { version: '1.2.0', changelog: '# Changelog\n\n## [1.2.0] - 2026-01-02\n\n- x\n' }

    it('accepts the tag of package.json on push, and the version when dispatched', () => {
      const pushed = check({ event_name: 'push', ref_name: 'v1.2.0' }, undefined, files)
      expect(pushed.code).toBe(0)
      expect(pushed.outputs).toEqual({
        tag: 'v1.2.0',
        version: '1.2.0',
        major: 'v1',
        prerelease: 'false'
      })
      for (const given of ['1.2.0', 'v1.2.0']) {
        const dispatched = check(
          { event_name: 'workflow_dispatch', ref_name: 'main' },
          given,
          files
        )
        expect(dispatched.outputs.tag).toBe('v1.2.0')
      }
    })

    it('marks a pre-release, which does not move the major tag', () => {
      const run = check({ event_name: 'push', ref_name: 'v2.0.0-rc.1' }, undefined, {
        version: '2.0.0-rc.1',
        changelog: '## [2.0.0-rc.1] - 2026-02-01\n'
      })
      expect(run.outputs).toMatchObject({ major: 'v2', prerelease: 'true' })
    })

    it.each([
      ['v1.2.1', files, "The tag v1.2.1 is not package.json's version (1.2.0)"],
      ['v1.2', files, "'v1.2' is not a version tag"],
      [
        'v1.2.0',
        { ...files, changelog: '## [1.1.0] - 2026-01-01\n' },
        "CHANGELOG.md has no section '## [1.2.0]"
      ]
    ])('refuses tag %s', (tag, given, message) => {
      const run = check({ event_name: 'push', ref_name: tag }, undefined, given)
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(message)
    })
  })

  it("takes the release notes from the version's CHANGELOG section", () => {
    const run = runStep(
      step(job(RELEASE, 'publish'), 'Release notes from CHANGELOG.md'),
      { needs: { verify: { outputs: { version: packageJson().version } } } },
      { cwd: ROOT }
    )
    runs.push(run)
    expect(run.code).toBe(0)
    const notes = readFileSync(path.join(run.temp, 'notes.md'), 'utf8')
    expect(notes).toContain('### Added')
    expect(notes).not.toMatch(/^## \[/m)
    expect(notes).not.toMatch(/^\[[^\]]+\]: /m)
  })
})
