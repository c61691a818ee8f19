/**
 * Fault injection with real peer processes: peers are killed or frozen at
 * protocol moments read from their event logs. Run with npm run test:faults.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { LocalSwarm } from '../../node/launcher.ts'
import type { PeerProcess } from '../../node/launcher.ts'
import { tempFolder } from '../helpers/temp.ts'

const MINUTES = 60_000
const ROUNDS = 5
/** short waits so that a scenario takes seconds, not minutes */
const FAULT_ARGS = ['--epochs', '1', '--min-peers', '2', '--quorum-wait-ms', '8000', '--failover-delay-ms', '4000']

describe('peers die mid-round, and the swarm goes on', function () {
  this.timeout(10 * MINUTES)
  const out = tempFolder('faults')
  let swarm: LocalSwarm | undefined

  afterEach(async () => { await swarm?.stop() })
  after(() => { out.remove() })

  /** Starts 5 peers and waits for a round that all 5 take part in; returns that round. */
  async function startFive (name: string): Promise<{ s: LocalSwarm, round: number }> {
    const s = await LocalSwarm.start({ peers: 5, rounds: ROUNDS, outDir: join(out.path, name), extraArgs: FAULT_ARGS })
    swarm = s
    await s.waitFor(() => s.peers.every(p => new Set(p.events().filter(e => e.event === 'peer-joined').map(e => e.peer)).size >= 4), 3 * MINUTES, 'every peer to be connected to every other')
    const round = await s.waitFor(() => {
      const current = s.peers.map(p => p.lastEvent('round-start')?.round as number | undefined)
      return current.every(r => r !== undefined && r === current[0]) ? current[0] : undefined
    }, 3 * MINUTES, 'a round that all 5 peers take part in')
    return { s, round }
  }

  function roundStart (peer: PeerProcess, round: number): { leader: string, participants: string[] } | undefined {
    const event = peer.events().find(e => e.event === 'round-start' && e.round === round)
    return event === undefined ? undefined : { leader: event.leader as string, participants: event.participants as string[] }
  }

  async function assertSurvivorsAgree (s: LocalSwarm, dead: PeerProcess[]): Promise<void> {
    const survivors = s.peers.filter(p => !dead.includes(p))
    await Promise.all(survivors.map(p => p.exited))
    const summaries = survivors.map(p => p.summary())
    assert.deepEqual(summaries.map(p => p.exitCode), survivors.map(() => 0), 'every survivor exits 0')
    assert.deepEqual(summaries.map(p => p.rounds), survivors.map(() => ROUNDS), 'every survivor finishes all rounds')
    assert.equal(new Set(summaries.map(p => p.modelHash)).size, 1, 'all survivors hold the same model')
    assert.ok((summaries[0].accuracy ?? 0) >= 0.85, `accuracy ${summaries[0].accuracy}`)
  }

  it('a non-leader killed during its local training', async () => {
    const { s, round } = await startFive('train')
    const { leader } = roundStart(s.peers[0], round) ?? { leader: '' }
    const victim = s.peers.slice(1).find(p => p.peerId() !== leader && p.lastEvent('update-published')?.round !== round)
    assert.ok(victim !== undefined, 'a peer still training')
    victim.signal('SIGKILL')
    await assertSurvivorsAgree(s, [victim])
  })

  it('the leader and another peer killed at once', async () => {
    const { s, round } = await startFive('two')
    const { leader } = roundStart(s.peers[0], round) ?? { leader: '' }
    const leaderPeer = s.peers.find(p => p.peerId() === leader)
    const other = s.peers.slice(1).find(p => p.peerId() !== leader)
    assert.ok(leaderPeer !== undefined && other !== undefined)
    await s.waitFor(() => other.lastEvent('update-published')?.round === round, MINUTES, `an update of round ${round}`)
    leaderPeer.signal('SIGKILL')
    other.signal('SIGKILL')
    await assertSurvivorsAgree(s, [leaderPeer, other])
  })

  it('a peer frozen (SIGSTOP) past the timeouts, then resumed, catches up', async () => {
    const { s, round } = await startFive('frozen')
    const { leader } = roundStart(s.peers[0], round) ?? { leader: '' }
    const victim = s.peers.slice(1).find(p => p.peerId() !== leader)
    assert.ok(victim !== undefined)
    victim.signal('SIGSTOP')
    await s.waitFor(() => (s.peers[0].lastEvent('round-complete')?.round as number) > round, 3 * MINUTES, `round ${round} to complete without the frozen peer`)
    victim.signal('SIGCONT')
    await assertSurvivorsAgree(s, [])
  })
})
