/**
 * Every event a peer writes, with its fields: one table that types the event
 * log at compile time (`write('round-start', {...})` is checked) and decodes
 * it at run time (`decodeEvent` refuses a line that is not an event as
 * documented). docs/EVENTS.md documents each one; test/unit/events.test.ts
 * keeps the two in step.
 */

/** what a field holds; a trailing `?` makes it optional */
type Kind = 'number' | 'metric' | 'string' | 'boolean' | 'strings' | 'counts' | 'object' | 'objects'
type Field = Kind | `${Kind}?`

interface KindTypes {
  number: number
  /** a model metric: JSON has no NaN, so a metric not yet known is null */
  metric: number | null
  string: string
  boolean: boolean
  strings: string[]
  /** counts by name, such as drops by reason */
  counts: Record<string, number>
  object: Record<string, unknown>
  objects: Array<Record<string, unknown>>
}

/** the task's metrics, as round-complete and done carry them (docs/MODELS.md) */
const METRICS = { loss: 'metric', accuracy: 'metric?', auc: 'metric?', mae: 'metric?' } as const

export const EVENTS = {
  started: { version: 'string', settings: 'object', backend: 'string', parameters: 'number', summary: 'strings' },
  listening: { multiaddrs: 'strings', page: 'string?' },
  resynced: { round: 'number', modelHash: 'string' },
  'waiting-for-peers': { have: 'number', need: 'number', present: 'strings', since: 'number' },
  'round-start': { round: 'number', participants: 'strings', leader: 'string' },
  'training-done': { round: 'number', loss: 'metric', ms: 'number' },
  'update-published': { round: 'number', samples: 'number', bytes: 'number' },
  'update-offered': { round: 'number', from: 'string' },
  'update-received': { round: 'number', from: 'string', samples: 'number?', norm: 'number?', masked: 'boolean?' },
  'secure-shares-sent': { round: 'number', to: 'number', bytes: 'number' },
  masking: { round: 'number' },
  'unmask-requested': { round: 'number', survivors: 'strings', dropped: 'strings', bytes: 'number' },
  'unmask-revealed': { round: 'number', bytes: 'number', consentBytes: 'number' },
  unmasked: { round: 'number', survivors: 'strings', dropped: 'strings', samples: 'number', ms: 'number' },
  'secure-sum-clipped': { round: 'number', norm: 'number', bound: 'number' },
  'secure-aggregation-waiting': { round: 'number', why: 'string' },
  merged: { round: 'number', contributors: 'strings', modelHash: 'string' },
  'merge-published': { round: 'number', contributors: 'strings', modelHash: 'string', bytes: 'number' },
  'merge-time': { round: 'number', contributions: 'number', ms: 'number' },
  attested: { round: 'number', merger: 'string', modelHash: 'string', computed: 'string', agrees: 'boolean' },
  'merge-rejected': { round: 'number', merger: 'string', claimed: 'string', computed: 'string', by: 'string' },
  'round-disputed': { round: 'number', why: 'string' },
  'waiting-for-updates': { round: 'number', have: 'number', need: 'number' },
  attack: { kind: 'string', round: 'number', merged: 'string', published: 'string' },
  'round-complete': { round: 'number', leader: 'string', contributors: 'strings', modelHash: 'string', ...METRICS, dropped: 'counts', ms: 'number', epsilon: 'number?' },
  'peer-joined': { peer: 'string' },
  'peer-named': { peer: 'string', name: 'string' },
  'peer-left': { peer: 'string', round: 'number' },
  'peer-finished': { peer: 'string' },
  'leader-failover': { round: 'number', from: 'string', to: 'string' },
  'model-replaced': { round: 'number', previous: 'string', by: 'string', merger: 'string' },
  alone: { since: 'number', lastSeen: 'objects' },
  'handing-over': { behind: 'strings' },
  'message-dropped': { from: 'string', reason: 'string', detail: 'string' },
  warning: { text: 'string' },
  done: { rounds: 'number', modelHash: 'string', ...METRICS, dropped: 'counts', epsilon: 'number?' }
} as const satisfies Record<string, Record<string, Field>>

export type EventName = keyof typeof EVENTS

type Spec<N extends EventName> = (typeof EVENTS)[N]
type Required<S> = { -readonly [K in keyof S as S[K] extends Kind ? K : never]: S[K] extends Kind ? KindTypes[S[K]] : never }
type Optional<S> = { -readonly [K in keyof S as S[K] extends `${Kind}?` ? K : never]?: S[K] extends `${infer B extends Kind}?` ? KindTypes[B] : never }

/** the fields of event `N`, as its writer gives them */
export type EventFields<N extends EventName> = Required<Spec<N>> & Optional<Spec<N>>

/** what every line has: when, which event, which peer wrote it, and that peer's --name if it has one */
export interface EventHeader<N extends EventName = EventName> { ts: number, event: N, peerId: string, name?: string }

/** one line of the event log, typed by its event */
export type EventOf<N extends EventName> = EventHeader<N> & EventFields<N>

/** the events that belong to a round (they carry its number) */
export type RoundEventName = { [N in EventName]: EventFields<N> extends { round: number } ? N : never }[EventName]

/** any line of the event log */
export type SwarmEvent = { [N in EventName]: EventOf<N> }[EventName]

const HEADER: Record<string, Field> = { ts: 'number', event: 'string', peerId: 'string', name: 'string?' }

export class EventDecodeError extends Error {}

/**
 * A parsed line of an event log, checked against its documented type: a
 * known event, every field of the right kind, no undocumented field.
 */
export function decodeEvent (value: unknown): SwarmEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EventDecodeError('an event is a JSON object')
  const record = value as Record<string, unknown>
  const name = record.event
  if (typeof name !== 'string' || !Object.hasOwn(EVENTS, name)) throw new EventDecodeError(`unknown event ${JSON.stringify(name)}`)
  const spec: Record<string, Field> = { ...HEADER, ...EVENTS[name as EventName] }
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(spec, key)) throw new EventDecodeError(`${name}: undocumented field "${key}"`)
  }
  for (const [key, field] of Object.entries(spec)) {
    const optional = field.endsWith('?')
    const kind = field.replace('?', '') as Kind
    if (record[key] === undefined) {
      if (optional) continue
      throw new EventDecodeError(`${name}: missing field "${key}"`)
    }
    if (!isKind(record[key], kind)) throw new EventDecodeError(`${name}: field "${key}" is not ${kind}: ${JSON.stringify(record[key])}`)
  }
  return record as unknown as SwarmEvent
}

/** Parses and checks one line of an event log. */
export function parseEventLine (line: string): SwarmEvent {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (err) {
    throw new EventDecodeError(`not JSON: ${(err as Error).message}`)
  }
  return decodeEvent(value)
}

/** The events named `name`, typed. */
export function eventsNamed<N extends EventName> (events: readonly SwarmEvent[], name: N): Array<EventOf<N>> {
  return events.filter((e): e is SwarmEvent & EventOf<N> => e.event === name)
}

function isKind (value: unknown, kind: Kind): boolean {
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v)
  switch (kind) {
    case 'number': return typeof value === 'number'
    case 'metric': return typeof value === 'number' || value === null
    case 'string': return typeof value === 'string'
    case 'boolean': return typeof value === 'boolean'
    case 'strings': return Array.isArray(value) && value.every(v => typeof v === 'string')
    case 'counts': return isObject(value) && Object.values(value as object).every(v => typeof v === 'number')
    case 'object': return isObject(value)
    case 'objects': return Array.isArray(value) && value.every(isObject)
  }
}
