/** pull-docs: each project's documentation into `<projects_dir>/<project>/` of the codex branch. */
import PQueue from 'p-queue'
import type { Repository } from '../model.js'
import { projectFolder, pullDocsFiles } from '../plan/desired.js'
import { isEmptyPlan } from '../plan/files.js'
import { countLine, planScopes, type Scope, type ScopePlan } from '../plan/scopes.js'
import { Progress } from '../report/progress.js'
import type { FailedProject, ProjectResult, SkippedProject } from '../report/results.js'
import { TrackedBranch } from '../write/branch.js'
import { ContentSource } from '../write/content.js'
import type { Writer } from '../write/writer.js'
import { eachProject, errorResult, mapProjects, onlyResult, scopeResult } from './each-project.js'
import { writerFor, type RunEnv } from './env.js'

/**
 * Projects are read `parallel` at a time; codex writes go one after another, each on the head the
 * previous one made, so they never race.
 */
export async function pullDocs(env: RunEnv, projects: Repository[]): Promise<ProjectResult[]> {
  const codex = new TrackedBranch(
    env.github.git,
    env.codex.name,
    env.codexBranch,
    [`${env.config.projectsDir}/`],
    env.codexSnapshot
  )
  const writer = writerFor(env, new ContentSource(env.github.git, false))
  if (env.settings.codexCommit === 'single') return pullInOneCommit(env, codex, writer, projects)

  const writes = new PQueue({ concurrency: 1 })
  const message = (plans: ScopePlan[]) => pullMessage(env, plans)
  return eachProject(env, projects, async project => {
    const scope = await readScope(env, project)
    return writes.add(async () => {
      const outcome = await writer.commit(codex, [scope], message)
      if (outcome.kind === 'committed') codex.follow(outcome.after)
      return onlyResult(outcome)
    })
  })
}

/** What a project's folder in the codex should hold: its documentation as it is now. */
async function readScope(env: RunEnv, project: Repository): Promise<Scope> {
  const { files } = await env.github.git.readTree(project.name, project.defaultBranch)
  return {
    project: project.name,
    folders: [projectFolder(env.config, project.name)],
    desired: pullDocsFiles(files, project.name, env.config)
  }
}

/** codex_commit: single — every project's changes in one codex commit; if it fails, they all do. */
async function pullInOneCommit(
  env: RunEnv,
  codex: TrackedBranch,
  writer: Writer,
  projects: Repository[]
): Promise<ProjectResult[]> {
  const read = await mapProjects(env, projects, project => readScope(env, project))
  const scopes = read.filter((entry): entry is Scope => !('status' in entry))
  const unread = read.filter((entry): entry is FailedProject | SkippedProject => 'status' in entry)
  const progress = new Progress(env.log, projects.length)
  unread.forEach(result => progress.report(result))
  const written = scopes.length > 0 ? await writeOneCommit(env, codex, writer, scopes) : []
  return [...unread, ...written.map(result => progress.report(result))]
}

async function writeOneCommit(
  env: RunEnv,
  codex: TrackedBranch,
  writer: Writer,
  scopes: Scope[]
): Promise<ProjectResult[]> {
  try {
    const outcome = await writer.commit(codex, scopes, plans => pullMessage(env, plans))
    return outcome.plans.map(plan => scopeResult(plan, outcome))
  } catch (error) {
    // Projects with nothing to write, or refused by the threshold, keep that status; the others failed with the commit.
    const failure = errorResult(env, env.codex.name, error)
    const plans = await codex.read().then(
      base => planScopes(scopes, base, env.config),
      () => undefined
    )
    return scopes.map((scope, index) => {
      const plan = plans?.[index]
      const settled = plan && (plan.refusal || isEmptyPlan(plan.plan))
      return settled
        ? scopeResult(plan, { kind: 'unchanged', plans: [plan] })
        : { ...failure, project: scope.project }
    })
  }
}

function pullMessage(env: RunEnv, plans: ScopePlan[]): string {
  const org = env.settings.organization
  if (plans.length === 1) {
    const [only] = plans as [ScopePlan]
    return `codex-sync: pull docs from ${org}/${only.project}\n\n${countLine(only.plan)}.`
  }
  const lines = plans.map(plan => `- ${plan.project}: ${countLine(plan.plan)}`)
  return `codex-sync: pull docs from ${plans.length} projects of ${org}\n\n${lines.join('\n')}`
}
