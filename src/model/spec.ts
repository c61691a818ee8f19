/**
 * What model the swarm trains: every peer must build the same architecture and
 * the same initial weights from the same config, with no messages.
 */
import type { Weights } from './weights.ts'
import { seededRandom } from '../data/random.ts'

/** A multilayer perceptron: inputSize → hidden… (ReLU) → numClasses (softmax). */
export interface ModelSpec {
  inputSize: number
  hiddenLayers: number[]
  numClasses: number
}

/** The [rows, cols] of each dense layer, input to output. */
export function layerSizes (spec: ModelSpec): Array<[number, number]> {
  const widths = [spec.inputSize, ...spec.hiddenLayers, spec.numClasses]
  return widths.slice(1).map((width, i) => [widths[i], width])
}

/**
 * The genesis model: Glorot-uniform kernels and zero biases drawn from our own
 * seeded generator (not tfjs's), so every backend yields the same bytes.
 */
export function initialWeights (spec: ModelSpec, seed: number): Weights {
  const random = seededRandom(seed)
  const weights: Weights = []
  for (const [rows, cols] of layerSizes(spec)) {
    const limit = Math.sqrt(6 / (rows + cols))
    const kernel = new Float32Array(rows * cols)
    for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * random() - 1) * limit
    weights.push({ shape: [rows, cols], values: kernel })
    weights.push({ shape: [cols], values: new Float32Array(cols) })
  }
  return weights
}
