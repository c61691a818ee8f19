import assert from 'node:assert/strict'
import { SecureRound } from '../../src/privacy/secure-aggregation/session.ts'
import { unmaskingPlan } from '../../src/privacy/secure-aggregation/plan.ts'
import { boundedMean, meanChange, updateVector, vectorScale } from '../../src/privacy/secure-aggregation/vector.ts'
import { toRing } from '../../src/privacy/secure-aggregation/fixed-point.ts'
import type { VectorLayout } from '../../src/privacy/secure-aggregation/vector.ts'
import type { MaskedVector, UnmaskRevealMessage } from '../../src/wire/messages.ts'
import { decodeMessage, encodeMessage } from '../../src/wire/messages.ts'
import { seededRandom } from '../../src/data/random.ts'
import type { Weights } from '../../src/model/weights.ts'

const BASE = 'ab'.repeat(32)
const LENGTH = 2000
const LAYOUT: VectorLayout = { clipNorm: 10, weighting: 'samples', maxSamples: 100_000, participants: 5, noiseStd: 0 }

function change (seed: number): Weights {
  const random = seededRandom(seed)
  return [{ shape: [LENGTH], values: Float32Array.from({ length: LENGTH }, () => (random() - 0.5) * 0.1) }]
}

/** peers run steps 1–3 in memory; gossip carries every message to every peer, through the wire codec */
async function maskedRound (peers: string[], options: { silentBeforeShares?: string[] } = {}) {
  const rounds = new Map(peers.map(self => [self, new SecureRound({ self, round: 3, baseHash: BASE, participants: peers.length })]))
  const wire = <T>(message: T): T => decodeMessage(encodeMessage(message as never)) as T
  for (const [from, round] of rounds) {
    for (const [to, other] of rounds) if (to !== from) assert.equal(other.keysReceived(from, wire(round.keysMessage())), undefined)
  }
  const sharing = peers.filter(p => !(options.silentBeforeShares ?? []).includes(p))
  for (const from of sharing) {
    const message = wire(await rounds.get(from)!.sharesMessage())
    for (const [to, other] of rounds) if (to !== from) assert.equal(other.sharesReceived(from, message), undefined)
  }
  const changes = new Map(peers.map((p, i) => [p, { change: change(i + 1), samples: 100 * (i + 1) }]))
  const masked = new Map<string, MaskedVector>()
  for (const peer of sharing) {
    const { change: c, samples } = changes.get(peer)!
    masked.set(peer, rounds.get(peer)!.maskVector(updateVector(c, samples, LAYOUT)))
  }
  return { rounds, changes, masked, wire }
}

/** steps 4–5 at `holder`: plan, request, every live peer answers, unmask */
async function unmaskAt (holder: string, rounds: Map<string, SecureRound>, masked: Map<string, MaskedVector>, live: string[]) {
  const plan = unmaskingPlan(new Map([...masked].map(([p, m]) => [p, m.maskedWith])))
  const request = { type: 'unmask-request' as const, round: 3, baseHash: BASE, ...plan }
  for (const peer of live) {
    const reveal = rounds.get(peer)!.answer(request)
    assert.ok(reveal !== undefined && !('refused' in reveal), `${peer} answers`)
    for (const other of live) if (other !== peer) rounds.get(other)!.revealReceived(peer, decodeMessage(encodeMessage(reveal)) as UnmaskRevealMessage)
  }
  return { plan, result: await rounds.get(holder)!.unmask(masked, plan) }
}

function plainMean (changes: Map<string, { change: Weights, samples: number }>, peers: string[]): Float64Array {
  const total = peers.reduce((n, p) => n + changes.get(p)!.samples, 0)
  const mean = new Float64Array(LENGTH)
  for (const p of peers) {
    const { change: c, samples } = changes.get(p)!
    c[0].values.forEach((v, i) => { mean[i] += (v * samples) / total })
  }
  return mean
}

function assertSumIsFedAvg (result: Uint32Array | { missing: string[] }, changes: Map<string, { change: Weights, samples: number }>, peers: string[]): void {
  assert.ok(result instanceof Uint32Array, `unmasked: ${JSON.stringify(result)}`)
  const { change: mean, samples } = meanChange(result, peers.length, LAYOUT, change(0))
  assert.equal(samples, peers.reduce((n, p) => n + changes.get(p)!.samples, 0))
  const expected = plainMean(changes, peers)
  const worst = Math.max(...mean[0].values.map((v, i) => Math.abs(v - expected[i])))
  assert.ok(worst < 1e-5, `largest difference to plain FedAvg ${worst}`)
}

describe('secure aggregation', function () {
  const peers = ['peer-a', 'peer-b', 'peer-c', 'peer-d', 'peer-e']

  it('the unmasked sum equals plain sample-weighted FedAvg within the quantization error', async function () {
    const { rounds, changes, masked } = await maskedRound(peers)
    const { plan, result } = await unmaskAt('peer-a', rounds, masked, peers)
    assert.deepEqual(plan, { survivors: peers, dropped: [] })
    assertSumIsFedAvg(result, changes, peers)
  })

  it('what the leader holds of one peer\'s update is independent of that update: uncorrelated, uniform over the ring', async function () {
    const { changes, masked } = await maskedRound(peers)
    const real = changes.get('peer-c')!.change[0].values
    const seen = masked.get('peer-c')!.values
    const x = Array.from(real)
    const y = Array.from(seen.subarray(0, LENGTH), v => v / 2 ** 32)
    const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length
    const [mx, my] = [mean(x), mean(y)]
    const cov = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0)
    const correlation = cov / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0))
    // independent samples of 2000 values: |r| above 0.1 has probability below 1e-5
    assert.ok(Math.abs(correlation) < 0.1, `correlation ${correlation}`)
    // 16 equal bins of the ring: chi-squared with 15 degrees of freedom stays below 50 with probability 1 − 1e-5
    const bins = new Array<number>(16).fill(0)
    for (const v of seen) bins[v >>> 28]++
    const expected = seen.length / 16
    const chiSquared = bins.reduce((s, n) => s + (n - expected) ** 2 / expected, 0)
    assert.ok(chiSquared < 50, `chi-squared ${chiSquared}, bins ${bins.join(' ')}`)
  })

  it('a peer that dies after sending its masked update still counts; one that dies before is unmasked away', async function () {
    const { rounds, changes, masked } = await maskedRound(peers)
    // peer-e dies after its masked update arrived: survivors reveal its self-mask share
    const afterSending = await unmaskAt('peer-a', rounds, masked, peers.filter(p => p !== 'peer-e'))
    assertSumIsFedAvg(afterSending.result, changes, peers)
  })

  it('one and two peers dying before sending their masked updates: the sum of the survivors', async function () {
    for (const dead of [['peer-d'], ['peer-b', 'peer-e']]) {
      const { rounds, changes, masked } = await maskedRound(peers)
      for (const peer of dead) masked.delete(peer)
      const live = peers.filter(p => !dead.includes(p))
      const { plan, result } = await unmaskAt(live[0], rounds, masked, live)
      assert.deepEqual(plan.dropped, dead)
      assertSumIsFedAvg(result, changes, live)
    }
  })

  it('below the threshold of survivors the sum is not rebuilt, and nobody answers the request', async function () {
    const { rounds, masked } = await maskedRound(peers)
    for (const peer of ['peer-c', 'peer-d', 'peer-e']) masked.delete(peer)
    const plan = unmaskingPlan(new Map([...masked].map(([p, m]) => [p, m.maskedWith])))
    const answer = rounds.get('peer-a')!.answer({ type: 'unmask-request', round: 3, baseHash: BASE, ...plan })
    assert.ok(answer !== undefined && 'refused' in answer && /needs at least 3/.test(answer.refused))
    const result = await rounds.get('peer-a')!.unmask(masked, plan)
    assert.ok(!(result instanceof Uint32Array) && result.missing.length > 0)
  })

  it('a peer never reveals both secrets of the same peer: a conflicting second request is refused', async function () {
    const { rounds } = await maskedRound(peers)
    const b = rounds.get('peer-b')!
    const first = b.answer({ type: 'unmask-request', round: 3, baseHash: BASE, survivors: peers, dropped: [] })
    assert.ok(first !== undefined && !('refused' in first))
    const second = b.answer({ type: 'unmask-request', round: 3, baseHash: BASE, survivors: peers.filter(p => p !== 'peer-e'), dropped: ['peer-e'] })
    assert.ok(second !== undefined && 'refused' in second && /expose an update/.test(second.refused))
    assert.equal(b.answer({ type: 'unmask-request', round: 3, baseHash: BASE, survivors: peers, dropped: [] }), undefined, 'the same request is answered once')
  })

  it('a peer whose shares some did not get is left out consistently, and the rest still unmask', async function () {
    // peer-e shares its secrets with nobody: nobody masks with it, it masks with everyone
    const { rounds, changes, masked } = await maskedRound(peers, { silentBeforeShares: ['peer-e'] })
    masked.set('peer-e', { values: new Uint32Array(LENGTH + 1), maskedWith: ['peer-a', 'peer-b', 'peer-c', 'peer-d'] })
    const { plan, result } = await unmaskAt('peer-b', rounds, masked, peers)
    assert.deepEqual(plan.survivors, ['peer-a', 'peer-b', 'peer-c', 'peer-d'])
    assertSumIsFedAvg(result, changes, plan.survivors)
  })

  it('a peer that skips clipping cannot push the unmasked mean beyond the bound every peer clips to', async function () {
    const honestRound = await maskedRound(peers)
    const honest = await unmaskAt('peer-a', honestRound.rounds, honestRound.masked, peers)
    const honestMean = meanChange(honest.result as Uint32Array, peers.length, LAYOUT, change(0)).change
    assert.equal(boundedMean(honestMean, LAYOUT).change, honestMean, 'an honest mean passes untouched')

    const { rounds, masked } = await maskedRound(peers)
    // peer-c builds its vector by hand: 300 samples behind a change of 5 in every coordinate, never clipped
    const unclipped = new Uint32Array(LENGTH + 1)
    unclipped.set(toRing(new Float64Array(LENGTH).fill(300 * 5), vectorScale(LAYOUT), LAYOUT.maxSamples * LAYOUT.clipNorm))
    unclipped[LENGTH] = 300
    masked.set('peer-c', rounds.get('peer-c')!.maskVector(unclipped))
    const { result } = await unmaskAt('peer-a', rounds, masked, peers)
    const bounded = boundedMean(meanChange(result as Uint32Array, peers.length, LAYOUT, change(0)).change, LAYOUT)
    assert.ok(bounded.norm > 2 * LAYOUT.clipNorm, `the sum gives it away: norm ${bounded.norm}`)
    assert.ok(Math.abs(Math.hypot(...bounded.change[0].values) - LAYOUT.clipNorm) < 1e-3, 'the merged change is clipped to the bound')
  })

  it('shares encrypted to one peer cannot be read with another\'s keys, and bad keys are refused with a reason', async function () {
    const { rounds } = await maskedRound(['peer-a', 'peer-b', 'peer-c'])
    const c = rounds.get('peer-c')!
    assert.match(c.keysReceived('peer-a', { type: 'secure-keys', round: 3, baseHash: BASE, channelKey: new Uint8Array(32).fill(1), maskKey: new Uint8Array(32) }) ?? '', /second, different set/)
    assert.match(c.keysReceived('peer-x', { type: 'secure-keys', round: 3, baseHash: BASE, channelKey: new Uint8Array(5), maskKey: new Uint8Array(32) }) ?? '', /32 bytes/)
    const a = new SecureRound({ self: 'peer-a', round: 3, baseHash: BASE, participants: 3 })
    const d = new SecureRound({ self: 'peer-d', round: 3, baseHash: BASE, participants: 3 })
    const b = new SecureRound({ self: 'peer-b', round: 3, baseHash: BASE, participants: 3 })
    for (const [self, round] of [['peer-b', b], ['peer-d', d]] as const) a.keysReceived(self, round.keysMessage())
    d.keysReceived('peer-a', a.keysMessage())
    const message = await a.sharesMessage()
    // peer-d takes the share sealed for peer-b as if it were its own
    const stolen = { ...message, shares: message.shares.map(s => (s.to === 'peer-b' ? { ...s, to: 'peer-d' } : s)).filter(s => s.to !== 'peer-d' || s.ciphertext === message.shares.find(x => x.to === 'peer-b')!.ciphertext) }
    assert.match(d.sharesReceived('peer-a', stolen) ?? '', /does not decrypt/)
    const shares = await new SecureRound({ self: 'peer-a', round: 3, baseHash: BASE, participants: 3 }).sharesMessage().catch((err: Error) => err)
    assert.ok(shares instanceof Error, 'a peer that holds fewer keys than the threshold does not share')
  })
})
