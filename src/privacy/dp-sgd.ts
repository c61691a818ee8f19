/**
 * DP-SGD (Abadi et al. 2016, "Deep learning with differential privacy") for
 * local training: each example's gradient, over all trainable weights
 * together, is clipped to L2 norm C; the clipped gradients are summed,
 * N(0, σ²C²) noise is added to every coordinate of the sum, the result is
 * divided by the expected batch size, and the optimizer steps with it.
 *
 * Batches are Poisson samples, as the accountant (./accountant.ts) assumes:
 * at each of ⌈samples / batch size⌉ steps of an epoch, every record joins
 * the batch on its own with probability q = batch size / samples (so a batch
 * may be empty, and the step is then noise alone). The coin flips come from
 * the operating system's cryptographic generator, secret to the site: no
 * other member can tell which records a step used, which is what
 * amplification by subsampling needs (Opacus samples the same way).
 */
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from '../model/backend.ts'
import { gaussianNoise } from './gaussian.ts'
import { randomSeed } from './secure-aggregation/crypto.ts'

/** uniform draws in [0, 1) per call, one per record; a test may pass a seeded one */
export type Coins = (count: number) => Float64Array

/** `count` uniforms in [0, 1) from the cryptographic generator (32 bits each). */
export function secureCoins (count: number): Float64Array {
  const words = new Uint32Array(count)
  // getRandomValues fills at most 65,536 bytes per call
  for (let start = 0; start < count; start += 16_384) crypto.getRandomValues(words.subarray(start, Math.min(count, start + 16_384)))
  return Float64Array.from(words, w => w / 2 ** 32)
}

/** One Poisson batch: the indices of the `count` records each drawn with probability `rate`. */
export function poissonBatch (count: number, rate: number, coins: Coins = secureCoins): number[] {
  const draws = coins(count)
  const batch: number[] = []
  for (let i = 0; i < count; i++) if (draws[i] < rate) batch.push(i)
  return batch
}

/** The sampling of one epoch: the rate and the number of steps the accountant is told of. */
export function epochSampling (count: number, batchSize: number): { rate: number, steps: number } {
  return { rate: Math.min(1, batchSize / count), steps: Math.ceil(count / batchSize) }
}

export interface DpSgdOptions {
  /** C: each example's gradient is scaled down to at most this L2 norm */
  clipNorm: number
  /** σ: the noise on the sum of clipped gradients has standard deviation σ·C */
  noiseMultiplier: number
  /** the seed of each step's noise (./gaussian.ts): fresh random bytes unless a test passes its own */
  seed?: () => Uint8Array
  /** the coin flips of Poisson sampling: the cryptographic generator unless a test passes its own */
  coins?: Coins
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
  private readonly coins: Coins

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
    this.coins = options.coins ?? secureCoins
  }

  /**
   * One epoch over the records `xs`, `ys`: ⌈records / batchSize⌉ steps, each
   * on a Poisson batch (see above); `afterBatch` runs after each step.
   * Returns the mean loss of the examples before their step.
   */
  async trainEpoch (xs: TF.Tensor, ys: TF.Tensor, batchSize: number, afterBatch: (batch: number, logs: { loss: number }) => Promise<void>): Promise<number> {
    const count = xs.shape[0]
    const { rate, steps } = epochSampling(count, batchSize)
    let [lossSum, examples] = [0, 0]
    for (let step = 0; step < steps; step++) {
      const indices = this.tf.tensor1d(poissonBatch(count, rate, this.coins), 'int32')
      const [batchX, batchY] = [xs.gather(indices), ys.gather(indices)]
      let loss: number
      try {
        loss = this.step(batchX, batchY, rate * count)
      } finally {
        this.tf.dispose([indices, batchX, batchY])
      }
      const size = batchX.shape[0]
      if (size > 0) [lossSum, examples] = [lossSum + loss * size, examples + size]
      await afterBatch(step, { loss })
    }
    return examples === 0 ? NaN : lossSum / examples
  }

  /**
   * One DP-SGD step on a batch (possibly empty: then the step is the noise
   * alone), the noisy sum divided by `expectedSize` (the batch size, when
   * not given); returns the batch's mean loss before the step.
   */
  step (xs: TF.Tensor, ys: TF.Tensor, expectedSize = xs.shape[0]): number {
    const variables = this.model.trainableWeights.map(w => w.read() as TF.Variable)
    const { sums, lossSum } = this.clippedGradientSum(variables, xs, ys)
    const size = xs.shape[0]
    const gradients = addGaussianNoise(this.tf, sums, this.noiseStd, this.seed())
    const averaged = gradients.map(g => g.div(Math.max(1, expectedSize)))
    try {
      this.optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: averaged[i] })))
      return size === 0 ? NaN : lossSum.dataSync()[0] / size
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
