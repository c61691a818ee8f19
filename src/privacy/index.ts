/**
 * What a peer's privacy settings mean for the swarm: whether updates are
 * masked (secure aggregation), which differential privacy applies with which
 * noise, and the round after which the privacy budget is spent. Invalid
 * combinations are ConfigErrors that say what to change. docs/PRIVACY.md
 * explains the modes.
 */
import { ConfigError } from '../errors.ts'
import { RdpAccountant, noiseMultiplierFor } from './accountant.ts'
import { epochSampling } from './dp-sgd.ts'
import type { VectorLayout } from './secure-aggregation/vector.ts'

export interface PrivacySettings {
  secureAggregation: boolean
  secureClipNorm: number
  secureMaxSamples: number
  dp: 'none' | 'sample' | 'client'
  dpClip: number
  dpNoiseMultiplier: number | undefined
  dpEpsilon: number | undefined
  dpDelta: number
  rounds: number
  epochs: number
  batchSize: number
}

export interface DifferentialPrivacy {
  level: 'sample' | 'client'
  clip: number
  noiseMultiplier: number
  delta: number
  /** each round's accounting: the sampling rate and the noisy steps */
  sampleRate: number
  stepsPerRound: number
  /** the budget, if any */
  epsilon: number | undefined
}

export interface PrivacyPlan {
  /** what every peer of the swarm must share: part of the swarm definition */
  describe: string
  /** secure aggregation's vector layout, less what each round sets (its capacity and noise) */
  secure: Omit<VectorLayout, 'capacity' | 'noiseStd'> | undefined
  dp: DifferentialPrivacy | undefined
  /** the last round this peer may take part in without exceeding the budget (the swarm's last round when there is none) */
  lastRound: number
}

/** The privacy plan of a peer with `trainSamples` training samples; `sumBased`: whether --merge merges a sum of updates. */
export function privacyPlan (s: PrivacySettings, trainSamples: number, sumBased: boolean): PrivacyPlan {
  if (s.secureAggregation && !sumBased) {
    throw new ConfigError('--secure-aggregation hides every single update, so the merge sees only their sum: robust merges (clipped, trimmed-mean, median, geomedian, krum, multi-krum) need single updates. Use --merge fedavg, fedprox, fedavgm, fedadam or fedyogi, or leave out --secure-aggregation (docs/PRIVACY.md)')
  }
  if (s.dp === 'client' && !sumBased) throw new ConfigError('--dp client adds noise to the sum of clipped changes: use --merge fedavg, fedprox, fedavgm, fedadam or fedyogi')
  if (s.dp === 'none' && (s.dpEpsilon !== undefined || s.dpNoiseMultiplier !== undefined)) throw new ConfigError('--dp-epsilon and --dp-noise-multiplier need --dp sample or --dp client')
  const dp = s.dp === 'none' ? undefined : differentialPrivacy(s, trainSamples)
  const secure = s.secureAggregation
    ? { clipNorm: dp?.level === 'client' ? dp.clip : s.secureClipNorm, weighting: dp?.level === 'client' ? 'uniform' as const : 'samples' as const, maxSamples: s.secureMaxSamples }
    : undefined
  if (secure !== undefined && trainSamples > s.secureMaxSamples) {
    throw new ConfigError(`this peer has ${trainSamples} training samples, more than --secure-max-samples ${s.secureMaxSamples}: raise --secure-max-samples on every peer of the swarm`)
  }
  const parts = [
    secure === undefined ? '' : `secure aggregation (clip ${secure.clipNorm}, max samples ${secure.maxSamples})`,
    // a site's own sample-level noise depends on its data size: it is no swarm-wide setting
    dp === undefined ? '' : dp.level === 'client' ? `client-level DP (clip ${dp.clip}, noise multiplier ${dp.noiseMultiplier})` : `sample-level DP (clip ${dp.clip})`
  ].filter(p => p !== '')
  const lastRound = dp === undefined ? s.rounds : lastRoundWithin(dp, s.rounds)
  if (lastRound === 0) throw new ConfigError(`one round with noise multiplier ${dp?.noiseMultiplier} already spends more than --dp-epsilon ${s.dpEpsilon}: raise --dp-epsilon or --dp-noise-multiplier, or leave out --dp-noise-multiplier to have it chosen`)
  return { describe: parts.length === 0 ? 'none' : parts.join('; '), secure, dp, lastRound }
}

function differentialPrivacy (s: PrivacySettings, trainSamples: number): DifferentialPrivacy {
  // client level: every site takes part in every round (sampling rate 1), one noisy sum per round
  // sample level: the trainer's own Poisson sampling (dp-sgd.ts), every step of every local epoch
  const epoch = epochSampling(trainSamples, s.batchSize)
  const sampleRate = s.dp === 'client' ? 1 : epoch.rate
  const stepsPerRound = s.dp === 'client' ? 1 : s.epochs * epoch.steps
  let noiseMultiplier = s.dpNoiseMultiplier
  if (noiseMultiplier === undefined) {
    if (s.dpEpsilon === undefined) throw new ConfigError(`--dp ${s.dp} needs --dp-noise-multiplier, or --dp-epsilon to choose the noise that spends that budget over --rounds`)
    // rounded up to 4 digits: the value is part of the swarm's definition, and every peer must print it alike
    const exact = noiseMultiplierFor({ targetEpsilon: s.dpEpsilon, delta: s.dpDelta, sampleRate, steps: stepsPerRound * s.rounds })
    noiseMultiplier = Math.ceil(exact * 1e4) / 1e4
  }
  return { level: s.dp as 'sample' | 'client', clip: s.dpClip, noiseMultiplier, delta: s.dpDelta, sampleRate, stepsPerRound, epsilon: s.dpEpsilon }
}

/** The last round (up to `rounds`) after which the ε spent stays within the budget. */
function lastRoundWithin (dp: DifferentialPrivacy, rounds: number): number {
  if (dp.epsilon === undefined) return rounds
  const accountant = new RdpAccountant()
  for (let round = 1; round <= rounds; round++) {
    accountant.step(dp.noiseMultiplier, dp.sampleRate, dp.stepsPerRound)
    if (accountant.epsilon(dp.delta) > dp.epsilon) return round - 1
  }
  return rounds
}
