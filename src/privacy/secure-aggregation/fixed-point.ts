/**
 * Secure aggregation adds vectors in the ring of integers modulo 2^32, never
 * in floating point: masks are uniform in the ring, so a masked value says
 * nothing, and masks cancel exactly. Real values enter the ring in fixed
 * point: q = round(v × scale), clamped to ±range. The scale is chosen so
 * that the sum of `peers` values of magnitude at most `range` stays below
 * 2^31 and reads back as a signed 32-bit integer without wrapping.
 */

const SIGNED_LIMIT = 2 ** 31 - 1

/** The largest scale at which `peers` values of magnitude ≤ `range` sum without overflow. */
export function ringScale (range: number, peers: number): number {
  if (!(range > 0) || !(peers >= 1)) throw new RangeError(`a fixed-point range needs a positive bound and at least one peer (got ${range}, ${peers})`)
  return SIGNED_LIMIT / (range * peers)
}

/** `values` in fixed point at `scale`, each clamped to ±range first (so a sum cannot wrap). */
export function toRing (values: ArrayLike<number>, scale: number, range: number): Uint32Array {
  const ring = new Uint32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(-range, Math.min(range, values[i]))
    ring[i] = Math.round(v * scale)
  }
  return ring
}

/** A ring sum read back as signed integers divided by `scale`. */
export function fromRing (ring: Uint32Array, scale: number): Float64Array {
  const signed = new Int32Array(ring.buffer, ring.byteOffset, ring.length)
  const values = new Float64Array(ring.length)
  for (let i = 0; i < ring.length; i++) values[i] = signed[i] / scale
  return values
}

/** target += source (mod 2^32), in place. */
export function addInRing (target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i]
}

/** target -= source (mod 2^32), in place. */
export function subtractInRing (target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] -= source[i]
}
