/**
 * Fuzz: a hostile peer holding the swarm key sends 10,000 random and mutated
 * messages and garbage streams into a 3-peer swarm while it trains. The honest
 * peers must finish every round, agree on the model and learn as well as a
 * clean run with the same seed.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalSwarm } from '../../node/launcher.ts'
import { createSwarmKey } from '../../src/network/access.ts'
import { FLOOD_MESSAGES_PER_SECOND } from '../../src/network/constants.ts'
import { MEMBER_LIST_PROTOCOL, MODEL_SYNC_PROTOCOL, UPDATE_FETCH_PROTOCOL } from '../../src/network/constants.ts'
import { WIRE_VERSION } from '../../src/wire/messages.ts'
import { Fuzzer } from '../helpers/fuzzer.ts'
import { tempFolder } from '../helpers/temp.ts'

const MINUTES = 60_000
const PEERS = 3
const MESSAGES = 10_000
/** below the swarm's flood limit, so the fuzzer is heard to the end rather than disconnected */
const MESSAGES_PER_SECOND = Math.floor(FLOOD_MESSAGES_PER_SECOND * 0.95)
/** one garbage stream into a peer's protocol per this many messages */
const STREAM_EVERY = 20
/**
 * The fuzzer never sends an update, and its random announces make the leader
 * wait for one, so while it fuzzes every round lasts at least the quorum wait:
 * ROUNDS × QUORUM_WAIT_MS (60 s) outlasts the fuzzing (about 53 s) however fast
 * the machine trains. The test checks that it did.
 */
const ROUNDS = 10
const QUORUM_WAIT_MS = 6000
const ARGS = ['--epochs', '1', '--quorum-wait-ms', String(QUORUM_WAIT_MS), '--failover-delay-ms', '2000']
const ACCURACY_TOLERANCE = 0.01

describe('fuzz: a hostile peer with the swarm key attacks a training swarm', function () {
  this.timeout(15 * MINUTES)
  const out = tempFolder('fuzz')
  const swarms: LocalSwarm[] = []
  let fuzzer: Fuzzer | undefined

  afterEach(async () => {
    await fuzzer?.stop()
    await Promise.all(swarms.map(async s => { await s.stop() }))
  })
  after(() => { out.remove() })

  it(`${MESSAGES} random and mutated messages and garbage streams: honest peers finish, agree, and learn as well as in a clean run`, async () => {
    // two swarms side by side, each with its own key: the clean one trains while
    // the fuzzed one waits out its quorum waits (the fuzzer never sends an update)
    const keyFile = join(out.path, 'swarm.key')
    const cleanKeyFile = join(out.path, 'clean.key')
    writeFileSync(keyFile, createSwarmKey())
    writeFileSync(cleanKeyFile, createSwarmKey())
    const clean = await LocalSwarm.start({ peers: PEERS, rounds: ROUNDS, outDir: join(out.path, 'clean'), extraArgs: [...ARGS, '--swarm-key', cleanKeyFile] })
    swarms.push(clean)
    const fuzzed = await LocalSwarm.start({ peers: PEERS, rounds: ROUNDS, outDir: join(out.path, 'fuzzed'), extraArgs: [...ARGS, '--swarm-key', keyFile] })
    swarms.push(fuzzed)
    const addresses = await fuzzed.waitFor(() => {
      const listening = fuzzed.peers.map(p => p.lastEvent('listening'))
      return listening.every(e => e !== undefined) ? listening.map(e => e.multiaddrs[0]) : undefined
    }, 2 * MINUTES, 'every peer to listen')
    fuzzer = await Fuzzer.start(`swarm/default/${WIRE_VERSION}`, readFileSync(keyFile), 7)
    await fuzzer.answerWithGarbage()
    await fuzzer.dial(addresses)
    await fuzzed.waitFor(() => fuzzed.peers.every(p => p.lastEvent('round-start') !== undefined), 2 * MINUTES, 'the swarm to start training')
    const fuzzStarted = Date.now()
    await fuzzer.run(MESSAGES, MESSAGES_PER_SECOND, STREAM_EVERY)
    const fuzzEnded = Date.now()
    const { stats } = fuzzer
    console.log(`      fuzzer: ${stats.published} messages in ${((fuzzEnded - fuzzStarted) / 1000).toFixed(1)} s (${Object.entries(stats.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}), ${stats.streams} garbage streams on ${stats.protocols.join(' ')}`)

    assert.deepEqual(await fuzzed.waitForExit(10 * MINUTES), [0, 0, 0], 'every honest peer finishes all rounds and exits 0')
    assert.deepEqual(await clean.waitForExit(10 * MINUTES), [0, 0, 0], 'the clean run finishes')
    const cleanAccuracy = clean.peers[0].lastEvent('done')?.accuracy ?? NaN
    assert.equal(stats.published, MESSAGES)
    for (const protocol of [MODEL_SYNC_PROTOCOL, UPDATE_FETCH_PROTOCOL, MEMBER_LIST_PROTOCOL]) {
      assert.ok(stats.protocols.includes(protocol), `garbage was written into ${protocol}`)
    }
    const done = fuzzed.peers.map(p => p.lastEvent('done')).filter(e => e !== undefined)
    assert.equal(done.length, fuzzed.peers.length, 'every peer finished')
    assert.ok(done.every(e => e.ts > fuzzEnded), 'the swarm was still training when the fuzzer finished')
    console.log(`      the swarm finished ${((Math.min(...done.map(e => e.ts)) - fuzzEnded) / 1000).toFixed(1)} s after the fuzzer`)
    assert.ok(done.every(e => e.rounds === ROUNDS), `every peer finished all ${ROUNDS} rounds`)
    assert.equal(new Set(done.map(e => e.modelHash)).size, 1, 'the honest peers agree on one model')
    const accuracy = done[0].accuracy ?? NaN
    console.log(`      accuracy after ${ROUNDS} rounds: clean ${cleanAccuracy.toFixed(4)}, fuzzed ${accuracy.toFixed(4)}`)
    assert.ok(Math.abs(accuracy - cleanAccuracy) <= ACCURACY_TOLERANCE, `accuracy ${accuracy} within ${ACCURACY_TOLERANCE} of the clean run's ${cleanAccuracy}`)

    for (const [i, peer] of fuzzed.peers.entries()) {
      const dropped = done[i].dropped
      const total = Object.values(dropped).reduce((a, b) => a + b, 0)
      console.log(`      peer ${i + 1} dropped ${total}: ${JSON.stringify(dropped)}`)
      assert.ok(total > MESSAGES / 2, `peer ${i + 1} dropped and counted the fuzz (${total})`)
      assert.ok(!('flood' in dropped), 'the fuzzer kept under the flood limit, so all of its messages were examined')
      const reports = peer.eventsOf('message-dropped')
      const distinct = new Set(reports.map(e => `${String(e.from)}/${String(e.reason)}`))
      assert.equal(reports.length, distinct.size, 'each (peer, reason) is reported once')
      const output = readFileSync(peer.outputFile, 'utf8')
      assert.doesNotMatch(output, /Unhandled|uncaught|TypeError|RangeError/i, 'no unhandled error in the peer\'s output')
    }
  })
})
