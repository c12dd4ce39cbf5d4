// dist/cli.js run as a user runs it, against the sample organisation on the fake GitHub server.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { TOKEN, writes } from '../__fixtures__/harness.js'
import { seedSampleOrg } from '../__fixtures__/sample-org.js'
import { usageText } from '../src/cli/flags.js'
import type { RunResult } from '../src/result/run.js'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

let fake: FakeGitHub
/** The working folder of every run, and a PATH with no `gh` in it unless a test puts one there. */
let home: string

interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** `node dist/cli.js ...args` with only the variables given (and HOME, PATH): no token of the machine leaks in. */
function cli(
  args: string[],
  env: Record<string, string> = { GITHUB_TOKEN: TOKEN }
): Promise<CliRun> {
  const base = { HOME: home, PATH: home, GITHUB_API_URL: fake.url }
  return new Promise(done => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: home, env: { ...base, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
        done({ code, stdout, stderr })
      }
    )
  })
}

const PLAN = ['plan', '--org', 'acme', '--mode', 'push-docs', '--write-interval-ms', '0']

describe('dist/cli.js', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start()
    await seedSampleOrg(fake)
    home = mkdtempSync(join(tmpdir(), 'codex-sync-cli-'))
  })
  afterAll(async () => {
    await fake.stop()
    rmSync(home, { recursive: true, force: true })
  })
  beforeEach(() => fake.clearLog())

  test('is an executable with a shebang, the package bin', () => {
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
    expect(statSync(CLI).mode & 0o111).toBe(0o111)
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      bin: Record<string, string>
    }
    expect(pkg.bin).toEqual({ 'codex-sync': 'dist/cli.js' })
  })

  test('plan: the terminal summary on stdout, progress on stderr, nothing written', async () => {
    const run = await cli(PLAN)

    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('codex-sync push-docs: success (dry run: planned, nothing written)')
    expect(lines[1]).toMatch(
      /^codex acme\/codex\.acme\.io, branch test \(environment test\), [\d.]+ s$/
    )
    expect(lines[3]).toBe(
      '6 projects: 3 succeeded, 0 failed, 3 skipped; 9 files to sync, 0 to delete, 0 commits'
    )
    expect(run.stdout).toMatch(/^project +status +added +modified +deleted +details$/m)
    expect(run.stdout).toMatch(/^web +synced +2 +0 +0 +planned below$/m)
    expect(run.stdout).toMatch(/^legacy +skipped +0 +0 +0 +archived$/m)
    expect(run.stdout).toContain('  api\n    + .codex/docs/guides/api-only.md\n')
    // Not a terminal: the engine's progress lines, plain.
    expect(run.stderr).toMatch(
      /^\[\d\/\d\] web: synced \(2 added, 0 modified, 0 deleted, dry run\)$/m
    )
    expect(run.stderr).not.toContain('\x1b[')
    expect(writes(fake)).toEqual([])
  })

  test('--json: exactly the result JSON on stdout, a dry run, nothing written', async () => {
    const run = await cli([...PLAN, '--json', '--project', 'web'])

    expect(run.code).toBe(0)
    expect(run.stdout.endsWith('}\n')).toBe(true)
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1)
    const result = JSON.parse(run.stdout) as RunResult
    expect(result).toMatchObject({
      status: 'success',
      mode: 'push-docs',
      organization: 'acme',
      codex_repository: 'codex.acme.io',
      codex_branch: 'test',
      dry_run: true,
      succeeded: 1,
      commits_created: 0
    })
    const web = result.projects.find(project => project.project === 'web')
    expect(web).toMatchObject({
      status: 'synced',
      planned: {
        added: ['.codex/docs/guides/codex-sync-guide.md', '.codex/docs/schema/event.json']
      }
    })
    expect(writes(fake)).toEqual([])
  })

  test('sync --dry-run writes nothing; sync writes, and a plan after it finds nothing to do', async () => {
    const args = ['sync', '--org', 'acme', '--codex', 'codex.acme.io', '--mode', 'push-claude']
    const dry = await cli([...args, '--dry-run', '--json'])
    expect(dry.code).toBe(0)
    expect((JSON.parse(dry.stdout) as RunResult).dry_run).toBe(true)
    expect(writes(fake)).toEqual([])

    const real = await cli([...args, '--project', 'worker', '--write-interval-ms', '0', '--json'])
    expect(real.code).toBe(0)
    const result = JSON.parse(real.stdout) as RunResult
    expect(result).toMatchObject({ status: 'success', dry_run: false, commits_created: 1 })
    expect(writes(fake).length).toBeGreaterThan(0)

    fake.clearLog()
    const again = await cli(['plan', ...args.slice(1), '--project', 'worker'])
    expect(again.stdout).toMatch(/^worker +unchanged +0 +0 +0$/m)
    expect(writes(fake)).toEqual([])
  })

  test('exit codes: partial_success is 0, or 1 with --fail-on-partial; failure is 1', async () => {
    const partial = await cli([...PLAN, '--project', 'web', '--project', 'nope'])
    expect(partial.code).toBe(0)
    expect(partial.stdout.split('\n')[0]).toBe(
      'codex-sync push-docs: partial_success (dry run: planned, nothing written)'
    )
    expect(partial.stdout).toContain(
      'failures:\n  nope: Repository acme/nope named in target_repository is not a project of the organisation\n    what to do: '
    )
    expect(partial.stderr).toContain('error: nope: Repository acme/nope')

    const strict = await cli([...PLAN, '--project', 'web,nope', '--fail-on-partial', '--json'])
    expect(strict.code).toBe(1)
    expect((JSON.parse(strict.stdout) as RunResult).status).toBe('partial_success')

    const refused = await cli([...PLAN, '--json'], { GITHUB_TOKEN: 'not-a-token' })
    expect(refused.code).toBe(1)
    const result = JSON.parse(refused.stdout) as RunResult
    expect(result.status).toBe('failure')
    expect(result.error).toBeTruthy()
    expect(refused.stderr).toContain(`error: ${result.error}`)
    expect(writes(fake)).toEqual([])
  })

  test('bad usage exits 2 with one line on stderr, and nothing on stdout; --help has the rest', async () => {
    const unknown = await cli([...PLAN, '--dryrun'])
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: 'codex-sync: unknown flag --dryrun (see codex-sync --help)\n'
    })
    const noMode = await cli(['plan', '--org', 'acme'])
    expect(noMode).toEqual({
      code: 2,
      stdout: '',
      stderr: 'codex-sync: --mode is required (see codex-sync --help)\n'
    })
    const help = await cli(['--help'])
    expect(help).toEqual({ code: 0, stdout: usageText(), stderr: '' })
    expect(fake.log).toEqual([])
  })

  test('the token: GH_TOKEN, else `gh auth token`, else an error naming the three ways', async () => {
    expect((await cli([...PLAN, '--json'], { GH_TOKEN: TOKEN })).code).toBe(0)

    const none = await cli(PLAN, {})
    expect(none.code).toBe(1)
    expect(none.stdout).toContain(
      'The run could not start: No GitHub token: GITHUB_TOKEN and GH_TOKEN are not set, and the GitHub CLI (gh) is not installed.'
    )
    expect(none.stdout).toMatch(/What to do: Set GITHUB_TOKEN or GH_TOKEN .*\(gh auth login\)/)

    // A `gh` on the PATH: its token is used, asked for the host of GITHUB_API_URL.
    const gh = join(home, 'gh')
    writeFileSync(gh, `#!/bin/sh\necho "$@" > "${home}/gh-args"\necho ${TOKEN}\n`)
    chmodSync(gh, 0o755)
    const viaGh = await cli([...PLAN, '--json'], {})
    expect(viaGh.code).toBe(0)
    expect((JSON.parse(viaGh.stdout) as RunResult).status).toBe('success')
    expect(readFileSync(join(home, 'gh-args'), 'utf8')).toBe(
      `auth token --hostname ${new URL(fake.url).host}\n`
    )

    writeFileSync(gh, '#!/bin/sh\necho "no oauth token found for github.com" >&2\nexit 1\n')
    const loggedOut = await cli(PLAN, {})
    expect(loggedOut.code).toBe(1)
    expect(loggedOut.stdout).toContain(
      '`gh auth token` gave none (no oauth token found for github.com).'
    )
    rmSync(gh)
  })
})
