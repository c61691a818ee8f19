import assert from 'node:assert/strict'
import { startNetworkNode } from '../helpers/network-node.ts'
import type { Inbox } from '../helpers/network-node.ts'
import type { SwarmNetwork } from '../../src/network/swarm-network.ts'

const PEERS = 32

describe('the network layer on one loopback address', function () {
  this.timeout(180_000)
  const nodes: SwarmNetwork[] = []
  const inboxes: Inbox[] = []

  after(async () => {
    await Promise.all(nodes.map(n => n.stop()))
  })

  it(`${PEERS} peers joining through one member all find each other`, async () => {
    for (let i = 0; i < PEERS; i++) {
      const inbox: Inbox = []
      inboxes.push(inbox)
      nodes.push(await startNetworkNode(inbox))
    }
    const bootstrap = nodes[0].multiaddrs()[0]
    await Promise.all(nodes.slice(1).map(async n => { await n.join([bootstrap]) }))
    const deadline = Date.now() + 120_000
    while (nodes.some(n => n.currentMembers().length < PEERS - 1) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    assert.deepEqual(nodes.map(n => n.currentMembers().length), new Array(PEERS).fill(PEERS - 1))
  })

  it('a message published by one peer reaches all the others', async () => {
    nodes[5].publish({ type: 'announce', round: 7, baseHash: 'cd'.repeat(32) })
    const sender = nodes[5].peerId
    const arrived = (inbox: typeof inboxes[number]): boolean => inbox.some(r => r.from === sender && r.message.type === 'announce' && r.message.round === 7)
    const deadline = Date.now() + 60_000
    while (inboxes.some((inbox, i) => i !== 5 && !arrived(inbox)) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    assert.equal(inboxes.filter((inbox, i) => i !== 5 && arrived(inbox)).length, PEERS - 1)
  })
})
