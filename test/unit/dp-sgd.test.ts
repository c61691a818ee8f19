import assert from 'node:assert/strict'
import { loadTensorflow } from '../../src/model/backend.ts'
import type { Tfjs } from '../../src/model/backend.ts'
import { modelKind } from '../../src/model/models.ts'
import { TASKS } from '../../src/model/tasks.ts'
import { LocalTrainer } from '../../src/model/trainer.ts'
import { subtractWeights } from '../../src/model/weights.ts'
import type { Weights } from '../../src/model/weights.ts'
import { l2Norm } from '../../src/round/validation.ts'
import { seededRandom } from '../../src/data/random.ts'
import type { Dataset } from '../../src/data/dataset.ts'
import { DpSgd, epochSampling, poissonBatch, secureCoins } from '../../src/privacy/dp-sgd.ts'
import type { Coins, DpSgdOptions } from '../../src/privacy/dp-sgd.ts'
import { privacyPlan } from '../../src/privacy/index.ts'

const input = { sampleShape: [6], task: TASKS.classification, classes: 3 }

/** seeds of each step's noise from a seeded generator, so a test run is reproducible */
function seededSeeds (seed: number): () => Uint8Array {
  const random = seededRandom(seed)
  return () => Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256))
}

/** coin flips from a seeded generator, so a test run is reproducible */
function seededCoins (seed: number): Coins {
  const random = seededRandom(seed)
  return count => Float64Array.from({ length: count }, () => random())
}

/** `count` samples of 6 features in 3 classes, each class a blob around its own centre */
function blobs (count: number, seed: number): Dataset {
  const random = seededRandom(seed)
  const labels = Float32Array.from({ length: count }, (_, i) => i % 3)
  const features = Float32Array.from({ length: count * 6 }, (_, k) => (Math.floor(k / 6) % 3 === k % 6 % 3 ? 2 : 0) + random() - 0.5)
  return { features, labels, count, sampleShape: [6], labelKind: 'class', classNames: ['a', 'b', 'c'] }
}

async function trainerWith (tf: Tfjs, learningRate: number, dpSgd?: DpSgdOptions, batchSize = 8): Promise<LocalTrainer> {
  const kind = modelKind('mlp', [5])
  const trainer = new LocalTrainer(tf, await kind.build(tf, input), { task: TASKS.classification, classes: 3, optimizer: () => tf.train.sgd(learningRate), batchSize, epochs: 1, dpSgd })
  trainer.setWeights(kind.genesis(trainer.model, 3))
  return trainer
}

/** how far one epoch of training on `data` moves the weights */
async function stepOf (trainer: LocalTrainer, data: Dataset): Promise<Weights> {
  const start = trainer.getWeights()
  await trainer.train(data, 1)
  return subtractWeights(trainer.getWeights(), start)
}

describe('DP-SGD in local training', () => {
  it('is plain SGD when nothing is clipped and no noise is added', async () => {
    const { tf } = await loadTensorflow()
    const data = blobs(8, 1)
    const plain = await trainerWith(tf, 0.1)
    const privately = await trainerWith(tf, 0.1, { clipNorm: 1e6, noiseMultiplier: 0 })
    const [expected, actual] = [await stepOf(plain, data), await stepOf(privately, data)]
    assert.ok(l2Norm(expected) > 1e-3, 'the plain step moves the weights')
    expected.forEach((w, i) => w.values.forEach((v, k) => assert.ok(Math.abs(v - actual[i].values[k]) < 1e-5, `weight ${i}[${k}]: ${actual[i].values[k]}, SGD ${v}`)))
    plain.dispose()
    privately.dispose()
  })

  it('bounds each example\'s pull on the weights by the clipping norm', async () => {
    const { tf } = await loadTensorflow()
    const [learningRate, clipNorm] = [0.5, 1e-3]
    // one example whose gradient is far above C moves the weights by exactly lr·C
    const single = await trainerWith(tf, learningRate, { clipNorm, noiseMultiplier: 0 }, 1)
    const moved = l2Norm(await stepOf(single, blobs(1, 2)))
    assert.ok(Math.abs(moved - learningRate * clipNorm) < 1e-4 * learningRate * clipNorm, `moved ${moved}`)
    // the mean of clipped gradients has norm at most C
    const batch = await trainerWith(tf, learningRate, { clipNorm, noiseMultiplier: 0 }, 8)
    const batchMoved = l2Norm(await stepOf(batch, blobs(8, 2)))
    assert.ok(batchMoved > 0 && batchMoved <= learningRate * clipNorm * (1 + 1e-5), `moved ${batchMoved}`)
    single.dispose()
    batch.dispose()
  })

  it('adds N(0, σ²C²) noise to the sum of clipped gradients, from the CSPRNG', async () => {
    const { tf } = await loadTensorflow()
    // a model whose loss has zero gradient: zero weights predict the zero targets exactly
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [100], units: 40, kernelInitializer: 'zeros' })] })
    const optimizer = tf.train.sgd(1)
    model.compile({ optimizer, loss: 'meanSquaredError' })
    const [batchSize, clipNorm, noiseMultiplier] = [4, 0.7, 1.5]
    const dpSgd = new DpSgd(tf, model, optimizer, tf.metrics.meanSquaredError, { clipNorm, noiseMultiplier })
    const [xs, ys] = [tf.randomNormal([batchSize, 100], 0, 1, 'float32', 5), tf.zeros([batchSize, 40])]
    dpSgd.step(xs, ys)
    // with learning rate 1 the step is −(noise on the sum)/batch size, in each of 4040 weights
    const draws = model.getWeights().flatMap(w => Array.from(w.dataSync() as Float32Array, v => -v * batchSize))
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1)
    const expected = (noiseMultiplier * clipNorm) ** 2
    // the sample variance of n normal draws has standard deviation σ²·√(2/(n − 1)): allow 5 of them
    assert.ok(Math.abs(variance - expected) < 5 * expected * Math.sqrt(2 / (draws.length - 1)), `variance ${variance}, expected ${expected}`)
    assert.ok(Math.abs(mean) < 5 * Math.sqrt(expected / draws.length), `mean ${mean}`)
    tf.dispose([xs, ys])
    optimizer.dispose()
    model.dispose()
  })

  it('samples each step\'s batch as the accountant assumes: every record on its own with rate q, secret to the site', async () => {
    const [count, batchSize, steps] = [1000, 32, 3000]
    const { rate } = epochSampling(count, batchSize)
    const included = new Array<number>(count).fill(0)
    let total = 0
    for (let step = 0; step < steps; step++) {
      for (const i of poissonBatch(count, rate)) included[i]++
    }
    for (const n of included) total += n
    // the mean batch size is q·count = 32, its standard error √(32·0.968 / 3000) ≈ 0.10: allow 6 of them
    assert.ok(Math.abs(total / steps - batchSize) < 0.6, `mean batch size ${total / steps}`)
    // each record is drawn Binomial(3000, q): mean 96, deviation 9.6; none strays by 6 deviations
    const worst = Math.max(...included.map(n => Math.abs(n - steps * rate)))
    assert.ok(worst < 6 * Math.sqrt(steps * rate * (1 - rate)), `a record drawn ${worst} times away from ${steps * rate}`)
    // the batches do not follow from anything another member knows: two draws differ
    assert.notDeepEqual(poissonBatch(count, rate), poissonBatch(count, rate))
    assert.ok(secureCoins(70_000).every(u => u >= 0 && u < 1), 'uniforms in [0, 1), also beyond one getRandomValues call')
  })

  it('takes the steps and the sampling rate the privacy plan accounts for', async () => {
    const { tf } = await loadTensorflow()
    const [samples, batchSize, epochs] = [50, 8, 2]
    const plan = privacyPlan({ secureAggregation: false, secureClipNorm: 5, secureMaxSamples: 100_000, dp: 'sample', dpClip: 1, dpNoiseMultiplier: 1, dpEpsilon: undefined, dpDelta: 1e-5, rounds: 3, epochs, batchSize }, samples, true)
    const flips: number[] = []
    const seeded = seededCoins(3)
    const coins: Coins = count => {
      flips.push(count)
      return seeded(count)
    }
    const kind = modelKind('mlp', [5])
    const trainer = new LocalTrainer(tf, await kind.build(tf, input), { task: TASKS.classification, classes: 3, optimizer: () => tf.train.sgd(0.1), batchSize, epochs, dpSgd: { clipNorm: 1, noiseMultiplier: 1, coins } })
    await trainer.train(blobs(samples, 5), 1)
    assert.equal(flips.length, plan.dp?.stepsPerRound, 'one Poisson batch per accounted step')
    assert.ok(flips.every(n => n === samples), 'each step flips a coin for every record')
    assert.equal(epochSampling(samples, batchSize).rate, plan.dp?.sampleRate)
    trainer.dispose()
  })

  it('still learns a separable task with clipping and noise', async () => {
    const { tf } = await loadTensorflow()
    const data = blobs(90, 4)
    const trainer = await trainerWith(tf, 0.3, { clipNorm: 1, noiseMultiplier: 0.5, seed: seededSeeds(9), coins: seededCoins(9) }, 10)
    const before = await trainer.evaluate(data)
    for (let round = 0; round < 6; round++) await trainer.train(data, round)
    const after = await trainer.evaluate(data)
    assert.ok(after.loss < 0.7 * before.loss, `loss ${before.loss} → ${after.loss}`)
    assert.ok((after.accuracy ?? 0) > 0.9, `accuracy ${after.accuracy}`)
    trainer.dispose()
  })
})
