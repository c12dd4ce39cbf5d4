/**
 * The reusable workflows run as GitHub would run them, without GitHub: their `run:` scripts are
 * executed with bash (expressions substituted, `env:` evaluated), and their jobs' `if:` conditions
 * are evaluated on real outputs and chosen job outcomes. For .github/workflows/codex-sync.yml these
 * tests show which phases run for a `modes` input, that a skipped phase does not stop a later
 * selected one while a failed phase does, that the report runs whenever a phase ran, and what the
 * plan, the skip_failed_pulls step and the result files do with their inputs. For
 * codex-sync-plan.yml (at the end): the check refuses what the legs could not use before they
 * start, each leg keeps its result exactly, and the comment runs whenever the check passed.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import picomatch from 'picomatch'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { condition, interpolate, type Context, type Value } from './expressions.js'
import {
  WORKFLOWS_DIR,
  cleanUp,
  dict,
  job,
  loadWorkflow,
  runStep,
  step,
  workflowCall,
  type StepRun,
  type Workflow
} from './workflow-files.js'

const wf = loadWorkflow(`${WORKFLOWS_DIR}/codex-sync.yml`)
const PHASES = ['pull-docs', 'push-docs', 'push-claude'] as const
const JOBS = [...PHASES, 'report'] as const
type Result = 'success' | 'failure' | 'skipped'

const runs: StepRun[] = []
afterEach(() => runs.splice(0).forEach(cleanUp))

/** A workflow's inputs: its declared defaults, then `given`. */
function inputs(given: Record<string, Value> = {}, of: Workflow = wf): Record<string, Value> {
  const declared = dict(workflowCall(of).inputs, 'inputs')
  const defaults = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [name, dict(input, name).default as Value])
  )
  return { ...defaults, ...given }
}

interface Call {
  inputs?: Record<string, Value>
  secrets?: Record<string, Value>
  vars?: Record<string, Value>
}

function context(call: Call, of: Workflow = wf): Context {
  return {
    inputs: inputs(call.inputs, of),
    secrets: call.secrets ?? { app_private_key: '-----BEGIN RSA PRIVATE KEY-----…' },
    vars: call.vars ?? { CODEX_SYNC_APP_ID: '12345' },
    github: { repository: 'acme/codex.acme.io', repository_owner: 'acme' }
  }
}

/** A check step without the App's key, then without any credential: both refused, by name. */
function saysWhichCredentialIsMissing(runCheck: (call: Call) => StepRun): StepRun {
  const noKey = runCheck({ secrets: {} })
  expect(noKey.code).toBe(1)
  expect(noKey.stdout).toContain("not the secret 'app_private_key'")
  const nothing = runCheck({ vars: {}, secrets: {} })
  expect(nothing.code).toBe(1)
  expect(nothing.stdout).toContain('No credentials')
  return nothing
}

function plan(call: Call = {}): StepRun {
  const run = runStep(step(job(wf, 'plan'), 'plan'), context(call))
  runs.push(run)
  return run
}

/**
 * Which jobs run: the plan's script for real, then each job's `if:` on the results and outputs
 * of the jobs it needs; a job that runs ends as `outcomes` says (success by default).
 */
function simulate(call: Call, outcomes: Partial<Record<string, Result>> = {}) {
  const planRun = plan(call)
  const results: Record<string, Result> = { plan: planRun.code === 0 ? 'success' : 'failure' }
  const needs: Record<string, Value> = {
    plan: { result: results.plan ?? 'failure', outputs: planRun.outputs }
  }
  for (const id of JOBS) {
    const of = job(wf, id)
    const needed = [of.needs ?? []].flat().map(String)
    const ctx = { ...context(call), needs }
    const status = { needs: needed.map(name => results[name] ?? 'skipped') }
    const result: Result = condition(of.if, ctx, status) ? (outcomes[id] ?? 'success') : 'skipped'
    results[id] = result
    needs[id] = { result, outputs: {} }
  }
  return results
}

describe('which jobs run', () => {
  it('all three phases by default, one after another, then the report', () => {
    expect(simulate({})).toEqual({
      plan: 'success',
      'pull-docs': 'success',
      'push-docs': 'success',
      'push-claude': 'success',
      report: 'success'
    })
  })

  it('one phase alone: the phases before it are skipped and do not stop it', () => {
    expect(simulate({ inputs: { modes: 'push-claude' } })).toMatchObject({
      'pull-docs': 'skipped',
      'push-docs': 'skipped',
      'push-claude': 'success',
      report: 'success'
    })
    expect(simulate({ inputs: { modes: 'push-docs' } })).toMatchObject({
      'pull-docs': 'skipped',
      'push-docs': 'success',
      'push-claude': 'skipped',
      report: 'success'
    })
  })

  it('phases in any order and spacing still run in phase order, a gap in the middle included', () => {
    expect(simulate({ inputs: { modes: ' push-claude ,pull-docs' } })).toMatchObject({
      'pull-docs': 'success',
      'push-docs': 'skipped',
      'push-claude': 'success'
    })
  })

  it('a failed phase stops the later ones; the report still runs', () => {
    expect(simulate({}, { 'pull-docs': 'failure' })).toMatchObject({
      'push-docs': 'skipped',
      'push-claude': 'skipped',
      report: 'success'
    })
    expect(simulate({}, { 'push-docs': 'failure' })).toMatchObject({
      'pull-docs': 'success',
      'push-claude': 'skipped',
      report: 'success'
    })
    expect(
      simulate({ inputs: { modes: 'pull-docs,push-claude' } }, { 'pull-docs': 'failure' })
    ).toMatchObject({ 'push-claude': 'skipped', report: 'success' })
  })

  it('invalid inputs stop everything at the plan, before any phase', () => {
    const results = simulate({ inputs: { modes: 'pull-docs,push-doc' } })
    expect(results).toEqual({
      plan: 'failure',
      'pull-docs': 'skipped',
      'push-docs': 'skipped',
      'push-claude': 'skipped',
      report: 'skipped'
    })
  })
})

describe('the plan', () => {
  it('says which phases were chosen, from comma, space or newline separated names', () => {
    const { code, outputs } = plan({ inputs: { modes: 'push-claude\npull-docs' } })
    expect(code).toBe(0)
    expect(outputs).toMatchObject({
      pull_docs: 'true',
      push_docs: 'false',
      push_claude: 'true'
    })
  })

  it.each([
    ['pull-doc', "Input 'modes' names 'pull-doc'"],
    ['', "Input 'modes' names no phase"],
    [' , ', "Input 'modes' names no phase"],
    ['*', "Input 'modes' names '*'"]
  ])('rejects modes %j', (modes, message) => {
    const { code, stdout } = plan({ inputs: { modes } })
    expect(code).toBe(1)
    expect(stdout).toContain(`::error title=codex-sync workflow::${message}`)
  })

  it('lists the shards for the matrix; writes_per_hour is the run total, shared by its phases and shards', () => {
    // Three phases, one shard each: GitHub's hourly limit is the installation's, so each gets a third.
    const whole = plan()
    expect(whole.outputs).toMatchObject({
      shards: '[1]',
      writes_per_hour: '150',
      write_interval_ms: '1000'
    })
    expect(whole.stdout).toContain(
      'Write budget: 450 content-creating requests an hour for the run; each of 3 phase(s) x 1 shard(s) gets 150.'
    )
    expect(plan({ inputs: { modes: 'push-docs' } }).outputs.writes_per_hour).toBe('450')
    expect(plan({ inputs: { modes: 'push-docs,push-claude' } }).outputs.writes_per_hour).toBe('225')
    expect(plan({ inputs: { shards: 3 } }).outputs).toMatchObject({
      shards: '[1,2,3]',
      writes_per_hour: '50',
      write_interval_ms: '3000'
    })
    expect(
      plan({ inputs: { modes: 'pull-docs', shards: 3, writes_per_hour: 300 } }).outputs
    ).toMatchObject({ writes_per_hour: '100', write_interval_ms: '3000' })
    expect(
      plan({ inputs: { shards: 100, writes_per_hour: 50, write_interval_ms: 1000 } }).outputs
    ).toMatchObject({ writes_per_hour: '1', write_interval_ms: '60000' })
    const unlimited = plan({ inputs: { shards: 4, writes_per_hour: 0, write_interval_ms: 0 } })
    expect(unlimited.outputs).toMatchObject({ writes_per_hour: '0', write_interval_ms: '0' })
    expect(unlimited.stdout).not.toContain('Write budget')
  })

  it.each([0, 257, 2.5])('rejects shards: %p', shards => {
    const { code, stdout } = plan({ inputs: { shards } })
    expect(code).toBe(1)
    expect(stdout).toContain("Input 'shards' must be a whole number from 1 to 256")
  })

  it.each([
    [60, 0, '50'],
    [10, 0, '5'],
    [30, 0, '25'],
    [120, 0, '100'],
    [360, 0, '300'],
    [60, 40, '40'],
    [60, 59, '59']
  ])('timeout %p minutes, time budget %p: the action gets %s', (timeout, budget, expected) => {
    const { code, outputs } = plan({
      inputs: { timeout_minutes: timeout, time_budget_minutes: budget }
    })
    expect(code).toBe(0)
    expect(outputs.time_budget_minutes).toBe(expected)
  })

  it.each([
    [60, 60, "'time_budget_minutes' (60) must stay below 'timeout_minutes' (60)"],
    [
      360,
      355,
      "'time_budget_minutes' (355) must stay below 'timeout_minutes' (360) and at most 350"
    ],
    [9, 0, "Input 'timeout_minutes' must be a whole number from 10 to 360"],
    [361, 0, "Input 'timeout_minutes' must be a whole number from 10 to 360"]
  ])('rejects timeout %p with budget %p', (timeout, budget, message) => {
    const { code, stdout } = plan({
      inputs: { timeout_minutes: timeout, time_budget_minutes: budget }
    })
    expect(code).toBe(1)
    expect(stdout).toContain(message)
  })

  it('uses the App when an App id is given (input before variable), else the token', () => {
    expect(plan().outputs.app_id).toBe('12345')
    expect(plan({ inputs: { app_id: '777' } }).outputs.app_id).toBe('777')
    const tokenOnly = plan({ vars: {}, secrets: { token: 'ghp_x' } })
    expect(tokenOnly.code).toBe(0)
    expect(tokenOnly.outputs.app_id).toBe('')
    const both = plan({ secrets: { app_private_key: 'k', token: 'ghp_x' } })
    expect(both.stdout).toContain('Both an App and the secret')
  })

  it('says which credential is missing before any phase starts', () => {
    saysWhichCredentialIsMissing(plan)
  })

  it('names the artifacts after the environment', () => {
    expect(plan({ inputs: { environment: 'prod' } }).outputs).toMatchObject({
      artifact: 'codex-sync-result-prod',
      report: 'codex-sync-report-prod'
    })
    expect(plan({ inputs: { environment: 'team/a:b' } }).outputs.artifact).toBe(
      'codex-sync-result-team_a_b'
    )
  })
})

describe('result artifacts', () => {
  const planned = () => plan({ inputs: { shards: 3 } }).outputs
  const names = (outputs: Record<string, string>, pattern: (typeof PHASES)[number]) =>
    [1, 2, 3].map(shard =>
      interpolate(String(dict(step(job(wf, pattern), 'Upload the result').with, 'with').name), {
        needs: { plan: { outputs } },
        matrix: { shard },
        inputs: inputs({ shards: 3 })
      })
    )

  it('are named one per phase and shard; the report downloads them all and nothing else', () => {
    const outputs = planned()
    const uploaded = PHASES.flatMap(phase => names(outputs, phase))
    expect(uploaded).toContain('codex-sync-result-test-push-docs-2-of-3')
    expect(new Set(uploaded).size).toBe(9)
    const reportPattern = interpolate(
      String(dict(step(job(wf, 'report'), /^Download/).with, 'with').pattern),
      { needs: { plan: { outputs } } }
    )
    const inReport = picomatch(reportPattern)
    expect(uploaded.filter(name => inReport(name))).toEqual(uploaded)
    // The merged report of an earlier attempt is never merged again.
    expect(picomatch(reportPattern)(outputs.report ?? '')).toBe(false)
  })

  it('the pushes download only the pull-docs results for skip_failed_pulls', () => {
    const outputs = planned()
    const pattern = interpolate(
      String(dict(step(job(wf, 'push-docs'), /^Download/).with, 'with').pattern),
      { needs: { plan: { outputs } } }
    )
    const matches = picomatch(pattern)
    expect(PHASES.flatMap(phase => names(outputs, phase)).filter(name => matches(name))).toEqual(
      names(outputs, 'pull-docs')
    )
  })

  it('hold the result exactly, whatever it contains (no shell expansion, no early end)', () => {
    const hostile = JSON.stringify({
      mode: 'pull-docs',
      failures: [
        {
          project: "it's",
          error: 'x $(touch pwned) `touch pwned2` ${HOME} \\n\nCODEX_SYNC_RESULT\n\'"',
          resolution: 'CODEX_SYNC_FAILED'
        }
      ]
    })
    const run = runStep(step(job(wf, 'pull-docs'), 'Keep the result for the report'), {
      matrix: { shard: 2 },
      inputs: inputs({ shards: 3 }),
      steps: { sync: { outputs: { result: hostile, failed_projects: "it's,web" } } }
    })
    runs.push(run)
    expect(run.code).toBe(0)
    const folder = path.join(run.temp, 'codex-sync-result')
    expect(readFileSync(path.join(folder, 'pull-docs-2-of-3.json'), 'utf8')).toBe(`${hostile}\n`)
    expect(JSON.parse(readFileSync(path.join(folder, 'pull-docs-2-of-3.json'), 'utf8'))).toEqual(
      JSON.parse(hostile)
    )
    expect(readFileSync(path.join(folder, 'pull-docs-2-of-3.failed-projects.txt'), 'utf8')).toBe(
      "it's,web\n"
    )
    expect(existsSync(path.join(folder, 'pwned'))).toBe(false)
    expect(existsSync(path.join(folder, 'pwned2'))).toBe(false)
  })
})

describe('skip_failed_pulls', () => {
  const scope = (exclude: string, files?: Record<string, string>) => {
    const temp = mkdtempSync(path.join(tmpdir(), 'codex-sync-step-'))
    if (files) {
      mkdirSync(path.join(temp, 'codex-sync-pulls'))
      for (const [name, text] of Object.entries(files)) {
        writeFileSync(path.join(temp, 'codex-sync-pulls', name), text)
      }
    }
    const run = runStep(
      step(job(wf, 'push-docs'), 'scope'),
      { inputs: inputs({ exclude }) },
      { temp }
    )
    runs.push(run)
    expect(run.code).toBe(0)
    return run
  }

  it('adds the projects whose pull failed, across shards, to exclude', () => {
    const run = scope('legacy-*', {
      'pull-docs-1-of-3.failed-projects.txt': 'web,api\n',
      'pull-docs-2-of-3.failed-projects.txt': '\n',
      'pull-docs-3-of-3.failed-projects.txt': 'Web,worker\n',
      'pull-docs-1-of-3.json': '{"failures":[{"project":"ignored"}]}'
    })
    expect(run.outputs.exclude).toBe('legacy-*,api,web,worker')
    expect(run.stdout).toContain('Left out because their pull-docs failed: api,web,worker')
  })

  it('leaves exclude as given when no pull failed, or when it is off (nothing downloaded)', () => {
    expect(scope('a\nb', { 'pull-docs-1-of-1.failed-projects.txt': '\n' }).outputs.exclude).toBe(
      'a\nb'
    )
    expect(scope('').outputs.exclude).toBe('')
    expect(scope('', { 'pull-docs-1-of-1.failed-projects.txt': 'api\n' }).outputs.exclude).toBe(
      'api'
    )
  })
})

describe('the report', () => {
  it('names the phases and shards that left no result, and the phases an earlier failure stopped', () => {
    const temp = mkdtempSync(path.join(tmpdir(), 'codex-sync-step-'))
    const results = path.join(temp, 'codex-sync-results')
    mkdirSync(results)
    writeFileSync(path.join(results, 'pull-docs-1-of-2.json'), '{}')
    const run = runStep(
      step(job(wf, 'report'), /^Name the phases/),
      {
        inputs: inputs({ shards: 2 }),
        needs: {
          plan: { outputs: { pull_docs: 'true', push_docs: 'true', push_claude: 'false' } },
          'pull-docs': { result: 'failure' },
          'push-docs': { result: 'skipped' },
          'push-claude': { result: 'skipped' }
        }
      },
      { temp }
    )
    runs.push(run)
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n')).toEqual([
      '::error title=codex-sync::No result from pull-docs, shard 2 of 2: the job ended before reporting (timed out or cancelled). Its projects are missing from the report.',
      '::warning title=codex-sync::push-docs did not run: an earlier phase failed.'
    ])
    rmSync(temp, { recursive: true, force: true })
  })
})

// ---- the plan workflow (.github/workflows/codex-sync-plan.yml) --------------------------------

const planWf = loadWorkflow(`${WORKFLOWS_DIR}/codex-sync-plan.yml`)
const HEAD = '0123456789abcdef0123456789abcdef01234567'

/** The plan workflow's check step, called for pull request 12 at HEAD unless `call` says otherwise. */
function check(call: Call = {}): StepRun {
  const given = { codex_ref: HEAD, plan_comment: 12, ...call.inputs }
  const run = runStep(
    step(job(planWf, 'check'), 'check'),
    context({ ...call, inputs: given }, planWf)
  )
  runs.push(run)
  return run
}

describe('the plan workflow: its check', () => {
  it('passes the App id and a time budget below the job timeout to the legs', () => {
    const run = check()
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({ app_id: '12345', time_budget_minutes: '25' })
    expect(check({ inputs: { timeout_minutes: 120 } }).outputs.time_budget_minutes).toBe('100')
    expect(check({ vars: {}, secrets: { token: 'ghp_x' } }).outputs.app_id).toBe('')
  })

  it.each([
    [{ codex_ref: '' }, "Input 'codex_ref' is empty"],
    [{ plan_comment: 0 }, "Input 'plan_comment' must be the pull request's number"],
    [{ plan_comment: 1.5 }, "got '1.5'"],
    [{ timeout_minutes: 5 }, "Input 'timeout_minutes' must be a whole number from 10 to 360"]
  ])('refuses %p before any leg starts', (given, message) => {
    const run = check({ inputs: given })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(message)
  })

  it('says which credential is missing, and that forks get no secrets', () => {
    expect(saysWhichCredentialIsMissing(check).stdout).toContain('forks get no secrets')
  })
})

describe('the plan workflow: its legs and its comment', () => {
  it('keeps each leg’s result exactly, whatever it contains', () => {
    const result = `{"a":"$HOME \`x\` $(y) 'q' \\"d\\"","b":"CODEX_SYNC_RESULT"}`
    const run = runStep(step(job(planWf, 'plan'), 'Keep the result for the comment'), {
      matrix: { mode: 'push-claude' },
      steps: { plan: { outputs: { result } } }
    })
    runs.push(run)
    expect(run.code).toBe(0)
    const file = path.join(run.temp, 'codex-sync-plan', 'push-claude.json')
    expect(readFileSync(file, 'utf8')).toBe(`${result}\n`)
  })

  it('comments whenever the check passed, whatever became of the legs', () => {
    const comment = job(planWf, 'comment')
    const runsWhen = (check: string, plan: string) =>
      condition(
        comment.if,
        { needs: { check: { result: check }, plan: { result: plan } } },
        { needs: [check, plan] }
      )
    expect(runsWhen('success', 'success')).toBe(true)
    expect(runsWhen('success', 'failure')).toBe(true)
    expect(runsWhen('failure', 'skipped')).toBe(false)
  })

  it('names a mode that left no result', () => {
    const temp = mkdtempSync(path.join(tmpdir(), 'codex-sync-step-'))
    const results = path.join(temp, 'codex-sync-plan')
    mkdirSync(results)
    writeFileSync(path.join(results, 'push-docs.json'), '{}')
    const run = runStep(step(job(planWf, 'comment'), /^Name the modes/), {}, { temp })
    runs.push(run)
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n')).toEqual([
      '::error title=codex-sync plan::No plan from push-claude: its job ended before reporting (timed out or cancelled). The comment shows the other mode only.'
    ])
    rmSync(temp, { recursive: true, force: true })
  })
})
