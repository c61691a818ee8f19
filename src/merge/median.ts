import { coordinateWise, middle } from './changes.ts'
import type { Aggregator } from './types.ts'

/**
 * Coordinate-wise median (Yin et al. 2018): each parameter's change is the
 * median of the peers' changes. Fewer than half the peers cannot move it far;
 * it ignores sample counts, so a small site weighs as much as a large one.
 */
export function medianAggregator (): Aggregator {
  return {
    describe: 'median',
    minContributions: 1,
    aggregate: changes => coordinateWise(changes, values => middle(values.sort()))
  }
}
