// Switchable faults: latency, primary/secondary rate limits, server errors, truncated bodies,
// concurrent pushes and concurrent ref creations.
import type { Fault, RequestMatcher } from './types.js'

type AnswerFault = Extract<Fault, { kind: 'secondary-rate-limit' | 'rate-limit' | 'status' }>
type TruncateFault = Extract<Fault, { kind: 'truncated-body' }>
type MoveBranchFault = Extract<Fault, { kind: 'move-branch' }>
type RefRaceFault = Extract<Fault, { kind: 'create-ref-race' }>
type DeleteRepoFault = Extract<Fault, { kind: 'delete-repo' }>

interface Armed {
  fault: Fault
  remaining: number
}

function matches(
  match: RequestMatcher | undefined,
  method: string,
  path: string,
  body = ''
): boolean {
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false
  for (const [pattern, text] of [
    [match.path, path],
    [match.body, body]
  ] as const) {
    if (!pattern) continue
    pattern.lastIndex = 0
    if (!pattern.test(text)) return false
  }
  return true
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

export class FaultBook {
  private armed: Armed[] = []

  add(fault: Fault): void {
    const times =
      fault.kind === 'latency'
        ? Infinity
        : fault.kind === 'move-branch' ||
            fault.kind === 'create-ref-race' ||
            fault.kind === 'delete-repo'
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

  /** Consumes and returns the first armed fault of one of `kinds` for which `accept` holds. */
  private take<F extends Fault>(kinds: F['kind'][], accept: (fault: F) => boolean): F | undefined {
    for (const armed of this.armed) {
      const fault = armed.fault as F
      if (armed.remaining <= 0 || !kinds.includes(fault.kind) || !accept(fault)) continue
      armed.remaining--
      return fault
    }
    return undefined
  }

  /** Consumes and returns the first status/rate-limit fault that matches this request. */
  takeAnswer(method: string, path: string, body?: string): AnswerFault | undefined {
    return this.take<AnswerFault>(['status', 'rate-limit', 'secondary-rate-limit'], f =>
      matches(f.match, method, path, body)
    )
  }

  /** Consumes the first delete-repo fault that matches this request. */
  takeDeleteRepo(method: string, path: string): DeleteRepoFault | undefined {
    return this.take<DeleteRepoFault>(['delete-repo'], f => matches(f.match, method, path))
  }

  /** Consumes the first truncated-body fault that matches this request. */
  takeTruncation(method: string, path: string, body?: string): TruncateFault | undefined {
    return this.take<TruncateFault>(['truncated-body'], f => matches(f.match, method, path, body))
  }

  /** Consumes the move-branch faults armed for this branch; returns them in order. */
  takeMoveBranch(owner: string, repo: string, branch: string): MoveBranchFault[] {
    const out: MoveBranchFault[] = []
    for (;;) {
      const fault = this.take<MoveBranchFault>(
        ['move-branch'],
        f => same(f.owner, owner) && same(f.repo, repo) && f.branch === branch
      )
      if (!fault) return out
      out.push(fault)
    }
  }

  /** Consumes the first create-ref-race fault armed for this ref. */
  takeRefRace(owner: string, repo: string, ref: string): RefRaceFault | undefined {
    return this.take<RefRaceFault>(
      ['create-ref-race'],
      f => same(f.owner, owner) && same(f.repo, repo) && f.ref === ref
    )
  }
}
