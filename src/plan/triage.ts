/** Which projects need a look: a project whose owned paths already hold, object ID for object ID,
 * what the sync would leave there is in sync, and its tree need not be read. Equal IDs mean equal
 * files: what a project should hold is worked out as the sync would (from the codex branch), and
 * what it holds is named by git's own IDs; anything not known for sure is a look.
 */
import type { Config } from '../inputs/config.js'
import { normalMode, TREE_MODE, type PathEntry, type ProjectHead, type Tree } from '../model.js'
import { isCarried, projectFolder, pullSelection } from './desired.js'
import { ownedFiles, type DesiredFiles } from './files.js'
import { folderOid, patternRoots } from './fingerprint.js'

/** What a project's paths hold when it is in sync: each path's entry, or undefined for nothing. */
export interface Expectation {
  paths: ReadonlyMap<string, PathEntry | undefined>
}

/**
 * Whether the head shows the project in sync: every expected path as expected. `offerings`: with
 * a pull request strategy, an open pull request of the environment means a look (it waits for
 * review, or may be closed now); a branch left from a merged one does not.
 */
export function isInSync(
  expected: Expectation | undefined,
  head: ProjectHead | undefined,
  offerings: boolean
): boolean {
  if (!expected || !head) return false
  if (offerings && head.offering?.pull) return false
  for (const [path, want] of expected.paths) {
    if (!head.paths.has(path)) return false
    if (!sameEntry(want, head.paths.get(path))) return false
  }
  return true
}

function sameEntry(a: PathEntry | undefined, b: PathEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.oid === b.oid && normalMode(a.mode) === normalMode(b.mode)
}

/** The paths a push mode's owned folders are read at (without their trailing slash). */
export function folderPaths(folders: readonly string[]): string[] {
  return folders.map(folder => folder.replace(/\/$/, ''))
}

/** A push mode: each owned folder holds exactly the desired files below it, or nothing. */
export function pushExpectation(desired: DesiredFiles, folders: readonly string[]): Expectation {
  const paths = new Map<string, PathEntry | undefined>()
  for (const folder of folders) {
    const oid = folderOid(desired.values(), folder)
    paths.set(folder.replace(/\/$/, ''), oid === undefined ? undefined : { oid, mode: TREE_MODE })
  }
  return { paths }
}

const rootsOf = new WeakMap<Config, string[] | undefined>()

/** pull-docs: the fixed roots of sync_patterns; undefined when a pattern has none. */
export function pullRoots(config: Config): string[] | undefined {
  if (!rootsOf.has(config)) rootsOf.set(config, patternRoots(config.syncPatterns))
  return rootsOf.get(config)
}

/**
 * pull-docs: a project is in sync when each root of sync_patterns holds in the project what its
 * folder in the codex holds there, and that folder holds nothing else and nothing pull-docs would
 * not take (a file the config now excludes, one outside the roots). Undefined when that cannot be
 * told from the codex tree: the project is read.
 */
export function pullExpectation(
  config: Config,
  codex: Tree,
  project: string
): Expectation | undefined {
  const roots = pullRoots(config)
  const folders = codex.folders
  if (roots === undefined || folders === undefined) return undefined
  const prefix = projectFolder(config, project)
  const selected = pullSelection(config)
  for (const file of ownedFiles(codex.files, [prefix]).values()) {
    const path = file.path.slice(prefix.length)
    const underRoot = roots.some(root => path === root || path.startsWith(`${root}/`))
    if (!underRoot || !isCarried(file) || !selected(path)) return undefined
  }
  const paths = new Map<string, PathEntry | undefined>()
  for (const root of roots) {
    const file = codex.files.get(prefix + root)
    const folder = folders.get(prefix + root)
    paths.set(
      root,
      file
        ? { oid: file.sha, mode: file.mode }
        : folder
          ? { oid: folder, mode: TREE_MODE }
          : undefined
    )
  }
  return { paths }
}
