import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { IDX_FILES, loadIdxFolder } from '../../src/data/idx.ts'
import { dataOptions, loadPeerData } from '../../src/data/index.ts'
import { DEFAULTS } from '../../src/settings/parse.ts'
import { DataError } from '../../src/errors.ts'
import { writeIdxFolder } from '../helpers/idx.ts'

describe('IDX data files (--data)', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'swarm-idx-')) })
  afterEach(() => { rmSync(dir, { recursive: true, force: true }) })

  it('loads the four MNIST-layout files, plain or gzipped, scaled to [0, 1]', () => {
    writeIdxFolder(dir, { train: 30, test: 10, gzip: true })
    const { pool, test } = loadIdxFolder(dir)
    assert.equal(pool.count, 30)
    assert.equal(test.count, 10)
    assert.deepEqual(pool.sampleShape, [28, 28, 1])
    assert.equal(pool.classNames.length, 10)
    assert.ok(pool.features.every(v => v >= 0 && v <= 1))
    assert.equal(pool.labels[3], 3)
  })

  it('partitions an IDX training set like the built-in one', async () => {
    writeIdxFolder(dir, { train: 40, test: 10 })
    const shares = await Promise.all([1, 2, 3, 4].map(async i => (await loadPeerData({ ...dataOptions(DEFAULTS), data: dir, partIndex: i, partCount: 4, split: 'iid', alpha: 1, seed: 1 })).train.count))
    assert.deepEqual(shares, [10, 10, 10, 10])
  })

  it('names a missing file', () => {
    writeIdxFolder(dir, { train: 10, test: 10 })
    rmSync(join(dir, IDX_FILES.testLabels))
    assert.throws(() => loadIdxFolder(dir), (err: unknown) => err instanceof DataError && err.message.includes(`missing data file ${join(dir, IDX_FILES.testLabels)}`))
  })

  it('names a missing folder', () => {
    assert.throws(() => loadIdxFolder(join(dir, 'nope')), /data folder .*nope does not exist/)
  })

  it('names a truncated file and what is wrong with it', () => {
    writeIdxFolder(dir, { train: 10, test: 10 })
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28])
    writeFileSync(join(dir, IDX_FILES.trainImages), Buffer.concat([header, Buffer.alloc(100)]))
    assert.throws(() => loadIdxFolder(dir), /train-images-idx3-ubyte: header promises 7840 values \(10×28×28\) but the file holds 100/)
  })

  it('names a file that is not IDX, and a broken gzip file', () => {
    writeIdxFolder(dir, { train: 10, test: 10 })
    writeFileSync(join(dir, IDX_FILES.trainLabels), 'hello, world')
    assert.throws(() => loadIdxFolder(dir), /train-labels-idx1-ubyte: not an IDX file/)
    rmSync(join(dir, IDX_FILES.trainLabels))
    writeFileSync(join(dir, `${IDX_FILES.trainLabels}.gz`), gzipSync(Buffer.from('x')).subarray(0, 5))
    assert.throws(() => loadIdxFolder(dir), /train-labels-idx1-ubyte.gz: not a valid gzip file/)
  })

  it('names image and label files that do not belong together', () => {
    writeIdxFolder(dir, { train: 10, test: 10 })
    writeFileSync(join(dir, IDX_FILES.trainLabels), Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 0, 12]), Buffer.alloc(12)]))
    assert.throws(() => loadIdxFolder(dir), /training set: 10 images but 12 labels/)
  })
})
