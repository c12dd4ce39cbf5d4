// The command line's binding: every flag sets its action input, bad usage is named, the token is found.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'
import { ghHostname, NoTokenError, resolveToken, type RunCommand } from '../src/cli/credentials.js'
import {
  FLAGS,
  flagName,
  NOT_FLAGS,
  parseCommandLine,
  usageText,
  UsageError,
  type FlagSpec
} from '../src/cli/flags.js'
import { asFlags, readSettings, runCli } from '../src/cli/main.js'
import { TerminalLog } from '../src/cli/terminal-log.js'

const ACTION_INPUTS = Object.keys(
  (load(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as { inputs: object })
    .inputs
)

/** A value the flag's input accepts, so that the action's parser can read it too. */
const SAMPLE: Record<string, string> = {
  mode: 'push-docs',
  app_id: '12345',
  organization: 'acme',
  codex_repository: 'codex.acme.io',
  target_repository: 'web',
  environment: 'prod',
  config: 'conf/sync.yml',
  include: 'api-*',
  exclude: 'legacy-*',
  parallel: '7',
  commit_strategy: 'auto',
  codex_commit: 'single',
  commit_message: 'docs: sync',
  pull_request_title: 'Sync the docs',
  pull_request_body: 'From the codex.',
  pull_request_labels: 'docs',
  pull_request_reviewers: 'octocat',
  shard: '2/3',
  write_interval_ms: '0',
  time_budget_minutes: '20',
  writes_per_hour: '100',
  codex_ref: 'feature'
}

/** Every way of writing a flag with a value: `--name value` and `--name=value`, each name. */
function spellings(spec: FlagSpec, value: string): string[][] {
  const names = [
    flagName(spec),
    ...(spec.short && !spec.file ? [`--${spec.input.replace(/_/g, '-')}`] : [])
  ]
  if (spec.kind === 'switch') return names.flatMap(name => [[name], [`${name}=true`]])
  return names.flatMap(name => [[name, value], [`${name}=${value}`]])
}

function usageError(args: string[]): string {
  try {
    parseCommandLine(args)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error(`no usage error for ${args.join(' ')}`)
}

function collected(isTTY = false, columns = 80) {
  const stream = { text: '', isTTY, columns, write: (chunk: string) => void (stream.text += chunk) }
  return stream
}

describe('the flag table', () => {
  it('holds every input of action.yml but those the command line gets elsewhere, in order', () => {
    expect(FLAGS.map(spec => spec.input)).toEqual(
      ACTION_INPUTS.filter(input => !(input in NOT_FLAGS))
    )
    for (const input of Object.keys(NOT_FLAGS)) expect(ACTION_INPUTS).toContain(input)
  })

  it('the usage text lists every flag by every name', () => {
    const usage = usageText()
    for (const spec of FLAGS) expect(usage).toContain(flagName(spec))
    expect(usage).toContain('--organization')
    expect(usage).toContain('--target-repository')
    expect(usage).toMatch(/GITHUB_TOKEN.*GH_TOKEN.*gh auth token/)
    expect(usage).not.toContain('--token')
  })

  it('the usage text says how to point at a local stand-in, and which inputs are not flags', () => {
    const usage = usageText()
    expect(usage).toContain('GITHUB_API_URL')
    expect(usage).toContain('npm run playground')
    for (const input of Object.keys(NOT_FLAGS)) expect(usage).toContain(input)
  })
})

describe('parseCommandLine', () => {
  it.each(FLAGS.map(spec => [flagName(spec), spec] as const))(
    '%s sets its input, whichever way it is written',
    (_name, spec) => {
      const value = SAMPLE[spec.input] ?? 'true'
      for (const written of spellings(spec, value)) {
        const line = parseCommandLine(['plan', ...written])
        expect({ written, inputs: line.inputs }).toEqual({
          written,
          inputs: { [spec.input]: spec.kind === 'switch' ? 'true' : value }
        })
      }
    }
  )

  it('reads the command, the switches of its own, and the flags in any order', () => {
    const line = parseCommandLine(['--org', 'acme', 'sync', '--json', '--verbose', '--dry-run'])
    expect(line).toEqual({
      command: 'sync',
      inputs: { organization: 'acme', dry_run: 'true' },
      json: true,
      verbose: true,
      help: false
    })
    expect(parseCommandLine(['-h']).help).toBe(true)
    expect(parseCommandLine(['--help']).help).toBe(true)
    expect(parseCommandLine(['--dry-run=false']).inputs.dry_run).toBe('false')
  })

  it('joins a repeated list flag with commas, as the inputs are written', () => {
    const line = parseCommandLine([
      '--project',
      'web',
      '--target-repository=api',
      '--exclude',
      'a,b'
    ])
    expect(line.inputs).toEqual({ target_repository: 'web,api', exclude: 'a,b' })
  })

  it('names what is wrong', () => {
    expect(usageError(['plan', '--bogus', 'x'])).toBe('unknown flag --bogus')
    expect(usageError(['plan', '--token=abc'])).toBe('unknown flag --token')
    expect(usageError(['plan', '--private-key', 'k.pem'])).toBe('unknown flag --private-key')
    expect(usageError(['plan', '--toString'])).toBe('unknown flag --toString')
    expect(usageError(['plan', '--org'])).toBe('--org needs a value (--org ORG)')
    expect(usageError(['plan', '--mode', '--json'])).toBe('--mode needs a value (--mode MODE)')
    expect(usageError(['plan', '--org', 'a', '--organization', 'b'])).toBe('--org is given twice')
    expect(usageError(['deploy'])).toBe("unknown command 'deploy': the commands are plan and sync")
    expect(usageError(['plan', 'sync'])).toBe("unexpected argument 'sync'")
    expect(usageError(['plan', '--json=yes'])).toBe('--json takes no value')
  })
})

describe('readSettings: the flags through the action parser', () => {
  const context = { env: {}, cwd: '/nonexistent' }

  it('gives the Settings the inputs give', () => {
    const args = FLAGS.filter(spec => !spec.file && spec.input !== 'app_id').flatMap(spec =>
      spec.kind === 'switch' ? [flagName(spec)] : [flagName(spec), SAMPLE[spec.input] ?? '']
    )
    const settings = readSettings(parseCommandLine(['sync', ...args]), context)
    expect(settings).toMatchObject({
      mode: 'push-docs',
      organization: 'acme',
      codexRepository: 'codex.acme.io',
      targetRepositories: ['web'],
      environment: 'prod',
      configPath: 'conf/sync.yml',
      include: ['api-*'],
      exclude: ['legacy-*'],
      parallel: 7,
      dryRun: true,
      commitStrategy: 'auto',
      codexCommit: 'single',
      skipCi: true,
      commitMessage: 'docs: sync',
      pullRequest: {
        title: 'Sync the docs',
        body: 'From the codex.',
        labels: ['docs'],
        reviewers: ['octocat'],
        draft: true
      },
      shard: { index: 2, count: 3 },
      writeIntervalMs: 0,
      failOnPartial: true,
      timeBudgetMs: 20 * 60_000,
      writesPerHour: 100,
      codexRef: 'feature'
    })
    expect(settings.auth.kind).toBe('token')
  })

  it('plan never writes; sync writes unless --dry-run', () => {
    const base = ['--org', 'acme', '--mode', 'pull-docs']
    expect(readSettings(parseCommandLine(['plan', ...base]), context).dryRun).toBe(true)
    expect(
      readSettings(parseCommandLine(['plan', ...base, '--dry-run=false']), context).dryRun
    ).toBe(true)
    expect(readSettings(parseCommandLine(['sync', ...base]), context).dryRun).toBe(false)
    expect(readSettings(parseCommandLine(['sync', ...base, '--dry-run']), context).dryRun).toBe(
      true
    )
  })

  it('needs a command and a mode of the engine', () => {
    const read = (args: string[]) => () => readSettings(parseCommandLine(args), context)
    expect(read(['--org', 'acme', '--mode', 'push-docs'])).toThrow(
      'a command is needed: plan or sync'
    )
    expect(read(['plan', '--org', 'acme'])).toThrow('--mode is required')
    expect(read(['plan', '--org', 'acme', '--mode', 'merge'])).toThrow(
      "--mode must be pull-docs, push-docs, push-claude, got 'merge'"
    )
  })

  it('reads the App key from the file --private-key-file names, and names a file it cannot read', () => {
    const args = ['plan', '--org', 'acme', '--mode', 'push-docs', '--app-id', '1']
    expect(() =>
      readSettings(parseCommandLine([...args, '--private-key-file', 'k.pem']), context)
    ).toThrow(/^--private-key-file k\.pem: the file cannot be read/)
    const fixture = new URL('../__fixtures__/', import.meta.url).pathname
    expect(() =>
      readSettings(parseCommandLine([...args, '--private-key-file', 'sample-org.ts']), {
        env: {},
        cwd: fixture
      })
    ).toThrow("Input 'private_key' must be the GitHub App's private key in PEM form")
  })
})

describe('runCli: bad usage and help', () => {
  async function run(args: string[]) {
    const stdout = collected()
    const stderr = collected()
    const code = await runCli(args, { stdout, stderr, env: {}, cwd: '/nonexistent' })
    return { code, stdout: stdout.text, stderr: stderr.text }
  }

  it('--help prints the usage text on stdout and exits 0', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: usageText(), stderr: '' })
  })

  it('an unknown flag exits 2 with one line naming it, and --help for the rest', async () => {
    const ran = await run(['plan', '--org', 'acme', '--mode', 'push-docs', '--colour'])
    expect(ran).toEqual({
      code: 2,
      stdout: '',
      stderr: 'codex-sync: unknown flag --colour (see codex-sync --help)\n'
    })
  })

  it.each([
    [['plan', '--org'], '--org needs a value (--org ORG)'],
    [['deploy'], "unknown command 'deploy': the commands are plan and sync"],
    [[], 'a command is needed: plan or sync'],
    [['plan', '--org', 'acme'], '--mode is required'],
    [
      ['plan', '--org', 'acme', '--mode', 'merge'],
      "--mode must be pull-docs, push-docs, push-claude, got 'merge'"
    ],
    [['plan', '--org', 'acme', '--mode', 'push-docs', '--results', 'x'], 'unknown flag --results']
  ])('bad usage %j is one line on stderr: %s', async (args, message) => {
    const ran = await run(args)
    expect(ran).toEqual({
      code: 2,
      stdout: '',
      stderr: `codex-sync: ${message} (see codex-sync --help)\n`
    })
  })

  it('a value the action would refuse exits 2, named by its flag, in one line', async () => {
    const ran = await run(['plan', '--org', 'acme', '--mode', 'push-docs', '--parallel', 'many'])
    expect(ran.code).toBe(2)
    expect(ran.stdout).toBe('')
    expect(ran.stderr).toBe(
      "codex-sync: --parallel must be an integer from 1 to 50, got 'many' (see codex-sync --help)\n"
    )
  })

  it('speaks of flags where the parser speaks of inputs', () => {
    expect(asFlags("Input 'organization' is required outside GitHub Actions")).toBe(
      '--org is required outside GitHub Actions'
    )
    expect(asFlags("Input 'app_id' must be the App's id, given with 'private_key'")).toBe(
      "--app-id must be the App's id, given with --private-key-file"
    )
    expect(asFlags("Input 'commit_strategy' must be direct or auto, got 'include'")).toBe(
      "--commit-strategy must be direct or auto, got 'include'"
    )
    expect(asFlags("or set input 'codex_repository'")).toBe('or set --codex')
  })
})

describe('resolveToken', () => {
  const gh = (outcome: Partial<ReturnType<RunCommand>>) => {
    const calls: string[][] = []
    const run: RunCommand = (command, args) => {
      calls.push([command, ...args])
      return { status: 0, stdout: '', stderr: '', ...outcome }
    }
    return { run, calls }
  }

  it('takes GITHUB_TOKEN, then GH_TOKEN, without running gh', () => {
    const { run, calls } = gh({ stdout: 'from-gh\n' })
    expect(resolveToken({ GITHUB_TOKEN: ' a ', GH_TOKEN: 'b' }, run)).toBe('a')
    expect(resolveToken({ GITHUB_TOKEN: '', GH_TOKEN: 'b' }, run)).toBe('b')
    expect(calls).toEqual([])
  })

  it('else asks `gh auth token`, for the host of GITHUB_API_URL', () => {
    const { run, calls } = gh({ stdout: 'gho_abc\n' })
    expect(resolveToken({}, run)).toBe('gho_abc')
    expect(resolveToken({ GITHUB_API_URL: 'https://ghe.example.com/api/v3' }, run)).toBe('gho_abc')
    expect(calls).toEqual([
      ['gh', 'auth', 'token'],
      ['gh', 'auth', 'token', '--hostname', 'ghe.example.com']
    ])
  })

  it('names the three ways when gh is missing or has no token', () => {
    const missing = Object.assign(new Error('spawnSync gh ENOENT'), { code: 'ENOENT' })
    const failures = [
      [gh({ status: null, error: missing }).run, 'the GitHub CLI (gh) is not installed'],
      [
        gh({ status: 1, stderr: 'You are not logged into any GitHub hosts.\n' }).run,
        '`gh auth token` gave none (You are not logged into any GitHub hosts.)'
      ]
    ] as const
    for (const [run, why] of failures) {
      let thrown: unknown
      try {
        resolveToken({}, run)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(NoTokenError)
      const { message, resolution } = thrown as NoTokenError
      expect(message).toBe(`No GitHub token: GITHUB_TOKEN and GH_TOKEN are not set, and ${why}.`)
      expect(resolution).toMatch(/GITHUB_TOKEN or GH_TOKEN.*\(gh auth login\)/)
    }
  })

  it('knows the host gh knows the API by', () => {
    expect(ghHostname(undefined)).toBeUndefined()
    expect(ghHostname('https://api.github.com')).toBeUndefined()
    expect(ghHostname('https://ghe.example.com/api/v3')).toBe('ghe.example.com')
    expect(ghHostname('https://api.octo.ghe.com')).toBe('octo.ghe.com')
    expect(ghHostname('not a url')).toBeUndefined()
  })
})

describe('TerminalLog', () => {
  it('prints plain lines when stderr is not a terminal', () => {
    const stream = collected(false)
    const log = new TerminalLog(stream)
    log.info('codex-sync push-docs')
    log.info('[1/2] web: synced (1 added, 0 modified, 0 deleted, dry run)')
    log.debug('hidden')
    log.warning('bad frontmatter', { file: 'docs/x.md', title: 't' })
    log.error('web: failed — retry')
    log.finish()
    expect(stream.text).toBe(
      [
        'codex-sync push-docs',
        '[1/2] web: synced (1 added, 0 modified, 0 deleted, dry run)',
        'warning: docs/x.md: bad frontmatter',
        'error: web: failed — retry',
        ''
      ].join('\n')
    )
  })

  it('draws a bar from the progress lines on a terminal, keeps other lines above it, and clears it', () => {
    const stream = collected(true, 50)
    const log = new TerminalLog(stream, true)
    log.info('[1/4] api: unchanged')
    log.debug('rate limit')
    log.info('[4/4] a-project-with-a-very-long-name: synced (1 added, 0 modified, 0 deleted)')
    log.finish()
    const bar1 = '[######------------------] 1/4  api: unchanged'
    const bar4 = '[########################] 4/4  a-project-with-a…'
    expect(bar4.length).toBeLessThan(50)
    expect(stream.text).toBe(
      `\r\x1b[2K${bar1}\r\x1b[2Kdebug: rate limit\n${bar1}\r\x1b[2K${bar4}\r\x1b[2K`
    )
  })
})
