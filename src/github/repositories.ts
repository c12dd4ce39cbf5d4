/** The organisation's repositories: listing them for discovery and looking one up by name. */
import { nameKey, sameName, type Repository } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'

/** Where discovery lists repositories: the organisation, or what an App installation was granted. */
export type RepositorySource = 'organization' | 'installation'

export interface RepositoryList {
  repositories: Repository[]
  /**
   * Whether the list provably holds every repository of the organisation: an App installed on all
   * of them, listed to the end. Only then may a name missing from it mean the repository is gone.
   */
  complete: boolean
}

interface RawInstallationRepository extends RawRepository {
  owner: { login: string }
}

export class Repositories {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string
  ) {}

  /**
   * The organisation's repositories. An App installation may be granted only some of them: its
   * token lists those, so that no project outside the installation is attempted.
   */
  async list(source: RepositorySource): Promise<RepositoryList> {
    if (source === 'installation') {
      let selection: string | undefined
      const repos = await this.octokit.paginate(
        this.octokit.rest.apps.listReposAccessibleToInstallation,
        { per_page: 100 },
        response => {
          selection = (response.data as { repository_selection?: string }).repository_selection
          return response.data as unknown as RawInstallationRepository[]
        }
      )
      return {
        repositories: repos
          .filter(repo => sameName(repo.owner.login, this.owner))
          .map(toRepository),
        complete: selection === 'all'
      }
    }
    const repos = await this.allPages(page =>
      this.octokit.rest.repos.listForOrg({ org: this.owner, type: 'all', per_page: 100, page })
    )
    // A personal token lists what its owner (or its fine-grained scope) can see: never proof
    // that a repository it does not list is gone.
    return { repositories: repos.map(toRepository), complete: false }
  }

  /**
   * Every page of a page-numbered listing: the first page says how many there are, and the others
   * are read side by side instead of one after another (a thousand repositories, two round trips).
   */
  private async allPages<T extends { name: string }>(
    fetchPage: (page: number) => Promise<{ data: T[]; headers: { link?: string } }>
  ): Promise<T[]> {
    const first = await fetchPage(1)
    const last = Number(
      /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(first.headers.link ?? '')?.[1] ?? 1
    )
    const pages = Array.from({ length: Math.max(0, last - 1) }, (_, index) => index + 2)
    const rest = await Promise.all(pages.map(fetchPage))
    const seen = new Set<string>()
    // A repository created between two pages can show on both: each is kept once.
    return [first, ...rest]
      .flatMap(response => response.data)
      .filter(repo => {
        const key = nameKey(repo.name)
        return !seen.has(key) && seen.add(key)
      })
  }

  /**
   * Whether a branch takes direct commits, as its active rules and its protection say (a rule
   * that requires pull requests, restricts updates or requires checks; classic protection);
   * undefined when the token may not read them.
   */
  async directCommits(repo: string, branch: string): Promise<BranchWrites | undefined> {
    try {
      const { data: rules } = await this.octokit.rest.repos.getBranchRules({
        owner: this.owner,
        repo,
        branch,
        per_page: 100
      })
      const blocking = rules.map(rule => rule.type).filter(type => BLOCKING_RULES.includes(type))
      if (blocking.length > 0) {
        return {
          allowed: false,
          why: `a ruleset of the branch requires it (${blocking.join(', ')})`
        }
      }
      const { data } = await this.octokit.rest.repos.getBranch({ owner: this.owner, repo, branch })
      if (data.protected) return { allowed: false, why: 'the branch is protected' }
      return { allowed: true }
    } catch (error) {
      if (statusOf(error) === 403 || statusOf(error) === 404) return undefined
      throw error
    }
  }

  async get(name: string): Promise<Repository | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.get({ owner: this.owner, repo: name })
      return toRepository(data)
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw error
    }
  }
}

/** What a branch's rules and protection say about commits pushed straight to it. */
export type BranchWrites = { allowed: true } | { allowed: false; why: string }

/** Rule types that refuse a commit pushed straight to the branch. */
const BLOCKING_RULES: readonly string[] = [
  'pull_request',
  'update',
  'required_status_checks',
  'required_deployments',
  'merge_queue'
]

interface RawRepository {
  name: string
  default_branch?: string
  archived?: boolean
  fork: boolean
  disabled?: boolean
  topics?: string[]
}

function toRepository(data: RawRepository): Repository {
  return {
    name: data.name,
    defaultBranch: data.default_branch ?? 'main',
    archived: data.archived ?? false,
    fork: data.fork,
    disabled: data.disabled ?? false,
    topics: data.topics ?? []
  }
}
