/**
 * The shape shared by the swarm's direct stream protocols, after libp2p's ping
 * service: one request, one response. The asker writes one length-prefixed
 * frame, the server answers with one and closes the stream. A service answers
 * only between start() and stop(), so a stopped node tells askers it does not
 * speak the protocol rather than leaving them to time out.
 */
import { lpStream } from '@libp2p/utils'
import type { AbortOptions, ComponentLogger, Connection, Logger, PeerId, Startable, Stream, StreamHandler } from '@libp2p/interface'
import { MAX_REQUEST_BYTES } from './constants.ts'

/** What a direct-stream service needs of the libp2p node: a subset of libp2p's components. */
export interface StreamServiceComponents {
  registrar: {
    handle: (protocol: string, handler: StreamHandler) => Promise<void>
    unhandle: (protocol: string) => Promise<void>
  }
  connectionManager: {
    openStream: (peer: PeerId, protocol: string, options?: AbortOptions) => Promise<Stream>
  }
  logger: ComponentLogger
}

export interface ExchangeInit {
  /** names the service in logs */
  name: string
  protocol: string
  /** how long one exchange may take, on either side */
  timeoutMs: number
  maxResponseBytes: number
}

export abstract class RequestResponseService implements Startable {
  private readonly components: StreamServiceComponents
  private readonly exchange: ExchangeInit
  private readonly log: Logger

  constructor (components: StreamServiceComponents, exchange: ExchangeInit) {
    this.components = components
    this.exchange = exchange
    this.log = components.logger.forComponent(`swarm:${exchange.name}`)
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(this.exchange.protocol, async (stream, connection) => { await this.answer(stream, connection) })
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(this.exchange.protocol)
  }

  /** The response to one request from `asker` (the authenticated remote peer); throwing aborts the stream, so the asker gets no answer. */
  protected abstract respond (request: Uint8Array, asker: string): Uint8Array | Promise<Uint8Array>

  /** Sends `body` to `peer` and returns its response; throws on any failure, on timeout, or when `options.signal` aborts. */
  protected async request (peer: PeerId, body: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array> {
    const timeout = AbortSignal.timeout(this.exchange.timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    const stream = await this.components.connectionManager.openStream(peer, this.exchange.protocol, { signal })
    try {
      const lp = lpStream(stream, { maxDataLength: this.exchange.maxResponseBytes, maxBufferSize: this.exchange.maxResponseBytes })
      await lp.write(body, { signal })
      const response = await lp.read({ signal })
      await stream.close({ signal })
      return response.subarray()
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  private async answer (stream: Stream, connection: Connection): Promise<void> {
    const signal = AbortSignal.timeout(this.exchange.timeoutMs)
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES })
      const body = await lp.read({ signal })
      await lp.write(await this.respond(body.subarray(), connection.remotePeer.toString()), { signal })
      await stream.close({ signal })
    } catch (err) {
      this.log('could not answer %p: %e', connection.remotePeer, err)
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }
}
