/**
 * Local training: the tfjs shell around the model. It takes global weights in,
 * trains on the peer's own data and hands weights back out; nothing else in
 * the library touches tfjs.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import type { Dataset } from '../data/dataset.ts'
import type { Tfjs } from './backend.ts'
import type { Metrics, Task } from './tasks.ts'
import { seededRandom, shuffle } from '../data/random.ts'
import type { Weights } from './weights.ts'
import { DpSgd } from '../privacy/dp-sgd.ts'
import type { DpSgdOptions } from '../privacy/dp-sgd.ts'

export interface TrainingOptions {
  task: Task
  /** classes of the data (0 for regression) */
  classes: number
  /** a fresh optimizer for one round of local training */
  optimizer: () => TF.Optimizer
  batchSize: number
  /** local epochs per round */
  epochs: number
  /** FedProx's μ: after each batch the weights step towards the round's start by learningRate·μ·(w − w_start); 0 for none */
  proximalMu?: number
  /** the local optimizer's learning rate, for the proximal step */
  learningRate?: number
  /**
   * Train with DP-SGD (src/privacy/dp-sgd.ts) instead of tfjs's fit: each
   * example's gradient clipped to `clipNorm`, Gaussian noise of σ·clipNorm
   * on their sum. For the accountant each step samples batchSize / samples.
   */
  dpSgd?: DpSgdOptions
}

/** where local training is: for progress lines */
export interface EpochProgress { epoch: number, epochs: number, batch: number, batches: number, loss: number }

interface TensorPair { x: TF.Tensor, y: TF.Tensor2D }

/** samples predicted between two yields to the event loop */
const PREDICTION_BATCH = 128

export class LocalTrainer {
  private readonly tf: Tfjs
  readonly model: TF.LayersModel
  private readonly options: TrainingOptions
  private readonly cached = new Map<Dataset, TensorPair>()

  /** `model` is built for the data's samples and the task (src/model/models.ts) */
  constructor (tf: Tfjs, model: TF.LayersModel, options: TrainingOptions) {
    this.tf = tf
    this.model = model
    this.options = options
  }

  setWeights (weights: Weights): void {
    const tensors = weights.map(w => this.tf.tensor(w.values, w.shape))
    this.model.setWeights(tensors)
    for (const t of tensors) t.dispose()
  }

  getWeights (): Weights {
    return this.model.getWeights().map(t => ({ shape: [...t.shape], values: t.dataSync() as Float32Array }))
  }

  /**
   * Trains the current weights for the configured epochs with a fresh
   * optimizer; returns the last epoch's loss. Each epoch visits the samples
   * in an order drawn from `seed`, so the same weights, data and seed give
   * the same trained weights (tfjs's own shuffling uses Math.random).
   */
  async train (data: Dataset, seed: number, progress?: (p: EpochProgress) => void): Promise<{ loss: number }> {
    const { x, y } = this.tensors(data)
    const optimizer = this.options.optimizer()
    this.model.compile({ optimizer, loss: this.options.task.loss })
    const random = seededRandom(seed)
    const proximal = this.proximalStep()
    const batches = Math.ceil(data.count / this.options.batchSize)
    let epoch = 0
    const afterBatch = async (batch: number, logs?: { loss?: number }): Promise<void> => {
      proximal?.step()
      progress?.({ epoch: epoch + 1, epochs: this.options.epochs, batch: batch + 1, batches, loss: logs?.loss ?? NaN })
      // let the network breathe between batches: a peer that stops answering looks dead to the others
      await new Promise(resolve => setImmediate(resolve))
    }
    // tf.metrics holds the same per-example Keras losses that compile looks up by the task's loss name
    const dpSgd = this.options.dpSgd === undefined ? undefined : new DpSgd(this.tf, this.model, optimizer, this.tf.metrics[this.options.task.loss], this.options.dpSgd)
    let loss = NaN
    try {
      for (; epoch < this.options.epochs; epoch++) {
        if (dpSgd !== undefined) {
          // DP-SGD draws its own Poisson batches, secret to this site: no seeded order
          loss = await dpSgd.trainEpoch(x, y, this.options.batchSize, afterBatch)
          continue
        }
        const order = this.tf.tensor1d(shuffle(Array.from({ length: data.count }, (_, i) => i), random), 'int32')
        const [xs, ys] = [x.gather(order), y.gather(order)]
        try {
          const history = await this.model.fit(xs, ys, {
            epochs: 1,
            batchSize: this.options.batchSize,
            shuffle: false,
            verbose: 0,
            callbacks: { onBatchEnd: afterBatch }
          })
          loss = (history.history.loss as number[])[0]
        } finally {
          for (const t of [order, xs, ys]) t.dispose()
        }
      }
    } finally {
      optimizer.dispose()
      proximal?.dispose()
    }
    return { loss }
  }

  /**
   * FedProx (Li et al. 2020) adds μ/2·‖w − w_start‖² to the local loss, so a
   * site's model cannot drift far from the global one on skewed data. Its
   * gradient μ·(w − w_start) is applied as a step of its own after each batch
   * (a proximal gradient step), which keeps tfjs's fit loop and loss as they are.
   */
  private proximalStep (): { step: () => void, dispose: () => void } | undefined {
    const mu = this.options.proximalMu ?? 0
    if (mu === 0) return undefined
    const pull = Math.min(1, (this.options.learningRate ?? 0) * mu)
    const variables = this.model.weights.filter(v => v.trainable)
    const start = variables.map(v => this.tf.keep(v.read().clone()))
    return {
      step: () => {
        this.tf.tidy(() => {
          variables.forEach((v, i) => { v.write(v.read().mul(1 - pull).add(start[i].mul(pull))) })
        })
      },
      dispose: () => { for (const t of start) t.dispose() }
    }
  }

  /** The model's outputs for every sample of `data` (row-major, count × outputs). */
  async predict (data: Dataset): Promise<Float32Array> {
    return await predictInBatches(this.tf, this.model, this.tensors(data).x)
  }

  /** The task's metrics on labelled `data`. */
  async evaluate (data: Dataset): Promise<Metrics> {
    return this.options.task.metrics(await this.predict(data), data.labels)
  }

  /** Saves the current model in TensorFlow.js layers format (model.json + weights.bin). */
  async save (dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true })
    await this.model.save(this.tf.io.withSaveHandler(async artifacts => {
      const weightsFile = 'weights.bin'
      writeAtomically(join(dir, weightsFile), new Uint8Array(artifacts.weightData as ArrayBuffer))
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs }]
      }
      writeAtomically(join(dir, 'model.json'), JSON.stringify(modelJson))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }))
  }

  dispose (): void {
    for (const { x, y } of this.cached.values()) {
      x.dispose()
      y.dispose()
    }
    this.cached.clear()
    this.model.dispose()
  }

  private tensors (data: Dataset): TensorPair {
    let pair = this.cached.get(data)
    if (pair === undefined) {
      const { task, classes } = this.options
      const x = this.tf.tensor(data.features, [data.count, ...data.sampleShape])
      const y = this.tf.tensor2d(task.targets(data.labels, classes), [data.count, task.outputUnits(classes)])
      pair = { x, y }
      this.cached.set(data, pair)
    }
    return pair
  }
}

/**
 * The outputs of `model` for every sample of `x` (row-major, count ×
 * outputs), a batch at a time, yielding to the event loop between batches:
 * for a large model one pass takes seconds, and a peer that stops answering
 * for long looks dead to the others.
 */
export async function predictInBatches (tf: Tfjs, model: TF.LayersModel, x: TF.Tensor): Promise<Float32Array> {
  const count = x.shape[0]
  const outputs: Float32Array[] = []
  for (let start = 0; start < count; start += PREDICTION_BATCH) {
    const size = Math.min(PREDICTION_BATCH, count - start)
    outputs.push(tf.tidy(() => (model.predict(x.slice(start, size)) as TF.Tensor).dataSync() as Float32Array))
    await new Promise(resolve => setImmediate(resolve))
  }
  const all = new Float32Array(outputs.reduce((n, b) => n + b.length, 0))
  let offset = 0
  for (const batch of outputs) {
    all.set(batch, offset)
    offset += batch.length
  }
  return all
}

/** Write to a temporary file and rename, so a crash never leaves a torn file. */
export function writeAtomically (file: string, content: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, content)
  renameSync(tmp, file)
}
