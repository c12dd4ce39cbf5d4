/** The organisation's repositories: listing them for discovery and looking one up by name. */
import { nameKey, sameName, type ProjectHead, type Repository } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'
import type { GraphQL } from './graphql.js'
import type { HeadQuestion, ListedRepository } from './listing.js'

/** Where discovery lists repositories: the organisation, or what an App installation was granted. */
export type RepositorySource = 'organization' | 'installation'

export interface RepositoryList {
  repositories: Repository[]
  /**
   * Whether the list provably holds every repository of the organisation: an App installed on all
   * of them, listed to the end. Only then may a name missing from it mean the repository is gone.
   */
  complete: boolean
  /** The heads the listing learnt (by name key): a project missing here is read instead. */
  heads: ReadonlyMap<string, ProjectHead>
}

interface RawInstallationRepository extends RawRepository {
  owner: { login: string }
}

export class Repositories {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    private readonly graphql: GraphQL
  ) {}

  /**
   * The organisation's repositories, and with `question` each one's head and the entries of some
   * paths. GraphQL lists them with their heads in pages of a hundred; an App installation granted
   * only some repositories lists those over REST (so that no project outside it is attempted) and
   * asks their heads a hundred at a time; without GraphQL, REST lists them and no head is known.
   */
  async list(source: RepositorySource, question?: HeadQuestion): Promise<RepositoryList> {
    if (source === 'installation') return this.listInstallation(question)
    const listed = await this.graphql.listOrganization(question)
    // A personal token lists what its owner (or its fine-grained scope) can see: never proof
    // that a repository it does not list is gone.
    if (listed) return fromListing(listed.listed, false)
    const repos = await this.allPages(page =>
      this.octokit.rest.repos.listForOrg({ org: this.owner, type: 'all', per_page: 100, page })
    )
    return this.withHeads({ repositories: repos.map(toRepository), complete: false }, question)
  }

  /** What an App installation was granted: everything (then listed as the organisation), or some. */
  private async listInstallation(question: HeadQuestion | undefined): Promise<RepositoryList> {
    const fetchPage = (page: number) =>
      this.octokit.rest.apps.listReposAccessibleToInstallation({ per_page: 100, page })
    const { data: first } = await fetchPage(1)
    const all = (first as { repository_selection?: string }).repository_selection === 'all'
    if (all) {
      const listed = await this.graphql.listOrganization(question)
      if (listed) return fromListing(listed.listed, listed.consistent)
    }
    const pages = Math.ceil((first.total_count ?? 0) / 100)
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, pages - 1) }, (_, index) => fetchPage(index + 2))
    )
    const repos = [first, ...rest.map(response => response.data)].flatMap(
      data => data.repositories as unknown as RawInstallationRepository[]
    )
    const own = unique(repos.filter(repo => sameName(repo.owner.login, this.owner)))
    return this.withHeads({ repositories: own.map(toRepository), complete: all }, question)
  }

  /** A listing made without heads, with those GraphQL can tell of its repositories a hundred at a time. */
  async withHeads(
    { repositories, complete }: Pick<RepositoryList, 'repositories' | 'complete'>,
    question: HeadQuestion | undefined
  ): Promise<RepositoryList> {
    const names = repositories.filter(repository => !repository.archived).map(repo => repo.name)
    const heads = question ? await this.graphql.headsByName(names, question) : new Map()
    return { repositories, complete, heads }
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
    return unique([first, ...rest].flatMap(response => response.data))
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
      // What the rules say is only a way to spare a refused write: unless the token itself was
      // rejected, a lookup that fails leaves the commit to tell.
      if (statusOf(error) === 401) throw error
      return undefined
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

/** A listing's repositories and heads, each repository once (one created between pages shows on both). */
function fromListing(listed: ListedRepository[], complete: boolean): RepositoryList {
  const heads = new Map<string, ProjectHead>()
  const repositories: Repository[] = []
  const seen = new Set<string>()
  for (const { repository, head } of listed) {
    const key = nameKey(repository.name)
    if (seen.has(key)) continue
    seen.add(key)
    repositories.push(repository)
    if (head) heads.set(key, head)
  }
  return { repositories, complete, heads }
}

function unique<T extends { name: string }>(repos: T[]): T[] {
  const seen = new Set<string>()
  return repos.filter(repo => {
    const key = nameKey(repo.name)
    return !seen.has(key) && seen.add(key)
  })
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
    empty: false,
    topics: data.topics ?? []
  }
}
