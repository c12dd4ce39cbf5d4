/**
 * The plan workflow (.github/workflows/codex-sync-plan.yml) run as GitHub would run it, without
 * GitHub: its `run:` scripts executed with bash and its jobs' `if:` evaluated. The check refuses what
 * the legs could not use before they start, each leg keeps its result exactly, and the comment job
 * runs whenever the check passed, naming a mode that left no result.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { condition, type Value } from './expressions.js'
import {
  WORKFLOWS_DIR,
  cleanUp,
  dict,
  job,
  loadWorkflow,
  runStep,
  step,
  workflowCall,
  type StepRun
} from './workflow-files.js'

const wf = loadWorkflow(`${WORKFLOWS_DIR}/codex-sync-plan.yml`)
const HEAD = '0123456789abcdef0123456789abcdef01234567'

const runs: StepRun[] = []
afterEach(() => runs.splice(0).forEach(cleanUp))

function inputs(given: Record<string, Value> = {}): Record<string, Value> {
  const declared = dict(workflowCall(wf).inputs, 'inputs')
  const defaults = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [name, dict(input, name).default as Value])
  )
  return { ...defaults, codex_ref: HEAD, plan_comment: 12, ...given }
}

interface Call {
  inputs?: Record<string, Value>
  secrets?: Record<string, Value>
  vars?: Record<string, Value>
}

function check(call: Call = {}): StepRun {
  const run = runStep(step(job(wf, 'check'), 'check'), {
    inputs: inputs(call.inputs),
    secrets: call.secrets ?? { app_private_key: '-----BEGIN RSA PRIVATE KEY-----…' },
    vars: call.vars ?? { CODEX_SYNC_APP_ID: '12345' },
    github: { repository: 'acme/codex.acme.io', repository_owner: 'acme' }
  })
  runs.push(run)
  return run
}

describe('the check', () => {
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
    const noKey = check({ secrets: {} })
    expect(noKey.code).toBe(1)
    expect(noKey.stdout).toContain("not the secret 'app_private_key'")
    const nothing = check({ vars: {}, secrets: {} })
    expect(nothing.code).toBe(1)
    expect(nothing.stdout).toContain('No credentials')
    expect(nothing.stdout).toContain('forks get no secrets')
  })
})

describe('the legs and the comment', () => {
  it('keeps each leg’s result exactly, whatever it contains', () => {
    const result = `{"a":"$HOME \`x\` $(y) 'q' \\"d\\"","b":"CODEX_SYNC_RESULT"}`
    const run = runStep(step(job(wf, 'plan'), 'Keep the result for the comment'), {
      matrix: { mode: 'push-claude' },
      steps: { plan: { outputs: { result } } }
    })
    runs.push(run)
    expect(run.code).toBe(0)
    const file = path.join(run.temp, 'codex-sync-plan', 'push-claude.json')
    expect(readFileSync(file, 'utf8')).toBe(`${result}\n`)
  })

  it('comments whenever the check passed, whatever became of the legs', () => {
    const comment = job(wf, 'comment')
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
    const run = runStep(step(job(wf, 'comment'), /^Name the modes/), {}, { temp })
    runs.push(run)
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n')).toEqual([
      '::error title=codex-sync plan::No plan from push-claude: its job ended before reporting (timed out or cancelled). The comment shows the other mode only.'
    ])
    rmSync(temp, { recursive: true, force: true })
  })
})
