/**
 * The merge strategies a swarm may use (--merge), each built from its
 * settings. A new strategy is one file (its aggregator or server step) and
 * one line here. docs/STRATEGIES.md explains each and when to use it.
 */
import { ConfigError } from '../errors.ts'
import { clippedAggregator } from './clipped.ts'
import { geomedianAggregator } from './geomedian.ts'
import { krumAggregator } from './krum.ts'
import { meanAggregator } from './mean.ts'
import { medianAggregator } from './median.ts'
import { serverStep } from './server-optimizers.ts'
import type { ServerOptimizerName, ServerOptimizerSettings } from './server-optimizers.ts'
import { composeStrategy } from './strategy.ts'
import { trimmedMeanAggregator } from './trimmed-mean.ts'
import type { Aggregator, MergeStrategy } from './types.ts'

export type { Aggregator, Contribution, MergeInput, MergeResult, MergeStrategy, Slices } from './types.ts'
export { runInSlices, runToEnd } from './slices.ts'
export { SERVER_OPTIMIZERS } from './server-optimizers.ts'
export type { ServerOptimizerName } from './server-optimizers.ts'

/** The settings strategies read (rows of src/settings/table.ts). */
export interface StrategySettings extends ServerOptimizerSettings {
  merge: string
  serverOptimizer: ServerOptimizerName
  proximalMu: number
  clipNorm: number
  clipMultiplier: number
  trimFraction: number
  byzantine: number
  multiKrumKeep: number
}

interface StrategyEntry {
  /** one line for --help and docs/STRATEGIES.md */
  summary: string
  aggregator: (s: StrategySettings) => Aggregator
  /** the server optimizer the name stands for; unset: --server-optimizer picks one */
  server?: ServerOptimizerName
  /** the client-side proximal term, for fedprox */
  proximal?: true
}

export const STRATEGIES: Record<string, StrategyEntry> = {
  fedavg: { summary: 'sample-weighted mean of the updates', aggregator: meanAggregator },
  fedprox: { summary: 'fedavg, with a proximal term --proximal-mu in local training for non-IID sites', aggregator: meanAggregator, server: 'none', proximal: true },
  fedavgm: { summary: 'fedavg with server momentum', aggregator: meanAggregator, server: 'momentum' },
  fedadam: { summary: 'fedavg with the Adam server optimizer', aggregator: meanAggregator, server: 'adam' },
  fedyogi: { summary: 'fedavg with the Yogi server optimizer', aggregator: meanAggregator, server: 'yogi' },
  clipped: { summary: 'each change clipped to a norm bound, then the sample-weighted mean', aggregator: clippedAggregator },
  'trimmed-mean': { summary: 'coordinate-wise trimmed mean', aggregator: trimmedMeanAggregator },
  median: { summary: 'coordinate-wise median', aggregator: medianAggregator },
  geomedian: { summary: 'sample-weighted geometric median (Weiszfeld)', aggregator: geomedianAggregator },
  krum: { summary: 'the one update closest to its neighbours (Krum)', aggregator: s => krumAggregator(s) },
  'multi-krum': { summary: 'the mean of the updates Krum ranks best', aggregator: s => krumAggregator(s, { keep: s.multiKrumKeep }) }
}

/** Whether the strategy merges the (weighted) sum of the updates, all that secure aggregation reveals. */
export function isSumBased (merge: string): boolean {
  return STRATEGIES[merge]?.aggregator === meanAggregator
}

/**
 * The strategy the settings name; a combination that makes no sense is a
 * ConfigError. `aggregator` replaces the strategy's own (client-level
 * differential privacy replaces the plain mean with its noised one).
 */
export function createStrategy (settings: StrategySettings, aggregator?: Aggregator): MergeStrategy {
  const entry = STRATEGIES[settings.merge]
  if (entry === undefined) throw new ConfigError(`unknown merge strategy "${settings.merge}"; available: ${Object.keys(STRATEGIES).join(', ')}`)
  if (entry.server !== undefined && settings.serverOptimizer !== 'none') {
    throw new ConfigError(`--merge ${settings.merge} already is ${entry.server === 'none' ? 'fedavg' : `the ${entry.server} server optimizer`}; --server-optimizer combines a server optimizer with a robust merge (clipped, trimmed-mean, median, geomedian, krum, multi-krum)`)
  }
  const server = serverStep(entry.server ?? settings.serverOptimizer, settings)
  return composeStrategy(settings.merge, aggregator ?? entry.aggregator(settings), server, entry.proximal === true ? settings.proximalMu : 0)
}
