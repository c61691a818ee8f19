/**
 * Client-level differential privacy without secure aggregation (DP-FedAvg,
 * McMahan et al. 2018): each site's change clipped to norm C, the unweighted
 * mean, and Gaussian noise of standard deviation z·C on the sum (z·C/k on
 * the mean of k). The merging peer sees the clean updates: this protects a
 * site against everyone who only sees global models, not against the
 * round's holders. The noise is drawn from a seed hashed from the updates'
 * salts: 32 random bytes each update carries, which only the round's
 * holders see. Every holder computes the same merge and can attest it; no
 * one else can rebuild the noise, not even a contributor that knows its own
 * update (and the models' update hashes are salted too, so nobody can test
 * a guess of an update against them).
 */
import { createHash } from 'node:crypto'
import type { Weights } from '../model/weights.ts'
import type { Aggregator, Changes, Slices } from '../merge/types.ts'
import { clipToNorm } from './secure-aggregation/vector.ts'
import { gaussianNoise } from './gaussian.ts'

export function clientDpAggregator (clip: number, noiseMultiplier: number): Aggregator {
  return {
    describe: `client-level DP mean (clip ${clip}, noise multiplier ${noiseMultiplier})`,
    minContributions: 1,
    aggregate: function * (changes: Changes): Slices<Weights> {
      const { base, contributions } = changes
      const k = contributions.length
      const clipped = contributions.map(c => clipToNorm(c.weights.map((t, i) => ({ shape: t.shape, values: t.values.map((v, j) => v - base[i].values[j]) })), clip).clipped)
      yield
      const noise = gaussianNoise(base.reduce((n, t) => n + t.values.length, 0), (noiseMultiplier * clip) / k, noiseSeed(changes))
      let offset = 0
      return base.map((t, i) => {
        const values = new Float32Array(t.values.length)
        for (let j = 0; j < values.length; j++) {
          let sum = 0
          for (const c of clipped) sum += c[i].values[j]
          values[j] = sum / k + noise[offset + j]
        }
        offset += values.length
        return { shape: [...t.shape], values }
      })
    }
  }
}

/** SHA-256 over every contribution's peer ID and salt, in peer order, under a domain tag of its own. */
function noiseSeed (changes: Changes): Uint8Array {
  const hash = createHash('sha256').update('swarm/client-dp/noise')
  for (const c of changes.contributions) {
    if (c.salt === undefined) throw new Error(`the update of ${c.peer} has no salt: client-level DP cannot draw its noise`)
    hash.update(c.peer).update(c.salt)
  }
  return new Uint8Array(hash.digest())
}
