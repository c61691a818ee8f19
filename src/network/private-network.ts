/**
 * libp2p's private network protocol (pnet, /key/swarm/psk/1.0.0/), wire-
 * compatible with @libp2p/pnet: both sides send a random 24-byte nonce, then
 * everything each side sends is XORed with the XSalsa20 keystream of the
 * pre-shared key and its own nonce. A peer without the key cannot complete
 * the Noise handshake that follows.
 *
 * Why not @libp2p/pnet itself: its cipher, the xsalsa20 package (1.2.0), runs
 * in one WebAssembly memory shared by all connections and keeps views of it
 * that go stale when one connection grows it; the next write through a stale
 * view grows it again by its whole size, until the 64 MiB limit throws a
 * RangeError from a socket callback and the process dies. Peers exchanging
 * megabyte-sized models over a few connections hit it within minutes. This
 * implementation uses @noble/ciphers' XSalsa20, plain JavaScript with no
 * shared state.
 */
import { xsalsa20 } from '@noble/ciphers/salsa.js'
import { AbstractMultiaddrConnection, byteStream, getNetConfig, isNetworkAddress } from '@libp2p/utils'
import type { AbortOptions, ConnectionProtector, MessageStream, MultiaddrConnection } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

const NONCE_BYTES = 24
const BLOCK_BYTES = 64
/** the nonce exchange (24 bytes each way) must finish within this long; a key holder answers at once */
export const HANDSHAKE_TIMEOUT_MS = 2000
/**
 * Unfinished nonce exchanges kept per remote host. Beyond it the oldest is
 * cut off: connections that never say a word cannot fill libp2p's queue of
 * pending inbound connections and keep key holders out.
 */
export const PENDING_HANDSHAKES_PER_HOST = 64
/** noble counts keystream blocks in 32 bits: a connection is closed before its keystream would repeat */
const MAX_STREAM_BYTES = 2 ** 32 * BLOCK_BYTES

/** One direction of a connection: XOR with the keystream, continuing where the last call ended. */
export class KeystreamXor {
  private readonly key: Uint8Array
  private readonly nonce: Uint8Array
  private position = 0

  constructor (key: Uint8Array, nonce: Uint8Array) {
    this.key = key
    this.nonce = nonce
  }

  update (input: Uint8Array): Uint8Array {
    if (this.position + input.length > MAX_STREAM_BYTES) throw new Error('the connection sent 256 GiB: its keystream is spent, reconnect')
    const offset = this.position % BLOCK_BYTES
    const padded = new Uint8Array(offset + input.length)
    padded.set(input, offset)
    const output = xsalsa20(this.key, this.nonce, padded, undefined, Math.floor(this.position / BLOCK_BYTES))
    this.position += input.length
    return output.subarray(offset)
  }
}

/** The 32-byte key of a swarm key file's text (checked by readSwarmKey). */
export function swarmKeyBytes (swarmKey: Uint8Array): Uint8Array {
  const hex = new TextDecoder().decode(swarmKey).trim().split(/\r?\n/)[2]
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

class PrivateConnection extends AbstractMultiaddrConnection {
  private readonly inner: MultiaddrConnection
  private readonly inbound: KeystreamXor
  private readonly outbound: KeystreamXor

  constructor (inner: MultiaddrConnection, key: Uint8Array, localNonce: Uint8Array, remoteNonce: Uint8Array) {
    super({ log: inner.log.newScope('swarm-pnet'), remoteAddr: inner.remoteAddr, direction: inner.direction })
    this.inner = inner
    this.inbound = new KeystreamXor(key, remoteNonce)
    this.outbound = new KeystreamXor(key, localNonce)
    inner.addEventListener('message', (event) => {
      const data: Uint8Array | Uint8ArrayList = event.data
      try {
        if (data instanceof Uint8Array) this.onData(this.inbound.update(data))
        else for (const part of data) this.onData(this.inbound.update(part))
      } catch (err) {
        this.abort(err as Error)
      }
    })
    inner.addEventListener('drain', () => { this.onMuxerDrain() })
    inner.addEventListener('close', (event) => {
      if (event.error === undefined) this.onTransportClosed()
      else if (event.local) this.abort(event.error)
      else this.onRemoteReset()
    })
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    await this.inner.close(options)
  }

  sendData (data: Uint8ArrayList): { sentBytes: number, canSendMore: boolean } {
    return { sentBytes: data.byteLength, canSendMore: this.inner.send(this.outbound.update(data.subarray())) }
  }

  sendReset (err: Error): void {
    this.inner.abort(err)
  }

  sendPause (): void {
    this.inner.pause()
  }

  sendResume (): void {
    this.inner.resume()
  }
}

class PrivateNetworkProtector implements ConnectionProtector {
  private readonly key: Uint8Array
  /** unfinished nonce exchanges by remote host, oldest first */
  private readonly pending = new Map<string, Set<AbortController>>()

  constructor (key: Uint8Array) {
    this.key = key
  }

  async protect (connection: MessageStream, options?: AbortOptions): Promise<MessageStream> {
    const host = remoteHost(connection)
    const handshake = new AbortController()
    const pending = this.pending.get(host) ?? new Set<AbortController>()
    this.pending.set(host, pending)
    pending.add(handshake)
    if (pending.size > PENDING_HANDSHAKES_PER_HOST) {
      const [oldest] = pending
      pending.delete(oldest)
      oldest.abort(new Error(`more than ${PENDING_HANDSHAKES_PER_HOST} unfinished handshakes from ${host}`))
    }
    const signal = AbortSignal.any([handshake.signal, AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS), ...(options?.signal === undefined ? [] : [options.signal])])
    try {
      const localNonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES))
      const bytes = byteStream(connection)
      const [remote] = await Promise.all([bytes.read({ bytes: NONCE_BYTES, signal }), bytes.write(localNonce, { signal })])
      return new PrivateConnection(bytes.unwrap() as MultiaddrConnection, this.key, localNonce, remote.subarray())
    } finally {
      pending.delete(handshake)
      if (pending.size === 0) this.pending.delete(host)
    }
  }
}

/** The remote IP address of a connection being protected, or its whole address when it has none. */
function remoteHost (connection: MessageStream): string {
  const address = (connection as Partial<MultiaddrConnection>).remoteAddr
  if (address === undefined) return 'unknown'
  return isNetworkAddress(address) ? String(getNetConfig(address).host) : address.toString()
}

/** A libp2p connectionProtector for a swarm key file's contents. */
export function privateNetwork (swarmKey: Uint8Array): () => ConnectionProtector {
  const key = swarmKeyBytes(swarmKey)
  return () => new PrivateNetworkProtector(key)
}
