import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunResult } from '../src/result/run.js'

export interface ActionRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

export const DIST_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/**
 * Runs the bundled action the way the runner does: a node process with INPUT_* variables, and
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files that it reads back.
 */
export async function runAction(
  apiUrl: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = []
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-sync-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_API_URL: apiUrl,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...extraEnv
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    const { code, stdout, stderr } = await spawnNode([...nodeArgs, DIST_ENTRY], env, dir)
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function spawnNode(
  args: string[],
  env: Record<string, string>,
  cwd: string
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, cwd })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', fail)
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }))
  })
}

/** GITHUB_OUTPUT holds `name<<DELIMITER`, the value's lines, then `DELIMITER`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const header = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '')
    if (!header) continue
    const [, name, delimiter] = header as unknown as [string, string, string]
    const value: string[] = []
    while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

/** The run's `result` output, parsed; undefined when the action wrote none. */
export function resultOf(run: ActionRun): RunResult | undefined {
  return run.outputs.result ? (JSON.parse(run.outputs.result) as RunResult) : undefined
}
