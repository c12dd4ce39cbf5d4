/** Discovery: finds the codex among the organisation's repositories and sorts the rest into projects. */
import type { Config } from '../inputs/config.js'
import type { Settings } from '../inputs/settings.js'
import type { RepositorySource } from '../github/repositories.js'
import { sameName, SetupError, type Repository } from '../model.js'
import { matchesAny, nameMatcher } from '../plan/globs.js'
import type { SkipKind } from '../result/project.js'
import { inShard } from './shard.js'

/** Why discovery leaves a project out of this run, in kind and in words. */
export interface Skip {
  kind: SkipKind
  reason: string
}

export interface ProjectEntry {
  repository: Repository
  /** Why the project is not synced in this run; undefined for a project to sync. */
  skip?: Skip
}

export interface ProjectList {
  projects: ProjectEntry[]
  /** target_repository names that are not projects of the organisation. */
  missingTargets: string[]
}

const CODEX_NAME = /^codex\./i

/** With no codex named in settings: the only repository named `codex.*`. */
export function findCodex(repositories: Repository[], organization: string): Repository {
  const candidates = repositories.filter(repository => CODEX_NAME.test(repository.name))
  const [only] = candidates
  if (only && candidates.length === 1) return only
  if (candidates.length === 0) {
    throw new SetupError(
      `No codex repository found in ${organization}: no repository is named codex.*.`,
      'Set the codex_repository input (or CODEX_GITHUB_REPO), or create the codex as codex.<org>.<tld>.'
    )
  }
  throw new SetupError(
    `Several codex repositories in ${organization}: ${candidates
      .map(repository => repository.name)
      .sort()
      .join(', ')}.`,
    'Set the codex_repository input to the one to use.'
  )
}

/** Every repository but the codex is a project; each is kept or skipped with a reason. */
export function classifyProjects(
  repositories: Repository[],
  codex: Repository,
  settings: Settings,
  config: Config
): ProjectList {
  const filters: Filters = {
    selected: nameMatcher(settings.include, settings.exclude),
    topic: matchesAny(config.repositories.topics, { ignoreCase: true })
  }
  const projects = repositories
    .filter(repository => !sameName(repository.name, codex.name))
    .map(repository => ({ repository, skip: skipReason(repository, settings, config, filters) }))
  const missingTargets = settings.targetRepositories.filter(
    target => !projects.some(entry => sameName(entry.repository.name, target))
  )
  return { projects, missingTargets }
}

interface Filters {
  selected: (name: string) => boolean
  topic: (topic: string) => boolean
}

function skipReason(
  repository: Repository,
  settings: Settings,
  config: Config,
  filters: Filters
): Skip | undefined {
  const { name } = repository
  const targets = settings.targetRepositories
  if (targets.length > 0 && !targets.some(target => sameName(target, name)))
    return { kind: 'not-targeted', reason: 'not in target_repository' }
  if (!filters.selected(name)) return { kind: 'excluded', reason: 'excluded by include/exclude' }
  const topics = config.repositories.topics
  if (topics.length > 0 && !repository.topics.some(filters.topic)) {
    return { kind: 'excluded', reason: `excluded: no topic of ${topics.join(', ')}` }
  }
  if (repository.archived && config.repositories.skipArchived)
    return { kind: 'archived', reason: 'archived' }
  if (repository.fork && config.repositories.skipForks) return { kind: 'fork', reason: 'fork' }
  if (repository.disabled) return { kind: 'disabled', reason: 'disabled' }
  if (!inShard(name, settings.shard))
    return {
      kind: 'not-in-shard',
      reason: `not in shard ${settings.shard.index}/${settings.shard.count}`
    }
  if (repository.empty) return { kind: 'empty', reason: 'empty repository' }
  return undefined
}

/** GitHub App installation tokens (and the workflow's GITHUB_TOKEN, which is one) start with `ghs_`. */
function isInstallationToken(token: string): boolean {
  return token.startsWith('ghs_')
}

/** The repositories the token can see: an installation token lists what the App was granted. */
export function repositorySource({ auth }: Settings): RepositorySource {
  if (auth.kind === 'app' || isInstallationToken(auth.token)) return 'installation'
  return 'organization'
}

/** An installation that reaches nothing but the codex cannot sync anything: say what token to use. */
export function checkReach(
  repositories: Repository[],
  codex: Repository,
  source: RepositorySource,
  organization: string
): void {
  if (source === 'installation' && repositories.every(repo => sameName(repo.name, codex.name))) {
    throw new SetupError(
      `The token reaches no repository of ${organization} but the codex: it is the workflow's GITHUB_TOKEN, or an App installed on the codex alone.`,
      'Pass a GitHub App installation token for the organisation (actions/create-github-app-token with owner:) installed on the projects, or a personal token.'
    )
  }
}
