/** The mode dispatcher: what each mode reads, what it expects of a project in sync, and its run. */
import type { Config } from '../inputs/config.js'
import type { Settings } from '../inputs/settings.js'
import type { Mode } from '../model.js'
import { PUSH_MODES } from '../plan/desired.js'
import { folderPaths, pullRoots } from '../plan/triage.js'
import type { MissingBranch } from '../setup/codex.js'
import type { PreparedMode, RunEnv } from './env.js'
import { preparePull } from './pull-docs.js'
import { preparePush } from './push.js'

export interface ModeRunner {
  /** pull-docs starts a missing environment branch; the push modes need it to exist. */
  missingBranch: MissingBranch
  /** Whether the mode can plan against codex_ref (a codex ref other than the environment branch). */
  plansFromCodexRef: boolean
  /** Whether the mode routes codex files, and so reads what the codex state remembers of them. */
  routes: boolean
  /** The paths of a project whose object IDs tell whether it is in sync (asked with its head). */
  lookups(config: Config): string[]
  /** Whether a pull request branch of the environment may carry the mode's changes. */
  offers(settings: Settings): boolean
  /** The only folders of the codex branch the mode reads, its config's among them; all if undefined. */
  codexFolders(settings: Settings): string[] | undefined
  /** The mode's own reads before any project: then what it expects of each, and its run. */
  prepare(env: RunEnv): Promise<PreparedMode>
}

/** Paths asked of each repository in the listing at the most: each costs a lookup per repository. */
const MAX_LOOKUPS = 20

const pushRunner = (mode: keyof typeof PUSH_MODES): ModeRunner => ({
  missingBranch: 'fail',
  plansFromCodexRef: true,
  routes: true,
  lookups: config => folderPaths(PUSH_MODES[mode].folders(config)),
  offers: settings => settings.commitStrategy !== 'direct',
  codexFolders: settings => PUSH_MODES[mode].codexFolders?.(settings.configPath),
  prepare: env => preparePush(env, PUSH_MODES[mode])
})

export const MODE_RUNNERS: Readonly<Record<Mode, ModeRunner>> = {
  'pull-docs': {
    missingBranch: 'create',
    plansFromCodexRef: false,
    routes: false,
    lookups: config => {
      const roots = pullRoots(config) ?? []
      // Patterns of many roots (brace alternatives) are read project by project instead.
      return roots.length <= MAX_LOOKUPS ? roots : []
    },
    offers: () => false,
    codexFolders: () => undefined,
    prepare: async env => preparePull(env)
  },
  'push-docs': pushRunner('push-docs'),
  'push-claude': pushRunner('push-claude')
}
