/** Commit messages: a generated subject (or the commit_message input), the counts, and [skip ci]. */
import type { RunEnv } from './env.js'

/** Where a commit goes: straight onto a branch people build from, or onto a pull request's branch. */
export type Landing = 'direct' | 'pull-request'

/**
 * The commit message: `commit_message` replaces the generated subject; `skip_ci` marks direct
 * commits only, since a pull request's head marked so would leave its required checks pending.
 */
export function commitMessage(
  env: RunEnv,
  generated: string,
  body: string,
  landing: Landing
): string {
  const [subject = generated, ...more] = (env.settings.commitMessage ?? generated).split('\n')
  const skip = env.settings.skipCi && landing === 'direct' ? ' [skip ci]' : ''
  return [`${subject}${skip}`, '', ...more.filter(line => line.trim() !== ''), body]
    .join('\n')
    .trim()
}
