/**
 * Per-peer token buckets: each peer may send `burst` messages at once and
 * `perSecond` more every second. Pure bookkeeping on a clock it is given.
 */
export class RateLimiter {
  private readonly perSecond: number
  private readonly burst: number
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (perSecond: number, burst: number) {
    this.perSecond = perSecond
    this.burst = burst
  }

  /** Takes one token for `peer`; false when it has none left. */
  allow (peer: string, now: number): boolean {
    const bucket = this.buckets.get(peer) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) / 1000 * this.perSecond)
    bucket.at = now
    this.buckets.set(peer, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  forget (peer: string): void {
    this.buckets.delete(peer)
  }
}
