/**
 * Picks the fastest TensorFlow.js backend that loads here: the native
 * tfjs-node when installed (it is optional: it downloads libtensorflow at
 * install time), else WebAssembly, else the pure-JS cpu backend.
 */
import type * as TF from '@tensorflow/tfjs'
import { registerWasmConvolutionGradient } from './wasm-kernels.ts'

export type Tfjs = typeof TF

export interface Tensorflow {
  tf: Tfjs
  backend: string
}

const NATIVE_PACKAGE = '@tensorflow/tfjs-node'

let loaded: Promise<Tensorflow> | undefined

async function loadNative (): Promise<Tfjs | undefined> {
  try {
    return (await import(NATIVE_PACKAGE)) as Tfjs
  } catch {
    return undefined
  }
}

async function load (): Promise<Tensorflow> {
  const native = await loadNative()
  if (native !== undefined) return { tf: native, backend: native.getBackend() }
  const tf = await import('@tensorflow/tfjs')
  try {
    await import('@tensorflow/tfjs-backend-wasm')
    if (await tf.setBackend('wasm')) {
      await tf.ready()
      registerWasmConvolutionGradient(tf)
      return { tf, backend: 'wasm' }
    }
  } catch {
    // the wasm binary did not load on this platform: the cpu backend still works
  }
  await tf.setBackend('cpu')
  await tf.ready()
  return { tf, backend: 'cpu' }
}

/**
 * The name of a kernel the current backend lacks to train `model`, found by
 * one training step on a zero sample; undefined when it trains. The wasm
 * backend lacks a few gradients (depthwise convolutions, embeddings).
 */
export async function missingTrainingKernel (tf: Tfjs, model: TF.LayersModel): Promise<string | undefined> {
  const inputShape = model.inputs[0].shape.slice(1) as number[]
  const outputShape = model.outputs[0].shape.slice(1) as number[]
  const x = tf.zeros([1, ...inputShape])
  const y = tf.zeros([1, ...outputShape])
  const optimizer = tf.train.sgd(0)
  try {
    model.compile({ optimizer, loss: 'meanSquaredError' })
    await model.fit(x, y, { epochs: 1, batchSize: 1, verbose: 0 })
    return undefined
  } catch (err) {
    const missing = /Kernel '(\w+)' not registered for backend/.exec((err as Error).message)
    if (missing === null) throw err
    return missing[1]
  } finally {
    for (const t of [x, y]) t.dispose()
    optimizer.dispose()
  }
}

/** Loads TensorFlow.js once per process. */
export function loadTensorflow (): Promise<Tensorflow> {
  loaded ??= load()
  return loaded
}
