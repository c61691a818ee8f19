/**
 * The event log file: one JSON object per line in <data-dir>/events.jsonl
 * (docs/EVENTS.md). Each line goes out in a single append, so a killed peer
 * never leaves half a line.
 */
import { appendFileSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { parseEventLine } from './catalog.ts'
import type { SwarmEvent } from './catalog.ts'
import type { EventSink } from './log.ts'

export const EVENTS_FILE = 'events.jsonl'

export class JsonlFile implements EventSink {
  private readonly file: string

  constructor (file: string) {
    this.file = file
  }

  write (event: SwarmEvent): void {
    appendFileSync(this.file, JSON.stringify(event) + '\n')
  }
}


/**
 * Follows a growing event log: each read decodes only the lines added since
 * the last one (tests and the launcher poll logs many times a second).
 */
export class EventLogFollower {
  private readonly file: string
  private offset: number
  private partial = Buffer.alloc(0)
  private readonly events: SwarmEvent[] = []

  constructor (file: string, offset = 0) {
    this.file = file
    this.offset = offset
  }

  /** Every event from the starting offset on, each checked against its documented type. */
  read (): SwarmEvent[] {
    if (!existsSync(this.file)) return []
    const size = statSync(this.file).size
    if (size > this.offset) {
      const fresh = Buffer.alloc(size - this.offset)
      const fd = openSync(this.file, 'r')
      try {
        readSync(fd, fresh, 0, fresh.length, this.offset)
      } finally {
        closeSync(fd)
      }
      this.offset = size
      const text = Buffer.concat([this.partial, fresh])
      const end = text.lastIndexOf(0x0a) + 1
      // a line is complete once its newline is written
      this.partial = Buffer.from(text.subarray(end))
      for (const line of text.subarray(0, end).toString('utf8').split('\n')) {
        if (line.trim() === '') continue
        try {
          this.events.push(parseEventLine(line))
        } catch (err) {
          throw new Error(`${this.file}: ${(err as Error).message}`)
        }
      }
    }
    return [...this.events]
  }
}
