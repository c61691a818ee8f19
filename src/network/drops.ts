/**
 * Counts messages that were dropped, per reason, and reports each (peer,
 * reason) pair once, so a hostile or broken peer cannot flood the log.
 */
export class DropCounter {
  private readonly counts = new Map<string, number>()
  private readonly reported = new Set<string>()
  private readonly report: (peer: string, reason: string, detail: string) => void

  constructor (report: (peer: string, reason: string, detail: string) => void) {
    this.report = report
  }

  drop (peer: string, reason: string, detail: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1)
    const key = `${peer}/${reason}`
    if (this.reported.has(key)) return
    this.reported.add(key)
    this.report(peer, reason, detail)
  }

  totals (): Record<string, number> {
    return Object.fromEntries(this.counts)
  }
}
