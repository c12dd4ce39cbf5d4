/** Progress: logs `[k/n] project: status` as each project finishes, and each failure as an annotation. */
import type { Log } from '../model.js'
import type { ProjectResult } from '../result/project.js'

export class Progress {
  private done = 0

  constructor(
    private readonly log: Log,
    private readonly total: number
  ) {}

  report<T extends ProjectResult>(result: T): T {
    this.done++
    this.log.info(
      `[${this.done}/${this.total}] ${result.project}: ${result.status}${detail(result)}`
    )
    if (result.status === 'failed') {
      this.log.error(`${result.project}: ${result.error} — ${result.resolution}`, {
        title: `codex-sync: ${result.project} failed`
      })
    }
    return result
  }
}

function detail(result: ProjectResult): string {
  const counts = `${result.files_added} added, ${result.files_modified} modified, ${result.files_deleted} deleted`
  switch (result.outcome) {
    case 'committed':
      return ` (${counts} — ${result.commit_url})`
    case 'pull-request':
      return ` (${counts} — ${result.pull_request_url})`
    case 'planned':
      return ` (${counts}, dry run)`
    case 'waiting-for-review':
      return ` (waiting for review in ${result.pull_request_url})`
    case 'in-sync':
      return ''
    case 'failed':
      return ` (${result.error})`
    default:
      return ` (${result.reason})`
  }
}
