import type { GitData, Repository } from './git-data.js'
import { isEmptyPlan } from './plan.js'
import { countLine, scopeResult } from './project-results.js'
import type { ProjectResult } from './result.js'
import type { RunEnv } from './run-env.js'
import {
  planScopes,
  TrackedBranch,
  writeScopes,
  type BranchTarget,
  type Scope,
  type ScopePlan,
  type WriterOptions
} from './writer.js'

export function pullRequestBranch(environment: string): string {
  return `codex-sync/${environment}`
}

/**
 * commit_strategy: pull-request. Changes are planned against the default branch; they are committed
 * to `codex-sync/<environment>` and offered in one pull request per project. While that pull request
 * is open its branch is built on; once it is closed or merged the branch starts again from the
 * default branch. An open pull request that the default branch no longer needs is closed.
 */
export async function syncViaPullRequest(
  env: RunEnv,
  project: Repository,
  scope: Scope,
  message: (plans: ScopePlan[]) => string,
  options: WriterOptions
): Promise<ProjectResult> {
  const { git } = env
  const base = new TrackedBranch(git, project.name, project.defaultBranch, scope.folders)
  const [againstDefault] = planScopes([scope], await base.read(), options.limits) as [ScopePlan]
  if (againstDefault.refused || options.dryRun)
    return scopeResult(againstDefault, { dryRun: options.dryRun })

  const branch = pullRequestBranch(env.settings.environment)
  const head = await git.branchHead(project.name, branch)
  const open = head ? await git.findOpenPullRequest(project.name, branch) : undefined
  if (isEmptyPlan(againstDefault.plan)) {
    if (open) {
      await git.closePullRequest(
        project.name,
        open.number,
        `Closed by codex-sync: ${project.defaultBranch} already matches ${env.codex.name}@${env.codexBranch}.`
      )
      env.log.info(`${project.name}: closed ${open.url}, no longer needed.`)
    }
    return scopeResult(againstDefault, { dryRun: false })
  }

  const target = open
    ? new TrackedBranch(git, project.name, branch, scope.folders)
    : freshBranch(git, project.name, branch, base, head !== undefined)
  const outcome = await writeScopes(target, [scope], message, options)
  const written = outcome.plans[0] as ScopePlan
  const result = scopeResult(written, { dryRun: false, commit: outcome.commit })
  if (!outcome.commit) return { ...result, pull_request_url: open?.url }

  const title = `codex-sync: ${env.settings.mode} from ${env.codex.name} (${env.settings.environment})`
  const body = pullRequestBody(env, written)
  const pull = open
    ? (await git.updatePullRequest(project.name, open.number, { title, body }), open)
    : await git.openPullRequest(project.name, {
        head: branch,
        base: project.defaultBranch,
        title,
        body
      })
  return { ...result, pull_request_url: pull.url }
}

/** The pull request branch restarted from the default branch head (ours: no open pull request uses it). */
function freshBranch(
  git: GitData,
  repo: string,
  branch: string,
  base: TrackedBranch,
  exists: boolean
): BranchTarget {
  return {
    repo,
    branch,
    read: () => base.read(),
    publish: async sha => {
      if (exists) return git.updateBranch(repo, branch, sha, true)
      await git.createBranch(repo, branch, sha)
      return true
    }
  }
}

function pullRequestBody(env: RunEnv, written: ScopePlan): string {
  const list = (title: string, paths: { path: string }[]) =>
    paths.length ? [`**${title}**`, ...paths.map(file => `- \`${file.path}\``), ''] : []
  return [
    `Synced by codex-sync (${env.settings.mode}) from \`${env.codex.name}@${env.codexBranch}\`: ${countLine(written.plan)} in the latest commit.`,
    '',
    ...list('Added', written.plan.added),
    ...list('Modified', written.plan.modified),
    ...list('Deleted', written.plan.deleted),
    'Only folders owned by codex-sync are changed. Later runs update this pull request.'
  ].join('\n')
}
