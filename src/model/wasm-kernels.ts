/**
 * Conv2DBackpropFilter for TensorFlow.js's WebAssembly backend, which lacks
 * it (tfjs 4.22): without it no convolution trains on wasm, and the pure-JS
 * cpu backend trains the FedAvg CNN over 100 times slower (144 s against
 * about 1 s for 100 digits here). The gradient of a convolution's filter is
 * itself a convolution: of the input with the output's gradient, batch and
 * input channels swapped, the stride becoming a dilation. So it is computed
 * with wasm's own Transpose, Slice and Conv2D kernels; a unit test holds it to
 * the cpu backend's kernel.
 */
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backend.ts'

type TensorInfo = TF.TensorInfo

/** Registers the kernel once per process, if the wasm backend still lacks it. */
export function registerWasmConvolutionGradient (tf: Tfjs): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return
  const run = (name: string, inputs: Record<string, TensorInfo>, backend: unknown, attrs: Record<string, unknown>): TensorInfo => {
    const kernel = tf.getKernel(name, 'wasm')
    if (kernel === undefined) throw new Error(`the wasm backend has no ${name} kernel`)
    return kernel.kernelFunc({ inputs, backend: backend as TF.KernelBackend, attrs: attrs as TF.NamedAttrMap }) as TensorInfo
  }
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: TensorInfo, dy: TensorInfo }
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as { strides: [number, number] | number, pad: TF.backend_util.ExplicitPadding | 'valid' | 'same' | number, dataFormat: 'NHWC' | 'NCHW', dimRoundingMode?: 'floor' | 'round' | 'ceil', filterShape: [number, number, number, number] }
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(dataFormat))
      if (info.dataFormat !== 'channelsLast') throw new Error('the wasm Conv2DBackpropFilter supports channelsLast (NHWC) only')
      const { top, left } = info.padInfo
      // padding below and right that makes the output exactly the filter's size; negative: rows the convolution never read
      const bottom = info.filterHeight + (info.outHeight - 1) * info.strideHeight - info.inHeight - top
      const right = info.filterWidth + (info.outWidth - 1) * info.strideWidth - info.inWidth - left
      const temporary: TensorInfo[] = []
      const keep = (t: TensorInfo): TensorInfo => { temporary.push(t); return t }
      // x [batch, h, w, in] → [in, h, w, batch]: input channels become the batch, the batch the channels
      let input = keep(run('Transpose', { x }, backend, { perm: [3, 1, 2, 0] }))
      if (bottom < 0 || right < 0) {
        const [channels, height, width, batch] = input.shape
        input = keep(run('Slice', { x: input }, backend, { begin: [0, 0, 0, 0], size: [channels, height + Math.min(0, bottom), width + Math.min(0, right), batch] }))
      }
      // dy [batch, outH, outW, out] → a filter [outH, outW, batch, out]
      const filter = keep(run('Transpose', { x: dy }, backend, { perm: [1, 2, 0, 3] }))
      const padding = [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]]
      const gradient = keep(run('Conv2D', { x: input, filter }, backend, { strides: [1, 1], pad: padding, dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] }))
      // [in, filterH, filterW, out] → [filterH, filterW, in, out]
      const result = run('Transpose', { x: gradient }, backend, { perm: [1, 2, 0, 3] })
      for (const t of temporary) (backend as TF.KernelBackend).disposeData(t.dataId)
      return result
    }
  })
}
