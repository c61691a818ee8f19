/** Writes image folders of real digits from the built-in set, as PNG and JPEG files. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encode as encodeJpeg } from 'jpeg-js'
import { PNG } from 'pngjs'
import type { Dataset } from '../../src/data/dataset.ts'
import { loadBuiltinMnist } from '../../src/data/mnist-builtin.ts'

const SIDE = 28
let pool: Dataset | undefined

/** The `index`-th digit of class `label` in the built-in training pool: 784 values in [0, 1]. */
export function sourceDigit (label: number, index: number): Float32Array {
  pool ??= loadBuiltinMnist().pool
  let seen = 0
  for (let row = 0; row < pool.count; row++) {
    if (pool.labels[row] === label && seen++ === index) return pool.features.subarray(row * SIDE * SIDE, (row + 1) * SIDE * SIDE)
  }
  throw new Error(`the built-in pool has no digit ${label} number ${index}`)
}

/**
 * Class folders `0` … `9` under `dir`, each with `perClass` 28×28 grey digits
 * named `<index>.png` or `<index>.jpg`, holding sourceDigit(class, index) for
 * index = offset, offset + 1, …; `mixed` alternates PNG and JPEG.
 */
export function writeDigitFolders (dir: string, options: { perClass: number, format: 'png' | 'jpeg' | 'mixed', offset?: number }): void {
  const offset = options.offset ?? 0
  for (let label = 0; label < 10; label++) {
    mkdirSync(join(dir, String(label)), { recursive: true })
    for (let index = offset; index < offset + options.perClass; index++) {
      const rgba = Buffer.alloc(SIDE * SIDE * 4, 255)
      sourceDigit(label, index).forEach((v, p) => rgba.fill(Math.round(v * 255), 4 * p, 4 * p + 3))
      const asPng = options.format === 'png' || (options.format === 'mixed' && index % 2 === 0)
      const file = join(dir, String(label), `${index}.${asPng ? 'png' : 'jpg'}`)
      if (asPng) {
        const png = new PNG({ width: SIDE, height: SIDE })
        png.data = rgba
        writeFileSync(file, PNG.sync.write(png, { colorType: 0 }))
      } else {
        writeFileSync(file, encodeJpeg({ width: SIDE, height: SIDE, data: rgba }, 90).data)
      }
    }
  }
}
