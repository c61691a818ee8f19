/**
 * Merge strategies with real peer processes: a server optimizer's state that
 * outlives its leader, a lying leader caught by the holders that recompute
 * its merge, and a robust merge that keeps two attackers of seven from
 * spoiling the model.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeerProcess } from '../../node/launcher.ts'
import { decodeMessage } from '../../src/wire/messages.ts'
import type { GlobalMessage } from '../../src/wire/messages.ts'
import { useLocalSwarms } from '../helpers/local-swarms.ts'

const MINUTES = 60_000
/** a small model and short waits: these scenarios are about merging, not learning speed */
/** the robust merge docs/STRATEGIES.md recommends where peers may misbehave */
const ROBUST_DEFAULT = 'geomedian'
const QUICK = ['--hidden', '32', '--epochs', '1', '--quorum-wait-ms', '8000', '--failover-delay-ms', '4000']

function checkpoint (peer: PeerProcess): GlobalMessage {
  return decodeMessage(readFileSync(join(peer.dataDir, 'checkpoint.bin'))) as GlobalMessage
}

function completed (peer: PeerProcess, round: number): string | undefined {
  return peer.eventsOf('round-complete').find(e => e.round === round)?.modelHash
}

function assertOneFinalModel (peers: PeerProcess[], rounds: number): void {
  const summaries = peers.map(p => p.summary())
  assert.deepEqual(summaries.map(p => p.exitCode), peers.map(() => 0), 'every peer exits 0')
  assert.deepEqual(summaries.map(p => p.rounds), peers.map(() => rounds), 'every peer finishes all rounds')
  assert.equal(new Set(summaries.map(p => p.modelHash)).size, 1, 'every peer holds the same final model')
}

describe('merge strategies in a running swarm', function () {
  this.timeout(10 * MINUTES)
  const { start } = useLocalSwarms('strategies')

  it('fedadam\'s moments survive a killed leader and a restarted peer: every peer resumes from the survivors\' state', async () => {
    const rounds = 8
    const s = await start({ name: 'fedadam', peers: 4, rounds, extraArgs: [...QUICK, '--merge', 'fedadam', '--min-peers', '3'] })
    const round = await s.waitFor(() => {
      const r = s.peers[0].lastEvent('round-start')?.round
      return r !== undefined && r >= 3 ? r : undefined
    }, 3 * MINUTES, 'round 3')
    const leaderId = s.peers[0].eventsOf('round-start').find(e => e.round === round)?.leader
    const leader = s.peers.find(p => p.peerId() === leaderId) as PeerProcess
    leader.signal('SIGKILL')
    const others = s.peers.filter(p => p !== leader)
    await s.waitFor(() => others.every(p => completed(p, round + 1) !== undefined), 3 * MINUTES, `round ${round + 1} without the killed leader`)
    const revived = s.addPeer(leader.index)
    const resynced = await s.waitFor(() => revived.lastEvent('resynced'), MINUTES, 'the restarted peer to resync')
    // the model hash covers the strategy state: the same hash is the same moments
    const survivors = await s.waitFor(() => completed(others[0], resynced.round), MINUTES, `a survivor's round ${String(resynced.round)}`)
    assert.equal(resynced.modelHash, survivors, 'the restarted peer resumed from the survivors\' model and state')
    await Promise.all([...others, revived].map(p => p.exited))
    assertOneFinalModel([...others, revived], rounds)
    const [mine, theirs] = [checkpoint(revived), checkpoint(others[0])]
    assert.equal(mine.state.length, 2 * mine.weights.length, 'fedadam keeps a first and a second moment per model tensor')
    assert.ok(mine.state.some(t => t.values.some(v => v !== 0)), 'the moments moved')
    assert.deepEqual(mine.state, theirs.state, 'the final state is the same on the restarted peer and a survivor')
  })

  it('a leader that lies is contradicted by the holders, rejected by every honest peer, and the round completes with the honest merge', async () => {
    const rounds = 6
    const s = await start({ name: 'liar', peers: 4, rounds, extraArgs: [...QUICK, '--min-peers', '4'], peerArgs: i => (i === 1 ? ['--attack', 'lie-as-leader'] : []) })
    await Promise.all(s.peers.map(p => p.exited))
    assertOneFinalModel(s.peers, rounds)
    const liar = s.peers[0]
    const honest = s.peers.slice(1)
    const lies = liar.eventsOf('attack')
    assert.ok(lies.length > 0, 'the liar led at least one round')
    assert.ok(readFileSync(join(liar.dataDir, 'output.log'), 'utf8').includes('ATTACK SIMULATION'), 'the attacker says loudly what it does')
    for (const lie of lies) {
      for (const peer of honest) {
        assert.notEqual(completed(peer, lie.round), lie.published, `peer ${peer.index} did not adopt the lie of round ${String(lie.round)}`)
        assert.equal(completed(peer, lie.round), lie.merged, `peer ${peer.index} completed round ${String(lie.round)} with the honest merge`)
        const evidence = peer.eventsOf('merge-rejected').find(e => e.round === lie.round)
        assert.ok(evidence !== undefined, `peer ${peer.index} logged the evidence of round ${String(lie.round)}`)
        assert.equal(evidence.merger, liar.peerId())
        assert.equal(evidence.claimed, lie.published)
        assert.equal(evidence.computed, lie.merged)
      }
    }
  })

  it('with 2 attackers of 7, fedavg collapses and the robust default stays within 3 points of the swarm without attackers', async () => {
    const rounds = 5
    const run = async (name: string, merge: string, attack: string): Promise<number> => {
      const s = await start({ name, peers: 7, rounds, extraArgs: [...QUICK, '--merge', merge, '--min-peers', '7', '--quorum-wait-ms', '60000'], peerArgs: i => (i > 5 && attack !== 'none' ? ['--attack', attack] : []) })
      await Promise.all(s.peers.map(p => p.exited))
      assertOneFinalModel(s.peers, rounds)
      await s.stop()
      return s.peers[0].summary().accuracy ?? NaN
    }
    const clean = await run('clean', ROBUST_DEFAULT, 'none')
    const results = [`no attack ${clean.toFixed(4)}`]
    for (const attack of ['sign-flip', 'noise']) {
      const robust = await run(`robust-${attack}`, ROBUST_DEFAULT, attack)
      results.push(`${attack}: ${ROBUST_DEFAULT} ${robust.toFixed(4)}`)
      assert.ok(robust >= clean - 0.03, `${ROBUST_DEFAULT} under 2 ${attack} attackers: ${robust}, more than 3 points below the swarm without attackers (${clean})`)
    }
    const fedavg = await run('fedavg-sign-flip', 'fedavg', 'sign-flip')
    results.push(`sign-flip: fedavg ${fedavg.toFixed(4)}`)
    console.log(`      7 peers, ${rounds} rounds, accuracy of an honest peer: ${results.join('; ')}`)
    assert.ok(fedavg < clean - 0.2, `fedavg under 2 sign-flip attackers: ${fedavg}; the attack should ruin it (clean ${clean})`)
  })

  it('a strategy that needs more updates than the swarm has waits and says so; no peer crashes', async () => {
    // krum with f 1 needs 5 updates; 3 peers train, offer and wait
    const s = await start({ name: 'krum-short', peers: 3, rounds: 2, extraArgs: [...QUICK, '--merge', 'krum', '--byzantine', '1', '--min-peers', '3', '--quorum-wait-ms', '2000'] })
    await s.waitFor(() => s.peers.some(p => p.lastEvent('waiting-for-updates') !== undefined), 3 * MINUTES, 'a holder to say it waits for updates')
    // well past the quorum wait and every failover delay, the peers still run and nobody merged
    await new Promise(resolve => setTimeout(resolve, 15_000))
    assert.ok(s.peers.every(p => p.running), 'every peer still runs')
    assert.equal(s.peers.flatMap(p => p.eventsOf('merged')).length, 0, 'nobody merged')
    const waiting = s.peers.flatMap(p => p.eventsOf('waiting-for-updates'))
    assert.ok(waiting.every(e => e.have === 3 && e.need === 5), JSON.stringify(waiting))
    await s.stop()
    assert.ok(s.peers.every(p => p.exitCode === 0 || p.exitCode === 143), `they stop cleanly: ${s.peers.map(p => p.exitCode).join(', ')}`)
  })
})
