import type { Weights } from '../model/weights.ts'
import type { MaskedVector } from '../wire/messages.ts'

/** One peer's trained weights for a round and how many samples produced them. */
export interface Contribution {
  peer: string
  weights: Weights
  samples: number
  /** with secure aggregation: the masked update, which only its unmasked sum makes sense of */
  masked?: MaskedVector
  /** the update's salt, which only the round's holders see (client-level DP draws the merge's noise from the salts) */
  salt?: Uint8Array
}

/**
 * A merge's work, cut in slices: it yields between slices so a peer can run
 * it between network events (runInSlices), and a test can run it at once
 * (runToEnd). The slicing never changes the result.
 */
export type Slices<T> = Generator<void, T, undefined>

/**
 * What a round's merge starts from: the global model the updates were
 * trained from, the updates, and the state the strategy left in that model.
 */
export interface MergeInput {
  base: Weights
  contributions: Contribution[]
  /** the swarm-held state of the strategy (server optimizer moments); empty at the genesis model */
  state: Weights
  /**
   * the strategy merges the first this many tensors (the model's); the
   * tensors after them are data statistics pooled as sample-weighted means
   * (default: all tensors are the model's)
   */
  modelTensors?: number
}

export interface MergeResult {
  weights: Weights
  /** the strategy's state after this round; it travels with the global model */
  state: Weights
  /** total samples behind the merged model */
  samples: number
}

/** The changes (trained weights minus the base) of a round, model tensors only, sorted by peer. */
export interface Changes {
  base: Weights
  contributions: Contribution[]
}

/**
 * Turns a round's changes into one change: a weighted mean, or a rule that
 * a few bad changes cannot steer.
 */
export interface Aggregator {
  /** what it is and its settings, as the swarm definition and logs say it */
  describe: string
  /** the fewest contributions it can merge; fewer and a round waits */
  minContributions: number
  aggregate: (changes: Changes) => Slices<Weights>
}

/** Applies the aggregated change to the model: plainly, or as a server optimizer step with state. */
export interface ServerStep {
  describe: string
  step: (base: Weights, change: Weights, state: Weights) => Slices<{ weights: Weights, state: Weights }>
}

/**
 * A merge strategy: how a round's updates become the next global model.
 * Every peer of a swarm runs the same one (it is part of the swarm's
 * definition), so holders of a round's updates compute the same bytes.
 */
export interface MergeStrategy {
  /** the strategy and its settings, e.g. "fedadam(mean; lr 0.01, beta1 0.9, beta2 0.99, tau 0.001)" */
  describe: string
  /** the fewest contributions it can merge; fewer and a round waits */
  minContributions: number
  /** state tensors per model tensor it keeps across rounds (0: none; momentum 1; adam and yogi 2) */
  stateSlots: number
  /** weight of the proximal term μ/2·‖w − w_global‖² in local training (FedProx); 0 for none */
  proximalMu: number
  merge: (input: MergeInput) => Slices<MergeResult>
}
