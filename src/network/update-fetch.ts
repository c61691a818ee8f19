/**
 * The direct stream protocol through which a round's update holders fetch the
 * updates offered on gossip. Sending each update only to the few peers that
 * merge keeps a round's traffic linear in the number of peers, where gossiping
 * every update to every peer grows with its square. Request: an UpdateRequest
 * (swarm.proto). Response: a Message holding the update, or an empty frame
 * when the peer holds no such update.
 */
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { MAX_PAYLOAD_BYTES, MODEL_FETCH_TIMEOUT_MS, UPDATE_FETCH_PROTOCOL } from './constants.ts'
import { request, serveRequests } from './request-response.ts'
import { decodeMessage, hashBytes, hashText, MalformedMessageError } from '../wire/messages.ts'
import { UpdateRequest } from '../wire/swarm.js'
import type { UpdateMessage } from '../wire/messages.ts'

const EXCHANGE = { protocol: UPDATE_FETCH_PROTOCOL, timeoutMs: MODEL_FETCH_TIMEOUT_MS }

/** Serves this peer's own updates: `held` returns the encoded update for a round and base, if any. */
export async function serveUpdates (libp2p: SwarmLibp2p, held: (round: number, baseHash: string) => Uint8Array | undefined): Promise<void> {
  await serveRequests(libp2p, EXCHANGE, (body) => {
    try {
      const wanted = UpdateRequest.decode(body)
      return held(wanted.round, hashText(wanted.baseHash, 'baseHash')) ?? new Uint8Array(0)
    } catch {
      // an undecodable request is answered like one for an update this peer does not hold
      return new Uint8Array(0)
    }
  })
}

export async function fetchUpdate (libp2p: SwarmLibp2p, peer: PeerId, round: number, baseHash: string): Promise<UpdateMessage> {
  const body = UpdateRequest.encode({ round, baseHash: hashBytes(baseHash) })
  const response = await request(libp2p, peer, { ...EXCHANGE, maxResponseBytes: MAX_PAYLOAD_BYTES }, body)
  if (response.length === 0) throw new MalformedMessageError(`the peer holds no update for round ${round}`)
  const message = decodeMessage(response)
  if (message.type !== 'update' || message.round !== round || message.baseHash !== baseHash) {
    throw new MalformedMessageError(`asked for the update of round ${round} and got another message`)
  }
  return message
}
