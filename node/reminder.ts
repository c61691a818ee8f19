/**
 * When to say again that a wait goes on: first after `firstMs`, then at
 * doubling intervals up to `longestMs`. A peer left alone and a peer waiting
 * for --min-peers both use one, so neither waits silently nor floods its log.
 */
export class Reminder {
  private readonly firstMs: number
  private readonly longestMs: number
  private next = Infinity
  private interval: number

  constructor (firstMs: number, longestMs: number) {
    this.firstMs = firstMs
    this.longestMs = longestMs
    this.interval = firstMs
  }

  /** The wait begins (again) at `now`. */
  start (now: number): void {
    this.interval = this.firstMs
    this.next = now + this.firstMs
  }

  /** The wait is over; nothing is due until it starts again. */
  stop (): void {
    this.next = Infinity
  }

  /** True when a reminder is due at `now`; the next one is then scheduled. */
  due (now: number): boolean {
    if (now < this.next) return false
    this.interval = Math.min(this.longestMs, this.interval * 2)
    this.next = now + this.interval
    return true
  }
}
