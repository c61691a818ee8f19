/**
 * The direct stream protocol through which a round's update holders fetch the
 * updates offered on gossip. Sending each update only to the few peers that
 * merge keeps a round's traffic linear in the number of peers, where gossiping
 * every update to every peer grows with its square. Request: an UpdateRequest
 * (swarm.proto). Response: a Message holding the update, or an empty frame
 * when the peer holds no such update.
 */
import type { AbortOptions, PeerId } from '@libp2p/interface'
import { MAX_PAYLOAD_BYTES, MODEL_FETCH_TIMEOUT_MS, UPDATE_FETCH_PROTOCOL } from './constants.ts'
import { UpdateNotHeldError } from './errors.ts'
import { RequestResponseService } from './request-response.ts'
import type { StreamServiceComponents } from './request-response.ts'
import { decodeMessage, hashBytes, hashText, MalformedMessageError } from '../wire/messages.ts'
import type { UpdateMessage } from '../wire/messages.ts'
import { UpdateRequest } from '../wire/swarm.js'

export interface UpdateFetchInit {
  /** this peer's own encoded update for a round and base, if it holds one */
  held: (round: number, baseHash: string) => Uint8Array | undefined
  /** how long one fetch may take (default MODEL_FETCH_TIMEOUT_MS) */
  timeoutMs?: number
}

export class UpdateFetch extends RequestResponseService {
  private readonly held: (round: number, baseHash: string) => Uint8Array | undefined

  constructor (components: StreamServiceComponents, init: UpdateFetchInit) {
    super(components, { name: 'update-fetch', protocol: UPDATE_FETCH_PROTOCOL, timeoutMs: init.timeoutMs ?? MODEL_FETCH_TIMEOUT_MS, maxResponseBytes: MAX_PAYLOAD_BYTES })
    this.held = init.held
  }

  protected respond (request: Uint8Array): Uint8Array {
    try {
      const wanted = UpdateRequest.decode(request)
      return this.held(wanted.round, hashText(wanted.baseHash, 'baseHash')) ?? new Uint8Array(0)
    } catch {
      // an undecodable request is answered like one for an update this peer does not hold
      return new Uint8Array(0)
    }
  }

  /** Fetches the update a peer offered for a round and base; throws when it cannot. */
  async fetch (peer: PeerId, round: number, baseHash: string, options: AbortOptions = {}): Promise<UpdateMessage> {
    const response = await this.request(peer, UpdateRequest.encode({ round, baseHash: hashBytes(baseHash) }), options)
    if (response.length === 0) throw new UpdateNotHeldError(`the peer holds no update for round ${round}`)
    const message = decodeMessage(response)
    if (message.type !== 'update' || message.round !== round || message.baseHash !== baseHash) {
      throw new MalformedMessageError(`asked for the update of round ${round} and got another message`)
    }
    return message
  }
}

export function updateFetch (init: UpdateFetchInit): (components: StreamServiceComponents) => UpdateFetch {
  return (components) => new UpdateFetch(components, init)
}
