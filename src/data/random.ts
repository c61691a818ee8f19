/**
 * Seeded randomness. Every peer must derive the same data split, partitions and
 * initial model from the same seed, so nothing here may touch Math.random.
 */

export type Random = () => number

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom (seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T> (items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = items[i]
    items[i] = items[j]
    items[j] = tmp
  }
  return items
}

/** Standard normal sample (Box–Muller). */
export function normal (random: Random): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Gamma(shape, 1) sample, Marsaglia–Tsang; shape < 1 uses the boost trick. */
export function gamma (shape: number, random: Random): number {
  if (shape < 1) {
    return gamma(shape + 1, random) * Math.pow(1 - random(), 1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - random()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

/** A sample from the symmetric Dirichlet(alpha) distribution over `size` outcomes. */
export function dirichlet (size: number, alpha: number, random: Random): number[] {
  const draws = Array.from({ length: size }, () => gamma(alpha, random))
  const total = draws.reduce((a, b) => a + b, 0)
  if (total === 0) return draws.map((_, i) => (i === 0 ? 1 : 0))
  return draws.map(d => d / total)
}
