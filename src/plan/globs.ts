/** Glob matching for repository names (case-insensitive) and repository paths (case-sensitive). */
import picomatch from 'picomatch'

export interface MatchOptions {
  /** Repository names are case-insensitive on GitHub; paths are not. Default false. */
  ignoreCase?: boolean
}

/** One matcher for a list of globs, compiled once. An empty list never matches. */
export function matchesAny(
  patterns: string[],
  options: MatchOptions = {}
): (value: string) => boolean {
  if (patterns.length === 0) return () => false
  // windows: false — repository paths always use '/', whatever the runner's OS.
  return picomatch(patterns, { dot: true, windows: false, nocase: options.ignoreCase ?? false })
}

/** Whether a repository name matches an include pattern and no exclude pattern. */
export function nameMatcher(include: string[], exclude: string[]): (name: string) => boolean {
  const included = matchesAny(include, { ignoreCase: true })
  const excluded = matchesAny(exclude, { ignoreCase: true })
  return name => included(name) && !excluded(name)
}

/** Matcher for repository paths (case-sensitive, dot files included); exclude wins. */
export function pathMatcher(include: string[], exclude: string[]): (path: string) => boolean {
  const included = matchesAny(include)
  const excluded = matchesAny(exclude)
  return path => included(path) && !excluded(path)
}
