/**
 * The direct stream protocol through which a peer learns the other members of
 * the swarm from one it is connected to, so a newcomer that joined through
 * one address dials everyone else. Request: one length-prefixed frame (content
 * ignored, at most 1 KiB). Response: one length-prefixed frame, UTF-8 JSON
 * `[{ "peerId": string, "multiaddrs": string[] }]`.
 */
import { lpStream } from '@libp2p/utils'
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { MEMBER_LIST_PROTOCOL, MEMBER_LIST_TIMEOUT_MS } from './constants.ts'
import { MalformedMessageError } from '../wire/messages.ts'

export interface MemberAddress { peerId: string, multiaddrs: string[] }

const MAX_LIST_BYTES = 1024 * 1024
const REQUEST = new TextEncoder().encode('members')

export async function serveMemberList (libp2p: SwarmLibp2p, members: () => string[]): Promise<void> {
  await libp2p.handle(MEMBER_LIST_PROTOCOL, async (stream) => {
    const signal = AbortSignal.timeout(MEMBER_LIST_TIMEOUT_MS)
    try {
      const lp = lpStream(stream, { maxDataLength: 1024 })
      await lp.read({ signal })
      const list: MemberAddress[] = []
      for (const member of members()) {
        const connection = libp2p.getConnections().find(c => c.remotePeer.toString() === member)
        if (connection === undefined) continue
        const peer = await libp2p.peerStore.get(connection.remotePeer)
        list.push({ peerId: member, multiaddrs: peer.addresses.map(a => `${a.multiaddr.toString()}/p2p/${member}`) })
      }
      await lp.write(new TextEncoder().encode(JSON.stringify(list)), { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  })
}

export async function fetchMemberList (libp2p: SwarmLibp2p, peer: PeerId): Promise<MemberAddress[]> {
  const signal = AbortSignal.timeout(MEMBER_LIST_TIMEOUT_MS)
  const stream = await libp2p.dialProtocol(peer, MEMBER_LIST_PROTOCOL, { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_LIST_BYTES })
    await lp.write(REQUEST, { signal })
    const response = await lp.read({ signal })
    await stream.close({ signal })
    return parseMemberList(response.subarray())
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

function parseMemberList (bytes: Uint8Array): MemberAddress[] {
  let list: unknown
  try {
    list = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    throw new MalformedMessageError('member list is not valid JSON')
  }
  const valid = Array.isArray(list) && list.every(m =>
    typeof m === 'object' && m !== null && typeof m.peerId === 'string' &&
    Array.isArray(m.multiaddrs) && m.multiaddrs.every((a: unknown) => typeof a === 'string'))
  if (!valid) throw new MalformedMessageError('member list must be a list of { peerId, multiaddrs }')
  return list as MemberAddress[]
}
