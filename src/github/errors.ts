/** GitHub's answers as errors: empty repositories, missing branches, and what an HTTP status means. */
import { CodexSyncError } from '../model.js'

export class EmptyRepositoryError extends CodexSyncError {
  constructor(readonly repository: string) {
    super(
      `Repository ${repository} is empty (it has no commits).`,
      `Push a first commit to ${repository}, or exclude it.`
    )
  }
}

export class BranchNotFoundError extends CodexSyncError {
  constructor(
    readonly repository: string,
    readonly branch: string
  ) {
    super(
      `Branch '${branch}' of ${repository} does not exist.`,
      `Check the default branch of ${repository} in its settings, or exclude the repository.`
    )
  }
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status
    return typeof status === 'number' ? status : undefined
  }
  return undefined
}

export interface Explained {
  error: string
  resolution: string
}

/** What GitHub's HTTP error means for a person, and what to do: `subject` names the repository. */
export function explainHttpError(
  status: number | undefined,
  message: string,
  subject: string
): Explained {
  switch (status) {
    case 401:
      return {
        error: 'Bad credentials: GitHub rejected the token',
        resolution:
          'The token is invalid or expired: pass a GitHub App installation token or a personal token in the token input.'
      }
    case 403:
      return explainForbidden(message, subject)
    case 404:
      return {
        error: message,
        resolution: `${subject} or one of its branches is not visible to the token: add it to the GitHub App installation or check the name.`
      }
    case 422:
      return {
        error: `GitHub refused the change: ${message}`,
        resolution:
          'Run the sync again; if it repeats, check the paths and branches named in the config.'
      }
    default:
      if (status !== undefined && status >= 500) {
        return {
          error: `GitHub answered ${status} after retries: ${message}`,
          resolution: 'A GitHub outage or overload: run the sync again later.'
        }
      }
      return {
        error: message,
        resolution: 'See the step log for details and run again; report it if it repeats.'
      }
  }
}

function explainForbidden(message: string, subject: string): Explained {
  if (/archived/i.test(message))
    return {
      error: message,
      resolution: `${subject} is archived and read-only: unarchive it or exclude it.`
    }
  if (/SAML|SSO/i.test(message)) {
    return {
      error: message,
      resolution:
        "Authorize the token for the organisation's SAML single sign-on (or use a GitHub App installation token)."
    }
  }
  if (/rate limit/i.test(message)) {
    return {
      error: message,
      resolution:
        'GitHub rate limit exhausted after retries: lower parallel, use codex_commit: single, or run again after the reset.'
    }
  }
  return {
    error: message,
    resolution: `The token may not write to ${subject}: give the GitHub App "Contents: read and write" (and "Pull requests: read and write" for commit_strategy: pull-request) on it.`
  }
}

/** GitHub answered, but not with what the API promises: retried where it can be, then reported. */
export class MalformedResponseError extends CodexSyncError {
  constructor(what: string) {
    super(
      `GitHub sent an incomplete or malformed answer for ${what}.`,
      'A network or GitHub hiccup: run the sync again; nothing was written on the strength of it.'
    )
  }
}

/** A branch protection rule or ruleset refused a direct write to the branch. */
export class BranchRuleError extends CodexSyncError {
  constructor(
    readonly repository: string,
    readonly branch: string,
    detail: string
  ) {
    super(
      `A rule of ${repository}@${branch} refused the commit: ${detail.trim().replace(/\s+/g, ' ')}`,
      'Use commit_strategy: auto (a pull request where a rule refuses the push) or pull-request, or let the GitHub App bypass the rule.'
    )
  }
}

/** GitHub's words when branch protection or a ruleset refuses a write. */
export function isBranchRuleMessage(message: string): boolean {
  return /protected branch|rule violations found|must be made through a pull request/i.test(message)
}
