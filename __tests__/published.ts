/**
 * Where this action is published: the GitHub repository of package.json's `repository` field and
 * the major version of its `version`. The reusable workflow, the codex template, the README and the
 * schema's `$id` all refer to the action as `<repository>@v<major>`; tests compare them with this.
 */
import { readFileSync } from 'node:fs'

const ROOT = new URL('..', import.meta.url)

export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8')
}

interface PackageJson {
  version: string
  repository?: string | { type?: string; url?: string }
}

export function packageJson(): PackageJson {
  return JSON.parse(readRepoFile('package.json')) as PackageJson
}

/** `owner/name` from package.json's repository (`git+https://github.com/owner/name.git` and friends). */
export function publishedRepository(pkg: PackageJson = packageJson()): string {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
  const match =
    /(?:github\.com[/:]|^github:|^)([A-Za-z0-9-]+\/[A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url ?? '')
  if (!match?.[1]) {
    throw new Error(
      `package.json: 'repository' must name the GitHub repository the action is published from, got ${JSON.stringify(pkg.repository)}`
    )
  }
  return match[1]
}

/** `v1` for version 1.x.y. */
export function majorTag(pkg: PackageJson = packageJson()): string {
  const match = /^(\d+)\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.exec(pkg.version)
  if (!match)
    throw new Error(`package.json: 'version' must be a semantic version, got ${pkg.version}`)
  return `v${match[1]}`
}

/** The action's reference for users: `owner/name@v1`. */
export function actionReference(): string {
  return `${publishedRepository()}@${majorTag()}`
}

/** The reusable workflows users call: the sync, and the plan of a codex pull request. */
export const REUSABLE_WORKFLOWS = ['codex-sync.yml', 'codex-sync-plan.yml'] as const

/** A reusable workflow's reference for users: `owner/name/.github/workflows/codex-sync.yml@v1`. */
export function reusableWorkflowReference(
  file: (typeof REUSABLE_WORKFLOWS)[number] = 'codex-sync.yml'
): string {
  return `${publishedRepository()}/.github/workflows/${file}@${majorTag()}`
}

/** The raw URL of a file of the repository at the major tag (the schema for editors). */
export function publishedAt(path: string): string {
  return `https://raw.githubusercontent.com/${publishedRepository()}/${majorTag()}/${path}`
}
