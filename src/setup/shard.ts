/** Shards: stable partitions of the project list, so matrix jobs split an organisation. */
import { createHash } from 'node:crypto'
import type { Shard } from '../inputs/settings.js'
import { nameKey } from '../model.js'

/**
 * The 1-based shard a repository belongs to among `count` shards. It depends only on the
 * lower-cased name, so a repository stays in its shard whatever else the organisation holds.
 */
export function shardOf(name: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Shard count must be a positive integer, got ${count}`)
  }
  const digest = createHash('sha256').update(nameKey(name)).digest()
  return (digest.readUInt32BE(0) % count) + 1
}

export function inShard(name: string, shard: Shard): boolean {
  // One shard holds everything: no name is hashed (a run without shards lists thousands).
  return shard.count === 1 || shardOf(name, shard.count) === shard.index
}
