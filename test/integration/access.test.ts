import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { getNetConfig } from '@libp2p/utils'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { preSharedKey } from '@libp2p/pnet'
import { createSwarmKey } from '../../src/network/access.ts'
import type { GlobalMessage } from '../../src/wire/messages.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { SwarmNetwork } from '../../src/network/swarm-network.ts'
import { eventually, startNetworkNode } from '../helpers/network-node.ts'
import type { Inbox } from '../helpers/network-node.ts'

describe('who may join a swarm', function () {
  this.timeout(120_000)
  const nodes: SwarmNetwork[] = []
  afterEach(async () => { await Promise.all(nodes.splice(0).map(n => n.stop())) })

  async function node (options: Parameters<typeof startNetworkNode>[1] = {}): Promise<{ net: SwarmNetwork, inbox: Inbox }> {
    const inbox: Inbox = []
    const net = await startNetworkNode(inbox, options)
    nodes.push(net)
    return { net, inbox }
  }

  it('peers holding the swarm key swarm; an outsider without it, or with another key, cannot connect, publish or read', async () => {
    const swarmKey = createSwarmKey()
    const a = await node({ swarmKey })
    const b = await node({ swarmKey })
    await b.net.join([a.net.multiaddrs()[0]])
    assert.ok(await eventually(() => a.net.isMember(b.net.peerId), 30_000), 'two peers with the same key become members')

    // an outsider keeps trying for its join timeout (the peer might be busy), then gives up naming the key
    for (const outsider of [await node({ joinTimeoutMs: 3000 }), await node({ swarmKey: createSwarmKey(), joinTimeoutMs: 3000 })]) {
      await assert.rejects(outsider.net.join([a.net.multiaddrs()[0]]), /could not reach any --peer within 3 s.*same --swarm-key/)
      outsider.net.publish({ type: 'announce', round: 3, baseHash: 'ab'.repeat(32), roster: [], sealed: false })
      a.net.publish({ type: 'announce', round: 4, baseHash: 'cd'.repeat(32), roster: [], sealed: false })
      assert.ok(await eventually(() => b.inbox.some(r => r.message.type === 'announce' && r.message.round === 4), 30_000), 'members still hear each other')
      assert.equal(outsider.inbox.length, 0, 'the outsider reads nothing')
      assert.equal(a.inbox.concat(b.inbox).filter(r => r.from === outsider.net.peerId).length, 0, 'the outsider publishes nothing to the swarm')
      assert.deepEqual([a.net.isMember(outsider.net.peerId), b.net.isMember(outsider.net.peerId)], [false, false])
    }
  })

  it('an allow-listed swarm refuses a peer ID that is not on its list', async () => {
    const [listedKey, friendKey, outsiderKey] = await Promise.all([1, 2, 3].map(async () => generateKeyPair('Ed25519')))
    const allowed = [listedKey, friendKey].map(key => peerIdFromPrivateKey(key).toString())
    const listed = await node({ privateKey: listedKey, allow: allowed })
    const friend = await node({ privateKey: friendKey, allow: allowed })
    const outsider = await node({ privateKey: outsiderKey })
    await friend.net.join([listed.net.multiaddrs()[0]])
    assert.ok(await eventually(() => listed.net.isMember(friend.net.peerId), 30_000), 'a listed peer becomes a member')

    await outsider.net.join([listed.net.multiaddrs()[0]]).catch(() => undefined)
    outsider.net.publish({ type: 'announce', round: 3, baseHash: 'ab'.repeat(32), roster: [], sealed: false })
    listed.net.publish({ type: 'announce', round: 4, baseHash: 'cd'.repeat(32), roster: [], sealed: false })
    assert.ok(await eventually(() => friend.inbox.some(r => r.message.type === 'announce' && r.message.round === 4), 30_000))
    assert.equal(listed.net.isMember(outsider.net.peerId), false, 'the unlisted peer is not a member')
    assert.equal(outsider.net.currentMembers().length, 0, 'the unlisted peer reaches nobody')
    assert.equal(outsider.inbox.length, 0, 'the unlisted peer reads nothing')
    assert.equal(listed.inbox.concat(friend.inbox).filter(r => r.from === outsider.net.peerId).length, 0, 'the unlisted peer publishes nothing to the swarm')
  })

  it('a message an unlisted peer authors is dropped even when a listed peer relays it', async () => {
    const [listedKey, relayKey] = await Promise.all([1, 2].map(async () => generateKeyPair('Ed25519')))
    const allowed = [listedKey, relayKey].map(key => peerIdFromPrivateKey(key).toString())
    const listed = await node({ privateKey: listedKey, allow: allowed })
    // the relay allows anyone: the outsider reaches it, and gossipsub forwards what the outsider publishes
    const relay = await node({ privateKey: relayKey })
    const outsider = await node()
    await relay.net.join([listed.net.multiaddrs()[0]])
    await outsider.net.join([relay.net.multiaddrs()[0]])
    assert.ok(await eventually(() => listed.net.isMember(relay.net.peerId) && relay.net.isMember(outsider.net.peerId), 30_000), 'listed ↔ relay ↔ outsider')
    for (let round = 1; round <= 20 && !relay.inbox.some(r => r.from === outsider.net.peerId); round++) {
      outsider.net.publish({ type: 'announce', round, baseHash: 'ab'.repeat(32), roster: [], sealed: false })
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    assert.ok(relay.inbox.some(r => r.from === outsider.net.peerId), 'the relay heard the outsider')
    listed.net.publish({ type: 'announce', round: 40, baseHash: 'cd'.repeat(32), roster: [], sealed: false })
    assert.ok(await eventually(() => relay.inbox.some(r => r.message.type === 'announce' && r.message.round === 40), 30_000), 'the listed peers still hear each other')
    assert.ok(await eventually(() => (listed.net.drops.totals()['not-allowed'] ?? 0) > 0, 30_000), `the relayed message is dropped by author: ${JSON.stringify(listed.net.drops.totals())}`)
    assert.equal(listed.inbox.filter(r => r.from === outsider.net.peerId).length, 0, 'nothing the outsider authored reaches the allow-listed peer')
  })

  it('hundreds of silent connections from one address do not keep a key holder out of a private swarm', async () => {
    const swarmKey = createSwarmKey()
    const a = await node({ swarmKey })
    const { host, port } = getNetConfig(multiaddr(a.net.multiaddrs()[0])) as { host: string, port: number }
    // an outsider holds 300 connections that never say a word (each waits in the pnet nonce exchange),
    // opening a new one whenever the peer closes one
    const silent = new Set<Socket>()
    let attacking = true
    const open = (): void => {
      const socket = connect(port, host)
      silent.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        silent.delete(socket)
        if (attacking) setTimeout(open, 10)
      })
    }
    for (let i = 0; i < 300; i++) open()
    try {
      await new Promise(resolve => setTimeout(resolve, 1000))
      const b = await node({ swarmKey, joinTimeoutMs: 20_000 })
      await b.net.join([a.net.multiaddrs()[0]])
      assert.ok(await eventually(() => a.net.isMember(b.net.peerId), 20_000), 'the key holder becomes a member')
    } finally {
      attacking = false
      for (const socket of silent) socket.destroy()
    }
  })

  it('a private swarm speaks libp2p pnet: a plain libp2p node with @libp2p/pnet and the same key connects', async () => {
    const swarmKey = createSwarmKey()
    const a = await node({ swarmKey })
    const reference = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionProtector: preSharedKey({ psk: swarmKey })
    })
    try {
      const connection = await reference.dial(multiaddr(a.net.multiaddrs()[0]), { signal: AbortSignal.timeout(20_000) })
      assert.equal(connection.remotePeer.toString(), a.net.peerId)
      assert.equal(connection.status, 'open')
    } finally {
      await reference.stop()
    }
  })

  it('a private swarm carries models of tens of megabytes over many connections', async () => {
    // 10 M parameters: 40 MB, the size that crashed the WebAssembly cipher of @libp2p/pnet
    const values = new Float32Array(10_000_000).map((_, i) => Math.sin(i))
    const weights = [{ shape: [values.length], values }]
    const model: GlobalMessage = { type: 'global', round: 1, modelHash: modelHash(weights), contributors: [], merger: '', samples: 1, weights, definition: '', state: [], updateHashes: [] }
    const swarmKey = createSwarmKey()
    const server = await node({ swarmKey, currentGlobal: () => model })
    const clients = [await node({ swarmKey }), await node({ swarmKey }), await node({ swarmKey })]
    for (const client of clients) await client.net.join([server.net.multiaddrs()[0]])
    for (let i = 0; i < 2; i++) {
      const fetched = await Promise.all(clients.map(async client => client.net.fetchGlobal(server.net.peerId)))
      for (const got of fetched) assert.equal(modelHash(got.weights), model.modelHash)
    }
  })
})
