/**
 * What a peer masks: its change to the global model, clipped to a norm bound
 * and weighted by its sample count (or by 1 under client-level differential
 * privacy, which needs every site to count the same), in fixed point, with
 * the sample count itself as the last word. The unmasked sum of these
 * vectors gives the sample-weighted sum of changes and the total count: the
 * weighted FedAvg change, exact up to quantization.
 */
import type { Weights } from '../../model/weights.ts'
import { fromRing, ringScale, toRing } from './fixed-point.ts'

export interface VectorLayout {
  /** every peer's model change is clipped to this L2 norm before masking */
  clipNorm: number
  /** 'samples': weighted by its sample count (FedAvg); 'uniform': every site weighs 1 (client-level DP) */
  weighting: 'samples' | 'uniform'
  /** the largest sample count one peer may weigh with */
  maxSamples: number
  /** the most vectors a round sums (plan.ts, roundCapacity): the scale leaves room for all of them */
  capacity: number
  /** the standard deviation of the noise each peer adds to its clipped change (client-level DP); 0 for none */
  noiseStd: number
}

/** bound on one coordinate of one peer's vector; noise beyond 8 standard deviations is clamped (probability below 1e-15) */
function coordinateRange (layout: VectorLayout): number {
  const weight = layout.weighting === 'samples' ? layout.maxSamples : 1
  return weight * (layout.clipNorm + 8 * layout.noiseStd)
}

export function vectorScale (layout: VectorLayout): number {
  return ringScale(coordinateRange(layout), layout.capacity)
}

/** Whether `capacity` vectors' sample counts (the last word) sum below 2^32; else the round cannot be secured. */
export function countsFit (layout: VectorLayout): boolean {
  return layout.capacity * layout.maxSamples < 2 ** 32
}

/** `change` scaled to norm ≤ bound (unchanged when within it); its norm before. */
export function clipToNorm (change: Weights, bound: number): { clipped: Weights, norm: number } {
  let squares = 0
  for (const t of change) for (const v of t.values) squares += v * v
  const norm = Math.sqrt(squares)
  const factor = norm > bound ? bound / norm : 1
  return { clipped: factor === 1 ? change : change.map(t => ({ shape: t.shape, values: t.values.map(v => v * factor) })), norm }
}

/**
 * A peer's vector: its change clipped, plus `noise` (one draw per value,
 * already scaled), weighted, in fixed point; then its sample count.
 */
export function updateVector (change: Weights, samples: number, layout: VectorLayout, noise?: Float64Array): Uint32Array<ArrayBuffer> {
  if (samples > layout.maxSamples) throw new RangeError(`${samples} samples, more than the ${layout.maxSamples} secure aggregation weighs one peer with (--secure-max-samples)`)
  const { clipped } = clipToNorm(change, layout.clipNorm)
  const weight = layout.weighting === 'samples' ? samples : 1
  const values = new Float64Array(clipped.reduce((n, t) => n + t.values.length, 0))
  let i = 0
  for (const t of clipped) {
    for (const v of t.values) {
      values[i] = weight * (v + (noise?.[i] ?? 0))
      i++
    }
  }
  const ring = toRing(values, vectorScale(layout), coordinateRange(layout))
  const vector = new Uint32Array(ring.length + 1)
  vector.set(ring)
  vector[ring.length] = samples
  return vector
}

/**
 * The mean change from an unmasked sum of `contributors` vectors, in the
 * shapes of `like`, and the total sample count the vectors carry. A
 * sample-weighted sum is divided by `announced` (the counts the
 * contributors' signed offers give) when given: a peer that weighted its
 * vector with more samples than it announced cannot enlarge the divisor.
 */
export function meanChange (sum: Uint32Array, contributors: number, layout: VectorLayout, like: Weights, announced?: number): { change: Weights, samples: number } {
  const samples = sum[sum.length - 1]
  const values = fromRing(sum.subarray(0, sum.length - 1), vectorScale(layout))
  const divisor = layout.weighting === 'samples' ? (announced ?? samples) : contributors
  let offset = 0
  const change = like.map(t => {
    const part = new Float32Array(t.values.length)
    for (let j = 0; j < part.length; j++) part[j] = values[offset + j] / divisor
    offset += part.length
    return { shape: [...t.shape], values: part }
  })
  return { change, samples }
}

/** how far above the clip bound the norm of an honest mean may read after fixed point (far beyond the quantization error) */
const SUM_NORM_SLACK = 1e-3

/** tail bound of a Gaussian vector's norm: ‖N(0, s²I_d)‖ ≤ s(√d + 8) but with probability below e^-32 */
const NOISE_NORM_DEVIATIONS = 8

/**
 * The largest norm an honest mean of `contributors` vectors can have: C,
 * plus (with client-level DP, uniform weights) the norm that the noise the
 * contributors added can reach, s(√d + 8) for the noise's standard deviation
 * s on the mean, far beyond what it ever reaches.
 */
export function meanBound (layout: VectorLayout, contributors: number, dimensions: number): number {
  if (layout.noiseStd === 0) return layout.clipNorm
  const onMean = layout.noiseStd / Math.sqrt(contributors)
  return layout.clipNorm + onMean * (Math.sqrt(dimensions) + NOISE_NORM_DEVIATIONS)
}

/**
 * The one check left on a masked round: a mean of changes each clipped to C
 * has a norm of at most C (plus what noise adds: meanBound). A larger one
 * (beyond the quantization's slack) means a peer did not clip, and the mean
 * is clipped to the bound (the same on every holder). Returns `change`
 * itself when it passes.
 */
export function boundedMean (change: Weights, layout: VectorLayout, contributors = 1): { change: Weights, norm: number, bound: number } {
  const bound = meanBound(layout, contributors, change.reduce((n, t) => n + t.values.length, 0))
  const { clipped, norm } = clipToNorm(change, bound)
  if (norm <= bound * (1 + SUM_NORM_SLACK)) return { change, norm, bound }
  return { change: clipped, norm, bound }
}
