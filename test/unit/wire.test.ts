import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { decodeMessage, encodeMessage, MalformedMessageError, WIRE_VERSION } from '../../src/wire/messages.ts'
import type { GlobalMessage, SwarmMessage, UpdateMessage } from '../../src/wire/messages.ts'
import { MAX_PENDING_PER_SENDER, OversizedPayloadError, Reassembler, splitIntoChunks } from '../../src/wire/chunks.ts'
import { Chunk, Encoding, Message } from '../../src/wire/swarm.js'
import { COMPRESSIONS } from '../../src/wire/tensors.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { Weights } from '../../src/model/weights.ts'

const hash = 'ab'.repeat(32)

function update (parameters: number): UpdateMessage {
  const values = new Float32Array(parameters).map((_, i) => Math.sin(i) / 100)
  return { type: 'update', round: 3, baseHash: hash, samples: 2000, change: [{ shape: [parameters - 10], values: values.subarray(0, parameters - 10) }, { shape: [2, 5], values: values.subarray(parameters - 10) }], salt: new Uint8Array(32).fill(7) }
}

function largestError (a: Weights, b: Weights): number {
  let error = 0
  a.forEach((t, i) => t.values.forEach((v, j) => { error = Math.max(error, Math.abs(v - b[i].values[j])) }))
  return error
}

describe('wire format', () => {
  it('is documented: docs/PROTOCOL.md quotes src/wire/swarm.proto from its syntax line on', () => {
    const proto = readFileSync(new URL('../../src/wire/swarm.proto', import.meta.url), 'utf8')
    const doc = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8')
    assert.ok(doc.includes(proto.slice(proto.indexOf('syntax = "proto3";')).trimEnd()), 'update the Schema section of docs/PROTOCOL.md after editing swarm.proto')
  })

  it('round-trips every message type', () => {
    const weights = update(100).change
    const global: GlobalMessage = { type: 'global', round: 2, modelHash: modelHash(weights), contributors: ['a', 'b'], merger: 'a', samples: 4000, weights, definition: '{"model":"mlp 200,200"}', state: [weights[0]], updateHashes: ['ab'.repeat(32), 'cd'.repeat(32)] }
    const messages: SwarmMessage[] = [
      { type: 'hello', multiaddrs: ['/ip4/127.0.0.1/tcp/1/p2p/x'], round: 4, modelHash: hash },
      { type: 'announce', round: 1, baseHash: hash, roster: ['a', 'b'], sealed: true },
      { type: 'offer', round: 1, baseHash: hash, samples: 10, bytes: 1234, updateHash: 'cd'.repeat(32), maskedWith: ['b', 'c'] },
      update(100),
      global,
      { type: 'attest', round: 2, modelHash: hash, merger: 'a', computed: 'ef'.repeat(32) },
      { type: 'withdraw', round: 2, baseHash: hash },
      { type: 'unmask-request', round: 2, baseHash: hash, survivors: ['a', 'b'], dropped: ['c'], survivorMasks: [['b', 'c'], ['a']] },
      { type: 'unmask-consent', round: 2, baseHash: hash, setHash: 'ef'.repeat(32) },
      { type: 'unmask-reveal', round: 2, baseHash: hash, setHash: 'ef'.repeat(32), sealed: [{ to: 'a', nonce: new Uint8Array(24).fill(1), ciphertext: new Uint8Array(40).fill(2) }] }
    ]
    for (const message of messages) {
      assert.deepEqual(decodeMessage(encodeMessage(message)), message)
    }
  })

  it('decodes a message held at any byte offset, such as a small Node Buffer in the shared pool', () => {
    // a tiny model's messages (tens of bytes per tensor) are what Node hands out of its 8 KiB pool
    const weights: Weights = [{ shape: [3, 2], values: Float32Array.from([1, -2, 3, -4, 5, -6]) }, { shape: [2], values: Float32Array.from([0.5, -0.5]) }]
    const messages: SwarmMessage[] = [
      { type: 'update', round: 1, baseHash: hash, samples: 3, change: weights, salt: new Uint8Array(32) },
      { type: 'global', round: 1, modelHash: modelHash(weights), contributors: ['a'], merger: 'a', samples: 3, weights, definition: '', state: [], updateHashes: [] }
    ]
    for (const message of messages) {
      for (const compression of COMPRESSIONS) {
        const encoded = encodeMessage(message, compression)
        const expected = decodeMessage(encoded)
        for (let offset = 1; offset < 8; offset++) {
          const pooled = Buffer.alloc(encoded.length + 16)
          pooled.set(encoded, offset)
          assert.deepEqual(decodeMessage(pooled.subarray(offset, offset + encoded.length)), expected, `${message.type}, ${compression}, offset ${offset}`)
        }
        assert.deepEqual(decodeMessage(Buffer.from(encoded)), expected, `${message.type}, ${compression}, from Buffer.from`)
      }
    }
    const reassembler = new Reassembler({ maxPayloadBytes: 1000, timeoutMs: 1000 })
    const payload = encodeMessage(messages[0])
    const [chunk] = splitIntoChunks(payload)
    const framed = Buffer.alloc(chunk.length + 3)
    framed.set(chunk, 3)
    assert.deepEqual(decodeMessage(reassembler.add('a', framed.subarray(3), 0) as Uint8Array), messages[0])
  })

  it('carries uncompressed tensors as float32: 4 bytes per parameter plus a small header', () => {
    const bytes = encodeMessage(update(199_210)).length
    assert.ok(bytes > 199_210 * 4 && bytes < 199_210 * 4 + 512, `${bytes} bytes`)
  })

  it('compresses updates to float16 (2 bytes per value) and int8 (1 byte per value) within their precision', () => {
    const original = update(100_000)
    const sizes: Record<string, number> = {}
    for (const compression of COMPRESSIONS) {
      const bytes = encodeMessage(original, compression)
      sizes[compression] = bytes.length
      const decoded = decodeMessage(bytes) as UpdateMessage
      const error = largestError(decoded.change, original.change)
      // values are at most 0.01: float16 keeps 11 significant bits; int8 is off by at most half a step (0.01 / 127 / 2)
      const bound = { none: 0, float16: 0.01 * 2 ** -11, int8: 0.01 / 127 / 2 + 1e-9 }[compression]
      assert.ok(error <= bound, `${compression}: largest error ${error} > ${bound}`)
    }
    assert.ok(sizes.float16 < sizes.none * 0.51 && sizes.int8 < sizes.none * 0.26, JSON.stringify(sizes))
  })

  it('quantizes an all-zero tensor to zeros', () => {
    const zero: UpdateMessage = { ...update(20), change: [{ shape: [4], values: new Float32Array(4) }] }
    assert.deepEqual((decodeMessage(encodeMessage(zero, 'int8')) as UpdateMessage).change[0].values, new Float32Array(4))
  })

  it('rejects undecodable bytes, unknown versions and types, and inconsistent tensors with a reason', () => {
    assert.throws(() => decodeMessage(new Uint8Array([0xff, 0xff, 0xff])), MalformedMessageError)
    assert.throws(() => decodeMessage(Message.encode({ version: 9, announce: { round: 1, baseHash: new Uint8Array(32), roster: [], sealed: false } })), /unknown wire version 9/)
    // field 15 is no message type this version knows
    assert.throws(() => decodeMessage(new Uint8Array([0x08, WIRE_VERSION, 0x7a, 0x00])), /unknown message type/)
    assert.throws(() => decodeMessage(Message.encode({ version: WIRE_VERSION, announce: { round: 1, baseHash: new Uint8Array(5), roster: [], sealed: false } })), /baseHash must be a SHA-256 hash/)
    const tensor = { shape: [3], encoding: Encoding.FLOAT32, scale: 0, data: new Uint8Array(8) }
    const withTensor = (t: typeof tensor): Uint8Array => Message.encode({ version: WIRE_VERSION, update: { round: 1, baseHash: new Uint8Array(32), samples: 1, change: [t], masked: new Uint8Array(0), maskedWith: [], salt: new Uint8Array(32) } })
    assert.throws(() => decodeMessage(withTensor(tensor)), /tensor 0 holds 8 bytes but shape \[3\] in FLOAT32 needs 12/)
    assert.throws(() => decodeMessage(withTensor({ ...tensor, encoding: Encoding.INT8, data: new Uint8Array(3), scale: NaN })), /tensor 0 has scale NaN/)
    assert.throws(() => decodeMessage(withTensor({ ...tensor, shape: [1, 1, 1, 1, 1, 1, 1, 1, 1, 3] })), MalformedMessageError)
    const masked = Message.encode({ version: WIRE_VERSION, update: { round: 1, baseHash: new Uint8Array(32), samples: 1, change: [], masked: new Uint8Array(7), maskedWith: [], salt: new Uint8Array(32) } })
    assert.throws(() => decodeMessage(masked), /masked update of 7 bytes, not whole 32-bit words/)
    const unsalted = Message.encode({ version: WIRE_VERSION, update: { round: 1, baseHash: new Uint8Array(32), samples: 1, change: [], masked: new Uint8Array(0), maskedWith: [], salt: new Uint8Array(5) } })
    assert.throws(() => decodeMessage(unsalted), /salt must be 32 bytes/)
    const good = encodeMessage(update(50))
    assert.throws(() => decodeMessage(good.subarray(0, good.length - 3)), MalformedMessageError)
  })
})

describe('chunked transport', () => {
  it('delivers a payload larger than gossipsub\'s 4 MiB limit in chunks below it', () => {
    const payload = encodeMessage(update(2_500_000)) // 10 MB
    const chunks = splitIntoChunks(payload)
    assert.ok(chunks.length >= 10)
    assert.ok(chunks.every(c => c.length < 4 * 1024 * 1024))
    const reassembler = new Reassembler({ maxPayloadBytes: 64e6, timeoutMs: 1000 })
    const results = [...chunks].reverse().map(c => reassembler.add('peer', c, 0))
    const whole = results.find(r => r !== undefined)
    assert.ok(whole !== undefined)
    assert.deepEqual(decodeMessage(whole), decodeMessage(payload))
  })

  it('keeps payloads of different senders apart and ignores a repeated chunk', () => {
    const chunks = splitIntoChunks(new Uint8Array(10).fill(7), 4)
    const reassembler = new Reassembler({ maxPayloadBytes: 100, timeoutMs: 1000 })
    assert.equal(reassembler.add('a', chunks[0], 0), undefined)
    assert.equal(reassembler.add('a', chunks[0], 0), undefined)
    assert.equal(reassembler.add('b', chunks[1], 0), undefined)
    assert.equal(reassembler.add('a', chunks[1], 0), undefined)
    assert.deepEqual(reassembler.add('a', chunks[2], 0), new Uint8Array(10).fill(7))
  })

  it('never yields a payload from a forged chunk, and drops payloads whose chunks stop coming', () => {
    const chunks = splitIntoChunks(new Uint8Array(10).fill(1), 5)
    const forged = chunks[1].slice()
    forged[forged.length - 1] = 99
    const reassembler = new Reassembler({ maxPayloadBytes: 100, timeoutMs: 1000 })
    reassembler.add('a', chunks[0], 0)
    assert.throws(() => reassembler.add('a', forged, 0), /does not match its id/)
    reassembler.add('a', splitIntoChunks(new Uint8Array(10), 5)[0], 0)
    assert.deepEqual(reassembler.expire(5000), ['a'])
  })

  it('rejects chunks of another version or with impossible counts', () => {
    const reassembler = new Reassembler({ maxPayloadBytes: 100, timeoutMs: 1000 })
    const chunk = { version: WIRE_VERSION, payloadId: new Uint8Array(32), index: 0, count: 1, payloadLength: 4, data: new Uint8Array(4) }
    assert.throws(() => reassembler.add('a', Chunk.encode({ ...chunk, version: 1 }), 0), /unknown wire version 1/)
    assert.throws(() => reassembler.add('a', Chunk.encode({ ...chunk, index: 1 }), 0), /out of range/)
    assert.throws(() => reassembler.add('a', Chunk.encode({ ...chunk, count: 4_000_000_000 }), 0), /4000000000 chunks for a payload of 4 bytes/)
    assert.throws(() => reassembler.add('a', new Uint8Array([0x0a, 0xff]), 0), /not a valid protobuf Chunk/)
  })

  it('keeps a bounded number of unfinished payloads per sender, dropping the oldest', () => {
    const reassembler = new Reassembler({ maxPayloadBytes: 1000, timeoutMs: 60_000 })
    const payloads = Array.from({ length: MAX_PENDING_PER_SENDER + 2 }, (_, i) => new Uint8Array(10).fill(i))
    for (const payload of payloads) reassembler.add('flooder', splitIntoChunks(payload, 5)[0], 0)
    reassembler.add('honest', splitIntoChunks(new Uint8Array(10).fill(9), 5)[0], 0)
    assert.deepEqual(reassembler.expire(0), ['flooder', 'flooder'], 'two payloads made room for newer ones')
    const newest = payloads.at(-1) as Uint8Array
    assert.deepEqual(reassembler.add('flooder', splitIntoChunks(newest, 5)[1], 0), newest, 'the newest payload still completes')
    assert.equal(reassembler.add('flooder', splitIntoChunks(payloads[0], 5)[1], 0), undefined, 'the oldest was dropped')
  })

  it('refuses a payload over the size limit before collecting it', () => {
    const reassembler = new Reassembler({ maxPayloadBytes: 8, timeoutMs: 1000 })
    assert.throws(() => reassembler.add('a', splitIntoChunks(new Uint8Array(10), 4)[0], 0), (err: Error) => err instanceof OversizedPayloadError && /exceeds the limit of 8/.test(err.message))
  })
})
