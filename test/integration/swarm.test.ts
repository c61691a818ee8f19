import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalSwarm } from '../../node/launcher.ts'
import type { PeerSummary } from '../../node/launcher.ts'
import { tempFolder } from '../helpers/temp.ts'
import { writeIdxFolder } from '../helpers/idx.ts'

const MINUTES = 60_000
/** rounds of the late-joiner test: the newcomer starts after round 1 and must still contribute */
const LATE_ROUNDS = 6

describe('a local swarm of peer processes on loopback', function () {
  this.timeout(10 * MINUTES)
  const out = tempFolder('swarm')
  const swarms: LocalSwarm[] = []

  async function run (options: { peers: number, rounds: number, name: string, extraArgs?: string[] }): Promise<{ swarm: LocalSwarm, peers: PeerSummary[] }> {
    const swarm = await LocalSwarm.start({ peers: options.peers, rounds: options.rounds, outDir: join(out.path, options.name), extraArgs: options.extraArgs })
    swarms.push(swarm)
    await swarm.waitForExit(5 * MINUTES)
    return { swarm, peers: swarm.summary().peers }
  }

  afterEach(async () => {
    await Promise.all(swarms.splice(0).map(s => s.stop()))
  })
  after(() => { out.remove() })

  it('4 peers × 3 rounds agree on one model that beats a peer trained alone on its share', async () => {
    // the baseline trains beside the swarm: seeded training makes it the same as alone
    const [{ peers }, alone] = await Promise.all([
      run({ name: 'four', peers: 4, rounds: 3 }),
      run({ name: 'alone', peers: 1, rounds: 3, extraArgs: ['--partition', '1/4'] })
    ])
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0, 0, 0])
    assert.deepEqual(peers.map(p => p.rounds), [3, 3, 3, 3])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1, 'every peer holds the same final model')
    const accuracy = peers[0].accuracy ?? 0
    assert.ok(accuracy >= 0.85, `held-out accuracy ${accuracy}`)

    assert.equal(alone.peers[0].exitCode, 0)
    const aloneAccuracy = alone.peers[0].accuracy ?? 1
    assert.ok(accuracy > aloneAccuracy, `swarm ${accuracy} vs alone on partition 1/4 ${aloneAccuracy}`)
  })

  it('a 5th peer that joins after round 1 gets the current model, contributes, and ends with the same model', async () => {
    const swarm = await LocalSwarm.start({ peers: 4, rounds: LATE_ROUNDS, outDir: join(out.path, 'late'), extraArgs: ['--epochs', '1'] })
    swarms.push(swarm)
    await swarm.waitFor(() => swarm.peers[0].lastEvent('round-complete'), 3 * MINUTES, 'round 1 to complete')
    const late = swarm.addPeer(5, ['--partition', '2/4'])
    await swarm.waitForExit(5 * MINUTES)
    const peers = swarm.summary().peers
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0, 0, 0, 0])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1, 'the late peer holds the same final model')
    const resynced = late.lastEvent('resynced')
    assert.ok(resynced !== undefined && (resynced.round as number) >= 1, 'the late peer started from the swarm\'s model, not from scratch')
    const contributed = late.events().some(e => e.event === 'round-complete' && (e.contributors as string[]).includes(late.peerId()))
    assert.ok(contributed, `the late peer's updates were merged in some round (it resynced to round ${String(resynced?.round)} of ${LATE_ROUNDS})`)
  })

  // updates and global models beyond gossipsub's 4 MiB limit: test/integration/large-model.test.ts
  it('peers train on their own MNIST-format IDX files (--data)', async () => {
    const data = join(out.path, 'idx')
    writeIdxFolder(data, { train: 200, test: 50 })
    const { swarm, peers } = await run({ name: 'own-data', peers: 2, rounds: 1, extraArgs: ['--data', data, '--epochs', '1'] })
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1)
    assert.match(readFileSync(swarm.peers[0].outputFile, 'utf8'), /data: .*idx.*100 training samples, 50 test samples/)
    const round = swarm.peers[1].lastEvent('round-complete')
    assert.equal((round?.contributors as string[]).length, 2, 'both updates were merged')
  })
})
