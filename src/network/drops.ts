/**
 * Counts dropped messages by reason and reports each (peer, reason) pair
 * once, so a hostile or broken peer cannot flood the log.
 */
import type { DropReason } from '../round/validation.ts'

export class DropReporter {
  private readonly reported = new Set<string>()
  private readonly counts = new Map<DropReason, number>()
  private readonly report: (peer: string, reason: DropReason, detail: string) => void

  constructor (report: (peer: string, reason: DropReason, detail: string) => void) {
    this.report = report
  }

  drop (peer: string, reason: DropReason, detail: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1)
    const key = `${peer}/${reason}`
    if (this.reported.has(key)) return
    this.reported.add(key)
    this.report(peer, reason, detail)
  }

  /** Messages dropped so far, by reason. */
  totals (): Partial<Record<DropReason, number>> {
    return Object.fromEntries(this.counts)
  }
}
