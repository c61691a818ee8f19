/**
 * The content checks every received update and global model passes before
 * the round machine sees it. Pure functions: they name what is wrong (a drop
 * reason and a detail for the operator) or return undefined. Round-level
 * checks (stale, future, duplicate, illegitimate leader) live in the round
 * machine, which knows the rounds.
 */
import { definitionDifference } from '../model/definition.ts'
import { globalHash } from './types.ts'
import type { Weights } from '../model/weights.ts'

/** Why a message was dropped; each is counted and listed in docs/PROTOCOL.md. */
export type DropReason =
  | 'malformed' | 'incomplete' | 'oversized' | 'flood'
  | 'stale-round' | 'future-round' | 'duplicate-update'
  | 'sender-mismatch' | 'bad-shapes' | 'not-finite' | 'norm-too-large' | 'bad-samples'
  | 'not-leader' | 'hash-mismatch' | 'other-definition' | 'contradicted' | 'not-allowed'

export interface Rejection {
  reason: DropReason
  detail: string
}

export interface ValidationLimits {
  /** largest accepted L2 norm of an update's change to the global model it was trained from */
  maxUpdateNorm: number
  /** largest accepted sample count of one update */
  maxSamples: number
  /** the norm bound covers the model's first this many tensors (default all): data statistics carried after them are not weights */
  boundedTensors?: number
}

/** Tensor count and shapes as the swarm's model, every value finite. */
export function checkWeights (weights: Weights, reference: Weights): Rejection | undefined {
  if (weights.length !== reference.length) {
    return { reason: 'bad-shapes', detail: `${weights.length} tensors where this peer's model has ${reference.length}` }
  }
  for (let i = 0; i < weights.length; i++) {
    const shape = weights[i].shape
    if (shape.length !== reference[i].shape.length || shape.some((d, j) => d !== reference[i].shape[j])) {
      return { reason: 'bad-shapes', detail: `tensor ${i} has shape [${shape.join(', ')}] where this peer's model has [${reference[i].shape.join(', ')}]` }
    }
    if (weights[i].values.length !== reference[i].values.length) {
      return { reason: 'bad-shapes', detail: `tensor ${i} holds ${weights[i].values.length} values for shape [${shape.join(', ')}]` }
    }
  }
  for (const [i, tensor] of weights.entries()) {
    for (const v of tensor.values) {
      if (!Number.isFinite(v)) return { reason: 'not-finite', detail: `tensor ${i} holds ${v}` }
    }
  }
  return undefined
}

/** An update trained from `base`: its sample count, and its change to `base` (shapes, values, size). */
export function checkUpdate (update: { change: Weights, samples: number }, base: Weights, limits: ValidationLimits): Rejection | undefined {
  const { samples } = update
  if (!Number.isSafeInteger(samples) || samples < 1 || samples > limits.maxSamples) {
    return { reason: 'bad-samples', detail: `sample count ${samples} is not between 1 and ${limits.maxSamples}` }
  }
  const problem = checkWeights(update.change, base)
  if (problem !== undefined) return problem
  const norm = l2Norm(update.change.slice(0, limits.boundedTensors))
  if (norm > limits.maxUpdateNorm) {
    return { reason: 'norm-too-large', detail: `the update changes the model by ${norm.toFixed(1)} (L2), more than the bound of ${limits.maxUpdateNorm}` }
  }
  return undefined
}

/**
 * A global model: of this swarm's definition, shapes, finite values, a hash
 * that matches its weights, and, when it came by gossip, a merger that is the
 * message's verified signer.
 */
export function checkGlobal (model: { weights: Weights, state?: Weights, modelHash: string, merger: string, definition?: string }, reference: Weights, signer?: string, definition = '', strategy: StateShape = { stateSlots: 0, modelTensors: reference.length }): Rejection | undefined {
  if (signer !== undefined && model.merger !== signer) {
    return { reason: 'sender-mismatch', detail: `a global model signed by ${signer} claims to be merged by ${model.merger}` }
  }
  if ((model.definition ?? '') !== definition) return { reason: 'other-definition', detail: definitionDifference(definition, model.definition ?? '') }
  const problem = checkWeights(model.weights, reference)
  if (problem !== undefined) return problem
  const state = model.state ?? []
  if (state.length > 0) {
    const expected = Array.from({ length: strategy.stateSlots }, () => reference.slice(0, strategy.modelTensors)).flat()
    const problem = checkWeights(state, expected)
    if (problem !== undefined) return { reason: problem.reason, detail: `its merge strategy state: ${problem.detail}` }
  }
  if (globalHash(model.weights, state, definition) !== model.modelHash) return { reason: 'hash-mismatch', detail: 'the weights do not match the announced model hash' }
  return undefined
}

/** The strategy state a global model may carry: empty, or `stateSlots` tensors shaped as each of the first `modelTensors` model tensors. */
export interface StateShape {
  stateSlots: number
  modelTensors: number
}

/** L2 norm of all values, accumulated in float64. */
export function l2Norm (weights: Weights): number {
  let sum = 0
  for (const tensor of weights) {
    for (const v of tensor.values) sum += v * v
  }
  return Math.sqrt(sum)
}
