/**
 * One peer's part in the secure aggregation of one round (Bonawitz et al.,
 * "Practical Secure Aggregation for Privacy-Preserving Machine Learning",
 * CCS 2017, with the consistency check of its actively secure variant),
 * with no I/O: the shell feeds it the messages it receives, and a view of
 * the round (who is alive, who holds the round's updates, who may merge),
 * and publishes what it returns.
 *
 * 1. keys: two fresh X25519 key pairs, one to encrypt shares (channel), one
 *    to agree pairwise masks (mask). Gossip signs the message with the
 *    peer's libp2p key, which authenticates them. Low-order keys are refused.
 * 2. shares: a random self-mask seed b and the mask secret key are each split
 *    t-of-n (Shamir, t > 2n/3) among the peers whose keys it holds (at most
 *    255 of them: plan.ts, shareRecipients), itself included; each peer's two
 *    shares are encrypted to it.
 * 3. masked update: y = x + PRG(b) + Σ ±PRG(s_uv) over the peers that both
 *    got its shares and gave it theirs (+ towards larger peer IDs), in
 *    Z_2^32. A peer that could mask with fewer than t − 1 others sits out.
 *    Its offer (signed) names the peers it masked with.
 * 4. unmasking request: only the round's merger, by the rotation and failover
 *    order, may ask; every peer checks the plan against the signed offers
 *    (plan.ts) and that it drops no live peer too early.
 * 5. consistency check: a survivor agrees (consents) to one set at a time.
 * 6. reveal: once t survivors agreed to a set, and a holder other than the
 *    merger holds every update of it (so the set can be finished if the
 *    merger dies), a peer reveals its shares of b for the survivors and of
 *    the mask keys for the dropped, sealed to the round's holders, for one
 *    set per round only: two sets that ask for different secrets of one
 *    peer can never both gather t shares.
 */
import { combine, split } from 'shamir-secret-sharing'
import { agreedKey, digest, equalBytes, expandSeed, generateKeyPair, isContributoryKey, KEY_BYTES, open, publicKeyOf, randomSeed, seal } from './crypto.ts'
import type { KeyPair } from './crypto.ts'
import { addInRing, subtractInRing } from './fixed-point.ts'
import { maskingNeeded, roundCapacity, samePlan, setHash, shareRecipients, shareThreshold, unmaskingPlan } from './plan.ts'
import type { Candidate, UnmaskingPlan } from './plan.ts'
import { decodeRevealed, encodeRevealed } from '../../wire/messages.ts'
import type { EncryptedShare, MaskedVector, RevealedShare, SecureKeysMessage, SecureSharesMessage, UnmaskConsentMessage, UnmaskRevealMessage, UnmaskRequestMessage } from '../../wire/messages.ts'

/** bytes of one Shamir share of a 32-byte secret (the secret's length plus the x coordinate) */
const SHARE_BYTES = KEY_BYTES + 1
/** Shamir's scheme over GF(2^8) makes at most 255 shares */
export const MAX_SHARE_RECIPIENTS = 255

/** What a peer holds of another peer's secrets: its two shares. */
interface HeldShares { selfMask: Uint8Array, maskKey: Uint8Array }
/** What another peer's rebuilt self-mask must match, and how many shares rebuild it. */
interface Commitment { commitment: Uint8Array, threshold: number }

export type Revealed = 'self-mask' | 'mask-key'

export interface SecureRoundOptions {
  self: string
  round: number
  baseHash: string
  /** the round's participants (every peer knows them alike): no sum of fewer than t of them is unmasked */
  participants: readonly string[]
  /** shares go to at most this many peers (default MAX_SHARE_RECIPIENTS; tests lower it) */
  maxRecipients?: number
}

/** What the shell tells a round about the swarm, as this peer sees it now. */
export interface RoundView {
  isAlive: (peer: string) => boolean
  /** the round's update holders now */
  holders: () => string[]
  /** whether `peer` may merge the round now, by the rotation and failover order */
  mayMerge: (peer: string) => boolean
  /** whether the round is old enough that a live peer that never offered its update may be dropped */
  mayDropSilent: () => boolean
  /** whether this peer holds the masked updates of all these peers */
  holdsUpdates: (peers: readonly string[]) => boolean
}

/** What a peer makes of the unmasking requests it holds, now: a consent or a reveal to publish, or why it waits. */
export interface Answer {
  consent?: UnmaskConsentMessage
  reveal?: UnmaskRevealMessage
  /** why no set is agreed to yet */
  waiting?: string
}

export class SecureRound {
  readonly round: number
  readonly baseHash: string
  /** the smallest number of updates whose sum is unmasked */
  readonly threshold: number
  /** the most masked vectors the round's fixed point sums */
  readonly capacity: number
  private readonly self: string
  private readonly participants: ReadonlySet<string>
  private readonly maxRecipients: number
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
  /** this peer released a masked update this round (if not, revealing its own mask key's share exposes nothing) */
  private masked = false
  /** what each peer's signed offer says: whom its masked update masks with, and the sample count it weighs with */
  private readonly offers = new Map<string, string[]>()
  private readonly offeredSamples = new Map<string, number>()
  private readonly withdrawnPeers = new Set<string>()
  /** the latest well-formed request of each peer that asked, with its plan and set hash */
  private readonly requests = new Map<string, { request: UnmaskRequestMessage, plan: UnmaskingPlan, setHash: string }>()
  /** the merger whose request this peer backs, and the set it backs */
  private chosen: { merger: string, setHash: string } | undefined
  /** the set this peer last published its consent for */
  private consentSent: string | undefined
  /** each peer's latest consent: the set hash it agrees to */
  private readonly consentOf = new Map<string, string>()
  /** the one set this peer revealed its shares for, and to whom */
  private revealedFor: { setHash: string, plan: UnmaskingPlan, to: Set<string> } | undefined
  /** shares revealed to this peer, by set hash, then by owner: self-mask shares and mask-key shares, each by revealing peer */
  private readonly reveals = new Map<string, Map<string, { 'self-mask': Map<string, Uint8Array>, 'mask-key': Map<string, Uint8Array> }>>()
  /** the set each revealing peer revealed for (one per peer and round) */
  private readonly revealerSet = new Map<string, string>()

  constructor (options: SecureRoundOptions) {
    this.self = options.self
    this.round = options.round
    this.baseHash = options.baseHash
    this.participants = new Set(options.participants)
    this.threshold = shareThreshold(options.participants.length)
    this.capacity = roundCapacity(options.participants.length)
    this.maxRecipients = options.maxRecipients ?? MAX_SHARE_RECIPIENTS
    this.keys.set(this.self, { channelKey: this.channel.publicKey, maskKey: this.mask.publicKey })
  }

  keysMessage (): SecureKeysMessage {
    return { type: 'secure-keys', round: this.round, baseHash: this.baseHash, channelKey: this.channel.publicKey, maskKey: this.mask.publicKey }
  }

  /** A peer's keys; a problem to report when they are malformed, of low order, or a second, different set. */
  keysReceived (from: string, message: SecureKeysMessage): string | undefined {
    if (message.channelKey.length !== KEY_BYTES || message.maskKey.length !== KEY_BYTES) return `secure-aggregation keys must be ${KEY_BYTES} bytes each`
    if (!isContributoryKey(message.channelKey) || !isContributoryKey(message.maskKey)) return 'a secure-aggregation key of low order (it would make every agreed key the same)'
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
    const recipients = shareRecipients(this.self, this.keyHolders(), this.round, this.baseHash, this.maxRecipients)
    if (recipients.length < 2) throw new Error(`round ${this.round}: no other peer holds keys`)
    this.shared = recipients
    const threshold = shareThreshold(recipients.length)
    const [selfMaskShares, maskKeyShares] = await Promise.all([split(this.selfMaskSeed, recipients.length, threshold), split(this.mask.secretKey, recipients.length, threshold)])
    const commitment = digest(this.selfMaskSeed)
    const shares = recipients.map((to, i) => {
      const plaintext = new Uint8Array([...selfMaskShares[i], ...maskKeyShares[i]])
      if (to === this.self) this.held.set(this.self, { selfMask: selfMaskShares[i], maskKey: maskKeyShares[i] })
      return { to, ...seal(this.channelKeyWith(to, this.shareContext(this.self, to)), plaintext, this.shareContext(this.self, to)) }
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
    if (message.shares.length > this.maxRecipients) return `shares to ${message.shares.length} peers; at most ${this.maxRecipients} can be made`
    if (message.threshold !== shareThreshold(message.shares.length)) return `shares to ${message.shares.length} peers with threshold ${message.threshold}; it must be more than two thirds of them, ${shareThreshold(message.shares.length)}`
    if (message.selfMaskCommitment.length !== KEY_BYTES) return 'a self-mask commitment that is not a SHA-256 hash'
    if (new Set(message.shares.map(s => s.to)).size !== message.shares.length) return 'shares that name a recipient twice'
    const known = this.commitments.get(from)
    if (known !== undefined && !equalBytes(known.commitment, message.selfMaskCommitment)) return `a second, different self-mask commitment for round ${this.round}`
    this.commitments.set(from, { commitment: message.selfMaskCommitment, threshold: message.threshold })
    if (!this.keys.has(from)) {
      this.early.set(from, message)
      return undefined
    }
    const mine = message.shares.find(s => s.to === this.self)
    if (mine === undefined) return undefined
    const plaintext = this.openSealed(from, mine, this.shareContext(from, this.self))
    if (plaintext === undefined) return 'a secret share that does not decrypt with its sender\'s keys'
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
   * its own. Call after sharesMessage. A peer that could mask with fewer
   * than t − 1 others (its keys came too late for most) sits the round out:
   * its self-mask, once revealed, would hide its update among too few masks.
   */
  maskVector (vector: Uint32Array): MaskedVector | { sitOut: string } {
    if (this.shared === undefined || this.sharesSent === undefined) throw new Error(`round ${this.round}: share the secrets before masking`)
    const sharedWith = new Set(this.shared)
    const maskedWith = this.shareHolders().filter(peer => peer !== this.self && sharedWith.has(peer))
    const needed = maskingNeeded(this.threshold, this.sharesSent.threshold)
    if (maskedWith.length < needed) return { sitOut: `it could mask with ${maskedWith.length} peers and needs ${needed}: its keys came after most peers had shared their secrets` }
    this.masked = true
    const values = vector.slice()
    addInRing(values, expandSeed(this.selfMaskSeed, values.length))
    for (const peer of maskedWith) {
      const mask = expandSeed(this.pairSeed(this.mask.secretKey, this.keyOf(peer).maskKey), values.length)
      if (this.self < peer) addInRing(values, mask)
      else subtractInRing(values, mask)
    }
    return { values, maskedWith }
  }

  /** A peer's signed offer named whom its masked update masks with, and the sample count it weighs with (the first offer counts). */
  offerReceived (from: string, maskedWith: readonly string[], samples: number): void {
    if (this.offers.has(from)) return
    this.offers.set(from, [...maskedWith])
    this.offeredSamples.set(from, samples)
  }

  /** Whom a peer's offer says it masked with, if this peer heard it. */
  offerOf (peer: string): readonly string[] | undefined {
    return this.offers.get(peer)
  }

  /** The sample counts the offers of `peers` announced, summed. */
  announcedSamples (peers: readonly string[]): number {
    return peers.reduce((n, peer) => n + (this.offeredSamples.get(peer) ?? 0), 0)
  }

  /** A peer takes no part in the round after all: it may be dropped while alive. */
  withdrawn (peer: string): void {
    this.withdrawnPeers.add(peer)
  }


  /**
   * The merger's plan from the masked updates it holds: every one whose
   * offer it knows is a candidate (plan.ts decides).
   */
  plan (held: ReadonlyMap<string, MaskedVector>): UnmaskingPlan {
    const candidates = new Map<string, Candidate>()
    for (const [peer, vector] of held) {
      const threshold = this.commitments.get(peer)?.threshold
      if (threshold !== undefined && this.offers.has(peer)) candidates.set(peer, { maskedWith: vector.maskedWith, minMasks: maskingNeeded(this.threshold, threshold) })
    }
    return unmaskingPlan(candidates, this.planRules())
  }

  /** The request that asks for `plan`'s secrets. */
  request (plan: UnmaskingPlan): UnmaskRequestMessage {
    return { type: 'unmask-request', round: this.round, baseHash: this.baseHash, ...plan, survivorMasks: plan.survivors.map(peer => this.offers.get(peer) ?? []) }
  }

  /**
   * An unmasking request from `from`: refused (why) when `from` may not
   * merge the round now or the request is not the plan of the survivors'
   * signed offers; else kept, and what this peer does now follows
   * (`answer`).
   */
  requestReceived (from: string, request: UnmaskRequestMessage, view: RoundView): Answer | { refused: string } {
    if (!view.mayMerge(from)) return { refused: `it is not the round's merger by the rotation and failover order` }
    const problem = this.requestProblem(request)
    if (problem !== undefined) return { refused: problem }
    const plan = { survivors: request.survivors, dropped: request.dropped }
    this.requests.set(from, { request, plan, setHash: setHash(this.round, this.baseHash, plan) })
    return this.answer(view)
  }

  /** A peer agreed to unmask the set `setHash` (its latest word counts). */
  consentReceived (from: string, consent: UnmaskConsentMessage): void {
    this.consentOf.set(from, consent.setHash)
  }

  /**
   * What this peer does about the requests it holds, now. It backs the
   * request of one merger at a time (the one it backed while that one may
   * still merge, else another that may), and agrees to its set once it can
   * check it: every survivor's offer is known, no peer the set drops is alive
   * too early, and, as a holder, it holds every update of the set. Only
   * survivors and holders publish their consent; every peer that backs a set
   * reveals for it once it is due (see revealIfDue). It never backs a set
   * other than the one it revealed for.
   */
  answer (view: RoundView): Answer {
    const candidates = [...this.requests.entries()].filter(([merger]) => view.mayMerge(merger))
    // the merger backed so far first: a peer sticks with it while it may merge
    candidates.sort(([a], [b]) => Number(b === this.chosen?.merger) - Number(a === this.chosen?.merger))
    let waiting: string | undefined
    for (const [merger, { plan, setHash: hash }] of candidates) {
      if (this.revealedFor !== undefined && this.revealedFor.setHash !== hash) continue
      const why = this.notYet(plan, view)
      if (why !== undefined) {
        waiting ??= why
        continue
      }
      this.chosen = { merger, setHash: hash }
      const answer: Answer = {}
      if (this.consentSent !== hash && (plan.survivors.includes(this.self) || view.holders().includes(this.self))) {
        this.consentSent = hash
        answer.consent = { type: 'unmask-consent', round: this.round, baseHash: this.baseHash, setHash: hash }
        this.consentReceived(this.self, answer.consent)
      }
      const reveal = this.revealIfDue(view)
      if (reveal !== undefined) answer.reveal = reveal
      return answer
    }
    return waiting === undefined ? {} : { waiting }
  }

  /**
   * This peer's reveal, when it is due: for the set it backs, once t of its
   * survivors agreed to it and a live holder other than its merger did (that
   * holder holds every update of the set, so the set can be finished if the
   * merger dies). Sealed to the round's holders and every peer that asked for
   * the set; a holder it was not sealed to yet gets it again, never another
   * set's. Undefined when nothing is due.
   */
  private revealIfDue (view: RoundView): UnmaskRevealMessage | undefined {
    const hash = this.revealedFor?.setHash ?? this.chosen?.setHash
    if (hash === undefined) return undefined
    const askers = [...this.requests.entries()].filter(([, r]) => r.setHash === hash)
    if (askers.length === 0) return undefined
    const { plan } = askers[0][1]
    const agreeing = new Set([...this.consentOf].filter(([, set]) => set === hash).map(([peer]) => peer))
    if (plan.survivors.filter(peer => agreeing.has(peer)).length < this.threshold) return undefined
    const otherHolders = view.holders().filter(peer => !askers.some(([merger]) => merger === peer) && view.isAlive(peer))
    if (otherHolders.length > 0 && !otherHolders.some(peer => agreeing.has(peer))) return undefined
    const to = [...new Set([...view.holders(), ...askers.map(([merger]) => merger)])].filter(peer => this.keys.has(peer))
    if (this.revealedFor !== undefined && to.every(peer => this.revealedFor?.to.has(peer) === true)) return undefined
    const revealed = { selfMasks: this.sharesOf(plan.survivors, 'self-mask'), maskKeys: this.sharesOf(plan.dropped, 'mask-key') }
    this.revealedFor = { setHash: hash, plan, to: new Set([...(this.revealedFor?.to ?? []), ...to]) }
    this.storeReveal(this.self, hash, revealed)
    const plaintext = encodeRevealed(revealed)
    const sealed: EncryptedShare[] = to.filter(peer => peer !== this.self).map(peer => ({ to: peer, ...seal(this.channelKeyWith(peer, this.revealContext(this.self, peer, hash)), plaintext, this.revealContext(this.self, peer, hash)) }))
    return { type: 'unmask-reveal', round: this.round, baseHash: this.baseHash, setHash: hash, sealed }
  }

  /** A reveal: the part sealed to this peer is kept (one set per revealing peer); a problem to report when it is bad. */
  revealReceived (from: string, message: UnmaskRevealMessage): string | undefined {
    const mine = message.sealed.find(s => s.to === this.self)
    if (mine === undefined) return undefined
    if (!this.keys.has(from)) return 'a reveal from a peer whose keys this peer does not hold'
    const first = this.revealerSet.get(from)
    if (first !== undefined && first !== message.setHash) return 'a reveal for a second set of the same round'
    const plaintext = this.openSealed(from, mine, this.revealContext(from, this.self, message.setHash))
    if (plaintext === undefined) return 'a reveal that does not decrypt with its sender\'s keys'
    let revealed
    try {
      revealed = decodeRevealed(plaintext)
    } catch (err) {
      return (err as Error).message
    }
    this.revealerSet.set(from, message.setHash)
    this.storeReveal(from, message.setHash, revealed)
    return undefined
  }

  /**
   * The plan some merger asked for that t survivors agreed to, if any (the
   * one most agreed to): a successor finishes it rather than asking anew.
   */
  agreedPlan (survivors?: readonly string[]): UnmaskingPlan | undefined {
    let best: { plan: UnmaskingPlan, agreeing: number } | undefined
    for (const { plan, setHash: hash } of this.requests.values()) {
      if (survivors !== undefined && plan.survivors.join(',') !== [...survivors].sort().join(',')) continue
      const agreeing = plan.survivors.filter(peer => this.consentOf.get(peer) === hash).length
      if (agreeing >= this.threshold && (best === undefined || agreeing > best.agreeing)) best = { plan, agreeing }
    }
    return best?.plan
  }

  /**
   * A dropped peer the plan may not drop yet: one that is alive, has not
   * withdrawn and has no offer the plan's own rules leave out (an update of
   * its may still come), while the round is young. Undefined when none.
   */
  droppedTooEarly (plan: UnmaskingPlan, view: RoundView): string | undefined {
    if (view.mayDropSilent()) return undefined
    const pending = plan.dropped.filter(peer => view.isAlive(peer) && !this.withdrawnPeers.has(peer))
    if (pending.length === 0) return undefined
    // offered updates the plan's rules (masks, capacity) leave out may go: with them among the candidates the plan is the same
    const candidates = new Map<string, Candidate>()
    for (const peer of [...plan.survivors, ...pending]) {
      const maskedWith = this.offers.get(peer)
      const threshold = this.commitments.get(peer)?.threshold
      if (maskedWith !== undefined && threshold !== undefined) candidates.set(peer, { maskedWith, minMasks: maskingNeeded(this.threshold, threshold) })
    }
    const offeredOut = samePlan(unmaskingPlan(candidates, this.planRules()), plan)
    return pending.find(peer => !offeredOut || !candidates.has(peer))
  }

  /**
   * The sum of the survivors' vectors, unmasked, from the shares revealed to
   * this peer for `plan`'s set; or the peers whose secrets cannot be rebuilt
   * yet (too few shares revealed so far, or shares that do not rebuild the
   * committed secret).
   */
  async unmask (masked: ReadonlyMap<string, MaskedVector>, plan: UnmaskingPlan): Promise<Uint32Array | { missing: string[] }> {
    // no sum of fewer than t updates is ever unmasked
    if (plan.survivors.length < this.threshold) return { missing: plan.survivors }
    const hash = setHash(this.round, this.baseHash, plan)
    const selfMasks = new Map<string, Uint8Array>()
    const maskKeys = new Map<string, Uint8Array>()
    const missing: string[] = []
    for (const peer of plan.survivors) {
      const commitment = this.commitments.get(peer)?.commitment
      const seed = commitment === undefined ? undefined : await this.rebuild(hash, peer, 'self-mask', secret => equalBytes(digest(secret), commitment))
      if (seed === undefined || !masked.has(peer)) missing.push(peer)
      else selfMasks.set(peer, seed)
    }
    for (const peer of plan.dropped) {
      const maskKey = this.keys.get(peer)?.maskKey
      const secret = maskKey === undefined ? undefined : await this.rebuild(hash, peer, 'mask-key', candidate => equalBytes(publicKeyOf(candidate), maskKey))
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

  /** Why a request is malformed, or cannot be the deterministic plan of the offers it names; undefined when it may be. */
  private requestProblem (request: UnmaskRequestMessage): string | undefined {
    const { survivors, dropped, survivorMasks } = request
    const sortedUnique = (list: string[]): boolean => list.every((peer, i) => i === 0 || list[i - 1] < peer)
    if (!sortedUnique(survivors) || !sortedUnique(dropped)) return 'its survivors or dropped peers are not sorted, or repeat a peer'
    if (survivors.some(peer => dropped.includes(peer))) return 'it names a peer both as a survivor and as dropped'
    if (survivorMasks.length !== survivors.length) return 'it does not say whom each survivor masked with'
    if (survivors.length < this.threshold) return `it names ${survivors.length} surviving updates; secure aggregation needs at least ${this.threshold} (no partial sum is ever revealed)`
    if (survivors.length > this.capacity) return `it names ${survivors.length} surviving updates; the round's fixed point sums at most ${this.capacity}`
    for (const [i, peer] of survivors.entries()) {
      const offered = this.offers.get(peer)
      if (offered !== undefined && offered.join(',') !== survivorMasks[i].join(',')) return `it says ${peer} masked with other peers than its signed offer says`
    }
    return undefined
  }

  /**
   * Why this peer cannot agree to a plan yet: it lacks a survivor's offer or
   * shares, the plan is not what the offers give (every survivor must mask
   * with t − 1 other survivors), or a peer it drops is alive, has not
   * withdrawn, and the round is young (its update may be on its way).
   */
  private notYet (plan: UnmaskingPlan, view: RoundView): string | undefined {
    const candidates = new Map<string, Candidate>()
    for (const peer of plan.survivors) {
      const maskedWith = this.offers.get(peer)
      const threshold = this.commitments.get(peer)?.threshold
      if (maskedWith === undefined || threshold === undefined) return `this peer has not seen the offer and shares of survivor ${peer} yet`
      candidates.set(peer, { maskedWith, minMasks: maskingNeeded(this.threshold, threshold) })
    }
    if (!samePlan(unmaskingPlan(candidates, this.planRules()), plan)) {
      return 'its survivors and dropped peers are not what the survivors\' signed offers give (every survivor must mask with t − 1 other survivors)'
    }
    const early = this.droppedTooEarly(plan, view)
    if (early !== undefined) return `it drops ${early}, which is alive and may still send its update`
    if (view.holders().includes(this.self) && !view.holdsUpdates(plan.survivors)) return 'this holder lacks some of the set\'s masked updates'
    return undefined
  }

  private planRules (): { capacity: number, participants: ReadonlySet<string> } {
    return { capacity: this.capacity, participants: this.participants }
  }

  private sharesOf (owners: string[], kind: Revealed): RevealedShare[] {
    return owners.flatMap(owner => {
      const held = this.held.get(owner)
      // its own mask key's share only once it is sure no vector of its own can be summed: it never masked one
      if (held === undefined || (kind === 'mask-key' && owner === this.self && this.masked)) return []
      return [{ owner, share: kind === 'self-mask' ? held.selfMask : held.maskKey }]
    })
  }

  private storeReveal (from: string, hash: string, revealed: { selfMasks: RevealedShare[], maskKeys: RevealedShare[] }): void {
    const bySet = this.reveals.get(hash) ?? new Map()
    this.reveals.set(hash, bySet)
    for (const [kind, shares] of [['self-mask', revealed.selfMasks], ['mask-key', revealed.maskKeys]] as const) {
      for (const { owner, share } of shares) {
        if (share.length !== SHARE_BYTES) continue
        let byOwner = bySet.get(owner)
        if (byOwner === undefined) {
          byOwner = { 'self-mask': new Map(), 'mask-key': new Map() }
          bySet.set(owner, byOwner)
        }
        if (!byOwner[kind].has(from)) byOwner[kind].set(from, share)
      }
    }
  }

  /**
   * A peer's secret from the shares revealed for a set so far: the first t
   * (by revealing peer), then all, then all but one, whichever rebuilds a
   * secret that passes `check` (so one bad share is survived).
   */
  private async rebuild (hash: string, owner: string, kind: Revealed, check: (secret: Uint8Array) => boolean): Promise<Uint8Array | undefined> {
    const threshold = this.commitments.get(owner)?.threshold ?? this.threshold
    const shares = [...(this.reveals.get(hash)?.get(owner)?.[kind] ?? new Map<string, Uint8Array>()).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, share]) => share)
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

  /** the key of what this peer and `other` seal to each other under `context` */
  private channelKeyWith (other: string, context: string): Uint8Array {
    return agreedKey(this.channel.secretKey, this.keyOf(other).channelKey, context)
  }

  /** What `from` sealed to this peer, or undefined when it does not open. */
  private openSealed (from: string, sealed: EncryptedShare, context: string): Uint8Array | undefined {
    try {
      return open(this.channelKeyWith(from, context), sealed.nonce, sealed.ciphertext, context)
    } catch {
      return undefined
    }
  }

  private shareContext (from: string, to: string): string {
    return `swarm/secure-aggregation/shares/${this.round}/${this.baseHash}/${from}/${to}`
  }

  private revealContext (from: string, to: string, hash: string): string {
    return `swarm/secure-aggregation/reveal/${this.round}/${this.baseHash}/${hash}/${from}/${to}`
  }
}
