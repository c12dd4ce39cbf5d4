/** Comments on a pull request: list them, and keep one marked comment written in place. */
import { CodexSyncError } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'

export interface IssueComment {
  id: number
  body: string
  url: string
}

/** What became of the marked comment. */
export interface MarkedComment {
  action: 'created' | 'updated' | 'unchanged'
  url: string
}

/** A pull request that cannot be found or commented on, said for the person who set it up. */
export class CommentError extends CodexSyncError {}

export class Comments {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string
  ) {}

  /** Every comment of the pull request (or issue), oldest first. */
  async list(repo: string, number: number): Promise<IssueComment[]> {
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      owner: this.owner,
      repo,
      issue_number: number,
      per_page: 100
    })
    return comments.map(comment => ({
      id: comment.id,
      body: comment.body ?? '',
      url: comment.html_url
    }))
  }

  /**
   * The one comment of the pull request whose body starts with `marker`: updated in place when
   * its body differs, left alone when it is the same, written when there is none yet. When several
   * carry the marker, the oldest is kept up to date.
   */
  async writeMarked(
    repo: string,
    number: number,
    marker: string,
    body: string
  ): Promise<MarkedComment> {
    const where = `pull request #${number} of ${this.owner}/${repo}`
    try {
      const comments = await this.list(repo, number)
      const marked = comments.find(comment => comment.body.trimStart().startsWith(marker))
      if (marked?.body === body) return { action: 'unchanged', url: marked.url }
      const owner = this.owner
      const { data } = marked
        ? await this.octokit.rest.issues.updateComment({ owner, repo, comment_id: marked.id, body })
        : await this.octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
      return { action: marked ? 'updated' : 'created', url: data.html_url }
    } catch (error) {
      throw commentError(error, where) ?? error
    }
  }
}

/** GitHub's refusals, with what to do about them; undefined for errors said well enough as they are. */
function commentError(error: unknown, where: string): CommentError | undefined {
  if (error instanceof Error && /rate limit/i.test(error.message)) return undefined
  switch (statusOf(error)) {
    case 404:
    case 410:
      return new CommentError(
        `There is no ${where}, or the token cannot see it.`,
        "Check the number given in 'plan_comment', and that the token can read the codex."
      )
    case 403:
      return new CommentError(
        `The token may not comment on ${where}.`,
        "Give the job writing the comment 'permissions: pull-requests: write' (with the workflow's GITHUB_TOKEN as 'token'), or the GitHub App 'Pull requests: read and write'. A pull request from a fork gets a read-only token: the plan is then only in the job summary."
      )
    default:
      return undefined
  }
}
