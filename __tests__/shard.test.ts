import { describe, expect, it } from '@jest/globals'
import { inShard, shardOf } from '../src/setup/shard.js'

const names = Array.from({ length: 200 }, (_, i) => `project-${i}${i % 7 === 0 ? '.io' : ''}`)

describe('shardOf', () => {
  it('is stable: fixed values, so that changing the hash cannot silently move projects between matrix jobs', () => {
    expect(shardOf('api', 4)).toBe(3)
    expect(shardOf('codex.acme.io', 7)).toBe(5)
    expect(['api', 'web', 'worker', 'search', 'gateway'].map(name => shardOf(name, 3))).toEqual([
      2, 2, 3, 1, 1
    ])
  })

  it('ignores case, as GitHub names do', () => {
    // A case-sensitive hash would put 'My-Repo' and 'MY-REPO' in shard 9 of 9, and
    // 'Codex.Acme.IO' in shard 2 of 7.
    for (const name of ['my-repo', 'My-Repo', 'MY-REPO']) expect(shardOf(name, 9)).toBe(8)
    for (const name of ['codex.acme.io', 'Codex.Acme.IO']) expect(shardOf(name, 7)).toBe(5)
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
  // Where each of these lands among 3 shards, whatever else the list holds and in any order.
  const PINNED: Record<number, string[]> = {
    1: ['gateway', 'search'],
    2: ['api', 'auth', 'codex.acme.io', 'web'],
    3: ['billing', 'docs', 'mobile', 'worker']
  }
  const listed = Object.values(PINNED).flat()

  it.each([
    ['in order', listed],
    ['reversed', [...listed].reverse()],
    [
      'shuffled',
      [
        'docs',
        'web',
        'search',
        'mobile',
        'api',
        'gateway',
        'worker',
        'codex.acme.io',
        'auth',
        'billing'
      ]
    ],
    ['among 200 other repositories', [...names.slice(0, 100), ...listed, ...names.slice(100)]]
  ])('picks the same members of each shard when the list is %s', (_order, list) => {
    for (const [index, members] of Object.entries(PINNED)) {
      const picked = list.filter(name => inShard(name, { index: Number(index), count: 3 }))
      expect(picked.filter(name => listed.includes(name)).sort()).toEqual(members)
    }
  })

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
