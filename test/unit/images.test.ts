import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import type { Dataset } from '../../src/data/dataset.ts'
import { loadImageFile, loadImageFolder } from '../../src/data/images.ts'
import { DataError } from '../../src/errors.ts'
import { sourceDigit, writeDigitFolders } from '../../scripts/example-data.ts'
import { tempFolder } from '../helpers/temp.ts'

const grey = { channels: 1, skipBadImages: false } as const
const DIGITS = Array.from({ length: 10 }, (_, i) => String(i))

function sample (data: Dataset, row: number): Float32Array {
  const size = data.features.length / data.count
  return data.features.subarray(row * size, (row + 1) * size)
}

function largestDifference (a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length)
  return Array.from(a).reduce((most, v, i) => Math.max(most, Math.abs(v - b[i])), 0)
}

/** A DataError whose message matches every pattern. */
function dataError (...patterns: Array<string | RegExp>): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`)
    for (const pattern of patterns) {
      if (typeof pattern === 'string') assert.ok(err.message.includes(pattern), `"${err.message}" should mention ${pattern}`)
      else assert.match(err.message, pattern)
    }
    return true
  }
}

describe('image folders (one subfolder per class)', () => {
  let folder: ReturnType<typeof tempFolder>
  let dir: string
  beforeEach(() => {
    folder = tempFolder('images')
    dir = join(folder.path, 'images')
  })
  afterEach(() => { folder.remove() })

  it('loads PNG digits as classes 0–9, each pixel within 1/255 of the source digit', async () => {
    writeDigitFolders(dir, { perClass: 3, format: 'png' })
    const reports: Array<[number, number]> = []
    const { data, skipped } = await loadImageFolder(dir, { ...grey, progress: (done, total) => reports.push([done, total]) })
    assert.deepEqual(data.classNames, DIGITS)
    assert.equal(data.labelKind, 'class')
    assert.equal(data.count, 30)
    assert.deepEqual(data.sampleShape, [28, 28, 1])
    assert.equal(data.features.length, 30 * 784)
    assert.deepEqual(Array.from(data.labels), DIGITS.flatMap(d => [+d, +d, +d]))
    assert.ok(data.features.every(v => v >= 0 && v <= 1))
    assert.deepEqual(skipped, [])
    assert.deepEqual(reports.at(-1), [30, 30])
    // class 7's files sort as 0.png, 1.png, 2.png
    assert.ok(largestDifference(sample(data, 7 * 3 + 2), sourceDigit(7, 2)) <= 1 / 255)
  })

  it('loads JPEG digits close to the source digits', async () => {
    writeDigitFolders(dir, { perClass: 2, format: 'jpeg', offset: 5 })
    const { data } = await loadImageFolder(dir, grey)
    assert.equal(data.count, 20)
    assert.deepEqual(data.sampleShape, [28, 28, 1])
    assert.ok(data.features.every(v => v >= 0 && v <= 1))
    for (const label of [0, 4, 9]) {
      const loaded = sample(data, label * 2)
      const source = sourceDigit(label, 5)
      const meanDifference = loaded.reduce((sum, v, i) => sum + Math.abs(v - source[i]), 0) / loaded.length
      assert.ok(meanDifference < 0.015, `mean difference ${meanDifference}`)
      assert.ok(largestDifference(loaded, source) < 0.2)
    }
  })

  it('resizes to 14×14 by averaging and replicates grey into 3 channels', async () => {
    writeDigitFolders(dir, { perClass: 2, format: 'mixed' })
    const { data } = await loadImageFolder(dir, { size: { width: 14, height: 14 }, channels: 3, skipBadImages: false })
    assert.equal(data.count, 20)
    assert.deepEqual(data.sampleShape, [14, 14, 3])
    assert.equal(data.features.length, 20 * 14 * 14 * 3)
    const loaded = sample(data, 3 * 2) // 3/0.png
    const source = sourceDigit(3, 0)
    const expected = Array.from({ length: 14 * 14 }, (_, p) => {
      const [y, x] = [2 * Math.floor(p / 14), 2 * (p % 14)]
      return (source[y * 28 + x] + source[y * 28 + x + 1] + source[(y + 1) * 28 + x] + source[(y + 1) * 28 + x + 1]) / 4
    })
    for (let c = 0; c < 3; c++) {
      assert.ok(largestDifference(loaded.filter((_, i) => i % 3 === c), expected) <= 1 / 255)
    }
  })

  it('resizes every image to the size of the first one by default', async () => {
    writeDigitFolders(dir, { perClass: 1, format: 'png' })
    // 9/big.png: digit 8's pixels, each repeated 2×2, as a 56×56 image
    const digit = sourceDigit(8, 0)
    const png = new PNG({ width: 56, height: 56 })
    png.data.fill(255)
    for (let y = 0; y < 56; y++) {
      for (let x = 0; x < 56; x++) png.data.fill(Math.round(255 * digit[Math.floor(y / 2) * 28 + Math.floor(x / 2)]), 4 * (y * 56 + x), 4 * (y * 56 + x) + 3)
    }
    writeFileSync(join(dir, '9', 'big.png'), PNG.sync.write(png))
    const { data } = await loadImageFolder(dir, grey)
    assert.deepEqual(data.sampleShape, [28, 28, 1])
    assert.equal(data.count, 11)
    assert.ok(largestDifference(sample(data, 10), digit) <= 1 / 255)
  })

  it('ignores hidden entries and files that are not images', async () => {
    writeDigitFolders(dir, { perClass: 1, format: 'png' })
    mkdirSync(join(dir, '.thumbnails'))
    writeFileSync(join(dir, 'README.txt'), 'digits')
    writeFileSync(join(dir, '4', '.DS_Store'), 'x')
    writeFileSync(join(dir, '4', 'notes.txt'), 'x')
    writeFileSync(join(dir, '4', 'upper.PNG'), readFileSync(join(dir, '4', '0.png')))
    const { data } = await loadImageFolder(dir, grey)
    assert.deepEqual(data.classNames, DIGITS)
    assert.equal(data.count, 11)
  })

  it("numbers the classes by the swarm's class list when given one", async () => {
    writeDigitFolders(dir, { perClass: 1, format: 'png' })
    rmSync(join(dir, '5'), { recursive: true })
    const classNames = [...DIGITS].reverse()
    const { data } = await loadImageFolder(dir, { ...grey, classNames })
    assert.deepEqual(data.classNames, classNames)
    assert.deepEqual(Array.from(data.labels), [9, 8, 7, 6, 5, 3, 2, 1, 0])
    mkdirSync(join(dir, 'cat'))
    await assert.rejects(loadImageFolder(dir, { ...grey, classNames }), dataError(join(dir, 'cat'), "not one of the swarm's classes"))
  })

  it('names a corrupt image, the decoder’s complaint and --skip-bad-images', async () => {
    writeDigitFolders(dir, { perClass: 3, format: 'mixed' })
    const truncated = join(dir, '3', '1.jpg')
    writeFileSync(truncated, readFileSync(truncated).subarray(0, 200))
    await assert.rejects(loadImageFolder(dir, grey), dataError(truncated, 'JPEG decoder says', '--skip-bad-images'))
    const garbage = join(dir, '6', '0.png')
    writeFileSync(garbage, 'not an image at all')
    const { data, skipped } = await loadImageFolder(dir, { ...grey, skipBadImages: true })
    assert.equal(data.count, 28)
    assert.deepEqual(skipped.map(s => s.file), [truncated, garbage])
    assert.match(skipped[1].problem, /not a PNG or JPEG image/)
  })

  it('refuses an image over 10,000 pixels a side before decoding it', async () => {
    writeDigitFolders(dir, { perClass: 1, format: 'png' })
    const huge = join(dir, '2', 'huge.png')
    writeFileSync(huge, PNG.sync.write(new PNG({ width: 20_000, height: 2 })))
    await assert.rejects(loadImageFolder(dir, grey), dataError(huge, '20000×2 pixels is over the limit of 10000 pixels a side'))
  })

  it('explains a missing, empty or misshapen folder', async () => {
    await assert.rejects(loadImageFolder(dir, grey), dataError(`image folder ${dir} does not exist`, 'one subfolder of images per class'))
    writeFileSync(dir, 'x')
    await assert.rejects(loadImageFolder(dir, grey), dataError('is a file, not a folder'))
    rmSync(dir)
    mkdirSync(dir)
    writeFileSync(join(dir, 'loose.png'), 'x')
    await assert.rejects(loadImageFolder(dir, grey), dataError('has no class subfolders'))
    // a folder of tables is not taken for an image folder
    writeFileSync(join(dir, 'site-a.csv'), 'x,y\n1,2\n')
    await assert.rejects(loadImageFolder(dir, grey), dataError('is a folder of 1 table file (site-a.csv), not of images: give one CSV file as --data', join(dir, 'site-a.csv')))
    rmSync(join(dir, 'site-a.csv'))
    mkdirSync(join(dir, 'cat'))
    writeFileSync(join(dir, 'cat', 'notes.txt'), 'x')
    await assert.rejects(loadImageFolder(dir, grey), dataError(`class folder ${join(dir, 'cat')} has no .png, .jpg or .jpeg images`))
    writeFileSync(join(dir, 'cat', 'a.png'), 'x')
    await assert.rejects(loadImageFolder(dir, { ...grey, skipBadImages: true }), dataError('none of the 1 images', 'a.png'))
  })

  it('loads a single image for prediction exactly like the folder does', async () => {
    writeDigitFolders(dir, { perClass: 1, format: 'mixed' })
    const size = { width: 14, height: 14 }
    const { data } = await loadImageFolder(dir, { size, channels: 3, skipBadImages: false })
    assert.deepEqual(await loadImageFile(join(dir, '2', '0.png'), size, 3), sample(data, 2))
    await assert.rejects(loadImageFile(join(dir, '2', 'nope.png'), size, 3), dataError(`image ${join(dir, '2', 'nope.png')}: no such file`, 'give a PNG or JPEG image'))
  })
})
