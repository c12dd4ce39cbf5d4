/** Progress: logs `[k/n] project: status` as each project finishes, and each failure as an annotation. */
import type { Log } from '../model.js'
import type { ProjectResult } from './results.js'

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
  switch (result.status) {
    case 'skipped':
      return ` (${result.reason})`
    case 'failed':
      return ` (${result.error})`
    case 'unchanged':
      return ''
    case 'synced': {
      const counts = `${result.files_added} added, ${result.files_modified} modified, ${result.files_deleted} deleted`
      if ('planned' in result) return ` (${counts}, dry run)`
      return ` (${counts} — ${result.pull_request_url ?? result.commit_url})`
    }
  }
}
