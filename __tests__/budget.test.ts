import { describe, expect, it } from '@jest/globals'
import { collectingLog } from '../__fixtures__/harness.js'
import { RunBudget } from '../src/github/budget.js'

function clock(start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('RunBudget', () => {
  it('lets work start until the time budget is spent, then says why once', () => {
    const time = clock()
    const log = collectingLog()
    const budget = new RunBudget(60_000, 0, log, time.now)
    expect(budget.start(4)).toBe(true)
    time.advance(60_000)
    expect(budget.start(4)).toBe(false)
    expect(budget.start(4)).toBe(false)
    expect(budget.stopReason).toMatch(/time budget/)
    expect(log.warnings).toHaveLength(1)
  })

  it('counts the writes of the last hour and the writes reserved by work in flight', () => {
    const time = clock()
    const budget = new RunBudget(10 * 3_600_000, 10, collectingLog(), time.now)
    expect(budget.start(4)).toBe(true)
    expect(budget.start(4)).toBe(true)
    // 8 reserved: a third piece of work would pass 10.
    expect(new RunBudget(3_600_000, 10, collectingLog(), time.now).start(11)).toBe(false)
    budget.finish(4)
    budget.finish(4)
    for (let i = 0; i < 7; i++) budget.recordWrite()
    expect(budget.start(4)).toBe(false)
    expect(budget.stopReason).toMatch(/writes_per_hour \(10\)/)
  })

  it('forgets writes older than an hour', () => {
    const time = clock()
    const budget = new RunBudget(10 * 3_600_000, 10, collectingLog(), time.now)
    for (let i = 0; i < 8; i++) budget.recordWrite()
    time.advance(3_600_001)
    expect(budget.start(4)).toBe(true)
  })

  it('allows a rate-limit wait only when it ends within the time budget', () => {
    const time = clock()
    const budget = new RunBudget(60_000, 0, collectingLog(), time.now)
    expect(budget.mayWait(30)).toBe(true)
    expect(budget.mayWait(61)).toBe(false)
  })

  it('a rejected token ends the budget for good', () => {
    const budget = new RunBudget(60_000, 0, collectingLog())
    budget.stop('GitHub rejected the token')
    expect(budget.start(1)).toBe(false)
    expect(budget.stopReason).toBe('GitHub rejected the token')
  })
})
