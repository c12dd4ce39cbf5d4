/** The mode dispatcher: what each mode runs, and whether it may start a missing codex branch. */
import type { Mode, Repository } from '../model.js'
import { PUSH_MODES } from '../plan/desired.js'
import type { ProjectResult } from '../result/project.js'
import type { ModeExtras } from '../result/run.js'
import type { MissingBranch } from '../setup/codex.js'
import type { RunEnv } from './env.js'
import { pullDocs } from './pull-docs.js'
import { pushToProjects } from './push.js'

export interface ModeRunner {
  /** pull-docs starts a missing environment branch; the push modes need it to exist. */
  missingBranch: MissingBranch
  /** Whether the mode can plan against codex_ref (a codex ref other than the environment branch). */
  plansFromCodexRef: boolean
  /** Whether the mode routes codex files, and so reads what the codex state remembers of them. */
  routes: boolean
  run(env: RunEnv, projects: Repository[]): Promise<ModeOutcome>
}

/** What a mode did: each project's result, and (pull-docs) the folders of vanished repositories. */
export interface ModeOutcome extends ModeExtras {
  results: ProjectResult[]
}

const pushRunner = (mode: keyof typeof PUSH_MODES): ModeRunner => ({
  missingBranch: 'fail',
  plansFromCodexRef: true,
  routes: true,
  run: (env, projects) => pushToProjects(env, projects, PUSH_MODES[mode])
})

export const MODE_RUNNERS: Readonly<Record<Mode, ModeRunner>> = {
  'pull-docs': { missingBranch: 'create', plansFromCodexRef: false, routes: false, run: pullDocs },
  'push-docs': pushRunner('push-docs'),
  'push-claude': pushRunner('push-claude')
}
