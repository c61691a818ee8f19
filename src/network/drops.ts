/**
 * Reports dropped messages once per (peer, reason) pair, so a hostile or
 * broken peer cannot flood the log.
 */
export class DropReporter {
  private readonly reported = new Set<string>()
  private readonly report: (peer: string, reason: string, detail: string) => void

  constructor (report: (peer: string, reason: string, detail: string) => void) {
    this.report = report
  }

  drop (peer: string, reason: string, detail: string): void {
    const key = `${peer}/${reason}`
    if (this.reported.has(key)) return
    this.reported.add(key)
    this.report(peer, reason, detail)
  }
}
