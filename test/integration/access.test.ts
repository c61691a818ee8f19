import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
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
