/**
 * One peer's part in the secure aggregation of one round (Bonawitz et al.,
 * "Practical Secure Aggregation for Privacy-Preserving Machine Learning",
 * CCS 2017), with no I/O: the shell feeds it the messages it receives and
 * publishes what it returns.
 *
 * 1. keys: two fresh X25519 key pairs, one to encrypt shares (channel), one
 *    to agree pairwise masks (mask). Gossip signs the message with the
 *    peer's libp2p key, which authenticates them.
 * 2. shares: a random self-mask seed b and the mask secret key are each split
 *    t-of-n (Shamir) among the peers whose keys it holds, itself included;
 *    each peer's two shares are encrypted to it.
 * 3. masked update: y = x + PRG(b) + Σ ±PRG(s_uv) over the peers whose shares
 *    it holds (+ towards larger peer IDs, − towards smaller), in Z_2^32.
 * 4. unmasking: asked by a round holder, a peer reveals its share of b for
 *    each survivor and of the mask key for each dropped peer, and never both
 *    for the same peer. Any holder with t shares of each rebuilds the
 *    secrets and the sum of the survivors' x, and nothing else.
 */
import { combine, split } from 'shamir-secret-sharing'
import { agreedKey, digest, equalBytes, expandSeed, generateKeyPair, KEY_BYTES, open, publicKeyOf, randomSeed, seal } from './crypto.ts'
import type { KeyPair } from './crypto.ts'
import { addInRing, subtractInRing } from './fixed-point.ts'
import { shareThreshold } from './plan.ts'
import type { UnmaskingPlan } from './plan.ts'
import type { MaskedVector, RevealedShare, SecureKeysMessage, SecureSharesMessage, UnmaskRevealMessage, UnmaskRequestMessage } from '../../wire/messages.ts'

/** bytes of one Shamir share of a 32-byte secret (the secret's length plus the x coordinate) */
const SHARE_BYTES = KEY_BYTES + 1

/** What a peer holds of another peer's secrets: its two shares. */
interface HeldShares { selfMask: Uint8Array, maskKey: Uint8Array }
/** What another peer's rebuilt self-mask must match, and how many shares rebuild it. */
interface Commitment { commitment: Uint8Array, threshold: number }

export type Revealed = 'self-mask' | 'mask-key'

export interface SecureRoundOptions {
  self: string
  round: number
  baseHash: string
  /** how many peers take part in the round (its participants): no sum of fewer than a majority of them is unmasked */
  participants: number
}

export class SecureRound {
  readonly round: number
  readonly baseHash: string
  readonly threshold: number
  private readonly self: string
  private readonly channel: KeyPair = generateKeyPair()
  private readonly mask: KeyPair = generateKeyPair()
  private readonly selfMaskSeed = randomSeed()
  private readonly keys = new Map<string, { channelKey: Uint8Array, maskKey: Uint8Array }>()
  /** shares messages that came before their author's keys */
  private readonly early = new Map<string, SecureSharesMessage>()
  private readonly held = new Map<string, HeldShares>()
  private readonly commitments = new Map<string, Commitment>()
  private sharesSent: SecureSharesMessage | undefined
  private shared: string[] | undefined
  /** what this peer revealed of each peer's secrets, so it never reveals the other kind */
  private readonly revealed = new Map<string, Revealed>()
  private readonly answered = new Set<string>()
  /** shares revealed by peers, by owner: self-mask shares and mask-key shares, each by revealing peer */
  private readonly reveals = new Map<string, { 'self-mask': Map<string, Uint8Array>, 'mask-key': Map<string, Uint8Array> }>()

  constructor (options: SecureRoundOptions) {
    this.self = options.self
    this.round = options.round
    this.baseHash = options.baseHash
    this.threshold = shareThreshold(options.participants)
    this.keys.set(this.self, { channelKey: this.channel.publicKey, maskKey: this.mask.publicKey })
  }

  keysMessage (): SecureKeysMessage {
    return { type: 'secure-keys', round: this.round, baseHash: this.baseHash, channelKey: this.channel.publicKey, maskKey: this.mask.publicKey }
  }

  /** A peer's keys; a problem to report when they are malformed or a second, different set. */
  keysReceived (from: string, message: SecureKeysMessage): string | undefined {
    if (message.channelKey.length !== KEY_BYTES || message.maskKey.length !== KEY_BYTES) return `secure-aggregation keys must be ${KEY_BYTES} bytes each`
    const known = this.keys.get(from)
    if (known !== undefined) {
      return equalBytes(known.channelKey, message.channelKey) && equalBytes(known.maskKey, message.maskKey) ? undefined : `a second, different set of secure-aggregation keys for round ${this.round}`
    }
    this.keys.set(from, { channelKey: message.channelKey, maskKey: message.maskKey })
    const early = this.early.get(from)
    this.early.delete(from)
    return early === undefined ? undefined : this.sharesReceived(from, early)
  }

  /** Peers whose keys this peer holds, itself included. */
  keyHolders (): string[] {
    return [...this.keys.keys()].sort()
  }

  get hasShared (): boolean {
    return this.shared !== undefined
  }

  /** Splits this peer's secrets among the peers whose keys it holds (once): the message to publish. */
  async sharesMessage (): Promise<SecureSharesMessage> {
    if (this.shared !== undefined) throw new Error(`round ${this.round}: secrets already shared`)
    const recipients = this.keyHolders()
    if (recipients.length < this.threshold) throw new Error(`round ${this.round}: ${recipients.length} peers hold keys; sharing needs ${this.threshold}`)
    this.shared = recipients
    // a majority of the peers that get shares: two requests for different secrets of this peer can never both be answered by enough of them
    const threshold = shareThreshold(recipients.length)
    const [selfMaskShares, maskKeyShares] = await Promise.all([split(this.selfMaskSeed, recipients.length, threshold), split(this.mask.secretKey, recipients.length, threshold)])
    const commitment = digest(this.selfMaskSeed)
    const shares = recipients.map((to, i) => {
      const plaintext = new Uint8Array([...selfMaskShares[i], ...maskKeyShares[i]])
      if (to === this.self) this.held.set(this.self, { selfMask: selfMaskShares[i], maskKey: maskKeyShares[i] })
      return { to, ...seal(this.channelKeyWith(to, this.self, to), plaintext, this.shareContext(this.self, to)) }
    })
    this.commitments.set(this.self, { commitment, threshold })
    this.sharesSent = { type: 'secure-shares', round: this.round, baseHash: this.baseHash, threshold, selfMaskCommitment: commitment, shares }
    return this.sharesSent
  }

  /** What this peer published, to say again to peers that joined since (they need the keys and the commitment to unmask). */
  published (): Array<SecureKeysMessage | SecureSharesMessage> {
    return this.sharesSent === undefined ? [this.keysMessage()] : [this.keysMessage(), this.sharesSent]
  }

  /** A peer's shares message: keeps the shares encrypted to this peer; a problem to report when they are bad. */
  sharesReceived (from: string, message: SecureSharesMessage): string | undefined {
    if (this.held.has(from)) return undefined
    if (message.threshold !== shareThreshold(message.shares.length)) return `shares to ${message.shares.length} peers with threshold ${message.threshold}; it must be a majority of them, ${shareThreshold(message.shares.length)}`
    if (message.selfMaskCommitment.length !== KEY_BYTES) return 'a self-mask commitment that is not a SHA-256 hash'
    const known = this.commitments.get(from)
    if (known !== undefined && !equalBytes(known.commitment, message.selfMaskCommitment)) return `a second, different self-mask commitment for round ${this.round}`
    this.commitments.set(from, { commitment: message.selfMaskCommitment, threshold: message.threshold })
    if (!this.keys.has(from)) {
      this.early.set(from, message)
      return undefined
    }
    const mine = message.shares.find(s => s.to === this.self)
    if (mine === undefined) return undefined
    let plaintext: Uint8Array
    try {
      plaintext = open(this.channelKeyWith(from, from, this.self), mine.nonce, mine.ciphertext, this.shareContext(from, this.self))
    } catch {
      return 'a secret share that does not decrypt with its sender\'s keys'
    }
    if (plaintext.length !== 2 * SHARE_BYTES) return `a secret share of ${plaintext.length} bytes`
    this.held.set(from, { selfMask: plaintext.slice(0, SHARE_BYTES), maskKey: plaintext.slice(SHARE_BYTES) })
    return undefined
  }

  /** Peers whose shares this peer holds, itself included. */
  shareHolders (): string[] {
    return [...this.held.keys()].sort()
  }

  /**
   * `vector` masked: the self-mask plus a pairwise mask with every other peer
   * that both holds this peer's shares (it had its keys) and gave this peer
   * its own. Call after sharesMessage.
   */
  maskVector (vector: Uint32Array): MaskedVector {
    if (this.shared === undefined) throw new Error(`round ${this.round}: share the secrets before masking`)
    const sharedWith = new Set(this.shared)
    const maskedWith = this.shareHolders().filter(peer => peer !== this.self && sharedWith.has(peer))
    const values = vector.slice()
    addInRing(values, expandSeed(this.selfMaskSeed, values.length))
    for (const peer of maskedWith) {
      const mask = expandSeed(this.pairSeed(this.mask.secretKey, this.keyOf(peer).maskKey), values.length)
      if (this.self < peer) addInRing(values, mask)
      else subtractInRing(values, mask)
    }
    return { values, maskedWith }
  }

  /**
   * An unmasking request from a holder of the round: the reveal to publish,
   * or why it is refused (it would expose an update, or asks with fewer
   * survivors than the threshold); undefined when already answered.
   */
  answer (request: UnmaskRequestMessage): UnmaskRevealMessage | { refused: string } | undefined {
    const key = `${request.survivors.join(',')}|${request.dropped.join(',')}`
    if (this.answered.has(key)) return undefined
    if (request.survivors.length < this.threshold) return { refused: `it names ${request.survivors.length} surviving updates; secure aggregation needs at least ${this.threshold}` }
    const survivors = new Set(request.survivors)
    if (request.dropped.some(peer => survivors.has(peer))) return { refused: 'it names a peer both as a survivor and as dropped' }
    const conflict = [...request.survivors.filter(p => this.revealed.get(p) === 'mask-key'), ...request.dropped.filter(p => this.revealed.get(p) === 'self-mask')]
    if (conflict.length > 0) return { refused: `it asks for the other secret of ${conflict.join(', ')} than this peer revealed before: answering would expose an update` }
    this.answered.add(key)
    const reveal = (owners: string[], kind: Revealed): RevealedShare[] => owners.flatMap(owner => {
      const held = this.held.get(owner)
      if (held === undefined || (kind === 'mask-key' && owner === this.self)) return []
      this.revealed.set(owner, kind)
      return [{ owner, share: kind === 'self-mask' ? held.selfMask : held.maskKey }]
    })
    const message: UnmaskRevealMessage = { type: 'unmask-reveal', round: this.round, baseHash: this.baseHash, selfMasks: reveal(request.survivors, 'self-mask'), maskKeys: reveal(request.dropped, 'mask-key') }
    this.revealReceived(this.self, message)
    return message
  }

  /** Shares another peer revealed (or this peer's own). */
  revealReceived (from: string, message: UnmaskRevealMessage): void {
    for (const [kind, shares] of [['self-mask', message.selfMasks], ['mask-key', message.maskKeys]] as const) {
      for (const { owner, share } of shares) {
        if (share.length !== SHARE_BYTES) continue
        let byOwner = this.reveals.get(owner)
        if (byOwner === undefined) {
          byOwner = { 'self-mask': new Map(), 'mask-key': new Map() }
          this.reveals.set(owner, byOwner)
        }
        if (!byOwner[kind].has(from)) byOwner[kind].set(from, share)
      }
    }
  }

  /**
   * The sum of the survivors' vectors, unmasked; or the peers whose secrets
   * cannot be rebuilt yet (too few shares revealed so far, or shares that do
   * not rebuild the committed secret).
   */
  async unmask (masked: ReadonlyMap<string, MaskedVector>, plan: UnmaskingPlan): Promise<Uint32Array | { missing: string[] }> {
    const selfMasks = new Map<string, Uint8Array>()
    const maskKeys = new Map<string, Uint8Array>()
    const missing: string[] = []
    for (const peer of plan.survivors) {
      const commitment = this.commitments.get(peer)?.commitment
      const seed = commitment === undefined ? undefined : await this.rebuild(peer, 'self-mask', secret => equalBytes(digest(secret), commitment))
      if (seed === undefined) missing.push(peer)
      else selfMasks.set(peer, seed)
    }
    for (const peer of plan.dropped) {
      const maskKey = this.keys.get(peer)?.maskKey
      const secret = maskKey === undefined ? undefined : await this.rebuild(peer, 'mask-key', candidate => equalBytes(publicKeyOf(candidate), maskKey))
      if (secret === undefined) missing.push(peer)
      else maskKeys.set(peer, secret)
    }
    if (missing.length > 0) return { missing }
    const length = (masked.get(plan.survivors[0]) as MaskedVector).values.length
    const sum = new Uint32Array(length)
    for (const peer of plan.survivors) {
      const { values, maskedWith } = masked.get(peer) as MaskedVector
      addInRing(sum, values)
      subtractInRing(sum, expandSeed(selfMasks.get(peer) as Uint8Array, length))
      // the pairwise masks this survivor shares with dropped peers do not cancel: rebuild and remove them
      for (const other of maskedWith) {
        const secret = maskKeys.get(other)
        if (secret === undefined) continue
        const mask = expandSeed(this.pairSeed(secret, this.keyOf(peer).maskKey), length)
        if (peer < other) subtractInRing(sum, mask)
        else addInRing(sum, mask)
      }
    }
    return sum
  }

  /**
   * A peer's secret from the shares revealed so far: the first t (by
   * revealing peer), then all, then all but one, whichever rebuilds a secret
   * that passes `check` (so one bad share is survived).
   */
  private async rebuild (owner: string, kind: Revealed, check: (secret: Uint8Array) => boolean): Promise<Uint8Array | undefined> {
    const threshold = this.commitments.get(owner)?.threshold ?? this.threshold
    const shares = [...(this.reveals.get(owner)?.[kind] ?? new Map<string, Uint8Array>()).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, share]) => share)
    if (shares.length < threshold) return undefined
    const attempts = [shares.slice(0, threshold), shares, ...(shares.length > threshold ? shares.map((_, i) => shares.filter((__, j) => j !== i)) : [])]
    for (const attempt of attempts) {
      const secret = await combine(attempt).catch(() => undefined)
      if (secret !== undefined && check(secret)) return secret
    }
    return undefined
  }

  private keyOf (peer: string): { channelKey: Uint8Array, maskKey: Uint8Array } {
    const keys = this.keys.get(peer)
    if (keys === undefined) throw new Error(`no secure-aggregation keys of ${peer}`)
    return keys
  }

  /** the seed of the pairwise mask between this key's owner and the holder of `otherMaskKey` (the same from both ends) */
  private pairSeed (secretKey: Uint8Array, otherMaskKey: Uint8Array): Uint8Array {
    return agreedKey(secretKey, otherMaskKey, `swarm/secure-aggregation/mask/${this.round}/${this.baseHash}`)
  }

  /** the key that encrypts the shares `from` sends `to`, derived by this peer (one of the two) */
  private channelKeyWith (other: string, from: string, to: string): Uint8Array {
    return agreedKey(this.channel.secretKey, this.keyOf(other).channelKey, this.shareContext(from, to))
  }

  private shareContext (from: string, to: string): string {
    return `swarm/secure-aggregation/shares/${this.round}/${this.baseHash}/${from}/${to}`
  }
}
