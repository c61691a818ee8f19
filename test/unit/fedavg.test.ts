import assert from 'node:assert/strict'
import { fedAvg } from '../../src/merge/index.ts'
import type { Contribution } from '../../src/merge/index.ts'

function contribution (peer: string, samples: number, ...tensors: number[][]): Contribution {
  return { peer, samples, weights: tensors.map(values => ({ shape: [values.length], values: Float32Array.from(values) })) }
}

describe('FedAvg merge', () => {
  it('weights each contribution by its sample count', () => {
    // (1·100 + 4·300) / 400 = 3.25 ; (2·100 + 0·300) / 400 = 0.5
    const merged = fedAvg([contribution('a', 100, [1, 2]), contribution('b', 300, [4, 0])])
    assert.deepEqual([...merged.weights[0].values], [3.25, 0.5])
    assert.equal(merged.samples, 400)
  })

  it('averages every tensor of the model, three peers with unequal shares', () => {
    // tensor 0: (0·1 + 3·2 + 6·3) / 6 = 4 ; tensor 1: (6·1 + 0·2 + 0·3) / 6 = 1, (1+2+3)/6 = 1
    const merged = fedAvg([
      contribution('a', 1, [0], [6, 1]),
      contribution('b', 2, [3], [0, 1]),
      contribution('c', 3, [6], [0, 1])
    ])
    assert.deepEqual(merged.weights.map(t => [...t.values]), [[4], [1, 1]])
  })

  it('gives the same bytes whatever order the contributions arrive in', () => {
    // in float64, (1e17 + 1) - 1e17 is 0 but (1e17 - 1e17) + 1 is 1: the order of the sum matters
    const contributions = [contribution('p2', 1, [1e17]), contribution('p9', 1, [1]), contribution('p1', 1, [-1e17])]
    const merged = (order: number[]): number => fedAvg(order.map(i => contributions[i])).weights[0].values[0]
    const reference = merged([0, 1, 2])
    for (const order of [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) assert.equal(merged(order), reference, `order ${order.join(',')}`)
  })

  it('with equal sample counts is the plain mean', () => {
    const merged = fedAvg([contribution('a', 10, [1, -1]), contribution('b', 10, [3, 1])])
    assert.deepEqual([...merged.weights[0].values], [2, 0])
  })

  it('returns a single contribution unchanged', () => {
    const merged = fedAvg([contribution('a', 7, [0.1, 0.2, 0.3])])
    assert.deepEqual([...merged.weights[0].values], [...Float32Array.from([0.1, 0.2, 0.3])])
  })

  it('keeps the shapes of the tensors', () => {
    const weights = [{ shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) }]
    const merged = fedAvg([{ peer: 'a', samples: 1, weights }, { peer: 'b', samples: 1, weights }])
    assert.deepEqual(merged.weights[0].shape, [2, 2])
  })

  it('refuses contributions of different shapes or without samples', () => {
    assert.throws(() => fedAvg([contribution('a', 1, [1, 2]), contribution('b', 1, [1])]), /other shapes/)
    assert.throws(() => fedAvg([contribution('a', 0, [1])]), /0 samples/)
    assert.throws(() => fedAvg([]), /at least one/)
  })
})
