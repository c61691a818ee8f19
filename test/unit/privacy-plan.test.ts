import assert from 'node:assert/strict'
import { privacyPlan } from '../../src/privacy/index.ts'
import type { PrivacySettings } from '../../src/privacy/index.ts'
import { RdpAccountant } from '../../src/privacy/accountant.ts'
import { clientDpAggregator } from '../../src/privacy/client-dp.ts'
import { runToEnd } from '../../src/merge/index.ts'
import { ConfigError } from '../../src/errors.ts'
import { randomSeed } from '../../src/privacy/secure-aggregation/crypto.ts'
import { PrivacyLedger } from '../../src/privacy/ledger.ts'
import { shareThreshold } from '../../src/privacy/secure-aggregation/plan.ts'
import { updateHash } from '../../src/round/types.ts'

const SETTINGS: PrivacySettings = { secureAggregation: false, secureClipNorm: 5, secureMaxSamples: 100_000, dp: 'none', dpClip: 1, dpNoiseMultiplier: undefined, dpEpsilon: undefined, dpDelta: 1e-5, rounds: 10, epochs: 2, batchSize: 32 }

describe('privacy settings', function () {
  it('secure aggregation refuses a merge that needs single updates, with the fix in the message', function () {
    assert.throws(() => privacyPlan({ ...SETTINGS, secureAggregation: true }, 1000, false), (err: Error) => err instanceof ConfigError && /robust merges .* need single updates. Use --merge fedavg/.test(err.message))
    assert.equal(privacyPlan({ ...SETTINGS, secureAggregation: true }, 1000, true).describe, 'secure aggregation (clip 5, max samples 100000)')
  })

  it('given only a budget, the noise multiplier spends it over --rounds and no more', function () {
    const plan = privacyPlan({ ...SETTINGS, dp: 'client', dpEpsilon: 3 }, 1000, true)
    assert.equal(plan.lastRound, 10)
    const accountant = new RdpAccountant()
    accountant.step(plan.dp!.noiseMultiplier, 1, 10)
    const epsilon = accountant.epsilon(1e-5)
    assert.ok(epsilon <= 3 && epsilon > 2.99, `ε after 10 rounds: ${epsilon}`)
  })

  it('a budget that a fixed noise multiplier spends early stops the swarm before the round that would exceed it', function () {
    const plan = privacyPlan({ ...SETTINGS, dp: 'client', dpNoiseMultiplier: 1, dpEpsilon: 5 }, 1000, true)
    const accountant = new RdpAccountant()
    accountant.step(1, 1, plan.lastRound)
    assert.ok(accountant.epsilon(1e-5) <= 5, 'the rounds run stay within the budget')
    accountant.step(1, 1, 1)
    assert.ok(accountant.epsilon(1e-5) > 5, 'one more round would exceed it')
    assert.ok(plan.lastRound < 10)
    assert.throws(() => privacyPlan({ ...SETTINGS, dp: 'client', dpNoiseMultiplier: 0.1, dpEpsilon: 1 }, 1000, true), /one round with noise multiplier 0.1 already spends more than --dp-epsilon 1/)
  })

  it('client-level DP adds noise of standard deviation z·C/k to the mean of k clipped changes, the same on every holder', function () {
    const [z, clip, k, size] = [1.5, 0.5, 4, 20_000]
    const base = [{ shape: [size], values: new Float32Array(size) }]
    // changes far beyond the clip: clipped to norm 0.5 each, along one axis they cancel out in the mean
    const contributions = Array.from({ length: k }, (_, i) => ({ peer: `p${i}`, samples: 10, salt: randomSeed(), weights: [{ shape: [size], values: Float32Array.from({ length: size }, (_, j) => (j === 0 ? (i % 2 === 0 ? 100 : -100) : 0)) }] }))
    const merged = runToEnd(clientDpAggregator(clip, z).aggregate({ base, contributions }))
    const again = runToEnd(clientDpAggregator(clip, z).aggregate({ base, contributions }))
    assert.deepEqual(merged, again, 'every holder (it holds the updates and their salts) computes the same merge')
    // someone who knows every update exactly, but not the salts only the holders saw, cannot rebuild the noise
    const guessed = runToEnd(clientDpAggregator(clip, z).aggregate({ base, contributions: contributions.map(c => ({ ...c, salt: randomSeed() })) }))
    assert.notDeepEqual(guessed, merged, 'the same updates with other salts give other noise')
    // the update hashes a global model lists are salted: knowing the exact update does not let anyone confirm it
    const { weights, salt } = contributions[0]
    assert.notEqual(updateHash({ weights, salt }), updateHash({ weights, salt: randomSeed() }), 'a guessed update does not hash to the listed hash without its salt')
    assert.equal(updateHash({ weights, salt }), updateHash({ weights, salt }), 'a holder with the salt checks the update it fetched')
    const values = Array.from(merged[0].values).slice(1)
    const variance = values.reduce((s, v) => s + v * v, 0) / values.length
    const expected = (z * clip / k) ** 2
    // the sample variance of n normal draws has relative standard error √(2/n) ≈ 1 %: allow 5 of them
    assert.ok(Math.abs(variance / expected - 1) < 5 * Math.sqrt(2 / values.length), `variance ${variance}, expected ${expected}`)
  })
})

describe('the privacy ledger', function () {
  it('with secure aggregation, 8 rounds planned at ε 3 stay within ε 3 when only 3 of 4 peers survive each round', function () {
    const plan = privacyPlan({ ...SETTINGS, secureAggregation: true, dp: 'client', dpEpsilon: 3, rounds: 8 }, 1000, true)
    const dp = plan.dp!
    const ledger = new PrivacyLedger(dp)
    for (let round = 1; round <= 8; round++) {
      assert.equal(ledger.exceeds(), false, `round ${round} may still be spent`)
      ledger.spend(ledger.roundNoise({ participants: 4, survivors: 3 }))
    }
    assert.ok(ledger.epsilon <= 3, `spent ${ledger.epsilon}`)
    // each peer adds z²C²/(t − 1): with t = 3 of 4, the others' noise in a sum of 3 is exactly z²C², the planned noise
    assert.equal(shareThreshold(4), 3)
    assert.ok(Math.abs(ledger.roundNoise({ participants: 4, survivors: 3 }) - dp.noiseMultiplier) < 1e-12)
    // a noise share of z²C²/n each, as before, leaves the others' noise of 3 survivors at z·√(2/4): far above the budget
    const shares = new RdpAccountant()
    for (let round = 1; round <= 8; round++) shares.step(dp.noiseMultiplier * Math.sqrt(2 / 4), 1, 1)
    assert.ok(shares.epsilon(dp.delta) > 3.5, `${shares.epsilon(dp.delta)}`)
  })

  it('stops before the round that would exceed the budget, counting the noise each round carried', function () {
    const ledger = new PrivacyLedger(privacyPlan({ ...SETTINGS, dp: 'client', dpNoiseMultiplier: 1, dpEpsilon: 5 }, 1000, true).dp!)
    let rounds = 0
    while (!ledger.exceeds()) {
      ledger.spend(ledger.roundNoise())
      rounds++
    }
    assert.ok(ledger.epsilon <= 5 && rounds > 0, `${rounds} rounds, ε ${ledger.epsilon}`)
    const check = new RdpAccountant()
    check.step(1, 1, rounds + 1)
    assert.ok(check.epsilon(1e-5) > 5, 'one round more would have exceeded it')
  })
})
