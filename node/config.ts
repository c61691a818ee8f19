/**
 * The peer's settings: defaults, overridden by a JSON config file, overridden
 * by command line flags. Every value is validated; a bad one gives a
 * ConfigError naming the setting, what is wrong and how to fix it.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { ConfigError } from '../src/errors.ts'
import { MERGE_METHODS } from '../src/merge/index.ts'
import { parseAllowList } from '../src/network/access.ts'
import type { SplitKind } from '../src/data/index.ts'
import { COMPRESSIONS } from '../src/wire/tensors.ts'
import type { Compression } from '../src/wire/tensors.ts'

export interface PeerConfig {
  /** where the peer keeps its key, event log, checkpoints and final model */
  dataDir: string
  listen: string[]
  /** multiaddrs of running peers to join through */
  peers: string[]
  /** folder of MNIST-layout IDX files; unset = the built-in digits */
  data?: string
  partition: { index: number, count: number }
  split: SplitKind
  alpha: number
  rounds: number
  epochs: number
  minPeers: number
  seed: number
  learningRate: number
  batchSize: number
  hiddenLayers: number[]
  merge: string
  /** after this long in a round, the leader merges what it holds (at least minPeers updates) */
  quorumWaitMs: number
  /** a silent leader's k-th successor merges after quorumWaitMs + k × this */
  failoverDelayMs: number
  /** how long a peer keeps trying to reach its --peer addresses */
  joinTimeoutMs: number
  /** after the last round, a peer stays up to this long while members are behind */
  finishWaitMs: number
  /** updates that change the model by more than this (L2 norm) are dropped */
  maxUpdateNorm: number
  /** updates claiming more samples than this are dropped */
  maxSamples: number
  /** how this peer encodes its updates: float32 ("none"), float16, or int8 with a per-tensor scale */
  compression: Compression
  /** peers only talk to peers with the same swarm name */
  swarmName: string
  /** file of the swarm key (swarm-node keygen); unset = an open swarm */
  swarmKey?: string
  /** if not empty, only these peer IDs may connect */
  allow: string[]
  /** obey fault plans written into the data dir (docs/FAULTS.md); for testing only */
  faultInjection: boolean
}

export const DEFAULT_CONFIG: PeerConfig = {
  dataDir: 'swarm-data',
  listen: ['/ip4/127.0.0.1/tcp/0'],
  peers: [],
  partition: { index: 1, count: 1 },
  split: 'iid',
  alpha: 0.5,
  rounds: 10,
  epochs: 2,
  minPeers: 2,
  seed: 42,
  learningRate: 0.1,
  batchSize: 32,
  hiddenLayers: [200, 200],
  merge: 'fedavg',
  quorumWaitMs: 30_000,
  failoverDelayMs: 15_000,
  joinTimeoutMs: 600_000,
  finishWaitMs: 60_000,
  maxUpdateNorm: 100,
  maxSamples: 10_000_000,
  compression: 'none',
  swarmName: 'default',
  allow: [],
  faultInjection: false
}

/** Flags of `swarm-node start`, with the config key each one sets. */
const FLAGS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  listen: { type: 'string', multiple: true },
  peer: { type: 'string', multiple: true },
  data: { type: 'string' },
  partition: { type: 'string' },
  split: { type: 'string' },
  alpha: { type: 'string' },
  rounds: { type: 'string' },
  epochs: { type: 'string' },
  'min-peers': { type: 'string' },
  seed: { type: 'string' },
  'learning-rate': { type: 'string' },
  'batch-size': { type: 'string' },
  hidden: { type: 'string' },
  merge: { type: 'string' },
  'quorum-wait-ms': { type: 'string' },
  'failover-delay-ms': { type: 'string' },
  'join-timeout-ms': { type: 'string' },
  'finish-wait-ms': { type: 'string' },
  'max-update-norm': { type: 'string' },
  'max-samples': { type: 'string' },
  compression: { type: 'string' },
  'swarm-name': { type: 'string' },
  'swarm-key': { type: 'string' },
  allow: { type: 'string', multiple: true },
  'fault-injection': { type: 'boolean' }
} as const

const FLAG_TO_KEY: Record<string, keyof PeerConfig> = {
  'data-dir': 'dataDir',
  listen: 'listen',
  peer: 'peers',
  data: 'data',
  partition: 'partition',
  split: 'split',
  alpha: 'alpha',
  rounds: 'rounds',
  epochs: 'epochs',
  'min-peers': 'minPeers',
  seed: 'seed',
  'learning-rate': 'learningRate',
  'batch-size': 'batchSize',
  hidden: 'hiddenLayers',
  merge: 'merge',
  'quorum-wait-ms': 'quorumWaitMs',
  'failover-delay-ms': 'failoverDelayMs',
  'join-timeout-ms': 'joinTimeoutMs',
  'finish-wait-ms': 'finishWaitMs',
  'max-update-norm': 'maxUpdateNorm',
  'max-samples': 'maxSamples',
  compression: 'compression',
  'swarm-name': 'swarmName',
  'swarm-key': 'swarmKey',
  allow: 'allow',
  'fault-injection': 'faultInjection'
}

/** Parses `swarm-node start` arguments into a validated config. */
export function parseStartArgs (args: string[]): PeerConfig {
  let parsed
  try {
    parsed = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Run swarm-node start --help for the list of flags`)
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>
  const raw: Record<string, unknown> = {}
  if (typeof values.config === 'string') Object.assign(raw, readConfigFile(values.config))
  for (const [flag, key] of Object.entries(FLAG_TO_KEY)) {
    const value = values[flag]
    if (value !== undefined) raw[key] = flagValue(key, value as string | string[] | boolean)
  }
  const where = typeof values.config === 'string' ? `(from flags or ${values.config})` : '(from flags)'
  return validateConfig(raw, where)
}

/** Reads a JSON config file; unknown keys and bad JSON are errors. */
export function readConfigFile (file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ConfigError(`config file ${file} cannot be read: check the path given to --config`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`config file ${file} must hold a JSON object of settings`)
  const known = Object.keys(DEFAULT_CONFIG).concat('data', 'swarmKey')
  for (const key of Object.keys(json)) {
    if (!known.includes(key)) throw new ConfigError(`config file ${file} has an unknown setting "${key}"; known settings: ${known.join(', ')}`)
  }
  return json as Record<string, unknown>
}

function flagValue (key: keyof PeerConfig, value: string | string[] | boolean): unknown {
  if (Array.isArray(value) || typeof value === 'boolean') return value
  switch (key) {
    case 'alpha': case 'rounds': case 'epochs': case 'minPeers': case 'seed': case 'learningRate': case 'batchSize':
    case 'quorumWaitMs': case 'failoverDelayMs': case 'joinTimeoutMs': case 'finishWaitMs': case 'maxUpdateNorm': case 'maxSamples':
      return value.trim() === '' ? NaN : Number(value)
    case 'hiddenLayers':
      return value.trim() === '' ? [] : value.split(',').map(v => Number(v.trim()))
    default:
      return value
  }
}

/** Validates settings (from a file and flags) over the defaults. */
export function validateConfig (raw: Record<string, unknown>, where = ''): PeerConfig {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(`setting ${key} ${where}: ${problem}`.replace('  ', ' '))
  }
  const merged = { ...DEFAULT_CONFIG, ...raw } as Record<string, unknown>
  const integer = (key: string, min: number): number => {
    const v = merged[key]
    if (!Number.isSafeInteger(v) || (v as number) < min) fail(key, `must be a whole number >= ${min}, got ${JSON.stringify(v)}`)
    return v as number
  }
  const positive = (key: string): number => {
    const v = merged[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(key, `must be a number > 0, got ${JSON.stringify(v)}`)
    return v as number
  }
  const text = (key: string): string => {
    const v = merged[key]
    if (typeof v !== 'string' || v === '') fail(key, `must be a non-empty string, got ${JSON.stringify(v)}`)
    return v as string
  }
  const addresses = (key: string): string[] => {
    const v = merged[key]
    if (!Array.isArray(v)) fail(key, 'must be a list of multiaddrs')
    for (const a of v as unknown[]) {
      try {
        if (typeof a !== 'string') throw new Error('not a string')
        multiaddr(a)
      } catch {
        fail(key, `${JSON.stringify(a)} is not a valid multiaddr; expected something like /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…`)
      }
    }
    return v as string[]
  }
  const flag = (key: string): boolean => {
    const v = merged[key]
    if (typeof v !== 'boolean') fail(key, `must be true or false, got ${JSON.stringify(v)}`)
    return v as boolean
  }
  const split = merged.split
  if (split !== 'iid' && split !== 'dirichlet') fail('split', `must be "iid" or "dirichlet", got ${JSON.stringify(split)}`)
  const hidden = merged.hiddenLayers
  if (!Array.isArray(hidden) || !hidden.every(h => Number.isSafeInteger(h) && h > 0)) {
    fail('hiddenLayers', `must be a list of positive layer widths such as [200, 200] (flag: --hidden 200,200), got ${JSON.stringify(hidden)}`)
  }
  const merge = text('merge')
  if (!(merge in MERGE_METHODS)) fail('merge', `unknown merge method "${merge}"; available: ${Object.keys(MERGE_METHODS).join(', ')}`)
  const data = merged.data
  if (data !== undefined && data !== null && (typeof data !== 'string' || data === '')) fail('data', 'must be the path of a folder of MNIST IDX files')
  const swarmKey = merged.swarmKey
  if (swarmKey !== undefined && swarmKey !== null && (typeof swarmKey !== 'string' || swarmKey === '')) fail('swarmKey', 'must be the path of a swarm key file (create one with swarm-node keygen --out <file>)')
  const compression = merged.compression
  if (!COMPRESSIONS.includes(compression as Compression)) fail('compression', `must be one of ${COMPRESSIONS.join(', ')}, got ${JSON.stringify(compression)}`)
  const allow = merged.allow
  if (!Array.isArray(allow) || !allow.every(a => typeof a === 'string')) fail('allow', 'must be a list of peer IDs')
  return {
    dataDir: text('dataDir'),
    listen: addresses('listen'),
    peers: addresses('peers'),
    data: typeof data === 'string' ? data : undefined,
    partition: parsePartition(merged.partition, fail),
    split: split as SplitKind,
    alpha: positive('alpha'),
    rounds: integer('rounds', 1),
    epochs: integer('epochs', 1),
    minPeers: integer('minPeers', 1),
    seed: integer('seed', 0),
    learningRate: positive('learningRate'),
    batchSize: integer('batchSize', 1),
    hiddenLayers: hidden as number[],
    merge,
    quorumWaitMs: integer('quorumWaitMs', 0),
    failoverDelayMs: integer('failoverDelayMs', 0),
    joinTimeoutMs: integer('joinTimeoutMs', 0),
    finishWaitMs: integer('finishWaitMs', 0),
    maxUpdateNorm: positive('maxUpdateNorm'),
    maxSamples: integer('maxSamples', 1),
    compression: compression as Compression,
    swarmName: text('swarmName'),
    swarmKey: typeof swarmKey === 'string' ? swarmKey : undefined,
    allow: parseAllowList(allow as string[], problem => fail('allow', problem)),
    faultInjection: flag('faultInjection')
  }
}

function parsePartition (value: unknown, fail: (key: string, problem: string) => never): { index: number, count: number } {
  if (typeof value === 'object' && value !== null && 'index' in value && 'count' in value) {
    value = `${String(value.index)}/${String(value.count)}`
  }
  const match = typeof value === 'string' ? /^(\d+)\/(\d+)$/.exec(value.trim()) : null
  if (match === null) return fail('partition', `must look like i/n (this peer's share i of n, 1 <= i <= n), got ${JSON.stringify(value)}`)
  const index = Number(match[1])
  const count = Number(match[2])
  if (count < 1 || index < 1 || index > count) fail('partition', `share ${index} of ${count} does not exist: i/n needs 1 <= i <= n`)
  return { index, count }
}
