import assert from 'node:assert/strict'
import type * as TF from '@tensorflow/tfjs'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { registerWasmConvolutionGradient } from '../../src/model/wasm-kernels.ts'

describe('convolution training on the WebAssembly backend', () => {
  it('computes the filter gradient the cpu backend computes, for strides 1 to 3, same and valid padding', async () => {
    const backend = tf.getBackend() ?? 'wasm'
    registerWasmConvolutionGradient(tf)
    const cases: Array<{ x: number[], filter: number[], stride: number, pad: 'same' | 'valid' }> = [
      { x: [3, 9, 9, 2], filter: [5, 5, 2, 4], stride: 1, pad: 'same' },
      { x: [2, 10, 7, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' },
      { x: [2, 10, 9, 1], filter: [3, 2, 1, 3], stride: 2, pad: 'valid' },
      { x: [4, 8, 8, 2], filter: [4, 4, 2, 2], stride: 3, pad: 'valid' }
    ]
    try {
      for (const c of cases) {
        const gradients: Float32Array[] = []
        for (const name of ['cpu', 'wasm']) {
          await tf.setBackend(name)
          gradients.push(tf.tidy(() => {
            const x = tf.randomUniform(c.x as [number, number, number, number], -1, 1, 'float32', 7)
            const weights = tf.randomUniform(c.filter as [number, number, number, number], -1, 1, 'float32', 8)
            const loss = (filter: TF.Tensor): TF.Scalar => tf.conv2d(x as TF.Tensor4D, filter as TF.Tensor4D, c.stride, c.pad).square().sum()
            return tf.grad(loss)(weights).dataSync() as Float32Array
          }))
        }
        const [cpu, wasm] = gradients
        assert.equal(wasm.length, cpu.length)
        const largest = Math.max(...cpu.map(Math.abs))
        cpu.forEach((v, i) => { assert.ok(Math.abs(v - wasm[i]) <= 1e-4 * largest, `${JSON.stringify(c)}: value ${i}: ${wasm[i]} where cpu has ${v}`) })
      }
    } finally {
      await tf.setBackend(backend)
    }
  })
})
