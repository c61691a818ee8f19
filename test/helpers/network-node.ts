import { generateKeyPair } from '@libp2p/crypto/keys'
import { SwarmNetwork } from '../../src/network/swarm-network.ts'
import type { NetworkHandlers, NetworkOptions } from '../../src/network/swarm-network.ts'
import type { SwarmMessage } from '../../src/wire/messages.ts'
import { modelHash } from '../../src/model/weights.ts'

export type Inbox = Array<{ from: string, message: SwarmMessage }>

/** A started network node on loopback with a tiny genesis model; what it receives goes to `inbox`. */
export async function startNetworkNode (inbox: Inbox, options: Partial<NetworkOptions> = {}, handlers: Partial<NetworkHandlers> = {}): Promise<SwarmNetwork> {
  const weights = [{ shape: [4, 3], values: new Float32Array(12).fill(0.5) }, { shape: [3], values: new Float32Array(3) }]
  const network = await SwarmNetwork.create({
    privateKey: await generateKeyPair('Ed25519'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    topic: 'swarm/network-test/1',
    currentGlobal: () => ({ type: 'global', round: 0, weights, modelHash: modelHash(weights), contributors: [], merger: '', samples: 0, definition: '', state: [], updateHashes: [] }),
    currentRound: () => 1,
    heldUpdate: () => undefined,
    ...options
  }, {
    message: (from, message) => { inbox.push({ from, message }) },
    peerJoined: () => {},
    peerLeft: () => {},
    memberRound: () => {},
    dropped: () => {},
    warn: () => {},
    ...handlers
  })
  await network.start()
  return network
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually (check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) return false
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return true
}
