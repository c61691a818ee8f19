/** Data → a peer's training share plus the shared held-out test set. */
import type { PeerData } from './dataset.ts'
import { selectRows } from './dataset.ts'
import { loadBuiltinMnist } from './mnist-builtin.ts'
import { loadIdxFolder } from './idx.ts'
import { partitionRows } from './partition.ts'
import type { SplitKind } from './partition.ts'

export type { Dataset, PeerData } from './dataset.ts'
export type { SplitKind } from './partition.ts'

export interface DataOptions {
  /** folder of MNIST-layout IDX files; undefined = the built-in digits */
  dataDir?: string
  /** 1-based index of this peer's share */
  partIndex: number
  partCount: number
  split: SplitKind
  alpha: number
  seed: number
}

export function loadPeerData (options: DataOptions): PeerData {
  const { pool, test } = options.dataDir === undefined ? loadBuiltinMnist() : loadIdxFolder(options.dataDir)
  const shares = partitionRows(pool.labels, pool.numClasses, {
    peers: options.partCount, split: options.split, alpha: options.alpha, seed: options.seed
  })
  const train = selectRows(pool, shares[options.partIndex - 1])
  const source = options.dataDir ?? 'built-in MNIST digits'
  return { train, test, source }
}
