/**
 * A hostile peer for fuzz tests: a real libp2p node holding the swarm key
 * that publishes random and mutated messages on the swarm's topic, and opens
 * every protocol the honest peers speak to write garbage into it. It answers
 * the swarm's own direct protocols with garbage too. Every random choice comes
 * from a seed, so a failing run can be replayed.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createSwarmLibp2p } from '../../src/network/libp2p-node.ts'
import type { SwarmLibp2p } from '../../src/network/libp2p-node.ts'
import { MEMBER_LIST_PROTOCOL, MODEL_SYNC_PROTOCOL, UPDATE_FETCH_PROTOCOL } from '../../src/network/constants.ts'
import { splitIntoChunks } from '../../src/wire/chunks.ts'
import { WIRE_VERSION } from '../../src/wire/messages.ts'
import { Chunk, Encoding, Message } from '../../src/wire/swarm.js'
import type { Tensor } from '../../src/wire/swarm.js'
import { seededRandom } from '../../src/data/random.ts'
import type { Random } from '../../src/data/random.ts'

/** honest chunks kept to mutate and replay */
const CAPTURE_LIMIT = 200

export interface FuzzStats {
  /** gossip messages published */
  published: number
  /** published messages by kind */
  kinds: Record<string, number>
  /** streams opened on the honest peers' protocols, and the protocols */
  streams: number
  protocols: string[]
}

export class Fuzzer {
  readonly libp2p: SwarmLibp2p
  readonly stats: FuzzStats = { published: 0, kinds: {}, streams: 0, protocols: [] }
  private readonly topic: string
  private readonly random: Random
  private readonly captured: Uint8Array[] = []

  static async start (topic: string, swarmKey: Uint8Array, seed: number): Promise<Fuzzer> {
    const libp2p = await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], swarmKey }, { isBanned: () => false })
    return new Fuzzer(libp2p, topic, seed)
  }

  private constructor (libp2p: SwarmLibp2p, topic: string, seed: number) {
    this.libp2p = libp2p
    this.topic = topic
    this.random = seededRandom(seed)
    libp2p.services.pubsub.subscribe(topic)
    libp2p.services.pubsub.addEventListener('message', (event) => {
      if (this.captured.length < CAPTURE_LIMIT) this.captured.push(event.detail.data)
    })
  }

  /** Answers the swarm's direct protocols with garbage, as a hostile member would. */
  async answerWithGarbage (): Promise<void> {
    for (const protocol of [MODEL_SYNC_PROTOCOL, UPDATE_FETCH_PROTOCOL, MEMBER_LIST_PROTOCOL]) {
      await this.libp2p.handle(protocol, async (stream) => {
        try {
          stream.send(this.bytes(this.int(2000)))
          if (this.random() < 0.5) await stream.close()
          else stream.abort(new Error('hostile'))
        } catch {
          // the honest peer may close first
        }
      })
    }
  }

  async dial (addresses: string[]): Promise<void> {
    for (const address of addresses) await this.libp2p.dial(multiaddr(address))
  }

  /**
   * Publishes `count` messages, `perSecond` at most (the swarm's flood limit
   * would otherwise disconnect this node before it is done), and every
   * `streamEvery` messages opens a protocol of a connected peer with garbage.
   */
  async run (count: number, perSecond: number, streamEvery: number): Promise<void> {
    const streams: Array<Promise<void>> = []
    const interval = 1000 / perSecond
    let due = Date.now()
    for (let i = 0; i < count; i++) {
      // on schedule; after a stall it catches up by at most 50 messages at once,
      // far inside the flood limit's burst
      due = Math.max(due + interval, Date.now() - 50 * interval)
      if (due > Date.now()) await new Promise(resolve => setTimeout(resolve, due - Date.now()))
      const [kind, bytes] = this.nextMessage()
      this.stats.kinds[kind] = (this.stats.kinds[kind] ?? 0) + 1
      await this.libp2p.services.pubsub.publish(this.topic, bytes).catch(() => {})
      this.stats.published++
      if (i % streamEvery === 0) streams.push(this.garbageStream())
    }
    await Promise.all(streams)
  }

  async stop (): Promise<void> {
    await this.libp2p.stop()
  }

  private nextMessage (): [string, Uint8Array] {
    const pick = this.random()
    if (pick < 0.15) return ['random bytes', this.bytes(this.int(3000))]
    if (pick < 0.3) return ['chunk of random bytes', splitIntoChunks(this.bytes(this.int(3000)))[0]]
    if (pick < 0.5 && this.captured.length > 0) return ['mutated honest chunk', this.mutate(this.pickCaptured())]
    if (pick < 0.55 && this.captured.length > 0) return ['replayed honest chunk', this.pickCaptured()]
    if (pick < 0.65) return ['chunk with bad fields', this.badChunk()]
    return ['message with random fields', splitIntoChunks(this.randomMessage())[0]]
  }

  /** A Message that decodes, with random (mostly invalid) values in every field. */
  private randomMessage (): Uint8Array {
    const round = this.choice([0, 1, 2, 3, this.int(20), 2 ** 32 - 1, this.int(2 ** 31)])
    const hash = this.random() < 0.8 ? this.bytes(32) : this.bytes(this.int(40))
    const version = this.random() < 0.9 ? WIRE_VERSION : this.int(256)
    switch (this.int(11)) {
      case 0:
        return Message.encode({ version, hello: { multiaddrs: [this.text(), `/ip4/127.0.0.1/tcp/${1 + this.int(65535)}`], round, modelHash: hash } })
      case 1:
        return Message.encode({ version, announce: { round, baseHash: hash, roster: this.random() < 0.5 ? [] : [this.libp2p.peerId.toString(), this.text()].sort(), sealed: this.random() < 0.5 } })
      case 2:
        return Message.encode({ version, offer: { round, baseHash: hash, samples: this.int(2 ** 32), bytes: this.int(2 ** 32), updateHash: this.bytes(this.choice([32, this.int(40)])), maskedWith: this.random() < 0.5 ? [] : [this.text(), this.text()] } })
      case 3:
        return Message.encode({
          version,
          update: { round, baseHash: hash, samples: this.choice([0, 1, this.int(2 ** 32)]), change: this.tensors(), masked: this.bytes(this.int(64)), maskedWith: [this.text()], salt: this.bytes(this.choice([32, this.int(40)])) }
        })
      case 4:
        return Message.encode({ version, secureKeys: { round, baseHash: hash, channelKey: this.bytes(this.choice([32, this.int(40)])), maskKey: this.bytes(this.choice([32, this.int(40)])) } })
      case 5:
        return Message.encode({
          version,
          secureShares: { round, baseHash: hash, threshold: this.int(8), selfMaskCommitment: this.bytes(this.choice([32, this.int(40)])), shares: [{ to: this.text(), nonce: this.bytes(this.int(30)), ciphertext: this.bytes(this.int(100)) }] }
        })
      case 6:
        return Message.encode({ version, unmaskRequest: { round, baseHash: hash, survivors: [this.text(), this.text()], dropped: [this.text()], survivorMasks: [{ peers: [this.text()] }] } })
      case 7:
        return Message.encode({ version, unmaskReveal: { round, baseHash: hash, setHash: this.bytes(this.choice([32, this.int(40)])), sealed: [{ to: this.text(), nonce: this.bytes(this.int(30)), ciphertext: this.bytes(this.int(100)) }] } })
      case 8:
        return Message.encode({ version, unmaskConsent: { round, baseHash: hash, setHash: this.bytes(this.choice([32, this.int(40)])) } })
      case 9:
        return Message.encode({ version, withdraw: { round, baseHash: hash } })
      default:
        return Message.encode({
          version,
          global: { round, modelHash: hash, contributors: [this.text()], merger: this.libp2p.peerId.toString(), samples: this.int(2 ** 32), weights: this.tensors(), definition: this.text(), state: [], updateHashes: [] }
        })
    }
  }

  private tensors (): Tensor[] {
    return Array.from({ length: this.int(4) }, () => {
      const shape = Array.from({ length: this.int(3) }, () => this.choice([0, 1, 3, 10, 784, this.int(2 ** 32)]))
      const encoding = this.choice([Encoding.FLOAT32, Encoding.FLOAT16, Encoding.INT8])
      const size = shape.reduce((a, b) => a * b, 1)
      // sometimes exactly as many bytes as the shape needs, with NaN and Infinity among the values
      const data = size < 5000 && this.random() < 0.5 ? this.floatBytes(size) : this.bytes(this.int(500))
      return { shape, encoding, scale: this.choice([0, 1, NaN, Infinity, -1, 1e30]), data }
    })
  }

  private badChunk (): Uint8Array {
    const payloadLength = this.choice([0, 1, this.int(2 ** 32)])
    return Chunk.encode({
      version: this.choice([WIRE_VERSION, 1, 99]),
      payloadId: this.bytes(this.choice([32, 31, 0])),
      index: this.choice([0, 1, this.int(2 ** 32)]),
      count: this.choice([0, 1, 2, this.int(2 ** 32)]),
      payloadLength,
      data: this.bytes(this.int(1000))
    })
  }

  /** Flips, truncates, extends or overwrites an honest chunk. */
  private mutate (original: Uint8Array): Uint8Array {
    const bytes = original.slice()
    switch (this.int(4)) {
      case 0:
        for (let i = 0; i < 1 + this.int(8); i++) bytes[this.int(bytes.length)] ^= 1 << this.int(8)
        return bytes
      case 1:
        return bytes.subarray(0, this.int(bytes.length))
      case 2:
        return Uint8Array.from([...bytes, ...this.bytes(1 + this.int(64))])
      default: {
        const at = this.int(bytes.length)
        bytes.set(this.bytes(Math.min(16, bytes.length - at)), at)
        return bytes
      }
    }
  }

  /** Opens a protocol of a connected honest peer and writes garbage into it. */
  private async garbageStream (): Promise<void> {
    const connections = this.libp2p.getConnections()
    if (connections.length === 0) return
    const connection = this.choice(connections)
    const peer = await this.libp2p.peerStore.get(connection.remotePeer).catch(() => undefined)
    const protocols = peer?.protocols ?? []
    if (protocols.length === 0) return
    const protocol = this.choice(protocols)
    if (!this.stats.protocols.includes(protocol)) this.stats.protocols.push(protocol)
    try {
      const stream = await connection.newStream(protocol, { signal: AbortSignal.timeout(5000) })
      this.stats.streams++
      // a frame claiming a huge length, random bytes, or a frame of random bytes
      const garbage = this.choice([Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), this.bytes(this.int(3000)), Uint8Array.from([20, ...this.bytes(20)])])
      stream.send(garbage)
      if (this.random() < 0.5) await stream.close({ signal: AbortSignal.timeout(5000) })
      else stream.abort(new Error('hostile'))
    } catch {
      // the honest peer may refuse or reset the stream: that is what it should do
    }
  }

  private pickCaptured (): Uint8Array {
    return this.captured[this.int(this.captured.length)]
  }

  private int (below: number): number {
    return Math.floor(this.random() * below)
  }

  private choice<T> (options: T[]): T {
    return options[this.int(options.length)]
  }

  private bytes (length: number): Uint8Array<ArrayBuffer> {
    return Uint8Array.from({ length }, () => this.int(256))
  }

  private floatBytes (count: number): Uint8Array<ArrayBuffer> {
    const values = Float32Array.from({ length: count }, () => this.choice([NaN, Infinity, -Infinity, 1e38, this.random() - 0.5]))
    return new Uint8Array(values.buffer)
  }

  private text (): string {
    return String.fromCharCode(...Array.from({ length: this.int(60) }, () => 32 + this.int(95)))
  }
}
