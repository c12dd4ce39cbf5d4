/** Git's rules for ref names (git check-ref-format), for names that become part of a branch or ref. */

const FORBIDDEN_PUNCTUATION = /[ ~^:?*[\\]/

/** A control character (below space, or DEL), which git refuses in a ref name. */
function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}
const MAX_LENGTH = 255

/**
 * What makes `name` unusable in a git ref, in words; undefined when git accepts it. A name with
 * slashes is checked segment by segment, as git does.
 */
export function refNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty'
  if (name.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`
  if (FORBIDDEN_PUNCTUATION.test(name) || hasControlCharacter(name)) {
    return 'holds a space, a control character or one of ~ ^ : ? * [ \\'
  }
  if (name === '@') return "is '@', which git keeps for HEAD"
  if (name.includes('@{')) return "holds '@{'"
  if (name.includes('..')) return "holds '..'"
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'has an empty segment (a leading, trailing or double slash)'
  if (name.endsWith('.')) return "ends with '.'"
  for (const segment of name.split('/')) {
    if (segment.startsWith('.')) return `has a segment starting with '.' (${segment})`
    if (segment.endsWith('.lock')) return `has a segment ending with '.lock' (${segment})`
  }
  return undefined
}
