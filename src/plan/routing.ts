/** Routing rules: which projects a codex file goes to, from its frontmatter or the config's routes. */
import type { Route } from '../inputs/config.js'
import { messageOf } from '../model.js'
import { globProblem } from '../inputs/glob-syntax.js'
import { FrontmatterError, MAX_ROUTING_PATTERNS, readRoutingFrontmatter } from './frontmatter.js'
import { matchesAny, nameMatcher } from './globs.js'

/** Which projects a codex file goes to: glob patterns on bare repository names, exclude wins. */
export interface RoutingRule {
  include?: string[]
  exclude?: string[]
}

/**
 * What a codex file says about its own routing. `warnings` (set by routingOf only when there are
 * some) are problems that do not stop the file, such as a misspelt routing key: log them.
 */
export type FileRouting = (
  { kind: 'frontmatter'; rule: RoutingRule } | { kind: 'invalid'; error: string } | { kind: 'none' }
) & { warnings?: string[] }

/** What a file without routing frontmatter says: one shared object for the many such files. */
export const NO_ROUTING: FileRouting = Object.freeze({ kind: 'none' })

/** Bumped whenever reading a frontmatter may give another answer: remembered routings are then read again. */
export const ROUTING_VERSION = 1

const MARKDOWN = /\.(md|mdx|markdown)$/i

export function isMarkdown(path: string): boolean {
  return MARKDOWN.test(path)
}

function hasRoutingKeys(rule: RoutingRule): boolean {
  return rule.include !== undefined || rule.exclude !== undefined
}

/**
 * What a Markdown file's frontmatter says about its routing. A broken frontmatter, or one with a
 * glob that is empty, too long, too complex or of unsupported syntax, is `invalid`.
 */
export function routingOf(markdown: string): FileRouting {
  try {
    const { warnings, ...rule } = readRoutingFrontmatter(markdown)
    const routing: FileRouting = hasRoutingKeys(rule) ? { kind: 'frontmatter', rule } : NO_ROUTING
    return warnings ? { ...routing, warnings } : routing
  } catch (error) {
    if (!(error instanceof FrontmatterError)) throw error
    return { kind: 'invalid', error: messageOf(error) }
  }
}

/** Texts a remembered routing may carry at most (an error or a warning), and warnings per file. */
const MAX_REMEMBERED_TEXT = 2_000
const MAX_REMEMBERED_WARNINGS = 20

/**
 * A routing read back from somewhere other than the file itself (the codex state), checked field
 * by field as its frontmatter would be: undefined for anything routingOf could not have given.
 */
export function asFileRouting(value: unknown): FileRouting | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { kind, rule, error, warnings, ...rest } = value as Record<string, unknown>
  if (Object.keys(rest).length > 0) return undefined
  const checkedWarnings =
    warnings === undefined ? undefined : texts(warnings, MAX_REMEMBERED_WARNINGS)
  if (warnings !== undefined && checkedWarnings === undefined) return undefined
  const withWarnings = (routing: FileRouting): FileRouting =>
    checkedWarnings ? { ...routing, warnings: checkedWarnings } : routing
  switch (kind) {
    case 'none':
      return rule === undefined && error === undefined ? withWarnings(NO_ROUTING) : undefined
    case 'invalid':
      return typeof error === 'string' && error.length <= MAX_REMEMBERED_TEXT && rule === undefined
        ? withWarnings({ kind: 'invalid', error })
        : undefined
    case 'frontmatter': {
      const checked = error === undefined ? asRoutingRule(rule) : undefined
      return checked && hasRoutingKeys(checked)
        ? withWarnings({ kind: 'frontmatter', rule: checked })
        : undefined
    }
    default:
      return undefined
  }
}

function asRoutingRule(value: unknown): RoutingRule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { include, exclude, ...rest } = value as Record<string, unknown>
  if (Object.keys(rest).length > 0) return undefined
  const rule: RoutingRule = {}
  for (const [key, list] of [
    ['include', include],
    ['exclude', exclude]
  ] as const) {
    if (list === undefined) continue
    const globs = nameGlobs(list)
    if (globs === undefined) return undefined
    rule[key] = globs
  }
  return rule
}

/** A list of valid repository-name globs, as frontmatter accepts them; undefined otherwise. */
function nameGlobs(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_ROUTING_PATTERNS) return undefined
  const valid = value.every(
    pattern => typeof pattern === 'string' && globProblem(pattern, 'name') === undefined
  )
  return valid ? (value as string[]) : undefined
}

function texts(value: unknown, most: number): string[] | undefined {
  if (!Array.isArray(value) || value.length > most) return undefined
  const valid = value.every(text => typeof text === 'string' && text.length <= MAX_REMEMBERED_TEXT)
  return valid ? (value as string[]) : undefined
}

const compiledRoutes = new WeakMap<Route[], (path: string) => RoutingRule | undefined>()

/** push-docs: the first config route matching a path (compiled once per config). */
export function compileRoutes(routes: Route[]): (path: string) => RoutingRule | undefined {
  let routeOf = compiledRoutes.get(routes)
  if (!routeOf) {
    const compiled = routes.map(route => ({ route, matches: matchesAny([route.pattern]) }))
    routeOf = path => compiled.find(({ matches }) => matches(path))?.route
    compiledRoutes.set(routes, routeOf)
  }
  return routeOf
}

type ProjectMatcher = (project: string) => boolean
const compiledRules = new WeakMap<
  RoutingRule,
  { byDefault?: ProjectMatcher; explicit?: ProjectMatcher }
>()

/**
 * Whether a rule sends a file to a project. A rule with no include list sends it nowhere, unless the
 * mode distributes by default (push-claude), in which case only the exclude list can stop it. Each
 * rule's globs are compiled once, however many projects it is checked against.
 */
export function routesTo(rule: RoutingRule, project: string, includeByDefault: boolean): boolean {
  const cached = compiledRules.get(rule) ?? {}
  compiledRules.set(rule, cached)
  const key = includeByDefault ? 'byDefault' : 'explicit'
  const matcher = (cached[key] ??= nameMatcher(
    rule.include ?? (includeByDefault ? ['*'] : []),
    rule.exclude ?? []
  ))
  return matcher(project)
}
