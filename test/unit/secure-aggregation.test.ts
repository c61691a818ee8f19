/**
 * Secure aggregation's protocol core (src/privacy/secure-aggregation) driven
 * in memory: honest peers run the real SecureRound; an adversary is the
 * test itself, sending what a misbehaving peer holding the swarm key could
 * (conflicting requests, lists that lie, low-order keys, vectors beyond the
 * range) and pooling everything the peers seal to it. Every message goes
 * through the wire codec.
 */
import assert from 'node:assert/strict'
import { combine } from 'shamir-secret-sharing'
import { SecureRound } from '../../src/privacy/secure-aggregation/session.ts'
import type { RoundView } from '../../src/privacy/secure-aggregation/session.ts'
import { colludersWithstood, roundCapacity, setHash, shareRecipients, shareThreshold, unmaskingPlan } from '../../src/privacy/secure-aggregation/plan.ts'
import type { UnmaskingPlan } from '../../src/privacy/secure-aggregation/plan.ts'
import { boundedMean, meanBound, meanChange, updateVector, vectorScale } from '../../src/privacy/secure-aggregation/vector.ts'
import { fromRing, toRing } from '../../src/privacy/secure-aggregation/fixed-point.ts'
import type { VectorLayout } from '../../src/privacy/secure-aggregation/vector.ts'
import type { MaskedVector, SwarmMessage, UnmaskRequestMessage, UnmaskRevealMessage } from '../../src/wire/messages.ts'
import { decodeMessage, decodeRevealed, encodeMessage } from '../../src/wire/messages.ts'
import { seededRandom } from '../../src/data/random.ts'
import type { Weights } from '../../src/model/weights.ts'
import { digest, isContributoryKey } from '../../src/privacy/secure-aggregation/crypto.ts'

const BASE = 'ab'.repeat(32)
const ROUND = 3
const LENGTH = 2000
const LAYOUT: VectorLayout = { clipNorm: 10, weighting: 'samples', maxSamples: 100_000, capacity: 11, noiseStd: 0 }

const wire = <T extends SwarmMessage>(message: T): T => decodeMessage(encodeMessage(message)) as T

function change (seed: number): Weights {
  const random = seededRandom(seed)
  return [{ shape: [LENGTH], values: Float32Array.from({ length: LENGTH }, () => (random() - 0.5) * 0.1) }]
}

interface Swarm {
  rounds: Map<string, SecureRound>
  changes: Map<string, { change: Weights, samples: number }>
  masked: Map<string, MaskedVector>
}

/**
 * Steps 1–3 among `peers` (the round's participants are `participants`, all
 * of them by default): keys, shares, masked updates and their offers.
 * `late` peers' keys reach the others only after those shared.
 */
async function maskedRound (peers: string[], options: { participants?: string[], late?: string[], silentBeforeShares?: string[], maxRecipients?: number } = {}): Promise<Swarm> {
  const participants = options.participants ?? peers
  const late = options.late ?? []
  const rounds = new Map(peers.map(self => [self, new SecureRound({ self, round: ROUND, baseHash: BASE, participants, maxRecipients: options.maxRecipients })]))
  const exchangeKeys = (senders: string[]): void => {
    for (const from of senders) for (const [to, other] of rounds) if (to !== from) assert.equal(other.keysReceived(from, wire(rounds.get(from)!.keysMessage())), undefined)
  }
  const share = async (senders: string[]): Promise<void> => {
    for (const from of senders.filter(p => !(options.silentBeforeShares ?? []).includes(p))) {
      const message = wire(await rounds.get(from)!.sharesMessage())
      for (const [to, other] of rounds) if (to !== from) assert.equal(other.sharesReceived(from, message), undefined)
    }
  }
  const early = peers.filter(p => !late.includes(p))
  exchangeKeys(early)
  await share(early)
  exchangeKeys(late)
  await share(late)
  const changes = new Map(peers.map((p, i) => [p, { change: change(i + 1), samples: 100 * (i + 1) }]))
  const masked = new Map<string, MaskedVector>()
  for (const peer of peers) {
    const { change: c, samples } = changes.get(peer)!
    const result = rounds.get(peer)!.maskVector(updateVector(c, samples, LAYOUT))
    if ('sitOut' in result) continue
    masked.set(peer, result)
    for (const other of rounds.values()) other.offerReceived(peer, result.maskedWith, samples)
  }
  return { rounds, changes, masked }
}

/** A view of the round in which `mergers` may merge, `holders` hold the updates, and everyone in `alive` lives. */
function viewOf (options: { alive: string[], holders: string[], mergers: string[], dropSilent?: boolean }): RoundView {
  return {
    isAlive: peer => options.alive.includes(peer),
    holders: () => options.holders.filter(h => options.alive.includes(h)),
    mayMerge: peer => options.mergers.includes(peer),
    mayDropSilent: () => options.dropSilent ?? false,
    holdsUpdates: () => true
  }
}

/**
 * Gossip among `live`: the request goes to `to` (every live peer by default),
 * then consents and reveals to every live peer, until nothing new is said.
 * Returns every reveal published, for the adversary to pool.
 */
function run (s: Swarm, from: string, request: UnmaskRequestMessage, view: RoundView, live: string[], to = live): UnmaskRevealMessage[] {
  const reveals: UnmaskRevealMessage[] = []
  const outbox: Array<[string, SwarmMessage]> = []
  const handle = (peer: string, answer: ReturnType<SecureRound['answer']>): void => {
    if (answer.consent !== undefined) outbox.push([peer, wire(answer.consent)])
    if (answer.reveal !== undefined) {
      reveals.push(answer.reveal)
      outbox.push([peer, wire(answer.reveal)])
    }
  }
  for (const peer of to) {
    const answer = s.rounds.get(peer)!.requestReceived(from, wire(request), view)
    if (!('refused' in answer)) handle(peer, answer)
  }
  for (let pass = 0; pass < 20; pass++) {
    for (const [sender, message] of outbox.splice(0)) {
      for (const peer of live) {
        if (peer === sender) continue
        const round = s.rounds.get(peer)!
        if (message.type === 'unmask-consent') round.consentReceived(sender, message)
        if (message.type === 'unmask-reveal') assert.equal(round.revealReceived(sender, message), undefined)
      }
    }
    for (const peer of live) handle(peer, s.rounds.get(peer)!.answer(view))
    if (outbox.length === 0) break
  }
  return reveals
}

/** The merger plans from the masked updates it holds, asks, and unmasks. */
async function unmaskAt (s: Swarm, merger: string, live: string[], holders = live.slice(0, 3)): Promise<{ plan: UnmaskingPlan, result: Uint32Array | { missing: string[] } }> {
  const round = s.rounds.get(merger)!
  const plan = round.plan(s.masked)
  run(s, merger, round.request(plan), viewOf({ alive: live, holders: [merger, ...holders.filter(h => h !== merger)], mergers: [merger] }), live)
  return { plan, result: await round.unmask(s.masked, plan) }
}

function plainMean (changes: Swarm['changes'], peers: string[]): Float64Array {
  const total = peers.reduce((n, p) => n + changes.get(p)!.samples, 0)
  const mean = new Float64Array(LENGTH)
  for (const p of peers) {
    const { change: c, samples } = changes.get(p)!
    c[0].values.forEach((v, i) => { mean[i] += (v * samples) / total })
  }
  return mean
}

function assertSumIsFedAvg (result: Uint32Array | { missing: string[] }, changes: Swarm['changes'], peers: string[]): void {
  assert.ok(result instanceof Uint32Array, `unmasked: ${JSON.stringify(result)}`)
  const { change: mean, samples } = meanChange(result, peers.length, LAYOUT, change(0))
  assert.equal(samples, peers.reduce((n, p) => n + changes.get(p)!.samples, 0))
  const expected = plainMean(changes, peers)
  const worst = Math.max(...mean[0].values.map((v, i) => Math.abs(v - expected[i])))
  assert.ok(worst < 1e-5, `largest difference to plain FedAvg ${worst}`)
}

/**
 * What an adversary that sees `reveals` sealed to `adversaries` (and holds
 * their own shares) rebuilds of `target`'s two secrets. Both would expose
 * its update.
 */
async function rebuilt (s: Swarm, reveals: UnmaskRevealMessage[], adversaries: string[], target: string): Promise<{ selfMask: boolean, maskKey: boolean }> {
  const shares = { selfMask: new Map<string, Uint8Array>(), maskKey: new Map<string, Uint8Array>() }
  for (const adversary of adversaries) {
    const round = s.rounds.get(adversary)!
    // what each adversary holds of the target: it opens its own shares with its own keys
    const own = (round as unknown as { held: Map<string, { selfMask: Uint8Array, maskKey: Uint8Array }> }).held.get(target)
    if (own !== undefined) {
      shares.selfMask.set(adversary, own.selfMask)
      shares.maskKey.set(adversary, own.maskKey)
    }
    for (const reveal of reveals) {
      const mine = reveal.sealed.find(x => x.to === adversary)
      if (mine === undefined) continue
      const opened = (round as unknown as { openSealed: (from: string, sealed: unknown, context: string) => Uint8Array | undefined })
      const sender = [...s.rounds.keys()].find(peer => peer !== adversary && opened.openSealed(peer, mine, `swarm/secure-aggregation/reveal/${ROUND}/${BASE}/${reveal.setHash}/${peer}/${adversary}`) !== undefined)
      if (sender === undefined) continue
      const revealed = decodeRevealed(opened.openSealed(sender, mine, `swarm/secure-aggregation/reveal/${ROUND}/${BASE}/${reveal.setHash}/${sender}/${adversary}`)!)
      for (const x of revealed.selfMasks) if (x.owner === target) shares.selfMask.set(sender, x.share)
      for (const x of revealed.maskKeys) if (x.owner === target) shares.maskKey.set(sender, x.share)
    }
  }
  const threshold = shareThreshold(s.rounds.size)
  const commitment = (s.rounds.get(adversaries[0])! as unknown as { commitments: Map<string, { commitment: Uint8Array }> }).commitments.get(target)!.commitment
  const rebuildsSeed = shares.selfMask.size >= threshold && Buffer.from(digest(await combine([...shares.selfMask.values()]))).equals(Buffer.from(commitment))
  return { selfMask: rebuildsSeed, maskKey: shares.maskKey.size >= threshold }
}

describe('secure aggregation', function () {
  this.timeout(60_000)
  const peers = ['peer-a', 'peer-b', 'peer-c', 'peer-d', 'peer-e']

  it('the unmasked sum equals plain sample-weighted FedAvg within the quantization error', async function () {
    const s = await maskedRound(peers)
    const { plan, result } = await unmaskAt(s, 'peer-a', peers)
    assert.deepEqual(plan, { survivors: peers, dropped: [] })
    assertSumIsFedAvg(result, s.changes, peers)
  })

  it('what the leader holds of one peer\'s update is independent of that update: uncorrelated, uniform over the ring', async function () {
    const { changes, masked } = await maskedRound(peers)
    const real = changes.get('peer-c')!.change[0].values
    const seen = masked.get('peer-c')!.values
    const x = Array.from(real)
    const y = Array.from(seen.subarray(0, LENGTH), v => v / 2 ** 32)
    const mean = (a: number[]): number => a.reduce((sum, v) => sum + v, 0) / a.length
    const [mx, my] = [mean(x), mean(y)]
    const cov = x.reduce((sum, v, i) => sum + (v - mx) * (y[i] - my), 0)
    const correlation = cov / Math.sqrt(x.reduce((sum, v) => sum + (v - mx) ** 2, 0) * y.reduce((sum, v) => sum + (v - my) ** 2, 0))
    // independent samples of 2000 values: |r| above 0.1 has probability below 1e-5
    assert.ok(Math.abs(correlation) < 0.1, `correlation ${correlation}`)
    // 16 equal bins of the ring: chi-squared with 15 degrees of freedom stays below 50 with probability 1 − 1e-5
    const bins = new Array<number>(16).fill(0)
    for (const v of seen) bins[v >>> 28]++
    const expected = seen.length / 16
    const chiSquared = bins.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0)
    assert.ok(chiSquared < 50, `chi-squared ${chiSquared}, bins ${bins.join(' ')}`)
  })

  it('a peer that dies after sending its masked update still counts; one that dies before is unmasked away', async function () {
    const s = await maskedRound(peers)
    // peer-e dies after its masked update arrived: the other four agree (t = 4 of 5) and reveal its self-mask share
    const afterSending = await unmaskAt(s, 'peer-a', peers.filter(p => p !== 'peer-e'))
    assertSumIsFedAvg(afterSending.result, s.changes, peers)
    const before = await maskedRound(peers)
    before.masked.delete('peer-d')
    const live = peers.filter(p => p !== 'peer-d')
    const { plan, result } = await unmaskAt(before, 'peer-a', live)
    assert.deepEqual(plan.dropped, ['peer-d'])
    assertSumIsFedAvg(result, before.changes, live)
  })

  it('below the threshold of survivors no set is agreed to and the sum is not rebuilt', async function () {
    const s = await maskedRound(peers)
    for (const peer of ['peer-c', 'peer-d']) s.masked.delete(peer)
    const live = ['peer-a', 'peer-b', 'peer-e']
    const a = s.rounds.get('peer-a')!
    assert.deepEqual(a.plan(s.masked).survivors, [], 'three survivors each masked with two others, fewer than t − 1 = 3: none may be summed')
    const plan = { survivors: live, dropped: ['peer-c', 'peer-d'] }
    const answer = a.requestReceived('peer-a', a.request(plan), viewOf({ alive: live, holders: live, mergers: ['peer-a'] }))
    assert.ok('refused' in answer && /needs at least 4/.test(answer.refused), JSON.stringify(answer))
    const result = await a.unmask(s.masked, plan)
    assert.ok(!(result instanceof Uint32Array), 'no sum of fewer than t updates is unmasked')
  })

  it('a peer whose keys came after the others shared sits the round out: nobody can read its update, and a request that sums it is refused', async function () {
    const s = await maskedRound([...peers, 'peer-f'], { participants: peers, late: ['peer-f'] })
    assert.equal(s.masked.has('peer-f'), false, 'it masked with too few peers and sat out')
    // a hostile merger masks the newcomer's update for it, naming peers it never masked with, and asks to sum it
    const newcomer = s.rounds.get('peer-f')!
    const { change: c, samples } = s.changes.get('peer-f')!
    const selfMaskedOnly = (newcomer as unknown as { selfMaskSeed: Uint8Array }).selfMaskSeed
    assert.ok(selfMaskedOnly.length === 32)
    const forged = { values: updateVector(c, samples, LAYOUT), maskedWith: ['peer-a', 'peer-b', 'peer-c'] }
    const a = s.rounds.get('peer-a')!
    const honest = a.plan(s.masked)
    const request: UnmaskRequestMessage = { ...a.request(honest), survivors: [...honest.survivors, 'peer-f'].sort(), survivorMasks: [...honest.survivors, 'peer-f'].sort().map(p => (p === 'peer-f' ? forged.maskedWith : [...(a.offerOf(p) ?? [])])) }
    const live = [...peers, 'peer-f']
    const view = viewOf({ alive: live, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'] })
    const reveals = run(s, 'peer-a', request, view, live)
    assert.equal(reveals.length, 0, 'nobody reveals for a set that sums a peer with no offer of its own')
    assert.deepEqual(await rebuilt(s, reveals, ['peer-a'], 'peer-f'), { selfMask: false, maskKey: false })
    // the honest set, without it, still unmasks the participants' sum
    const { result } = await unmaskAt(s, 'peer-a', live)
    assertSumIsFedAvg(result, s.changes, peers)
  })

  it('a request from a peer that may not merge the round is refused', async function () {
    const s = await maskedRound(peers)
    const e = s.rounds.get('peer-e')!
    const answer = s.rounds.get('peer-b')!.requestReceived('peer-e', e.request(e.plan(s.masked)), viewOf({ alive: peers, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'] }))
    assert.ok('refused' in answer && /not the round's merger/.test(answer.refused))
  })

  it('a merger that sends conflicting requests to two halves of the honest peers gets neither set answered', async function () {
    // n = 5, t = 4: the merger plus two honest peers agree to each set, three of the four it needs
    assert.equal(shareThreshold(5), 4)
    const s = await maskedRound(peers)
    const m = s.rounds.get('peer-a')!
    const sumsTarget = m.request(m.plan(s.masked))
    // the second set drops the target, peer-e, so that its mask key would be revealed too
    const withoutTarget = new Map([...s.masked].filter(([p]) => p !== 'peer-e'))
    const dropsTarget = m.request(m.plan(withoutTarget))
    assert.deepEqual(dropsTarget.dropped, ['peer-e'])
    const view = viewOf({ alive: peers, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'], dropSilent: true })
    const reveals = [
      ...run(s, 'peer-a', sumsTarget, view, peers, ['peer-a', 'peer-b', 'peer-c']),
      ...run(s, 'peer-a', dropsTarget, view, peers, ['peer-d', 'peer-e'])
    ]
    assert.equal(reveals.length, 0, 'no set gathered t agreeing survivors')
    assert.deepEqual(await rebuilt(s, reveals, ['peer-a'], 'peer-e'), { selfMask: false, maskKey: false })
  })

  it('a successor that asks with another set after its leader died cannot expose a peer, and the round still unmasks', async function () {
    const s = await maskedRound(peers)
    const leader = s.rounds.get('peer-a')!
    const first = leader.request(leader.plan(s.masked))
    // the leader's request reaches two peers, then it dies
    const afterDeath = peers.filter(p => p !== 'peer-a')
    run(s, 'peer-a', first, viewOf({ alive: peers, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'] }), peers, ['peer-a', 'peer-b', 'peer-c'])
    // the successor lost the leader's masked update: its set drops the leader (dead, so it may)
    const successor = s.rounds.get('peer-b')!
    s.masked.delete('peer-a')
    const second = successor.plan(s.masked)
    assert.deepEqual(second.dropped, ['peer-a'])
    const view = viewOf({ alive: afterDeath, holders: ['peer-b', 'peer-c', 'peer-d'], mergers: ['peer-b'] })
    const reveals = run(s, 'peer-b', successor.request(second), view, afterDeath)
    assert.ok(reveals.length >= 4, 'every survivor revealed for the successor\'s set')
    assert.equal(new Set(reveals.map(r => r.setHash)).size, 1, 'one set revealed for in the round')
    // two curious peers pooling everything sealed to them learn nothing of the leader's update
    assert.deepEqual(await rebuilt(s, reveals, ['peer-b', 'peer-c'], 'peer-a'), { selfMask: false, maskKey: true })
    assertSumIsFedAvg(await successor.unmask(s.masked, second), s.changes, afterDeath)
  })

  it('a leader and a colluder that name a live peer as dropped wait for the round\'s deadline, and still cannot read it', async function () {
    const s = await maskedRound(peers)
    const leader = s.rounds.get('peer-a')!
    const withoutVictim = new Map([...s.masked].filter(([p]) => p !== 'peer-c'))
    const request = leader.request(leader.plan(withoutVictim))
    const young = viewOf({ alive: peers, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'] })
    const answer = s.rounds.get('peer-d')!.requestReceived('peer-a', wire(request), young)
    assert.ok(!('refused' in answer) && answer.consent === undefined && /drops peer-c, which is alive/.test(answer.waiting ?? ''), JSON.stringify(answer))
    const reveals = run(s, 'peer-a', request, viewOf({ alive: peers, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'], dropSilent: true }), peers)
    assert.ok(reveals.length > 0, 'past the round\'s deadline a live peer that never sent its update may be dropped')
    assert.deepEqual(await rebuilt(s, reveals, ['peer-a', 'peer-b'], 'peer-c'), { selfMask: false, maskKey: true })
  })

  it('reveals are sealed to the round\'s holders: another peer holding every reveal rebuilds nothing', async function () {
    const s = await maskedRound(peers)
    const a = s.rounds.get('peer-a')!
    const plan = a.plan(s.masked)
    const reveals = run(s, 'peer-a', a.request(plan), viewOf({ alive: peers, holders: ['peer-a', 'peer-b', 'peer-c'], mergers: ['peer-a'] }), peers)
    assert.ok(reveals.every(r => r.sealed.every(x => ['peer-a', 'peer-b', 'peer-c'].includes(x.to))), 'sealed to the holders only')
    assert.deepEqual(await rebuilt(s, reveals, ['peer-e'], 'peer-b'), { selfMask: false, maskKey: false })
    assert.ok(!((await s.rounds.get('peer-e')!.unmask(s.masked, plan)) instanceof Uint32Array), 'a non-holder cannot unmask')
    assertSumIsFedAvg(await s.rounds.get('peer-c')!.unmask(s.masked, plan), s.changes, peers)
  })

  it('the threshold withstands up to min(2t − n − 1, t − 2) colluders (a third of the peers), and two answer sets can never share a secret', () => {
    assert.deepEqual([3, 4, 5, 7, 16].map(colludersWithstood), [1, 1, 2, 2, 5])
    for (const n of [2, 3, 4, 5, 7, 10, 16, 255]) {
      const t = shareThreshold(n)
      assert.ok(t > (2 * n) / 3 || n === 2, `t ${t} of ${n}`)
      // disjoint honest answer sets: 2(t − c) > n − c ⟺ c < 2t − n
      const c = colludersWithstood(n)
      assert.ok(2 * (t - c) > n - c && (c <= t - 2 || n === 2), `n ${n}: ${c} colluders`)
    }
  })

  it('a low-order public key is refused when its keys arrive, and sharing goes on without it', async function () {
    const a = new SecureRound({ self: 'peer-a', round: ROUND, baseHash: BASE, participants: ['peer-a', 'peer-b', 'peer-x'] })
    const b = new SecureRound({ self: 'peer-b', round: ROUND, baseHash: BASE, participants: ['peer-a', 'peer-b', 'peer-x'] })
    const lowOrder = [new Uint8Array(32), Uint8Array.from([1, ...new Array<number>(31).fill(0)]), Uint8Array.from(Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'))]
    for (const key of lowOrder) {
      assert.equal(isContributoryKey(key), false)
      assert.match(a.keysReceived('peer-x', { type: 'secure-keys', round: ROUND, baseHash: BASE, channelKey: key, maskKey: b.keysMessage().maskKey }) ?? '', /low order/)
      assert.match(a.keysReceived('peer-x', { type: 'secure-keys', round: ROUND, baseHash: BASE, channelKey: b.keysMessage().channelKey, maskKey: key }) ?? '', /low order/)
    }
    assert.equal(a.keysReceived('peer-b', b.keysMessage()), undefined)
    assert.deepEqual(a.keyHolders(), ['peer-a', 'peer-b'], 'the low-order keys were not kept')
    const shares = await a.sharesMessage()
    assert.deepEqual(shares.shares.map(x => x.to), ['peer-a', 'peer-b'])
  })

  it('beyond 255 key holders a peer shares with 255 neighbours in a symmetric ring, and the round still unmasks', async function () {
    const holders = Array.from({ length: 300 }, (_, i) => `peer-${String(i).padStart(3, '0')}`)
    const recipients = new Map(holders.map(p => [p, shareRecipients(p, holders, ROUND, BASE, 255)]))
    for (const [peer, list] of recipients) {
      assert.ok(list.length <= 255 && list.includes(peer))
      for (const other of list) assert.ok(recipients.get(other)!.includes(peer), `${peer} → ${other} both ways`)
    }
    // the same rule with a small bound, run for real: 9 peers, 5 recipients each
    const nine = Array.from({ length: 9 }, (_, i) => `peer-${i}`)
    const s = await maskedRound(nine, { maxRecipients: 5 })
    assert.ok([...s.masked.values()].every(m => m.maskedWith.length === 4), 'each masks with its 4 neighbours')
    const { result } = await unmaskAt(s, 'peer-0', nine)
    assertSumIsFedAvg(result, s.changes, nine)
    const tooMany = { type: 'secure-shares' as const, round: ROUND, baseHash: BASE, threshold: shareThreshold(256), selfMaskCommitment: new Uint8Array(32), shares: Array.from({ length: 256 }, (_, i) => ({ to: `x${i}`, nonce: new Uint8Array(24), ciphertext: new Uint8Array(82) })) }
    assert.match(s.rounds.get('peer-0')!.sharesReceived('peer-8', tooMany) ?? '', /at most 5 can be made/)
  })

  it('the fixed point has room for every vector a round can sum: three at the top of the range with two participants read back 30, and a sixth is refused', async function () {
    const layout: VectorLayout = { clipNorm: 10, weighting: 'uniform', maxSamples: 1, capacity: roundCapacity(2), noiseStd: 0 }
    const top = toRing([10], vectorScale(layout), 10)
    const sum = new Uint32Array(1)
    for (let i = 0; i < 3; i++) sum[0] += top[0]
    assert.ok(Math.abs(fromRing(sum, vectorScale(layout))[0] - 30) < 1e-6, `read back ${fromRing(sum, vectorScale(layout))[0]}`)
    const five = Array.from({ length: 5 }, () => top[0]).reduce((a, b) => (a + b) >>> 0, 0)
    assert.ok(Math.abs(fromRing(Uint32Array.of(five), vectorScale(layout))[0] - 50) < 1e-6, 'all five the capacity allows')
    // six peers, two of them participants: the plan keeps the participants and the first three newcomers
    const six = ['peer-a', 'peer-b', 'peer-c', 'peer-d', 'peer-e', 'peer-f']
    const candidates = new Map(six.map(p => [p, { maskedWith: six.filter(o => o !== p), minMasks: 1 }]))
    const plan = unmaskingPlan(candidates, { capacity: roundCapacity(2), participants: new Set(['peer-e', 'peer-f']) })
    assert.deepEqual(plan, { survivors: ['peer-a', 'peer-b', 'peer-c', 'peer-e', 'peer-f'], dropped: ['peer-d'] })
    const s = await maskedRound(peers, { participants: ['peer-a', 'peer-b'] })
    const a = s.rounds.get('peer-a')!
    const request: UnmaskRequestMessage = { type: 'unmask-request', round: ROUND, baseHash: BASE, survivors: [...peers, 'peer-z'].sort(), dropped: [], survivorMasks: [...peers, 'peer-z'].map(() => []) }
    const answer = a.requestReceived('peer-a', request, viewOf({ alive: peers, holders: ['peer-a'], mergers: ['peer-a'] }))
    assert.ok('refused' in answer && /sums at most 5/.test(answer.refused), JSON.stringify(answer))
  })

  it('an unmasked sample count that differs from the announced ones cannot enlarge the divisor, and an unclipped change cannot push the mean beyond the bound', async function () {
    const s = await maskedRound(peers)
    // peer-c builds its vector by hand: 300 samples behind a change of 5 in every coordinate, never clipped, and a count of 90,000
    const unclipped = new Uint32Array(LENGTH + 1)
    unclipped.set(toRing(new Float64Array(LENGTH).fill(300 * 5), vectorScale(LAYOUT), LAYOUT.maxSamples * LAYOUT.clipNorm))
    unclipped[LENGTH] = 90_000
    s.masked.set('peer-c', s.rounds.get('peer-c')!.maskVector(unclipped) as MaskedVector)
    const { plan, result } = await unmaskAt(s, 'peer-a', peers)
    assert.ok(result instanceof Uint32Array)
    const announced = s.rounds.get('peer-a')!.announcedSamples(plan.survivors)
    const { change: mean, samples } = meanChange(result, peers.length, LAYOUT, change(0), announced)
    assert.notEqual(samples, announced, 'the lie about its count shows in the unmasked sum')
    const bounded = boundedMean(mean, LAYOUT)
    assert.ok(bounded.norm > 2 * LAYOUT.clipNorm, `the sum gives it away: norm ${bounded.norm}`)
    assert.ok(Math.abs(Math.hypot(...bounded.change[0].values) - LAYOUT.clipNorm) < 1e-3, 'the merged change is clipped to the bound')
  })

  it('with client-level DP the unmasked mean is bounded too: C plus the norm the noise can reach', function () {
    const layout: VectorLayout = { clipNorm: 1, weighting: 'uniform', maxSamples: 1, capacity: 9, noiseStd: 0.5 }
    const bound = meanBound(layout, 4, LENGTH)
    assert.ok(bound > layout.clipNorm && bound < layout.clipNorm + (0.5 / 2) * (Math.sqrt(LENGTH) + 9))
    const honest = [{ shape: [LENGTH], values: Float32Array.from({ length: LENGTH }, (_, i) => (i % 2 === 0 ? 0.25 : -0.25) * 0.9) }]
    assert.equal(boundedMean(honest, layout, 4).change, honest, 'a noisy honest mean passes')
    const unclipped = [{ shape: [LENGTH], values: new Float32Array(LENGTH).fill(5) }]
    const clipped = boundedMean(unclipped, layout, 4)
    assert.ok(Math.abs(Math.hypot(...clipped.change[0].values) - bound) < 1e-3, 'a mean far beyond is clipped to the bound')
  })

  it('shares encrypted to one peer cannot be read with another\'s keys, and bad keys are refused with a reason', async function () {
    const s = await maskedRound(['peer-a', 'peer-b', 'peer-c'])
    const c = s.rounds.get('peer-c')!
    const other = new SecureRound({ self: 'peer-q', round: ROUND, baseHash: BASE, participants: ['peer-q'] })
    assert.match(c.keysReceived('peer-a', other.keysMessage()) ?? '', /second, different set/)
    assert.match(c.keysReceived('peer-x', { type: 'secure-keys', round: ROUND, baseHash: BASE, channelKey: new Uint8Array(5), maskKey: new Uint8Array(32) }) ?? '', /32 bytes/)
    const participants = ['peer-a', 'peer-b', 'peer-d']
    const a = new SecureRound({ self: 'peer-a', round: ROUND, baseHash: BASE, participants })
    const d = new SecureRound({ self: 'peer-d', round: ROUND, baseHash: BASE, participants })
    const b = new SecureRound({ self: 'peer-b', round: ROUND, baseHash: BASE, participants })
    for (const [self, round] of [['peer-b', b], ['peer-d', d]] as const) a.keysReceived(self, round.keysMessage())
    d.keysReceived('peer-a', a.keysMessage())
    const message = await a.sharesMessage()
    // peer-d takes the share sealed for peer-b as if it were its own
    const sealedForB = message.shares.find(x => x.to === 'peer-b')!
    const stolen = { ...message, shares: message.shares.filter(x => x.to !== 'peer-d' && x.to !== 'peer-b').concat([{ ...sealedForB, to: 'peer-d' }]) }
    assert.match(d.sharesReceived('peer-a', { ...stolen, threshold: shareThreshold(stolen.shares.length) }) ?? '', /does not decrypt/)
    const alone = await new SecureRound({ self: 'peer-a', round: ROUND, baseHash: BASE, participants }).sharesMessage().catch((err: Error) => err)
    assert.ok(alone instanceof Error, 'a peer that holds no other peer\'s keys does not share')
  })

  it('the set survivors agree on names the round, its base and both lists', () => {
    const plan = { survivors: ['a', 'b'], dropped: ['c'] }
    assert.notEqual(setHash(ROUND, BASE, plan), setHash(ROUND + 1, BASE, plan))
    assert.notEqual(setHash(ROUND, BASE, plan), setHash(ROUND, BASE, { survivors: ['a', 'b', 'c'], dropped: [] }))
    assert.match(setHash(ROUND, BASE, plan), /^[0-9a-f]{64}$/)
  })
})
