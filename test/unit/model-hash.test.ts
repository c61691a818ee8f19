import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { modelHash } from '../../src/model/weights.ts'

describe('canonical model hash', () => {
  it('is the SHA-256 of each tensor\'s rank, dimensions and float32 values, little-endian', () => {
    const weights = [{ shape: [2], values: Float32Array.from([1, -2]) }]
    const bytes = Buffer.alloc(4 + 4 + 8)
    bytes.writeUInt32LE(1, 0)
    bytes.writeUInt32LE(2, 4)
    bytes.writeFloatLE(1, 8)
    bytes.writeFloatLE(-2, 12)
    assert.equal(modelHash(weights), createHash('sha256').update(bytes).digest('hex'))
  })

  it('is equal for equal weights held in different buffers', () => {
    const a = [{ shape: [3], values: Float32Array.from([0.5, 0.25, 1]) }]
    const b = [{ shape: [3], values: new Float32Array([0.5, 0.25, 1, 9]).subarray(0, 3) }]
    assert.equal(modelHash(a), modelHash(b))
  })

  it('changes when one value, the shapes or the tensor order change', () => {
    const base = [{ shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) }, { shape: [1], values: Float32Array.from([5]) }]
    const hash = modelHash(base)
    assert.notEqual(modelHash([{ ...base[0], values: Float32Array.from([1, 2, 3, 4.0001]) }, base[1]]), hash)
    assert.notEqual(modelHash([{ ...base[0], shape: [4, 1] }, base[1]]), hash)
    assert.notEqual(modelHash([base[1], base[0]]), hash)
  })

  it('of the same weights differs between swarms of different definitions', () => {
    const weights = [{ shape: [2], values: Float32Array.from([1, -2]) }]
    assert.notEqual(modelHash(weights, '{"task":"binary"}'), modelHash(weights, '{"task":"classification"}'))
    assert.equal(modelHash(weights, '{"task":"binary"}'), modelHash(weights, '{"task":"binary"}'))
  })
})
