// Primary rate limit: a budget per credential, resource (core, graphql) and hour window, reported
// in x-ratelimit-* headers. Counting is all it does: nothing here ever waits.
interface Bucket {
  used: number
  reset: number
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>()
  constructor(readonly limit: number) {}

  private bucket(key: string): Bucket {
    const now = Math.floor(Date.now() / 1000)
    let bucket = this.buckets.get(key)
    if (!bucket || bucket.reset <= now) {
      bucket = { used: 0, reset: now + 3600 }
      this.buckets.set(key, bucket)
    }
    return bucket
  }

  /** Counts one request; false when the budget was already spent (the request must be refused). */
  take(key: string): boolean {
    const bucket = this.bucket(key)
    if (bucket.used >= this.limit) return false
    bucket.used++
    return true
  }

  headers(key: string, limit = this.limit, resource = 'core'): Record<string, string> {
    const bucket = this.bucket(key)
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - bucket.used)),
      'x-ratelimit-used': String(bucket.used),
      'x-ratelimit-reset': String(bucket.reset),
      'x-ratelimit-resource': resource
    }
  }
}
