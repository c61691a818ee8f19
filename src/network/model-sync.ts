/**
 * The direct stream protocol that hands the current global model to a peer
 * that joins (or rejoins) a running swarm. Request: one length-prefixed frame
 * (ignored content, at most 1 KiB). Response: one length-prefixed frame
 * holding an encoded `global` message.
 */
import { lpStream } from '@libp2p/utils'
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'
import { MAX_PAYLOAD_BYTES, MODEL_FETCH_TIMEOUT_MS, MODEL_SYNC_PROTOCOL } from './constants.ts'
import { decodeMessage, encodeMessage, MalformedMessageError } from '../wire/messages.ts'
import type { GlobalMessage } from '../wire/messages.ts'

const REQUEST = new TextEncoder().encode('global')

export async function serveGlobalModel (libp2p: SwarmLibp2p, current: () => GlobalMessage): Promise<void> {
  await libp2p.handle(MODEL_SYNC_PROTOCOL, async (stream) => {
    const signal = AbortSignal.timeout(MODEL_FETCH_TIMEOUT_MS)
    try {
      const lp = lpStream(stream, { maxDataLength: 1024 })
      await lp.read({ signal })
      await lp.write(encodeMessage(current()), { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  })
}

/** Fetches a peer's current global model; throws when it cannot. */
export async function fetchGlobalModel (libp2p: SwarmLibp2p, peer: PeerId): Promise<GlobalMessage> {
  const signal = AbortSignal.timeout(MODEL_FETCH_TIMEOUT_MS)
  const stream = await libp2p.dialProtocol(peer, MODEL_SYNC_PROTOCOL, { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_PAYLOAD_BYTES })
    await lp.write(REQUEST, { signal })
    const response = await lp.read({ signal })
    const message = decodeMessage(response.subarray())
    if (message.type !== 'global') throw new MalformedMessageError(`expected a global model, got a ${message.type} message`)
    await stream.close({ signal })
    return message
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
