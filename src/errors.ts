import { ConfigError } from './config.js'
import { BranchNotFoundError, EmptyRepositoryError, messageOf, statusOf } from './git-data.js'
import { InputError } from './settings.js'
import { BranchMovedError } from './writer.js'

/** A problem that stops the run before any write, with what the user should do about it. */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly resolution: string
  ) {
    super(message)
    this.name = 'SetupError'
  }
}

export interface Explained {
  error: string
  resolution: string
}

/** What went wrong, said for a person, and what to do: `subject` names the repository concerned. */
export function explain(error: unknown, subject: string): Explained {
  const message = messageOf(error)
  if (error instanceof SetupError) return { error: message, resolution: error.resolution }
  if (error instanceof ConfigError) {
    return {
      error: message,
      resolution: `Fix ${error.key ? `'${error.key}'` : 'the file'} in the codex config and run again.`
    }
  }
  if (error instanceof InputError)
    return {
      error: message,
      resolution: `Correct the '${error.input}' input of the workflow step.`
    }
  if (error instanceof EmptyRepositoryError)
    return { error: message, resolution: `Push a first commit to ${subject}, or exclude it.` }
  if (error instanceof BranchNotFoundError) {
    return {
      error: message,
      resolution: `Check the default branch of ${error.repository} in its settings, or exclude the repository.`
    }
  }
  if (error instanceof BranchMovedError) {
    return {
      error: message,
      resolution:
        'Another writer keeps pushing to that branch: run the sync again when it is quiet (nothing of this project was written).'
    }
  }
  return explainStatus(statusOf(error), message, subject)
}

function explainStatus(status: number | undefined, message: string, subject: string): Explained {
  switch (status) {
    case 401:
      return {
        error: 'Bad credentials: GitHub rejected the token',
        resolution:
          'The token is invalid or expired: pass a GitHub App installation token or a personal token in the token input.'
      }
    case 403:
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
