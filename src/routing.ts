import type { Route } from './config.js'
import { matchesAny, selectName } from './globs.js'

/** Which projects a codex file goes to: glob patterns on bare repository names, exclude wins. */
export interface RoutingRule {
  include?: string[]
  exclude?: string[]
}

/** What a codex file says about its own routing. */
export type FileRouting =
  | { kind: 'frontmatter'; rule: RoutingRule }
  | { kind: 'invalid'; error: string }
  | { kind: 'none' }

const MARKDOWN = /\.(md|mdx|markdown)$/i

export function isMarkdown(path: string): boolean {
  return MARKDOWN.test(path)
}

export function hasRoutingKeys(rule: RoutingRule): boolean {
  return rule.include !== undefined || rule.exclude !== undefined
}

/** push-docs: frontmatter decides where it has routing keys, else the first config route matching the path. */
export function compileRoutes(routes: Route[]): (path: string) => RoutingRule | undefined {
  const compiled = routes.map(route => ({ route, matches: matchesAny([route.pattern]) }))
  return path => compiled.find(({ matches }) => matches(path))?.route
}

/**
 * Whether a rule sends a file to a project. A rule with no include list sends it nowhere, unless the
 * mode distributes by default (push-claude), in which case only the exclude list can stop it.
 */
export function routesTo(rule: RoutingRule, project: string, includeByDefault: boolean): boolean {
  const include = rule.include ?? (includeByDefault ? ['*'] : [])
  return selectName(project, include, rule.exclude ?? [])
}
