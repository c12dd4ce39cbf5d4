import type { Settings } from '../src/inputs/settings.js'

/** Settings as parseSettings would give them for `mode: pull-docs` in acme, with overrides. */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    mode: 'pull-docs',
    auth: { kind: 'token', token: 'test-token' },
    apiUrl: 'https://api.github.com',
    organization: 'acme',
    codexRepository: 'codex.acme.io',
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
    pruneOrphans: false,
    ...overrides
  }
}
