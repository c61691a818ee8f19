/**
 * Chunked transport of payloads over gossip. gossipsub silently drops messages
 * over 4 MiB, so every payload (an encoded Message) travels as protobuf Chunk
 * messages (swarm.proto) holding at most 1 MiB of it each. The receiver
 * reassembles per sender and payload id and checks the payload's hash, so a
 * lost or forged chunk never yields a wrong payload.
 */
import { createHash } from 'node:crypto'
import { Chunk as WireChunk } from './swarm.js'
import { MalformedMessageError } from './errors.ts'
import { hashText, WIRE_VERSION } from './messages.ts'

export const DEFAULT_CHUNK_SIZE = 1024 * 1024
/**
 * Unfinished payloads kept per sender; the oldest is dropped for a newer one.
 * Honest peers have one large payload (a global model) in flight at a time;
 * without a bound, a peer sending first chunks only would fill the memory.
 */
export const MAX_PENDING_PER_SENDER = 4

export function splitIntoChunks (payload: Uint8Array, chunkSize = DEFAULT_CHUNK_SIZE): Uint8Array[] {
  const payloadId = new Uint8Array(createHash('sha256').update(payload).digest())
  const count = Math.max(1, Math.ceil(payload.length / chunkSize))
  const chunks: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const data = payload.slice(index * chunkSize, (index + 1) * chunkSize)
    chunks.push(WireChunk.encode({ version: WIRE_VERSION, payloadId, index, count, payloadLength: payload.length, data }))
  }
  return chunks
}

/** A payload that declares more bytes than a peer accepts. */
export class OversizedPayloadError extends MalformedMessageError {
  static name = 'OversizedPayloadError'
  name = 'OversizedPayloadError'
}

interface Chunk { id: string, index: number, count: number, length: number, data: Uint8Array }

function parseChunk (bytes: Uint8Array): Chunk {
  let chunk: WireChunk
  try {
    chunk = WireChunk.decode(bytes)
  } catch (err) {
    throw new MalformedMessageError(`not a valid protobuf Chunk: ${(err as Error).message}`)
  }
  if (chunk.version !== WIRE_VERSION) throw new MalformedMessageError(`unknown wire version ${chunk.version} (this peer speaks ${WIRE_VERSION})`)
  if (chunk.count === 0 || chunk.index >= chunk.count) throw new MalformedMessageError(`chunk index ${chunk.index} out of range (count ${chunk.count})`)
  if (chunk.count > Math.max(1, chunk.payloadLength)) throw new MalformedMessageError(`${chunk.count} chunks for a payload of ${chunk.payloadLength} bytes`)
  return { id: hashText(chunk.payloadId, 'payload id'), index: chunk.index, count: chunk.count, length: chunk.payloadLength, data: chunk.data }
}

interface Pending { count: number, length: number, parts: Array<Uint8Array | undefined>, received: number, bytes: number, since: number }

export interface ReassemblerLimits {
  /** largest payload accepted */
  maxPayloadBytes: number
  /** incomplete payloads older than this are dropped */
  timeoutMs: number
}

/** Collects chunks per sender until a payload is whole. */
export class Reassembler {
  private readonly pending = new Map<string, Pending>()
  private readonly limits: ReassemblerLimits
  /** senders of payloads dropped to make room, reported by the next expire() */
  private readonly evicted: string[] = []

  constructor (limits: ReassemblerLimits) {
    this.limits = limits
  }

  /** Adds one chunk; returns the payload once all its chunks arrived, else undefined. Throws on a bad chunk. */
  add (sender: string, bytes: Uint8Array, now: number): Uint8Array | undefined {
    const chunk = parseChunk(bytes)
    if (chunk.length > this.limits.maxPayloadBytes) throw new OversizedPayloadError(`payload of ${chunk.length} bytes exceeds the limit of ${this.limits.maxPayloadBytes}`)
    const key = `${sender}/${chunk.id}`
    let entry = this.pending.get(key)
    if (entry === undefined) {
      this.makeRoomFor(sender)
      entry = { count: chunk.count, length: chunk.length, parts: new Array(chunk.count), received: 0, bytes: 0, since: now }
      this.pending.set(key, entry)
    }
    if (entry.count !== chunk.count || entry.length !== chunk.length) throw new MalformedMessageError('chunk disagrees with earlier chunks of its payload')
    if (entry.parts[chunk.index] !== undefined) return undefined
    // a copy: chunk.data may be a view into the whole gossip message (a Node Buffer's slice() would not copy)
    entry.parts[chunk.index] = new Uint8Array(chunk.data)
    entry.received++
    entry.bytes += chunk.data.length
    if (entry.bytes > entry.length) {
      this.pending.delete(key)
      throw new MalformedMessageError('chunks hold more bytes than their payload length')
    }
    if (entry.received < entry.count) return undefined
    this.pending.delete(key)
    const payload = Buffer.concat(entry.parts as Uint8Array[])
    if (payload.length !== entry.length) throw new MalformedMessageError(`reassembled ${payload.length} bytes, expected ${entry.length}`)
    if (createHash('sha256').update(payload).digest('hex') !== chunk.id) throw new MalformedMessageError('reassembled payload does not match its id')
    return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
  }

  /** Drops payloads whose chunks stopped arriving; returns their senders (and those of payloads dropped for room), one entry per payload. */
  expire (now: number): string[] {
    const senders = this.evicted.splice(0)
    for (const [key, entry] of this.pending) {
      if (now - entry.since > this.limits.timeoutMs) {
        this.pending.delete(key)
        senders.push(key.slice(0, key.lastIndexOf('/')))
      }
    }
    return senders
  }

  private makeRoomFor (sender: string): void {
    const mine = [...this.pending.keys()].filter(key => key.slice(0, key.lastIndexOf('/')) === sender)
    if (mine.length < MAX_PENDING_PER_SENDER) return
    // Map keeps insertion order: the first is the oldest
    this.pending.delete(mine[0])
    this.evicted.push(sender)
  }
}
