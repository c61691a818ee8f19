/**
 * Who this peer last saw, for a peer left alone: it says so at growing
 * intervals (15 s, 30 s, 1 min, … at most every 10 min) with who it last saw
 * and when, instead of waiting silently.
 */
import { Reminder } from './reminder.ts'

const FIRST_REPORT_MS = 15_000
const LONGEST_INTERVAL_MS = 600_000

export interface AloneReport { since: number, lastSeen: Array<{ peer: string, at: number, round?: number }> }

export class Presence {
  private readonly members = new Set<string>()
  private readonly seen = new Map<string, { at: number, round: number | undefined }>()
  private aloneSince: number
  private readonly reminder = new Reminder(FIRST_REPORT_MS, LONGEST_INTERVAL_MS)

  constructor (now: number) {
    this.aloneSince = now
    this.reminder.start(now)
  }

  joined (peer: string): void {
    this.members.add(peer)
  }

  /** `round`: the newest global round the peer was known to hold. */
  left (peer: string, now: number, round: number | undefined): void {
    if (!this.members.delete(peer)) return
    this.seen.set(peer, { at: now, round })
    if (this.members.size === 0) {
      this.aloneSince = now
      this.reminder.start(now)
    }
  }

  /** A report when this peer has been alone long enough for the next one. */
  report (now: number): AloneReport | undefined {
    if (this.members.size > 0 || !this.reminder.due(now)) return undefined
    const lastSeen = [...this.seen].map(([peer, s]) => ({ peer, at: s.at, ...(s.round === undefined ? {} : { round: s.round }) })).sort((a, b) => b.at - a.at).slice(0, 5)
    return { since: this.aloneSince, lastSeen }
  }
}
