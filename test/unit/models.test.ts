import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadTensorflow } from '../../src/model/backend.ts'
import { definitionDifference, definitionText } from '../../src/model/definition.ts'
import type { SwarmDefinition } from '../../src/model/definition.ts'
import { loadLayersModelFile } from '../../src/model/layers-file.ts'
import { modelKind } from '../../src/model/models.ts'
import { TASKS } from '../../src/model/tasks.ts'
import { modelHash, parameterCount, subtractWeights } from '../../src/model/weights.ts'
import { LocalTrainer } from '../../src/model/trainer.ts'
import { loadBuiltinMnist } from '../../src/data/mnist-builtin.ts'
import { selectRows } from '../../src/data/dataset.ts'
import { l2Norm } from '../../src/round/validation.ts'
import { tempFolder } from '../helpers/temp.ts'

const digits = { sampleShape: [28, 28, 1], task: TASKS.classification, classes: 10 }

describe('the model factory', () => {
  const folder = tempFolder('models')
  after(() => { folder.remove() })

  it('builds the FedAvg paper\'s CNN: 1,663,370 parameters on 28×28×1 digits', async () => {
    const { tf } = await loadTensorflow()
    const cnn = modelKind('cnn', [])
    const weights = cnn.genesis(await cnn.build(tf, digits), 42)
    assert.equal(parameterCount(weights), 1_663_370)
  })

  it('draws the same genesis weights from the same seed, and others from another', async () => {
    const { tf } = await loadTensorflow()
    const mlp = modelKind('mlp', [200, 200])
    const model = await mlp.build(tf, digits)
    assert.equal(modelHash(mlp.genesis(model, 42)), modelHash(mlp.genesis(await mlp.build(tf, digits), 42)))
    assert.notEqual(modelHash(mlp.genesis(model, 42)), modelHash(mlp.genesis(model, 43)))
    assert.equal(parameterCount(mlp.genesis(model, 42)), 199_210)
  })

  it('fits the output layer to the task: one sigmoid unit for binary, one linear unit for regression', async () => {
    const { tf } = await loadTensorflow()
    const mlp = modelKind('mlp', [8])
    const binary = await mlp.build(tf, { sampleShape: [5], task: TASKS.binary, classes: 2 })
    assert.deepEqual(binary.outputs[0].shape, [null, 1])
    const regression = await mlp.build(tf, { sampleShape: [5], task: TASKS.regression, classes: 0 })
    assert.equal((regression.layers[regression.layers.length - 1].getConfig() as { activation: string }).activation, 'linear')
  })

  it('starts a swarm from a model.json saved by tfjs, weights included, and checks that it fits the data', async () => {
    const { tf } = await loadTensorflow()
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 5, activation: 'tanh' }), tf.layers.dense({ units: 3, activation: 'softmax' })] })
    const dir = join(folder.path, 'custom')
    mkdirSync(dir)
    await model.save(tf.io.withSaveHandler(async artifacts => {
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer))
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }] }))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }))
    const file = modelKind(join(dir, 'model.json'), [])
    const built = await file.build(tf, { sampleShape: [6], task: TASKS.classification, classes: 3 })
    assert.equal(modelHash(file.genesis(built, 1)), modelHash(model.getWeights().map(t => ({ shape: [...t.shape], values: t.dataSync() as Float32Array }))))
    assert.equal((await loadLayersModelFile(tf, dir)).layers.length, 2)
    await assert.rejects(file.build(tf, { sampleShape: [7], task: TASKS.classification, classes: 3 }), /takes inputs of shape \[6\] but the data's samples have shape \[7\]/)
    await assert.rejects(file.build(tf, { sampleShape: [6], task: TASKS.classification, classes: 4 }), /needs 4 outputs/)
    assert.throws(() => modelKind(join(dir, 'missing.json'), []), /does not exist: --model needs mlp, cnn or the path of a TensorFlow.js model.json/)
    assert.throws(() => modelKind('resnet', []), /unknown model "resnet"/)
  })
})

describe('the swarm definition', () => {
  const ours: SwarmDefinition = { model: 'mlp 200,200', task: 'binary', sampleShape: [12], classNames: ['no', 'yes'], normalize: 'local', schema: null, merge: 'fedavg (mean)', privacy: 'none', colluders: 1 }

  it('names what differs from the swarm\'s', () => {
    const theirs = definitionText({ ...ours, model: 'cnn', classNames: ['yes', 'no'] })
    const words = definitionDifference(definitionText(ours), theirs)
    assert.match(words, /model \(--model, --hidden\): "cnn" in the swarm, "mlp 200,200" here/)
    assert.match(words, /class names/)
    assert.doesNotMatch(words, /task/)
  })
})

describe('FedProx in local training', () => {
  it('the proximal term keeps the trained weights closer to the round\'s start, the more the larger μ', async () => {
    const { tf } = await loadTensorflow()
    const { pool } = loadBuiltinMnist()
    const data = selectRows(pool, Array.from({ length: 256 }, (_, i) => i))
    const kind = modelKind('mlp', [16])
    const input = { sampleShape: data.sampleShape, task: TASKS.classification, classes: 10 }
    const distance = async (proximalMu: number): Promise<number> => {
      const trainer = new LocalTrainer(tf, await kind.build(tf, input), { task: TASKS.classification, classes: 10, optimizer: () => tf.train.sgd(0.1), batchSize: 32, epochs: 2, proximalMu, learningRate: 0.1 })
      const start = kind.genesis(trainer.model, 7)
      trainer.setWeights(start)
      await trainer.train(data, 1)
      const moved = l2Norm(subtractWeights(trainer.getWeights(), start))
      trainer.dispose()
      return moved
    }
    const [none, some, full] = [await distance(0), await distance(1), await distance(10)]
    assert.ok(some < none, `μ 1 moved the weights ${some}, μ 0 ${none}`)
    assert.equal(full, 0, 'with learning rate × μ ≥ 1 every batch ends back at the start')
  })
})
