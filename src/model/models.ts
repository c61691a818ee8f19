/**
 * The models a swarm can train, behind one interface: the built-in MLP and
 * CNN, and a user's TensorFlow.js LayersModel file. The shell asks
 * `modelKind(setting)` and never switches on names itself.
 */
import { createHash } from 'node:crypto'
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backend.ts'
import type { Task } from './tasks.ts'
import type { Weights } from './weights.ts'
import { loadLayersModelFile, readLayersModelArtifacts } from './layers-file.ts'
import { seededRandom } from '../data/random.ts'
import { UserError } from '../errors.ts'

/** What the model is built for: one sample's shape, the task, the number of classes (0 for regression). */
export interface ModelInput {
  sampleShape: number[]
  task: Task
  classes: number
}

export interface ModelKind {
  /** the architecture in words; peers whose descriptions differ hold different models */
  description: string
  /** a new, untrained tfjs model for `input`; a user's model is checked against it */
  build: (tf: Tfjs, input: ModelInput) => Promise<TF.LayersModel>
  /** the swarm's round-0 weights, the same on every peer with the same seed */
  genesis: (model: TF.LayersModel, seed: number) => Weights
}

/** The model named by --model: mlp, cnn or the path of a model.json. */
export function modelKind (setting: string, hiddenLayers: number[]): ModelKind {
  if (setting === 'mlp') return mlp(hiddenLayers)
  if (setting === 'cnn') return cnn
  if (setting.endsWith('.json') || setting.includes('/')) return layersModelFile(setting)
  throw new UserError(`unknown model "${setting}": --model takes mlp, cnn or the path of a TensorFlow.js model.json`)
}

function mlp (hiddenLayers: number[]): ModelKind {
  return {
    description: `mlp ${hiddenLayers.join(',')}`,
    build: async (tf, input) => {
      const model = tf.sequential()
      // images and other samples of more than one dimension are flattened first
      if (input.sampleShape.length > 1) model.add(tf.layers.flatten({ inputShape: input.sampleShape }))
      const first = input.sampleShape.length > 1 ? {} : { inputShape: input.sampleShape }
      hiddenLayers.forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? first : {}) })))
      model.add(tf.layers.dense({ units: input.task.outputUnits(input.classes), activation: input.task.activation, ...(hiddenLayers.length === 0 ? first : {}) }))
      return model
    },
    genesis: seededGenesis
  }
}

/** The CNN of the FedAvg paper (McMahan et al. 2017): 1,663,370 parameters on 28×28×1 digits. */
const cnn: ModelKind = {
  description: 'cnn',
  build: async (tf, input) => {
    if (input.sampleShape.length !== 3) {
      throw new UserError(`--model cnn needs images (height × width × channels), but this data has samples of shape [${input.sampleShape.join(', ')}]: use --model mlp for tables`)
    }
    const model = tf.sequential()
    model.add(tf.layers.conv2d({ inputShape: input.sampleShape, filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }))
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }))
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' }))
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }))
    model.add(tf.layers.flatten())
    model.add(tf.layers.dense({ units: 512, activation: 'relu' }))
    model.add(outputLayer(tf, input))
    return model
  },
  genesis: seededGenesis
}

function layersModelFile (file: string): ModelKind {
  const artifacts = readLayersModelArtifacts(file)
  const topology = createHash('sha256').update(JSON.stringify(artifacts.modelTopology)).digest('hex')
  const hasWeights = (artifacts.weightSpecs ?? []).length > 0
  return {
    description: `model file with topology ${topology.slice(0, 16)}`,
    build: async (tf, input) => {
      const model = await loadLayersModelFile(tf, file)
      checkFits(model, input, file)
      return model
    },
    // the file's weights are the genesis model; a file without weights starts from seeded ones
    genesis: (model, seed) => (hasWeights ? model.getWeights().map(t => ({ shape: [...t.shape], values: Float32Array.from(t.dataSync()) })) : seededGenesis(model, seed))
  }
}

function outputLayer (tf: Tfjs, input: ModelInput): TF.layers.Layer {
  return tf.layers.dense({ units: input.task.outputUnits(input.classes), activation: input.task.activation })
}

/** A user's model must take this data's samples and give what the task needs. */
function checkFits (model: TF.LayersModel, input: ModelInput, file: string): void {
  const inputShape = model.inputs[0].shape.slice(1)
  if (inputShape.join(',') !== input.sampleShape.join(',')) {
    throw new UserError(`${file} takes inputs of shape [${inputShape.join(', ')}] but the data's samples have shape [${input.sampleShape.join(', ')}]: change the model's input layer (or --image-size/--channels for images)`)
  }
  const units = input.task.outputUnits(input.classes)
  const outputShape = model.outputs[0].shape.slice(1)
  if (outputShape.join(',') !== String(units)) {
    throw new UserError(`${file} outputs shape [${outputShape.join(', ')}] but a ${input.task.name} task with this data needs ${units} output${units === 1 ? '' : 's'}: change the model's output layer or --task`)
  }
  const activation = (model.layers[model.layers.length - 1].getConfig() as { activation?: string }).activation
  if (activation !== undefined && activation !== input.task.activation) {
    throw new UserError(`${file} ends in a ${activation} activation but a ${input.task.name} task needs ${input.task.activation}: change the model's output layer or --task`)
  }
}

/**
 * Seeded genesis weights from our own generator (not tfjs's), so every
 * backend yields the same bytes: Glorot-uniform kernels (fan in and out as
 * Keras counts them, receptive field included), and for 1-D weights the
 * constant tfjs initialises them with (zero biases, unit scales).
 */
export function seededGenesis (model: TF.LayersModel, seed: number): Weights {
  const random = seededRandom(seed)
  return model.getWeights().map(tensor => {
    const shape = [...tensor.shape]
    if (shape.length < 2) return { shape, values: Float32Array.from(tensor.dataSync()) }
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
    const limit = Math.sqrt(6 / ((shape[shape.length - 2] + shape[shape.length - 1]) * receptive))
    const values = new Float32Array(tensor.size)
    for (let i = 0; i < values.length; i++) values[i] = (2 * random() - 1) * limit
    return { shape, values }
  })
}
