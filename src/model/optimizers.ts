/**
 * The local optimizers a peer may train with. Each round starts a fresh
 * optimizer from the global model, so its state (momentum, Adam's moments)
 * never carries one round's local path into the next, and a restarted peer
 * trains exactly as one that never stopped.
 */
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backend.ts'

export interface OptimizerSettings {
  learningRate: number
  momentum: number
}

export const OPTIMIZERS = {
  sgd: (tf: Tfjs, s: OptimizerSettings): TF.Optimizer => tf.train.sgd(s.learningRate),
  momentum: (tf: Tfjs, s: OptimizerSettings): TF.Optimizer => tf.train.momentum(s.learningRate, s.momentum),
  adam: (tf: Tfjs, s: OptimizerSettings): TF.Optimizer => tf.train.adam(s.learningRate)
}

export type OptimizerName = keyof typeof OPTIMIZERS

export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[]
