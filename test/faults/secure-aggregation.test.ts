/**
 * Secure aggregation with real peer processes and peers killed at exact
 * protocol moments (fault plans: docs/FAULTS.md). One swarm of seven goes
 * through every dropout the protocol promises to survive, round by round:
 * the leader dead while it unmasks, a peer dead before sending its masked
 * update, one dead after, and finally too few survivors, where the round
 * must wait rather than complete with a wrong sum.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeerProcess } from '../../node/launcher.ts'
import type { EventOf, RoundEventName } from '../../src/events/catalog.ts'
import { useLocalSwarms } from '../helpers/local-swarms.ts'

const MINUTES = 60_000
const PEERS = 7
const ARGS = ['--min-peers', '2', '--hidden', '32', '--epochs', '1', '--quorum-wait-ms', '20000', '--failover-delay-ms', '4000', '--fault-injection']

function roundEvent<N extends RoundEventName> (peer: PeerProcess, event: N, round: number): EventOf<N> | undefined {
  return peer.eventsOf(event).find(e => (e as unknown as { round: number }).round === round)
}

describe('secure aggregation in a running swarm', function () {
  this.timeout(12 * MINUTES)
  const { start } = useLocalSwarms('secure')

  it('rounds complete with the survivors\' sum when peers die before or after masking and when the leader dies unmasking; too few survivors wait', async () => {
    const s = await start({ name: 'dropouts', peers: PEERS, rounds: 12, extraArgs: ARGS, peerArgs: i => (i <= PEERS ? ['--secure-aggregation'] : []) })
    const live = new Set(s.peers)
    const kill = (peer: PeerProcess): void => {
      peer.signal('SIGKILL')
      live.delete(peer)
    }
    const frozen = async (peer: PeerProcess, after: RoundEventName, round: number): Promise<void> => {
      peer.freezeAfter({ after, where: { round } })
      await s.waitFor(() => roundEvent(peer, after, round), 3 * MINUTES, `peer ${peer.index} to reach ${after} of round ${round}`)
    }
    const completedBy = async (round: number): Promise<EventOf<'round-complete'>> => {
      const events = await s.waitFor(() => {
        const all = [...live].map(p => roundEvent(p, 'round-complete', round))
        return all.every(e => e !== undefined) ? all.filter(e => e !== undefined) : undefined
      }, 4 * MINUTES, `round ${round} on every live peer`)
      assert.equal(new Set(events.map(e => e.modelHash)).size, 1, `every live peer holds one model of round ${round}`)
      return events[0]
    }
    const ids = (peers: Iterable<PeerProcess>): string[] => [...peers].map(p => p.peerId()).sort()

    // the faults start once all seven take part (two rounds on, so no peer has shared that round's secrets yet).
    // Each round's threshold is t = ⌊2n/3⌋ + 1 of its n participants, and t survivors must agree to the set
    // before anyone reveals: with 7 participants, t = 5; with 5, t = 4.
    const allIn = await s.waitFor(() => s.peers[0].eventsOf('round-complete').find(e => e.contributors.length === PEERS), 3 * MINUTES, 'a round with all seven')
    const first = allIn.round + 2

    // the leader dies right after asking for the secrets; a successor completes the unmasking (with or without
    // the leader's own masked update, whichever the holders had fetched). Every peer freezes after asking, so
    // the plan is in place before anyone else can ask; only the merger asks.
    for (const peer of live) peer.freezeAfter({ after: 'unmask-requested', where: { round: first } })
    const leader = await s.waitFor(() => [...live].find(p => roundEvent(p, 'unmask-requested', first) !== undefined), 3 * MINUTES, 'the leader to ask for the secrets')
    for (const peer of live) if (peer !== leader) peer.cancelFaultPlan()
    kill(leader)
    const one = await completedBy(first)
    assert.notEqual(one.leader, leader.peerId(), 'a successor completed the unmasking')
    assert.ok((one.accuracy ?? NaN) > 0.6, `the unmasked model learns: accuracy ${String(one.accuracy)} (a wrong sum gives noise)`)
    const attested = [...live].flatMap(p => p.eventsOf('attested').filter(e => e.round === first))
    assert.ok(attested.length > 0 && attested.every(e => e.agrees === true), 'other holders recomputed the same unmasked sum and attested it')

    // the next: a peer dies after its local training, before masking: it shared its secrets at the start of
    // the round, a whole local epoch earlier, so its pairwise masks are removed from the others' updates
    const [, , , , fifth] = [...live]
    await frozen(fifth, 'masking', first + 1)
    assert.ok(roundEvent(fifth, 'secure-shares-sent', first + 1) !== undefined, 'it shared its secrets before it froze')
    kill(fifth)
    const two = await completedBy(first + 1)
    assert.deepEqual(two.contributors, ids(live), 'the round sums the five survivors')
    const unmaskedTwo = [...live].map(p => roundEvent(p, 'unmasked', first + 1)).find(e => e !== undefined)
    assert.deepEqual(unmaskedTwo?.dropped, ids([fifth]), 'the survivors masked with the dead peer, and its rebuilt mask key removed those masks')

    // the next: a peer dies after every holder of the round got its masked update; it still counts
    const [observer] = live
    const start3 = await s.waitFor(() => roundEvent(observer, 'round-start', first + 2), 3 * MINUTES, 'the third faulty round to start')
    const order = start3.participants.filter(peer => ids(live).includes(peer))
    const victim = [...live].find(p => p.peerId() !== order[0] && p !== observer) as PeerProcess
    // the last round's victim, told now: it freezes after its local training, before masking
    const lastRound = first + 3
    const last = [...live].find(p => p !== observer && p !== victim) as PeerProcess
    last.freezeAfter({ after: 'masking', where: { round: lastRound } })
    const holders = [...live].filter(p => order.slice(0, 3).includes(p.peerId()) && p !== victim)
    await s.waitFor(() => holders.every(h => h.eventsOf('update-received').some(e => e.round === first + 2 && e.from === victim.peerId())), 3 * MINUTES, 'the holders to receive the victim\'s masked update')
    kill(victim)
    const three = await completedBy(first + 2)
    assert.deepEqual(three.contributors, ids([...live, victim]), 'the masked update of the peer that died after sending it counts')

    // the last: 3 of its 5 participants are left, below the threshold of 4: the round waits and says so
    await s.waitFor(() => roundEvent(last, 'masking', lastRound), 3 * MINUTES, 'the last victim to finish training')
    kill(last)
    const waiting = await s.waitFor(() => [...live].map(p => roundEvent(p, 'secure-aggregation-waiting', lastRound)).find(e => e !== undefined), 3 * MINUTES, 'a holder to say it waits')
    assert.match(waiting.why, /needs 4/)
    await new Promise(resolve => setTimeout(resolve, 10_000))
    assert.ok([...live].every(p => p.running && roundEvent(p, 'round-complete', lastRound) === undefined), 'nobody completes the round with a partial sum')

    // a peer without secure aggregation cannot join this swarm
    const plain = s.addPeer(8, ['--partition', '1/7'])
    await plain.exited
    assert.equal(plain.exitCode, 2)
    assert.match(readFileSync(join(plain.dataDir, 'output.log'), 'utf8'), /privacy \(--secure-aggregation, --dp and their settings\)/)
  })
})
