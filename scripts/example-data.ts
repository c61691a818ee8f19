/**
 * Example data to try swarm on your own kind of data, and to test and
 * benchmark it: a generated table (numeric features on very different
 * scales, one categorical column, a label that depends on all of them) split
 * over three sites of very different sizes, and folders of PNG and JPEG
 * digits, one subfolder per class, from the built-in set.
 *
 *   npm run example-data [-- <dir>]    writes them to <dir> (default: examples)
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encode as encodeJpeg } from 'jpeg-js'
import { PNG } from 'pngjs'
import type { Dataset } from '../src/data/dataset.ts'
import { loadBuiltinMnist } from '../src/data/mnist-builtin.ts'
import { normal, seededRandom } from '../src/data/random.ts'

export type TableTask = 'classification' | 'binary' | 'regression'

const REGIONS = ['east', 'north', 'south', 'west']
const REGION_EFFECT: Record<string, number> = { east: -0.8, north: 0.3, south: 0.9, west: -0.4 }
export const CLASSES = ['high', 'low', 'mid']
export const TABLE_COLUMNS = ['age', 'income', 'ratio', 'region', 'outcome']

/** `rows` rows of the table as CSV text; the same seed gives the same rows. */
export function tableCsv (rows: number, seed: number, task: TableTask, shift = 0): string {
  const random = seededRandom(seed)
  const lines = [TABLE_COLUMNS.join(',')]
  for (let i = 0; i < rows; i++) {
    // a site's population: `shift` deviations older and richer (or younger and poorer) than the average
    const age = Math.round(50 + 15 * (shift + normal(random)))
    const income = Math.round(60_000 + 25_000 * (shift + normal(random)))
    const ratio = 0.01 + 0.005 * normal(random)
    const region = REGIONS[Math.floor(random() * REGIONS.length)]
    const score = 0.05 * (age - 50) + (income - 60_000) / 25_000 - 150 * (ratio - 0.01) + REGION_EFFECT[region]
    let outcome: string
    if (task === 'regression') outcome = (10 + 3 * score + 0.3 * normal(random)).toFixed(3)
    else if (task === 'binary') outcome = score + 0.5 * normal(random) > 0 ? 'yes' : 'no'
    else outcome = score < -0.8 ? 'low' : score > 0.8 ? 'high' : 'mid'
    lines.push([age, income, ratio.toFixed(5), region, outcome].join(','))
  }
  return lines.join('\n') + '\n'
}

/** How far each example site's population lies from the average: site 2 is older and richer, site 3 younger and poorer. */
export const SITE_SHIFTS = [0, 0.6, -0.8]

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
      const asPng = options.format === 'png' || (options.format === 'mixed' && index % 2 === 0)
      writeDigitImage(join(dir, String(label), `${index}.${asPng ? 'png' : 'jpg'}`), sourceDigit(label, index))
    }
  }
}

/** One 28×28 grey digit (784 values in [0, 1]) as a PNG or, for a .jpg name, a JPEG of quality 90. */
export function writeDigitImage (file: string, pixels: Float32Array): void {
  const rgba = Buffer.alloc(SIDE * SIDE * 4, 255)
  pixels.forEach((v, p) => rgba.fill(Math.round(v * 255), 4 * p, 4 * p + 3))
  if (file.endsWith('.jpg')) {
    writeFileSync(file, encodeJpeg({ width: SIDE, height: SIDE, data: rgba }, 90).data)
    return
  }
  const png = new PNG({ width: SIDE, height: SIDE })
  png.data = rgba
  writeFileSync(file, PNG.sync.write(png, { colorType: 0 }))
}

/** rows of the three example sites: sizes differing by 7.5× */
export const SITE_ROWS = [1500, 500, 200]

/** Writes the example data under `dir`; returns what it wrote, in words. */
export function writeExampleData (dir: string): string[] {
  const table = join(dir, 'table')
  mkdirSync(table, { recursive: true })
  const sites = SITE_ROWS.map((rows, i) => tableCsv(rows, i + 1, 'classification', SITE_SHIFTS[i]))
  sites.forEach((text, i) => { writeFileSync(join(table, `site-${i + 1}.csv`), text) })
  // all sites' rows in one file: central training, the baseline a swarm should match
  writeFileSync(join(table, 'all.csv'), sites.map((text, i) => (i === 0 ? text : text.slice(text.indexOf('\n') + 1))).join(''))
  writeFileSync(join(table, 'test.csv'), tableCsv(1000, 9, 'classification'))
  writeDigitFolders(join(dir, 'digits'), { perClass: 100, format: 'mixed' })
  writeDigitFolders(join(dir, 'digits-test'), { perClass: 20, format: 'png', offset: 500 })
  return [
    `${table}/site-1.csv, site-2.csv, site-3.csv: ${SITE_ROWS.join(', ')} rows of columns ${TABLE_COLUMNS.join(', ')} (label: outcome), from different populations`,
    `${table}/all.csv: the three sites' rows together; ${table}/test.csv: 1000 rows to test on`,
    `${join(dir, 'digits')}: 1000 PNG and JPEG digits in class folders 0 to 9; ${join(dir, 'digits-test')}: 200 more`
  ]
}

if (import.meta.main) {
  for (const line of writeExampleData(process.argv[2] ?? 'examples')) console.log(`wrote ${line}`)
}
