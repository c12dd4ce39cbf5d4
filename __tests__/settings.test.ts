import { readFileSync } from 'node:fs'
import { describe, expect, it, jest } from '@jest/globals'
import { load } from 'js-yaml'
import {
  InputError,
  parseDotEnv,
  parseSettings,
  parseShard,
  parseTask,
  splitList,
  type InputReader
} from '../src/inputs/settings.js'

const required = { mode: 'pull-docs', token: 'secret-token' }
const inActions = { GITHUB_REPOSITORY: 'acme/codex.acme.io' }

function reader(values: Record<string, string>): InputReader {
  return name => values[name] ?? ''
}

function parse(
  values: Record<string, string>,
  env: Record<string, string | undefined> = inActions,
  readDotEnv?: () => string | undefined
) {
  return parseSettings(reader({ ...required, ...values }), env, readDotEnv)
}

function inputError(action: () => unknown): InputError {
  try {
    action()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

function expectInputError(action: () => unknown, input: string): InputError {
  const error = inputError(action)
  expect(error.name).toBe('InputError')
  expect(error.input).toBe(input)
  expect(error.message).toContain(`'${input}'`)
  return error
}

describe('parseSettings defaults', () => {
  it("falls back, for an empty input, to exactly action.yml's default", () => {
    const action = load(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    const literal = Object.entries(action.inputs).filter(
      ([, input]) => input.default !== undefined && !input.default.includes('${{')
    )
    expect(literal.map(([name]) => name)).toEqual(
      expect.arrayContaining(['environment', 'parallel', 'shard', 'write_interval_ms'])
    )
    const defaults = Object.fromEntries(
      literal
        .filter(([name]) => !(name in required))
        .map(([name, input]) => [name, String(input.default)])
    )
    expect(parse({})).toEqual(parse(defaults))
  })

  it('fills every optional input with its documented default', () => {
    expect(parse({})).toEqual({
      mode: 'pull-docs',
      auth: { kind: 'token', token: 'secret-token' },
      apiUrl: 'https://api.github.com',
      organization: 'acme',
      codexRepository: undefined,
      targetRepositories: [],
      environment: 'test',
      configPath: '.github/codex-sync.yml',
      include: ['*'],
      exclude: [],
      parallel: 5,
      dryRun: false,
      commitStrategy: 'direct',
      codexCommit: 'auto',
      shard: { index: 1, count: 1 },
      writeIntervalMs: 1000,
      failOnPartial: false,
      skipCi: false,
      commitMessage: undefined,
      pullRequest: {
        title: undefined,
        body: undefined,
        labels: [],
        reviewers: [],
        teamReviewers: [],
        draft: false
      },
      timeBudgetMs: 50 * 60_000,
      writesPerHour: 450,
      codexRef: undefined,
      stateKey: undefined,
      pruneOrphans: false
    })
  })

  it('reads every input by its snake_case name', () => {
    const settings = parse({
      mode: 'push-claude',
      organization: 'other',
      codex_repository: 'codex.other.io',
      target_repository: 'api, web',
      environment: 'prod',
      config: 'ci/sync.yml',
      include: 'api-*\nweb',
      exclude: 'legacy-*',
      parallel: '12',
      dry_run: 'true',
      commit_strategy: 'pull-request',
      codex_commit: 'single',
      shard: '2/3',
      write_interval_ms: '0',
      fail_on_partial: 'TRUE',
      skip_ci: 'true',
      commit_message: 'docs: sync shared documentation',
      pull_request_title: 'Shared docs',
      pull_request_body: 'From the codex.',
      pull_request_labels: 'docs, codex',
      pull_request_reviewers: 'alice\nacme/platform',
      pull_request_draft: 'true',
      time_budget_minutes: '0.5',
      writes_per_hour: '0',
      codex_ref: 'refs/heads/feature/x'
    })
    expect(settings).toMatchObject({
      mode: 'push-claude',
      organization: 'other',
      codexRepository: 'codex.other.io',
      targetRepositories: ['api', 'web'],
      environment: 'prod',
      configPath: 'ci/sync.yml',
      include: ['api-*', 'web'],
      exclude: ['legacy-*'],
      parallel: 12,
      dryRun: true,
      commitStrategy: 'pull-request',
      codexCommit: 'single',
      shard: { index: 2, count: 3 },
      writeIntervalMs: 0,
      failOnPartial: true,
      skipCi: true,
      commitMessage: 'docs: sync shared documentation',
      pullRequest: {
        title: 'Shared docs',
        body: 'From the codex.',
        labels: ['docs', 'codex'],
        reviewers: ['alice'],
        teamReviewers: ['platform'],
        draft: true
      },
      timeBudgetMs: 30_000,
      writesPerHour: 0,
      codexRef: 'feature/x'
    })
  })

  it('takes the API URL from GITHUB_API_URL without trailing slash', () => {
    const env = { ...inActions, GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }
    expect(parse({}, env).apiUrl).toBe('https://ghe.example.com/api/v3')
    const error = inputError(() => parse({}, { ...inActions, GITHUB_API_URL: 'not a url' }))
    expect(error.input).toBe('GITHUB_API_URL')
    expect(error.message).toContain('GITHUB_API_URL')
  })
})

describe('authentication', () => {
  const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----'

  it('takes a GitHub App id and private key instead of a token', () => {
    expect(parse({ token: '', app_id: '123', private_key: KEY }).auth).toEqual({
      kind: 'app',
      appId: '123',
      privateKey: KEY
    })
  })

  it('turns a key pasted with literal \\n back into lines', () => {
    const pasted = KEY.replace(/\n/g, '\\n')
    const auth = parse({ token: '', app_id: '123', private_key: pasted }).auth
    expect(auth).toMatchObject({ privateKey: KEY })
  })

  it('refuses a token together with App credentials, an App id without a key, and a key that is not PEM', () => {
    expectInputError(() => parse({ app_id: '123', private_key: KEY }), 'token')
    expectInputError(() => parse({ token: '', app_id: '123' }), 'private_key')
    expectInputError(() => parse({ token: '', private_key: KEY }), 'app_id')
    const error = expectInputError(
      () => parse({ token: '', app_id: '123', private_key: 'secret-value' }),
      'private_key'
    )
    expect(error.message).not.toContain('secret-value')
  })
})

describe('budgets, pull requests and codex_ref', () => {
  it.each([
    ['time_budget_minutes', '0'],
    ['time_budget_minutes', '351'],
    ['time_budget_minutes', 'soon'],
    ['writes_per_hour', '-1'],
    ['write_interval_ms', '60001'],
    ['write_interval_ms', '99999999999'],
    ['pull_request_reviewers', 'not a login'],
    ['codex_ref', 'a..b'],
    ['codex_ref', 'has space']
  ])('rejects %s %s', (name, value) => {
    expectInputError(() => parse({ [name]: value }), name)
  })
})

describe('parseTask', () => {
  it('reads mode merge with its result files, needing no token', () => {
    expect(
      parseTask(reader({ mode: 'merge', results: 'results/\npull.json' }), {}, undefined)
    ).toEqual({
      task: 'merge',
      settings: { results: ['results/', 'pull.json'], failOnPartial: false }
    })
    expectInputError(() => parseTask(reader({ mode: 'merge' }), {}, undefined), 'results')
  })

  it('reads plan_comment with the credentials, organisation and codex that writing it needs', () => {
    const merge = { mode: 'merge', results: 'results/', plan_comment: ' 42 ' }
    expect(
      parseTask(
        reader({ ...merge, token: 'ghs_x', codex_repository: 'acme/codex.acme.io' }),
        { ...inActions, GITHUB_API_URL: 'https://ghe.example/api/v3/' },
        undefined
      )
    ).toEqual({
      task: 'merge',
      settings: {
        results: ['results/'],
        failOnPartial: false,
        planComment: {
          pullRequest: 42,
          auth: { kind: 'token', token: 'ghs_x' },
          apiUrl: 'https://ghe.example/api/v3',
          organization: 'acme',
          codexRepository: 'codex.acme.io'
        }
      }
    })
    const task = parseTask(
      reader({ ...merge, plan_comment: '#7', token: 't' }),
      {},
      () => 'CODEX_GITHUB_ORG=acme\n'
    )
    expect(task.task === 'merge' && task.settings.planComment).toMatchObject({
      pullRequest: 7,
      organization: 'acme',
      codexRepository: undefined
    })
  })

  it('reads plan_comment with a GitHub App as well as with a token', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----'
    const task = parseTask(
      reader({ mode: 'merge', results: 'r', plan_comment: '3', app_id: '123', private_key: key }),
      inActions,
      undefined
    )
    expect(task.task === 'merge' && task.settings.planComment?.auth).toEqual({
      kind: 'app',
      appId: '123',
      privateKey: key
    })
  })

  it('needs credentials only with plan_comment, and a pull request number there', () => {
    const merge = { mode: 'merge', results: 'r', token: 't' }
    expect(parseTask(reader({ mode: 'merge', results: 'r' }), {}, undefined)).toMatchObject({
      settings: { planComment: undefined }
    })
    const missing = expectInputError(
      () => parseTask(reader({ mode: 'merge', results: 'r', plan_comment: '1' }), inActions),
      'token'
    )
    expect(missing.message).toContain('plan_comment')
    for (const value of ['0', '-1', 'abc', '1.5', '2147483648', 'pull/3']) {
      const error = expectInputError(
        () => parseTask(reader({ ...merge, plan_comment: value }), inActions),
        'plan_comment'
      )
      expect(error.message).toContain(`got '${value}'`)
    }
    expectInputError(
      () => parseTask(reader({ ...merge, plan_comment: '1', organization: 'a b' }), inActions),
      'organization'
    )
    expectInputError(
      () =>
        parseTask(
          reader({ ...merge, plan_comment: '1', codex_repository: 'other/codex' }),
          inActions
        ),
      'codex_repository'
    )
  })

  it('reads the sync modes as parseSettings does', () => {
    expect(parseTask(reader({ ...required }), inActions, undefined)).toEqual({
      task: 'sync',
      settings: parse({})
    })
  })
})

describe('required inputs', () => {
  it.each(['mode', 'token'])('rejects a missing %s, naming it', name => {
    const error = expectInputError(() => parse({ [name]: '' }), name)
    expect(error.message).toMatch(/required/)
  })

  it('lists the modes when mode is missing or unknown', () => {
    expect(inputError(() => parse({ mode: '' })).message).toContain(
      'pull-docs, push-docs, push-claude or merge'
    )
    expectInputError(() => parse({ mode: 'pull' }), 'mode')
  })

  it('never puts the token in a message', () => {
    const error = inputError(() => parse({ token: 'ghs_abc', parallel: 'x' }))
    expect(error.message).not.toContain('ghs_abc')
  })
})

describe('booleans', () => {
  it.each(['true', 'True', 'TRUE'])('accepts %s as true', value => {
    expect(parse({ dry_run: value }).dryRun).toBe(true)
  })
  it.each(['false', 'False', 'FALSE', ''])('accepts %p as false', value => {
    expect(parse({ fail_on_partial: value }).failOnPartial).toBe(false)
  })
  it.each([
    ['dry_run', 'yes'],
    ['fail_on_partial', '1']
  ])('rejects %s=%s', (name, value) => {
    expectInputError(() => parse({ [name]: value }), name)
  })
})

describe('numbers and choices', () => {
  it.each(['0', '51', 'abc', '2.5', '-1', ''])('validates parallel=%p', value => {
    if (value === '') expect(parse({ parallel: value }).parallel).toBe(5)
    else expectInputError(() => parse({ parallel: value }), 'parallel')
  })

  it('accepts the parallel bounds', () => {
    expect(parse({ parallel: '1' }).parallel).toBe(1)
    expect(parse({ parallel: '50' }).parallel).toBe(50)
  })

  it.each(['-1', '1.5', 'soon'])('rejects write_interval_ms=%s', value => {
    expectInputError(() => parse({ write_interval_ms: value }), 'write_interval_ms')
  })

  it('rejects unknown commit_strategy and codex_commit values', () => {
    const error = expectInputError(() => parse({ commit_strategy: 'pr' }), 'commit_strategy')
    expect(error.message).toContain('direct, pull-request or auto')
    expectInputError(() => parse({ codex_commit: 'batch' }), 'codex_commit')
  })

  it('rejects an environment with whitespace', () => {
    expectInputError(() => parse({ environment: 'my env' }), 'environment')
  })

  it.each([
    'a..b',
    '.hidden',
    'team/.x',
    'x.lock',
    'a/b.lock/c',
    'ends.',
    'ends/',
    '/starts',
    'a//b',
    '@',
    'a@{1}',
    'a~1',
    'a^b',
    'a:b',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    'tab\there',
    'nul\u0000',
    'del\u007f'
  ])('rejects environment=%j, which git refuses in a branch name, naming the reason', value => {
    const error = expectInputError(() => parse({ environment: value }), 'environment')
    expect(error.message).toContain(JSON.stringify(value))
  })

  it.each(['test', 'prod', 'staging-eu', 'team/prod', 'v1.2', 'UPPER_case'])(
    'accepts environment=%s',
    value => {
      expect(parse({ environment: value }).environment).toBe(value)
    }
  )

  it('takes a state_key of sixteen characters or more, masked as a derived key; refuses a shorter one', () => {
    const key = parse({ state_key: 'sixteen-chars-ok' }).stateKey
    expect(key).toBeInstanceOf(Buffer)
    expect(key?.toString('utf8')).not.toContain('sixteen')
    expectInputError(() => parse({ state_key: 'short' }), 'state_key')
    expect(parse({}).stateKey).toBeUndefined()
  })

  it.each(['../other.yml', '/etc/passwd', 'a//b.yml'])('rejects config=%s', value => {
    expectInputError(() => parse({ config: value }), 'config')
  })
})

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 })
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 })
    expect(parseShard('1000/1000')).toEqual({ index: 1000, count: 1000 })
  })
  it.each(['0/1', '3/2', '1/1001', 'a/b', '1', '1/2/3', '-1/2', ''])('rejects %p', text => {
    expectInputError(() => parseShard(text), 'shard')
  })
})

describe('splitList', () => {
  it('splits on commas and newlines, trims, drops empties and duplicates, keeps order', () => {
    expect(splitList(' b, a\n\n c ,a,\r\nb ')).toEqual(['b', 'a', 'c'])
    expect(splitList('')).toEqual([])
  })
})

describe('organization', () => {
  it('prefers the input, then GITHUB_REPOSITORY, then CODEX_GITHUB_ORG, then .env', () => {
    const dotEnv = () => 'CODEX_GITHUB_ORG=from-file'
    const env = { GITHUB_REPOSITORY: 'owner/repo', CODEX_GITHUB_ORG: 'from-env' }
    expect(parse({ organization: 'given' }, env, dotEnv).organization).toBe('given')
    expect(parse({}, env, dotEnv).organization).toBe('owner')
    expect(parse({}, { CODEX_GITHUB_ORG: 'from-env' }, dotEnv).organization).toBe('from-env')
    expect(parse({}, {}, dotEnv).organization).toBe('from-file')
  })

  it('is an InputError when nothing names it', () => {
    expectInputError(() => parse({}, {}, () => undefined), 'organization')
  })

  it('rejects a value that is not an organisation name', () => {
    expectInputError(() => parse({ organization: 'acme/x' }), 'organization')
  })
})

describe('codex_repository', () => {
  it('accepts name or owner/name of the organisation', () => {
    expect(parse({ codex_repository: 'codex.acme.io' }).codexRepository).toBe('codex.acme.io')
    expect(parse({ codex_repository: 'ACME/codex.acme.io' }).codexRepository).toBe('codex.acme.io')
  })

  it('rejects an owner other than the organisation', () => {
    const error = expectInputError(
      () => parse({ codex_repository: 'evil/codex' }),
      'codex_repository'
    )
    expect(error.message).toContain('acme')
  })

  it('falls back to CODEX_GITHUB_REPO, then the .env file, then undefined', () => {
    const dotEnv = () => 'CODEX_GITHUB_REPO=codex.file.io'
    const env = { ...inActions, CODEX_GITHUB_REPO: 'codex.env.io' }
    expect(parse({}, env, dotEnv).codexRepository).toBe('codex.env.io')
    expect(parse({}, inActions, dotEnv).codexRepository).toBe('codex.file.io')
    expect(parse({}, inActions, () => undefined).codexRepository).toBeUndefined()
  })

  it('does not read .env when the inputs already say everything', () => {
    const readDotEnv = jest.fn(() => 'CODEX_GITHUB_REPO=x')
    parse({ codex_repository: 'codex.acme.io' }, inActions, readDotEnv)
    expect(readDotEnv).not.toHaveBeenCalled()
  })

  it('rejects CODEX_GITHUB_ORG or an owner part that disagrees with the organization', () => {
    const wrongOrg = () => 'CODEX_GITHUB_ORG=other\nCODEX_GITHUB_REPO=codex.other.io'
    const error = expectInputError(() => parse({}, inActions, wrongOrg), 'codex_repository')
    expect(error.message).toContain('CODEX_GITHUB_ORG')
    const wrongOwner = { ...inActions, CODEX_GITHUB_REPO: 'other/codex.other.io' }
    expect(expectInputError(() => parse({}, wrongOwner), 'codex_repository').message).toContain(
      'CODEX_GITHUB_REPO'
    )
    const agreeing = () => 'CODEX_GITHUB_ORG=Acme\nCODEX_GITHUB_REPO=acme/codex.acme.io'
    expect(parse({}, inActions, agreeing).codexRepository).toBe('codex.acme.io')
  })
})

describe('target_repository', () => {
  it('keeps bare names, dropping duplicates case-insensitively', () => {
    const settings = parse({ target_repository: 'acme/api,\nweb, API, Acme/web' })
    expect(settings.targetRepositories).toEqual(['api', 'web'])
  })

  it.each(['other/api', 'a/b/c', 'bad name'])('rejects %p', value => {
    expectInputError(() => parse({ target_repository: value }), 'target_repository')
  })
})

describe('parseDotEnv', () => {
  it('reads KEY=VALUE lines with export, quotes and comments', () => {
    const text = [
      '# comment',
      'export CODEX_GITHUB_ORG="acme"',
      "CODEX_GITHUB_REPO = 'codex.acme.io' # trailing",
      'PLAIN=value # note',
      'HASH=a#b',
      'not a line',
      ''
    ].join('\r\n')
    expect(parseDotEnv(text)).toEqual({
      CODEX_GITHUB_ORG: 'acme',
      CODEX_GITHUB_REPO: 'codex.acme.io',
      PLAIN: 'value',
      HASH: 'a#b'
    })
  })
})

describe('include and exclude globs', () => {
  it.each([
    ['include', 'acme/api', /'\/'/],
    ['include', 'api,{web,docs}', /"\{"/],
    ['exclude', '!legacy', /"!"/],
    ['exclude', 'api-[', /unclosed '\['/]
  ])('rejects %s=%p before any write, naming the input', (input, value, problem) => {
    const error = expectInputError(() => parse({ [input]: value }), input)
    expect(error.message).toMatch(problem)
    expect(error.resolution).toContain(`'${input}'`)
  })

  it('rejects a glob that is too long or too complex', () => {
    const long = expectInputError(() => parse({ exclude: 'x'.repeat(300) }), 'exclude')
    expect(long.message).toMatch(/is longer than 256 characters$/)
    const complex = expectInputError(() => parse({ include: '*?'.repeat(20) }), 'include')
    expect(complex.message).toMatch(/has more than 32 wildcards$/)
  })

  it('accepts ordinary name globs, newline or comma separated', () => {
    const settings = parse({ include: 'api-*\nweb?, [a-c]*', exclude: '*-legacy' })
    expect(settings.include).toEqual(['api-*', 'web?', '[a-c]*'])
    expect(settings.exclude).toEqual(['*-legacy'])
  })
})
