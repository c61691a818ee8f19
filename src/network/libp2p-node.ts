/**
 * A libp2p node with the swarm's stack: TCP, Noise, Yamux, identify and
 * gossipsub, plus whatever services the caller adds (the swarm's direct
 * stream protocols; test nodes that play hostile peers add none and answer
 * those protocols themselves).
 */
import { createLibp2p } from 'libp2p'
import type { Libp2p, ServiceFactoryMap } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import type { GossipSub } from '@libp2p/gossipsub'
import type { PrivateKey, ServiceMap } from '@libp2p/interface'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import type { Registry } from 'prom-client'
import { accessGater } from './access.ts'
import { privateNetwork } from './private-network.ts'
import { CHUNK_GOSSIP_LIMIT, DIAL_TIMEOUT_MS, MAX_PARALLEL_DIALS } from './constants.ts'

export interface StackServices { identify: Identify, pubsub: GossipSub }

export type SwarmLibp2p<Extra extends ServiceMap = Record<never, never>> = Libp2p<StackServices & Extra>

export interface Libp2pOptions {
  privateKey: PrivateKey
  listen: string[]
  /** a libp2p swarm key: only peers holding the same key can connect */
  swarmKey?: Uint8Array
  /** if set, only these peer IDs may connect, in either direction */
  allow?: string[]
  /** if set, libp2p's own metrics (bytes by protocol, connections, streams, process) go to this Prometheus registry */
  metrics?: Registry
}

export interface Libp2pHooks {
  /** peers refused for a while (flooders) */
  isBanned: (peer: string) => boolean
}

export async function createSwarmLibp2p<Extra extends ServiceMap = Record<never, never>> (options: Libp2pOptions, hooks: Libp2pHooks, services?: ServiceFactoryMap<Extra>): Promise<SwarmLibp2p<Extra>> {
  return createLibp2p<StackServices & Extra>({
    privateKey: options.privateKey,
    addresses: { listen: options.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionProtector: options.swarmKey === undefined ? undefined : privateNetwork(options.swarmKey),
    connectionGater: accessGater(options.allow, hooks.isBanned),
    metrics: options.metrics === undefined ? undefined : prometheusMetrics({ registry: options.metrics, preserveExistingMetrics: true }),
    connectionManager: {
      // every local peer shares 127.0.0.1: the default of 5 new inbound
      // connections per second per IP refuses a loopback swarm's connections
      inboundConnectionThreshold: 1000,
      maxIncomingPendingConnections: 256,
      maxConnections: 512,
      maxParallelDials: MAX_PARALLEL_DIALS,
      dialTimeout: DIAL_TIMEOUT_MS
    },
    // a killed peer is noticed at once by its closed connection; pings only
    // catch frozen ones, so they must tolerate a busy CPU (peers train while they answer)
    connectionMonitor: { pingInterval: 5000, pingTimeout: { minTimeout: 10_000, maxTimeout: 30_000 } },
    // cast: TypeScript cannot type the spread of a generic service map, though both halves are typed
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // every message carries its author's signature; unsigned or forged ones are rejected,
        // so a message's sender is always the verified signer
        globalSignaturePolicy: StrictSign,
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        maxInboundDataLength: CHUNK_GOSSIP_LIMIT,
        // gossipsub penalises many peers behind one IP (a Sybil defence); every
        // peer of a local swarm is on loopback, and past 14 of them the penalty
        // graylists the rest, whose messages are then ignored
        scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1', '::1']) }
      }),
      ...services
    } as ServiceFactoryMap<StackServices & Extra>
  })
}
