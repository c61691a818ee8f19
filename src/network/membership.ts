/**
 * Who is in the swarm: the peers connected to us and subscribed to the
 * swarm's topic. Discovery: every peer gossips a hello with its addresses and
 * hands its member list to peers that connect; we dial the members we lack.
 * Members whose connection drops are dialled again until they answer or
 * refuse, and a peer left with no member dials the addresses it joined
 * through again.
 */
import { KEEP_ALIVE } from '@libp2p/interface'
import type { Startable } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { SwarmLibp2p } from './libp2p-node.ts'
import type { MemberList } from './member-list.ts'
import { EARLY_HELLO_DELAYS_MS, HELLO_INTERVAL_MS, MAX_RECONNECTING, RECONNECT_MAX_BACKOFF_MS } from './constants.ts'
import { refused } from './dial-errors.ts'
import type { OfferMessage } from '../wire/messages.ts'

export interface MembershipInit {
  topic: string
  memberList: MemberList
  /** gossips this peer's hello: how to reach it */
  sayHello: () => void
  peerJoined: (peer: string) => void
  peerLeft: (peer: string) => void
  /** a member told the round and hash of the newest global model it holds (answering for its member list) */
  memberRound: (peer: string, globalRound: number, globalHash: string) => void
  /** a member told of the update it holds for the round it works on (answering for its member list) */
  heldOffer: (peer: string, offer: OfferMessage) => void
  /** a member told its --name (answering for its member list) */
  memberNamed?: (peer: string, name: string) => void
  warn: (text: string) => void
}

export class Membership implements Startable {
  private readonly libp2p: SwarmLibp2p
  private readonly init: MembershipInit
  private readonly members = new Set<string>()
  private readonly helloTimers: NodeJS.Timeout[] = []
  /** members whose connection dropped, dialled again until they answer or refuse, with the pending retry */
  private readonly reconnects = new Map<string, NodeJS.Timeout>()
  /** the --peer addresses joined through: dialled again while this peer has no member */
  private contacts: string[] = []
  private rejoining = false
  private stopping = false

  constructor (libp2p: SwarmLibp2p, init: MembershipInit) {
    this.libp2p = libp2p
    this.init = init
  }

  start (): void {
    this.libp2p.services.pubsub.addEventListener('subscription-change', (event) => {
      const peer = event.detail.peerId.toString()
      for (const { topic, subscribe } of event.detail.subscriptions) {
        if (topic !== this.init.topic) continue
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
    this.helloTimers.push(setInterval(() => { this.init.sayHello() }, HELLO_INTERVAL_MS))
    this.helloTimers.push(setInterval(() => { this.rejoinIfAlone() }, RECONNECT_MAX_BACKOFF_MS))
  }

  /** Keeps listening while the node stops: its connections close, and members leave as they do. */
  stop (): void {
    this.stopping = true
    for (const timer of [...this.helloTimers, ...this.reconnects.values()]) clearTimeout(timer)
    this.reconnects.clear()
  }

  has (peer: string): boolean {
    return this.members.has(peer)
  }

  list (): string[] {
    return [...this.members]
  }

  /** Members whose connection dropped and that are being dialled again (they did not refuse). */
  reconnecting (): string[] {
    return [...this.reconnects.keys()]
  }

  /** The addresses this peer joined through, dialled again whenever it is left with no member. */
  rememberContacts (addresses: string[]): void {
    this.contacts = addresses
  }

  /**
   * Dials a member we learnt of (from a member list or a hello) and have no
   * connection to. Of two peers only the one with the smaller ID dials, so they
   * never open two connections at once; the other learns of it from its hello.
   * libp2p's dial queue bounds how many dials run at once (MAX_PARALLEL_DIALS).
   */
  dialIfUnknown (peer: string, addresses: string[]): void {
    if (peer <= this.libp2p.peerId.toString() || this.isConnected(peer) || this.isDialing(peer)) return
    const dialable = addresses.filter(a => a.endsWith(`/p2p/${peer}`) && isMultiaddr(a))
    if (dialable.length === 0) return
    this.libp2p.dial(dialable.map(a => multiaddr(a))).catch((err: unknown) => {
      // its next hello, or another member's list, brings another try
      this.init.warn(`could not dial ${peer}: ${(err as Error).message}`)
    })
  }

  private memberJoined (peer: string): void {
    if (this.members.has(peer)) return
    this.members.add(peer)
    // libp2p redials keep-alive peers when their connection drops
    void this.libp2p.peerStore.merge(peerIdFromString(peer), { tags: { [KEEP_ALIVE]: { value: 1 } } }).catch(() => {})
    this.init.peerJoined(peer)
    // our first member spreads our hello: members with smaller IDs dial us
    if (this.members.size === 1) {
      this.init.sayHello()
      for (const delay of EARLY_HELLO_DELAYS_MS) this.helloTimers.push(setTimeout(() => { this.init.sayHello() }, delay))
    }
    void this.dialMembersOf(peer)
  }

  private memberLeft (peer: string): void {
    if (!this.members.delete(peer)) return
    this.init.peerLeft(peer)
  }

  /** Asks a member for its members and dials the ones we lack. */
  private async dialMembersOf (peer: string): Promise<void> {
    const connection = this.libp2p.getConnections().find(c => c.remotePeer.toString() === peer)
    if (connection === undefined) return
    try {
      const { members, globalRound, globalHash, held, name } = await this.init.memberList.fetch(connection.remotePeer)
      if (name !== undefined) this.init.memberNamed?.(peer, name)
      this.init.memberRound(peer, globalRound, globalHash)
      if (held !== undefined) this.init.heldOffer(peer, held)
      for (const member of members) this.dialIfUnknown(member.peerId, member.multiaddrs)
    } catch (err) {
      this.init.warn(`could not get the member list of ${peer}: ${(err as Error).message}`)
    }
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
      this.libp2p.dial(peerIdFromString(peer)).then(() => {
        this.reconnects.delete(peer)
      }, (err: unknown) => {
        if (!this.reconnects.has(peer)) return
        if (refused(err)) this.reconnects.delete(peer)
        else this.reconnect(peer, attempt + 1)
      })
    }, backoff))
  }

  /** A peer with no member dials its contacts again: the one it joined through may have stopped answering before it met anyone else. */
  private rejoinIfAlone (): void {
    if (this.members.size > 0 || this.rejoining || this.stopping) return
    this.rejoining = true
    void Promise.allSettled(this.contacts.map(async address => this.libp2p.dial(multiaddr(address))))
      .finally(() => { this.rejoining = false })
  }

  private isConnected (peer: string): boolean {
    return this.libp2p.getConnections().some(c => c.remotePeer.toString() === peer)
  }

  private isDialing (peer: string): boolean {
    return this.libp2p.getDialQueue().some(dial => dial.peerId?.toString() === peer)
  }
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
