import type { Weights } from '../model/weights.ts'

/** One peer's trained weights for a round and how many samples produced them. */
export interface Contribution {
  peer: string
  weights: Weights
  samples: number
}

export interface MergeResult {
  weights: Weights
  /** total samples behind the merged model */
  samples: number
}

/**
 * A merge method: a pure function of the round's contributions. Robust and
 * private methods (median, trimmed mean, Krum, …) plug in with this signature.
 */
export type MergeMethod = (contributions: Contribution[]) => MergeResult
