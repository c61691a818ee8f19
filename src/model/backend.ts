/**
 * Picks the fastest TensorFlow.js backend that loads here: the native
 * tfjs-node when installed (it is optional: it downloads libtensorflow at
 * install time), else WebAssembly, else the pure-JS cpu backend.
 */
import type * as TF from '@tensorflow/tfjs'

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
      return { tf, backend: 'wasm' }
    }
  } catch {
    // the wasm binary did not load on this platform: the cpu backend still works
  }
  await tf.setBackend('cpu')
  await tf.ready()
  return { tf, backend: 'cpu' }
}

/** Loads TensorFlow.js once per process. */
export function loadTensorflow (): Promise<Tensorflow> {
  loaded ??= load()
  return loaded
}
