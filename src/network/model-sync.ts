/**
 * The direct stream protocol that hands the current global model to a peer
 * that joins (or rejoins) a running swarm. The request is a GlobalRequest
 * (swarm.proto), the response a Message holding the current global model.
 */
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { MAX_PAYLOAD_BYTES, MODEL_FETCH_TIMEOUT_MS, MODEL_SYNC_PROTOCOL } from './constants.ts'
import { request, serveRequests } from './request-response.ts'
import { decodeMessage, encodeMessage, MalformedMessageError } from '../wire/messages.ts'
import type { GlobalMessage } from '../wire/messages.ts'
import { GlobalRequest } from '../wire/swarm.js'

const EXCHANGE = { protocol: MODEL_SYNC_PROTOCOL, timeoutMs: MODEL_FETCH_TIMEOUT_MS }

export async function serveGlobalModel (libp2p: SwarmLibp2p, current: () => GlobalMessage): Promise<void> {
  await serveRequests(libp2p, EXCHANGE, (body) => {
    GlobalRequest.decode(body) // throws on garbage: the stream is aborted, no model is sent
    return encodeMessage(current())
  })
}

/** Fetches a peer's current global model; throws when it cannot. */
export async function fetchGlobalModel (libp2p: SwarmLibp2p, peer: PeerId): Promise<GlobalMessage> {
  const response = await request(libp2p, peer, { ...EXCHANGE, maxResponseBytes: MAX_PAYLOAD_BYTES }, GlobalRequest.encode({}))
  const message = decodeMessage(response)
  if (message.type !== 'global') throw new MalformedMessageError(`expected a global model, got a ${message.type} message`)
  return message
}
