/**
 * Data → a peer's training share and its test split, through the source
 * registry (src/data/sources.ts), the partition among simulated sites and the
 * chosen standardization.
 */
import type { Dataset, PeerData } from './dataset.ts'
import { selectRows } from './dataset.ts'
import { partitionRows } from './partition.ts'
import type { SplitKind } from './partition.ts'
import { builtinDigits, DATA_SOURCES, detectFormat } from './sources.ts'
import type { DataFormat, SourceOptions } from './sources.ts'
import { featureMoments, standardize, statsFromMoments } from './normalization.ts'
import { seededRandom, shuffle } from './random.ts'
import { ConfigError } from '../errors.ts'
import type { PeerConfig } from '../settings/table.ts'

export type { Dataset, PeerData } from './dataset.ts'
export type { SplitKind } from './partition.ts'

export type Normalization = 'swarm' | 'local' | 'none'

export interface DataOptions extends SourceOptions {
  /** --data; undefined = the built-in digits */
  data?: string
  format: DataFormat | 'auto'
  /** --test-data: labelled data in the same format; else the source's own test set, else a hold-out */
  testData?: string
  /** the share of this peer's data held out for testing when there is no test data */
  testFraction: number
  /** 1-based index of this peer's share */
  partIndex: number
  partCount: number
  split: SplitKind
  alpha: number
  seed: number
  normalize: Normalization
}

/** The data settings of a peer's config. */
export function dataOptions (config: PeerConfig): DataOptions {
  return {
    ...config,
    format: config.dataFormat,
    task: config.task === 'auto' ? undefined : config.task,
    channels: config.channels === 3 ? 3 : 1,
    partIndex: config.partition.index,
    partCount: config.partition.count
  }
}

export async function loadPeerData (options: DataOptions): Promise<PeerData> {
  const format = options.data === undefined ? 'builtin' : detectFormat(options.data, options.format)
  const source = format === 'builtin' ? undefined : DATA_SOURCES[format]
  const loaded = source === undefined ? builtinDigits() : await source.load(options.data as string, options)
  const { pool } = loaded
  if (options.split === 'dirichlet' && pool.labelKind === 'number') {
    throw new ConfigError('--split dirichlet skews class labels, but this data has numeric labels (regression): use --split iid')
  }
  const shares = partitionRows(pool.labels, pool.classNames.length, {
    peers: options.partCount, split: options.split, alpha: options.alpha, seed: options.seed
  })
  let train = selectRows(pool, shares[options.partIndex - 1])
  let test: Dataset
  const notes = [...loaded.notes]
  if (options.testData !== undefined && source !== undefined) {
    const other = await source.load(options.testData, options, loaded)
    test = other.test ?? other.pool
    notes.push(...other.notes)
  } else if (loaded.test !== undefined) {
    test = loaded.test
  } else {
    ({ train, test } = holdOut(train, options.testFraction, options.seed))
  }
  const features = loaded.numericFeatures
  const described = options.data === undefined ? 'built-in MNIST digits' : options.data
  if (options.normalize === 'local' && features.length > 0) {
    const stats = statsFromMoments(featureMoments(train, features))
    return { train: standardize(train, stats), test: standardize(test, stats), source: described, format, schema: loaded.schema, numericFeatures: [], stats, notes }
  }
  return { train, test, source: described, format, schema: loaded.schema, numericFeatures: options.normalize === 'swarm' ? features : [], notes }
}

/** This peer's rows split into training and test, the same way on every run. */
function holdOut (data: Dataset, fraction: number, seed: number): { train: Dataset, test: Dataset } {
  const rows = shuffle(Array.from({ length: data.count }, (_, i) => i), seededRandom(seed ^ 0x7e57))
  const testCount = Math.round(data.count * fraction)
  if (testCount === 0 || testCount === data.count) {
    throw new ConfigError(`--test-fraction ${fraction} of this peer's ${data.count} samples leaves no ${testCount === 0 ? 'test' : 'training'} samples: give --test-data <path>, change --test-fraction, or use fewer peers`)
  }
  return { test: selectRows(data, rows.slice(0, testCount).sort((a, b) => a - b)), train: selectRows(data, rows.slice(testCount).sort((a, b) => a - b)) }
}
