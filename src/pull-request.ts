import type { GitData, Repository } from './git-data.js'
import { isEmptyPlan, ownedFiles, sameFiles } from './plan.js'
import { scopeResult } from './project-results.js'
import type { ProjectResult } from './result.js'
import type { RunEnv } from './run-env.js'
import { pushModeFolders } from './selection.js'
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
 * commit_strategy: pull-request. Changes are planned against the default branch and offered in one
 * pull request per project from `codex-sync/<environment>`, shared by push-docs and push-claude.
 * While that pull request is open, each mode keeps its own folders on the branch exact; once the
 * default branch has everything the pull request offers, it is closed. After it is closed or merged,
 * the next change starts the branch again from the default branch.
 */
export async function syncViaPullRequest(
  env: RunEnv,
  project: Repository,
  scope: Scope,
  message: (plans: ScopePlan[]) => string,
  options: WriterOptions
): Promise<ProjectResult> {
  const { git } = env
  const owned = pushModeFolders(env.config)
  const base = new TrackedBranch(git, project.name, project.defaultBranch, owned)
  const [againstDefault] = planScopes([scope], await base.read(), options.limits) as [ScopePlan]
  if (againstDefault.refused || options.dryRun)
    return scopeResult(againstDefault, { dryRun: options.dryRun })

  const branch = pullRequestBranch(env.settings.environment)
  const head = await git.branchHead(project.name, branch)
  const open = head ? await git.findOpenPullRequest(project.name, branch) : undefined
  if (open) {
    const offered = new TrackedBranch(git, project.name, branch, owned)
    const otherFolders = owned.filter(folder => !scope.folders.includes(folder))
    if (
      isEmptyPlan(againstDefault.plan) &&
      sameFiles(
        ownedFiles((await base.read()).files, otherFolders),
        ownedFiles((await offered.read()).files, otherFolders)
      )
    ) {
      await git.closePullRequest(project.name, open.number)
      env.log.info(
        `${project.name}: closed ${open.url}: ${project.defaultBranch} already has what it offered.`
      )
      return scopeResult(againstDefault, { dryRun: false })
    }
    const outcome = await writeScopes(offered, [scope], message, options)
    const result = scopeResult(outcome.plans[0] as ScopePlan, {
      dryRun: false,
      commit: outcome.commit
    })
    return { ...result, pull_request_url: open.url }
  }
  if (isEmptyPlan(againstDefault.plan)) return scopeResult(againstDefault, { dryRun: false })

  const outcome = await writeScopes(
    freshBranch(git, project.name, branch, base, head !== undefined),
    [scope],
    message,
    options
  )
  const result = scopeResult(outcome.plans[0] as ScopePlan, {
    dryRun: false,
    commit: outcome.commit
  })
  if (!outcome.commit) return result
  const pull = await git.openPullRequest(project.name, {
    head: branch,
    base: project.defaultBranch,
    title: `codex-sync: shared docs and tooling from ${env.codex.name} (${env.settings.environment})`,
    body: pullRequestBody(env)
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

function pullRequestBody(env: RunEnv): string {
  const { config } = env
  return [
    `codex-sync keeps this pull request up to date with \`${env.codex.name}@${env.codexBranch}\` (environment \`${env.settings.environment}\`).`,
    '',
    `- push-docs owns \`${config.distributionDir}/\`: the codex documents routed to this project.`,
    `- push-claude owns \`.claude/{agents,commands,hooks,scripts}/${config.claudeNamespace}/\`: the shared Claude tooling.`,
    '',
    'Nothing else in the repository is changed. Each commit on this branch lists its changes; later runs add commits here, and close this pull request if the default branch already has everything it offers.'
  ].join('\n')
}
