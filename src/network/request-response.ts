/**
 * One request, one response, over a direct libp2p stream: the asker writes one
 * length-prefixed frame, the server answers with one and closes the stream.
 * Used by the model-sync and member-list protocols.
 */
import { lpStream } from '@libp2p/utils'
import type { PeerId } from '@libp2p/interface'
import type { SwarmLibp2p } from './libp2p-node.ts'

/** requests carry no data worth more than this */
const MAX_REQUEST_BYTES = 1024

export interface ExchangeOptions {
  protocol: string
  timeoutMs: number
}

export async function serveRequests (libp2p: SwarmLibp2p, options: ExchangeOptions, respond: (request: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<void> {
  await libp2p.handle(options.protocol, async (stream) => {
    const signal = AbortSignal.timeout(options.timeoutMs)
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES })
      const body = await lp.read({ signal })
      await lp.write(await respond(body.subarray()), { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  })
}

/** Sends `request` to `peer` and returns its response; throws on any failure or timeout. */
export async function request (libp2p: SwarmLibp2p, peer: PeerId, options: ExchangeOptions & { maxResponseBytes: number }, body: Uint8Array): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  const stream = await libp2p.dialProtocol(peer, options.protocol, { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: options.maxResponseBytes, maxBufferSize: options.maxResponseBytes })
    await lp.write(body, { signal })
    const response = await lp.read({ signal })
    await stream.close({ signal })
    return response.subarray()
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
