import type { Contribution, MergeResult } from './types.ts'
import { sameShapes } from '../model/weights.ts'

/**
 * FedAvg (McMahan et al. 2017): the average of the contributions weighted by
 * their sample counts. Accumulates in float64, in the order of the
 * contributors' peer IDs, so the same contributions give the same bytes
 * whatever order they arrived in: a leader and a successor that take over
 * from it merge the same updates into one model, not two.
 */
export function fedAvg (unordered: Contribution[]): MergeResult {
  if (unordered.length === 0) throw new Error('fedAvg needs at least one contribution')
  const contributions = [...unordered].sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0))
  const first = contributions[0].weights
  for (const c of contributions) {
    if (!(c.samples > 0)) throw new Error(`fedAvg: contribution from ${c.peer} has ${c.samples} samples; every contribution needs at least one`)
    if (!sameShapes(first, c.weights)) throw new Error(`fedAvg: contribution from ${c.peer} has tensors of other shapes than the rest`)
  }
  const samples = contributions.reduce((n, c) => n + c.samples, 0)
  const weights = first.map((tensor, t) => {
    const sum = new Float64Array(tensor.values.length)
    for (const c of contributions) {
      const share = c.samples / samples
      const values = c.weights[t].values
      for (let i = 0; i < sum.length; i++) sum[i] += values[i] * share
    }
    return { shape: [...tensor.shape], values: Float32Array.from(sum) }
  })
  return { weights, samples }
}
