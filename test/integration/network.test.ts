import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { SwarmNetwork } from '../../src/network/swarm-network.ts'
import type { SwarmMessage } from '../../src/wire/messages.ts'
import { initialWeights } from '../../src/model/spec.ts'
import { modelHash } from '../../src/model/weights.ts'

const PEERS = 32

async function startNode (received: Array<{ from: string, message: SwarmMessage }>): Promise<SwarmNetwork> {
  const weights = initialWeights({ inputSize: 4, hiddenLayers: [3], numClasses: 2 }, 1)
  const network = await SwarmNetwork.create({
    privateKey: await generateKeyPair('Ed25519'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    topic: 'swarm/network-test/1',
    currentGlobal: () => ({ type: 'global', round: 0, weights, modelHash: modelHash(weights), contributors: [], merger: '', samples: 0 }),
    currentRound: () => 1,
    heldUpdate: () => undefined
  }, {
    message: (from, message) => { received.push({ from, message }) },
    peerJoined: () => {},
    peerLeft: () => {},
    dropped: () => {},
    warn: () => {}
  })
  await network.start()
  return network
}

describe('the network layer on one loopback address', function () {
  this.timeout(180_000)
  const nodes: SwarmNetwork[] = []
  const inboxes: Array<Array<{ from: string, message: SwarmMessage }>> = []

  after(async () => {
    await Promise.all(nodes.map(n => n.stop()))
  })

  it(`${PEERS} peers joining through one member all find each other`, async () => {
    for (let i = 0; i < PEERS; i++) {
      const inbox: Array<{ from: string, message: SwarmMessage }> = []
      inboxes.push(inbox)
      nodes.push(await startNode(inbox))
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
