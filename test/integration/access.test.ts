import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createSwarmKey } from '../../src/network/access.ts'
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

    for (const outsider of [await node(), await node({ swarmKey: createSwarmKey() })]) {
      await assert.rejects(outsider.net.join([a.net.multiaddrs()[0]]), /could not reach any --peer.*same --swarm-key/)
      outsider.net.publish({ type: 'announce', round: 3, baseHash: 'ab'.repeat(32) })
      a.net.publish({ type: 'announce', round: 4, baseHash: 'cd'.repeat(32) })
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
    outsider.net.publish({ type: 'announce', round: 3, baseHash: 'ab'.repeat(32) })
    listed.net.publish({ type: 'announce', round: 4, baseHash: 'cd'.repeat(32) })
    assert.ok(await eventually(() => friend.inbox.some(r => r.message.type === 'announce' && r.message.round === 4), 30_000))
    assert.equal(listed.net.isMember(outsider.net.peerId), false, 'the unlisted peer is not a member')
    assert.equal(outsider.net.currentMembers().length, 0, 'the unlisted peer reaches nobody')
    assert.equal(outsider.inbox.length, 0, 'the unlisted peer reads nothing')
    assert.equal(listed.inbox.concat(friend.inbox).filter(r => r.from === outsider.net.peerId).length, 0, 'the unlisted peer publishes nothing to the swarm')
  })
})
