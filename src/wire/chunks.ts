/**
 * Chunked transport of payloads over gossip. gossipsub silently drops messages
 * over 4 MiB, so every payload travels as chunks well below that:
 *
 *   "SC" | version u8 | reserved u8 | payload id (SHA-256 of the payload, 32 B)
 *   | index u32 LE | count u32 LE | payload length u32 LE | data
 *
 * The receiver reassembles per sender and payload id and checks the payload's
 * hash, so a lost or forged chunk never yields a wrong payload.
 */
import { createHash } from 'node:crypto'
import { WIRE_VERSION, MalformedMessageError } from './messages.ts'

const MAGIC = [0x53, 0x43] // "SC"
const HEADER_SIZE = 48
export const DEFAULT_CHUNK_SIZE = 1024 * 1024

export function splitIntoChunks (payload: Uint8Array, chunkSize = DEFAULT_CHUNK_SIZE): Uint8Array[] {
  const id = createHash('sha256').update(payload).digest()
  const count = Math.max(1, Math.ceil(payload.length / chunkSize))
  const chunks: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const data = payload.subarray(index * chunkSize, (index + 1) * chunkSize)
    const chunk = new Uint8Array(HEADER_SIZE + data.length)
    const view = new DataView(chunk.buffer)
    chunk.set(MAGIC, 0)
    chunk[2] = WIRE_VERSION
    chunk.set(id, 4)
    view.setUint32(36, index, true)
    view.setUint32(40, count, true)
    view.setUint32(44, payload.length, true)
    chunk.set(data, HEADER_SIZE)
    chunks.push(chunk)
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
  if (bytes.length < HEADER_SIZE || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) throw new MalformedMessageError('not a swarm chunk')
  if (bytes[2] !== WIRE_VERSION) throw new MalformedMessageError(`unknown wire version ${bytes[2]}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunk = {
    id: Buffer.from(bytes.subarray(4, 36)).toString('hex'),
    index: view.getUint32(36, true),
    count: view.getUint32(40, true),
    length: view.getUint32(44, true),
    data: bytes.subarray(HEADER_SIZE)
  }
  if (chunk.count === 0 || chunk.index >= chunk.count) throw new MalformedMessageError(`chunk index ${chunk.index} out of range (count ${chunk.count})`)
  return chunk
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
      entry = { count: chunk.count, length: chunk.length, parts: new Array(chunk.count), received: 0, bytes: 0, since: now }
      this.pending.set(key, entry)
    }
    if (entry.count !== chunk.count || entry.length !== chunk.length) throw new MalformedMessageError('chunk disagrees with earlier chunks of its payload')
    if (entry.parts[chunk.index] !== undefined) return undefined
    entry.parts[chunk.index] = chunk.data.slice()
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

  /** Drops payloads whose chunks stopped arriving; returns their senders, one entry per payload. */
  expire (now: number): string[] {
    const senders: string[] = []
    for (const [key, entry] of this.pending) {
      if (now - entry.since > this.limits.timeoutMs) {
        this.pending.delete(key)
        senders.push(key.slice(0, key.lastIndexOf('/')))
      }
    }
    return senders
  }
}
