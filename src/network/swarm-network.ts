/**
 * The network shell, composed of parts that each own one concern:
 * - three direct stream services (ModelSync, UpdateFetch, MemberList), built
 *   the libp2p way and registered in the node's `services` map: libp2p hands
 *   them its components and starts them (registering their protocols) with
 *   the node, so they answer as soon as it listens, and stops them
 *   (unregistering) with it; nothing here starts or stops them by hand;
 * - the gossip channel (topic validator, chunks, flood limits and bans);
 * - membership (who is in the swarm, discovery, reconnects);
 * - joining through the --peer addresses.
 * libp2p's dial queue bounds the dials (see libp2p-node.ts).
 */
import type { AbortOptions, PeerId } from '@libp2p/interface'
import { createSwarmLibp2p } from './libp2p-node.ts'
import type { Libp2pOptions, SwarmLibp2p } from './libp2p-node.ts'
import { createServer } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { getNetConfig } from '@libp2p/utils'
import { JOIN_TIMEOUT_MS } from './constants.ts'
import { DropReporter } from './drops.ts'
import { NotConnectedError } from './errors.ts'
import { GossipChannel } from './gossip-channel.ts'
import { joinThrough } from './join.ts'
import { memberList } from './member-list.ts'
import type { MemberList } from './member-list.ts'
import { Membership } from './membership.ts'
import { modelSync } from './model-sync.ts'
import type { ModelSync } from './model-sync.ts'
import { status } from './status.ts'
import type { Status, StatusAnswer } from './status.ts'
import { updateFetch } from './update-fetch.ts'
import type { UpdateFetch } from './update-fetch.ts'
import type { DropReason } from '../round/validation.ts'
import { UserError } from '../errors.ts'
import type { GlobalMessage, OfferMessage, SwarmMessage, UpdateMessage } from '../wire/messages.ts'

export interface NetworkHandlers {
  message: (from: string, message: SwarmMessage) => void
  peerJoined: (peer: string) => void
  peerLeft: (peer: string) => void
  /** a member told the round and hash of the newest global model it holds (answering for its member list) */
  memberRound: (peer: string, globalRound: number, globalHash: string) => void
  /** a member told its --name in its member list (hellos come as messages) */
  memberNamed?: (peer: string, name: string) => void
  /** a message was dropped; reported once per peer and reason */
  dropped: (peer: string, reason: DropReason, detail: string) => void
  /** a network-level problem worth telling the operator */
  warn: (text: string) => void
}

export interface NetworkOptions extends Libp2pOptions {
  topic: string
  /** payloads over this size are refused (default MAX_PAYLOAD_BYTES) */
  maxPayloadBytes?: number
  /** a payload whose chunks stop arriving is dropped after this long (default REASSEMBLY_TIMEOUT_MS) */
  reassemblyTimeoutMs?: number
  /** the current global model, served to peers that join */
  currentGlobal: () => GlobalMessage
  /** the round this peer works on, put in hellos */
  currentRound: () => number
  /** the encoded update of `owner` (this peer when absent) for a round and base that this peer gives `asker`, if any */
  heldUpdate: (round: number, baseHash: string, asker: string, owner?: string) => Uint8Array | undefined
  /** the offer of this peer's update for the round it works on, if it holds one; told to peers that connect */
  heldOffer?: () => OfferMessage | undefined
  /** how long join() keeps trying to reach the bootstrap peers (default JOIN_TIMEOUT_MS) */
  joinTimeoutMs?: number
  /** this peer's --name, said in hellos */
  name?: string
  /** the answer to `swarm-node status` (a node without one refuses to answer) */
  status?: () => StatusAnswer | Promise<StatusAnswer>
}

type NetworkLibp2p = SwarmLibp2p<{ modelSync: ModelSync, updateFetch: UpdateFetch, memberList: MemberList, status: Status }>

export class SwarmNetwork {
  readonly drops: DropReporter
  private readonly libp2p: NetworkLibp2p
  private readonly options: NetworkOptions
  private readonly handlers: NetworkHandlers
  private readonly gossip: GossipChannel
  private readonly membership: Membership

  static async create (options: NetworkOptions, handlers: NetworkHandlers): Promise<SwarmNetwork> {
    // the node needs the network's bans and members before the network can be built around the node
    let network: SwarmNetwork | undefined
    await listenable(options.listen ?? [])
    const libp2p = await createSwarmLibp2p(options, { isBanned: peer => network?.gossip.isBanned(peer) ?? false }, {
      modelSync: modelSync({ current: options.currentGlobal }),
      updateFetch: updateFetch({ held: options.heldUpdate }),
      memberList: memberList({ members: () => network?.currentMembers() ?? [], global: () => options.currentGlobal(), held: () => options.heldOffer?.(), name: options.name }),
      status: status({ answer: options.status ?? (() => { throw new Error('this node answers no status') }) })
    }).catch(async (err: unknown) => {
      // libp2p says only that some address failed: find which, and why
      await listenable(options.listen ?? [])
      if ((err as Error).name === 'UnsupportedListenAddressesError') throw new UserError(`cannot listen on ${(options.listen ?? []).join(', ')}: ${(err as Error).message}; check --listen`)
      throw err
    })
    network = new SwarmNetwork(libp2p, options, handlers)
    return network
  }

  private constructor (libp2p: NetworkLibp2p, options: NetworkOptions, handlers: NetworkHandlers) {
    this.libp2p = libp2p
    this.options = options
    this.handlers = handlers
    this.drops = new DropReporter(handlers.dropped)
    this.gossip = new GossipChannel(libp2p, {
      topic: options.topic,
      maxPayloadBytes: options.maxPayloadBytes,
      reassemblyTimeoutMs: options.reassemblyTimeoutMs,
      allow: options.allow,
      message: (from, message) => {
        if (message.type === 'hello') this.membership.dialIfUnknown(from, message.multiaddrs)
        handlers.message(from, message)
      },
      warn: handlers.warn,
      drops: this.drops
    })
    this.membership = new Membership(libp2p, {
      topic: options.topic,
      memberList: libp2p.services.memberList,
      sayHello: () => { this.sayHello() },
      peerJoined: handlers.peerJoined,
      peerLeft: handlers.peerLeft,
      memberRound: handlers.memberRound,
      memberNamed: handlers.memberNamed,
      heldOffer: handlers.message,
      warn: handlers.warn
    })
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(ma => ma.toString())
  }

  isMember (peer: string): boolean {
    return this.membership.has(peer)
  }

  /** peers connected to us and subscribed to the swarm's topic */
  currentMembers (): string[] {
    return this.membership.list()
  }

  /** Members whose connection dropped and that are being dialled again (they did not refuse). */
  reconnecting (): string[] {
    return this.membership.reconnecting()
  }

  async start (): Promise<void> {
    this.membership.start()
    this.gossip.start()
  }

  /** Joins through the given peers (bootstrap multiaddrs); returns the global model of the first contact that serves it. */
  async join (addresses: string[]): Promise<GlobalMessage | undefined> {
    if (addresses.length === 0) return undefined
    this.membership.rememberContacts(addresses)
    return joinThrough(this.libp2p, addresses, {
      timeoutMs: this.options.joinTimeoutMs ?? JOIN_TIMEOUT_MS,
      privateSwarm: this.options.swarmKey !== undefined,
      modelSync: this.libp2p.services.modelSync,
      warn: this.handlers.warn
    })
  }

  /** Fetches a member's current global model; throws when it cannot. */
  async fetchGlobal (peer: string, options?: AbortOptions): Promise<GlobalMessage> {
    return this.libp2p.services.modelSync.fetch(this.connectedPeer(peer), options)
  }

  /** Fetches the update a member offered for a round (or, with `owner`, the update of `owner` it holds); throws when it cannot. */
  async fetchUpdate (peer: string, round: number, baseHash: string, options?: AbortOptions & { owner?: string }): Promise<UpdateMessage> {
    return this.libp2p.services.updateFetch.fetch(this.connectedPeer(peer), round, baseHash, options)
  }

  /**
   * Publishes a message as chunks, in the background (a failure is reported
   * through `warn`); returns the payload's size in bytes.
   */
  publish (message: SwarmMessage): number {
    return this.gossip.publish(message)
  }

  /** The addresses a member listens on (as identify told them), each ending in /p2p/<its ID>. */
  async addressesOf (peer: string): Promise<string[]> {
    try {
      const known = await this.libp2p.peerStore.get(this.connectedPeer(peer))
      return known.addresses.map(a => `${a.multiaddr.toString()}/p2p/${peer}`)
    } catch {
      return []
    }
  }

  /** Tells the swarm this peer is here, how to reach it and the round it works on. */
  sayHello (): void {
    const { name } = this.options
    this.publish({ type: 'hello', multiaddrs: this.multiaddrs(), round: this.options.currentRound(), modelHash: this.options.currentGlobal().modelHash, ...(name === undefined ? {} : { name }) })
  }

  async stop (): Promise<void> {
    this.membership.stop()
    this.gossip.stop()
    await this.libp2p.stop()
  }

  private connectedPeer (peer: string): PeerId {
    const connection = this.libp2p.getConnections().find(c => c.remotePeer.toString() === peer)
    if (connection === undefined) throw new NotConnectedError('not connected to it')
    return connection.remotePeer
  }
}

/**
 * Checks that each TCP listen address with a fixed port can be bound now;
 * a UserError names the first that cannot, why, and what to do.
 */
async function listenable (addresses: readonly string[]): Promise<void> {
  for (const address of addresses) {
    let host: string
    let port: number
    try {
      const config = getNetConfig(multiaddr(address)) as { type: string, host: string, port?: number, protocol?: string }
      if (config.protocol !== 'tcp' || config.port === undefined || config.port === 0) continue
      host = config.host
      port = config.port
    } catch {
      continue
    }
    const problem = await new Promise<string | undefined>(resolve => {
      const server = createServer()
      server.once('error', (err: NodeJS.ErrnoException) => {
        resolve(err.code === 'EADDRINUSE'
          ? 'the port is in use (another peer or program listens there); choose another port, or tcp/0 to pick a free one'
          : err.code === 'EADDRNOTAVAIL'
            ? 'no interface of this machine has that address'
            : err.code === 'EACCES' ? 'no permission to use that port; use one above 1023' : err.message)
      })
      server.listen({ host, port, exclusive: true }, () => { server.close(() => { resolve(undefined) }) })
    })
    if (problem !== undefined) throw new UserError(`cannot listen on ${address} (--listen): ${problem}`)
  }
}
