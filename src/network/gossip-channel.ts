/**
 * The swarm's gossip topic. Every chunk is handled inside gossipsub's topic
 * validator, so that a flood or a malformed chunk is rejected: gossipsub
 * neither delivers nor forwards it. Payloads go out in chunks and come back
 * together per author; a peer that keeps flooding is disconnected and refused
 * for FLOOD_BAN_MS.
 */
import type { Startable } from '@libp2p/interface'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { FLOOD_BAN_MS, FLOOD_BURST, FLOOD_MESSAGES_PER_SECOND, FLOOD_STRIKES, MAX_PAYLOAD_BYTES, REASSEMBLY_TIMEOUT_MS } from './constants.ts'
import type { DropReporter } from './drops.ts'
import { RateLimiter } from './rate-limit.ts'
import { OversizedPayloadError, Reassembler, splitIntoChunks } from '../wire/chunks.ts'
import { decodeMessage, encodeMessage } from '../wire/messages.ts'
import type { SwarmMessage } from '../wire/messages.ts'

export interface GossipChannelInit {
  topic: string
  /** payloads over this size are refused (default MAX_PAYLOAD_BYTES) */
  maxPayloadBytes?: number
  /** a payload whose chunks stop arriving is dropped after this long (default REASSEMBLY_TIMEOUT_MS) */
  reassemblyTimeoutMs?: number
  /** with an allow-list: only these authors are heard, even when an allowed peer relays another's message */
  allow?: readonly string[]
  /** a whole message arrived */
  message: (from: string, message: SwarmMessage) => void
  warn: (text: string) => void
  drops: DropReporter
}

export class GossipChannel implements Startable {
  private readonly libp2p: SwarmLibp2p
  private readonly init: GossipChannelInit
  private readonly reassembler: Reassembler
  private readonly rateLimiter = new RateLimiter(FLOOD_MESSAGES_PER_SECOND, FLOOD_BURST)
  /** rejected flood messages per peer, and peers refused until a time */
  private readonly floodStrikes = new Map<string, number>()
  private readonly banned = new Map<string, number>()
  private readonly allowed: ReadonlySet<string> | undefined

  constructor (libp2p: SwarmLibp2p, init: GossipChannelInit) {
    this.libp2p = libp2p
    this.init = init
    this.allowed = init.allow === undefined ? undefined : new Set(init.allow)
    this.reassembler = new Reassembler({ maxPayloadBytes: init.maxPayloadBytes ?? MAX_PAYLOAD_BYTES, timeoutMs: init.reassemblyTimeoutMs ?? REASSEMBLY_TIMEOUT_MS })
  }

  start (): void {
    const pubsub = this.libp2p.services.pubsub
    pubsub.topicValidators.set(this.init.topic, (_source, msg) => {
      if (msg.type !== 'signed') return TopicValidatorResult.Reject
      const from = msg.from.toString()
      // the connection gater keeps unlisted peers off our connections; a listed peer may still relay what they author
      if (this.allowed !== undefined && !this.allowed.has(from)) {
        this.init.drops.drop(from, 'not-allowed', 'a message authored by a peer that is not on the allow-list, relayed by one that is')
        return TopicValidatorResult.Reject
      }
      if (!this.withinRate(from)) return TopicValidatorResult.Reject
      return this.receiveChunk(from, msg.data) ? TopicValidatorResult.Accept : TopicValidatorResult.Reject
    })
    pubsub.subscribe(this.init.topic)
  }

  /** Does not unsubscribe: the node's own stop closes every connection, which members already take as this peer leaving. */
  stop (): void {
    this.libp2p.services.pubsub.topicValidators.delete(this.init.topic)
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

  isBanned (peer: string): boolean {
    const until = this.banned.get(peer)
    if (until === undefined) return false
    if (Date.now() < until) return true
    this.banned.delete(peer)
    return false
  }

  private async sendChunks (type: string, chunks: Uint8Array[]): Promise<void> {
    for (const chunk of chunks) {
      try {
        await this.libp2p.services.pubsub.publish(this.init.topic, chunk)
      } catch (err) {
        this.init.warn(`publishing a ${type} message failed: ${(err as Error).message}`)
        return
      }
    }
  }

  /** Takes one chunk; false when it (or the payload it completes) is malformed or oversized. */
  private receiveChunk (from: string, data: Uint8Array): boolean {
    const now = Date.now()
    for (const sender of this.reassembler.expire(now)) this.init.drops.drop(sender, 'incomplete', 'the chunks of a payload stopped arriving')
    let message: SwarmMessage
    try {
      const payload = this.reassembler.add(from, data, now)
      if (payload === undefined) return true
      message = decodeMessage(payload)
    } catch (err) {
      this.init.drops.drop(from, err instanceof OversizedPayloadError ? 'oversized' : 'malformed', (err as Error).message)
      return false
    }
    try {
      this.init.message(from, message)
    } catch (err) {
      // a message the peer fails to handle is dropped like a malformed one: no message may end the process
      this.init.drops.drop(from, 'malformed', `handling its ${message.type} message failed: ${(err as Error).message}`)
    }
    return true
  }

  /** Rate-limits the gossip a peer authors; a peer that goes on flooding is disconnected and refused for FLOOD_BAN_MS. */
  private withinRate (author: string): boolean {
    if (this.rateLimiter.allow(author, Date.now())) return true
    this.init.drops.drop(author, 'flood', `more than ${FLOOD_MESSAGES_PER_SECOND} messages per second (burst ${FLOOD_BURST})`)
    const strikes = (this.floodStrikes.get(author) ?? 0) + 1
    this.floodStrikes.set(author, strikes)
    if (strikes >= FLOOD_STRIKES) {
      this.floodStrikes.delete(author)
      this.banned.set(author, Date.now() + FLOOD_BAN_MS)
      this.init.warn(`disconnecting ${author} for ${FLOOD_BAN_MS / 1000} s: it keeps flooding the swarm`)
      void this.libp2p.hangUp(peerIdFromString(author)).catch(() => {})
    }
    return false
  }
}
