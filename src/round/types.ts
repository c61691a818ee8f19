import { createHash } from 'node:crypto'
import { modelHash } from '../model/weights.ts'
import type { Weights } from '../model/weights.ts'
import type { MaskedVector } from '../wire/messages.ts'

/** A global model: the merged result of one round (round 0 is the seeded genesis model). */
export interface GlobalModel {
  round: number
  weights: Weights
  /** globalHash(weights, state, definition) */
  modelHash: string
  /** peers whose updates were merged, sorted; they are the next round's participants */
  contributors: string[]
  /** the peer that merged it; empty for the genesis model */
  merger: string
  /** total samples behind it */
  samples: number
  /** the merge strategy's swarm-held state (server optimizer moments); empty when it keeps none */
  state: Weights
  /** updateHash of each contributor's update, in the order of `contributors`: the exact set merged */
  updateHashes: string[]
}

/** One peer's locally trained weights for a round, trained from the global model `baseHash`. */
export interface ModelUpdate {
  round: number
  from: string
  baseHash: string
  samples: number
  weights: Weights
  /** with secure aggregation: the masked vector (weights then hold its bytes, for the update hash only) */
  masked?: MaskedVector
  /** 32 random bytes the update came with, seen only by the round's holders: the update hash is salted with them */
  salt?: Uint8Array
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

/** The hash of a global model: its weights and the strategy state it carries, in the swarm's definition. */
export function globalHash (weights: Weights, state: Weights, definition = ''): string {
  return modelHash(state.length === 0 ? weights : [...weights, ...state], definition)
}

/**
 * The hash of one update, as its offer and a merged model list it: its
 * weights' model hash, salted with the update's random salt, so that someone
 * who can guess an update (a candidate dataset, the swarm's seed) cannot
 * test the guess against the hash; only the round's holders see the salt.
 */
export function updateHash (update: { weights: Weights, salt?: Uint8Array }): string {
  const weights = modelHash(update.weights)
  if (update.salt === undefined) return weights
  return createHash('sha256').update('swarm/update/').update(update.salt).update(weights).digest('hex')
}
