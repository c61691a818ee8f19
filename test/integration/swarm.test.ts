import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { useLocalSwarms } from '../helpers/local-swarms.ts'
import { writeIdxFolder } from '../helpers/idx.ts'

const MINUTES = 60_000
/** rounds of the late-joiner test: the newcomer starts after round 1 and must still contribute */
const LATE_ROUNDS = 6

describe('a local swarm of peer processes on loopback', function () {
  this.timeout(10 * MINUTES)
  const { folder, start, run } = useLocalSwarms('swarm')

  it('a 5th peer that joins after round 1 gets the current model, contributes, and ends with the same model', async () => {
    const swarm = await start({ name: 'late', peers: 4, rounds: LATE_ROUNDS, extraArgs: ['--epochs', '1'] })
    await swarm.waitFor(() => swarm.peers[0].lastEvent('round-complete'), 3 * MINUTES, 'round 1 to complete')
    const late = swarm.addPeer(5, ['--partition', '2/4'])
    await swarm.waitForExit(5 * MINUTES)
    const peers = swarm.summary().peers
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0, 0, 0, 0])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1, 'the late peer holds the same final model')
    const resynced = late.lastEvent('resynced')
    assert.ok(resynced !== undefined && resynced.round >= 1, 'the late peer started from the swarm\'s model, not from scratch')
    const contributed = late.eventsOf('round-complete').some(e => e.contributors.includes(late.peerId()))
    assert.ok(contributed, `the late peer's updates were merged in some round (it resynced to round ${String(resynced?.round)} of ${LATE_ROUNDS})`)
  })

  it('a tiny model (3,190 parameters) works end to end: a late joiner, a frozen peer that catches up and a restarted peer end on the same model', async () => {
    // tiny models travel in buffers Node takes from its shared pool: every decode must work on any view
    const swarm = await start({
      name: 'tiny',
      peers: 3,
      rounds: 8,
      extraArgs: ['--hidden', '4', '--epochs', '1', '--quorum-wait-ms', '4000', '--failover-delay-ms', '2000']
    })
    const [first, second, third] = swarm.peers
    const completed = (peer: typeof first, round: number): boolean => peer.eventsOf('round-complete').some(e => e.round >= round)
    await swarm.waitFor(() => completed(first, 1), 3 * MINUTES, 'round 1')
    const late = swarm.addPeer(4, ['--partition', '1/3'])
    await swarm.waitFor(() => completed(first, 3), 3 * MINUTES, 'round 3')
    third.signal('SIGSTOP')
    const frozenAt = first.lastEvent('round-complete')?.round ?? 0
    await swarm.waitFor(() => completed(first, frozenAt + 1), 3 * MINUTES, 'a round without the frozen peer')
    third.signal('SIGCONT')
    await swarm.waitFor(() => completed(third, frozenAt + 1), 3 * MINUTES, 'the frozen peer to catch up')
    second.signal('SIGKILL')
    await second.exited
    const restarted = swarm.addPeer(2)
    await swarm.waitForExit(5 * MINUTES)
    const finishers = [first, third, late, restarted]
    const peers = finishers.map(p => p.summary())
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0, 0, 0], 'every peer still running finishes')
    assert.deepEqual(peers.map(p => p.rounds), [8, 8, 8, 8])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1, 'one final model')
    assert.ok((late.lastEvent('resynced')?.round ?? 0) >= 1, 'the late peer started from the swarm\'s model')
    assert.ok(restarted.lastEvent('resynced') !== undefined, 'the restarted peer resynced')
    for (const peer of swarm.peers) {
      const output = readFileSync(peer.outputFile, 'utf8')
      assert.doesNotMatch(output, /multiple of 4|still trying to fetch|model-replaced/, `peer ${peer.index}: ${output}`)
      assert.equal(peer.eventsOf('model-replaced').length, 0)
    }
  })

  // updates and global models beyond gossipsub's 4 MiB limit: test/integration/large-model.test.ts
  it('peers train on their own MNIST-format IDX files (--data)', async () => {
    const data = join(folder, 'idx')
    writeIdxFolder(data, { train: 200, test: 50 })
    const { swarm, peers } = await run({ name: 'own-data', peers: 2, rounds: 1, extraArgs: ['--data', data, '--epochs', '1'] })
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1)
    assert.match(readFileSync(swarm.peers[0].outputFile, 'utf8'), /data: .*idx.*100 training samples, 50 test samples/)
    const round = swarm.peers[1].lastEvent('round-complete')
    assert.equal(round?.contributors.length, 2, 'both updates were merged')
  })
})
