/**
 * The direct stream protocol through which a peer learns the other members of
 * the swarm from one it is connected to, so a newcomer that joined through
 * one address finds everyone else, and learns how far the member got (a
 * site that was cut off sees that the swarm is ahead, or finished). The
 * request is a MemberListRequest (swarm.proto), the response a MemberList.
 */
import type { AbortOptions, Connection, PeerId, PeerStore } from '@libp2p/interface'
import { MAX_LISTED_MEMBERS, MAX_MEMBER_ADDRESSES, MAX_MEMBER_LIST_BYTES, MEMBER_LIST_PROTOCOL, MEMBER_LIST_TIMEOUT_MS } from './constants.ts'
import { RequestResponseService } from './request-response.ts'
import type { StreamServiceComponents } from './request-response.ts'
import { hashBytes, hashText, MalformedMessageError, PEER_NAME } from '../wire/messages.ts'
import type { OfferMessage } from '../wire/messages.ts'
import { MemberList as MemberListCodec, MemberListRequest } from '../wire/swarm.js'

export interface MemberAddress { peerId: string, multiaddrs: string[] }

/** A member's list of its members, the round and hash of the newest global model it holds, its own update for the round it works on, and its --name. */
export interface MemberListAnswer { members: MemberAddress[], globalRound: number, globalHash: string, held?: OfferMessage, name?: string }

export interface MemberListComponents extends StreamServiceComponents {
  connectionManager: StreamServiceComponents['connectionManager'] & { getConnections: () => Connection[] }
  peerStore: Pick<PeerStore, 'get'>
}

export interface MemberListInit {
  /** this peer's members: peers connected to it and subscribed to the swarm's topic */
  members: () => string[]
  /** the round and model hash of the newest global model this peer holds */
  global: () => { round: number, modelHash: string }
  /** the offer of this peer's own update for the round it works on, if it holds one */
  held: () => OfferMessage | undefined
  /** this peer's --name, if it has one */
  name?: string
  /** how long one fetch may take (default MEMBER_LIST_TIMEOUT_MS) */
  timeoutMs?: number
}

export class MemberList extends RequestResponseService {
  private readonly connectionManager: MemberListComponents['connectionManager']
  private readonly peerStore: MemberListComponents['peerStore']
  private readonly init: MemberListInit

  constructor (components: MemberListComponents, init: MemberListInit) {
    super(components, { name: 'member-list', protocol: MEMBER_LIST_PROTOCOL, timeoutMs: init.timeoutMs ?? MEMBER_LIST_TIMEOUT_MS, maxResponseBytes: MAX_MEMBER_LIST_BYTES })
    this.connectionManager = components.connectionManager
    this.peerStore = components.peerStore
    this.init = init
  }

  protected async respond (request: Uint8Array): Promise<Uint8Array> {
    MemberListRequest.decode(request) // throws on garbage: the stream is aborted
    const list: MemberAddress[] = []
    for (const member of this.init.members()) {
      const connection = this.connectionManager.getConnections().find(c => c.remotePeer.toString() === member)
      if (connection === undefined) continue
      const peer = await this.peerStore.get(connection.remotePeer)
      list.push({ peerId: member, multiaddrs: peer.addresses.map(a => `${a.multiaddr.toString()}/p2p/${member}`) })
    }
    const offer = this.init.held()
    const held = offer === undefined ? undefined : { round: offer.round, baseHash: hashBytes(offer.baseHash), samples: offer.samples, bytes: offer.bytes, updateHash: hashBytes(offer.updateHash), maskedWith: offer.maskedWith }
    const global = this.init.global()
    return MemberListCodec.encode({ members: list, globalRound: global.round, globalHash: hashBytes(global.modelHash), held, name: this.init.name })
  }

  /** Fetches a peer's member list; throws when it cannot. */
  async fetch (peer: PeerId, options: AbortOptions = {}): Promise<MemberListAnswer> {
    const response = await this.request(peer, MemberListRequest.encode({}), options)
    let list: MemberListCodec
    try {
      list = MemberListCodec.decode(response, { limits: { members: MAX_LISTED_MEMBERS, members$: { multiaddrs: MAX_MEMBER_ADDRESSES }, held$: { maskedWith: MAX_LISTED_MEMBERS } } })
    } catch (err) {
      throw new MalformedMessageError(`not a valid protobuf MemberList: ${(err as Error).message}`)
    }
    const { members, globalRound, held, name } = list
    if (name !== undefined && !PEER_NAME.test(name)) throw new MalformedMessageError(`a member list whose name is not a peer name: ${JSON.stringify(name.slice(0, 50))}`)
    const answer = { members, globalRound, globalHash: hashText(list.globalHash, 'globalHash'), ...(name === undefined ? {} : { name }) }
    if (held === undefined) return answer
    const { round, samples, bytes, maskedWith } = held
    return { ...answer, held: { type: 'offer', round, baseHash: hashText(held.baseHash, 'held.baseHash'), samples, bytes, updateHash: hashText(held.updateHash, 'held.updateHash'), maskedWith } }
  }
}

export function memberList (init: MemberListInit): (components: MemberListComponents) => MemberList {
  return (components) => new MemberList(components, init)
}
