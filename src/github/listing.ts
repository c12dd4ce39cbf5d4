/** GraphQL's shapes for listing repositories with their heads: the queries, and their answers read field by field. */
import type { PathEntry, ProjectHead, Repository } from '../model.js'

/** What a listing asks of each repository's default branch besides its head. */
export interface HeadQuestion {
  /** Paths whose entries (object ID and mode) tell whether the project is in sync. */
  paths: string[]
  /** A branch whose head and open pull request into the default branch are asked too. */
  offerBranch?: string
}

/** A repository as a listing found it, and its head when the question was asked. */
export interface ListedRepository {
  repository: Repository
  /** undefined: not asked, an empty repository, or an answer that did not say it whole. */
  head: ProjectHead | undefined
}

/** Repositories of one page of a listing. */
export const PAGE_SIZE = 100
/** Topics read per repository (GitHub allows 20). */
const TOPICS = 20

/** The fields asked of each repository, with `$p<i>` for the paths and `$offer` for the branch. */
export function repositoryFields(question: HeadQuestion | undefined): string {
  const files = (question?.paths ?? [])
    .map((_, index) => `p${index}: file(path: $p${index}) { oid mode }`)
    .join(' ')
  // GraphQL has no empty selection: without paths, the head alone.
  const onCommit = files === '' ? '' : ` ... on Commit { ${files} }`
  const head = question
    ? `defaultBranchRef { name target { oid${onCommit} } }`
    : 'defaultBranchRef { name }'
  const offer = question?.offerBranch
    ? 'offer: ref(qualifiedName: $offer) { target { oid } associatedPullRequests(states: [OPEN], first: 5) { nodes { number url baseRefName } } }'
    : ''
  return `name isArchived isFork isDisabled isEmpty repositoryTopics(first: ${TOPICS}) { nodes { topic { name } } } ${head} ${offer}`
}

/** The variables a question adds: the paths and the pull request branch. */
export function questionVariables(question: HeadQuestion | undefined): {
  declarations: string[]
  values: Record<string, string>
} {
  const declarations: string[] = []
  const values: Record<string, string> = {}
  question?.paths.forEach((path, index) => {
    declarations.push(`$p${index}: String!`)
    values[`p${index}`] = path
  })
  if (question?.offerBranch) {
    declarations.push('$offer: String!')
    values.offer = `refs/heads/${question.offerBranch}`
  }
  return { declarations, values }
}

/** One page of the organisation's repositories, after `$cursor`. */
export function organizationPageQuery(question: HeadQuestion | undefined): string {
  const { declarations } = questionVariables(question)
  const variables = ['$org: String!', '$cursor: String', ...declarations].join(', ')
  return `query codexSyncRepositories(${variables}) {
  organization(login: $org) {
    repositories(first: ${PAGE_SIZE}, after: $cursor) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${repositoryFields(question)} }
    }
  }
}`
}

/** Repositories by name, `r<i>` for `$n<i>`: the heads of a listing made over REST. */
export function namedRepositoriesQuery(count: number, question: HeadQuestion): string {
  const { declarations } = questionVariables(question)
  const names = Array.from({ length: count }, (_, index) => `$n${index}: String!`)
  const variables = ['$org: String!', ...names, ...declarations].join(', ')
  const fields = Array.from(
    { length: count },
    (_, index) =>
      `r${index}: repository(owner: $org, name: $n${index}) { ${repositoryFields(question)} }`
  )
  return `query codexSyncHeads(${variables}) { ${fields.join(' ')} }`
}

interface PageAnswer {
  organization?: {
    repositories?: {
      totalCount?: unknown
      pageInfo?: { hasNextPage?: unknown; endCursor?: unknown }
      nodes?: unknown
    }
  } | null
}

/** A page as read: its repositories, the total the connection names, and the cursor of the next. */
export interface RepositoryPage {
  listed: ListedRepository[]
  totalCount: number
  next: string | undefined
}

/** A page's answer read field by field; undefined when it is not a repositories connection. */
export function readPage(
  data: unknown,
  question: HeadQuestion | undefined
): RepositoryPage | undefined {
  const connection = (data as PageAnswer | undefined)?.organization?.repositories
  const info = connection?.pageInfo
  if (
    !connection ||
    typeof connection.totalCount !== 'number' ||
    !Array.isArray(connection.nodes) ||
    typeof info?.hasNextPage !== 'boolean'
  ) {
    return undefined
  }
  const listed = connection.nodes.map(node => readNode(node, question))
  if (listed.some(entry => entry === undefined)) return undefined
  const next = info.hasNextPage && typeof info.endCursor === 'string' ? info.endCursor : undefined
  if (info.hasNextPage && next === undefined) return undefined
  return { listed: listed as ListedRepository[], totalCount: connection.totalCount, next }
}

interface RepositoryNode {
  name?: unknown
  isArchived?: unknown
  isFork?: unknown
  isDisabled?: unknown
  isEmpty?: unknown
  repositoryTopics?: { nodes?: unknown } | null
  defaultBranchRef?: {
    name?: unknown
    target?: ({ oid?: unknown } & Record<string, unknown>) | null
  } | null
  offer?: {
    target?: { oid?: unknown } | null
    associatedPullRequests?: { nodes?: unknown } | null
  } | null
}

/** One repository node, checked field by field; undefined when it is not one. */
export function readNode(
  value: unknown,
  question: HeadQuestion | undefined
): ListedRepository | undefined {
  const node = value as RepositoryNode | null
  if (typeof node !== 'object' || node === null || typeof node.name !== 'string') return undefined
  const flags = [node.isArchived, node.isFork, node.isDisabled, node.isEmpty]
  if (!flags.every(flag => typeof flag === 'boolean')) return undefined
  const branch = node.defaultBranchRef
  const defaultBranch = typeof branch?.name === 'string' ? branch.name : undefined
  const repository: Repository = {
    name: node.name,
    defaultBranch: defaultBranch ?? 'main',
    archived: node.isArchived as boolean,
    fork: node.isFork as boolean,
    disabled: node.isDisabled as boolean,
    // A repository without a default branch has nothing to read.
    empty: (node.isEmpty as boolean) || defaultBranch === undefined,
    topics: topicNames(node.repositoryTopics?.nodes)
  }
  const head = question && defaultBranch ? readHead(node, question, defaultBranch) : undefined
  return { repository, head }
}

function topicNames(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) return []
  return nodes.flatMap(node => {
    const name = (node as { topic?: { name?: unknown } } | null)?.topic?.name
    return typeof name === 'string' ? [name] : []
  })
}

/** The head and the asked paths' entries; undefined when any of them is not said whole. */
function readHead(
  node: RepositoryNode,
  question: HeadQuestion,
  defaultBranch: string
): ProjectHead | undefined {
  const target = node.defaultBranchRef?.target
  if (!target || typeof target.oid !== 'string') return undefined
  if (question.offerBranch && node.offer === undefined) return undefined
  const paths = new Map<string, PathEntry | undefined>()
  for (const [index, path] of question.paths.entries()) {
    const entry = target[`p${index}`]
    // Absent (not a commit, or the field not answered): nothing is known of this head.
    if (entry === undefined) return undefined
    if (entry === null) {
      paths.set(path, undefined)
      continue
    }
    const { oid, mode } = entry as { oid?: unknown; mode?: unknown }
    if (typeof oid !== 'string' || typeof mode !== 'number') return undefined
    paths.set(path, { oid, mode: mode.toString(8) })
  }
  return { commitSha: target.oid, paths, offering: readOffer(node, question, defaultBranch) }
}

/** The pull request branch when it exists, with its open pull request into the default branch. */
function readOffer(
  node: RepositoryNode,
  question: HeadQuestion,
  defaultBranch: string
): ProjectHead['offering'] {
  if (!question.offerBranch) return undefined
  const oid = node.offer?.target?.oid
  if (typeof oid !== 'string') return undefined
  const pulls = node.offer?.associatedPullRequests?.nodes
  const open = Array.isArray(pulls)
    ? pulls.find(pull => (pull as { baseRefName?: unknown } | null)?.baseRefName === defaultBranch)
    : undefined
  const { number, url } = (open ?? {}) as { number?: unknown; url?: unknown }
  const pull = typeof number === 'number' && typeof url === 'string' ? { number, url } : undefined
  return { head: oid, pull }
}
