/**
 * The repository's workflow files for tests: loading, their jobs and steps, and running a step's
 * `run:` script with bash the way the runner does (expressions substituted, `env:` evaluated,
 * `$GITHUB_OUTPUT` read back).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from 'js-yaml'
import { interpolate, type Context, type Status } from './expressions.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Workflows that run in this repository. */
export const WORKFLOWS_DIR = '.github/workflows'
/** The codex template's caller workflow: linted and checked like the others, never run here. */
export const TEMPLATE_WORKFLOWS_DIR = 'examples/codex/.github/workflows'

export type Dict = Record<string, unknown>

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function dict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new Error(`${what} is not a mapping`)
  return value
}

export interface Workflow {
  /** Path from the repository root. */
  file: string
  text: string
  doc: Dict
}

export function loadWorkflow(file: string): Workflow {
  const text = readFileSync(path.join(ROOT, file), 'utf8')
  return { file, text, doc: dict(load(text), file) }
}

/** The workflow files of a folder, as paths from the repository root. */
export function workflowFilesIn(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir))
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => `${dir}/${name}`)
}

export function jobsOf(workflow: Workflow): [string, Dict][] {
  return Object.entries(dict(workflow.doc.jobs, `${workflow.file}: jobs`)).map(([id, job]) => [
    id,
    dict(job, `${workflow.file}: jobs.${id}`)
  ])
}

export function job(workflow: Workflow, id: string): Dict {
  return dict(dict(workflow.doc.jobs, 'jobs')[id], `${workflow.file}: jobs.${id}`)
}

export function stepsOf(job: Dict): Dict[] {
  return Array.isArray(job.steps) ? job.steps.map((step, i) => dict(step, `step ${i}`)) : []
}

export function step(job: Dict, name: string | RegExp): Dict {
  const found = stepsOf(job).find(candidate =>
    typeof name === 'string'
      ? candidate.id === name || candidate.name === name
      : name.test(String(candidate.name))
  )
  if (!found) throw new Error(`no step ${String(name)}`)
  return found
}

/** `on.workflow_call` of a reusable workflow. */
export function workflowCall(workflow: Workflow): Dict {
  return dict(
    dict(workflow.doc.on, `${workflow.file}: on`).workflow_call,
    `${workflow.file}: on.workflow_call`
  )
}

/** Every `uses:` of a workflow: job-level (reusable workflows) and step-level (actions). */
export function usesOf(workflow: Workflow): { where: string; uses: string }[] {
  const found: { where: string; uses: string }[] = []
  for (const [id, job] of jobsOf(workflow)) {
    if (typeof job.uses === 'string') found.push({ where: `jobs.${id}`, uses: job.uses })
    stepsOf(job).forEach((step, i) => {
      if (typeof step.uses === 'string')
        found.push({ where: `jobs.${id}.steps[${i}]`, uses: step.uses })
    })
  }
  return found
}

/** The `run:` scripts of some jobs, one after another. */
export function scriptsOf(...jobs: Dict[]): string {
  return jobs
    .flatMap(of => stepsOf(of))
    .map(each => (typeof each.run === 'string' ? each.run : ''))
    .join('\n')
}

/** The commands missing from `script` or standing before the one listed ahead of them. */
export function outOfOrder(script: string, commands: string[]): string[] {
  let from = 0
  const problems: string[] = []
  for (const command of commands) {
    const at = script.indexOf(command, from)
    if (at < 0)
      problems.push(
        `${command} (missing${script.includes(command) ? ' after the one before' : ''})`
      )
    else from = at + command.length
  }
  return problems
}

export interface StepRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** The folder the step ran in, as $RUNNER_TEMP; removed by cleanUp(). */
  temp: string
}

/** `name=value` lines and `name<<DELIMITER` blocks of a $GITHUB_OUTPUT file. */
export function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const block = /^([^=<]+)<<(.+)$/.exec(line)
    if (block?.[1] && block[2]) {
      const value: string[] = []
      while (i + 1 < lines.length && lines[i + 1] !== block[2]) value.push(lines[++i] ?? '')
      i++
      outputs[block[1]] = value.join('\n')
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}

/**
 * Runs a step's `run:` with bash as the runner does: `${{ }}` in the script and in `env:` replaced
 * by their values in `context`, RUNNER_TEMP and GITHUB_OUTPUT set, the working directory `cwd`.
 * `runner.temp` in the context is the step's temporary folder.
 */
export function runStep(
  step: Dict,
  context: Context,
  options: { cwd?: string; status?: Status; temp?: string } = {}
): StepRun {
  if (typeof step.run !== 'string') throw new Error(`step ${String(step.name)} has no run script`)
  const temp = options.temp ?? mkdtempSync(path.join(tmpdir(), 'codex-sync-step-'))
  const full: Context = { ...context, runner: { temp, os: 'Linux' } }
  const outputFile = path.join(temp, 'github-output')
  writeFileSync(outputFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? temp,
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: outputFile
  }
  for (const [key, value] of Object.entries(isDict(step.env) ? step.env : {})) {
    env[key] = interpolate(String(value), full, options.status)
  }
  const script = interpolate(step.run, full, options.status)
  const scriptFile = path.join(temp, 'step.sh')
  writeFileSync(scriptFile, script)
  // GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd: options.cwd ?? temp,
    env,
    encoding: 'utf8'
  })
  return {
    code: result.status ?? 1,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: readOutputs(readFileSync(outputFile, 'utf8')),
    temp
  }
}

export function cleanUp(run: { temp: string }): void {
  rmSync(run.temp, { recursive: true, force: true })
}
