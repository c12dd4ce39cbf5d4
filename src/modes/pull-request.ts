/** commit_strategy: pull-request: push modes offer their changes in one pull request per project. */
import type { GitData } from '../github/git-data.js'
import type { PullRequest, Repository } from '../model.js'
import { pushModeFolders } from '../plan/desired.js'
import { isEmptyPlan, ownedFiles, sameFiles } from '../plan/files.js'
import { planScopes, type Scope, type ScopePlan } from '../plan/scopes.js'
import type { ProjectResult } from '../result/project.js'
import { TrackedBranch, type BranchTarget } from '../write/branch.js'
import type { Writer } from '../write/writer.js'
import { onlyResult, scopeResult } from './each-project.js'
import type { RunEnv } from './env.js'

/** The branch of the pull request that offers a project the changes of this environment. */
export function pullRequestBranch(environment: string): string {
  return `codex-sync/${environment}`
}

/**
 * Changes are planned against the default branch and offered in one pull request per project from
 * `codex-sync/<environment>`, shared by push-docs and push-claude. While that pull request is open,
 * each mode keeps its own folders on the branch exact; once the default branch has everything the
 * pull request offers, it is closed. After it is closed or merged, the next change starts the
 * branch again from the default branch.
 */
export async function syncViaPullRequest(
  env: RunEnv,
  writer: Writer,
  project: Repository,
  scope: Scope,
  message: (plans: ScopePlan[]) => string
): Promise<ProjectResult> {
  const { git, pulls } = env.github
  const owned = pushModeFolders(env.config)
  const base = new TrackedBranch(git, project.name, project.defaultBranch, owned)
  const [againstDefault] = planScopes([scope], await base.read(), env.config) as [ScopePlan]
  const nothingToOffer = scopeResult(againstDefault, { kind: 'unchanged', plans: [againstDefault] })
  if (againstDefault.refusal) return nothingToOffer

  const branch = pullRequestBranch(env.settings.environment)
  const head = await git.branchHead(project.name, branch)
  const open = head ? await pulls.findOpen(project.name, branch) : undefined
  if (open) {
    const offered = new TrackedBranch(git, project.name, branch, owned)
    const otherFolders = owned.filter(folder => !scope.folders.includes(folder))
    const defaultHasAll =
      isEmptyPlan(againstDefault.plan) &&
      sameFiles(
        ownedFiles((await base.read()).files, otherFolders),
        ownedFiles((await offered.read()).files, otherFolders)
      )
    if (defaultHasAll) {
      await writer.closePullRequest(
        project.name,
        open,
        `${project.defaultBranch} already has what it offered.`
      )
      return nothingToOffer
    }
    return withPullRequest(onlyResult(await writer.commit(offered, [scope], message)), open)
  }
  if (isEmptyPlan(againstDefault.plan)) return nothingToOffer

  const { pullRequest } = env.settings
  const target = freshBranch(git, project.name, branch, base, head !== undefined)
  const outcome = await writer.commit(target, [scope], message)
  const pull =
    outcome.kind === 'committed'
      ? await writer.openPullRequest(
          project.name,
          {
            head: branch,
            base: project.defaultBranch,
            title:
              pullRequest.title ??
              `codex-sync: shared docs and tooling from ${env.codex.name} (${env.settings.environment})`,
            body: pullRequest.body ?? pullRequestBody(env),
            draft: pullRequest.draft
          },
          {
            labels: pullRequest.labels,
            reviewers: { users: pullRequest.reviewers, teams: pullRequest.teamReviewers }
          }
        )
      : undefined
  return withPullRequest(onlyResult(outcome), pull)
}

/**
 * The result with the pull request that carries the project's changes: a commit made on its branch
 * this run, or nothing new while the pull request still waits for review.
 */
function withPullRequest(result: ProjectResult, pull: PullRequest | undefined): ProjectResult {
  if (!pull) return result
  const link = { pull_request_number: pull.number, pull_request_url: pull.url }
  if (result.outcome === 'committed') return { ...result, ...link, outcome: 'pull-request' }
  if (result.outcome === 'in-sync') return { ...result, ...link, outcome: 'waiting-for-review' }
  return result
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
    head: planned => base.head(planned),
    inPlace: false,
    invalidate: () => base.invalidate(),
    publish: async sha => {
      if (exists) return git.updateBranch(repo, branch, sha, true)
      return git.createBranch(repo, branch, sha)
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
