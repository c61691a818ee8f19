import assert from 'node:assert/strict'
import { FAILOVER_DELAY_MS, QUORUM_WAIT_MS, SimulatedSwarm, actionsOf, genesisModel } from '../helpers/simulated-swarm.ts'
import { preferredGlobal } from '../../src/round/types.ts'
import { UPDATE_HOLDERS } from '../../src/round/machine.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { GlobalModel } from '../../src/round/types.ts'

function startAll (swarm: SimulatedSwarm): void {
  for (const id of swarm.peers.keys()) swarm.start(id)
}

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
    swarm.deliver()
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
    assert.deepEqual(fetchers.sort(), order.slice(0, UPDATE_HOLDERS).sort())
    assert.equal(new Set(ids.map(id => actionsOf(swarm.get(id), 'finish')[0]?.model.modelHash)).size, 1)
  })

  it('a peer that becomes an update holder when a holder leaves fetches the updates offered so far', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 4 })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    const order = actionsOf(swarm.get('p1'), 'start-round')[0].participants
    const fourth = swarm.get(order[3])
    const base = fourth.machine.globalModel.modelHash
    for (const from of order.slice(0, 3)) swarm.apply(fourth, fourth.machine.updateOffered(from, 1, base))
    assert.equal(actionsOf(fourth, 'fetch-update').length, 0, 'the fourth in the order is no holder')
    swarm.apply(fourth, fourth.machine.peerLeft(order[1]))
    assert.deepEqual(actionsOf(fourth, 'fetch-update').map(a => a.from).sort(), [order[0], order[2]].sort(), 'the new holder asks for the updates offered so far')
  })

  it('begins no round before start(), even when enough peers are already known', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    const peer = swarm.add('p1')
    swarm.add('p2')
    assert.equal(actionsOf(peer, 'start-round').length, 0)
    swarm.start('p1')
    assert.equal(actionsOf(peer, 'start-round').length, 1)
  })

  it('ignores a training result computed from an outdated global model', () => {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers: 1 })
    const peer = swarm.add('p1')
    swarm.start('p1')
    const actions = peer.machine.localUpdateReady(1, 'f'.repeat(64), genesisModel().weights, 10)
    assert.deepEqual(actions, [])
  })

  it('settles two global models for one round on the same one, whichever arrives first', () => {
    const weights = (v: number): GlobalModel['weights'] => [{ shape: [2], values: Float32Array.from([v, v]) }]
    const model = (v: number, contributors: string[]): GlobalModel => ({ round: 1, weights: weights(v), modelHash: modelHash(weights(v)), contributors, merger: contributors[0], samples: 1 })
    const a = model(1, ['p1', 'p2'])
    const b = model(2, ['p1', 'p2'])
    const c = model(3, ['p1', 'p2', 'p3'])
    assert.equal(preferredGlobal(a, c), c, 'more contributors wins')
    assert.equal(preferredGlobal(a, b), preferredGlobal(b, a), 'the tie-break does not depend on order')
    for (const order of [[a, b, c], [c, b, a], [b, c, a]]) {
      const swarm = new SimulatedSwarm({ rounds: 3, minPeers: 1 })
      const peer = swarm.add('p9')
      for (const other of ['p1', 'p2', 'p3']) peer.machine.peerJoined(other)
      swarm.start('p9')
      for (const m of order) swarm.apply(peer, peer.machine.globalReceived(m, m.merger))
      assert.equal(peer.machine.globalModel.modelHash, c.modelHash)
    }
  })
})

describe('round protocol under faults (state machine, fake clock)', () => {
  function fourPeers (minPeers = 2): { swarm: SimulatedSwarm, order: string[] } {
    const swarm = new SimulatedSwarm({ rounds: 2, minPeers })
    for (const id of ['p1', 'p2', 'p3', 'p4']) swarm.add(id)
    startAll(swarm)
    return { swarm, order: actionsOf(swarm.get('p1'), 'start-round')[0].participants }
  }

  const finalHashes = (swarm: SimulatedSwarm, ids: string[]): Set<string | undefined> =>
    new Set(ids.map(id => actionsOf(swarm.get(id), 'finish').at(-1)?.model.modelHash))

  it('a hung participant is not waited for past the quorum wait', () => {
    const { swarm, order } = fourPeers()
    const hung = order[3]
    swarm.frozen.add(hung)
    swarm.settle()
    assert.equal(actionsOf(swarm.get(order[0]), 'publish-global').length, 0, 'the leader waits for the hung peer at first')
    swarm.advance(QUORUM_WAIT_MS)
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
    swarm.advance(QUORUM_WAIT_MS + FAILOVER_DELAY_MS - 1)
    assert.equal(actionsOf(swarm.get(order[1]), 'publish-global').length, 0)
    swarm.advance(1)
    assert.equal(actionsOf(swarm.get(order[1]), 'publish-global').length, 1)
    assert.equal(actionsOf(swarm.get(order[2]), 'publish-global').length, 0, 'the second successor sees the merge and stands down')
    assert.equal(new Set(order.slice(1).map(id => swarm.get(id).machine.globalModel.modelHash)).size, 1)
  })

  it('below --min-peers a round waits, says so once, and completes when a peer comes back', () => {
    const swarm = new SimulatedSwarm({ rounds: 1, minPeers: 2 })
    swarm.add('p1')
    swarm.add('p2')
    startAll(swarm)
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
})
