/**
 * Standardization of a table's numeric features: (value − mean) / std per
 * feature, with a site's own statistics or the swarm's pooled ones. One-hot
 * columns and image pixels are left as they are.
 */
import type { Dataset } from './dataset.ts'
import { sampleSize } from './dataset.ts'
import type { Weights } from '../model/weights.ts'

export interface FeatureStats {
  /** the features (indices into a sample) the statistics describe */
  features: number[]
  mean: number[]
  /** population standard deviation; a constant feature gets 1, so it becomes 0 and never NaN */
  std: number[]
}

/** Per-feature sample count, sum and sum of squares: what sites pool, never their rows. */
export interface FeatureMoments {
  features: number[]
  count: number
  sums: number[]
  squares: number[]
}

export function featureMoments (data: Dataset, features: number[]): FeatureMoments {
  const size = sampleSize(data.sampleShape)
  const sums = features.map(() => 0)
  const squares = features.map(() => 0)
  for (let row = 0; row < data.count; row++) {
    features.forEach((feature, k) => {
      const value = data.features[row * size + feature]
      sums[k] += value
      squares[k] += value * value
    })
  }
  return { features, count: data.count, sums, squares }
}

/** Mean and standard deviation from moments (of one site, or summed over sites). */
export function statsFromMoments (moments: FeatureMoments): FeatureStats {
  const { features, count, sums, squares } = moments
  const mean = sums.map(sum => sum / count)
  const std = squares.map((square, k) => {
    const variance = Math.max(0, square / count - mean[k] * mean[k])
    return variance > 0 ? Math.sqrt(variance) : 1
  })
  return { features, mean, std }
}

/** A copy of `data` with its features standardized by `stats`. */
export function standardize (data: Dataset, stats: FeatureStats): Dataset {
  const size = sampleSize(data.sampleShape)
  const features = Float32Array.from(data.features)
  for (let row = 0; row < data.count; row++) {
    stats.features.forEach((feature, k) => {
      const i = row * size + feature
      features[i] = (features[i] - stats.mean[k]) / stats.std[k]
    })
  }
  return { ...data, features }
}

/**
 * Statistics pooled by the swarm (--normalize swarm) travel as two tensors
 * after the model's own: per numeric feature its mean and its mean of
 * squares. In the statistics round every site sends its own; merged by
 * sample-weighted averaging like any weights, they become exactly the mean
 * and mean of squares of all contributing sites' rows together, and no row
 * ever leaves its site. Later rounds leave them unchanged.
 */
export function momentTensors (data: Dataset, features: number[]): Weights {
  const { count, sums, squares } = featureMoments(data, features)
  return [
    { shape: [features.length], values: Float32Array.from(sums, sum => sum / count) },
    { shape: [features.length], values: Float32Array.from(squares, square => square / count) }
  ]
}

/**
 * The genesis model's statistics tensors: zeros, which standardize nothing
 * (mean 0, and no variance counts as a deviation of 1). Zeros also keep the
 * statistics exact on the way: an update carries its change from the base,
 * and value − 0 loses nothing in float32, where value − 1 would lose the
 * small means of squares of small-scale features.
 */
export function neutralMomentTensors (features: number): Weights {
  return [{ shape: [features], values: new Float32Array(features) }, { shape: [features], values: new Float32Array(features) }]
}

/** The mean and standard deviation that a global model's statistics tensors hold. */
export function statsFromTensors (tensors: Weights, features: number[]): FeatureStats {
  const [mean, squares] = tensors
  return statsFromMoments({ features, count: 1, sums: Array.from(mean.values), squares: Array.from(squares.values) })
}
