/** The run's budget: time, writes per hour and a usable token; once spent, no new project starts. */
import type { Log } from '../model.js'

const HOUR_MS = 3_600_000

export class RunBudget {
  private readonly writes: number[] = []
  private stopped: string | undefined
  private reserved = 0
  private readonly deadline: number

  constructor(
    timeBudgetMs: number,
    private readonly writesPerHour: number,
    private readonly log: Log,
    private readonly now: () => number = Date.now
  ) {
    this.deadline = now() + timeBudgetMs
  }

  /** Why no new project may start; undefined while the budget lasts. */
  get stopReason(): string | undefined {
    if (this.stopped === undefined && this.now() >= this.deadline) {
      this.stop('the time budget (time_budget_minutes) is spent')
    }
    return this.stopped
  }

  /** Ends the run's budget; said once, with the reason. */
  stop(reason: string): void {
    if (this.stopped !== undefined) return
    this.stopped = reason
    this.log.warning(`No new project starts: ${reason}.`, {
      title: 'codex-sync: run stopped early'
    })
  }

  recordWrite(): void {
    if (this.writesPerHour > 0) this.writes.push(this.now())
  }

  /**
   * Starts a piece of work that may need `reserve` writes, when the budget allows it: the writes of
   * the last hour and those reserved by work in flight leave room for it. Call `finish` after.
   */
  start(reserve: number): boolean {
    if (this.stopReason !== undefined) return false
    if (this.writesPerHour > 0) {
      const since = this.now() - HOUR_MS
      while (this.writes.length > 0 && (this.writes[0] as number) < since) this.writes.shift()
      if (this.writes.length + this.reserved + reserve > this.writesPerHour) {
        this.stop(
          `${this.writes.length} writes in the last hour and ${this.reserved} reserved for projects in flight leave no room under writes_per_hour (${this.writesPerHour})`
        )
        return false
      }
    }
    this.reserved += reserve
    return true
  }

  finish(reserve: number): void {
    this.reserved -= reserve
  }

  /** Whether waiting `seconds` still ends before the time budget does. */
  mayWait(seconds: number): boolean {
    return this.now() + seconds * 1000 < this.deadline
  }
}
