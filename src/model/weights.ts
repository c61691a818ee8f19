/**
 * Model weights as plain typed arrays: what travels on the wire, what merge
 * methods work on, and what the model hash is computed over. No tfjs here.
 */
import { createHash } from 'node:crypto'
import { endianness } from 'node:os'

export interface Tensor {
  shape: number[]
  values: Float32Array
}

/** The model's tensors, in the model's layer order. */
export type Weights = Tensor[]

if (endianness() !== 'LE') throw new Error('swarm assumes a little-endian host: the model hash and wire format store float32 little-endian')

export function parameterCount (weights: Weights): number {
  return weights.reduce((n, t) => n + t.values.length, 0)
}

export function tensorBytes (tensor: Tensor): Uint8Array {
  return new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength)
}

/**
 * Hex SHA-256 of the swarm's definition (UTF-8; see src/model/definition.ts)
 * followed by the weights in canonical byte order: for each tensor in order,
 * its rank and dimensions as u32 little-endian, then its values as float32
 * little-endian. Peers holding the same model of the same swarm report the
 * same hash; equal weights in swarms of other definitions never do.
 */
export function modelHash (weights: Weights, definition = ''): string {
  const hash = createHash('sha256')
  hash.update(definition)
  for (const tensor of weights) {
    const header = new DataView(new ArrayBuffer(4 * (tensor.shape.length + 1)))
    header.setUint32(0, tensor.shape.length, true)
    tensor.shape.forEach((dim, i) => header.setUint32(4 * (i + 1), dim, true))
    hash.update(new Uint8Array(header.buffer))
    hash.update(tensorBytes(tensor))
  }
  return hash.digest('hex')
}

/** True when both hold tensors of the same shapes in the same order. */
export function sameShapes (a: Weights, b: Weights): boolean {
  return a.length === b.length && a.every((t, i) => t.shape.length === b[i].shape.length && t.shape.every((d, j) => d === b[i].shape[j]))
}

/** a − b, tensor by tensor (same shapes). */
export function subtractWeights (a: Weights, b: Weights): Weights {
  return a.map((t, i) => ({ shape: [...t.shape], values: t.values.map((v, j) => v - b[i].values[j]) }))
}

/** a + b, tensor by tensor (same shapes). */
export function addWeights (a: Weights, b: Weights): Weights {
  return a.map((t, i) => ({ shape: [...t.shape], values: t.values.map((v, j) => v + b[i].values[j]) }))
}
