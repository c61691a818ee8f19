/**
 * Fault injection with real peer processes on loopback: peers are killed or
 * frozen at protocol moments read from their event logs (or, for an exact
 * moment, frozen by a fault plan: docs/FAULTS.md), never after sleeps.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { LocalSwarm } from '../../node/launcher.ts'
import type { PeerProcess } from '../../node/launcher.ts'
import { updateHolders } from '../../src/round/machine.ts'
import { tempFolder } from '../helpers/temp.ts'

const MINUTES = 60_000
const PEERS = 5
const ROUNDS = 6
/** the restart scenario needs more rounds: a restarted peer spends a few seconds starting up */
const RESTART_ROUNDS = 10
const QUORUM_WAIT_MS = 8000
const FAILOVER_DELAY_MS = 4000
/** short waits so that a scenario takes seconds, not minutes */
const FAULT_ARGS = ['--epochs', '1', '--min-peers', '3', '--quorum-wait-ms', String(QUORUM_WAIT_MS), '--failover-delay-ms', String(FAILOVER_DELAY_MS), '--fault-injection']
/**
 * The longest a round may take with faults: the quorum wait, the failover
 * delays of every update holder after the leader, and a generous allowance
 * for training and start-up on a loaded 2-core machine. A round that waits
 * for a dead or frozen peer without end fails this.
 */
const ROUND_BOUND_MS = QUORUM_WAIT_MS + (updateHolders(1) - 1) * FAILOVER_DELAY_MS + MINUTES
const ACCURACY_TOLERANCE = 0.02

describe('peers die mid-round, and the swarm goes on', function () {
  this.timeout(10 * MINUTES)
  const out = tempFolder('faults')
  let swarm: LocalSwarm | undefined
  /** accuracy after each round of a fault-free run with the same seed and settings */
  const cleanAccuracy = new Map<number, number>()

  afterEach(async () => { await swarm?.stop() })
  after(() => { out.remove() })

  before(async () => {
    const { s } = await startFive('fault-free', RESTART_ROUNDS)
    await Promise.all(s.peers.map(p => p.exited))
    assert.deepEqual(s.peers.map(p => p.exitCode), s.peers.map(() => 0), 'the fault-free run finishes')
    assertOneModelPerRound(s)
    for (const e of s.peers[0].events()) if (e.event === 'round-complete') cleanAccuracy.set(e.round, e.accuracy ?? NaN)
    console.log(`      fault-free run: accuracy ${cleanAccuracy.get(ROUNDS)?.toFixed(4)} after ${ROUNDS} rounds, ${cleanAccuracy.get(RESTART_ROUNDS)?.toFixed(4)} after ${RESTART_ROUNDS}`)
    await s.stop()
  })

  /** Starts 5 peers and waits for a round that all 5 take part in; returns that round. */
  async function startFive (name: string, rounds = ROUNDS): Promise<{ s: LocalSwarm, round: number }> {
    const s = await LocalSwarm.start({ peers: PEERS, rounds, outDir: join(out.path, name), extraArgs: FAULT_ARGS })
    swarm = s
    await s.waitFor(() => s.peers.every(p => new Set(p.eventsOf('peer-joined').map(e => e.peer)).size >= PEERS - 1), 3 * MINUTES, 'every peer to be connected to every other')
    // every peer works on the same round, and all five are its participants (a peer that came late to round 1's roster is not)
    const round = await s.waitFor(() => {
      const current = s.peers.map(p => p.lastEvent('round-start'))
      const first = current[0]
      return current.every(e => e !== undefined && e.round === first?.round) && first?.participants.length === PEERS ? first.round : undefined
    }, 3 * MINUTES, 'a round that all 5 peers take part in')
    return { s, round }
  }

  function leaderOf (s: LocalSwarm, round: number): PeerProcess {
    const leader = s.peers[0].eventsOf('round-start').find(e => e.round === round)?.leader
    const peer = s.peers.find(p => p.peerId() === leader)
    assert.ok(peer !== undefined, `the leader of round ${round}`)
    return peer
  }

  /** A peer other than the round's leader that has not published its update of the round yet. */
  function trainingNonLeader (s: LocalSwarm, round: number): PeerProcess {
    const leader = leaderOf(s, round)
    const peer = s.peers.find(p => p !== leader && p.lastEvent('update-published')?.round !== round)
    assert.ok(peer !== undefined, `a non-leader still training round ${round}`)
    return peer
  }

  function kill (...peers: PeerProcess[]): number {
    for (const peer of peers) peer.signal('SIGKILL')
    return Date.now()
  }

  /**
   * The outcomes users care about: every survivor finishes all rounds, exits
   * 0 and holds the same model, no round has two global models among them,
   * each round ended within its bound on the peers that ran without a fault,
   * a restarted or resumed peer contributes again, and the model is as good
   * as a fault-free run's. Reports the time from the fault to the completion
   * of that round.
   */
  async function assertSwarmWentOn (s: LocalSwarm, opts: { dead: PeerProcess[], disturbed?: PeerProcess[], faultAt: number, scenario: string }): Promise<void> {
    const rounds = s.options.rounds
    const survivors = s.peers.filter(p => !opts.dead.includes(p))
    const steady = survivors.filter(p => !(opts.disturbed ?? []).includes(p))
    await Promise.all(survivors.map(p => p.exited))
    const summaries = survivors.map(p => p.summary())
    assert.deepEqual(summaries.map(p => p.exitCode), survivors.map(() => 0), 'every survivor exits 0')
    assert.deepEqual(summaries.map(p => p.rounds), survivors.map(() => rounds), 'every survivor finishes all rounds')
    assert.equal(new Set(summaries.map(p => p.modelHash)).size, 1, 'all survivors hold the same model')
    for (let round = 1; round <= rounds; round++) {
      const models = new Set(survivors.flatMap(p => p.eventsOf('round-complete').filter(e => e.round === round).map(e => e.modelHash)))
      assert.ok(models.size <= 1, `survivors adopted ${models.size} different global models for round ${round}`)
    }
    assertOneModelPerRound(s)

    for (let round = 1; round <= rounds; round++) {
      const started = Math.min(...s.peers.flatMap(p => p.eventsOf('round-start').filter(e => e.round === round).map(e => e.ts)))
      const completed = roundEnd(steady, round)
      assert.ok(completed - started <= ROUND_BOUND_MS, `round ${round} took ${completed - started} ms, more than its bound of ${ROUND_BOUND_MS} ms`)
    }

    const faultRound = steady[0].eventsOf('round-complete').find(e => e.ts > opts.faultAt)
    assert.ok(faultRound !== undefined)
    const completed = roundEnd(steady, faultRound.round)
    for (const peer of opts.disturbed ?? []) {
      const contributed = steady[0].eventsOf('round-complete').some(e => e.round > faultRound.round && e.contributors.includes(peer.peerId()))
      assert.ok(contributed, `the ${opts.dead.length > 0 ? 'restarted' : 'resumed'} peer contributes to a round after the fault`)
    }
    const accuracy = summaries[0].accuracy ?? 0
    const clean = cleanAccuracy.get(rounds) ?? NaN
    console.log(`      ${opts.scenario}: fault → round ${String(faultRound.round)} complete on every steady survivor in ${((completed - opts.faultAt) / 1000).toFixed(1)} s; final accuracy ${accuracy.toFixed(4)} (fault-free ${clean.toFixed(4)})`)
    assert.ok(Math.abs(accuracy - clean) <= ACCURACY_TOLERANCE, `final accuracy ${accuracy} is not within ${ACCURACY_TOLERANCE} of the fault-free run's ${clean}`)
  }

  /** The preference rule, the last defence against two models for one round, never had to act on any peer. */
  function assertOneModelPerRound (s: LocalSwarm): void {
    const replaced = s.peers.flatMap(p => p.eventsOf('model-replaced').map(e => `peer ${p.index} round ${String(e.round)}`))
    assert.deepEqual(replaced, [], 'no peer replaced a global model it had adopted')
  }

  /**
   * When the last of `peers` that worked on `round` was past it: it adopted
   * that round's model or a later one (a peer that missed a model catches up
   * with the newest). Peers that joined later never worked on it.
   */
  function roundEnd (peers: PeerProcess[], round: number): number {
    const workedOn = peers.filter(p => p.eventsOf('round-start').some(e => e.round === round))
    return Math.max(...workedOn.map(p => p.eventsOf('round-complete').find(e => e.round >= round)?.ts ?? Infinity))
  }

  it('a round completes when a non-leader dies during its local training', async () => {
    const { s, round } = await startFive('training')
    const victim = trainingNonLeader(s, round)
    const faultAt = kill(victim)
    await assertSwarmWentOn(s, { dead: [victim], faultAt, scenario: 'non-leader killed while training' })
  })

  it('a round completes when a non-leader dies right after publishing its update', async () => {
    const { s, round } = await startFive('published')
    const victim = trainingNonLeader(s, round)
    await s.waitFor(() => victim.lastEvent('update-published')?.round === round, MINUTES, `the victim's update of round ${round}`)
    const faultAt = kill(victim)
    await assertSwarmWentOn(s, { dead: [victim], faultAt, scenario: 'non-leader killed after publishing' })
  })

  it('a round completes when the leader dies holding every other update, before it publishes the merge', async () => {
    const { s, round } = await startFive('leader')
    // whoever merges the next round freezes right after merging; the others' plans are withdrawn before the kill
    const target = round + 1
    for (const peer of s.peers) peer.freezeAfter({ after: 'merged', where: { round: target } })
    const leader = await s.waitFor(() => s.peers.find(p => p.eventsOf('merged').some(e => e.round === target)), 2 * MINUTES, `the merge of round ${target}`)
    for (const peer of s.peers) peer.cancelFaultPlan()
    const received = leader.eventsOf('update-received').filter(e => e.round === target).length
    assert.equal(received, PEERS - 1, `the leader held the other ${PEERS - 1} updates`)
    const faultAt = kill(leader)
    assert.equal(leader.eventsOf('merge-published').filter(e => e.round === target).length, 0, 'the leader had not published the merge')
    await assertSwarmWentOn(s, { dead: [leader], faultAt, scenario: 'leader killed before publishing the merge' })
    // merging is deterministic: a successor holding the same five updates made the very model the leader had made
    const leaderMerge = leader.eventsOf('merged').find(e => e.round === target)
    const adopted = s.peers.find(p => p !== leader)?.eventsOf('round-complete').find(e => e.round === target)
    const contributors = adopted?.contributors ?? []
    if (contributors.includes(leader.peerId())) {
      assert.equal(adopted?.modelHash, leaderMerge?.modelHash, 'the successor merged the same model as the leader')
    } else {
      // the leader froze before its own offer went out
      assert.deepEqual(contributors, leaderMerge?.contributors.filter(p => p !== leader.peerId()))
    }
  })

  it('a round completes when two peers die at once, the leader among them', async () => {
    const { s, round } = await startFive('two')
    const leader = leaderOf(s, round)
    const other = trainingNonLeader(s, round)
    await s.waitFor(() => other.lastEvent('update-published')?.round === round, MINUTES, `an update of round ${round}`)
    const faultAt = kill(leader, other)
    await assertSwarmWentOn(s, { dead: [leader, other], faultAt, scenario: 'leader and another peer killed at once' })
  })

  it('a killed peer restarted with its data dir two rounds later keeps its ID, resyncs and contributes again', async () => {
    const { s, round } = await startFive('restart', RESTART_ROUNDS)
    const victim = trainingNonLeader(s, round)
    const victimId = victim.peerId()
    const faultAt = kill(victim)
    await s.waitFor(() => s.peers.filter(p => p !== victim).every(p => p.eventsOf('round-complete').some(e => e.round >= round + 1)), 3 * MINUTES, `round ${round + 1} without the victim`)
    const revived = s.addPeer(victim.index)
    // it resumes from its checkpoint (a resynced event of the round it died in), then takes the swarm's newer model
    const resynced = await s.waitFor(() => revived.eventsOf('resynced').find(e => e.round >= round + 1), MINUTES, 'the restarted peer to resync to the swarm\'s model')
    assert.equal(revived.peerId(), victimId, 'the restarted peer keeps its peer ID')
    assert.ok(resynced.round >= round + 1, `resynced to round ${String(resynced.round)}`)
    await assertSwarmWentOn(s, { dead: [victim], disturbed: [revived], faultAt, scenario: 'peer killed, restarted two rounds later' })
  })

  it('a peer frozen (SIGSTOP) past the timeouts is left behind, then catches up after SIGCONT', async () => {
    const { s, round } = await startFive('frozen')
    const victim = trainingNonLeader(s, round)
    victim.signal('SIGSTOP')
    const faultAt = Date.now()
    await s.waitFor(() => s.peers.filter(p => p !== victim).every(p => (p.lastEvent('round-complete')?.round ?? 0) >= round), 3 * MINUTES, `round ${round} to complete without the frozen peer`)
    victim.signal('SIGCONT')
    await assertSwarmWentOn(s, { dead: [], disturbed: [victim], faultAt, scenario: 'peer frozen past the timeouts' })
  })
})
