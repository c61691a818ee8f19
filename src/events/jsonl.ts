/**
 * The event log file: one JSON object per line in <data-dir>/events.jsonl
 * (docs/EVENTS.md). Each line goes out in a single append, so a killed peer
 * never leaves half a line.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
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

/** The events of a log file from byte `offset` on, each checked against its documented type. */
export function readEventLog (file: string, offset = 0): SwarmEvent[] {
  if (!existsSync(file)) return []
  const text = readFileSync(file).subarray(offset).toString('utf8')
  return text.split('\n').filter(line => line.trim() !== '').map((line, i) => {
    try {
      return parseEventLine(line)
    } catch (err) {
      throw new Error(`${file}, line ${i + 1} after byte ${offset}: ${(err as Error).message}`)
    }
  })
}
