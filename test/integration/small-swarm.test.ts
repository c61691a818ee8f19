/**
 * The quick tier's swarm (npm run test:quick): a small local swarm of peer
 * processes that learns, beside a peer trained alone on one share.
 */
import assert from 'node:assert/strict'
import { useLocalSwarms } from '../helpers/local-swarms.ts'

const MINUTES = 60_000

describe('a small local swarm', function () {
  this.timeout(10 * MINUTES)
  const { run } = useLocalSwarms('small')

  it('4 peers × 3 rounds agree on one model that beats a peer trained alone on its share', async () => {
    // the baseline trains beside the swarm: seeded training makes it the same as alone
    const [{ swarm, peers }, alone] = await Promise.all([
      run({ name: 'four', peers: 4, rounds: 3 }),
      run({ name: 'alone', peers: 1, rounds: 3, extraArgs: ['--partition', '1/4'] })
    ])
    assert.deepEqual(peers.map(p => p.exitCode), [0, 0, 0, 0])
    assert.deepEqual(peers.map(p => p.rounds), [3, 3, 3, 3])
    assert.equal(new Set(peers.map(p => p.modelHash)).size, 1, 'every peer holds the same final model')
    for (let round = 1; round <= 3; round++) {
      const leaders = new Set(swarm.peers.map(p => p.eventsOf('round-start').find(e => e.round === round)?.leader))
      assert.equal(leaders.size, 1, `one leader for round ${round} on every peer`)
    }
    assert.equal(swarm.peers.flatMap(p => p.eventsOf('model-replaced')).length, 0, 'no peer replaced a model')
    const accuracy = peers[0].accuracy ?? 0
    assert.ok(accuracy >= 0.85, `held-out accuracy ${accuracy}`)

    assert.equal(alone.peers[0].exitCode, 0)
    const aloneAccuracy = alone.peers[0].accuracy ?? 1
    assert.ok(accuracy > aloneAccuracy, `swarm ${accuracy} vs alone on partition 1/4 ${aloneAccuracy}`)
  })
})
