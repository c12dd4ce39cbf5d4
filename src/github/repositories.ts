/** The organisation's repositories: listing them for discovery and looking one up by name. */
import { nameKey, sameName, type Repository } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'

/** Where discovery lists repositories: the organisation, or what an App installation was granted. */
export type RepositorySource = 'organization' | 'installation'

export interface RepositoryList {
  repositories: Repository[]
  /**
   * Whether the list holds every repository of the organisation (not an App installed on selected
   * repositories only): only then does a name missing from it mean the repository is gone.
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
    return { repositories: repos.map(toRepository), complete: true }
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
