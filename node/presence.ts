/**
 * Who this peer last saw, for a peer left alone: it says so at growing
 * intervals (15 s, 30 s, 1 min, … at most every 10 min) with who it last saw
 * and when, instead of waiting silently.
 */
import { shortId } from './events.ts'

const FIRST_REPORT_MS = 15_000
const LONGEST_INTERVAL_MS = 600_000

export interface AloneReport { since: number, lastSeen: Array<{ peer: string, at: number, round: number | undefined }>, text: string }

export class Presence {
  private readonly members = new Set<string>()
  private readonly seen = new Map<string, { at: number, round: number | undefined }>()
  private aloneSince: number
  private nextReportAt: number
  private interval = FIRST_REPORT_MS

  constructor (now: number) {
    this.aloneSince = now
    this.nextReportAt = now + FIRST_REPORT_MS
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
      this.interval = FIRST_REPORT_MS
      this.nextReportAt = now + FIRST_REPORT_MS
    }
  }

  /** A report when this peer has been alone long enough for the next one. */
  report (now: number): AloneReport | undefined {
    if (this.members.size > 0 || now < this.nextReportAt) return undefined
    this.interval = Math.min(LONGEST_INTERVAL_MS, this.interval * 2)
    this.nextReportAt = now + this.interval
    const lastSeen = [...this.seen].map(([peer, s]) => ({ peer, ...s })).sort((a, b) => b.at - a.at).slice(0, 5)
    const who = lastSeen.length === 0
      ? 'no other peer has connected yet; others join with --peer and one of the addresses above'
      : `last saw ${lastSeen.map(s => `${shortId(s.peer)}${s.round === undefined ? '' : ` (round ${s.round})`} at ${clock(s.at)}`).join(', ')}; trying to reach them again`
    return { since: this.aloneSince, lastSeen, text: `alone for ${duration(now - this.aloneSince)}: ${who}` }
  }
}

function clock (ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false })
}

function duration (ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
