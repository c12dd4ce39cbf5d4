/** The queues the throttling plugin runs every request through, with plain promises. */
import { setTimeout as delay } from 'node:timers/promises'

// Bottleneck, the plugin's own, passes each job through several zero-delay timers, which at a
// thousand requests a run keep a third of the allowed requests from being in flight. These honour
// the same contract (`key().schedule()` for groups, `schedule()` and a `failed` handler for the
// retry queue).

/** What the throttling plugin passes with each job: retries jump the queue and take no slot. */
interface JobOptions {
  priority?: number
  weight?: number
}

type Job<A extends unknown[], T> = (...args: A) => T | Promise<T>

export interface LaneOptions {
  maxConcurrent: number
  /** Milliseconds at least between the starts of two jobs. */
  minTime?: number
}

/** At most `maxConcurrent` jobs at once, first come first served, started `minTime` apart. */
export class Lane {
  private running = 0
  private nextStart = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly options: LaneOptions) {}

  /** The throttling plugin keys its groups by client id; one client uses one lane. */
  key(): Lane {
    return this
  }

  async schedule<A extends unknown[], T>(
    jobOptions: JobOptions,
    job: Job<A, T>,
    ...args: A
  ): Promise<T> {
    const takesSlot = (jobOptions.weight ?? 1) > 0
    if (takesSlot) await this.slot(jobOptions.priority === 0)
    try {
      await this.pace()
      return await job(...args)
    } finally {
      if (takesSlot) this.release()
    }
  }

  private slot(first: boolean): Promise<void> {
    if (this.running < this.options.maxConcurrent) {
      this.running++
      return Promise.resolve()
    }
    return new Promise(resolve => {
      // The slot passes straight from the job that ends to this one: `running` stays counted.
      if (first) this.waiting.unshift(resolve)
      else this.waiting.push(resolve)
    })
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.running--
  }

  /** Waits until `minTime` has passed since the last job started (a timer may fire late, never early). */
  private async pace(): Promise<void> {
    const minTime = this.options.minTime ?? 0
    if (minTime <= 0) return
    for (let wait = this.nextStart - performance.now(); wait > 0;) {
      await delay(wait)
      wait = this.nextStart - performance.now()
    }
    this.nextStart = performance.now() + minTime
  }
}

/** Why a job failed, with what it was called with: the throttling plugin's `failed` handler. */
type FailedHandler = (
  error: unknown,
  info: { args: unknown[]; retryCount: number }
) => number | undefined | void | Promise<number | undefined | void>

/** Runs a job, and again after the wait its `failed` handler names, for as long as it names one. */
export class RetryQueue {
  private failed: FailedHandler | undefined

  on(event: string, handler: FailedHandler): void {
    if (event === 'failed') this.failed = handler
  }

  async schedule<A extends unknown[], T>(job: Job<A, T>, ...args: A): Promise<T> {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await job(...args)
      } catch (error) {
        const wait = await this.failed?.(error, { args, retryCount })
        if (typeof wait !== 'number') throw error
        await delay(wait)
      }
    }
  }
}
