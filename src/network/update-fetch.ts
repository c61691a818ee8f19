/**
 * The direct stream protocol through which a round's update holders fetch the
 * updates offered on gossip. Sending each update only to the few peers that
 * merge keeps a round's traffic linear in the number of peers, where gossiping
 * every update to every peer grows with its square. Request: an UpdateRequest
 * (swarm.proto). Response: a Message holding the update, or an empty frame
 * when the peer holds no such update or will not give it to the asker (only
 * the round's holders get updates: the shell decides). With `owner`, a
 * holder asks another holder for a third peer's update (its sender left).
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
  /** the encoded update of `owner` for a round and base that this peer gives `asker`, if any */
  held: (round: number, baseHash: string, asker: string, owner?: string) => Uint8Array | undefined
  /** how long one fetch may take (default MODEL_FETCH_TIMEOUT_MS) */
  timeoutMs?: number
}

export class UpdateFetch extends RequestResponseService {
  private readonly held: UpdateFetchInit['held']

  constructor (components: StreamServiceComponents, init: UpdateFetchInit) {
    super(components, { name: 'update-fetch', protocol: UPDATE_FETCH_PROTOCOL, timeoutMs: init.timeoutMs ?? MODEL_FETCH_TIMEOUT_MS, maxResponseBytes: MAX_PAYLOAD_BYTES })
    this.held = init.held
  }

  protected respond (request: Uint8Array, asker: string): Uint8Array {
    try {
      const wanted = UpdateRequest.decode(request)
      return this.held(wanted.round, hashText(wanted.baseHash, 'baseHash'), asker, wanted.owner) ?? new Uint8Array(0)
    } catch {
      // an undecodable request is answered like one for an update this peer does not hold
      return new Uint8Array(0)
    }
  }

  /** Fetches the update a peer offered for a round and base (or, with `owner`, the update of `owner` it holds); throws when it cannot. */
  async fetch (peer: PeerId, round: number, baseHash: string, options: AbortOptions & { owner?: string } = {}): Promise<UpdateMessage> {
    const response = await this.request(peer, UpdateRequest.encode({ round, baseHash: hashBytes(baseHash), owner: options.owner }), options)
    if (response.length === 0) throw new UpdateNotHeldError(`the peer gives no update for round ${round}${options.owner === undefined ? '' : ` of ${options.owner}`}: it holds none, or this peer is not one of the round's holders in its view`)
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
