/** Desired files: what each mode's owned folders should contain, with the table of the two push modes. */
import type { Config } from '../inputs/config.js'
import { isRegularFile, sameName, type FileMap, type PushMode, type TreeFile } from '../model.js'
import { isUnder, type DesiredFiles } from './files.js'
import { pathMatcher } from './globs.js'
import { compileRoutes, routesTo, type FileRouting, type RoutingRule } from './routing.js'

/** The Claude tooling folders push-claude owns, each below `<kind>/<namespace>/`. */
export const CLAUDE_KINDS = ['agents', 'commands', 'hooks', 'scripts'] as const

/** A codex file with what its frontmatter says (read once per run). */
export interface CodexFile extends TreeFile {
  routing: FileRouting
}

/**
 * A codex file with its routing. Written out field by field: an object spread followed by a new
 * field gives each of 50,000 files a hidden class of its own in V8 (about 300 bytes apiece).
 */
export function withRouting(file: TreeFile, routing: FileRouting): CodexFile {
  return {
    path: file.path,
    mode: file.mode,
    sha: file.sha,
    type: file.type,
    size: file.size,
    routing
  }
}

export function projectFolder(config: Config, project: string): string {
  return `${config.projectsDir}/${project}/`
}

function distributionFolder(config: Config): string {
  return `${config.distributionDir}/`
}

function claudeFolders(config: Config): string[] {
  return CLAUDE_KINDS.map(kind => `.claude/${kind}/${config.claudeNamespace}/`)
}

/** What sets push-docs and push-claude apart; every other step is the same for both. */
export interface PushModeRules {
  /** The folders the mode owns in each project. */
  folders(config: Config): string[]
  /** Whether a codex file is one the mode may push. */
  isCandidate(path: string, config: Config): boolean
  /** Where a codex file lands in a project. */
  destination(path: string, config: Config): string
  /** The rule of a file without routing frontmatter; undefined: the file goes nowhere. */
  defaultRule(path: string, config: Config): RoutingRule | undefined
  /** Whether a rule without an include list sends the file to every project. */
  includeByDefault: boolean
  /** What the mode updates, as its commit messages say it. */
  subject(config: Config): string
  /**
   * The only folders of the codex the mode reads, beside the config's (undefined: all): known
   * before the config is, so a huge codex is listed only where it matters.
   */
  codexFolders?(configPath: string): string[]
}

/** The rule of a file without routing frontmatter: one object, so its compiled matcher is reused. */
const EVERY_PROJECT: RoutingRule = {}

export const PUSH_MODES: Readonly<Record<PushMode, PushModeRules>> = {
  'push-docs': {
    folders: config => [distributionFolder(config)],
    // The codex's own workflows and Claude tooling are never distributed as documents.
    isCandidate: path => !path.startsWith('.github/') && !path.startsWith('.claude/'),
    destination: (path, config) => distributionFolder(config) + path,
    defaultRule: (path, config) => compileRoutes(config.routes)(path),
    includeByDefault: false,
    subject: config => `${config.distributionDir}/`
  },
  'push-claude': {
    folders: claudeFolders,
    isCandidate: (path, config) => isUnder(path, claudeFolders(config)),
    destination: path => path,
    defaultRule: () => EVERY_PROJECT,
    includeByDefault: true,
    subject: config => `Claude tooling (${config.claudeNamespace})`,
    codexFolders: configPath => ['.claude/', `${configPath.split('/').slice(0, -1).join('/')}/`]
  }
}

/** Every folder the push modes own in a project. */
export function pushModeFolders(config: Config): string[] {
  return Object.values(PUSH_MODES).flatMap(rules => rules.folders(config))
}

/** Whether `path` is inside `<projects_dir>/<project>/`, the name in any case (GitHub's rule). */
export function isInProjectFolder(path: string, project: string, config: Config): boolean {
  const prefix = `${config.projectsDir}/`
  if (!path.startsWith(prefix)) return false
  const end = path.indexOf('/', prefix.length)
  return end !== -1 && sameName(path.slice(prefix.length, end), project)
}

/** Compiled once per config: a run selects with it in each of its thousands of projects. */
const pullSelections = new WeakMap<Config, (path: string) => boolean>()

/** pull-docs: which project paths it takes (whatever the kind of entry). */
export function pullSelection(config: Config): (path: string) => boolean {
  let selection = pullSelections.get(config)
  if (!selection) {
    // The push modes' folders are compared literally: a folder name is not a glob.
    const ownedByPushModes = pushModeFolders(config)
    const wanted = pathMatcher(config.syncPatterns, config.excludePatterns)
    selection = path => !isUnder(path, ownedByPushModes) && wanted(path)
    pullSelections.set(config, selection)
  }
  return selection
}

/** pull-docs: the project's documentation, at `<projects_dir>/<project>/<path>` in the codex. */
export function pullDocsFiles(
  projectFiles: FileMap,
  project: string,
  config: Config
): DesiredFiles {
  const selected = pullSelection(config)
  const folder = projectFolder(config, project)
  const desired: DesiredFiles = new Map()
  for (const file of projectFiles.values()) {
    if (!isCarried(file) || !selected(file.path)) continue
    desireFile(desired, folder + file.path, file, project)
  }
  return desired
}

/**
 * Paths git allows that GitHub's API refuses to write ("malformed path component"): a newline or a
 * NUL in a name. Such files are named in the log, never written and never deleted for it.
 */
const UNWRITABLE_NAME = /[\n\0]/

export function isCarried(file: TreeFile): boolean {
  return isRegularFile(file) && !UNWRITABLE_NAME.test(file.path)
}

/** A file a sync selects but cannot carry, and why: the caller names it rather than drop it silently. */
export interface UncarriedFile {
  path: string
  reason: string
}

/** pull-docs: the project entries sync_patterns select that are never copied (symlinks, submodules). */
export function uncarriedPullFiles(projectFiles: FileMap, config: Config): UncarriedFile[] {
  return uncarried(projectFiles, pullSelection(config))
}

/** A push mode: its codex candidates that are never copied (symlinks, submodules). */
export function uncarriedPushFiles(
  rules: PushModeRules,
  codexFiles: FileMap,
  config: Config
): UncarriedFile[] {
  return uncarried(codexFiles, path => rules.isCandidate(path, config))
}

function uncarried(files: FileMap, selected: (path: string) => boolean): UncarriedFile[] {
  const found: UncarriedFile[] = []
  for (const file of files.values()) {
    if (isCarried(file) || !selected(file.path)) continue
    if (isRegularFile(file)) {
      found.push({
        path: file.path,
        reason:
          "its name holds a newline or a NUL, which git allows but GitHub's API refuses to write"
      })
      continue
    }
    const kind = file.type === 'commit' ? 'submodule' : 'symlink'
    found.push({ path: file.path, reason: `a ${kind}: codex-sync never copies ${kind}s` })
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** The rule a codex file follows in a push mode; undefined when it goes to no project. */
export function ruleOf(
  rules: PushModeRules,
  file: CodexFile,
  config: Config
): RoutingRule | undefined {
  if (file.routing.kind === 'invalid') return undefined
  if (file.routing.kind === 'frontmatter') return file.routing.rule
  return rules.defaultRule(file.path, config)
}

/**
 * A push mode: the codex files routed to `project`, at their destination in it. The codex files of
 * `<projects_dir>/<project>/` never go back to that project, whatever the case of its name there.
 */
export function pushFiles(
  rules: PushModeRules,
  codexFiles: CodexFile[],
  codex: string,
  project: string,
  config: Config
): DesiredFiles {
  return routedTo(routableFiles(rules, codexFiles, config), codex, project, config)
}

/** A codex file that can go to some project, with its rule and where it lands. */
export interface RoutableFile {
  file: CodexFile
  rule: RoutingRule
  destination: string
  includeByDefault: boolean
}

/**
 * The codex files a push mode may send anywhere, worked out once per run: a codex holds every
 * project's pulled docs, most of which go nowhere, and each project need not look at them again.
 */
export function routableFiles(
  rules: PushModeRules,
  codexFiles: CodexFile[],
  config: Config
): RoutableFile[] {
  return codexFiles.flatMap(file => {
    if (!rules.isCandidate(file.path, config)) return []
    const rule = ruleOf(rules, file, config)
    if (!rule) return []
    const destination = rules.destination(file.path, config)
    return [{ file, rule, destination, includeByDefault: rules.includeByDefault }]
  })
}

/** The routable files one project receives, at their destination in it. */
export function routedTo(
  routable: RoutableFile[],
  codex: string,
  project: string,
  config: Config
): DesiredFiles {
  const desired: DesiredFiles = new Map()
  for (const { file, rule, destination, includeByDefault } of routable) {
    if (!routesTo(rule, project, includeByDefault)) continue
    if (isInProjectFolder(file.path, project, config)) continue
    desireFile(desired, destination, file, codex)
  }
  return desired
}

function desireFile(desired: DesiredFiles, path: string, file: TreeFile, sourceRepo: string): void {
  desired.set(path, {
    path,
    mode: file.mode,
    sha: file.sha,
    source: { repo: sourceRepo, path: file.path },
    ...(file.size === undefined ? {} : { size: file.size })
  })
}

/**
 * Where the files whose frontmatter cannot be parsed would land: their copies in projects are kept
 * as they are until the frontmatter is fixed, rather than deleted everywhere.
 */
export function unreadablePaths(
  rules: PushModeRules,
  codexFiles: CodexFile[],
  config: Config
): Set<string> {
  return new Set(
    codexFiles
      .filter(file => file.routing.kind === 'invalid' && rules.isCandidate(file.path, config))
      .map(file => rules.destination(file.path, config))
  )
}
