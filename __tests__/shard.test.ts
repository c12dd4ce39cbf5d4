import { describe, expect, it } from '@jest/globals'
import { inShard, shardOf } from '../src/shard.js'

const names = Array.from({ length: 200 }, (_, i) => `project-${i}${i % 7 === 0 ? '.io' : ''}`)

describe('shardOf', () => {
  it('is stable: the same name always lands in the same shard', () => {
    expect(names.map(name => shardOf(name, 5))).toEqual(names.map(name => shardOf(name, 5)))
    // Fixed values: changing the hash would silently move projects between matrix jobs.
    expect(shardOf('api', 4)).toBe(3)
    expect(shardOf('codex.acme.io', 7)).toBe(5)
  })

  it('ignores case, as GitHub names do', () => {
    expect(shardOf('My-Repo', 9)).toBe(shardOf('my-repo', 9))
  })

  it('does not depend on list order or on the other repositories', () => {
    const forward = new Map(names.map(name => [name, shardOf(name, 6)]))
    const reversed = [...names].reverse().slice(0, 50)
    for (const name of reversed) expect(shardOf(name, 6)).toBe(forward.get(name))
  })

  it('returns 1-based shards within the count', () => {
    for (const name of names) {
      const shard = shardOf(name, 3)
      expect(shard).toBeGreaterThanOrEqual(1)
      expect(shard).toBeLessThanOrEqual(3)
    }
    expect(names.every(name => shardOf(name, 1) === 1)).toBe(true)
  })

  it('rejects a count that is not a positive integer', () => {
    expect(() => shardOf('api', 0)).toThrow(RangeError)
    expect(() => shardOf('api', 1.5)).toThrow(RangeError)
  })
})

describe('inShard', () => {
  it.each([2, 4, 7])('shards 1..%i partition the list with no overlap or gap, balanced', count => {
    const shards = Array.from({ length: count }, (_, i) => i + 1)
    const owners = names.map(name => shards.filter(index => inShard(name, { index, count })))
    expect(owners.every(owner => owner.length === 1)).toBe(true)

    const sizes = Array.from({ length: count }, (_, i) => owners.filter(o => o[0] === i + 1).length)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(names.length)
    const fair = names.length / count
    for (const size of sizes) {
      expect(size).toBeGreaterThan(fair * 0.5)
      expect(size).toBeLessThan(fair * 1.5)
    }
  })
})
