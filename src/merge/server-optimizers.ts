/**
 * What a merge does with the round's aggregated change Δ (the pseudo-gradient,
 * with the sign of a step): apply it (FedAvg), or take a server optimizer
 * step with it (Reddi et al., "Adaptive Federated Optimization", 2021; Hsu et
 * al. 2019 for server momentum). The optimizer's moments are the swarm's
 * state: they travel with each global model, so whichever peer leads the next
 * round continues from them.
 */
import type { Weights } from '../model/weights.ts'
import { zerosLike } from './changes.ts'
import { inSlices } from './slices.ts'
import type { ServerStep, Slices } from './types.ts'

export const SERVER_OPTIMIZERS = ['none', 'momentum', 'adam', 'yogi'] as const
export type ServerOptimizerName = typeof SERVER_OPTIMIZERS[number]

export interface ServerOptimizerSettings {
  /** η; unset: DEFAULT_SERVER_LEARNING_RATE */
  serverLearningRate: number | undefined
  /** β (momentum) or β1 (adam, yogi); unset: DEFAULT_SERVER_MOMENTUM */
  serverMomentum: number | undefined
  /** β2 (adam, yogi) */
  serverBeta2: number
  /** τ, the adaptivity of adam and yogi */
  serverTau: number
}

/** the server learning rate of each optimizer when --server-learning-rate is unset */
export const DEFAULT_SERVER_LEARNING_RATE: Record<ServerOptimizerName, number> = { none: 1, momentum: 1, adam: 0.03, yogi: 0.03 }

/** β of server momentum, β1 of adam and yogi, when --server-momentum is unset (bench/strategies.ts picked them) */
export const DEFAULT_SERVER_MOMENTUM: Record<ServerOptimizerName, number> = { none: 0, momentum: 0.8, adam: 0.9, yogi: 0.9 }

export function serverStep (name: ServerOptimizerName, settings: ServerOptimizerSettings): ServerStep & { stateSlots: number } {
  const eta = settings.serverLearningRate ?? DEFAULT_SERVER_LEARNING_RATE[name]
  const beta1 = settings.serverMomentum ?? DEFAULT_SERVER_MOMENTUM[name]
  const { serverBeta2: beta2, serverTau: tau } = settings
  switch (name) {
    case 'none':
      return { describe: eta === 1 ? '' : `lr ${eta}`, stateSlots: 0, step: (base, change) => elementWise(base, change, [], (x, d) => x + eta * d) }
    case 'momentum':
      // m ← β·m + Δ ; x ← x + η·m
      return {
        describe: `server momentum ${beta1}, lr ${eta}`,
        stateSlots: 1,
        step: (base, change, state) => elementWise(base, change, state, (x, d, s) => {
          s[0] = beta1 * s[0] + d
          return x + eta * s[0]
        }, 1)
      }
    case 'adam':
    case 'yogi':
      // m ← β1·m + (1 − β1)·Δ ; v ← β2·v + (1 − β2)·Δ² (adam) or v − (1 − β2)·Δ²·sign(v − Δ²) (yogi) ; x ← x + η·m / (√v + τ)
      return {
        describe: `server ${name}, lr ${eta}, beta1 ${beta1}, beta2 ${beta2}, tau ${tau}`,
        stateSlots: 2,
        step: (base, change, state) => elementWise(base, change, state, (x, d, s) => {
          s[0] = beta1 * s[0] + (1 - beta1) * d
          const square = d * d
          s[1] = name === 'adam' ? beta2 * s[1] + (1 - beta2) * square : s[1] - (1 - beta2) * square * Math.sign(s[1] - square)
          return x + eta * s[0] / (Math.sqrt(s[1]) + tau)
        }, 2)
      }
  }
}

/**
 * Applies `update(x, Δ, s)` to every coordinate; `s` holds the coordinate's
 * `slots` state values (momentum; first and second moment), read from and
 * written back to the state tensors: `slots` tensors per model tensor, zeros
 * when the state is empty (the first round).
 */
function * elementWise (base: Weights, change: Weights, state: Weights, update: (x: number, d: number, s: Float64Array) => number, slots = 0): Slices<{ weights: Weights, state: Weights }> {
  const fresh = state.length === 0
  const next: Weights = fresh
    ? Array.from({ length: slots }, () => zerosLike(base)).flat()
    : state.map(t => ({ shape: [...t.shape], values: Float32Array.from(t.values) }))
  const weights = zerosLike(base)
  const s = new Float64Array(slots)
  for (const [t, tensor] of base.entries()) {
    const slotValues = Array.from({ length: slots }, (_, j) => next[j * base.length + t].values)
    yield * inSlices(tensor.values.length, (from, to) => {
      for (let k = from; k < to; k++) {
        for (let j = 0; j < slots; j++) s[j] = slotValues[j][k]
        weights[t].values[k] = update(tensor.values[k], change[t].values[k], s)
        for (let j = 0; j < slots; j++) slotValues[j][k] = s[j]
      }
    })
  }
  return { weights, state: next }
}
