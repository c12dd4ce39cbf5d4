/** The organisation's repositories: listing them for discovery and looking one up by name. */
import { sameName, type Repository } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'

/** Where discovery lists repositories: the organisation, or what an App installation was granted. */
export type RepositorySource = 'organization' | 'installation'

export class Repositories {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string
  ) {}

  /**
   * The organisation's repositories. An App installation may be granted only some of them: its
   * token lists those, so that no project outside the installation is attempted.
   */
  async list(source: RepositorySource): Promise<Repository[]> {
    if (source === 'installation') {
      const repos = await this.octokit.paginate(
        this.octokit.rest.apps.listReposAccessibleToInstallation,
        { per_page: 100 }
      )
      return repos.filter(repo => sameName(repo.owner.login, this.owner)).map(toRepository)
    }
    const repos = await this.octokit.paginate(this.octokit.rest.repos.listForOrg, {
      org: this.owner,
      type: 'all',
      per_page: 100
    })
    return repos.map(toRepository)
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
