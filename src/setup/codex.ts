/** Opens the codex: finds it, reads its config, and reads (or starts) the environment's branch. */
import { branchForEnvironment, parseConfig, type Config } from '../inputs/config.js'
import type { Settings } from '../inputs/settings.js'
import type { GitHub } from '../github/client.js'
import type { BranchHead, CodexFirstLook, RefFilesQuestion } from '../github/graphql.js'
import type { RepositoryList } from '../github/repositories.js'
import { EmptyRepositoryError } from '../github/errors.js'
import { SetupError, type Log, type Repository, type Snapshot, type Tree } from '../model.js'
import { findCodex } from './discover.js'

/** The codex as the run found it: its config and its environment branch. */
export interface OpenedCodex {
  config: Config
  branch: string
  snapshot: Snapshot
}

/** The codex as read: its config and its environment branch, undefined when that does not exist yet. */
export interface ReadCodex {
  config: Config
  branch: string
  snapshot: Snapshot | undefined
}

/** The codex repository, and what a first look at it already read (undefined: nothing). */
export interface FoundCodex {
  codex: Repository
  look: CodexFirstLook | undefined
  early?: EarlyTree
  /** The folders of the codex branch the run reads (see CodexReading). */
  folders?: readonly string[]
}

/**
 * The usual environment branch's tree, read by branch name beside the first look, which then tells
 * whether it is the tree of the head it found. Taken once, so an unused tree is not held.
 */
export class EarlyTree {
  private tree: Promise<Tree | undefined> | undefined

  constructor(
    readonly branch: string,
    read: () => Promise<Tree>
  ) {
    this.tree = read().catch(() => undefined)
  }

  /** The tree of `head` of `branch`, if the early read got that one; undefined otherwise. */
  async take(branch: string, head: BranchHead | undefined): Promise<Tree | undefined> {
    const tree = this.tree
    this.tree = undefined
    if (branch !== this.branch || !tree || !head) return undefined
    const found = await tree
    return found?.treeSha === head.treeSha ? found : undefined
  }
}

/** Where the codex is: named in the settings, or the only `codex.*` repository of a listing. */
export type CodexWhere = { named: string } | { listing: Promise<RepositoryList> }

/**
 * The codex named in settings is looked up by name while the organisation is being listed, with
 * one GraphQL query that also reads its config and branch heads (REST where GraphQL cannot); a
 * codex found by its `codex.*` name needs the whole list first.
 */
export async function resolveCodex(
  github: GitHub,
  where: CodexWhere,
  settings: Settings,
  { refFiles, folders }: CodexReading = {}
): Promise<FoundCodex> {
  if ('listing' in where) {
    const codex = findCodex((await where.listing).repositories, settings.organization)
    const answer = await firstLook(github, codex.name, settings, refFiles)
    return { codex, look: answer === 'missing' ? undefined : answer, folders }
  }
  const named = where.named
  const early = earlyTree(github, named, settings, folders)
  const answer = await firstLook(github, named, settings, refFiles)
  if (answer === 'missing') throw codexNotFound(settings, named)
  const codex = answer?.repository ?? (await github.repositories.get(named))
  if (!codex) throw codexNotFound(settings, named)
  return { codex, look: answer, early: answer ? early : undefined, folders }
}

/** What a run reads of the codex besides its config: the files of `refFiles`, and the folders it needs. */
export interface CodexReading {
  refFiles?: RefFilesQuestion
  /** The only folders of the codex branch the mode reads (each with a trailing slash); all if undefined. */
  folders?: readonly string[]
}

/**
 * The tree of a named codex's usual branch, read while the first look finds that branch's head:
 * the tree, the largest read of the setup, no longer waits for it. Only with a first look to
 * check it against, and for a branch name that is one path segment (the tree endpoint's name).
 */
function earlyTree(
  github: GitHub,
  name: string,
  settings: Settings,
  folders: readonly string[] | undefined
): EarlyTree | undefined {
  const branch = usualBranch(settings)
  if (settings.codexRef !== undefined || !github.graphql.canCommit) return undefined
  if (branch === undefined || branch.includes('/')) return undefined
  return new EarlyTree(branch, () => github.git.readTree(name, branch, folders))
}

function codexNotFound({ organization }: Settings, named: string): SetupError {
  return new SetupError(
    `Codex repository ${organization}/${named} was not found.`,
    'Check codex_repository (or CODEX_GITHUB_REPO), and that the token can read that repository.'
  )
}

/**
 * The first look asks for the branch the environment has under the default config, the usual one,
 * and for the files of `refFiles` (the run's state).
 */
function firstLook(
  github: GitHub,
  name: string,
  settings: Settings,
  refFiles: RefFilesQuestion | undefined
) {
  if (settings.codexRef !== undefined) return Promise.resolve(undefined)
  return github.graphql.codexFirstLook(name, settings.configPath, usualBranch(settings), refFiles)
}

function usualBranch({ environment, organization }: Settings): string | undefined {
  try {
    return branchForEnvironment(parseConfig(undefined, organization, ''), environment)
  } catch {
    return undefined
  }
}

/** Whether a missing environment branch may be started from the codex default branch. */
export type MissingBranch = 'create' | 'fail'

/**
 * The config tells which branch an environment uses, so it is read first from the codex default
 * branch, then again from the environment's branch, whose copy governs the run. A missing branch
 * is said (snapshot undefined): see startEnvironmentBranch.
 */
export async function openCodex(
  github: GitHub,
  { codex, look, early, folders }: FoundCodex,
  settings: Settings
): Promise<ReadCodex> {
  const { git } = github
  try {
    // A ref under review is planned with what it holds, its config included: a pull request that
    // repairs a broken config on the branch can be planned.
    if (settings.codexRef !== undefined) return await openAtRef(github, codex, settings)
    const textOf = async (sha: string) => (await git.readBlob(codex.name, sha)).toString('utf8')
    const parse = (text: string | undefined, ref: string) =>
      parseConfig(text, settings.organization, `${codex.name}@${ref}:${settings.configPath}`)
    const onDefault = look
      ? look.config
      : await git.findFile(codex.name, codex.defaultBranch, settings.configPath)
    const defaultText = onDefault && (look?.config?.text ?? (await textOf(onDefault.sha)))
    let config = parse(defaultText, codex.defaultBranch)
    const branch = branchForEnvironment(config, settings.environment)
    const snapshot = await readCodexBranch(git, { codex: codex.name, branch, folders }, look, early)
    if (snapshot && branch !== codex.defaultBranch) {
      const onBranch = snapshot.files.get(settings.configPath)
      config = parse(
        onBranch?.sha === onDefault?.sha ? defaultText : onBranch && (await textOf(onBranch.sha)),
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

/** A codex branch, its head taken from the first look when that read it; undefined if it does not exist. */
async function readCodexBranch(
  git: GitHub['git'],
  { codex, branch, folders }: { codex: string; branch: string; folders?: readonly string[] },
  look: CodexFirstLook | undefined,
  early: EarlyTree | undefined
): Promise<Snapshot | undefined> {
  const head = look?.heads.get(branch)
  // Taken whatever happens next, so that a tree of another branch is let go here.
  const earlyRead = early?.take(branch, head)
  if (!look?.heads.has(branch)) return git.readBranch(codex, branch, folders)
  if (head === undefined) return undefined
  const tree = (await earlyRead) ?? (await git.readTree(codex, head.commitSha, folders))
  return { commitSha: head.commitSha, ...tree }
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

/**
 * pull-docs creates a missing environment branch from the codex default branch (call it once the
 * run's checks of the organisation have passed); push modes need it.
 */
export async function startEnvironmentBranch(
  { git }: GitHub,
  codex: Repository,
  branch: string,
  settings: Settings,
  missingBranch: MissingBranch,
  log: Log
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
