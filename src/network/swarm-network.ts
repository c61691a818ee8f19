/**
 * The network shell: one gossip topic for the swarm's messages (chunked),
 * membership (peers connected to us and subscribed to the topic), discovery
 * (every peer gossips a hello with its addresses; we dial the ones we lack)
 * and the direct model-sync stream.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { multiaddr } from '@multiformats/multiaddr'
import { KEEP_ALIVE } from '@libp2p/interface'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { createSwarmLibp2p } from './libp2p-node.ts'
import type { Libp2pOptions, SwarmLibp2p } from './libp2p-node.ts'
import {
  DIAL_TIMEOUT_MS, EARLY_HELLO_DELAYS_MS, FLOOD_BAN_MS, FLOOD_BURST, FLOOD_MESSAGES_PER_SECOND, FLOOD_STRIKES,
  HELLO_INTERVAL_MS, JOIN_RETRY_MAX_MS, JOIN_TIMEOUT_MS, MAX_PARALLEL_DIALS, MAX_PAYLOAD_BYTES, MAX_RECONNECTING,
  MODEL_SYNC_PROTOCOL, RECONNECT_MAX_BACKOFF_MS, REASSEMBLY_TIMEOUT_MS, ASK_ANOTHER_CONTACT_MS
} from './constants.ts'
import { RateLimiter } from './rate-limit.ts'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { DropReporter } from './drops.ts'
import { UserError } from '../errors.ts'
import { fetchGlobalModel, serveGlobalModel } from './model-sync.ts'
import { fetchMemberList, serveMemberList } from './member-list.ts'
import { fetchUpdate, serveUpdates } from './update-fetch.ts'
import { OversizedPayloadError, Reassembler, splitIntoChunks } from '../wire/chunks.ts'
import type { DropReason } from '../round/validation.ts'
import { decodeMessage, encodeMessage } from '../wire/messages.ts'
import type { GlobalMessage, OfferMessage, SwarmMessage, UpdateMessage } from '../wire/messages.ts'

export interface NetworkHandlers {
  message: (from: string, message: SwarmMessage) => void
  peerJoined: (peer: string) => void
  peerLeft: (peer: string) => void
  /** a member told the round of the newest global model it holds (answering for its member list) */
  memberRound: (peer: string, globalRound: number) => void
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
  /** this peer's own encoded update for a round and base, served to update holders */
  heldUpdate: (round: number, baseHash: string) => Uint8Array | undefined
  /** the offer of this peer's update for the round it works on, if it holds one; told to peers that connect */
  heldOffer?: () => OfferMessage | undefined
  /** how long join() keeps trying to reach the bootstrap peers (default JOIN_TIMEOUT_MS) */
  joinTimeoutMs?: number
}

export class SwarmNetwork {
  readonly drops: DropReporter
  private readonly libp2p: SwarmLibp2p
  private readonly options: NetworkOptions
  private readonly handlers: NetworkHandlers
  private readonly members = new Set<string>()
  /** members we learnt of and will dial, and how many dials run */
  private readonly dialQueue = new Map<string, string[]>()
  private readonly dialing = new Set<string>()
  private readonly reassembler: Reassembler
  private readonly helloTimers: NodeJS.Timeout[] = []
  private readonly rateLimiter = new RateLimiter(FLOOD_MESSAGES_PER_SECOND, FLOOD_BURST)
  /** rejected flood messages per peer, and peers refused until a time */
  private readonly floodStrikes = new Map<string, number>()
  private readonly banned = new Map<string, number>()
  /** members whose connection dropped, dialled again until they answer or refuse, with the pending retry */
  private readonly reconnects = new Map<string, NodeJS.Timeout>()
  private stopping = false
  /** the --peer addresses joined through: dialled again while this peer has no member */
  private bootstrap: string[] = []
  private rejoining = false

  static async create (options: NetworkOptions, handlers: NetworkHandlers): Promise<SwarmNetwork> {
    let network: SwarmNetwork | undefined
    const libp2p = await createSwarmLibp2p(options, { isBanned: peer => network?.isBanned(peer) ?? false })
    network = new SwarmNetwork(libp2p, options, handlers)
    return network
  }

  private constructor (libp2p: SwarmLibp2p, options: NetworkOptions, handlers: NetworkHandlers) {
    this.libp2p = libp2p
    this.options = options
    this.handlers = handlers
    this.drops = new DropReporter(handlers.dropped)
    this.reassembler = new Reassembler({ maxPayloadBytes: options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES, timeoutMs: options.reassemblyTimeoutMs ?? REASSEMBLY_TIMEOUT_MS })
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map(ma => ma.toString())
  }

  isMember (peer: string): boolean {
    return this.members.has(peer)
  }

  /** peers connected to us and subscribed to the swarm's topic */
  currentMembers (): string[] {
    return [...this.members]
  }

  async start (): Promise<void> {
    const pubsub = this.libp2p.services.pubsub
    // every chunk is handled here, in gossipsub's validator, so that a flood or a
    // malformed chunk is rejected: gossipsub neither delivers nor forwards it
    pubsub.topicValidators.set(this.options.topic, (_source, msg) => {
      if (msg.type !== 'signed') return TopicValidatorResult.Reject
      const from = msg.from.toString()
      if (!this.withinRate(from)) return TopicValidatorResult.Reject
      return this.receiveChunk(from, msg.data) ? TopicValidatorResult.Accept : TopicValidatorResult.Reject
    })
    pubsub.addEventListener('subscription-change', (event) => {
      const peer = event.detail.peerId.toString()
      for (const { topic, subscribe } of event.detail.subscriptions) {
        if (topic !== this.options.topic) continue
        if (subscribe) this.memberJoined(peer)
        else this.memberLeft(peer)
      }
    })
    this.libp2p.addEventListener('peer:disconnect', (event) => {
      const peer = event.detail.toString()
      if (this.members.has(peer)) this.reconnect(peer, 1)
      this.memberLeft(peer)
    })
    this.libp2p.addEventListener('peer:connect', (event) => {
      clearTimeout(this.reconnects.get(event.detail.toString()))
      this.reconnects.delete(event.detail.toString())
    })
    await serveGlobalModel(this.libp2p, this.options.currentGlobal)
    await serveMemberList(this.libp2p, () => this.currentMembers(), () => this.options.currentGlobal().round, () => this.options.heldOffer?.())
    await serveUpdates(this.libp2p, this.options.heldUpdate)
    pubsub.subscribe(this.options.topic)
    this.helloTimers.push(setInterval(() => { this.sayHello() }, HELLO_INTERVAL_MS))
    this.helloTimers.push(setInterval(() => { this.rejoinIfAlone() }, RECONNECT_MAX_BACKOFF_MS))
  }

  /**
   * Joins through the given peers (bootstrap multiaddrs): dials them all at
   * once and keeps trying each, backing off, until one answers or the join
   * timeout passes: sites start in any order, and a contact busy with many
   * newcomers may time out. Says once per address what it waits for. Once one
   * answers, no new tries start, but dials under way finish: every contact
   * reached is a member, so a contact that stops answering does not leave
   * this peer alone. Returns the global model of the first contact that
   * serves it.
   */
  async join (addresses: string[]): Promise<GlobalMessage | undefined> {
    if (addresses.length === 0) return undefined
    this.bootstrap = addresses
    const timeoutMs = this.options.joinTimeoutMs ?? JOIN_TIMEOUT_MS
    const deadline = Date.now() + timeoutMs
    const joined = new AbortController()
    const lastProblem = new Map<string, string>()
    const attempts = addresses.map(async address => {
      for (let attempt = 0; ; attempt++) {
        const cutShort = deadline - Date.now() < DIAL_TIMEOUT_MS
        try {
          return await this.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(Math.max(1, Math.min(DIAL_TIMEOUT_MS, deadline - Date.now()))) })
        } catch (err) {
          if (joined.signal.aborted) throw err
          const problem = dialProblem(err, this.options.swarmKey !== undefined)
          if (!lastProblem.has(address)) this.handlers.warn(`waiting for ${address}: ${problem}; trying again until ${new Date(deadline).toLocaleTimeString()} (--join-timeout-ms)`)
          // a last try cut short by the join timeout says less than the tries before it
          if (!cutShort || !isTimeout(err) || !lastProblem.has(address)) lastProblem.set(address, problem)
          const pause = Math.min(JOIN_RETRY_MAX_MS, 1000 * 2 ** attempt)
          if (Date.now() + pause >= deadline) throw err
          await delay(pause, undefined, { signal: joined.signal }).catch(() => {})
          if (joined.signal.aborted) throw err
        }
      }
    })
    let first
    try {
      first = await Promise.any(attempts)
    } catch {
      const problems = [...lastProblem].map(([address, problem]) => `${address}: ${problem}`).join('; ')
      throw new UserError(`could not reach any --peer within ${Math.round(timeoutMs / 1000)} s (--join-timeout-ms): ${problems}. Check the multiaddr, that the peer is running, and that both sides use the same --swarm-key (or none)`)
    }
    joined.abort()
    // the first contact reached is asked for the model; if it has not served it
    // after a few seconds (busy, or frozen since), the others reached are asked too
    const asked = new Set<string>()
    let served = false
    const fetches = attempts.map(async attempt => {
      const contact = await attempt
      if (!contact.remotePeer.equals(first.remotePeer)) await delay(ASK_ANOTHER_CONTACT_MS, undefined, { ref: false })
      const peer = contact.remotePeer.toString()
      if (served || asked.has(peer)) throw new Error('asked another contact')
      asked.add(peer)
      const model = await this.fetchJoinModel(contact)
      served = true
      return model
    })
    try {
      return await Promise.any(fetches)
    } catch (err) {
      const versionMismatch = (err as AggregateError).errors.find(e => e instanceof UserError)
      if (versionMismatch !== undefined) throw versionMismatch
      return undefined
    }
  }

  /** A contact's global model; a UserError when it runs another version of swarm. */
  private async fetchJoinModel (contact: Connection): Promise<GlobalMessage> {
    try {
      return await fetchGlobalModel(this.libp2p, contact.remotePeer)
    } catch (err) {
      if ((err as Error).name === 'UnsupportedProtocolError') {
        throw new UserError(`the peer at ${contact.remoteAddr.toString()} does not speak ${MODEL_SYNC_PROTOCOL}: it runs another version of swarm, and every peer of a swarm needs the same version`)
      }
      this.handlers.warn(`could not fetch the global model from ${contact.remotePeer.toString()}: ${(err as Error).message}`)
      throw err
    }
  }

  /** Members whose connection dropped and that are being dialled again (they did not refuse). */
  reconnecting (): string[] {
    return [...this.reconnects.keys()]
  }

  /** Fetches a member's current global model; throws when it cannot. */
  async fetchGlobal (peer: string): Promise<GlobalMessage> {
    const connection = this.libp2p.getConnections().find(c => c.remotePeer.toString() === peer)
    if (connection === undefined) throw new Error('not connected to it')
    return fetchGlobalModel(this.libp2p, connection.remotePeer)
  }

  /** Fetches the update a member offered for a round; throws when it cannot. */
  async fetchUpdate (peer: string, round: number, baseHash: string): Promise<UpdateMessage> {
    const connection = this.libp2p.getConnections().find(c => c.remotePeer.toString() === peer)
    if (connection === undefined) throw new Error('not connected to it')
    return fetchUpdate(this.libp2p, connection.remotePeer, round, baseHash)
  }

  /**
   * Publishes a message as chunks, in the background (a failure is reported
   * through `warn`); returns the payload's size in bytes.
   */
  publish (message: SwarmMessage): number {
    const payload = encodeMessage(message)
    void this.sendChunks(message.type, splitIntoChunks(payload))
    return payload.length
  }

  private async sendChunks (type: string, chunks: Uint8Array[]): Promise<void> {
    const pubsub = this.libp2p.services.pubsub
    for (const chunk of chunks) {
      try {
        await pubsub.publish(this.options.topic, chunk)
      } catch (err) {
        this.handlers.warn(`publishing a ${type} message failed: ${(err as Error).message}`)
        return
      }
    }
  }

  async stop (): Promise<void> {
    this.stopping = true
    for (const timer of [...this.helloTimers, ...this.reconnects.values()]) clearTimeout(timer)
    this.reconnects.clear()
    await this.libp2p.stop()
  }

  /**
   * A peer with no member dials its --peer addresses again: the contact it
   * joined through may have stopped answering before it met anyone else.
   */
  private rejoinIfAlone (): void {
    if (this.members.size > 0 || this.rejoining || this.stopping) return
    this.rejoining = true
    void Promise.allSettled(this.bootstrap.map(async address => this.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })))
      .finally(() => { this.rejoining = false })
  }

  /**
   * Dials a member whose connection dropped again, backing off, until it
   * answers (a network that healed) or refuses (nothing listens there any
   * more: it stopped). libp2p's own reconnects give up after a few tries; a
   * site cut off for minutes must still find its way back.
   */
  private reconnect (peer: string, attempt: number): void {
    if (this.stopping || (!this.reconnects.has(peer) && this.reconnects.size >= MAX_RECONNECTING)) return
    const backoff = Math.min(RECONNECT_MAX_BACKOFF_MS, 1000 * 2 ** (attempt - 1))
    this.reconnects.set(peer, setTimeout(() => {
      if (this.isConnected(peer)) {
        this.reconnects.delete(peer)
        return
      }
      this.libp2p.dial(peerIdFromString(peer), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).then(() => {
        this.reconnects.delete(peer)
      }, (err: unknown) => {
        if (!this.reconnects.has(peer)) return
        if (refused(err)) this.reconnects.delete(peer)
        else this.reconnect(peer, attempt + 1)
      })
    }, backoff))
  }

  /** Takes one chunk; false when it (or the payload it completes) is malformed or oversized. */
  private receiveChunk (from: string, data: Uint8Array): boolean {
    const now = Date.now()
    for (const sender of this.reassembler.expire(now)) this.drops.drop(sender, 'incomplete', 'the chunks of a payload stopped arriving')
    let message: SwarmMessage
    try {
      const payload = this.reassembler.add(from, data, now)
      if (payload === undefined) return true
      message = decodeMessage(payload)
    } catch (err) {
      this.drops.drop(from, err instanceof OversizedPayloadError ? 'oversized' : 'malformed', (err as Error).message)
      return false
    }
    if (message.type === 'hello') this.dialIfUnknown(from, message.multiaddrs)
    this.handlers.message(from, message)
    return true
  }

  /**
   * Rate-limits the gossip a peer authors. Messages over the limit are
   * rejected (not delivered, not forwarded); a peer that goes on flooding is
   * disconnected and refused for FLOOD_BAN_MS.
   */
  private withinRate (author: string): boolean {
    if (this.rateLimiter.allow(author, Date.now())) return true
    this.drops.drop(author, 'flood', `more than ${FLOOD_MESSAGES_PER_SECOND} messages per second (burst ${FLOOD_BURST})`)
    const strikes = (this.floodStrikes.get(author) ?? 0) + 1
    this.floodStrikes.set(author, strikes)
    if (strikes >= FLOOD_STRIKES) {
      this.floodStrikes.delete(author)
      this.banned.set(author, Date.now() + FLOOD_BAN_MS)
      this.handlers.warn(`disconnecting ${author} for ${FLOOD_BAN_MS / 1000} s: it keeps flooding the swarm`)
      void this.libp2p.hangUp(peerIdFromString(author)).catch(() => {})
    }
    return false
  }

  private isBanned (peer: string): boolean {
    const until = this.banned.get(peer)
    if (until === undefined) return false
    if (Date.now() < until) return true
    this.banned.delete(peer)
    return false
  }

  private memberJoined (peer: string): void {
    if (this.members.has(peer)) return
    this.members.add(peer)
    // libp2p redials keep-alive peers when their connection drops
    void this.libp2p.peerStore.merge(peerIdFromString(peer), { tags: { [KEEP_ALIVE]: { value: 1 } } }).catch(() => {})
    this.handlers.peerJoined(peer)
    // our first member spreads our hello: members with smaller IDs dial us
    if (this.members.size === 1) {
      this.sayHello()
      for (const delay of EARLY_HELLO_DELAYS_MS) this.helloTimers.push(setTimeout(() => { this.sayHello() }, delay))
    }
    void this.dialMembersOf(peer)
  }

  /** Asks a member for its members and dials the ones we lack. */
  private async dialMembersOf (peer: string): Promise<void> {
    const connection = this.libp2p.getConnections().find(c => c.remotePeer.toString() === peer)
    if (connection === undefined) return
    try {
      const { members, globalRound, held } = await fetchMemberList(this.libp2p, connection.remotePeer)
      this.handlers.memberRound(peer, globalRound)
      if (held !== undefined) this.handlers.message(peer, held)
      for (const member of members) this.dialIfUnknown(member.peerId, member.multiaddrs)
    } catch (err) {
      this.handlers.warn(`could not get the member list of ${peer}: ${(err as Error).message}`)
    }
  }

  private memberLeft (peer: string): void {
    if (!this.members.delete(peer)) return
    this.handlers.peerLeft(peer)
  }

  /**
   * Dials a member we learnt of (from a member list or a hello) and have no
   * connection to. Of two peers only the one with the smaller ID dials, so they
   * never open two connections at once; the other learns of it from its hello.
   * At most MAX_PARALLEL_DIALS run at once, so a peer joining a large swarm does
   * not swamp a busy machine with handshakes.
   */
  private dialIfUnknown (peer: string, addresses: string[]): void {
    if (peer <= this.peerId || this.dialing.has(peer) || this.isConnected(peer)) return
    const dialable = addresses.filter(a => a.endsWith(`/p2p/${peer}`) && isMultiaddr(a))
    if (dialable.length > 0) this.dialQueue.set(peer, dialable)
    this.dialNext()
  }

  private dialNext (): void {
    while (this.dialing.size < MAX_PARALLEL_DIALS && this.dialQueue.size > 0) {
      const [peer, addresses] = this.dialQueue.entries().next().value as [string, string[]]
      this.dialQueue.delete(peer)
      if (this.isConnected(peer)) continue
      this.dialing.add(peer)
      this.libp2p.dial(addresses.map(a => multiaddr(a)), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).catch((err: unknown) => {
        // its next hello, or another member's list, brings another try
        this.handlers.warn(`could not dial ${peer}: ${(err as Error).message}`)
      }).finally(() => {
        this.dialing.delete(peer)
        this.dialNext()
      })
    }
  }

  private isConnected (peer: string): boolean {
    return this.libp2p.getConnections().some(c => c.remotePeer.toString() === peer)
  }

  /** Tells the swarm this peer is here, how to reach it and the round it works on. */
  sayHello (): void {
    this.publish({ type: 'hello', multiaddrs: this.multiaddrs(), round: this.options.currentRound(), modelHash: this.options.currentGlobal().modelHash })
  }
}

/**
 * What a failed dial says to the operator. A handshake that fails may be a
 * busy peer (it timed out on its side) as much as one with another swarm key:
 * the two look the same from here.
 */
function dialProblem (err: unknown, privateSwarm: boolean): string {
  const { name, message } = err as Error
  if (refused(err)) return 'nothing listens there yet (connection refused)'
  if (isTimeout(err)) return 'no answer yet (timed out)'
  if (name === 'EncryptionFailedError' || name === 'UnexpectedEOFError') {
    return `the secure handshake failed (${message}): the peer may be busy, or ${privateSwarm ? 'it may hold another --swarm-key' : 'it may be in a private swarm that needs its --swarm-key'}`
  }
  return message
}

function isTimeout (err: unknown): boolean {
  const { name } = err as Error
  return name === 'TimeoutError' || name === 'AbortError'
}

/** Whether a dial failed because nothing listens at the address (every address, for a dial of several). */
function refused (err: unknown): boolean {
  const errors = err instanceof AggregateError ? err.errors : [err]
  return errors.length > 0 && errors.every(e => (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' || /ECONNREFUSED/.test((e as Error).message))
}

/** Whether a string parses as a multiaddr; hellos and member lists come from other peers. */
function isMultiaddr (address: string): boolean {
  try {
    multiaddr(address)
    return true
  } catch {
    return false
  }
}
