import type { Config } from './config.js'
import { SetupError } from './errors.js'
import type { Repository } from './git-data.js'
import { selectName } from './globs.js'
import type { Settings } from './settings.js'
import { inShard } from './shard.js'

export interface ProjectEntry {
  repository: Repository
  /** Why the project is not synced in this run; undefined for a project to sync. */
  skip?: string
}

export interface ProjectList {
  projects: ProjectEntry[]
  /** target_repository names that are not projects of the organisation. */
  missingTargets: string[]
}

const CODEX_NAME = /^codex\./i

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** The codex named in settings, else the only repository named `codex.*`. */
export function findCodex(repositories: Repository[], named: string | undefined, organization: string): Repository | undefined {
  if (named) return repositories.find(repository => sameName(repository.name, named))
  const candidates = repositories.filter(repository => CODEX_NAME.test(repository.name))
  if (candidates.length === 1) return candidates[0]
  if (candidates.length === 0) {
    throw new SetupError(
      `No codex repository found in ${organization}: no repository is named codex.*.`,
      'Set the codex_repository input (or CODEX_GITHUB_REPO), or create the codex as codex.<org>.<tld>.'
    )
  }
  throw new SetupError(
    `Several codex repositories in ${organization}: ${candidates.map(repository => repository.name).sort().join(', ')}.`,
    'Set the codex_repository input to the one to use.'
  )
}

/** Every repository but the codex is a project; each is kept or skipped with a reason. */
export function classifyProjects(repositories: Repository[], codex: Repository, settings: Settings, config: Config): ProjectList {
  const projects = repositories
    .filter(repository => !sameName(repository.name, codex.name))
    .map(repository => ({ repository, skip: skipReason(repository, settings, config) }))
  const missingTargets = settings.targetRepositories.filter(
    target => !projects.some(entry => sameName(entry.repository.name, target))
  )
  return { projects, missingTargets }
}

function skipReason(repository: Repository, settings: Settings, config: Config): string | undefined {
  const { name } = repository
  const targets = settings.targetRepositories
  if (targets.length > 0 && !targets.some(target => sameName(target, name))) return 'not in target_repository'
  if (!selectName(name, settings.include, settings.exclude)) return 'excluded by include/exclude'
  const topics = config.repositories.topics
  if (topics.length > 0 && !repository.topics.some(topic => topics.includes(topic))) {
    return `excluded: no topic of ${topics.join(', ')}`
  }
  if (repository.archived && config.repositories.skipArchived) return 'archived'
  if (repository.fork && config.repositories.skipForks) return 'fork'
  if (repository.disabled) return 'disabled'
  if (!inShard(name, settings.shard)) return `not in shard ${settings.shard.index}/${settings.shard.count}`
  return undefined
}
