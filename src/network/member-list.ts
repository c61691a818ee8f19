/**
 * The direct stream protocol through which a peer learns the other members of
 * the swarm from one it is connected to, so a newcomer that joined through
 * one address finds everyone else. The response is UTF-8 JSON
 * `[{ "peerId": string, "multiaddrs": string[] }]`.
 */
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { MEMBER_LIST_PROTOCOL, MEMBER_LIST_TIMEOUT_MS } from './constants.ts'
import { request, serveRequests } from './request-response.ts'
import { MalformedMessageError } from '../wire/messages.ts'

export interface MemberAddress { peerId: string, multiaddrs: string[] }

const EXCHANGE = { protocol: MEMBER_LIST_PROTOCOL, timeoutMs: MEMBER_LIST_TIMEOUT_MS }
const MAX_LIST_BYTES = 1024 * 1024

export async function serveMemberList (libp2p: SwarmLibp2p, members: () => string[]): Promise<void> {
  await serveRequests(libp2p, EXCHANGE, async () => {
    const list: MemberAddress[] = []
    for (const member of members()) {
      const connection = libp2p.getConnections().find(c => c.remotePeer.toString() === member)
      if (connection === undefined) continue
      const peer = await libp2p.peerStore.get(connection.remotePeer)
      list.push({ peerId: member, multiaddrs: peer.addresses.map(a => `${a.multiaddr.toString()}/p2p/${member}`) })
    }
    return new TextEncoder().encode(JSON.stringify(list))
  })
}

export async function fetchMemberList (libp2p: SwarmLibp2p, peer: PeerId): Promise<MemberAddress[]> {
  const response = await request(libp2p, peer, { ...EXCHANGE, maxResponseBytes: MAX_LIST_BYTES }, new TextEncoder().encode('members'))
  let list: unknown
  try {
    list = JSON.parse(new TextDecoder().decode(response))
  } catch {
    throw new MalformedMessageError('member list is not valid JSON')
  }
  const valid = Array.isArray(list) && list.every(m =>
    typeof m === 'object' && m !== null && typeof m.peerId === 'string' &&
    Array.isArray(m.multiaddrs) && m.multiaddrs.every((a: unknown) => typeof a === 'string'))
  if (!valid) throw new MalformedMessageError('member list must be a list of { peerId, multiaddrs }')
  return list as MemberAddress[]
}
