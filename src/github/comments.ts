/** Comments on a pull request: list them, and keep one marked comment written in place. */
import { CodexSyncError } from '../model.js'
import type { Octokit } from './client.js'
import { statusOf } from './errors.js'

export interface IssueComment {
  id: number
  body: string
  url: string
  /** The login of the comment's author; '' when GitHub does not say (a deleted account). */
  author: string
}

/** What became of the marked comment. */
export interface MarkedComment {
  action: 'created' | 'updated' | 'unchanged'
  url: string
  /** Set when the token's own login could not be learnt, so no earlier comment could be claimed. */
  unclaimed?: string
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
      url: comment.html_url,
      author: comment.user?.login ?? ''
    }))
  }

  /**
   * The login the token comments as (`name[bot]` for an App or the workflow's token): GraphQL's
   * viewer, which answers for every kind of token, else the REST user; undefined if neither says.
   */
  async ownLogin(): Promise<string | undefined> {
    try {
      const data = await this.octokit.graphql<{ viewer?: { login?: unknown } }>(
        'query codexSyncViewer { viewer { login } }'
      )
      if (typeof data.viewer?.login === 'string' && data.viewer.login !== '')
        return data.viewer.login
    } catch {
      // No GraphQL here: the REST user answers for personal tokens.
    }
    try {
      const { data } = await this.octokit.rest.users.getAuthenticated()
      return typeof data.login === 'string' && data.login !== '' ? data.login : undefined
    } catch {
      return undefined
    }
  }

  /**
   * The one comment of the pull request that starts with `marker` and was written by this token's
   * own login: updated in place when its body differs, left alone when it is the same, written when
   * there is none yet. A comment by anyone else is never touched, marker or not. When several are
   * ours, the oldest is kept up to date.
   */
  async writeMarked(
    repo: string,
    number: number,
    marker: string,
    body: string
  ): Promise<MarkedComment> {
    const where = `pull request #${number} of ${this.owner}/${repo}`
    try {
      const [comments, own] = await Promise.all([this.list(repo, number), this.ownLogin()])
      const marked = comments.find(
        comment =>
          own !== undefined &&
          comment.author.toLowerCase() === own.toLowerCase() &&
          comment.body.trimStart().startsWith(marker)
      )
      const unclaimed =
        own === undefined
          ? 'the token did not say which login it comments as, so a new comment was written instead of updating an earlier one'
          : undefined
      if (marked?.body === body) return { action: 'unchanged', url: marked.url }
      const owner = this.owner
      const { data } = marked
        ? await this.octokit.rest.issues.updateComment({ owner, repo, comment_id: marked.id, body })
        : await this.octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
      return {
        action: marked ? 'updated' : 'created',
        url: data.html_url,
        ...(unclaimed ? { unclaimed } : {})
      }
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
