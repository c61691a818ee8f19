/**
 * What a peer's differential privacy has spent, round by round, and whether
 * the next round may still be spent: the RDP accountant (accountant.ts) fed
 * with the noise each round actually carried. Pure.
 *
 * Client-level DP with secure aggregation: each of a round's peers adds a
 * share N(0, z²C²/(t − 1)) of the noise before masking (t: the round's
 * threshold, the fewest updates any unmasked sum holds). A peer knows its
 * own share and could take it out, so what protects a site is the others'
 * noise: with k survivors in the sum, (k − 1)/(t − 1) · z²C², never less
 * than z²C² since k ≥ t. The ledger counts exactly that.
 */
import { epsilonFromRdp, RdpAccountant, sampledGaussianRdp } from './accountant.ts'
import type { DifferentialPrivacy } from './index.ts'
import { shareThreshold } from './secure-aggregation/plan.ts'

export class PrivacyLedger {
  private readonly dp: DifferentialPrivacy
  private readonly accountant = new RdpAccountant()

  constructor (dp: DifferentialPrivacy) {
    this.dp = dp
  }

  /**
   * The noise multiplier of one round as the other peers' noise gives it:
   * the configured one, or with secure aggregation at client level
   * z·√((k − 1)/(t − 1)) for k survivors of a round of `participants`.
   */
  roundNoise (secure?: { participants: number, survivors: number }): number {
    if (this.dp.level !== 'client' || secure === undefined) return this.dp.noiseMultiplier
    const threshold = shareThreshold(secure.participants)
    return this.dp.noiseMultiplier * Math.sqrt(Math.max(0, secure.survivors - 1) / (threshold - 1))
  }

  /** ε spent so far, at the plan's δ. */
  get epsilon (): number {
    return this.accountant.epsilon(this.dp.delta)
  }

  /**
   * Whether one more round with noise multiplier `noise` (by default the
   * least any round carries: the configured one) would spend more than the
   * budget; never, without one.
   */
  exceeds (noise = this.dp.noiseMultiplier): boolean {
    if (this.dp.epsilon === undefined) return false
    const { orders } = this.accountant
    const next = this.accountant.rdp().map((spent, i) => spent + this.dp.stepsPerRound * sampledGaussianRdp(this.dp.sampleRate, noise, orders[i]))
    return epsilonFromRdp(orders, next, this.dp.delta).epsilon > this.dp.epsilon
  }

  /** Counts a round whose release carried noise multiplier `noise`. */
  spend (noise: number): void {
    this.accountant.step(noise, this.dp.sampleRate, this.dp.stepsPerRound)
  }
}
