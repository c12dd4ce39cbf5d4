import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { FakeGitHub } from '../__fixtures__/fake-github/index.js'
import { TOKEN } from '../__fixtures__/harness.js'
import { resultOf, runAction } from '../__fixtures__/run-action.js'
import { seedSampleOrg } from '../__fixtures__/sample-org.js'
import type { RunResult } from '../src/result/run.js'

/** The outputs action.yml declares: the runner sets exactly these. */
const OUTPUTS = Object.keys(
  (load(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as { outputs: object })
    .outputs
)

let fake: FakeGitHub
let org: string
let codex: string

const inputs = (mode: string, extra: Record<string, string> = {}) => ({
  mode,
  token: TOKEN,
  organization: org,
  codex_repository: codex,
  write_interval_ms: '0',
  ...extra
})

describe('dist/index.js run as the runner runs it', () => {
  beforeAll(async () => {
    fake = await FakeGitHub.start()
    ;({ org, codex } = await seedSampleOrg(fake))
  })
  afterAll(() => fake.stop())

  test.each(['pull-docs', 'push-docs', 'push-claude'])(
    '%s: outputs, job summary and exit code',
    async mode => {
      const run = await runAction(fake.url, inputs(mode))

      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUTS].sort())
      const result = resultOf(run) as RunResult
      expect(result.mode).toBe(mode)
      expect(run.outputs.status).toBe(result.status)
      expect(result.status).toBe('success')
      expect(Number(run.outputs.files_synced)).toBeGreaterThan(0)
      expect(Number(run.outputs.commits_created)).toBe(result.commits_created)
      expect(result.total_projects).toBe(result.succeeded + result.failed + result.skipped)
      expect(run.summary).toContain(`codex-sync ${mode}: success`)
      expect(run.stdout).toMatch(/\[\d+\/\d+\] \S+: synced/)
    }
  )

  test('the token never appears in the log, and a bad one fails the step', async () => {
    const secret = 'ghs_supersecret123'
    const run = await runAction(fake.url, inputs('pull-docs', { token: secret }))

    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failure')
    expect(run.stdout).toContain('::error')
    // The runner learns the secret from the mask command alone and hides it everywhere else.
    expect(run.stdout).toContain(`::add-mask::${secret}`)
    const unmasked = (run.stdout + run.stderr)
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
    expect(unmasked.join('\n')).not.toContain(secret)
  })

  test('fail_on_partial fails the step on a partial success', async () => {
    await fake.commit(org, 'api', 'main', { 'docs/extra.md': 'extra\n' })
    const tolerant = await runAction(
      fake.url,
      inputs('pull-docs', { target_repository: 'api, missing-one', dry_run: 'true' })
    )
    expect(tolerant.outputs.status).toBe('partial_success')
    expect(tolerant.code).toBe(0)

    const strict = await runAction(
      fake.url,
      inputs('pull-docs', {
        target_repository: 'api, missing-one',
        dry_run: 'true',
        fail_on_partial: 'true'
      })
    )
    expect(strict.outputs.status).toBe('partial_success')
    expect(strict.code).toBe(1)
  })

  test('an invalid input still sets status, a result with error and resolution, and a job summary', async () => {
    fake.clearLog()
    const run = await runAction(fake.url, inputs('pull-docs', { parallel: '500' }))

    expect(run.code).toBe(1)
    expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUTS].sort())
    expect(run.outputs.status).toBe('failure')
    const result = resultOf(run) as RunResult
    expect(result.error).toContain("Input 'parallel'")
    expect(result.resolution).toContain("'parallel'")
    expect(run.summary).toContain('codex-sync pull-docs: failure')
    expect(run.summary).toContain("Input 'parallel'")
    expect(fake.log).toEqual([])
  })

  test('mode merge combines the result files of the three modes into one report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-sync-results-'))
    try {
      for (const mode of ['pull-docs', 'push-docs', 'push-claude']) {
        const run = await runAction(fake.url, inputs(mode, { dry_run: 'true' }))
        writeFileSync(join(dir, `${mode}.json`), run.outputs.result ?? '')
      }
      const merged = await runAction(fake.url, { mode: 'merge', results: dir })
      expect(merged.stderr).toBe('')
      expect(merged.code).toBe(0)
      expect(Object.keys(merged.outputs).sort()).toEqual([...OUTPUTS].sort())
      const report = JSON.parse(merged.outputs.result ?? '{}') as Record<string, unknown>
      expect(report).toMatchObject({ status: 'success', direction: 'bidirectional', dry_run: true })
      expect(report.phase_1).toMatchObject({ phase: 'pull-docs', direction: 'to-codex' })
      expect(report.phase_3).toMatchObject({ phase: 'push-claude', direction: 'from-codex' })
      expect(merged.summary).toContain('| push-claude | from-codex | success |')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
