/**
 * Deterministic partitions of a training pool among n peers. Each peer computes
 * the whole partition from the labels and the seed and keeps only its share, so
 * n processes loading shares 1..n cover the pool exactly once, with no messages.
 */
import { dirichlet, seededRandom, shuffle } from './random.ts'

export type SplitKind = 'iid' | 'dirichlet'

export interface PartitionOptions {
  /** number of shares */
  peers: number
  split: SplitKind
  /** Dirichlet concentration; small values give strong label skew */
  alpha: number
  seed: number
}

/**
 * All n shares as lists of row indices into the pool. `iid` deals a shuffled
 * pool round-robin; `dirichlet` splits every class among the peers in
 * proportions drawn from Dirichlet(alpha), as in Hsu et al. 2019.
 */
export function partitionRows (labels: ArrayLike<number>, numClasses: number, options: PartitionOptions): number[][] {
  const { peers, split, alpha, seed } = options
  const random = seededRandom(seed ^ 0x5eed)
  const shares: number[][] = Array.from({ length: peers }, () => [])
  if (split === 'iid') {
    const rows = shuffle(Array.from({ length: labels.length }, (_, i) => i), random)
    rows.forEach((row, i) => shares[i % peers].push(row))
    return shares
  }
  for (let cls = 0; cls < numClasses; cls++) {
    const rows: number[] = []
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) rows.push(i)
    shuffle(rows, random)
    const proportions = dirichlet(peers, alpha, random)
    let start = 0
    let cumulative = 0
    for (let p = 0; p < peers; p++) {
      cumulative += proportions[p]
      const end = p === peers - 1 ? rows.length : Math.round(cumulative * rows.length)
      shares[p].push(...rows.slice(start, end))
      start = end
    }
  }
  for (const share of shares) share.sort((a, b) => a - b)
  return shares
}
