import type { Config } from './config.js'
import { isRegularFile, type FileMap, type TreeFile } from './git-data.js'
import { pathMatcher } from './globs.js'
import { isUnder, type DesiredFiles } from './plan.js'
import { compileRoutes, routesTo, type FileRouting, type RoutingRule } from './routing.js'

/** The Claude tooling folders push-claude owns, each below `<kind>/<namespace>/`. */
export const CLAUDE_KINDS = ['agents', 'commands', 'hooks', 'scripts'] as const

/** A codex file with what its frontmatter says (read once per run). */
export interface CodexFile extends TreeFile {
  routing: FileRouting
}

export function projectFolder(config: Config, project: string): string {
  return `${config.projectsDir}/${project}/`
}

export function distributionFolder(config: Config): string {
  return `${config.distributionDir}/`
}

export function claudeFolders(config: Config): string[] {
  return CLAUDE_KINDS.map(kind => `.claude/${kind}/${config.claudeNamespace}/`)
}

/** Every folder the push modes own in a project. */
export function pushModeFolders(config: Config): string[] {
  return [distributionFolder(config), ...claudeFolders(config)]
}

/** pull-docs: the project's documentation, at `<projects_dir>/<project>/<path>` in the codex. */
export function pullDocsFiles(
  projectFiles: FileMap,
  project: string,
  config: Config
): DesiredFiles {
  // The push modes' folders are compared literally: a folder name is not a glob.
  const ownedByPushModes = pushModeFolders(config)
  const wanted = pathMatcher(config.syncPatterns, config.excludePatterns)
  const folder = projectFolder(config, project)
  const desired: DesiredFiles = new Map()
  for (const file of projectFiles.values()) {
    if (!isRegularFile(file) || isUnder(file.path, ownedByPushModes) || !wanted(file.path)) continue
    const path = folder + file.path
    desired.set(path, {
      path,
      mode: file.mode,
      sha: file.sha,
      source: { repo: project, path: file.path }
    })
  }
  return desired
}

/** Codex files push-docs may distribute: not the codex's own workflows or Claude tooling. */
export function isPushDocsCandidate(path: string): boolean {
  return !path.startsWith('.github/') && !path.startsWith('.claude/')
}

export function isPushClaudeCandidate(path: string, config: Config): boolean {
  return claudeFolders(config).some(folder => path.startsWith(folder))
}

/** push-docs: routed codex files, at `<distribution_dir>/<codex path>` in the project. */
export function pushDocsFiles(
  codexFiles: CodexFile[],
  codex: string,
  project: string,
  config: Config
): DesiredFiles {
  const routeOf = compileRoutes(config.routes)
  const ownFolder = projectFolder(config, project)
  const desired: DesiredFiles = new Map()
  for (const file of codexFiles) {
    if (!isPushDocsCandidate(file.path) || file.path.startsWith(ownFolder)) continue
    const rule = pushDocsRule(file, routeOf)
    if (!rule || !routesTo(rule, project, false)) continue
    const path = distributionFolder(config) + file.path
    desired.set(path, {
      path,
      mode: file.mode,
      sha: file.sha,
      source: { repo: codex, path: file.path }
    })
  }
  return desired
}

function pushDocsRule(
  file: CodexFile,
  routeOf: (path: string) => RoutingRule | undefined
): RoutingRule | undefined {
  if (file.routing.kind === 'invalid') return undefined
  if (file.routing.kind === 'frontmatter') return file.routing.rule
  return routeOf(file.path)
}

/** The rule of a file without routing frontmatter: one object, so its compiled matcher is reused. */
const NO_RULE: RoutingRule = {}

/** push-claude: the namespace's tooling, at the same paths, unless a file's frontmatter says otherwise. */
export function pushClaudeFiles(
  codexFiles: CodexFile[],
  codex: string,
  project: string,
  config: Config
): DesiredFiles {
  const desired: DesiredFiles = new Map()
  for (const file of codexFiles) {
    if (!isPushClaudeCandidate(file.path, config) || file.routing.kind === 'invalid') continue
    const rule = file.routing.kind === 'frontmatter' ? file.routing.rule : NO_RULE
    if (!routesTo(rule, project, true)) continue
    desired.set(file.path, {
      path: file.path,
      mode: file.mode,
      sha: file.sha,
      source: { repo: codex, path: file.path }
    })
  }
  return desired
}

/**
 * Where the files whose frontmatter cannot be parsed would land: their copies in projects are kept
 * as they are until the frontmatter is fixed, rather than deleted everywhere.
 */
export function unreadablePaths(
  codexFiles: CodexFile[],
  mode: 'push-docs' | 'push-claude',
  config: Config
): Set<string> {
  const unreadable = codexFiles.filter(file => file.routing.kind === 'invalid')
  if (mode === 'push-claude')
    return new Set(
      unreadable.filter(file => isPushClaudeCandidate(file.path, config)).map(file => file.path)
    )
  return new Set(
    unreadable
      .filter(file => isPushDocsCandidate(file.path))
      .map(file => distributionFolder(config) + file.path)
  )
}
