import { describe, expect, it } from '@jest/globals'
import { Lane, RetryQueue } from '../src/github/schedulers.js'

/** A job that stays open until released, recording the order in which jobs started. */
function gate(started: string[]) {
  const releases = new Map<string, () => void>()
  const job = (name: string) =>
    new Promise<string>(resolve => {
      started.push(name)
      releases.set(name, () => resolve(name))
    })
  const release = (name: string) => releases.get(name)?.()
  return { job, release }
}

const settle = () => new Promise(resolve => setImmediate(resolve))

describe('Lane', () => {
  it('runs at most maxConcurrent jobs, the waiting ones in the order they came', async () => {
    const started: string[] = []
    const { job, release } = gate(started)
    const lane = new Lane({ maxConcurrent: 2 }).key()
    const results = ['a', 'b', 'c', 'd'].map(name => lane.schedule({}, job, name))
    await settle()
    expect(started).toEqual(['a', 'b'])
    release('b')
    await settle()
    expect(started).toEqual(['a', 'b', 'c'])
    release('a')
    release('c')
    await settle()
    release('d')
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('lets a retry (priority 0, weight 0) start at once, without taking a slot', async () => {
    const started: string[] = []
    const { job, release } = gate(started)
    const lane = new Lane({ maxConcurrent: 1 })
    const first = lane.schedule({}, job, 'first')
    const waiting = lane.schedule({}, job, 'waiting')
    const retry = lane.schedule({ priority: 0, weight: 0 }, job, 'retry')
    await settle()
    expect([...started].sort()).toEqual(['first', 'retry'])
    release('retry')
    release('first')
    await settle()
    release('waiting')
    await Promise.all([first, waiting, retry])
    expect(started[2]).toBe('waiting')
  })

  it('passes a failure to the caller and frees the slot', async () => {
    const lane = new Lane({ maxConcurrent: 1 })
    const failing = lane.schedule({}, () => Promise.reject(new Error('no')))
    await expect(failing).rejects.toThrow('no')
    await expect(lane.schedule({}, (x: number) => x * 2, 21)).resolves.toBe(42)
  })

  it('starts jobs at least minTime apart', async () => {
    const lane = new Lane({ maxConcurrent: 1, minTime: 40 })
    const starts: number[] = []
    await Promise.all(
      [1, 2, 3].map(() =>
        lane.schedule({}, () => {
          starts.push(performance.now())
        })
      )
    )
    // Timers fire no earlier than asked (within a millisecond of rounding), however busy the machine.
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(39)
    expect((starts[2] as number) - (starts[1] as number)).toBeGreaterThanOrEqual(39)
  })
})

describe('RetryQueue', () => {
  it('runs the job again after the wait the failed handler names, with the retry count', async () => {
    const queue = new RetryQueue()
    const seen: { retryCount: number; args: unknown[] }[] = []
    queue.on('failed', (_error, info) => {
      seen.push(info)
      return info.retryCount < 2 ? 1 : undefined
    })
    let calls = 0
    const flaky = (value: string) => {
      calls++
      return calls < 3 ? Promise.reject(new Error(`try ${calls}`)) : Promise.resolve(value)
    }
    await expect(queue.schedule(flaky, 'done')).resolves.toBe('done')
    expect(seen.map(info => info.retryCount)).toEqual([0, 1])
    expect(seen[0]?.args).toEqual(['done'])
  })

  it('throws the failure when the handler names no wait', async () => {
    const queue = new RetryQueue()
    queue.on('failed', () => undefined)
    let calls = 0
    const failing = () => {
      calls++
      return Promise.reject(new Error('for good'))
    }
    await expect(queue.schedule(failing)).rejects.toThrow('for good')
    expect(calls).toBe(1)
  })
})
