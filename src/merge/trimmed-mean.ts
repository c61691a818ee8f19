import { coordinateWise, sortAlong } from './changes.ts'
import type { Aggregator } from './types.ts'

/** Changes dropped from each end of every coordinate: ⌈β·n⌉. */
export function trimmedCount (beta: number, n: number): number {
  return Math.ceil(beta * n - 1e-9)
}

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): each parameter drops its
 * ⌈β·n⌉ largest and ⌈β·n⌉ smallest changes and averages the rest, weighted
 * by sample count. Survives up to ⌈β·n⌉ bad peers; needs n > 2⌈β·n⌉.
 */
export function trimmedMeanAggregator (settings: { trimFraction: number }): Aggregator {
  const beta = settings.trimFraction
  let n = 1
  while (n - 2 * trimmedCount(beta, n) < 1) n++
  return {
    describe: `trimmed mean, beta ${beta}`,
    minContributions: n,
    aggregate: function * (changes) {
      const samples = changes.contributions.map(c => c.samples)
      const trim = trimmedCount(beta, samples.length)
      const order = new Int32Array(samples.length)
      return yield * coordinateWise(changes, values => {
        sortAlong(values, order)
        let sum = 0
        let weight = 0
        for (let j = trim; j < values.length - trim; j++) {
          sum += values[j] * samples[order[j]]
          weight += samples[order[j]]
        }
        return sum / weight
      })
    }
  }
}
