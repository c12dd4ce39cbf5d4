// Switchable faults: latency, primary/secondary rate limits, server errors, concurrent pushes.
import type { Fault, FileSpec, RequestMatcher } from './types.js'

type AnswerFault = Extract<Fault, { kind: 'secondary-rate-limit' | 'rate-limit' | 'status' }>
type MoveBranchFault = Extract<Fault, { kind: 'move-branch' }>

interface Armed {
  fault: Fault
  remaining: number
}

function matches(match: RequestMatcher | undefined, method: string, path: string): boolean {
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false
  if (match.path) {
    match.path.lastIndex = 0
    if (!match.path.test(path)) return false
  }
  return true
}

export class FaultBook {
  private armed: Armed[] = []

  add(fault: Fault): void {
    const times =
      fault.kind === 'latency'
        ? Infinity
        : fault.kind === 'move-branch'
          ? (fault.times ?? 1)
          : fault.times
    this.armed.push({ fault: { ...fault }, remaining: times })
  }

  clear(): void {
    this.armed = []
  }

  /** Total latency (ms) of the latency faults matching this request. */
  latency(method: string, path: string): number {
    let ms = 0
    for (const { fault } of this.armed) {
      if (fault.kind === 'latency' && matches(fault.match, method, path)) ms += fault.ms
    }
    return ms
  }

  /** Consumes and returns the first status/rate-limit fault that matches this request. */
  takeAnswer(method: string, path: string): AnswerFault | undefined {
    for (const armed of this.armed) {
      const { fault } = armed
      if (
        fault.kind !== 'status' &&
        fault.kind !== 'rate-limit' &&
        fault.kind !== 'secondary-rate-limit'
      )
        continue
      if (armed.remaining <= 0 || !matches(fault.match, method, path)) continue
      armed.remaining--
      return fault
    }
    return undefined
  }

  hasMoveBranch(owner: string, repo: string, branch: string): boolean {
    return this.armed.some(
      ({ fault, remaining }) =>
        fault.kind === 'move-branch' &&
        remaining > 0 &&
        fault.owner.toLowerCase() === owner.toLowerCase() &&
        fault.repo.toLowerCase() === repo.toLowerCase() &&
        fault.branch === branch
    )
  }

  /** Consumes the move-branch faults armed for this branch; returns their changes in order. */
  takeMoveBranch(owner: string, repo: string, branch: string): Record<string, FileSpec | null>[] {
    const out: Record<string, FileSpec | null>[] = []
    for (const armed of this.armed) {
      const fault = armed.fault
      if (fault.kind !== 'move-branch' || armed.remaining <= 0) continue
      const f: MoveBranchFault = fault
      if (
        f.owner.toLowerCase() === owner.toLowerCase() &&
        f.repo.toLowerCase() === repo.toLowerCase() &&
        f.branch === branch
      ) {
        armed.remaining--
        out.push(f.changes)
      }
    }
    return out
  }
}
