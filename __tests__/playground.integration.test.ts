/**
 * `npm run playground` as the README tells a newcomer to use it: started as a child process, its
 * printed `export` lines and commands are read and run exactly as printed (with bash, from the
 * repository root), and Ctrl-C (SIGINT to its process group) stops it and removes its repositories.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from './workflow-files.js'

let playground: ChildProcess
let printed = ''
let exited: Promise<number | null>

/**
 * Starts the command of `npm run playground` (tsx, from node_modules/.bin, as npm runs it: npm itself
 * dies of a Ctrl-C before its script ends) in its own process group; resolves once it has printed
 * everything.
 */
function start(): Promise<void> {
  const script = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
  ).scripts.playground
  expect(script).toBe('tsx scripts/playground.ts')
  const [command = '', ...args] = (script ?? '').split(' ')
  playground = spawn(path.join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  exited = new Promise(done => playground.on('exit', code => done(code)))
  return new Promise((ready, failed) => {
    const timer = setTimeout(
      () => failed(new Error(`no instructions in 60 s:\n${printed}`)),
      60_000
    )
    playground.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8')
      if (printed.includes('Ctrl-C stops')) {
        clearTimeout(timer)
        ready()
      }
    })
    playground.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')))
    playground.on('exit', code => failed(new Error(`the playground exited (${code}):\n${printed}`)))
  })
}

/** `export NAME=value` lines, as a shell would set them. */
function exported(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const match of printed.matchAll(/^export ([A-Z_]+)=(\S+)$/gm)) {
    env[match[1] as string] = match[2] as string
  }
  return env
}

/** The printed commands, one a line, each with its comment. */
function commands(): string[] {
  return printed.split('\n').filter(line => line.startsWith('node dist/cli.js '))
}

/** Runs a printed line with bash, with only the exported variables (and PATH, HOME) set. */
function run(line: string): { code: number | null; stdout: string; stderr: string } {
  const { PATH = '/usr/bin:/bin', HOME = ROOT } = process.env
  const ran = spawnSync('bash', ['-c', line], {
    cwd: ROOT,
    env: { PATH, HOME, ...exported() },
    encoding: 'utf8'
  })
  return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr }
}

describe('npm run playground', () => {
  beforeAll(start, 70_000)
  afterAll(() => {
    if (playground?.exitCode === null && playground.pid) {
      try {
        process.kill(-playground.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })

  test('prints the two variables to export and three commands: plan, sync, a rerun', () => {
    const env = exported()
    expect(Object.keys(env).sort()).toEqual(['GITHUB_API_URL', 'GITHUB_TOKEN'])
    expect(env.GITHUB_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const lines = commands()
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^node dist\/cli\.js plan /)
    expect(lines[1]).toMatch(/^node dist\/cli\.js sync /)
    expect(lines[2]?.split('#')[0]).toBe(lines[1]?.split('#')[0])
  })

  test('the printed commands run against it: a plan, a sync, and a rerun that writes nothing', () => {
    const [plan, sync, rerun] = commands().map(run)
    expect(plan).toMatchObject({ code: 0 })
    expect(plan?.stdout).toContain('success (dry run: planned, nothing written)')
    expect(plan?.stdout).toMatch(/^web +synced +2 +0 +0 +planned below$/m)

    expect(sync).toMatchObject({ code: 0 })
    expect(sync?.stdout).toContain(
      '3 succeeded, 0 failed, 3 skipped; 9 files synced, 0 deleted, 3 commits'
    )

    expect(rerun).toMatchObject({ code: 0 })
    expect(rerun?.stdout).toContain('0 files synced, 0 deleted, 0 commits')
    expect(rerun?.stdout).toMatch(/^web +unchanged/m)
  }, 60_000)

  test('Ctrl-C stops it and removes its repositories', async () => {
    const repositories = /git --git-dir (\S+) /.exec(printed)?.[1] ?? ''
    expect(existsSync(repositories)).toBe(true)
    process.kill(-(playground.pid as number), 'SIGINT')
    expect(await exited).toBe(0)
    expect(existsSync(repositories)).toBe(false)
  }, 30_000)
})
