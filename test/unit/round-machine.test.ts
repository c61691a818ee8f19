import assert from 'node:assert/strict'
import { FAILOVER_DELAY_MS, QUORUM_WAIT_MS, SimulatedSwarm, TICK_MS, actionsOf, genesisModel } from '../helpers/simulated-swarm.ts'
import type { SimPeer } from '../helpers/simulated-swarm.ts'
import { preferredGlobal } from '../../src/round/types.ts'
import { DISPUTE_AFTER_FAILOVERS, updateHolders } from '../../src/round/machine.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { GlobalModel } from '../../src/round/types.ts'
import { createStrategy } from '../../src/merge/index.ts'
import { DEFAULTS } from '../../src/settings/parse.ts'

function startAll (swarm: SimulatedSwarm): void {
  swarm.startAll()
}

/** Every global model any peer published, by round. */
function mergesByRound (swarm: SimulatedSwarm): Map<number, string[]> {
  const merges = new Map<number, string[]>()
  for (const peer of swarm.peers.values()) {
    for (const { model } of actionsOf(peer, 'publish-global')) merges.set(model.round, [...(merges.get(model.round) ?? []), model.merger])
  }
  return merges
}

const replacements = (peers: Iterable<SimPeer>): number => [...peers].reduce((n, p) => n + actionsOf(p, 'model-replaced').length, 0)

describe('round protocol (state machine, no I/O)', () => {
  it('three peers finish every round holding the same global model, merged by a rotating leader', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 3 })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    startAll(swarm)
    swarm.settle()
    const finals = [...swarm.peers.values()].map(p => actionsOf(p, 'finish').at(-1)?.model)
    assert.ok(finals.every(m => m !== undefined && m.round === 3))
    assert.equal(new Set(finals.map(m => m?.modelHash)).size, 1)
    const mergers = [...swarm.peers.values()].flatMap(p => actionsOf(p, 'publish-global').map(a => a.model.merger))
    assert.deepEqual(mergers.sort(), ['p1', 'p2', 'p3'], 'each round merged once, by a different peer')
    assert.deepEqual(finals[0]?.contributors, ['p1', 'p2', 'p3'])
  })

  it('rounds complete when training changes nothing, so every global model has the hash of the one before', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 3, stuck: true })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    startAll(swarm)
    swarm.settle()
    const finals = [...swarm.peers.values()].map(p => actionsOf(p, 'finish').at(-1)?.model)
    assert.deepEqual(finals.map(m => m?.round), [3, 3, 3])
    assert.equal(finals[0]?.modelHash, genesisModel().modelHash)
  })

  it('merges by sample-weighted averaging of the updates', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    swarm.add('p1')
    swarm.add('p3')
    startAll(swarm)
    swarm.settle()
    // p1 adds 1 with 100 samples, p3 adds 3 with 300 samples: (1·100 + 3·300) / 400 = 2.5
    const model = actionsOf(swarm.get('p1'), 'finish')[0].model
    assert.deepEqual([...model.weights[0].values], [2.5, 2.5])
  })

  it('every peer reports the same leader for a round', () => {
    const swarm = new SimulatedSwarm({ rounds: 4, minPeers: 3 })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    startAll(swarm)
    swarm.settle()
    for (let round = 1; round <= 4; round++) {
      const leaders = [...swarm.peers.values()].map(p => actionsOf(p, 'start-round').find(a => a.round === round)?.leader)
      assert.equal(new Set(leaders).size, 1, `round ${round}: ${leaders.join(', ')}`)
    }
  })

  it('waits below --min-peers, says so once, and starts when enough peers are present', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    swarm.add('p1')
    swarm.start('p1')
    assert.deepEqual(actionsOf(swarm.get('p1'), 'waiting-for-peers'), [{ type: 'waiting-for-peers', have: 1, need: 2 }])
    assert.equal(actionsOf(swarm.get('p1'), 'start-round').length, 0)
    swarm.add('p2')
    swarm.start('p2')
    swarm.settle()
    assert.equal(actionsOf(swarm.get('p1'), 'waiting-for-peers').length, 1)
    assert.equal(actionsOf(swarm.get('p1'), 'finish').length, 1)
  })

  it('a newcomer holding the current global model is waited for and becomes a contributor', () => {
    const longer = new SimulatedSwarm({ rounds: 3, minPeers: 2 })
    longer.add('p1')
    longer.add('p2')
    startAll(longer)
    longer.untilRoundStarts(1)
    longer.trainAll()
    longer.deliver()
    const round1 = actionsOf(longer.get('p1'), 'adopt')[0].model
    longer.add('p5', round1)
    longer.start('p5')
    longer.settle()
    const final = actionsOf(longer.get('p5'), 'finish')[0].model
    assert.equal(final.round, 3)
    assert.ok(final.contributors.includes('p5'))
    assert.equal(actionsOf(longer.get('p1'), 'finish')[0].model.modelHash, final.modelHash)
  })

  it('a round still completes when a participant leaves before publishing', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    swarm.get('p3').training.length = 0
    swarm.remove('p3')
    swarm.settle()
    const final = actionsOf(swarm.get('p1'), 'finish')[0].model
    assert.deepEqual(final.contributors, ['p1', 'p2'])
    assert.equal(actionsOf(swarm.get('p2'), 'finish')[0].model.modelHash, final.modelHash)
  })

  it('only the leader and its first successors fetch the offered updates', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 5 })
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5']
    for (const id of ids) swarm.add(id)
    startAll(swarm)
    swarm.settle()
    const fetchers = ids.filter(id => actionsOf(swarm.get(id), 'fetch-update').length > 0)
    const order = actionsOf(swarm.get('p1'), 'start-round')[0].participants
    assert.deepEqual(fetchers.sort(), order.slice(0, updateHolders(1)).sort())
    assert.equal(new Set(ids.map(id => actionsOf(swarm.get(id), 'finish')[0]?.model.modelHash)).size, 1)
  })

  it('a peer that becomes an update holder when a holder leaves fetches the updates offered so far', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 4 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const order = actionsOf(swarm.get('p1'), 'start-round')[0].participants
    const fourth = swarm.get(order[3])
    const base = fourth.machine.globalModel.modelHash
    for (const from of order.slice(0, 3)) swarm.apply(fourth, fourth.machine.updateOffered(from, 1, base))
    assert.equal(actionsOf(fourth, 'fetch-update').length, 0, 'the fourth in the order is no holder')
    swarm.apply(fourth, fourth.machine.peerLeft(order[1]))
    // the holder that left offered its update too: another holder hands it on (the shell picks who)
    assert.deepEqual(actionsOf(fourth, 'fetch-update').map(a => a.from).sort(), order.slice(0, 3).sort(), 'the new holder asks for the updates offered so far')
  })

  it('begins no round before start(), even when enough peers are already known', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    const peer = swarm.add('p1')
    swarm.add('p2')
    swarm.start('p2')
    swarm.advance(5 * TICK_MS)
    assert.equal(actionsOf(peer, 'start-round').length, 0)
    assert.equal(actionsOf(peer, 'announce').length, 0, 'not even round 1\'s roster is said')
    swarm.start('p1')
    swarm.untilRoundStarts(1)
    assert.equal(actionsOf(peer, 'start-round').length, 1)
  })

  it('ignores a training result computed from an outdated global model', () => {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 1 })
    const peer = swarm.add('p1')
    swarm.start('p1')
    swarm.untilRoundStarts(1)
    const actions = peer.machine.localUpdateReady(1, 'f'.repeat(64), genesisModel().weights, 10)
    assert.deepEqual(actions, [])
  })

  it('settles two global models for one round on the same one, whichever arrives first', () => {
    const weights = (v: number): GlobalModel['weights'] => [{ shape: [2], values: Float32Array.from([v, v]) }]
    const model = (v: number, contributors: string[]): GlobalModel => ({ round: 1, weights: weights(v), modelHash: modelHash(weights(v)), contributors, merger: contributors[0], samples: 1, state: [], updateHashes: [] })
    const a = model(1, ['p1', 'p2'])
    const b = model(2, ['p1', 'p2'])
    const c = model(3, ['p1', 'p2', 'p3'])
    assert.equal(preferredGlobal(a, c), c, 'more contributors wins')
    assert.equal(preferredGlobal(a, b), preferredGlobal(b, a), 'the tie-break does not depend on order')
    for (const order of [[a, b, c], [c, b, a], [b, c, a]]) {
      const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 1 })
      const peer = swarm.add('p9')
      const roster = ['p1', 'p2', 'p3', 'p9']
      for (const other of ['p1', 'p2', 'p3']) {
        peer.machine.peerJoined(other)
        peer.machine.announceReceived(other, 1, peer.machine.globalModel.modelHash, roster, false)
      }
      swarm.start('p9')
      swarm.untilRoundStarts(1)
      // the other holders recomputed each merge and got the same hash
      for (const m of order) for (const holder of ['p2', 'p3']) swarm.apply(peer, peer.machine.attestationReceived(holder, 1, m.modelHash, m.merger, m.modelHash))
      for (const m of order) swarm.apply(peer, peer.machine.globalReceived(m, m.merger))
      assert.equal(peer.machine.globalModel.modelHash, c.modelHash)
      const replaced = actionsOf(peer, 'model-replaced')
      assert.equal(replaced.length, order.indexOf(c) === 0 ? 0 : order.indexOf(c), 'each replacement is reported')
      assert.ok(replaced.every(r => r.round === 1 && r.by !== r.previous))
    }
  })
})

describe('round 1 participants (state machine, fake clock)', () => {
  it('peers that start at different moments, seeing different members, agree on one roster, one leader and one model', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 3 })
    for (const id of ['p2', 'p3', 'p4']) swarm.add(id)
    for (const id of ['p2', 'p3', 'p4']) swarm.start(id)
    swarm.deliver()
    // p1 sorts first: in its own view it would lead round 1 if it counted only the members it sees
    swarm.add('p1')
    swarm.start('p1')
    swarm.add('p5')
    swarm.start('p5')
    swarm.settle()
    const peers = [...swarm.peers.values()]
    const leaders = new Set(peers.map(p => actionsOf(p, 'start-round').find(a => a.round === 1)?.leader))
    assert.equal(leaders.size, 1, `round 1 leaders: ${[...leaders].join(', ')}`)
    for (const [round, mergers] of mergesByRound(swarm)) assert.equal(mergers.length, 1, `round ${round} merged by ${mergers.join(', ')}`)
    assert.equal(replacements(peers), 0, 'no peer ever replaced a model')
    assert.equal(new Set(peers.map(p => actionsOf(p, 'finish')[0]?.model.modelHash)).size, 1)
    assert.ok(actionsOf(swarm.get('p1'), 'finish')[0].model.contributors.includes('p1'), 'the late peers contribute')
  })

  it('peers that hear each other at once seal one roster holding all of them', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const rosters = new Set([...swarm.peers.values()].map(p => actionsOf(p, 'start-round')[0].participants.slice().sort().join(',')))
    assert.deepEqual([...rosters], ['p1,p2,p3,p4'])
  })

  it('a peer that arrives after the roster was sealed trains in round 1 under the sealed roster\'s leader', () => {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 2 })
    for (const id of ['p2', 'p3']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const late = swarm.add('p1')
    swarm.start('p1')
    swarm.settle()
    const roundOne = actionsOf(late, 'adopt')[0].model
    assert.equal(roundOne.round, 1)
    assert.deepEqual(roundOne.contributors, ['p1', 'p2', 'p3'], 'the late peer\'s update was merged in round 1')
    assert.deepEqual(mergesByRound(swarm).get(1), [actionsOf(swarm.get('p2'), 'start-round')[0].leader], 'the sealed roster\'s leader merged round 1, alone')
    assert.ok(actionsOf(late, 'start-round').every(a => a.round !== 1 || !a.participants.includes('p1')), 'the late peer is no participant of round 1')
    assert.equal(new Set([...swarm.peers.values()].map(p => actionsOf(p, 'finish')[0]?.model.modelHash)).size, 1)
  })

  it('a member that never agrees (dead, frozen or hostile) holds round 1 up for the quorum wait, no longer', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    for (const id of ['p1', 'p2']) swarm.add(id)
    const p1 = swarm.get('p1')
    // p0 announced round 1 once, with a roster nobody else will ever have
    p1.machine.announceReceived('p0', 1, p1.machine.globalModel.modelHash, ['p0', 'x'], false)
    swarm.get('p2').machine.announceReceived('p0', 1, p1.machine.globalModel.modelHash, ['p0', 'x'], false)
    startAll(swarm)
    swarm.advance(QUORUM_WAIT_MS - 2 * TICK_MS)
    assert.equal(actionsOf(p1, 'start-round').length, 0, 'round 1 waits for p0 to agree')
    swarm.untilRoundStarts(1)
    assert.ok(swarm.time <= QUORUM_WAIT_MS + 4 * TICK_MS, `round 1 began at ${swarm.time} ms`)
    swarm.settle()
    assert.deepEqual(actionsOf(p1, 'finish')[0].model.contributors, ['p1', 'p2'])
    assert.equal(actionsOf(swarm.get('p2'), 'finish')[0].model.modelHash, actionsOf(p1, 'finish')[0].model.modelHash)
  })

  it('one peer claiming a sealed roster of its own cannot impose it', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    for (const id of ['p2', 'p3']) swarm.add(id)
    for (const peer of swarm.peers.values()) {
      peer.machine.peerJoined('p1')
      peer.machine.announceReceived('p1', 1, peer.machine.globalModel.modelHash, ['p1', 'x'], true)
    }
    startAll(swarm)
    swarm.untilRoundStarts(1)
    for (const peer of swarm.peers.values()) {
      assert.deepEqual(actionsOf(peer, 'start-round')[0].participants.slice().sort(), ['p1', 'p2', 'p3'], `${peer.id} sealed the roster of the peers it heard`)
    }
  })
})

describe('round protocol under faults (state machine, fake clock)', () => {
  function fourPeers (minPeers = 2): { swarm: SimulatedSwarm, order: string[], started: number } {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const p1 = swarm.get('p1')
    return { swarm, order: actionsOf(p1, 'start-round')[0].participants, started: Math.max(...[...swarm.peers.values()].map(p => p.trainStarts.get(1) ?? 0)) }
  }

  const finalHashes = (swarm: SimulatedSwarm, ids: string[]): Set<string | undefined> =>
    new Set(ids.map(id => actionsOf(swarm.get(id), 'finish').at(-1)?.model.modelHash))

  it('a hung participant is not waited for past the quorum wait', () => {
    const { swarm, order, started } = fourPeers()
    const hung = order[3]
    swarm.frozen.add(hung)
    swarm.settle()
    assert.equal(actionsOf(swarm.get(order[0]), 'publish-global').length, 0, 'the leader waits for the hung peer at first')
    swarm.advanceTo(started + QUORUM_WAIT_MS + TICK_MS)
    const merged = actionsOf(swarm.get(order[0]), 'publish-global')[0].model
    assert.deepEqual(merged.contributors, order.slice(0, 3).sort())
  })

  it('a dead leader\'s successor merges the updates it holds and says so', () => {
    const { swarm, order } = fourPeers()
    swarm.frozen.add(order[0])
    swarm.trainAll()
    swarm.deliver()
    assert.ok(actionsOf(swarm.get(order[1]), 'fetch-update').length >= 2, 'the successor holds the updates')
    swarm.peers.delete(order[0])
    for (const id of order.slice(1)) swarm.apply(swarm.get(id), swarm.get(id).machine.peerLeft(order[0]))
    swarm.settle()
    const successor = swarm.get(order[1])
    assert.deepEqual(actionsOf(successor, 'leader-failover')[0], { type: 'leader-failover', round: 1, from: order[0], to: order[1] })
    assert.equal(actionsOf(successor, 'publish-global')[0].model.round, 1)
    assert.equal(finalHashes(swarm, order.slice(1)).size, 1)
  })

  it('a hung leader is replaced by its first successor after the failover delay, and by nobody else', () => {
    const { swarm, order } = fourPeers()
    swarm.frozen.add(order[0])
    swarm.settle()
    const started = swarm.get(order[1]).trainStarts.get(1) ?? 0
    swarm.advanceTo(started + QUORUM_WAIT_MS + FAILOVER_DELAY_MS - 1)
    assert.equal(actionsOf(swarm.get(order[1]), 'publish-global').length, 0)
    swarm.advance(TICK_MS)
    assert.equal(actionsOf(swarm.get(order[1]), 'publish-global').length, 1)
    assert.equal(actionsOf(swarm.get(order[2]), 'publish-global').length, 0, 'the second successor sees the merge and stands down')
    // the hung leader is a holder that never attests: the merge is in dispute after a while, and every peer checks it itself
    swarm.advance(DISPUTE_AFTER_FAILOVERS * FAILOVER_DELAY_MS + TICK_MS)
    assert.equal(new Set(order.slice(1).map(id => swarm.get(id).machine.globalModel.modelHash)).size, 1)
  })

  it('a successor frozen past the failover delay does not merge a competing model when it resumes', () => {
    const { swarm, order, started } = fourPeers()
    const successor = swarm.get(order[1])
    // frozen while training: the others merge without it once the quorum wait has passed
    swarm.frozen.add(successor.id)
    swarm.settle()
    swarm.advanceTo(started + QUORUM_WAIT_MS + 2 * FAILOVER_DELAY_MS)
    assert.equal(mergesByRound(swarm).get(1)?.length, 1)
    // on resuming, its training finishes and its clock says the leader was silent for long
    swarm.thaw(successor.id, peer => { swarm.train(peer) })
    swarm.settle()
    assert.equal(actionsOf(successor, 'publish-global').filter(a => a.model.round === 1).length, 0, 'the resumed successor did not merge round 1')
    assert.equal(replacements(swarm.peers.values()), 0)
    assert.equal(finalHashes(swarm, order).size, 1)
  })

  it('a leader that starts the round late is not replaced while it works: its successors wait from when they first hear it', () => {
    // round 2's rotation is p2, p3, p4, p1: p2 leads; it was frozen and begins the round well after the others
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 4 })
    const start: GlobalModel = { ...genesisModel(), round: 1, contributors: ['p1', 'p2', 'p3', 'p4'], merger: 'p1' }
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id, start)
    for (const id of ['p1', 'p3', 'p4']) swarm.start(id)
    swarm.settle()
    // past the quorum wait and both failover delays the successors hold 3 updates of the 4 they need
    swarm.advance(QUORUM_WAIT_MS + 2 * FAILOVER_DELAY_MS + TICK_MS)
    swarm.start('p2')
    swarm.settle()
    const merges = mergesByRound(swarm).get(2) ?? []
    assert.deepEqual(merges, ['p2'], `only the late leader merges the round its update completes: ${merges.join(', ')}`)
    assert.equal(finalHashes(swarm, ['p1', 'p2', 'p3', 'p4']).size, 1)
    assert.equal(replacements(swarm.peers.values()), 0)
  })

  it('below --min-peers a round waits, says so once, and completes when a peer comes back', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    swarm.add('p1')
    swarm.add('p2')
    startAll(swarm)
    swarm.untilRoundStarts(1)
    swarm.trainAll()
    swarm.get('p2').training.length = 0
    swarm.remove('p2')
    swarm.settle()
    swarm.advance(QUORUM_WAIT_MS * 3)
    const p1 = swarm.get('p1')
    assert.equal(actionsOf(p1, 'publish-global').length, 0, 'one update is below the minimum of two')
    assert.equal(actionsOf(p1, 'waiting-for-peers').length, 1)
    swarm.add('p3', genesisModel())
    swarm.start('p3')
    swarm.settle()
    assert.deepEqual(actionsOf(p1, 'finish')[0].model.contributors, ['p1', 'p3'])
  })

  it('a leader that publishes another model than its merge is contradicted, and the round completes with the honest merge', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 4 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const liar = actionsOf(swarm.get('p1'), 'start-round')[0].leader
    swarm.liars.add(liar)
    swarm.settle()
    const honest = [...swarm.peers.values()].filter(p => p.id !== liar)
    assert.ok(swarm.lies.length > 0, 'the liar led a round')
    const lied = new Set(swarm.lies.map(m => m.modelHash))
    for (const peer of honest) {
      assert.equal(peer.machine.globalModel.round, 3, `${peer.id} finished`)
      assert.ok(actionsOf(peer, 'adopt').every(a => !lied.has(a.model.modelHash)), `${peer.id} never adopted a lie`)
      const evidence = actionsOf(peer, 'merge-rejected')
      assert.ok(evidence.length > 0 && evidence.every(e => e.merger === liar && lied.has(e.claimed) && e.computed !== e.claimed), `${peer.id} holds the evidence`)
    }
    assert.equal(new Set([...swarm.peers.values()].map(p => p.machine.globalModel.modelHash)).size, 1, 'the liar too ends on the honest model')
  })

  it('every merge is attested by f + 1 other holders (all of them while fewer are alive) before the other peers adopt it', () => {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 5 })
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) swarm.add(id)
    startAll(swarm)
    swarm.settle()
    for (const peer of swarm.peers.values()) {
      for (const { model } of actionsOf(peer, 'adopt')) {
        if (model.merger === peer.id || actionsOf(peer, 'attest').some(a => a.round === model.round && a.computed === model.modelHash)) continue
        const attesters = [...swarm.peers.values()].filter(p => p.id !== model.merger && actionsOf(p, 'attest').some(a => a.round === model.round && a.computed === model.modelHash))
        assert.ok(attesters.length >= 2, `round ${model.round} on ${peer.id}: attested by ${attesters.length} other holders`)
      }
    }
    assert.equal(new Set([...swarm.peers.values()].map(p => p.machine.globalModel.modelHash)).size, 1)
  })

  it('a strategy that needs more updates than the round has waits and says so, and never merges', () => {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 2, strategy: createStrategy({ ...DEFAULTS, merge: 'krum', byzantine: 1 }) })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    startAll(swarm)
    swarm.settle()
    swarm.advance(QUORUM_WAIT_MS + updateHolders(1) * FAILOVER_DELAY_MS * 2)
    const peers = [...swarm.peers.values()]
    assert.equal(peers.flatMap(p => actionsOf(p, 'merge')).length, 0, 'no merge was attempted')
    const waiting = peers.flatMap(p => actionsOf(p, 'waiting-for-updates'))
    assert.ok(waiting.length > 0 && waiting.every(w => w.have === 3 && w.need === 5), JSON.stringify(waiting))
    assert.ok(peers.every(p => p.machine.round === 1))
  })

  it('only the round\'s holders\' attestations count; a merge nobody verifies puts the round in dispute, where every peer recomputes it itself', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 5 })
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const order = actionsOf(swarm.get('p1'), 'start-round')[0].participants
    const outsider = swarm.get(order[4])
    const base = outsider.machine.globalModel
    const weights = base.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + 1) }))
    const model: GlobalModel = { ...base, round: 1, weights, modelHash: modelHash(weights), merger: order[0], contributors: [...order].sort(), updateHashes: [] }
    swarm.apply(outsider, outsider.machine.globalReceived(model, order[0]))
    assert.equal(outsider.machine.globalModel.round, 0, 'the merge waits for the holders\' attestations')
    swarm.apply(outsider, outsider.machine.attestationReceived(order[3], 1, model.modelHash, order[0], model.modelHash))
    assert.equal(outsider.machine.globalModel.round, 0, 'a participant that holds no updates cannot attest')
    swarm.apply(outsider, outsider.machine.attestationReceived(order[1], 1, model.modelHash, order[0], model.modelHash))
    assert.equal(outsider.machine.globalModel.round, 0, 'one holder besides the merger is not enough against a colluder')
    assert.equal(outsider.machine.mayFetchUpdate(order[3], 1, base.modelHash), false, 'a participant that is no holder may not fetch the round\'s updates')
    assert.equal(outsider.machine.mayFetchUpdate(order[1], 1, base.modelHash), true, 'a holder may')
    swarm.time += DISPUTE_AFTER_FAILOVERS * FAILOVER_DELAY_MS
    swarm.apply(outsider, outsider.machine.tick())
    assert.equal(outsider.machine.globalModel.round, 0, 'a merge nobody verified is never adopted unverified')
    assert.equal(actionsOf(outsider, 'round-disputed').length, 1, 'the round is in dispute, and the operator is told')
    assert.ok(actionsOf(outsider, 'fetch-update').length > 0, 'the outsider now fetches the updates the merge names, to recompute it itself')
    assert.equal(outsider.machine.mayFetchUpdate(order[3], 1, base.modelHash), true, 'in dispute, every peer of the round may fetch its updates')
    swarm.apply(outsider, outsider.machine.attestationReceived(order[2], 1, model.modelHash, order[0], model.modelHash))
    assert.equal(outsider.machine.globalModel.modelHash, model.modelHash, 'adopted once f + 1 = 2 holders besides the merger attested it')
  })

  it('a lying leader and a colluding holder cannot make an honest peer keep a false model; the round completes with the honest merge', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 4 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    const order = actionsOf(swarm.get('p1'), 'start-round')[0].participants
    // the leader lies; its first successor, a holder, attests every lie as its own computation
    swarm.liars.add(order[0])
    swarm.colluders.add(order[1])
    swarm.settle()
    const lied = new Set(swarm.lies.map(m => m.modelHash))
    assert.ok(lied.size > 0, 'the liar led a round')
    const honest = [...swarm.peers.values()].filter(p => !swarm.liars.has(p.id) && !swarm.colluders.has(p.id))
    for (const peer of honest) {
      assert.ok(actionsOf(peer, 'adopt').every(a => !lied.has(a.model.modelHash)), `${peer.id} never adopted a lie`)
      assert.equal(peer.machine.globalModel.round, 3, `${peer.id} finished`)
    }
    assert.equal(new Set(honest.map(p => p.machine.globalModel.modelHash)).size, 1, 'the honest peers end on one model')
    // the round the liar led completed with the merge of the updates it named, as an honest holder computed it
    const round = swarm.lies[0].round
    const kept = actionsOf(honest[0], 'adopt').find(a => a.model.round === round)?.model
    assert.ok(kept !== undefined && kept.merger !== order[0] && !lied.has(kept.modelHash), `round ${round} kept the honest merge of ${kept?.merger}`)
    assert.deepEqual(kept.contributors, swarm.lies[0].contributors, 'the same updates, merged honestly')
  })

  it('a model further ahead is adopted only once f + 1 members other than its merger hold it', () => {
    const swarm = new SimulatedSwarm({ rounds: 6, minPeers: 3 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    const p4 = swarm.get('p4')
    const base = p4.machine.globalModel
    const weights = base.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + 7) }))
    const forged: GlobalModel = { ...base, round: 4, weights, modelHash: modelHash(weights), merger: 'p1', contributors: ['p1', 'p2'], updateHashes: [] }
    swarm.apply(p4, p4.machine.globalReceived(forged, 'p1'))
    assert.equal(p4.machine.globalModel.round, 0, 'a merger\'s word alone adopts nothing ahead')
    swarm.apply(p4, p4.machine.memberHolds('p1', 4, forged.modelHash))
    swarm.apply(p4, p4.machine.memberHolds('p2', 4, forged.modelHash))
    assert.equal(p4.machine.globalModel.round, 0, 'nor does one member besides it: it may collude')
    swarm.apply(p4, p4.machine.memberHolds('p3', 4, forged.modelHash))
    assert.equal(p4.machine.globalModel.modelHash, forged.modelHash, 'two members other than its merger hold it: adopted')
  })

  it('a lie that arrives after its round completed with an attested merge does not win by the preference rule, and its contradiction is still logged', () => {
    const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 4 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    swarm.untilRoundStarts(1)
    swarm.trainAll()
    while (![...swarm.peers.values()].every(p => p.machine.globalModel.round >= 1)) swarm.advance(TICK_MS)
    const order = actionsOf(swarm.get('p1'), 'start-round')[0].participants
    const peer = [...swarm.peers.values()].find(p => p.id !== order[0] && p.machine.globalModel.merger !== p.id) as SimPeer
    const honest = peer.machine.globalModel
    // a lie naming the same contributors, with a hash the preference rule would pick over the honest one
    let lie = honest
    for (let offset = 1; lie.modelHash >= honest.modelHash; offset++) {
      const weights = honest.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + offset) }))
      lie = { ...honest, weights, modelHash: modelHash(weights), merger: order[0] }
    }
    swarm.apply(peer, peer.machine.globalReceived(lie, order[0]))
    assert.equal(peer.machine.globalModel.modelHash, honest.modelHash, 'the attested honest merge is kept')
    assert.equal(actionsOf(peer, 'model-replaced').length, 0)
    const holder = order.find(p => p !== order[0]) as string
    swarm.apply(peer, peer.machine.attestationReceived(holder, 1, lie.modelHash, order[0], honest.modelHash))
    assert.deepEqual(actionsOf(peer, 'merge-rejected').map(e => [e.claimed, e.computed, e.by]), [[lie.modelHash, honest.modelHash, holder]])
  })

  it('a merge that reaches a peer before it knows the round\'s holders (round 1\'s roster not sealed there) waits for an attestation too', () => {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 3 })
    for (const id of ['p1', 'p2', 'p3']) swarm.add(id)
    const p1 = swarm.get('p1')
    swarm.start('p1')
    assert.equal(actionsOf(p1, 'start-round').length, 0, 'p1 has not sealed a roster: the others have not announced')
    const base = p1.machine.globalModel
    const weights = base.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + 1) }))
    const model: GlobalModel = { ...base, round: 1, weights, modelHash: modelHash(weights), merger: 'p2', contributors: ['p1', 'p2', 'p3'], updateHashes: [] }
    swarm.apply(p1, p1.machine.globalReceived(model, 'p2'))
    assert.equal(p1.machine.globalModel.round, 0, 'not adopted before other contributors attest it')
    swarm.apply(p1, p1.machine.attestationReceived('p3', 1, model.modelHash, 'p2', model.modelHash))
    assert.equal(p1.machine.globalModel.round, 0, 'one contributor the merger named is not enough: the merger picks whom it names')
    swarm.apply(p1, p1.machine.memberHolds('p3', 1, model.modelHash))
    assert.equal(p1.machine.globalModel.modelHash, model.modelHash, 'adopted once every member besides its merger holds it')
  })
})
