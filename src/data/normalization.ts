/**
 * Standardization of a table's numeric features: (value − mean) / std per
 * feature. One-hot columns and image pixels are left as they are.
 */
import type { Dataset } from './dataset.ts'
import { sampleSize } from './dataset.ts'

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
