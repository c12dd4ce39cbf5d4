/** Turns any error into what went wrong and what to do, for results, annotations and summaries. */
import { explainHttpError, statusOf, type Explained } from '../github/errors.js'
import { CodexSyncError, messageOf } from '../model.js'

export type { Explained }

/** What went wrong, said for a person, and what to do: `subject` names the repository concerned. */
export function explain(error: unknown, subject: string): Explained {
  if (error instanceof CodexSyncError) return { error: error.message, resolution: error.resolution }
  return explainHttpError(statusOf(error), messageOf(error), subject)
}
