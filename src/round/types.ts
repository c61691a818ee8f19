import type { Weights } from '../model/weights.ts'

/** A global model: the merged result of one round (round 0 is the seeded genesis model). */
export interface GlobalModel {
  round: number
  weights: Weights
  /** modelHash(weights) */
  modelHash: string
  /** peers whose updates were merged, sorted; they are the next round's participants */
  contributors: string[]
  /** the peer that merged it; empty for the genesis model */
  merger: string
  /** total samples behind it */
  samples: number
}

/** One peer's locally trained weights for a round, trained from the global model `baseHash`. */
export interface ModelUpdate {
  round: number
  from: string
  baseHash: string
  samples: number
  weights: Weights
}

/**
 * Of two global models for the same round, the one every peer keeps: more
 * contributors wins, then the smaller hash. A total order, so peers that see
 * the same candidates in any order settle on the same model.
 */
export function preferredGlobal (a: GlobalModel, b: GlobalModel): GlobalModel {
  if (a.contributors.length !== b.contributors.length) return a.contributors.length > b.contributors.length ? a : b
  return a.modelHash <= b.modelHash ? a : b
}
