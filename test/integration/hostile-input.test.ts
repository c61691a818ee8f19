import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createSwarmLibp2p } from '../../src/network/libp2p-node.ts'
import type { SwarmLibp2p } from '../../src/network/libp2p-node.ts'
import type { SwarmNetwork } from '../../src/network/swarm-network.ts'
import { splitIntoChunks } from '../../src/wire/chunks.ts'
import { encodeMessage, WIRE_VERSION } from '../../src/wire/messages.ts'
import { MemberList, Message } from '../../src/wire/swarm.js'
import { MEMBER_LIST_PROTOCOL } from '../../src/network/constants.ts'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { FLOOD_BURST, FLOOD_STRIKES } from '../../src/network/constants.ts'
import { eventually, startNetworkNode } from '../helpers/network-node.ts'
import type { Inbox } from '../helpers/network-node.ts'

const TOPIC = 'swarm/network-test/1'

/**
 * A real libp2p node that speaks gossipsub on the swarm's topic but sends
 * whatever bytes a test gives it, against one honest peer.
 */
describe('hostile input on the gossip topic is dropped and counted', function () {
  this.timeout(120_000)
  let victim: SwarmNetwork
  let inbox: Inbox
  let hostile: SwarmLibp2p

  beforeEach(async () => {
    inbox = []
    victim = await startNetworkNode(inbox, { maxPayloadBytes: 64 * 1024, reassemblyTimeoutMs: 300 })
    hostile = await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] }, { isBanned: () => false })
    hostile.services.pubsub.subscribe(TOPIC)
    await hostile.dial(multiaddr(victim.multiaddrs()[0]))
    assert.ok(await eventually(() => victim.isMember(hostile.peerId.toString()) && hostile.services.pubsub.getSubscribers(TOPIC).length > 0, 30_000), 'the hostile node is a member')
  })

  // a peer process dies of an unhandled rejection; here the test notices it instead
  const unhandled: unknown[] = []
  const collect = (reason: unknown): void => { unhandled.push(reason) }
  before(() => { process.on('unhandledRejection', collect) })
  after(() => { process.off('unhandledRejection', collect) })

  afterEach(async () => {
    await Promise.all([victim.stop(), hostile.stop()])
    assert.deepEqual(unhandled.splice(0).map(String), [], 'no unhandled promise rejection')
  })

  async function send (...payloads: Uint8Array[]): Promise<void> {
    for (const bytes of payloads) await hostile.services.pubsub.publish(TOPIC, bytes)
  }

  async function counted (reason: string, atLeast = 1): Promise<void> {
    const ok = await eventually(() => (victim.drops.totals()[reason as keyof ReturnType<typeof victim.drops.totals>] ?? 0) >= atLeast, 20_000)
    assert.ok(ok, `${reason} counted; totals ${JSON.stringify(victim.drops.totals())}`)
  }

  it('undecodable bytes, an unknown wire version and an unknown message type', async () => {
    const announce = encodeMessage({ type: 'announce', round: 1, baseHash: 'ab'.repeat(32), roster: [], sealed: false })
    const unknownVersion = Message.encode({ version: 99, announce: { round: 1, baseHash: new Uint8Array(32), roster: [], sealed: false } })
    // a Message whose only field, 15, is no message type this version knows
    const unknownType = new Uint8Array([0x08, WIRE_VERSION, 0x7a, 0x00])
    const badChunkVersion = splitIntoChunks(announce)[0]
    badChunkVersion[1] = 42 // the chunk's version field
    await send(new Uint8Array([1, 2, 3]), splitIntoChunks(unknownVersion)[0], splitIntoChunks(unknownType)[0], badChunkVersion)
    await counted('malformed', 4)
    assert.equal(inbox.length, 0, 'nothing reaches the round logic')
  })

  it('a payload over the size limit', async () => {
    const big = encodeMessage({ type: 'hello', multiaddrs: ['x'.repeat(100 * 1024)], round: 1, modelHash: 'ab'.repeat(32) })
    await send(splitIntoChunks(big, 32 * 1024)[0])
    await counted('oversized')
  })

  it('a payload whose other chunks never come', async () => {
    const payload = encodeMessage({ type: 'hello', multiaddrs: ['x'.repeat(20 * 1024)], round: 1, modelHash: 'ab'.repeat(32) })
    await send(splitIntoChunks(payload, 8 * 1024)[0])
    await new Promise(resolve => setTimeout(resolve, 500))
    await send(splitIntoChunks(encodeMessage({ type: 'announce', round: 1, baseHash: 'ab'.repeat(32), roster: [], sealed: false }))[0])
    await counted('incomplete')
    assert.equal(inbox.filter(r => r.message.type === 'hello').length, 0)
  })

  it('a flood from one peer is rate-limited, and a peer that keeps flooding is disconnected', async () => {
    const announce = splitIntoChunks(encodeMessage({ type: 'announce', round: 1, baseHash: 'ab'.repeat(32), roster: [], sealed: false }))[0]
    const flood = 2 * (FLOOD_BURST + FLOOD_STRIKES)
    for (let i = 0; i < flood && hostile.getConnections().length > 0; i++) await hostile.services.pubsub.publish(TOPIC, announce).catch(() => {})
    await counted('flood', FLOOD_STRIKES)
    assert.ok(await eventually(() => !victim.isMember(hostile.peerId.toString()), 20_000), 'the flooder is no longer a member')
    assert.ok(inbox.length < flood / 2, `most of the flood was dropped (${inbox.length} of ${flood} delivered)`)
    await hostile.dial(multiaddr(victim.multiaddrs()[0]), { signal: AbortSignal.timeout(10_000) }).catch(() => undefined)
    assert.ok(await eventually(() => hostile.getConnections().length === 0, 10_000), 'the flooder is refused when it comes back')
    assert.equal(victim.isMember(hostile.peerId.toString()), false)
  })

  it('a member list naming unreachable peers and unparsable addresses', async () => {
    // peers the victim would dial (their IDs sort after its own): 4 unreachable ones keep its dial slots busy, the rest have addresses that do not parse
    const ids: string[] = []
    while (ids.length < 8) {
      const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      if (id > victim.peerId) ids.push(id)
    }
    const members = ids.map((id, i) => ({ peerId: id, multiaddrs: [i < 4 ? `/ip4/127.0.0.1/tcp/1/p2p/${id}` : `/ip4/999.0.0.1/tcp/x/p2p/${id}`] }))
    const other = await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] }, { isBanned: () => false })
    try {
      await other.handle(MEMBER_LIST_PROTOCOL, async (stream) => {
        const body = MemberList.encode({ members })
        stream.send(Uint8Array.from([...varint(body.length), ...body]))
        await stream.close()
      })
      other.services.pubsub.subscribe(TOPIC)
      await other.dial(multiaddr(victim.multiaddrs()[0]))
      // the victim asks the new member for its members and dials them; every dial fails, none crashes it
      assert.ok(await eventually(() => victim.isMember(other.peerId.toString()), 30_000))
      await new Promise(resolve => setTimeout(resolve, 3000))
      assert.ok(victim.isMember(other.peerId.toString()), 'the victim is still up and serving its members')
    } finally {
      await other.stop()
    }
  })
})

function varint (n: number): number[] {
  const bytes: number[] = []
  while (n >= 0x80) { bytes.push((n & 0x7f) | 0x80); n >>>= 7 }
  bytes.push(n)
  return bytes
}
