/** Opens the codex: finds it, reads its config, and reads (or starts) the environment's branch. */
import { branchForEnvironment, parseConfig, type Config } from '../inputs/config.js'
import type { Settings } from '../inputs/settings.js'
import type { GitHub } from '../github/client.js'
import type { RepositoryList } from '../github/repositories.js'
import { EmptyRepositoryError } from '../github/errors.js'
import { SetupError, type Log, type Repository, type Snapshot, type TreeFile } from '../model.js'
import { findCodex } from './discover.js'

/** The codex as the run found it: its config and its environment branch. */
export interface OpenedCodex {
  config: Config
  branch: string
  snapshot: Snapshot
}

/**
 * The codex named in settings is looked up by name, while the organisation is being listed; a codex
 * found by its `codex.*` name needs the whole list.
 */
export async function resolveCodex(
  github: GitHub,
  listing: Promise<RepositoryList>,
  settings: Settings
): Promise<Repository> {
  const named = settings.codexRepository
  const codex = named
    ? await github.repositories.get(named)
    : findCodex((await listing).repositories, settings.organization)
  if (!codex) {
    throw new SetupError(
      `Codex repository ${settings.organization}/${named} was not found.`,
      'Check codex_repository (or CODEX_GITHUB_REPO), and that the token can read that repository.'
    )
  }
  return codex
}

/** Whether a missing environment branch may be started from the codex default branch. */
export type MissingBranch = 'create' | 'fail'

/**
 * The config tells which branch an environment uses, so it is read first from the codex default
 * branch, then again from the environment's branch, whose copy governs the run. A missing branch
 * is created only once `mayWrite` (the run's checks of the organisation) has passed.
 */
export async function openCodex(
  github: GitHub,
  codex: Repository,
  settings: Settings,
  missingBranch: MissingBranch,
  log: Log,
  mayWrite: Promise<unknown>
): Promise<OpenedCodex> {
  const { git } = github
  try {
    const textOf = async (file: TreeFile | undefined) =>
      file && (await git.readBlob(codex.name, file.sha)).toString('utf8')
    const parse = (text: string | undefined, ref: string) =>
      parseConfig(text, settings.organization, `${codex.name}@${ref}:${settings.configPath}`)
    const onDefault = await git.findFile(codex.name, codex.defaultBranch, settings.configPath)
    const defaultText = await textOf(onDefault)
    let config = parse(defaultText, codex.defaultBranch)
    if (settings.codexRef !== undefined) return await openAtRef(github, codex, settings)
    const branch = branchForEnvironment(config, settings.environment)
    let snapshot = await git.readBranch(codex.name, branch)
    if (!snapshot) {
      snapshot = await startEnvironmentBranch(github, codex, branch, settings, missingBranch, {
        log,
        mayWrite
      })
    } else if (branch !== codex.defaultBranch) {
      const onBranch = snapshot.files.get(settings.configPath)
      config = parse(
        onBranch?.sha === onDefault?.sha ? defaultText : await textOf(onBranch),
        branch
      )
    }
    return { config, branch, snapshot }
  } catch (error) {
    if (error instanceof EmptyRepositoryError) {
      throw new SetupError(
        `The codex repository ${settings.organization}/${codex.name} is empty.`,
        'Push a first commit (a README will do) to the codex.'
      )
    }
    throw error
  }
}

/** codex_ref: the codex as a ref (branch, tag or commit) holds it, config included; only planned. */
async function openAtRef(
  { git }: GitHub,
  codex: Repository,
  settings: Settings
): Promise<OpenedCodex> {
  const ref = settings.codexRef as string
  const commitSha = await git.resolveCommit(codex.name, ref)
  if (!commitSha) {
    throw new SetupError(
      `codex_ref '${ref}' is not a branch, tag or commit of ${settings.organization}/${codex.name}.`,
      'Check codex_ref: give a branch name, a tag or a full commit SHA of the codex.'
    )
  }
  const tree = await git.readTree(codex.name, commitSha)
  const file = tree.files.get(settings.configPath)
  const text = file && (await git.readBlob(codex.name, file.sha)).toString('utf8')
  const config = parseConfig(
    text,
    settings.organization,
    `${codex.name}@${ref}:${settings.configPath}`
  )
  return { config, branch: ref, snapshot: { ...tree, commitSha } }
}

/** pull-docs creates a missing environment branch from the codex default branch; push modes need it. */
async function startEnvironmentBranch(
  { git }: GitHub,
  codex: Repository,
  branch: string,
  settings: Settings,
  missingBranch: MissingBranch,
  { log, mayWrite }: { log: Log; mayWrite: Promise<unknown> }
): Promise<Snapshot> {
  const missing = `Codex branch '${branch}' of environment '${settings.environment}' does not exist in ${settings.organization}/${codex.name}.`
  if (missingBranch === 'fail') {
    throw new SetupError(
      missing,
      `Run pull-docs for environment '${settings.environment}' first (it creates the branch from ${codex.defaultBranch}), or create the branch.`
    )
  }
  const base = await git.readBranch(codex.name, codex.defaultBranch)
  if (!base)
    throw new SetupError(
      `The codex default branch '${codex.defaultBranch}' does not exist.`,
      'Check the default branch of the codex repository.'
    )
  if (settings.dryRun) {
    log.info(
      `${missing} A real run creates it from ${codex.defaultBranch}; this dry run plans against ${codex.defaultBranch}.`
    )
    return base
  }
  await mayWrite
  if (await git.createBranch(codex.name, branch, base.commitSha)) {
    log.info(
      `Created codex branch '${branch}' from ${codex.defaultBranch} (${base.commitSha.slice(0, 7)}).`
    )
    return base
  }
  // Another run created it in between: use the branch as it now is.
  const created = await git.readBranch(codex.name, branch)
  if (!created) throw new SetupError(missing, 'Run the sync again.')
  log.info(`Codex branch '${branch}' was created by another run meanwhile; using it.`)
  return created
}
