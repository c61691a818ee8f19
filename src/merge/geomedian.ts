import { sampleShares, toWeights, weightedSums } from './changes.ts'
import { inSlices } from './slices.ts'
import type { Aggregator, Changes, Slices } from './types.ts'

/** Weiszfeld iterations at most; it usually settles in a handful */
const MAX_ITERATIONS = 20
/** stop when an iteration moves the median by less than this fraction of its norm */
const TOLERANCE = 1e-6
/** distances below this count as this, so a change that sits on the median does not divide by zero */
const SMOOTHING = 1e-9

/**
 * The weighted geometric median of the changes (Pillutla et al. 2022, RFA;
 * HPE Swarm Learning's `geomedian`): the point that minimises the
 * sample-weighted sum of distances to them, by Weiszfeld's iterations from
 * the weighted mean. Robust to fewer than half the weight being bad, and,
 * unlike median and Krum, it keeps sample counts.
 */
export function geomedianAggregator (): Aggregator {
  return {
    describe: 'geometric median',
    minContributions: 1,
    aggregate: changes => weiszfeld(changes)
  }
}

function * weiszfeld ({ base, contributions }: Changes): Slices<ReturnType<typeof toWeights>> {
  const alphas = sampleShares(contributions)
  let median = yield * weightedSums({ base, contributions }, alphas)
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const distances = yield * distancesTo({ base, contributions }, median)
    const betas = alphas.map((a, i) => a / Math.max(distances[i], SMOOTHING))
    const total = betas.reduce((s, b) => s + b, 0)
    const next = yield * weightedSums({ base, contributions }, betas.map(b => b / total))
    let moved = 0
    let size = 0
    next.forEach((tensor, t) => tensor.forEach((v, k) => { moved += (v - median[t][k]) ** 2; size += v * v }))
    median = next
    if (moved <= TOLERANCE ** 2 * size) break
  }
  return toWeights(median, base)
}

function * distancesTo ({ base, contributions }: Changes, point: Float64Array[]): Slices<number[]> {
  const squares = contributions.map(() => 0)
  for (const [t, tensor] of base.entries()) {
    yield * inSlices(tensor.values.length, (from, to) => {
      contributions.forEach((c, i) => {
        const w = c.weights[t].values
        let sum = 0
        for (let k = from; k < to; k++) sum += (w[k] - tensor.values[k] - point[t][k]) ** 2
        squares[i] += sum
      })
    })
  }
  return squares.map(Math.sqrt)
}
