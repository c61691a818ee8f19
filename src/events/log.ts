/**
 * The event log: every event a peer writes fans out to its sinks (the JSONL
 * file, the terminal, the metrics, the live page). Typed by the catalog, so a
 * writer cannot misspell a field, and a reader gets each event's own type.
 */
import type { EventFields, EventName, SwarmEvent } from './catalog.ts'

/** Local training as it goes: for the terminal's progress line and the page, never written to the log file. */
export interface TrainingProgress {
  round: number
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number
}

export interface EventSink {
  write: (event: SwarmEvent) => void
  progress?: (progress: TrainingProgress) => void
}

export class EventLog {
  readonly peerId: string
  readonly name: string | undefined
  private readonly sinks: EventSink[]
  private readonly now: () => number

  constructor (peerId: string, name: string | undefined, sinks: EventSink[] = [], now: () => number = Date.now) {
    this.peerId = peerId
    this.name = name
    this.sinks = [...sinks]
    this.now = now
  }

  add (sink: EventSink): void {
    this.sinks.push(sink)
  }

  write<N extends EventName> (event: N, fields: EventFields<N>): void {
    const header = { ts: this.now(), event, peerId: this.peerId, ...(this.name === undefined ? {} : { name: this.name }) }
    const record = { ...header, ...fields } as unknown as SwarmEvent
    for (const sink of this.sinks) sink.write(record)
  }

  progress (progress: TrainingProgress): void {
    for (const sink of this.sinks) sink.progress?.(progress)
  }
}

/** A peer ID shortened for humans: its last six characters. */
export function shortId (peerId: string): string {
  return peerId.length > 8 ? `…${peerId.slice(-6)}` : peerId
}

/** A peer as operators read it: `site-a (…abc123)`, or the short ID of a peer without a --name. */
export function peerLabel (peerId: string, name: string | undefined): string {
  return name === undefined ? shortId(peerId) : `${name} (${shortId(peerId)})`
}
