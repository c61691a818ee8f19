import { sampleShares, weightedSum } from './changes.ts'
import type { Aggregator } from './types.ts'

/**
 * FedAvg's mean (McMahan et al. 2017): the changes weighted by their sample
 * counts. What central training on the pooled data approximates best; one
 * bad update moves it without bound.
 */
export function meanAggregator (): Aggregator {
  return {
    describe: 'mean',
    minContributions: 1,
    aggregate: changes => weightedSum(changes, sampleShares(changes.contributions))
  }
}
