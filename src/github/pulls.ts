/** Pull requests of a repository: find the open one from a branch, open one, close one. */
import type { PullRequest } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'

export interface NewPullRequest {
  head: string
  base: string
  title: string
  body: string
  draft: boolean
}

export class Pulls {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string
  ) {}

  /** The open pull request from a branch of this repository (into `base` when given). */
  async findOpen(repo: string, head: string, base?: string): Promise<PullRequest | undefined> {
    const { data } = await this.octokit.rest.pulls.list({
      owner: this.owner,
      repo,
      state: 'open',
      head: `${this.owner}:${head}`,
      ...(base === undefined ? {} : { base }),
      per_page: 1
    })
    const pull = data[0]
    return pull ? { number: pull.number, url: pull.html_url } : undefined
  }

  /**
   * Opens a pull request. When GitHub answers that one already exists (a retried request whose
   * first answer was lost), the open one with the same head and base is ours and is returned.
   */
  async open(repo: string, pull: NewPullRequest): Promise<PullRequest> {
    try {
      const { data } = await this.octokit.rest.pulls.create({ owner: this.owner, repo, ...pull })
      return { number: data.number, url: data.html_url }
    } catch (error) {
      const existing =
        statusOf(error) === 422 ? await this.findOpen(repo, pull.head, pull.base) : undefined
      if (existing) return existing
      throw error
    }
  }

  async addLabels(repo: string, number: number, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({
      owner: this.owner,
      repo,
      issue_number: number,
      labels
    })
  }

  async requestReviewers(
    repo: string,
    number: number,
    reviewers: { users: string[]; teams: string[] }
  ): Promise<void> {
    await this.octokit.rest.pulls.requestReviewers({
      owner: this.owner,
      repo,
      pull_number: number,
      reviewers: reviewers.users,
      team_reviewers: reviewers.teams
    })
  }

  async close(repo: string, number: number): Promise<void> {
    await this.octokit.rest.pulls.update({
      owner: this.owner,
      repo,
      pull_number: number,
      state: 'closed'
    })
  }
}
