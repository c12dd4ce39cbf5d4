// GraphQL connections as GitHub pages them: `first` or `last` (at most 100), opaque cursors that
// name an item by its key (so a page never skips an item when another one is deleted), totalCount.

/** A resolver error as GitHub types them: NOT_FOUND, FORBIDDEN, STALE_DATA, UNPROCESSABLE, ... */
export class GqlFailure extends Error {
  constructor(
    /** GitHub's error type; undefined where GitHub's answer has none the fake knows of */
    readonly type: string | undefined,
    message: string
  ) {
    super(message)
  }
}

export interface PageArgs {
  first?: number | null
  last?: number | null
  after?: string | null
  before?: string | null
}

export interface PageInfoSource {
  hasNextPage: boolean
  hasPreviousPage: boolean
  startCursor: string | null
  endCursor: string | null
}

export interface EdgeSource<T> {
  cursor: string
  node: T
}

export interface ConnectionSource<T> {
  totalCount: number
  edges: EdgeSource<T>[]
  pageInfo: PageInfoSource
}

/** GitHub's page size limit on every connection. */
export const MAX_PAGE_SIZE = 100

const CURSOR_PREFIX = 'cursor:v2:'

/**
 * GitHub's cursor format: base64 of `cursor:v2:` and a MessagePack array holding the item's key
 * (here a non-negative integer: a database id, a number, a position).
 */
export function encodeCursor(key: number): string {
  let packed: Buffer
  if (key < 0x80) packed = Buffer.from([key])
  else if (key < 0x100) packed = Buffer.from([0xcc, key])
  else if (key < 0x10000) packed = Buffer.from([0xcd, key >> 8, key & 0xff])
  else {
    packed = Buffer.alloc(5)
    packed[0] = 0xce
    packed.writeUInt32BE(key, 1)
  }
  return Buffer.concat([Buffer.from(`${CURSOR_PREFIX}\u0091`, 'latin1'), packed]).toString('base64')
}

/** The key a cursor names, or GitHub's INVALID_CURSOR_ARGUMENTS error. */
export function decodeCursor(cursor: string): number {
  const raw = Buffer.from(cursor, 'base64')
  const head = raw.toString('latin1', 0, CURSOR_PREFIX.length + 1)
  const body = raw.subarray(CURSOR_PREFIX.length + 1)
  let key: number | undefined
  if (head === `${CURSOR_PREFIX}\u0091` && raw.toString('base64') === cursor) {
    const tag = body[0] ?? -1
    if (body.length === 1 && tag < 0x80) key = tag
    else if (tag === 0xcc && body.length === 2) key = body.readUInt8(1)
    else if (tag === 0xcd && body.length === 3) key = body.readUInt16BE(1)
    else if (tag === 0xce && body.length === 5) key = body.readUInt32BE(1)
  }
  if (key === undefined)
    throw new GqlFailure(
      'INVALID_CURSOR_ARGUMENTS',
      `\`${cursor}\` does not appear to be a valid cursor.`
    )
  return key
}

/** `first`/`last` as GitHub checks them on a connection named `field`. */
function pageSize(args: PageArgs, field: string): { first?: number; last?: number } {
  const first = args.first ?? undefined
  const last = args.last ?? undefined
  if (first === undefined && last === undefined) {
    throw new GqlFailure(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`
    )
  }
  if (first !== undefined && last !== undefined) {
    throw new GqlFailure(
      undefined,
      `Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`
    )
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last]
  ] as const) {
    if (value === undefined) continue
    if (value < 0)
      throw new GqlFailure(
        undefined,
        `\`${name}\` on the \`${field}\` connection cannot be less than zero.`
      )
    if (value > MAX_PAGE_SIZE) {
      throw new GqlFailure(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE_SIZE} records.`
      )
    }
  }
  return { first, last }
}

/** The first index in `items` (ascending keys) whose key is greater than `key` (or, `orEqual`, not less). */
function bound<T>(items: readonly T[], keyOf: (item: T) => number, key: number, orEqual: boolean) {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const k = keyOf(items[mid] as T)
    if (k < key || (!orEqual && k === key)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * One page of `items` (sorted by ascending key) for the connection `field`, with graphql-ruby's
 * page info: `hasNextPage` when `first` left items out or a `before` cursor has items from it on,
 * `hasPreviousPage` likewise for `last` and `after`. A cursor names a key, not a position, so an
 * item deleted between two pages makes the next one skip nothing.
 */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => number,
  args: PageArgs,
  field: string
): ConnectionSource<T> {
  const { first, last } = pageSize(args, field)
  const after = args.after == null ? undefined : decodeCursor(args.after)
  const before = args.before == null ? undefined : decodeCursor(args.before)
  const lo = after === undefined ? 0 : bound(items, keyOf, after, false)
  const hi = before === undefined ? items.length : Math.max(lo, bound(items, keyOf, before, true))
  let start = lo
  let end = hi
  if (first !== undefined) end = Math.min(hi, lo + first)
  if (last !== undefined) start = Math.max(lo, hi - last)
  const edges = items.slice(start, end).map(node => ({ cursor: encodeCursor(keyOf(node)), node }))
  return {
    totalCount: items.length,
    edges,
    pageInfo: {
      hasNextPage: end < hi || (before !== undefined && hi < items.length),
      hasPreviousPage: start > lo || (after !== undefined && lo > 0),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null
    }
  }
}
