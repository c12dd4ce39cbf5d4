import { describe, expect, it } from '@jest/globals'
import { testSettings } from '../__fixtures__/settings.js'
import { defaultConfig, type Config } from '../src/inputs/config.js'
import { classifyProjects, findCodex } from '../src/setup/discover.js'
import { SetupError, type Repository } from '../src/model.js'
import { shardOf } from '../src/setup/shard.js'

function repo(name: string, overrides: Partial<Repository> = {}): Repository {
  return {
    name,
    defaultBranch: 'main',
    archived: false,
    fork: false,
    disabled: false,
    empty: false,
    topics: [],
    ...overrides
  }
}

function config(repositories: Partial<Config['repositories']> = {}): Config {
  const base = defaultConfig('acme')
  return { ...base, repositories: { ...base.repositories, ...repositories } }
}

function setupError(run: () => unknown): SetupError {
  try {
    run()
  } catch (error) {
    if (error instanceof SetupError) return error
    throw error
  }
  throw new Error('expected a SetupError')
}

const codex = repo('codex.acme.io')

/** name -> skip reason (undefined: synced) */
function classify(repositories: Repository[], settings = testSettings(), cfg = config()) {
  const list = classifyProjects(repositories, codex, settings, cfg)
  return {
    list,
    skips: Object.fromEntries(
      list.projects.map(entry => [entry.repository.name, entry.skip?.reason])
    ),
    kinds: Object.fromEntries(list.projects.map(entry => [entry.repository.name, entry.skip?.kind]))
  }
}

describe('findCodex', () => {
  const repositories = [repo('api'), repo('Codex.Acme.IO'), repo('web')]

  it('without a name, finds the only repository named codex.* (any case)', () => {
    expect(findCodex(repositories, 'acme')).toBe(repositories[1])
    const single = repo('codex.acme.dev')
    expect(findCodex([repo('api'), repo('my-codex.acme.io'), repo('codex'), single], 'acme')).toBe(
      single
    )
  })

  it('without a name and no codex.* repository, throws a SetupError with a resolution', () => {
    const error = setupError(() =>
      findCodex([repo('api'), repo('codex'), repo('xcodex.acme.io')], 'acme')
    )
    expect(error.name).toBe('SetupError')
    expect(error.message).toContain('acme')
    expect(error.message).toContain('codex.*')
    expect(error.resolution).toContain('codex_repository')
    expect(setupError(() => findCodex([], 'acme'))).toBeInstanceOf(SetupError)
  })

  it('without a name and several codex.* repositories, throws a SetupError naming them', () => {
    const error = setupError(() =>
      findCodex([repo('codex.acme.io'), repo('api'), repo('codex.acme.dev')], 'acme')
    )
    expect(error.message).toContain('codex.acme.io')
    expect(error.message).toContain('codex.acme.dev')
    expect(error.message).not.toContain('api')
    expect(error.message).toContain('acme:')
    expect(error.resolution).toContain('codex_repository')
  })
})

describe('classifyProjects', () => {
  it('never counts the codex as a project (any case)', () => {
    const { list } = classify([repo('api'), repo('CODEX.acme.io'), repo('web')])
    expect(list.projects.map(entry => entry.repository.name)).toEqual(['api', 'web'])
  })

  it('keeps every other repository, in order, with its repository object, none skipped by default', () => {
    const repositories = [repo('web'), repo('api'), repo('codex.other.io')]
    const { list } = classify(repositories)
    expect(list.projects).toEqual([
      { repository: repositories[0], skip: undefined },
      { repository: repositories[1], skip: undefined },
      { repository: repositories[2], skip: undefined }
    ])
    expect(list.missingTargets).toEqual([])
  })

  it('with target_repository, syncs only the targets (case-insensitive) and skips the others', () => {
    const { skips, list } = classify(
      [repo('api'), repo('Web'), repo('docs')],
      testSettings({ targetRepositories: ['web', 'api'] })
    )
    expect(skips).toEqual({ api: undefined, Web: undefined, docs: 'not in target_repository' })
    expect(list.missingTargets).toEqual([])
  })

  it('reports targets that are not projects, the codex included', () => {
    const { list } = classify(
      [repo('api')],
      testSettings({ targetRepositories: ['api', 'ghost', 'codex.acme.io'] })
    )
    expect(list.missingTargets).toEqual(['ghost', 'codex.acme.io'])
  })

  it('applies include and exclude globs on names, exclude winning', () => {
    const settings = testSettings({ include: ['api-*', 'web'], exclude: ['*-legacy'] })
    const { skips } = classify(
      [repo('api-core'), repo('api-legacy'), repo('web'), repo('docs'), repo('WEB-legacy')],
      settings
    )
    expect(skips).toEqual({
      'api-core': undefined,
      'api-legacy': 'excluded by include/exclude',
      web: undefined,
      docs: 'excluded by include/exclude',
      'WEB-legacy': 'excluded by include/exclude'
    })
  })

  it('matches include/exclude case-insensitively', () => {
    const { skips } = classify(
      [repo('API-Core'), repo('Api-Old')],
      testSettings({ include: ['api-*'], exclude: ['api-old'] })
    )
    expect(skips).toEqual({ 'API-Core': undefined, 'Api-Old': 'excluded by include/exclude' })
  })

  it('with topics configured, keeps only repositories carrying one of them', () => {
    const cfg = config({ topics: ['docs', 'platform'] })
    const { skips } = classify(
      [
        repo('a', { topics: ['docs'] }),
        repo('b', { topics: ['x', 'platform'] }),
        repo('c', { topics: ['other'] }),
        repo('d')
      ],
      testSettings(),
      cfg
    )
    expect(skips['a']).toBeUndefined()
    expect(skips['b']).toBeUndefined()
    expect(skips['c']).toBe('excluded: no topic of docs, platform')
    expect(skips['d']).toBe('excluded: no topic of docs, platform')
  })

  it('skips archived repositories and forks by default', () => {
    const { skips } = classify([
      repo('old', { archived: true }),
      repo('copy', { fork: true }),
      repo('live')
    ])
    expect(skips).toEqual({ old: 'archived', copy: 'fork', live: undefined })
  })

  it('types each skip by its kind, which the result and the reports tell apart without its words', () => {
    const { kinds } = classify(
      [
        repo('old', { archived: true }),
        repo('copy', { fork: true }),
        repo('off', { disabled: true }),
        repo('api-legacy'),
        repo('other'),
        repo('live')
      ],
      testSettings({ exclude: ['*-legacy'], shard: { index: 1, count: 1 } })
    )
    expect(kinds).toEqual({
      old: 'archived',
      copy: 'fork',
      off: 'disabled',
      'api-legacy': 'excluded',
      other: undefined,
      live: undefined
    })
    const targeted = classify(
      [repo('api'), repo('web')],
      testSettings({ targetRepositories: ['api'] })
    )
    expect(targeted.kinds).toEqual({ api: undefined, web: 'not-targeted' })
  })

  it('keeps archived repositories and forks when the config says so', () => {
    const { skips } = classify(
      [repo('old', { archived: true }), repo('copy', { fork: true })],
      testSettings(),
      config({ skipArchived: false, skipForks: false })
    )
    expect(skips).toEqual({ old: undefined, copy: undefined })
    const onlyForks = classify(
      [repo('old', { archived: true }), repo('copy', { fork: true })],
      testSettings(),
      config({ skipArchived: false })
    )
    expect(onlyForks.skips).toEqual({ old: undefined, copy: 'fork' })
  })

  it('skips disabled repositories', () => {
    const { skips } = classify(
      [repo('off', { disabled: true })],
      testSettings(),
      config({ skipArchived: false, skipForks: false })
    )
    expect(skips).toEqual({ off: 'disabled' })
  })

  it('skips repositories of other shards, naming the shard', () => {
    const names = Array.from({ length: 12 }, (_, i) => `project-${i}`)
    const settings = testSettings({ shard: { index: 2, count: 3 } })
    const { skips } = classify(
      names.map(name => repo(name)),
      settings
    )
    for (const name of names) {
      if (shardOf(name, 3) === 2) expect(skips[name]).toBeUndefined()
      else expect(skips[name]).toBe('not in shard 2/3')
    }
    // The fixture really exercises both branches.
    expect(names.some(name => shardOf(name, 3) === 2)).toBe(true)
    expect(names.some(name => shardOf(name, 3) !== 2)).toBe(true)
  })

  it('across all shards, every project is kept exactly once', () => {
    const repositories = Array.from({ length: 20 }, (_, i) => repo(`r${i}`))
    const kept = [1, 2, 3, 4].flatMap(index =>
      classify(repositories, testSettings({ shard: { index, count: 4 } }))
        .list.projects.filter(entry => entry.skip === undefined)
        .map(entry => entry.repository.name)
    )
    expect(kept.sort()).toEqual(repositories.map(r => r.name).sort())
  })

  it('gives one reason per repository, the selection reasons first', () => {
    const archivedFork = repo('api', { archived: true, fork: true, disabled: true })
    expect(
      classify([archivedFork], testSettings({ targetRepositories: ['web'] })).skips['api']
    ).toBe('not in target_repository')
    expect(classify([archivedFork], testSettings({ exclude: ['api'] })).skips['api']).toBe(
      'excluded by include/exclude'
    )
    expect(classify([archivedFork]).skips['api']).toBe('archived')
  })

  it('skips a targeted repository that is archived, with the archived reason', () => {
    const { skips, list } = classify(
      [repo('api', { archived: true })],
      testSettings({ targetRepositories: ['api'] })
    )
    expect(skips['api']).toBe('archived')
    expect(list.missingTargets).toEqual([])
  })

  it('handles an organisation with only the codex', () => {
    expect(classify([codex])).toEqual({
      list: { projects: [], missingTargets: [] },
      skips: {},
      kinds: {}
    })
  })
})
