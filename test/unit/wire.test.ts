import assert from 'node:assert/strict'
import { decodeMessage, encodeMessage, MalformedMessageError } from '../../src/wire/messages.ts'
import type { GlobalMessage, SwarmMessage, UpdateMessage } from '../../src/wire/messages.ts'
import { OversizedPayloadError, Reassembler, splitIntoChunks } from '../../src/wire/chunks.ts'
import { modelHash } from '../../src/model/weights.ts'

const hash = 'ab'.repeat(32)

function update (parameters: number): UpdateMessage {
  const values = new Float32Array(parameters).map((_, i) => Math.sin(i))
  return { type: 'update', round: 3, baseHash: hash, samples: 2000, weights: [{ shape: [parameters - 10], values: values.subarray(0, parameters - 10) }, { shape: [2, 5], values: values.subarray(parameters - 10) }] }
}

describe('wire format', () => {
  it('round-trips every message type', () => {
    const weights = update(100).weights
    const global: GlobalMessage = { type: 'global', round: 2, modelHash: modelHash(weights), contributors: ['a', 'b'], merger: 'a', samples: 4000, weights }
    const messages: SwarmMessage[] = [
      { type: 'hello', multiaddrs: ['/ip4/127.0.0.1/tcp/1/p2p/x'], round: 4 },
      { type: 'announce', round: 1, baseHash: hash },
      update(100),
      global
    ]
    for (const message of messages) {
      assert.deepEqual(decodeMessage(encodeMessage(message)), message)
    }
  })

  it('carries weights as raw float32: 4 bytes per parameter plus a small header', () => {
    const bytes = encodeMessage(update(199_210)).length
    assert.ok(bytes > 199_210 * 4 && bytes < 199_210 * 4 + 512, `${bytes} bytes`)
  })

  it('rejects unknown versions and types, truncated bodies and bad headers with a reason', () => {
    const good = encodeMessage(update(50))
    const withByte = (index: number, value: number): Uint8Array => { const copy = good.slice(); copy[index] = value; return copy }
    assert.throws(() => decodeMessage(withByte(2, 9)), /unknown wire version 9/)
    assert.throws(() => decodeMessage(withByte(3, 77)), /unknown message type 77/)
    assert.throws(() => decodeMessage(good.subarray(0, good.length - 3)), /body holds .* bytes but the shapes need/)
    assert.throws(() => decodeMessage(new Uint8Array([1, 2, 3])), MalformedMessageError)
    const header = new TextEncoder().encode(JSON.stringify({ round: -1, baseHash: hash }))
    const bad = new Uint8Array(8 + header.length)
    bad.set([0x53, 0x57, 1, 2]); new DataView(bad.buffer).setUint32(4, header.length, true); bad.set(header, 8)
    assert.throws(() => decodeMessage(bad), /round must be a non-negative integer/)
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

  it('refuses a payload over the size limit before collecting it', () => {
    const reassembler = new Reassembler({ maxPayloadBytes: 8, timeoutMs: 1000 })
    assert.throws(() => reassembler.add('a', splitIntoChunks(new Uint8Array(10), 4)[0], 0), (err: Error) => err instanceof OversizedPayloadError && /exceeds the limit of 8/.test(err.message))
  })
})
