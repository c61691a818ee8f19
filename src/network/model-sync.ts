/**
 * The direct stream protocol that hands the current global model to a peer
 * that joins (or rejoins, or catches up with) a running swarm. The request is
 * a GlobalRequest (swarm.proto), the response a Message holding the current
 * global model.
 */
import type { AbortOptions, PeerId } from '@libp2p/interface'
import { MAX_PAYLOAD_BYTES, MODEL_FETCH_TIMEOUT_MS, MODEL_SYNC_PROTOCOL } from './constants.ts'
import { RequestResponseService } from './request-response.ts'
import type { StreamServiceComponents } from './request-response.ts'
import { decodeMessage, encodeMessage, MalformedMessageError } from '../wire/messages.ts'
import type { GlobalMessage } from '../wire/messages.ts'
import { GlobalRequest } from '../wire/swarm.js'

export interface ModelSyncInit {
  /** the global model this peer holds now, served to peers that ask */
  current: () => GlobalMessage
  /** how long one fetch may take (default MODEL_FETCH_TIMEOUT_MS) */
  timeoutMs?: number
}

export class ModelSync extends RequestResponseService {
  private readonly current: () => GlobalMessage

  constructor (components: StreamServiceComponents, init: ModelSyncInit) {
    super(components, { name: 'model-sync', protocol: MODEL_SYNC_PROTOCOL, timeoutMs: init.timeoutMs ?? MODEL_FETCH_TIMEOUT_MS, maxResponseBytes: MAX_PAYLOAD_BYTES })
    this.current = init.current
  }

  protected respond (request: Uint8Array): Uint8Array {
    GlobalRequest.decode(request) // throws on garbage: the stream is aborted, no model is sent
    return encodeMessage(this.current())
  }

  /** Fetches a peer's current global model; throws when it cannot. */
  async fetch (peer: PeerId, options: AbortOptions = {}): Promise<GlobalMessage> {
    const message = decodeMessage(await this.request(peer, GlobalRequest.encode({}), options))
    if (message.type !== 'global') throw new MalformedMessageError(`expected a global model, got a ${message.type} message`)
    return message
  }
}

export function modelSync (init: ModelSyncInit): (components: StreamServiceComponents) => ModelSync {
  return (components) => new ModelSync(components, init)
}
