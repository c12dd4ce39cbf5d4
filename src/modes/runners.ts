/** The mode dispatcher: what each mode runs, and whether it may start a missing codex branch. */
import type { Mode, Repository } from '../model.js'
import { PUSH_MODES } from '../plan/desired.js'
import type { ProjectResult } from '../report/results.js'
import type { MissingBranch } from '../setup/codex.js'
import type { RunEnv } from './env.js'
import { pullDocs } from './pull-docs.js'
import { pushToProjects } from './push.js'

export interface ModeRunner {
  /** pull-docs starts a missing environment branch; the push modes need it to exist. */
  missingBranch: MissingBranch
  run(env: RunEnv, projects: Repository[]): Promise<ProjectResult[]>
}

export const MODE_RUNNERS: Readonly<Record<Mode, ModeRunner>> = {
  'pull-docs': { missingBranch: 'create', run: pullDocs },
  'push-docs': {
    missingBranch: 'fail',
    run: (env, projects) => pushToProjects(env, projects, PUSH_MODES['push-docs'])
  },
  'push-claude': {
    missingBranch: 'fail',
    run: (env, projects) => pushToProjects(env, projects, PUSH_MODES['push-claude'])
  }
}
