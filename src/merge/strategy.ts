/**
 * A strategy is an aggregator (how the round's changes become one change)
 * followed by a server step (how that change moves the model). The strategy
 * merges the model's tensors; data statistics carried after them (see
 * src/data/normalization.ts) are always pooled as sample-weighted means.
 */
import { sameShapes } from '../model/weights.ts'
import type { Weights } from '../model/weights.ts'
import { byPeer, sampleShares, weightedSum } from './changes.ts'
import type { Aggregator, MergeInput, MergeResult, MergeStrategy, ServerStep, Slices } from './types.ts'

export function composeStrategy (name: string, aggregator: Aggregator, server: ServerStep & { stateSlots: number }, proximalMu = 0): MergeStrategy {
  const parts = [aggregator.describe, server.describe, proximalMu > 0 ? `proximal mu ${proximalMu}` : ''].filter(p => p !== '')
  return {
    describe: `${name} (${parts.join('; ')})`,
    minContributions: aggregator.minContributions,
    stateSlots: server.stateSlots,
    proximalMu,
    merge: function * (input: MergeInput): Slices<MergeResult> {
      const contributions = byPeer(input.contributions)
      checkContributions(contributions, input.base, aggregator.minContributions)
      const split = input.modelTensors ?? input.base.length
      const model = { base: input.base.slice(0, split), contributions: contributions.map(c => ({ ...c, weights: c.weights.slice(0, split) })) }
      const change = yield * aggregator.aggregate(model)
      const { weights, state } = yield * server.step(model.base, change, input.state)
      const statistics = { base: input.base.slice(split), contributions: contributions.map(c => ({ ...c, weights: c.weights.slice(split) })) }
      const pooled = yield * weightedSum(statistics, sampleShares(contributions))
      const pooledStatistics = statistics.base.map((t, i) => ({ shape: [...t.shape], values: t.values.map((v, k) => v + pooled[i].values[k]) }))
      return { weights: [...weights, ...pooledStatistics], state, samples: contributions.reduce((n, c) => n + c.samples, 0) }
    }
  }
}

function checkContributions (contributions: MergeInput['contributions'], base: Weights, needed: number): void {
  if (contributions.length < needed) throw new Error(`the merge needs at least ${needed} contributions, got ${contributions.length}`)
  for (const c of contributions) {
    if (!(c.samples > 0)) throw new Error(`contribution from ${c.peer} has ${c.samples} samples; every contribution needs at least one`)
    if (!sameShapes(base, c.weights)) throw new Error(`contribution from ${c.peer} has tensors of other shapes than the model`)
  }
}
