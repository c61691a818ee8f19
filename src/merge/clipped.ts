import { changeNorms, middle, sampleShares, weightedSum } from './changes.ts'
import type { Aggregator } from './types.ts'

/**
 * Norm clipping: each change is scaled down to at most a bound, then the
 * changes are averaged by sample count. The bound is fixed (`clipNorm` > 0)
 * or adaptive: `clipMultiplier` times the round's median change norm, so it
 * follows the model as its updates shrink. Keeps sample weighting, so it
 * costs little on unequal sites; an attacker's pull is bounded, not removed.
 */
export function clippedAggregator (settings: { clipNorm: number, clipMultiplier: number }): Aggregator {
  const { clipNorm, clipMultiplier } = settings
  return {
    describe: clipNorm > 0 ? `clipped to ${clipNorm}` : `clipped to ${clipMultiplier} x median norm`,
    minContributions: 1,
    aggregate: function * (changes) {
      const norms = yield * changeNorms(changes)
      const bound = clipNorm > 0 ? clipNorm : clipMultiplier * middle(Float64Array.from(norms).sort())
      const shares = sampleShares(changes.contributions).map((share, i) => (norms[i] > bound ? share * bound / norms[i] : share))
      return yield * weightedSum(changes, shares)
    }
  }
}
