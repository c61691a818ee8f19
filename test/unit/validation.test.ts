import assert from 'node:assert/strict'
import { checkGlobal, checkUpdate, checkWeights } from '../../src/round/validation.ts'
import type { ValidationLimits } from '../../src/round/validation.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { Weights } from '../../src/model/weights.ts'
import { SimulatedSwarm, TICK_MS, actionsOf } from '../helpers/simulated-swarm.ts'
import type { SimPeer } from '../helpers/simulated-swarm.ts'
import type { GlobalModel } from '../../src/round/types.ts'

const LIMITS: ValidationLimits = { maxUpdateNorm: 10, maxSamples: 1000 }
const base: Weights = [{ shape: [2, 2], values: new Float32Array(4) }, { shape: [2], values: new Float32Array(2) }]
const shifted = (by: number): Weights => base.map(t => ({ shape: t.shape, values: t.values.map(() => by) }))

describe('validation of received updates and global models', () => {
  it('accepts a sound update', () => {
    assert.equal(checkUpdate({ change: shifted(1), samples: 100 }, base, LIMITS), undefined)
  })

  it('rejects a wrong tensor count or shape', () => {
    assert.equal(checkWeights(base.slice(1), base)?.reason, 'bad-shapes')
    assert.equal(checkWeights([{ shape: [4], values: new Float32Array(4) }, base[1]], base)?.reason, 'bad-shapes')
    assert.equal(checkWeights([{ shape: [2, 2], values: new Float32Array(3) }, base[1]], base)?.reason, 'bad-shapes')
  })

  it('rejects NaN and Infinity', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const weights = shifted(0)
      weights[1].values[1] = bad
      assert.equal(checkUpdate({ change: weights, samples: 10 }, base, LIMITS)?.reason, 'not-finite')
    }
  })

  it('rejects an update whose norm is beyond the configured bound', () => {
    // 6 values shifted by 5: norm sqrt(6 · 25) ≈ 12.2 > 10
    const rejection = checkUpdate({ change: shifted(5), samples: 10 }, base, LIMITS)
    assert.equal(rejection?.reason, 'norm-too-large')
    assert.match(rejection?.detail ?? '', /12\.2.*bound of 10/)
  })

  it('rejects a sample count that is zero, negative, fractional or absurd', () => {
    for (const samples of [0, -5, 2.5, 1001, Number.MAX_SAFE_INTEGER]) {
      assert.equal(checkUpdate({ change: shifted(1), samples }, base, LIMITS)?.reason, 'bad-samples', String(samples))
    }
  })

  it('rejects a global model whose hash does not match its weights', () => {
    const weights = shifted(1)
    assert.equal(checkGlobal({ weights, modelHash: modelHash(weights), merger: 'p1' }, base), undefined)
    assert.equal(checkGlobal({ weights, modelHash: modelHash(base), merger: 'p1' }, base)?.reason, 'hash-mismatch')
  })

  it('rejects a gossiped global model whose claimed merger is not its verified signer', () => {
    const weights = shifted(1)
    assert.equal(checkGlobal({ weights, modelHash: modelHash(weights), merger: 'p1' }, base, 'p1'), undefined)
    assert.equal(checkGlobal({ weights, modelHash: modelHash(weights), merger: 'p1' }, base, 'mallory')?.reason, 'sender-mismatch')
  })
})

describe('round checks of the round machine', () => {
  /** Three peers in round 3 (rounds 1 and 2 done), p1 is the peer under test. */
  function inRoundThree (): { swarm: SimulatedSwarm, p1: SimPeer } {
    const swarm = new SimulatedSwarm({ rounds: 10, minPeers: 3 })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    for (const id of ['p1', 'p2', 'p3']) swarm.start(id)
    while (swarm.get('p1').machine.round < 3) {
      swarm.deliver()
      swarm.trainAll()
      swarm.advance(TICK_MS)
    }
    return { swarm, p1: swarm.get('p1') }
  }

  const rejections = (peer: SimPeer, from = 0): Array<{ reason: string, from: string }> =>
    actionsOf(peer, 'reject').slice(from).map(a => ({ reason: a.reason, from: a.from }))

  it('rejects stale and far-future rounds, and a round past the last one', () => {
    const { swarm, p1 } = inRoundThree()
    const seen = rejections(p1).length
    const hash = p1.machine.globalModel.modelHash
    swarm.apply(p1, p1.machine.updateOffered('p2', 1, hash))
    swarm.apply(p1, p1.machine.announceReceived('p2', 9, hash, [], false))
    swarm.apply(p1, p1.machine.updateOffered('p3', 11, hash))
    assert.deepEqual(rejections(p1, seen), [{ reason: 'stale-round', from: 'p2' }, { reason: 'future-round', from: 'p2' }, { reason: 'future-round', from: 'p3' }])
  })

  it('rejects a second update from the same peer for one round; a second offer counts once', () => {
    const { swarm, p1 } = inRoundThree()
    const seen = rejections(p1).length
    const { round, globalModel } = p1.machine
    const update = { round, from: 'p2', baseHash: globalModel.modelHash, samples: 10, weights: globalModel.weights }
    swarm.apply(p1, p1.machine.updateOffered('p2', round, globalModel.modelHash))
    swarm.apply(p1, p1.machine.updateOffered('p2', round, globalModel.modelHash))
    swarm.apply(p1, p1.machine.updateReceived(update))
    swarm.apply(p1, p1.machine.updateReceived({ ...update, samples: 999 }))
    assert.deepEqual(rejections(p1, seen), [{ reason: 'duplicate-update', from: 'p2' }])
  })

  it('rejects a merged model from a peer that took no part in its round, and adopts one from a participant', () => {
    const { swarm, p1 } = inRoundThree()
    const seen = rejections(p1).length
    const { round, globalModel } = p1.machine
    const weights = globalModel.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + 0.5) }))
    const forged: GlobalModel = { ...globalModel, round, weights, modelHash: modelHash(weights), merger: 'mallory', contributors: ['mallory'] }
    swarm.apply(p1, p1.machine.globalReceived(forged, 'mallory'))
    assert.deepEqual(rejections(p1, seen), [{ reason: 'not-leader', from: 'mallory' }])
    assert.equal(p1.machine.globalModel.round, round - 1, 'the forged model is not adopted')
    swarm.apply(p1, p1.machine.globalReceived({ ...forged, merger: 'p3' }, 'p3'))
    assert.equal(p1.machine.globalModel.round, round - 1, 'a participant\'s merge waits for another holder\'s attestation')
    swarm.apply(p1, p1.machine.attestationReceived('p2', round, forged.modelHash, 'p3', forged.modelHash))
    assert.equal(p1.machine.globalModel.round, round, 'a participant\'s attested merge is adopted')
  })

  it('takes merges of round 1 only from the members of its agreed roster, and of later rounds only from their participants', () => {
    const swarm = new SimulatedSwarm({ rounds: 10, minPeers: 2 })
    for (const id of ['p1', 'p2']) swarm.add(id)
    swarm.start('p1')
    swarm.start('p2')
    const p1 = swarm.get('p1')
    while (actionsOf(p1, 'start-round').length === 0) swarm.advance(TICK_MS)
    const base = p1.machine.globalModel
    // a peer that announced round 1 once the roster was sealed trains in it, but cannot be its leader
    swarm.apply(p1, p1.machine.peerJoined('newcomer'))
    swarm.apply(p1, p1.machine.announceReceived('newcomer', 1, base.modelHash, ['p1', 'p2'], true))
    const weights = base.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + 0.5) }))
    const merged: GlobalModel = { ...base, round: 1, weights, modelHash: modelHash(weights), merger: 'newcomer', contributors: ['newcomer', 'p1'], samples: 10 }
    const seen = rejections(p1).length
    swarm.apply(p1, p1.machine.globalReceived(merged, 'newcomer'))
    assert.deepEqual(rejections(p1, seen), [{ reason: 'not-leader', from: 'newcomer' }])
    swarm.apply(p1, p1.machine.globalReceived({ ...merged, merger: 'p2' }, 'p2'))
    assert.deepEqual(rejections(p1, seen), [{ reason: 'not-leader', from: 'newcomer' }], 'a roster member\'s merge is taken')
    assert.ok(actionsOf(p1, 'fetch-update').some(a => a.from === 'newcomer'), 'and recomputed: p1, the other holder, fetches the update it names to attest it')

    const { swarm: later, p1: q1 } = inRoundThree()
    const { round, globalModel } = q1.machine
    later.apply(q1, q1.machine.announceReceived('newcomer', round, globalModel.modelHash, [], false))
    const before = rejections(q1).length
    later.apply(q1, q1.machine.globalReceived({ ...merged, round, merger: 'newcomer' }, 'newcomer'))
    assert.deepEqual(rejections(q1, before), [{ reason: 'not-leader', from: 'newcomer' }])
    assert.equal(q1.machine.globalModel.modelHash, globalModel.modelHash)
  })
})
