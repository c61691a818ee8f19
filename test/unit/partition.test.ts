import assert from 'node:assert/strict'
import { partitionRows } from '../../src/data/partition.ts'
import { loadBuiltinMnist } from '../../src/data/mnist-builtin.ts'

const { pool, test } = loadBuiltinMnist()

function assertExactCover (shares: number[][], size: number): void {
  const all = shares.flat()
  assert.equal(all.length, size, 'every row is in some share')
  assert.equal(new Set(all).size, size, 'no row is in two shares')
}

/** Fraction of a share's samples that belong to its most common class. */
function topClassShare (rows: number[]): number {
  const counts = new Array<number>(10).fill(0)
  for (const row of rows) counts[pool.labels[row]]++
  return Math.max(...counts) / rows.length
}

describe('data split and partitions', () => {
  it('splits the 10,000 built-in digits into an 8,000 training pool and 2,000 held-out test digits', () => {
    assert.equal(pool.count, 8000)
    assert.equal(test.count, 2000)
    assert.deepEqual(pool.sampleShape, [28, 28, 1])
    for (let label = 0; label < 10; label++) assert.ok(test.labels.includes(label), `test set holds digit ${label}`)
  })

  for (const split of ['iid', 'dirichlet'] as const) {
    it(`${split}: the shares of n peers cover the pool exactly, without overlap`, () => {
      for (const peers of [1, 3, 4, 7]) {
        assertExactCover(partitionRows(pool.labels, 10, { peers, split, alpha: 0.5, seed: 42 }), pool.count)
      }
    })

    it(`${split}: every peer computes the same shares from the same seed`, () => {
      const a = partitionRows(pool.labels, 10, { peers: 4, split, alpha: 0.5, seed: 7 })
      const b = partitionRows(pool.labels, 10, { peers: 4, split, alpha: 0.5, seed: 7 })
      assert.deepEqual(a, b)
      assert.notDeepEqual(a, partitionRows(pool.labels, 10, { peers: 4, split, alpha: 0.5, seed: 8 }))
    })
  }

  it('iid: shares are of equal size and hold every class in about its overall proportion', () => {
    const shares = partitionRows(pool.labels, 10, { peers: 4, split: 'iid', alpha: 0.5, seed: 42 })
    for (const share of shares) {
      assert.equal(share.length, 2000)
      assert.ok(topClassShare(share) < 0.15, `top class share ${topClassShare(share)}`)
    }
  })

  it('dirichlet: a small alpha skews the labels of each share, a large one barely does', () => {
    const skewed = partitionRows(pool.labels, 10, { peers: 4, split: 'dirichlet', alpha: 0.1, seed: 42 })
    const mild = partitionRows(pool.labels, 10, { peers: 4, split: 'dirichlet', alpha: 100, seed: 42 })
    const mean = (shares: number[][]): number => shares.reduce((s, rows) => s + topClassShare(rows), 0) / shares.length
    assert.ok(mean(skewed) > 0.3, `alpha 0.1: top class holds ${mean(skewed)} of a share on average`)
    assert.ok(mean(mild) < 0.15, `alpha 100: top class holds ${mean(mild)} of a share on average`)
  })
})
