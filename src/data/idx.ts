/**
 * The IDX file format of MNIST and MNIST-like sets: a big-endian header (magic
 * 0x0000 08 NN, NN = number of dimensions, then one u32 per dimension) followed
 * by unsigned bytes. Images are scaled to [0, 1].
 */
import { existsSync, readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { join } from 'node:path'
import type { Dataset } from './dataset.ts'
import { DataError } from '../errors.ts'

const UBYTE_TYPE = 0x08

export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte'
} as const

interface IdxArray { dims: number[], data: Uint8Array }

/** Parses one IDX buffer; `name` is used in error messages. */
export function parseIdx (bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4) throw new DataError(`${name}: file is too short to be an IDX file (${bytes.length} bytes)`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new DataError(`${name}: not an IDX file (bad magic number); expected an MNIST-format file`)
  if (bytes[2] !== UBYTE_TYPE) throw new DataError(`${name}: IDX data type 0x${bytes[2].toString(16)} is not supported; only unsigned bytes (0x08) are`)
  const rank = bytes[3]
  const headerSize = 4 + 4 * rank
  if (rank === 0 || bytes.length < headerSize) throw new DataError(`${name}: truncated IDX header`)
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false))
  const expected = dims.reduce((a, b) => a * b, 1)
  const data = bytes.subarray(headerSize)
  if (data.length !== expected) {
    throw new DataError(`${name}: header promises ${expected} values (${dims.join('×')}) but the file holds ${data.length}; the file is truncated or corrupt`)
  }
  return { dims, data }
}

function readIdxFile (dir: string, base: string): IdxArray {
  const candidates = [join(dir, base), join(dir, `${base}.gz`)]
  const file = candidates.find(f => existsSync(f))
  if (file === undefined) throw new DataError(`missing data file ${candidates[0]} (or ${base}.gz): --data must point at a folder in the MNIST layout`)
  let bytes: Uint8Array = readFileSync(file)
  if (file.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes)
    } catch {
      throw new DataError(`${file}: not a valid gzip file; re-download it or store it uncompressed`)
    }
  }
  return parseIdx(bytes, file)
}

function toDataset (images: IdxArray, labels: IdxArray, what: string): Dataset {
  if (images.dims.length < 2) throw new DataError(`${what} images: expected a rank-3 IDX file (count × rows × cols), got rank ${images.dims.length}`)
  if (labels.dims.length !== 1) throw new DataError(`${what} labels: expected a rank-1 IDX file, got rank ${labels.dims.length}`)
  const count = images.dims[0]
  if (labels.dims[0] !== count) throw new DataError(`${what}: ${count} images but ${labels.dims[0]} labels; the image and label files do not belong together`)
  const features = new Float32Array(images.data.length)
  for (let i = 0; i < features.length; i++) features[i] = images.data[i] / 255
  const numClasses = labels.data.reduce((max, l) => Math.max(max, l), 0) + 1
  // count × rows × cols images are grey: one channel
  const sampleShape = images.dims.length === 3 ? [...images.dims.slice(1), 1] : images.dims.slice(1)
  return { features, labels: Float32Array.from(labels.data), count, sampleShape, labelKind: 'class', classNames: classNames(numClasses) }
}

/** Loads the four MNIST-layout files (each optionally .gz) from `dir`. */
export function loadIdxFolder (dir: string): { pool: Dataset, test: Dataset } {
  if (!existsSync(dir)) throw new DataError(`data folder ${dir} does not exist: --data must point at a folder holding the MNIST IDX files`)
  const pool = toDataset(readIdxFile(dir, IDX_FILES.trainImages), readIdxFile(dir, IDX_FILES.trainLabels), 'training set')
  const test = toDataset(readIdxFile(dir, IDX_FILES.testImages), readIdxFile(dir, IDX_FILES.testLabels), 'test set')
  if (pool.sampleShape.join('×') !== test.sampleShape.join('×')) {
    throw new DataError(`training images are ${pool.sampleShape.join('×')} but test images are ${test.sampleShape.join('×')}: the files come from different data sets`)
  }
  const names = classNames(Math.max(pool.classNames.length, test.classNames.length))
  return { pool: { ...pool, classNames: names }, test: { ...test, classNames: names } }
}

/** IDX labels are numbers 0..n-1: they name their classes. */
function classNames (count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i))
}
