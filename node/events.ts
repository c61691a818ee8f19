/**
 * The event log: one JSON object per line in <data-dir>/events.jsonl, each
 * with ts, event and peerId. A stable interface for tests, tools and
 * operators; every event is documented in docs/EVENTS.md. Each line goes out
 * in a single append, so a killed peer never leaves half a line.
 */
import { appendFileSync } from 'node:fs'
import type { FaultPoints } from './faults.ts'

export const EVENTS_FILE = 'events.jsonl'

export class EventLog {
  private readonly file: string
  private readonly peerId: string
  private readonly faults: FaultPoints | undefined

  constructor (file: string, peerId: string, faults?: FaultPoints) {
    this.file = file
    this.peerId = peerId
    this.faults = faults
  }

  write (event: string, fields: Record<string, unknown> = {}): void {
    appendFileSync(this.file, JSON.stringify({ ts: Date.now(), event, peerId: this.peerId, ...fields }) + '\n')
    this.faults?.observe(event, fields)
  }
}

/** A peer ID shortened for humans: its last six characters. */
export function shortId (peerId: string): string {
  return peerId.length > 8 ? `…${peerId.slice(-6)}` : peerId
}
