import { inSlices } from './slices.ts'
import { sampleShares, weightedSum } from './changes.ts'
import type { Aggregator, Changes, Slices } from './types.ts'

/**
 * Krum (Blanchard et al. 2017): assuming at most f bad peers, each change is
 * scored by the sum of squared distances to its n − f − 2 nearest others,
 * and the change with the lowest score is taken. Needs n > 2f + 2. Multi-Krum
 * keeps the `keep` best-scored changes (default n − f) and averages them by
 * sample count, which loses less of the honest peers' data.
 */
export function krumAggregator (settings: { byzantine: number }, multi?: { keep: number }): Aggregator {
  const f = settings.byzantine
  const keepText = multi === undefined ? '' : `, keeps ${multi.keep > 0 ? multi.keep : 'n - f'}`
  return {
    describe: `${multi === undefined ? 'krum' : 'multi-krum'}, f ${f}${keepText}`,
    minContributions: 2 * f + 3,
    aggregate: function * (changes) {
      const n = changes.contributions.length
      const scores = yield * krumScores(changes, f)
      // lowest score first; ties keep peer order
      const ranked = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b)
      const keep = multi === undefined ? 1 : Math.min(n, multi.keep > 0 ? multi.keep : n - f)
      const kept = new Set(ranked.slice(0, keep))
      const shares = sampleShares(changes.contributions.filter((_, i) => kept.has(i)))
      let next = 0
      return yield * weightedSum(changes, changes.contributions.map((_, i) => (kept.has(i) ? shares[next++] : 0)))
    }
  }
}

/** Each change's Krum score: the sum of its squared distances to its n − f − 2 nearest other changes. */
export function * krumScores ({ base, contributions }: Changes, f: number): Slices<number[]> {
  const n = contributions.length
  const distances = Array.from({ length: n }, () => new Float64Array(n))
  for (const [t, tensor] of base.entries()) {
    const columns = contributions.map(c => c.weights[t].values)
    yield * inSlices(tensor.values.length, (from, to) => {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = columns[i]
          const b = columns[j]
          let sum = 0
          for (let k = from; k < to; k++) sum += (a[k] - b[k]) ** 2
          distances[i][j] += sum
          distances[j][i] += sum
        }
      }
    }, 1 << 13)
  }
  const nearest = Math.max(0, n - f - 2)
  return distances.map((row, i) => {
    const others = row.filter((_, j) => j !== i).sort()
    return others.subarray(0, nearest).reduce((s, d) => s + d, 0)
  })
}
