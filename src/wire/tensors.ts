/**
 * Tensors on the wire, and the optional compression of updates: float16
 * (2 bytes per value) or 8-bit quantization with one scale per tensor
 * (1 byte per value, value = q × scale, q in [-127, 127]). Receivers always
 * turn a tensor back into float32 values before anything else sees it, so
 * merging works on dequantized values.
 */
import type { Tensor as WireTensor } from './swarm.js'
import { Encoding } from './swarm.js'
import type { Tensor } from '../model/weights.ts'
import { tensorBytes } from '../model/weights.ts'
import { MalformedMessageError } from './errors.ts'

export const COMPRESSIONS = ['none', 'float16', 'int8'] as const
export type Compression = typeof COMPRESSIONS[number]

/** largest rank of a tensor on the wire */
const MAX_RANK = 8

const BYTES_PER_VALUE: Record<Encoding, number> = { [Encoding.FLOAT32]: 4, [Encoding.FLOAT16]: 2, [Encoding.INT8]: 1 }

export function encodeTensor (tensor: Tensor, compression: Compression = 'none'): WireTensor {
  const shape = tensor.shape
  switch (compression) {
    case 'none':
      return { shape, encoding: Encoding.FLOAT32, scale: 0, data: tensorBytes(tensor).slice() }
    case 'float16': {
      const half = Float16Array.from(tensor.values)
      return { shape, encoding: Encoding.FLOAT16, scale: 0, data: new Uint8Array(half.buffer) }
    }
    case 'int8': {
      let maxAbs = 0
      for (const v of tensor.values) maxAbs = Math.max(maxAbs, Math.abs(v))
      // Math.fround: the scale travels as float32, and both sides must use the same value
      const scale = Math.fround(maxAbs / 127)
      const q = new Int8Array(tensor.values.length)
      if (scale > 0) for (let i = 0; i < q.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(tensor.values[i] / scale)))
      return { shape, encoding: Encoding.INT8, scale, data: new Uint8Array(q.buffer) }
    }
  }
}

/** The float32 values of a wire tensor; throws MalformedMessageError when its parts disagree. */
export function decodeTensor (wire: WireTensor, index: number): Tensor {
  const { shape, encoding, scale, data } = wire
  if (shape.length > MAX_RANK) throw new MalformedMessageError(`tensor ${index} has rank ${shape.length}, more than ${MAX_RANK}`)
  const size = shape.reduce((a, b) => a * b, 1)
  const width = BYTES_PER_VALUE[encoding]
  if (width === undefined) throw new MalformedMessageError(`tensor ${index} has an unknown encoding`)
  if (data.byteLength !== size * width) {
    throw new MalformedMessageError(`tensor ${index} holds ${data.byteLength} bytes but shape [${shape.join(', ')}] in ${encoding} needs ${size * width}`)
  }
  // a copy into a fresh buffer at offset 0: aligned, and independent of the
  // message, which may be a view into a shared pool (a Node Buffer), where
  // slice() would not copy and .buffer would start elsewhere
  const bytes = new Uint8Array(data)
  switch (encoding) {
    case Encoding.FLOAT32:
      return { shape: [...shape], values: new Float32Array(bytes.buffer) }
    case Encoding.FLOAT16:
      return { shape: [...shape], values: Float32Array.from(new Float16Array(bytes.buffer)) }
    case Encoding.INT8: {
      if (!Number.isFinite(scale) || scale < 0) throw new MalformedMessageError(`tensor ${index} has scale ${scale}`)
      const q = new Int8Array(bytes.buffer)
      const values = new Float32Array(size)
      for (let i = 0; i < size; i++) values[i] = q[i] * scale
      return { shape: [...shape], values }
    }
  }
}
