/**
 * Wire format, version 1, of the messages peers exchange. A payload is
 *
 *   "SW" | version u8 | type u8 | header length u32 LE | header (UTF-8 JSON) | body
 *
 * The header holds the small fields; the body holds the tensors as raw
 * float32 little-endian values, in the order of `header.shapes`. Payloads
 * travel in chunks (chunks.ts) on gossip, or whole on direct streams.
 * See docs/PROTOCOL.md.
 */
import type { Weights } from '../model/weights.ts'
import { tensorBytes } from '../model/weights.ts'

export const WIRE_VERSION = 1
const MAGIC = [0x53, 0x57] // "SW"
const PREFIX_SIZE = 8

export const MESSAGE_TYPES = { hello: 1, announce: 2, update: 3, global: 4, offer: 5 } as const
export type MessageType = keyof typeof MESSAGE_TYPES

/** A peer says it is here and how to reach it. */
export interface HelloMessage { type: 'hello', multiaddrs: string[], round: number }
/** A peer starts training `round` from the global model `baseHash`. */
export interface AnnounceMessage { type: 'announce', round: number, baseHash: string }
/** A peer offers its trained update for a round; the round's update holders fetch it over a direct stream. */
export interface OfferMessage { type: 'offer', round: number, baseHash: string, samples: number, bytes: number }
/** A peer's trained weights for a round; its sender is the authenticated remote peer of the stream. */
export interface UpdateMessage { type: 'update', round: number, baseHash: string, samples: number, weights: Weights }
/** A merged global model. */
export interface GlobalMessage {
  type: 'global'
  round: number
  modelHash: string
  contributors: string[]
  merger: string
  samples: number
  weights: Weights
}

export type SwarmMessage = HelloMessage | AnnounceMessage | OfferMessage | UpdateMessage | GlobalMessage

/** A payload that is not a valid version-1 message. */
export class MalformedMessageError extends Error {
  static name = 'MalformedMessageError'
  name = 'MalformedMessageError'
}

export function encodeMessage (message: SwarmMessage): Uint8Array {
  const { weights, header } = splitWeights(message)
  const headerBytes = new TextEncoder().encode(JSON.stringify(header))
  const bodySize = weights.reduce((n, t) => n + t.values.byteLength, 0)
  const out = new Uint8Array(PREFIX_SIZE + headerBytes.length + bodySize)
  out.set(MAGIC, 0)
  out[2] = WIRE_VERSION
  out[3] = MESSAGE_TYPES[message.type]
  new DataView(out.buffer).setUint32(4, headerBytes.length, true)
  out.set(headerBytes, PREFIX_SIZE)
  let offset = PREFIX_SIZE + headerBytes.length
  for (const tensor of weights) {
    out.set(tensorBytes(tensor), offset)
    offset += tensor.values.byteLength
  }
  return out
}

export function decodeMessage (bytes: Uint8Array): SwarmMessage {
  if (bytes.length < PREFIX_SIZE || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) throw new MalformedMessageError('not a swarm message')
  if (bytes[2] !== WIRE_VERSION) throw new MalformedMessageError(`unknown wire version ${bytes[2]}`)
  const type = (Object.keys(MESSAGE_TYPES) as MessageType[]).find(t => MESSAGE_TYPES[t] === bytes[3])
  if (type === undefined) throw new MalformedMessageError(`unknown message type ${bytes[3]}`)
  const headerSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
  if (PREFIX_SIZE + headerSize > bytes.length) throw new MalformedMessageError('truncated header')
  let header: Record<string, unknown>
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_SIZE, PREFIX_SIZE + headerSize)))
  } catch {
    throw new MalformedMessageError('header is not valid JSON')
  }
  if (typeof header !== 'object' || header === null) throw new MalformedMessageError('header is not an object')
  const body = bytes.subarray(PREFIX_SIZE + headerSize)
  switch (type) {
    case 'hello':
      return { type, multiaddrs: stringList(header.multiaddrs, 'multiaddrs'), round: count(header.round, 'round') }
    case 'announce':
      return { type, round: count(header.round, 'round'), baseHash: hash(header.baseHash, 'baseHash') }
    case 'offer':
      return { type, round: count(header.round, 'round'), baseHash: hash(header.baseHash, 'baseHash'), samples: count(header.samples, 'samples'), bytes: count(header.bytes, 'bytes') }
    case 'update':
      return {
        type,
        round: count(header.round, 'round'),
        baseHash: hash(header.baseHash, 'baseHash'),
        samples: count(header.samples, 'samples'),
        weights: readWeights(header.shapes, body)
      }
    case 'global':
      return {
        type,
        round: count(header.round, 'round'),
        modelHash: hash(header.modelHash, 'modelHash'),
        contributors: stringList(header.contributors, 'contributors'),
        merger: text(header.merger, 'merger'),
        samples: count(header.samples, 'samples'),
        weights: readWeights(header.shapes, body)
      }
    default: {
      const exhaustive: never = type
      throw new MalformedMessageError(`unhandled message type ${String(exhaustive)}`)
    }
  }
}

function splitWeights (message: SwarmMessage): { weights: Weights, header: object } {
  switch (message.type) {
    case 'hello':
    case 'announce':
    case 'offer':
      return { weights: [], header: message }
    case 'update':
    case 'global': {
      const { weights, type: _type, ...rest } = message
      return { weights, header: { ...rest, shapes: weights.map(t => t.shape) } }
    }
    default: {
      const exhaustive: never = message
      throw new Error(`unhandled message ${String(exhaustive)}`)
    }
  }
}

function readWeights (shapes: unknown, body: Uint8Array): Weights {
  if (!Array.isArray(shapes) || !shapes.every(s => Array.isArray(s) && s.every(d => Number.isSafeInteger(d) && d >= 0))) {
    throw new MalformedMessageError('shapes must be a list of lists of non-negative integers')
  }
  const sizes = (shapes as number[][]).map(s => s.reduce((a, b) => a * b, 1))
  const total = sizes.reduce((a, b) => a + b, 0)
  if (total * 4 !== body.length) throw new MalformedMessageError(`body holds ${body.length} bytes but the shapes need ${total * 4}`)
  // copy so that every tensor is 4-byte aligned and independent of the message buffer
  const values = new Float32Array(body.slice().buffer)
  let offset = 0
  return (shapes as number[][]).map((shape, i) => {
    const tensor = { shape: [...shape], values: values.subarray(offset, offset + sizes[i]) }
    offset += sizes[i]
    return tensor
  })
}

function count (value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new MalformedMessageError(`${field} must be a non-negative integer`)
  return value as number
}

function text (value: unknown, field: string): string {
  if (typeof value !== 'string') throw new MalformedMessageError(`${field} must be a string`)
  return value
}

function hash (value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw new MalformedMessageError(`${field} must be a hex SHA-256`)
  return value
}

function stringList (value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) throw new MalformedMessageError(`${field} must be a list of strings`)
  return value
}
