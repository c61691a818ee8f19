/**
 * DP-SGD (Abadi et al. 2016, "Deep learning with differential privacy") for
 * local training: each example's gradient, over all trainable weights
 * together, is clipped to L2 norm C; the clipped gradients are summed,
 * N(0, σ²C²) noise is added to every coordinate of the sum, the result is
 * divided by the batch size, and the optimizer steps with it.
 *
 * Batches are fixed-size slices of a seeded shuffle, not Poisson samples.
 * The accountant (./accountant.ts) is then given sampleRate = batchSize /
 * samples, the usual practice (TF Privacy's tutorials, Opacus without
 * Poisson sampling); strictly, the Poisson analysis does not cover shuffled
 * batches, so the ε it reports is the customary estimate, not a proof.
 */
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from '../model/backend.ts'
import { gaussianNoise } from './gaussian.ts'
import { randomSeed } from './secure-aggregation/crypto.ts'

export interface DpSgdOptions {
  /** C: each example's gradient is scaled down to at most this L2 norm */
  clipNorm: number
  /** σ: the noise on the sum of clipped gradients has standard deviation σ·C */
  noiseMultiplier: number
  /** the seed of each step's noise (./gaussian.ts): fresh random bytes unless a test passes its own */
  seed?: () => Uint8Array
}

/** A Keras-style loss (as in `tf.metrics`): targets and predictions in, one loss per example out. */
export type ExampleLoss = (targets: TF.Tensor, predictions: TF.Tensor) => TF.Tensor

export class DpSgd {
  private readonly tf: Tfjs
  private readonly model: TF.LayersModel
  private readonly optimizer: TF.Optimizer
  private readonly loss: ExampleLoss
  private readonly clipNorm: number
  private readonly noiseStd: number
  private readonly seed: () => Uint8Array

  constructor (tf: Tfjs, model: TF.LayersModel, optimizer: TF.Optimizer, loss: ExampleLoss, options: DpSgdOptions) {
    if (!(options.clipNorm > 0)) throw new RangeError(`the clipping norm must be above 0, not ${options.clipNorm}`)
    if (!(options.noiseMultiplier >= 0)) throw new RangeError(`the noise multiplier must be ≥ 0, not ${options.noiseMultiplier}`)
    this.tf = tf
    this.model = model
    this.optimizer = optimizer
    this.loss = loss
    this.clipNorm = options.clipNorm
    this.noiseStd = options.noiseMultiplier * options.clipNorm
    this.seed = options.seed ?? randomSeed
  }

  /**
   * One epoch over `xs`, `ys` (already in the epoch's order) in batches of
   * `batchSize`, the last one possibly smaller, as tfjs's fit cuts them;
   * `afterBatch` runs after each step. Returns the mean loss of the examples
   * before their step, as fit reports it.
   */
  async trainEpoch (xs: TF.Tensor, ys: TF.Tensor, batchSize: number, afterBatch: (batch: number, logs: { loss: number }) => Promise<void>): Promise<number> {
    const count = xs.shape[0]
    let lossSum = 0
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start)
      const [batchX, batchY] = [xs.slice(start, size), ys.slice(start, size)]
      let loss: number
      try {
        loss = this.step(batchX, batchY)
      } finally {
        batchX.dispose()
        batchY.dispose()
      }
      lossSum += loss * size
      await afterBatch(start / batchSize, { loss })
    }
    return lossSum / count
  }

  /** One DP-SGD step on a batch; returns the batch's mean loss before the step. */
  step (xs: TF.Tensor, ys: TF.Tensor): number {
    const variables = this.model.trainableWeights.map(w => w.read() as TF.Variable)
    const { sums, lossSum } = this.clippedGradientSum(variables, xs, ys)
    const size = xs.shape[0]
    const gradients = addGaussianNoise(this.tf, sums, this.noiseStd, this.seed())
    const averaged = gradients.map(g => g.div(size))
    try {
      this.optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: averaged[i] })))
      return lossSum.dataSync()[0] / size
    } finally {
      this.tf.dispose([...sums, ...gradients, ...averaged, lossSum])
    }
  }

  /**
   * Σᵢ gᵢ·min(1, C/‖gᵢ‖) over the batch's examples and the sum of their
   * losses. tfjs has no per-example gradients, so each example gets its own
   * backward pass.
   */
  private clippedGradientSum (variables: TF.Variable[], xs: TF.Tensor, ys: TF.Tensor): { sums: TF.Tensor[], lossSum: TF.Tensor } {
    const { tf } = this
    let sums = variables.map(v => tf.zerosLike(v) as TF.Tensor)
    let lossSum: TF.Tensor = tf.scalar(0)
    for (let i = 0; i < xs.shape[0]; i++) {
      const next = tf.tidy(() => {
        const [x, y] = [xs.slice(i, 1), ys.slice(i, 1)]
        const { value, grads } = tf.variableGrads(() => this.loss(y, this.model.apply(x, { training: true }) as TF.Tensor).sum() as TF.Scalar, variables)
        const gradients = variables.map(v => grads[v.name])
        const norm = tf.sqrt(tf.addN(gradients.map(g => tf.sum(tf.square(g)))))
        // a zero gradient gives C/0 = ∞ and keeps its scale of 1
        const scale = tf.minimum(1, tf.div(this.clipNorm, norm))
        return { sums: gradients.map((g, k) => sums[k].add(g.mul(scale))), lossSum: lossSum.add(value) }
      })
      tf.dispose([...sums, lossSum])
      sums = next.sums
      lossSum = next.lossSum
    }
    return { sums, lossSum }
  }
}

/** `tensors` each plus independent N(0, std²) noise in every coordinate (new tensors), drawn from `seed`. */
function addGaussianNoise (tf: Tfjs, tensors: TF.Tensor[], std: number, seed: Uint8Array): TF.Tensor[] {
  const noise = gaussianNoise(tensors.reduce((n, t) => n + t.size, 0), std, seed)
  let offset = 0
  return tensors.map(t => tf.tidy(() => {
    const part = Float32Array.from(noise.subarray(offset, offset + t.size))
    offset += t.size
    return t.add(tf.tensor(part, t.shape))
  }))
}
