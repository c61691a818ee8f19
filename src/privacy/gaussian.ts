/**
 * Gaussian noise for differential privacy, drawn from a cryptographic
 * stream: ChaCha20 (src/privacy/secure-aggregation/crypto.ts) keyed by a
 * fresh random seed, or by a seed only the holders of a round's updates can
 * compute (client-level DP without secure aggregation: every holder must add
 * the same noise to attest the same merge). Box–Muller turns uniform pairs
 * into normal pairs.
 */
import { expandSeed, randomSeed } from './secure-aggregation/crypto.ts'

/** `count` draws of N(0, std²) from the stream of `seed` (a fresh random one by default). */
export function gaussianNoise (count: number, std: number, seed: Uint8Array = randomSeed()): Float64Array {
  const words = expandSeed(seed, 2 * Math.ceil(count / 2) * 2)
  const noise = new Float64Array(count)
  for (let i = 0; i < count; i += 2) {
    // 53-bit uniforms in (0, 1]: log(0) never happens
    const u1 = (words[2 * i] * 2 ** 21 + (words[2 * i + 1] >>> 11) + 1) / 2 ** 53
    const u2 = (words[2 * i + 2] * 2 ** 21 + (words[2 * i + 3] >>> 11)) / 2 ** 53
    const radius = std * Math.sqrt(-2 * Math.log(u1))
    noise[i] = radius * Math.cos(2 * Math.PI * u2)
    if (i + 1 < count) noise[i + 1] = radius * Math.sin(2 * Math.PI * u2)
  }
  return noise
}
