/**
 * A hostile member of a running secure-aggregation swarm: a real libp2p node
 * on the swarm's topic that reads the round being worked on from the honest
 * peers' messages and publishes every malformed secure-aggregation message
 * it can think of (low-order and wrong-size keys, a second set of keys,
 * shares with bad thresholds, too many recipients and garbage ciphertext,
 * unmasking requests from a peer that may not merge, consents to sets
 * nobody asked for, reveals that do not decrypt, withdrawals and offers that
 * lie), and asks the honest peers for their updates though it holds none of
 * the round's. The honest peers must finish every round on one model, exit 0,
 * never crash, and give it no update.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import { createSwarmLibp2p } from '../../src/network/libp2p-node.ts'
import type { SwarmLibp2p } from '../../src/network/libp2p-node.ts'
import { UPDATE_FETCH_PROTOCOL } from '../../src/network/constants.ts'
import { Reassembler, splitIntoChunks } from '../../src/wire/chunks.ts'
import { decodeMessage, encodeMessage, hashBytes, WIRE_VERSION } from '../../src/wire/messages.ts'
import type { SwarmMessage } from '../../src/wire/messages.ts'
import { Message, UpdateRequest } from '../../src/wire/swarm.js'
import { useLocalSwarms } from '../helpers/local-swarms.ts'

const MINUTES = 60_000
const ROUNDS = 3
const ARGS = ['--secure-aggregation', '--hidden', '32', '--epochs', '1', '--quorum-wait-ms', '3000', '--failover-delay-ms', '1500', '--finish-wait-ms', '3000']
const TOPIC = `swarm/default/${WIRE_VERSION}`

/** X25519 points of small order (RFC 7748 §6.1 and the curve's published list) */
const LOW_ORDER = [new Uint8Array(32), Uint8Array.from([1, ...new Array<number>(31).fill(0)]), Uint8Array.from(Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'))]

class HostileMember {
  readonly libp2p: SwarmLibp2p
  /** rounds and base hashes the honest peers announced */
  readonly rounds = new Map<number, string>()
  /** honest peers seen on the topic */
  readonly honest = new Set<string>()
  published = 0
  updatesGiven = 0
  updatesAsked = 0
  private readonly reassembler = new Reassembler({ maxPayloadBytes: 64 * 1024 * 1024, timeoutMs: 60_000 })

  static async start (): Promise<HostileMember> {
    return new HostileMember(await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] }, { isBanned: () => false }))
  }

  private constructor (libp2p: SwarmLibp2p) {
    this.libp2p = libp2p
    libp2p.services.pubsub.subscribe(TOPIC)
    libp2p.services.pubsub.addEventListener('message', (event) => {
      const { detail } = event
      if (detail.type !== 'signed') return
      try {
        const payload = this.reassembler.add(detail.from.toString(), detail.data, Date.now())
        if (payload === undefined) return
        const message = decodeMessage(payload)
        this.honest.add(detail.from.toString())
        if (message.type === 'announce' || message.type === 'offer') this.rounds.set(message.round, message.baseHash)
      } catch {
        // not every chunk is whole yet
      }
    })
  }

  get id (): string {
    return this.libp2p.peerId.toString()
  }

  async publish (message: SwarmMessage | Uint8Array): Promise<void> {
    const payload = message instanceof Uint8Array ? message : encodeMessage(message)
    for (const chunk of splitIntoChunks(payload)) await this.libp2p.services.pubsub.publish(TOPIC, chunk).catch(() => {})
    this.published++
  }

  /** Everything malformed it can think of, for the round it sees being worked on. */
  async attack (round: number, baseHash: string): Promise<void> {
    const key = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n))
    const honest = [...this.honest].sort()
    const peers = [...honest, this.id].sort()
    // it takes part, as a newcomer would
    await this.publish({ type: 'announce', round, baseHash, roster: [], sealed: false })
    for (const lowOrder of LOW_ORDER) {
      await this.publish({ type: 'secure-keys', round, baseHash, channelKey: lowOrder, maskKey: key(32) })
      await this.publish({ type: 'secure-keys', round, baseHash, channelKey: key(32), maskKey: lowOrder })
    }
    await this.publish({ type: 'secure-keys', round, baseHash, channelKey: key(31), maskKey: key(33) })
    // valid keys, then a second, different set
    await this.publish({ type: 'secure-keys', round, baseHash, channelKey: key(32), maskKey: key(32) })
    await this.publish({ type: 'secure-keys', round, baseHash, channelKey: key(32), maskKey: key(32) })
    const share = (to: string): { to: string, nonce: Uint8Array, ciphertext: Uint8Array } => ({ to, nonce: key(24), ciphertext: key(82) })
    await this.publish({ type: 'secure-shares', round, baseHash, threshold: 1, selfMaskCommitment: key(32), shares: peers.map(share) })
    await this.publish({ type: 'secure-shares', round, baseHash, threshold: 3, selfMaskCommitment: key(7), shares: peers.map(share) })
    await this.publish({ type: 'secure-shares', round, baseHash, threshold: 3, selfMaskCommitment: key(32), shares: [share(honest[0]), share(honest[0]), share(this.id)] })
    await this.publish({ type: 'secure-shares', round, baseHash, threshold: 171, selfMaskCommitment: key(32), shares: Array.from({ length: 256 }, (_, i) => share(honest[i % honest.length] ?? `peer-${i}`)) })
    await this.publish({ type: 'secure-shares', round, baseHash, threshold: 3, selfMaskCommitment: key(32), shares: peers.map(share) })
    // offers that lie about their masks, and withdrawals in its own name
    await this.publish({ type: 'offer', round, baseHash, samples: 100, bytes: 10, updateHash: 'ab'.repeat(32), maskedWith: [...honest].reverse() })
    await this.publish({ type: 'offer', round, baseHash, samples: 0, bytes: 10, updateHash: 'ab'.repeat(32), maskedWith: [this.id] })
    await this.publish({ type: 'withdraw', round, baseHash })
    await this.publish({ type: 'withdraw', round: round + 7, baseHash })
    // it may not merge: requests with every kind of list
    const lists = [[], [...honest].reverse(), [...honest, ...honest].sort(), [...peers], Array.from({ length: 200 }, (_, i) => `x${String(i).padStart(3, '0')}`)]
    for (const survivors of lists) {
      await this.publish({ type: 'unmask-request', round, baseHash, survivors, dropped: honest.slice(0, 1), survivorMasks: survivors.map(() => honest) })
      await this.publish({ type: 'unmask-request', round, baseHash, survivors, dropped: [], survivorMasks: [] })
    }
    for (let i = 0; i < 20; i++) await this.publish({ type: 'unmask-consent', round, baseHash, setHash: Buffer.from(key(32)).toString('hex') })
    await this.publish({ type: 'unmask-reveal', round, baseHash, setHash: Buffer.from(key(32)).toString('hex'), sealed: peers.map(share) })
    await this.publish({ type: 'unmask-reveal', round, baseHash, setHash: Buffer.from(key(32)).toString('hex'), sealed: [{ to: honest[0], nonce: key(3), ciphertext: key(1) }] })
    // messages that decode but hold out-of-range fields, and later rounds
    await this.publish(Message.encode({ version: WIRE_VERSION, secureKeys: { round, baseHash: key(32) as Uint8Array<ArrayBuffer>, channelKey: new Uint8Array(0), maskKey: new Uint8Array(0) } }))
    await this.publish({ type: 'secure-keys', round: round + 1, baseHash, channelKey: LOW_ORDER[0], maskKey: LOW_ORDER[0] })
    await this.publish({ type: 'secure-keys', round: 2 ** 32 - 1, baseHash, channelKey: key(32), maskKey: key(32) })
  }

  /** Asks each honest peer for its update of the round, and for the others' it holds; counts the updates it gets. */
  async askForUpdates (round: number, baseHash: string): Promise<void> {
    for (const peer of this.honest) {
      for (const owner of [undefined, ...this.honest]) {
        this.updatesAsked++
        try {
          const stream = await this.libp2p.dialProtocol(peerIdFromString(peer), UPDATE_FETCH_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
          const lp = lpStream(stream, { maxDataLength: 64 * 1024 * 1024 })
          await lp.write(UpdateRequest.encode({ round, baseHash: hashBytes(baseHash), owner }))
          const response = await lp.read({ signal: AbortSignal.timeout(10_000) })
          if (response.byteLength > 0) this.updatesGiven++
          await stream.close().catch(() => {})
        } catch {
          // a refusal may close the stream
        }
      }
    }
  }

  async stop (): Promise<void> {
    await this.libp2p.stop()
  }
}

describe('a hostile member of a secure-aggregation swarm', function () {
  this.timeout(10 * MINUTES)
  const { start } = useLocalSwarms('secure-hostile')
  let hostile: HostileMember | undefined
  afterEach(async () => { await hostile?.stop() })

  it('publishes every malformed secure-aggregation message and asks for updates it may not have: the swarm finishes every round on one model, gives it nothing, and nobody crashes', async () => {
    const swarm = await start({ name: 'hostile', peers: 3, rounds: ROUNDS, extraArgs: ARGS })
    const addresses = await swarm.waitFor(() => {
      const listening = swarm.peers.map(p => p.lastEvent('listening'))
      return listening.every(e => e !== undefined) ? listening.map(e => e.multiaddrs[0]) : undefined
    }, 2 * MINUTES, 'every peer to listen')
    hostile = await HostileMember.start()
    for (const address of addresses) await hostile.libp2p.dial(multiaddr(address))
    const attacked = new Set<number>()
    const asked = new Set<number>()
    const deadline = Date.now() + 8 * MINUTES
    while (swarm.peers.some(p => p.running) && Date.now() < deadline) {
      for (const [round, baseHash] of hostile.rounds) {
        if (!attacked.has(round)) {
          attacked.add(round)
          await hostile.attack(round, baseHash)
        }
        // once an honest peer offered its update, the hostile member asks for it
        if (!asked.has(round) && swarm.peers.some(p => p.eventsOf('update-published').some(e => e.round === round))) {
          asked.add(round)
          await hostile.askForUpdates(round, baseHash)
        }
      }
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    assert.deepEqual(await swarm.waitForExit(2 * MINUTES), [0, 0, 0], 'every honest peer finishes and exits 0')
    assert.ok(attacked.size >= 2 && hostile.published > 100, `attacked ${attacked.size} rounds with ${hostile.published} messages`)
    assert.ok(hostile.updatesAsked > 0, 'it asked for updates')
    assert.equal(hostile.updatesGiven, 0, 'no honest peer gives an update to a peer that holds none of the round\'s')
    const done = swarm.peers.map(p => p.lastEvent('done'))
    assert.ok(done.every(e => e?.rounds === ROUNDS), 'every round completed')
    assert.equal(new Set(done.map(e => e?.modelHash)).size, 1, 'the honest peers agree on one model')
    assert.ok((done[0]?.accuracy ?? 0) > 0.6, `the model learns: accuracy ${String(done[0]?.accuracy)}`)
    for (const peer of swarm.peers) {
      const drops = peer.lastEvent('done')?.dropped ?? {}
      assert.ok((drops.malformed ?? 0) > 0, `peer ${peer.index} dropped and counted the hostile messages: ${JSON.stringify(drops)}`)
      assert.doesNotMatch(readFileSync(peer.outputFile, 'utf8'), /Unhandled|uncaught|TypeError|RangeError|stack/i, 'no error escaped a handler')
      // what the peers unmasked summed the three of them: the hostile member's keys never bought it a place
      for (const unmasked of peer.eventsOf('unmasked')) assert.ok(!unmasked.survivors.includes(hostile.id))
    }
  })
})
