/**
 * Local training: the tfjs shell around the model. It takes global weights in,
 * trains on the peer's own data and hands weights back out; nothing else in
 * the library touches tfjs.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import type { Dataset } from '../data/dataset.ts'
import type { ModelSpec } from './spec.ts'
import { layerSizes } from './spec.ts'
import type { Tfjs } from './backend.ts'
import { seededRandom, shuffle } from '../data/random.ts'
import type { Weights } from './weights.ts'

export interface TrainingOptions {
  learningRate: number
  batchSize: number
  /** local epochs per round */
  epochs: number
}

export interface Evaluation {
  accuracy: number
  loss: number
}

interface TensorPair { x: TF.Tensor2D, y: TF.Tensor2D }

/** test samples evaluated between two yields to the event loop */
const EVALUATION_BATCH = 128

export class LocalTrainer {
  private readonly tf: Tfjs
  private readonly model: TF.Sequential
  private readonly options: TrainingOptions
  private readonly cached = new Map<Dataset, TensorPair>()

  constructor (tf: Tfjs, spec: ModelSpec, options: TrainingOptions) {
    this.tf = tf
    this.options = options
    this.model = tf.sequential()
    const layers = layerSizes(spec)
    layers.forEach(([rows, cols], i) => {
      const last = i === layers.length - 1
      this.model.add(tf.layers.dense({
        units: cols,
        inputShape: i === 0 ? [rows] : undefined,
        activation: last ? 'softmax' : 'relu'
      }))
    })
    this.model.compile({
      optimizer: tf.train.sgd(options.learningRate),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy']
    })
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
   * Trains the current weights for the configured epochs; returns the last
   * epoch's loss. Each epoch visits the samples in an order drawn from
   * `seed`, so the same weights, data and seed give the same trained weights
   * (tfjs's own shuffling uses Math.random).
   */
  async train (data: Dataset, seed: number): Promise<{ loss: number }> {
    const { x, y } = this.tensors(data)
    const random = seededRandom(seed)
    let loss = NaN
    for (let epoch = 0; epoch < this.options.epochs; epoch++) {
      const order = this.tf.tensor1d(shuffle(Array.from({ length: data.count }, (_, i) => i), random), 'int32')
      const [xs, ys] = [x.gather(order), y.gather(order)]
      try {
        const history = await this.model.fit(xs, ys, {
          epochs: 1,
          batchSize: this.options.batchSize,
          shuffle: false,
          verbose: 0,
          // let the network breathe between batches: a peer that stops answering looks dead to the others
          callbacks: { onBatchEnd: async () => { await new Promise(resolve => setImmediate(resolve)) } }
        })
        loss = (history.history.loss as number[])[0]
      } finally {
        for (const t of [order, xs, ys]) t.dispose()
      }
    }
    return { loss }
  }

  /**
   * Accuracy and mean loss on `data`, a batch at a time, yielding to the event
   * loop between batches: for a large model one pass over the test set takes
   * seconds, and a peer that stops answering for long looks dead to the others.
   */
  async evaluate (data: Dataset): Promise<Evaluation> {
    const { x, y } = this.tensors(data)
    let lossSum = 0
    let correct = 0
    for (let start = 0; start < data.count; start += EVALUATION_BATCH) {
      const size = Math.min(EVALUATION_BATCH, data.count - start)
      const batch = this.tf.tidy(() => {
        const labels = y.slice([start, 0], [size, -1])
        const probabilities = this.model.predict(x.slice([start, 0], [size, -1])) as TF.Tensor2D
        return {
          loss: this.tf.metrics.categoricalCrossentropy(labels, probabilities).sum().dataSync()[0],
          correct: probabilities.argMax(1).equal(labels.argMax(1)).sum().dataSync()[0]
        }
      })
      lossSum += batch.loss
      correct += batch.correct
      await new Promise(resolve => setImmediate(resolve))
    }
    return { accuracy: correct / data.count, loss: lossSum / data.count }
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
      const x = this.tf.tensor2d(data.features, [data.count, data.featureSize])
      const y = this.tf.tidy(() => this.tf.oneHot(this.tf.tensor1d(data.labels, 'int32'), data.numClasses).toFloat() as TF.Tensor2D)
      pair = { x, y }
      this.cached.set(data, pair)
    }
    return pair
  }
}

/** Write to a temporary file and rename, so a crash never leaves a torn file. */
export function writeAtomically (file: string, content: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, content)
  renameSync(tmp, file)
}
