import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { eventually, startNetworkNode } from '../helpers/network-node.ts'
import type { Inbox } from '../helpers/network-node.ts'
import type { SwarmNetwork } from '../../src/network/swarm-network.ts'

const PEERS = 32
/** peers that join through one contact at the same moment */
const JOINERS = 64

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

  it(`${JOINERS} peers joining through one contact at the same moment all get in`, async () => {
    // a joiner leaves once it is in (it and the contact count each other as members): the point is
    // the crowd of handshakes at one contact, not a mesh of 65 peers in one process
    const contact = await startNetworkNode([])
    const joiners = await Promise.all(Array.from({ length: JOINERS }, async () => startNetworkNode([])))
    const started = Date.now()
    try {
      const results = await Promise.allSettled(joiners.map(async joiner => {
        await joiner.join([contact.multiaddrs()[0]])
        const deadline = Date.now() + 120_000
        while (!(joiner.isMember(contact.peerId) && contact.isMember(joiner.peerId))) {
          if (Date.now() > deadline) throw new Error(`${joiner.peerId} joined but is no member after 120 s`)
          await new Promise(resolve => setTimeout(resolve, 100))
        }
        await joiner.stop()
      }))
      assert.deepEqual(results.filter(r => r.status === 'rejected').map(r => String(r.reason)), [], 'every joiner gets in')
      console.log(`      ${JOINERS} joiners in within ${((Date.now() - started) / 1000).toFixed(1)} s`)
    } finally {
      await Promise.all([contact, ...joiners].map(n => n.stop()))
    }
  })

  it('a contact that resets handshakes while it is busy is tried again until it answers, not taken for a private swarm', async () => {
    // a busy contact times handshakes out on its side: the newcomer sees its connection reset
    const busy = createServer(socket => { setTimeout(() => socket.resetAndDestroy(), 200) }).listen(0, '127.0.0.1')
    await new Promise(resolve => busy.once('listening', resolve))
    const { port } = busy.address() as { port: number }
    const key = await generateKeyPair('Ed25519')
    const warnings: string[] = []
    const newcomer = await startNetworkNode([], { joinTimeoutMs: 60_000 }, { warn: text => { warnings.push(text) } })
    let contact: SwarmNetwork | undefined
    try {
      const joining = newcomer.join([`/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(key).toString()}`])
      setTimeout(() => {
        busy.close()
        void startNetworkNode([], { privateKey: key, listen: [`/ip4/127.0.0.1/tcp/${port}`] }).then(n => { contact = n })
      }, 3000)
      await joining
      const reached = contact
      assert.ok(reached !== undefined, 'the join waited for the contact to answer')
      assert.ok(await eventually(() => newcomer.isMember(reached.peerId), 30_000), 'the newcomer is a member')
      assert.equal(warnings.filter(w => w.startsWith('waiting for')).length, 1, `said once what it waits for: ${warnings.join(' | ')}`)
      assert.doesNotMatch(warnings.join('\n'), /probably/)
    } finally {
      busy.close()
      await Promise.all([newcomer.stop(), contact?.stop()])
    }
  })

  it('a message published by one peer reaches all the others', async () => {
    nodes[5].publish({ type: 'announce', round: 7, baseHash: 'cd'.repeat(32), roster: [], sealed: false })
    const sender = nodes[5].peerId
    const arrived = (inbox: typeof inboxes[number]): boolean => inbox.some(r => r.from === sender && r.message.type === 'announce' && r.message.round === 7)
    const deadline = Date.now() + 60_000
    while (inboxes.some((inbox, i) => i !== 5 && !arrived(inbox)) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    assert.equal(inboxes.filter((inbox, i) => i !== 5 && arrived(inbox)).length, PEERS - 1)
  })
})
