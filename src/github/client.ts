/** The one client factory: a throttled, retried, write-paced Octokit and the API adapters on it. */
import type { getOctokit } from '@actions/github'
import { GitHub as GitHubClient, getUserAgentWithOrchestrationId } from '@actions/github/lib/utils'
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling'
import type { Auth } from '../inputs/settings.js'
import type { Log } from '../model.js'
import { createAppAuth } from './app-auth.js'
import type { RunBudget } from './budget.js'
import { Comments } from './comments.js'
import { limitsPlugin, onLimit } from './limits.js'
import { GitData } from './git-data.js'
import { GraphQL } from './graphql.js'
import { Pulls } from './pulls.js'
import { Repositories } from './repositories.js'
import { Lane, RetryQueue } from './schedulers.js'
import { createTransport } from './transport.js'

export type Octokit = ReturnType<typeof getOctokit>

export interface ClientOptions {
  auth: Auth
  organization: string
  apiUrl: string
  /** Projects processed at once; sizes the request concurrency. */
  parallel: number
  /** Minimum pause between two write requests. */
  writeIntervalMs: number
  /** Time, writes and token of the run: rate-limit waits stay inside it, writes are counted. */
  budget: RunBudget
  log: Log
}

const RATE_LIMIT_RETRIES = 3
const SECONDARY_LIMIT_RETRIES = 5
/** GitHub allows at most 100 concurrent requests; a few per project in flight is plenty. */
const MAX_CONCURRENT_REQUESTS = 100
const REQUESTS_PER_PROJECT = 4
const NOTIFYING_WRITE_FACTOR = 3

/** Everything the action asks GitHub, for one organisation. */
export interface GitHub {
  git: GitData
  graphql: GraphQL
  repositories: Repositories
  pulls: Pulls
  comments: Comments
}

/** The only place that builds GitHub clients. */
export function createGitHub(options: ClientOptions): GitHub {
  const octokit = createOctokit(options)
  const graphql = new GraphQL(octokit, options.organization, options.log)
  return {
    git: new GitData(octokit, options.organization, graphql),
    graphql,
    repositories: new Repositories(octokit, options.organization, graphql),
    pulls: new Pulls(octokit, options.organization),
    comments: new Comments(octokit, options.organization)
  }
}

/** A client throttled, retried and paced for writes. */
function createOctokit(options: ClientOptions): Octokit {
  const { log } = options
  // The plugin takes its queues from these options (`global` and `retryLimiter` too, although its
  // types do not list them): lean ones with Bottleneck's contract, see schedulers.ts.
  const queues = {
    global: new Lane({
      maxConcurrent: Math.min(MAX_CONCURRENT_REQUESTS, options.parallel * REQUESTS_PER_PROJECT)
    }),
    write: new Lane({ maxConcurrent: 1, minTime: options.writeIntervalMs }),
    // Writes that notify people (opening pull requests) are spaced wider, as GitHub asks.
    notifications: new Lane({
      maxConcurrent: 1,
      minTime: options.writeIntervalMs * NOTIFYING_WRITE_FACTOR
    }),
    retryLimiter: new RetryQueue(),
    onRateLimit: dropOctokit(onLimit(options, 'Primary rate limit', RATE_LIMIT_RETRIES)),
    onSecondaryRateLimit: dropOctokit(
      onLimit(options, 'Secondary rate limit', SECONDARY_LIMIT_RETRIES)
    )
  }
  const throttle = queues as unknown as ThrottlingOptions
  // Plugins listed first run innermost: the limits plugin sees each answer before the throttling.
  const Client = GitHubClient.plugin(limitsPlugin(options), throttling)
  return new Client({
    baseUrl: options.apiUrl,
    ...authOptions(options),
    userAgent: getUserAgentWithOrchestrationId('codex-sync'),
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => log.debug(message),
      error: (message: string) => log.debug(message)
    },
    throttle,
    request: { fetch: createTransport(options.apiUrl) }
  })
}

/** A token as given, or a GitHub App whose installation tokens the client mints and refreshes. */
function authOptions({ auth, organization, log }: ClientOptions) {
  if (auth.kind === 'token') return { auth: `token ${auth.token}` }
  return {
    authStrategy: createAppAuth,
    auth: { appId: auth.appId, privateKey: auth.privateKey, organization, log }
  }
}

/** The throttling plugin's handlers get the client as third argument, which the budget does not need. */
function dropOctokit<R, O>(handler: (retryAfter: number, options: O, retryCount: number) => R) {
  return (retryAfter: number, options: O, _octokit: unknown, retryCount: number): R =>
    handler(retryAfter, options, retryCount)
}
