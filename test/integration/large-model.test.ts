/**
 * A model of more than 10 million parameters end to end: 40 MB updates over
 * the direct update stream, 40 MB global models in 1 MiB gossip chunks, a
 * newcomer's 40 MB model fetch at join. Each peer trains on a small share of
 * the data so the test takes about a minute on two cores.
 */
import { eventsNamed } from '../../src/events/catalog.ts'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { LocalSwarm } from '../../node/launcher.ts'
import { tempFolder } from '../helpers/temp.ts'

const MINUTES = 60_000
const PEERS = 3
const ROUNDS = 2
/** 784 × 12600 + 12600 + 12600 × 10 + 10 = 10,017,010 parameters */
const HIDDEN = 12_600
/** each peer trains on 1/30 of the training digits (about 267) */
const SHARES = 30
/**
 * A round of this model takes tens of seconds on a loaded machine. A quorum
 * wait shorter than that is harmless (the leader merges when all 3 updates are
 * in); these bound how long a lost message could hold a round up.
 */
const ARGS = ['--hidden', String(HIDDEN), '--epochs', '1', '--quorum-wait-ms', '60000', '--failover-delay-ms', '30000']

describe('a 10-million-parameter model', function () {
  this.timeout(15 * MINUTES)
  const out = tempFolder('large')
  let swarm: LocalSwarm | undefined

  afterEach(async () => { await swarm?.stop() })
  after(() => { out.remove() })

  it(`${PEERS} peers complete ${ROUNDS} rounds and agree on the model`, async () => {
    const started = Date.now()
    swarm = await LocalSwarm.start({ peers: PEERS, rounds: ROUNDS, outDir: out.path, extraArgs: ARGS, peerArgs: i => ['--partition', `${i}/${SHARES}`] })
    assert.deepEqual(await swarm.waitForExit(12 * MINUTES), [0, 0, 0], 'every peer finishes and exits 0')

    const parameters = Number(/model: .*, (\d+) parameters/.exec(readFileSync(swarm.peers[0].outputFile, 'utf8'))?.[1])
    assert.ok(parameters >= 10_000_000, `${parameters} parameters`)
    const events = swarm.peers.flatMap(p => p.events())
    const done = swarm.peers.map(p => p.lastEvent('done'))
    assert.ok(done.every(e => e?.rounds === ROUNDS), `every peer finished ${ROUNDS} rounds`)
    assert.equal(new Set(done.map(e => e?.modelHash)).size, 1, 'every peer holds the same model')
    assert.ok((done[0]?.accuracy ?? NaN) > 0.5, `the model learned (accuracy ${String(done[0]?.accuracy)})`)

    const updateBytes = Math.max(...eventsNamed(events, 'update-published').map(e => e.bytes))
    const globalBytes = Math.max(...eventsNamed(events, 'merge-published').map(e => e.bytes))
    assert.ok(updateBytes >= 4 * parameters && globalBytes >= 4 * parameters, 'float32 updates and global models travelled whole')
    console.log(`      ${parameters} parameters, accuracy ${(done[0]?.accuracy ?? NaN).toFixed(4)}: update ${updateBytes} bytes, global model ${globalBytes} bytes; whole run ${((Date.now() - started) / 1000).toFixed(1)} s`)
    let previousEnd = Math.min(...events.filter(e => e.event === 'round-start' && e.round === 1).map(e => e.ts))
    for (let round = 1; round <= ROUNDS; round++) {
      const end = Math.max(...events.filter(e => e.event === 'round-complete' && e.round === round).map(e => e.ts))
      console.log(`      round ${round}: ${((end - previousEnd) / 1000).toFixed(1)} s until every peer adopted it`)
      previousEnd = end
    }
  })
})
