/**
 * Reading a round's changes (trained weights minus the base model) without
 * copying them: every rule computes w − b per coordinate in float64, always
 * in the order of the contributors' peer IDs, so every holder of the same
 * updates gets the same bytes.
 */
import type { Tensor, Weights } from '../model/weights.ts'
import { inSlices } from './slices.ts'
import type { Changes, Contribution, Slices } from './types.ts'

/** The contributions sorted by peer ID: the one order every merge sums in. */
export function byPeer (contributions: Contribution[]): Contribution[] {
  return [...contributions].sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0))
}

/** Each contribution's share of the round's samples. */
export function sampleShares (contributions: Contribution[]): number[] {
  const total = contributions.reduce((n, c) => n + c.samples, 0)
  return contributions.map(c => c.samples / total)
}

/** Tensors of zeros shaped as `like`. */
export function zerosLike (like: Weights): Weights {
  return like.map(t => ({ shape: [...t.shape], values: new Float32Array(t.values.length) }))
}

/** float64 tensors shaped as `like`, to accumulate in. */
function accumulators (like: Weights): Float64Array[] {
  return like.map(t => new Float64Array(t.values.length))
}

/** float32 tensors of `sums`, shaped as `like`. */
export function toWeights (sums: Float64Array[], like: Weights): Weights {
  return sums.map((values, t) => ({ shape: [...like[t].shape], values: Float32Array.from(values) }))
}

/** Σ share_i · Δ_i, in peer order, in float64: the weighted mean of the changes for shares that sum to 1. */
export function * weightedSums ({ base, contributions }: Changes, shares: number[]): Slices<Float64Array[]> {
  const sums = accumulators(base)
  for (const [t, tensor] of base.entries()) {
    yield * inSlices(tensor.values.length, (from, to) => {
      const sum = sums[t]
      const b = tensor.values
      contributions.forEach((c, i) => {
        const w = c.weights[t].values
        const share = shares[i]
        for (let k = from; k < to; k++) sum[k] += (w[k] - b[k]) * share
      })
    })
  }
  return sums
}

/** weightedSums as float32 tensors. */
export function * weightedSum (changes: Changes, shares: number[]): Slices<Weights> {
  return toWeights(yield * weightedSums(changes, shares), changes.base)
}

/** ‖Δ_i‖ (L2 over the model tensors) of every contribution, in order. */
export function * changeNorms ({ base, contributions }: Changes): Slices<number[]> {
  const squares = contributions.map(() => 0)
  for (const [t, tensor] of base.entries()) {
    yield * inSlices(tensor.values.length, (from, to) => {
      const b = tensor.values
      contributions.forEach((c, i) => {
        const w = c.weights[t].values
        let sum = 0
        for (let k = from; k < to; k++) sum += (w[k] - b[k]) ** 2
        squares[i] += sum
      })
    })
  }
  return squares.map(Math.sqrt)
}

/**
 * A rule applied coordinate by coordinate: `rule` gets the n changes of one
 * coordinate (in peer order, in a reused buffer it may reorder) and returns
 * the aggregated change.
 */
export function * coordinateWise ({ base, contributions }: Changes, rule: (values: Float64Array) => number): Slices<Weights> {
  const values = new Float64Array(contributions.length)
  const out = base.map((t: Tensor) => ({ shape: [...t.shape], values: new Float32Array(t.values.length) }))
  for (const [t, tensor] of base.entries()) {
    const columns = contributions.map(c => c.weights[t].values)
    const b = tensor.values
    const result = out[t].values
    yield * inSlices(tensor.values.length, (from, to) => {
      for (let k = from; k < to; k++) {
        for (let i = 0; i < columns.length; i++) values[i] = columns[i][k] - b[k]
        result[k] = rule(values)
      }
    }, 1 << 13)
  }
  return out
}

/** The middle of sorted values: the middle one, or the mean of the two middle ones. */
export function middle (sorted: Float64Array): number {
  const n = sorted.length
  const half = n >> 1
  return n % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2
}

/**
 * Sorts `values` in place, ascending, and `order` (the contributions' indices)
 * along with them; equal values keep their order. Insertion sort: a round has
 * a few dozen contributions at most, and this runs once per parameter, where
 * a comparator call per comparison costs more than the sort.
 */
export function sortAlong (values: Float64Array, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) order[i] = i
  for (let i = 1; i < values.length; i++) {
    const v = values[i]
    let j = i - 1
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j]
      order[j + 1] = order[j]
      j--
    }
    values[j + 1] = v
    order[j + 1] = i
  }
}
