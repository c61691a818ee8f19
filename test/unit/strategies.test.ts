import assert from 'node:assert/strict'
import { createStrategy, runInSlices, runToEnd } from '../../src/merge/index.ts'
import type { Contribution, StrategySettings } from '../../src/merge/index.ts'
import { DEFAULTS } from '../../src/settings/parse.ts'
import type { Weights } from '../../src/model/weights.ts'
import { ConfigError } from '../../src/errors.ts'

function tensors (...values: number[][]): Weights {
  return values.map(v => ({ shape: [v.length], values: Float32Array.from(v) }))
}

/** A contribution whose weights are base + the given changes. */
function change (peer: string, samples: number, base: Weights, ...deltas: number[][]): Contribution {
  return { peer, samples, weights: base.map((t, i) => ({ shape: t.shape, values: t.values.map((v, k) => v + deltas[i][k]) })) }
}

function strategy (merge: string, settings: Partial<StrategySettings> = {}): ReturnType<typeof createStrategy> {
  return createStrategy({ ...DEFAULTS, merge, ...settings })
}

/** The merged model's values of tensor `t` for contributions of one-tensor changes from a base of zeros. */
function merged (merge: string, changes: Array<[number, number[]]>, settings: Partial<StrategySettings> = {}): number[] {
  const base = tensors(changes[0][1].map(() => 0))
  const contributions = changes.map(([samples, delta], i) => change(`p${i}`, samples, base, delta))
  return [...runToEnd(strategy(merge, settings).merge({ base, contributions, state: [] })).weights[0].values]
}

function assertClose (actual: number[], expected: number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length)
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tolerance, `value ${i}: ${v}, expected ${expected[i]}`))
}

describe('merge strategies', () => {
  it('fedavg weights each change by its sample count, from any base', () => {
    // base [1, 1]; changes [1, 2] (100 samples) and [4, 0] (300): 1 + (1·100 + 4·300)/400 = 4.25, 1 + (2·100)/400 = 1.5
    const base = tensors([1, 1])
    const result = runToEnd(strategy('fedavg').merge({ base, contributions: [change('a', 100, base, [1, 2]), change('b', 300, base, [4, 0])], state: [] }))
    assert.deepEqual([...result.weights[0].values], [4.25, 1.5])
    assert.equal(result.samples, 400)
    assert.deepEqual(result.state, [], 'fedavg keeps no state')
  })

  it('median takes each coordinate\'s middle change, ignoring sample counts', () => {
    assert.deepEqual(merged('median', [[1, [1, -3]], [1000, [100, 0]], [1, [5, 7]]]), [5, 0])
    assert.deepEqual(merged('median', [[1, [1]], [1, [2]], [1, [3]], [1, [100]]]), [2.5], 'an even count averages the two middle values')
  })

  it('trimmed-mean drops ⌈β·n⌉ values at each end and weights the rest by samples', () => {
    // β 0.2 of 5: one dropped at each end; (1·1 + 2·1 + 3·3) / 5 = 2.4
    assert.deepEqual(merged('trimmed-mean', [[1, [-100]], [1, [1]], [1, [2]], [3, [3]], [1, [100]]], { trimFraction: 0.2 }), [Math.fround(2.4)])
    assert.equal(strategy('trimmed-mean', { trimFraction: 0.2 }).minContributions, 3, 'β 0.2 needs 3 updates: one left after trimming one at each end')
    assert.equal(strategy('trimmed-mean', { trimFraction: 0.4 }).minContributions, 5, 'β 0.4 needs 5')
  })

  it('krum takes the change closest to its n − f − 2 nearest others; multi-krum averages the best n − f by samples', () => {
    // squared distances to the 2 nearest others: 0 → 1 + 9 = 10, 1 → 1 + 4 = 5, 3 → 4 + 16 = 20... 1 scores best
    const changes: Array<[number, number[]]> = [[1, [0]], [2, [1]], [1, [3]], [4, [7]], [1, [100]]]
    assert.deepEqual(merged('krum', changes, { byzantine: 1 }), [1])
    // kept: 0, 1, 3, 7 (100 scores worst); (0·1 + 1·2 + 3·1 + 7·4) / 8 = 4.125
    assert.deepEqual(merged('multi-krum', changes, { byzantine: 1 }), [4.125])
    assert.deepEqual(merged('multi-krum', changes, { byzantine: 1, multiKrumKeep: 2 }), [(0 * 1 + 1 * 2) / 3].map(Math.fround))
    assert.equal(strategy('krum', { byzantine: 1 }).minContributions, 5, 'n > 2f + 2')
    assert.equal(strategy('multi-krum', { byzantine: 2 }).minContributions, 7)
  })

  it('geomedian finds the sample-weighted geometric median', () => {
    // on a line the geometric median is the weighted median
    assertClose(merged('geomedian', [[1, [0]], [1, [1]], [1, [10]]]), [1], 1e-3)
    assertClose(merged('geomedian', [[3, [0, 0]], [1, [10, 10]]]), [0, 0], 1e-3)
    // three equal weights at the corners of a triangle with angles under 120°: the median sees each pair of corners at 120° (the Fermat point)
    const [x, y] = merged('geomedian', [[1, [0, 0]], [1, [4, 0]], [1, [0, 4]]])
    const angle = (ax: number, ay: number, bx: number, by: number): number => Math.acos(((ax - x) * (bx - x) + (ay - y) * (by - y)) / (Math.hypot(ax - x, ay - y) * Math.hypot(bx - x, by - y)))
    assert.ok(Math.abs(angle(0, 0, 4, 0) - 2 * Math.PI / 3) < 1e-2 && Math.abs(angle(4, 0, 0, 4) - 2 * Math.PI / 3) < 1e-2, `median at ${x}, ${y}`)
  })

  it('clipped scales each change down to the bound, fixed or a multiple of the median norm', () => {
    // [3, 4] has norm 5: clipped to 1 it is [0.6, 0.8]
    assertClose(merged('clipped', [[1, [3, 4]], [1, [0.6, 0.8]]], { clipNorm: 1 }), [0.6, 0.8])
    // norms 1, 2, 10; median 2 × 1: the last is scaled to norm 2
    assertClose(merged('clipped', [[1, [1]], [1, [2]], [1, [10]]], { clipNorm: 0, clipMultiplier: 1 }), [(1 + 2 + 2) / 3])
  })

  it('fedavgm keeps server momentum as state and continues from it', () => {
    // m = 1, x = 0 + 1; then m = 0.9 · 1 + 1 = 1.9, x = 1 + 1.9
    const s = strategy('fedavgm', { serverMomentum: 0.9 })
    let base = tensors([0])
    const first = runToEnd(s.merge({ base, contributions: [change('a', 1, base, [1])], state: [] }))
    assert.deepEqual([...first.weights[0].values], [1])
    assert.deepEqual([...first.state[0].values], [1])
    base = first.weights
    const second = runToEnd(s.merge({ base, contributions: [change('a', 1, base, [1])], state: first.state }))
    assertClose([...second.weights[0].values], [2.9])
  })

  it('fedadam and fedyogi step by η·m/(√v + τ) with their own second moments', () => {
    const settings = { serverLearningRate: 0.01, serverMomentum: 0.9, serverBeta2: 0.99, serverTau: 0.001 }
    for (const name of ['fedadam', 'fedyogi']) {
      const s = strategy(name, settings)
      let base = tensors([0])
      // first step: m = 0.1, v = 0.01 (adam: 0.01·1; yogi: 0 − 0.01·1·sign(0 − 1)); x = 0.01 · 0.1 / (0.1 + 0.001)
      const first = runToEnd(s.merge({ base, contributions: [change('a', 1, base, [1])], state: [] }))
      assertClose([...first.weights[0].values], [0.01 * 0.1 / (0.1 + 0.001)])
      assert.equal(first.state.length, 2, 'first and second moment')
      base = first.weights
      // second step: m = 0.19; adam v = 0.99·0.01 + 0.01 = 0.0199, yogi v = 0.01 + 0.01 = 0.02
      const second = runToEnd(s.merge({ base, contributions: [change('a', 1, base, [1])], state: first.state }))
      const v = name === 'fedadam' ? 0.0199 : 0.02
      assertClose([...second.weights[0].values], [first.weights[0].values[0] + 0.01 * 0.19 / (Math.sqrt(v) + 0.001)], 1e-6)
    }
  })

  it('pools data statistics carried after the model tensors as sample-weighted means, whatever the strategy', () => {
    const base = tensors([0], [0, 0])
    const contributions = [change('a', 1, base, [1], [2, 2]), change('b', 3, base, [5], [6, 6]), change('c', 1, base, [9], [10, 10])]
    const result = runToEnd(strategy('median').merge({ base, contributions, state: [], modelTensors: 1 }))
    assert.deepEqual([...result.weights[0].values], [5], 'the model tensor by median')
    assert.deepEqual([...result.weights[1].values], [6, 6], 'the statistics by the weighted mean: (2 + 18 + 10) / 5')
  })

  it('gives the same bytes whatever order the contributions arrive in, on every run', () => {
    const base = tensors([0.1, -0.2, 0.3], [0.5])
    const contributions = ['p3', 'p1', 'p7', 'p2', 'p5', 'p4', 'p6'].map((peer, i) => change(peer, 10 + i * 7, base, [Math.sin(i), Math.cos(i) * 1e7, 1 / (i + 1)], [i * 1e-7]))
    for (const name of ['fedavg', 'fedadam', 'fedyogi', 'fedavgm', 'clipped', 'trimmed-mean', 'median', 'geomedian', 'krum', 'multi-krum']) {
      const bytes = (order: Contribution[]): string => {
        const result = runToEnd(strategy(name).merge({ base, contributions: order, state: [] }))
        return Buffer.concat([...result.weights, ...result.state].map(t => Buffer.from(t.values.buffer))).toString('hex')
      }
      const reference = bytes(contributions)
      assert.equal(bytes([...contributions].reverse()), reference, `${name}: reversed order`)
      assert.equal(bytes([...contributions.slice(3), ...contributions.slice(0, 3)]), reference, `${name}: rotated order`)
    }
  })

  it('refuses to merge fewer contributions than it needs, and names the bad combinations', () => {
    const base = tensors([0])
    assert.throws(() => runToEnd(strategy('krum', { byzantine: 1 }).merge({ base, contributions: [change('a', 1, base, [1])], state: [] })), /at least 5 contributions/)
    assert.throws(() => strategy('fedadam', { serverOptimizer: 'adam' }), (err: unknown) => err instanceof ConfigError && /--server-optimizer combines a server optimizer with a robust merge/.test(err.message))
    assert.match(strategy('median', { serverOptimizer: 'adam' }).describe, /median; server adam/, 'a robust merge with a server optimizer')
  })

  it('lets the event loop run while it merges a large model', async () => {
    const size = 400_000
    const base = [{ shape: [size], values: new Float32Array(size) }]
    const contributions = Array.from({ length: 9 }, (_, i) => ({ peer: `p${i}`, samples: 1, weights: [{ shape: [size], values: new Float32Array(size).fill(i) }] }))
    let turns = 0
    const timer = setInterval(() => { turns++ }, 1)
    const result = await runInSlices(strategy('median').merge({ base, contributions, state: [] }))
    clearInterval(timer)
    assert.equal(result.weights[0].values[size - 1], 4)
    assert.ok(turns >= 2, `timers ran ${turns} times during the merge`)
  })
})
