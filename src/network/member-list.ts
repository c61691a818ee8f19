/**
 * The direct stream protocol through which a peer learns the other members of
 * the swarm from one it is connected to, so a newcomer that joined through
 * one address finds everyone else, and learns how far the member got (a
 * site that was cut off sees that the swarm is ahead, or finished). The
 * request is a MemberListRequest (swarm.proto), the response a MemberList.
 */
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { MEMBER_LIST_PROTOCOL, MEMBER_LIST_TIMEOUT_MS } from './constants.ts'
import { request, serveRequests } from './request-response.ts'
import { hashBytes, hashText, MalformedMessageError } from '../wire/messages.ts'
import type { OfferMessage } from '../wire/messages.ts'
import { MemberList, MemberListRequest } from '../wire/swarm.js'

export interface MemberAddress { peerId: string, multiaddrs: string[] }

const EXCHANGE = { protocol: MEMBER_LIST_PROTOCOL, timeoutMs: MEMBER_LIST_TIMEOUT_MS }
const MAX_LIST_BYTES = 1024 * 1024
const MAX_MEMBERS = 10_000
const MAX_ADDRESSES = 64

/** A member's list of its members, the round of the newest global model it holds, and its own update for the round it works on. */
export interface MemberListAnswer { members: MemberAddress[], globalRound: number, held?: OfferMessage }

export async function serveMemberList (libp2p: SwarmLibp2p, members: () => string[], globalRound: () => number, held: () => OfferMessage | undefined): Promise<void> {
  await serveRequests(libp2p, EXCHANGE, async (body) => {
    MemberListRequest.decode(body) // throws on garbage: the stream is aborted
    const list: MemberAddress[] = []
    for (const member of members()) {
      const connection = libp2p.getConnections().find(c => c.remotePeer.toString() === member)
      if (connection === undefined) continue
      const peer = await libp2p.peerStore.get(connection.remotePeer)
      list.push({ peerId: member, multiaddrs: peer.addresses.map(a => `${a.multiaddr.toString()}/p2p/${member}`) })
    }
    const offer = held()
    return MemberList.encode({ members: list, globalRound: globalRound(), held: offer === undefined ? undefined : { round: offer.round, baseHash: hashBytes(offer.baseHash), samples: offer.samples, bytes: offer.bytes } })
  })
}

export async function fetchMemberList (libp2p: SwarmLibp2p, peer: PeerId): Promise<MemberListAnswer> {
  const response = await request(libp2p, peer, { ...EXCHANGE, maxResponseBytes: MAX_LIST_BYTES }, MemberListRequest.encode({}))
  let list: MemberList
  try {
    list = MemberList.decode(response, { limits: { members: MAX_MEMBERS, members$: { multiaddrs: MAX_ADDRESSES } } })
  } catch (err) {
    throw new MalformedMessageError(`not a valid protobuf MemberList: ${(err as Error).message}`)
  }
  const { members, globalRound, held } = list
  if (held === undefined) return { members, globalRound }
  return { members, globalRound, held: { type: 'offer', round: held.round, baseHash: hashText(held.baseHash, 'held.baseHash'), samples: held.samples, bytes: held.bytes } }
}
