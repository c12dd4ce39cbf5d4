import type { AnnotationProperties, Log } from '../src/model.js'
import type { PlannedPaths, ProjectResult } from '../src/result/project.js'
import type { RunResult } from '../src/result/run.js'
import { parseSettings, type Settings } from '../src/inputs/settings.js'
import { runSync } from '../src/sync.js'
import type { FakeGitHub, RequestLogEntry } from './fake-github/index.js'

export const TOKEN = 'test-token'

export interface CollectedLog extends Log {
  lines: string[]
  warnings: { message: string; properties?: AnnotationProperties }[]
  errors: { message: string; properties?: AnnotationProperties }[]
}

export function collectingLog(): CollectedLog {
  const log: CollectedLog = {
    lines: [],
    warnings: [],
    errors: [],
    info: message => void log.lines.push(message),
    debug: () => undefined,
    warning: (message, properties) => void log.warnings.push({ message, properties }),
    error: (message, properties) => void log.errors.push({ message, properties })
  }
  return log
}

/** Settings as the action reads them from its inputs, aimed at the fake server. */
export function settingsFor(fake: FakeGitHub, inputs: Record<string, string>): Settings {
  const withDefaults: Record<string, string> = {
    token: TOKEN,
    organization: 'acme',
    write_interval_ms: '0',
    ...inputs
  }
  return parseSettings(
    name => withDefaults[name] ?? '',
    { GITHUB_API_URL: fake.url },
    () => undefined
  )
}

export async function sync(
  fake: FakeGitHub,
  inputs: Record<string, string>
): Promise<{ result: RunResult; log: CollectedLog }> {
  const log = collectingLog()
  const result = await runSync(settingsFor(fake, inputs), { log })
  return { result, log }
}

/** A project's result with every variant's fields readable (undefined where absent), for assertions. */
export type ProjectView = ProjectResult &
  Partial<{
    reason: string
    error: string
    resolution: string
    commit_sha: string
    commit_url: string
    pull_request_url: string
    pull_request_number: number
    delivery: string
    planned: PlannedPaths
  }>

export function projectResult(result: RunResult, project: string): ProjectView {
  const found = result.projects.find(entry => entry.project === project)
  if (!found)
    throw new Error(
      `No result for ${project} in ${JSON.stringify(result.projects.map(entry => entry.project))}`
    )
  return found as ProjectView
}

/**
 * Writes of the codex state (refs/codex-sync/state: routing of codex files, deferred projects),
 * which lives outside every branch: its tree, its commit and its ref.
 */
export function isStateWrite(entry: RequestLogEntry): boolean {
  if (entry.path.endsWith('/git/refs/codex-sync/state')) return true
  const body = entry.body as { ref?: unknown; message?: unknown; tree?: unknown } | undefined
  if (body?.ref === 'refs/codex-sync/state') return true
  if (typeof body?.message === 'string' && body.message.startsWith('codex-sync: state')) return true
  return (
    Array.isArray(body?.tree) &&
    body.tree.every((item: { path?: string }) => /^(routing|deferred)\//.test(item.path ?? ''))
  )
}

/** Requests that change a branch, a pull request or a repository: GraphQL mutations count, queries do not; state writes do not (see isStateWrite). */
export function writes(fake: FakeGitHub) {
  return fake.log.filter(entry => {
    if (entry.method === 'GET' || entry.method === 'HEAD' || isStateWrite(entry)) return false
    if (entry.path !== '/graphql') return true
    const query = (entry.body as { query?: unknown } | undefined)?.query
    return typeof query === 'string' && /^\s*mutation\b/.test(query)
  })
}

/** Makes the fake answer 404 on GraphQL, as a server without it does: the action uses REST alone. */
export function withoutGraphQL(fake: FakeGitHub): void {
  fake.addFault({ kind: 'status', status: 404, times: 1e9, match: { path: /\/graphql$/ } })
}

/** The branches each write moved: `repo@branch` for ref updates and GraphQL commits, in order. */
export function movedBranches(fake: FakeGitHub): string[] {
  return fake.log.flatMap(entry => {
    const ref = /^\/repos\/[^/]+\/([^/]+)\/git\/refs\/heads\/(.+)$/.exec(entry.path)
    if (entry.method === 'PATCH' && ref) return [`${ref[1]}@${ref[2]}`]
    const body = entry.body as
      { query?: string; variables?: { input?: { branch?: Record<string, string> } } } | undefined
    const branch = body?.variables?.input?.branch
    if (entry.path !== '/graphql' || !/createCommitOnBranch/.test(body?.query ?? '') || !branch)
      return []
    const repo = (branch.repositoryNameWithOwner ?? '').split('/')[1]
    return [`${repo}@${branch.branchName}`]
  })
}

/** The blob SHAs read from a repository, over REST or in GraphQL queries. */
export function blobsRead(fake: FakeGitHub, repo: string): string[] {
  const shas: string[] = []
  for (const entry of fake.log) {
    const rest = /^\/repos\/[^/]+\/([^/]+)\/git\/blobs\/([0-9a-f]{40})$/.exec(entry.path)
    if (entry.method === 'GET' && rest && rest[1] === repo) shas.push(rest[2] as string)
    const query = (entry.body as { query?: unknown } | undefined)?.query
    if (entry.path !== '/graphql' || typeof query !== 'string') continue
    // Each `repository(...)` of the query holds the `object(oid:)` reads of that repository.
    for (const section of query.split('repository(').slice(1)) {
      if (/^owner: "[^"]*", name: "([^"]*)"/.exec(section)?.[1] !== repo) continue
      for (const oid of section.matchAll(/object\(oid: "([0-9a-f]{40})"\)/g)) {
        shas.push(oid[1] as string)
      }
    }
  }
  return shas
}
