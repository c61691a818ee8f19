import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dataOptions, loadPeerData } from '../../src/data/index.ts'
import { detectFormat } from '../../src/data/sources.ts'
import { sampleSize } from '../../src/data/dataset.ts'
import { DEFAULTS } from '../../src/settings/parse.ts'
import { ConfigError } from '../../src/errors.ts'
import { tableCsv } from '../../scripts/example-data.ts'
import { writeIdxFolder } from '../helpers/idx.ts'
import { tempFolder } from '../helpers/temp.ts'

describe('a peer\'s data: sources, shares, test splits, standardization', () => {
  const folder = tempFolder('peer-data')
  const table = join(folder.path, 'table.csv')
  const options = { ...dataOptions(DEFAULTS), data: table, label: 'outcome' }
  before(() => { writeFileSync(table, tableCsv(500, 3, 'classification')) })
  after(() => { folder.remove() })

  it('detects the format from what the path is', () => {
    const idx = join(folder.path, 'idx')
    mkdirSync(idx)
    writeIdxFolder(idx, { train: 10, test: 10 })
    const images = join(folder.path, 'images')
    mkdirSync(images)
    assert.equal(detectFormat(table, 'auto'), 'csv')
    assert.equal(detectFormat(idx, 'auto'), 'idx')
    assert.equal(detectFormat(images, 'auto'), 'images')
    assert.equal(detectFormat(images, 'csv'), 'csv')
    assert.throws(() => detectFormat(join(folder.path, 'missing.csv'), 'auto'), /does not exist: give a folder of MNIST IDX files, or a folder of class subfolders of images, or a CSV file/)
  })

  it('holds out a seeded --test-fraction of each share, the same rows on every load, none of them trained on', async () => {
    const shares = await Promise.all([1, 2].map(async i => await loadPeerData({ ...options, normalize: 'none', partIndex: i, partCount: 2 })))
    for (const { train, test } of shares) {
      assert.equal(train.count + test.count, 250)
      assert.equal(test.count, 50)
    }
    const again = await loadPeerData({ ...options, normalize: 'none', partIndex: 1, partCount: 2 })
    assert.deepEqual(again.test.features, shares[0].test.features)
    const rows = (data: typeof again.train): Set<string> => new Set(Array.from({ length: data.count }, (_, r) => data.features.subarray(r * 7, (r + 1) * 7).join(',')))
    const trained = rows(shares[0].train)
    assert.ok([...rows(shares[0].test)].every(row => !trained.has(row)), 'no test row is a training row')
  })

  it('--normalize local standardizes the numeric columns with the peer\'s own rows; swarm leaves it to round 1', async () => {
    const local = await loadPeerData({ ...options, normalize: 'local' })
    const size = sampleSize(local.train.sampleShape)
    for (const feature of local.stats?.features ?? []) {
      const values = Array.from({ length: local.train.count }, (_, r) => local.train.features[r * size + feature])
      const mean = values.reduce((a, b) => a + b, 0) / values.length
      const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length
      assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-4, `feature ${feature}: mean ${mean}, variance ${variance}`)
    }
    assert.deepEqual(local.stats?.features, [0, 1, 2])
    const swarm = await loadPeerData({ ...options, normalize: 'swarm' })
    assert.deepEqual(swarm.numericFeatures, [0, 1, 2])
    assert.equal(swarm.stats, undefined)
  })

  it('refuses a label skew (--split dirichlet) of numeric labels', async () => {
    const values = join(folder.path, 'values.csv')
    writeFileSync(values, tableCsv(100, 4, 'regression'))
    await assert.rejects(loadPeerData({ ...options, data: values, split: 'dirichlet', partCount: 2 }), (err: Error) => err instanceof ConfigError && /--split dirichlet skews class labels/.test(err.message))
  })
})
