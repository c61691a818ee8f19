/**
 * The peer's side of secure aggregation: runs one SecureRound
 * (src/privacy/secure-aggregation/session.ts) per round, publishes what it
 * returns on gossip, and decides when each step may go ahead. Keys go out
 * once a round's participants are known; shares once this peer holds the
 * keys of every live peer the round expects (or waited `waitMs`); the masked
 * update once it holds the shares of every live peer it shared with (or
 * waited). Steps wait for events (a message, a peer coming or going, an
 * update arriving, the peer's tick), never on a polling loop of their own.
 */
import type { Weights } from '../src/model/weights.ts'
import { SecureRound } from '../src/privacy/secure-aggregation/session.ts'
import type { Answer, RoundView } from '../src/privacy/secure-aggregation/session.ts'
import { samePlan, setHash } from '../src/privacy/secure-aggregation/plan.ts'
import type { UnmaskingPlan } from '../src/privacy/secure-aggregation/plan.ts'
import { boundedMean, countsFit, meanChange, updateVector } from '../src/privacy/secure-aggregation/vector.ts'
import type { VectorLayout } from '../src/privacy/secure-aggregation/vector.ts'
import { gaussianNoise } from '../src/privacy/gaussian.ts'
import type { Contribution } from '../src/merge/index.ts'
import type { MaskedVector, SecureKeysMessage, SecureSharesMessage, SwarmMessage, UnmaskConsentMessage, UnmaskRequestMessage, UnmaskRevealMessage } from '../src/wire/messages.ts'
import type { EventFields, EventName } from '../src/events/catalog.ts'

/** messages kept per round this peer has not started yet: five kinds from up to 10,000 peers; a flood beyond is dropped */
const MAX_EARLY_MESSAGES = 5 * 10_000
/** a merger says its request again this often while it waits (gossip may lose it; answerers' views change) */
const REQUEST_REPEAT_MS = 2000
/**
 * how long shares wait for the keys of participants this peer is not
 * connected to yet, and of live members that are no participant and have not
 * announced the round yet: peers that joined, or sat the last
 * round out, start the round at the same moment as the others and must not
 * be left out of every round's key agreement by a few milliseconds
 */
const MEMBER_KEYS_GRACE_MS = 2000

export type SecureMessage = SecureKeysMessage | SecureSharesMessage | UnmaskRequestMessage | UnmaskConsentMessage | UnmaskRevealMessage

/** What the shell needs to know of the round protocol (the round machine answers). */
export interface RoundFacts {
  /** the peers the round expects updates from: its participants and the peers that announced it */
  expected: () => string[]
  /** the current round's update holders */
  holders: () => string[]
  /** whether `peer` may merge the current round now, by the rotation and failover order */
  mayMerge: (peer: string) => boolean
  /** the masked updates this peer holds of the current round, by sender */
  held: () => ReadonlyMap<string, MaskedVector>
}

export interface SecureShellOptions {
  self: string
  layout: Omit<VectorLayout, 'capacity' | 'noiseStd'>
  /**
   * client-level DP's noise multiplier z and clip C: each peer adds
   * N(0, z²C²/(t − 1)), so that the noise of the others alone, t − 1 peers at
   * least in any unmasked sum, has the variance z²C² the accountant counts
   */
  clientNoise?: { noiseMultiplier: number, clip: number }
  /** a step waits this long at most for peers that may have died */
  waitMs: number
  /** a live peer that never sent its masked update may be dropped once a round is this old */
  dropSilentAfterMs: number
  now: () => number
  isAlive: (peer: string) => boolean
  /** the live members of the swarm */
  members: () => string[]
  round: RoundFacts
  /** publishes on gossip; returns the payload's size in bytes */
  publish: (message: SwarmMessage) => number
  /** a message to drop, with why */
  reject: (from: string, detail: string) => void
  /** an event for the log */
  record: <N extends EventName>(name: N, fields: EventFields<N>) => void
}

interface RoundState {
  session: SecureRound
  participants: string[]
  startedAt: number
  sharing: boolean
  /** this peer's shares are published: it may mask (others can then remove its masks if it dies) */
  sharesOut: boolean
  /** training finished and the masking began (logged once) */
  maskingSaid: boolean
  /** when this peer asked for its masked update to be made, to bound the wait for shares */
  maskAskedAt?: number
  /** this peer's request as the merger, and when it said it last */
  asked?: { plan: UnmaskingPlan, at: number, first: number }
  waitingSaid: boolean
  /** a failed step was reported */
  failureSaid?: boolean
  /** requesters whose refused requests were reported */
  refusalsSaid: Set<string>
  /** the sets this peer's requests asked for, as logged */
  requestsSaid: Set<string>
  /** bytes of this peer's keys message, reported with its shares */
  keysBytes: number
  /** bytes of the consents this peer published (the consistency step) */
  consentBytes: number
}

/** what the unmasking of a round gave: the mean change, the sample count behind it, and who was summed */
export interface Unmasked { change: Weights, samples: number, plan: UnmaskingPlan }

export class SecureAggregationShell {
  private readonly options: SecureShellOptions
  private readonly rounds = new Map<string, RoundState>()
  /** messages of rounds this peer has not started yet, by round key */
  private readonly early = new Map<string, Array<[string, SecureMessage]>>()
  /** steps waiting for something to happen: each runs on progress and returns true once done */
  private readonly waiting = new Set<() => boolean>()

  constructor (options: SecureShellOptions) {
    this.options = options
  }

  /** The round's participants are known: this peer's keys go out. */
  roundStarted (round: number, baseHash: string, participants: string[]): void {
    const key = `${round}:${baseHash}`
    if (this.rounds.has(key)) return
    const session = new SecureRound({ self: this.options.self, round, baseHash, participants })
    for (const k of this.rounds.keys()) if (Number(k.split(':')[0]) < round - 1) this.rounds.delete(k)
    const keysBytes = this.options.publish(session.keysMessage())
    this.rounds.set(key, { session, participants, startedAt: this.options.now(), sharing: false, sharesOut: false, maskingSaid: false, waitingSaid: false, refusalsSaid: new Set(), requestsSaid: new Set(), keysBytes, consentBytes: 0 })
    for (const [from, message] of this.early.get(key) ?? []) this.received(from, message)
    this.early.delete(key)
    this.progress()
  }

  received (from: string, message: SecureMessage): void {
    const key = `${message.round}:${message.baseHash}`
    const state = this.rounds.get(key)
    if (state === undefined) {
      const early = this.early.get(key) ?? []
      if (early.length < MAX_EARLY_MESSAGES) early.push([from, message])
      this.early.set(key, early)
      for (const k of this.early.keys()) if (Number(k.split(':')[0]) < message.round - 2) this.early.delete(k)
      return
    }
    const { session } = state
    let problem: string | undefined
    switch (message.type) {
      case 'secure-keys':
        problem = session.keysReceived(from, message)
        break
      case 'secure-shares':
        problem = session.sharesReceived(from, message)
        break
      case 'unmask-request': {
        const answer = session.requestReceived(from, message, this.view(state))
        if ('refused' in answer) this.refused(state, from, answer.refused)
        else this.publishAnswer(state, answer)
        break
      }
      case 'unmask-consent':
        session.consentReceived(from, message)
        break
      case 'unmask-reveal':
        problem = session.revealReceived(from, message)
        break
    }
    if (problem !== undefined) this.options.reject(from, problem)
    this.progress()
  }

  /** A signed offer of a masked update: whom it masked with, and the samples it weighs with. */
  offerReceived (from: string, round: number, baseHash: string, maskedWith: string[], samples: number): void {
    const state = this.rounds.get(`${round}:${baseHash}`)
    if (state === undefined) return
    state.session.offerReceived(from, maskedWith, samples)
    this.progress()
  }

  /** A peer takes no part in the round after all. */
  withdrawn (from: string, round: number, baseHash: string): void {
    this.rounds.get(`${round}:${baseHash}`)?.session.withdrawn(from)
    this.progress()
  }

  /** Whether this peer heard `from`'s offer say it masked with exactly `maskedWith` (a masked update must match its offer). */
  matchesOffer (from: string, round: number, baseHash: string, maskedWith: readonly string[]): boolean {
    return this.rounds.get(`${round}:${baseHash}`)?.session.offerOf(from)?.join(',') === maskedWith.join(',')
  }

  /** A peer joined: it missed the keys and commitments of the rounds under way, said again for it. */
  peerJoined (): void {
    for (const { session } of this.rounds.values()) {
      for (const message of session.published()) this.options.publish(message)
    }
  }

  /** Something happened (a message, a peer came or went, an update arrived, time passed): steps that waited may go ahead. */
  progress (): void {
    for (const state of this.rounds.values()) {
      try {
        this.shareWhenReady(state)
        if (state.sharesOut) this.publishAnswer(state, state.session.answer(this.view(state)))
      } catch (err) {
        // what a round holds came from other peers: a step that fails on it is reported (once), and never ends this peer
        if (!state.failureSaid) this.options.record('warning', { text: `round ${state.session.round}: a secure-aggregation step failed: ${(err as Error).message}` })
        state.failureSaid = true
      }
    }
    for (const step of [...this.waiting]) if (step()) this.waiting.delete(step)
  }

  /**
   * This peer's masked update for a round: its change clipped, weighted (and
   * noised, with client-level DP) and masked, once it holds the shares of
   * every live peer it shared with (or waited `waitMs`). A peer that could
   * mask with too few peers sits the round out ('sit-out'; the session says
   * why). Undefined when the round moved on meanwhile.
   */
  async mask (round: number, baseHash: string, change: Weights, samples: number, stillWanted: () => boolean): Promise<MaskedVector | 'sit-out' | undefined> {
    const key = `${round}:${baseHash}`
    await this.until(() => {
      if (!stillWanted()) return true
      const state = this.rounds.get(key)
      if (state?.sharesOut !== true) return false
      state.maskAskedAt ??= this.options.now()
      const holders = state.session.shareHolders()
      const missing = state.session.keyHolders().filter(p => this.options.isAlive(p) && !holders.includes(p))
      return missing.length === 0 || this.options.now() - state.maskAskedAt >= this.options.waitMs
    })
    const state = this.rounds.get(key)
    if (!stillWanted() || state === undefined) return undefined
    if (!state.maskingSaid) {
      state.maskingSaid = true
      this.options.record('masking', { round })
    }
    const layout = this.layout(state)
    if (!countsFit(layout)) {
      this.options.record('warning', { text: `round ${round}: ${layout.capacity} peers' sample counts of up to --secure-max-samples ${layout.maxSamples} could wrap the ring; this peer sits the round out (lower --secure-max-samples)` })
      return 'sit-out'
    }
    const noise = layout.noiseStd > 0 ? gaussianNoise(change.reduce((n, t) => n + t.values.length, 0), layout.noiseStd) : undefined
    const masked = state.session.maskVector(updateVector(change, samples, layout, noise))
    if ('sitOut' in masked) {
      this.options.record('warning', { text: `round ${round}: this peer sits the round out and takes part from the next one: ${masked.sitOut}` })
      return 'sit-out'
    }
    return masked
  }

  /**
   * The mean change of a round's masked contributions. As the merger
   * (`ask`), this peer asks the swarm for the secrets, or defers the merge
   * ('deferred') while fewer updates than the threshold survive, or while
   * its plan would drop a live peer too early (answerers would not agree),
   * or when the set it asked for cannot gather the consents it needs. It
   * finishes a set the swarm already agreed to rather than asking anew (its
   * leader died while unmasking). As a holder that verifies another's merge
   * it uses the shares revealed for that merge's set. Undefined when the
   * round moved on meanwhile.
   */
  async unmask (round: number, baseHash: string, contributions: Contribution[], like: Weights, ask: boolean, stillWanted: () => boolean): Promise<Unmasked | 'deferred' | undefined> {
    const state = this.rounds.get(`${round}:${baseHash}`)
    if (state === undefined) return ask ? 'deferred' : undefined
    const masked = new Map(contributions.filter(c => c.masked !== undefined).map(c => [c.peer, c.masked as MaskedVector]))
    let plan: UnmaskingPlan | undefined
    if (ask) {
      plan = this.mergerPlan(state, masked)
      if (plan === undefined) return 'deferred'
    } else {
      // a verifier waits until it has seen t survivors agree to the set its merge names
      const contributors = [...masked.keys()]
      await this.until(() => !stillWanted() || state.session.agreedPlan(contributors) !== undefined)
      plan = state.session.agreedPlan(contributors)
      if (!stillWanted() || plan === undefined) return undefined
    }
    for (;;) {
      if (!stillWanted()) return undefined
      const sum = await state.session.unmask(masked, plan)
      if (sum instanceof Uint32Array) {
        const layout = this.layout(state)
        const announced = state.session.announcedSamples(plan.survivors)
        const { change, samples } = meanChange(sum, plan.survivors.length, layout, like, layout.weighting === 'samples' ? announced : undefined)
        if (layout.weighting === 'samples' && samples !== announced) {
          this.options.record('warning', { text: `round ${round}: the unmasked sample count ${samples} is not the ${announced} the survivors' offers announced: a peer weighted its update with another count; the mean is divided by the announced count and bounded` })
        }
        return { change: this.checked(change, layout, round, plan.survivors.length), samples: announced, plan }
      }
      if (ask && state.asked !== undefined) {
        if (this.options.now() - state.asked.first > this.options.waitMs && state.session.agreedPlan() === undefined) {
          // the set cannot gather its consents (survivors died before agreeing): the next merge job plans anew
          state.asked = undefined
          return 'deferred'
        }
        this.askAgain(state)
      }
      if (this.options.now() - state.startedAt > 2 * this.options.waitMs) this.say(state, round, `the secrets of ${sum.missing.map(p => p.slice(-8)).join(', ')} are not revealed to this peer by enough peers yet`)
      await this.next()
    }
  }

  /** The merger's plan, asked for; undefined when the merge must wait. */
  private mergerPlan (state: RoundState, masked: ReadonlyMap<string, MaskedVector>): UnmaskingPlan | undefined {
    const { session } = state
    const agreed = session.agreedPlan()
    const plan = agreed !== undefined && agreed.survivors.every(peer => masked.has(peer)) ? agreed : session.plan(masked)
    if (plan.survivors.length < session.threshold) {
      this.say(state, session.round, `${plan.survivors.length} masked updates survive and secure aggregation needs ${session.threshold} to unmask their sum; waiting for more (no partial sum is ever revealed)`)
      return undefined
    }
    // answerers would not agree yet to drop a live peer that may still send its update
    if (agreed === undefined && session.droppedTooEarly(plan, this.view(state)) !== undefined) return undefined
    if (state.asked === undefined || !samePlan(state.asked.plan, plan)) {
      const now = this.options.now()
      state.asked = { plan, at: now, first: now }
      const request = session.request(plan)
      const bytes = this.options.publish(request)
      // said once per set: a merger that waits asks again, and may come back to a set it asked for
      const key = setHash(session.round, session.baseHash, plan)
      if (!state.requestsSaid.has(key)) {
        state.requestsSaid.add(key)
        this.options.record('unmask-requested', { round: session.round, survivors: plan.survivors, dropped: plan.dropped, bytes })
      }
      this.received(this.options.self, request)
    }
    return plan
  }

  /** Says the merger's request again, at most every REQUEST_REPEAT_MS. */
  private askAgain (state: RoundState): void {
    const asked = state.asked
    if (asked === undefined || this.options.now() - asked.at < REQUEST_REPEAT_MS) return
    asked.at = this.options.now()
    this.options.publish(state.session.request(asked.plan))
  }

  /** Shares go out once the keys of every live expected peer are in (or after waitMs). */
  private shareWhenReady (state: RoundState): void {
    if (state.session.hasShared || state.sharing) return
    const expected = new Set([...state.participants, ...this.options.round.expected()])
    const keys = new Set(state.session.keyHolders())
    const waited = this.options.now() - state.startedAt
    const missing = [...expected].filter(p => this.options.isAlive(p) && !keys.has(p))
    // a participant not connected yet (it joined the others a moment ago), or a member that has not announced the round
    const missingLate = [...expected, ...this.options.members()].filter(p => !keys.has(p) && !missing.includes(p))
    if (missing.length > 0 && waited < this.options.waitMs) return
    if (missingLate.length > 0 && waited < Math.min(this.options.waitMs, MEMBER_KEYS_GRACE_MS)) return
    if (keys.size < 2) return
    state.sharing = true
    state.session.sharesMessage().then(message => {
      const bytes = this.options.publish(message)
      state.sharesOut = true
      this.options.record('secure-shares-sent', { round: state.session.round, to: message.shares.length, bytes: state.keysBytes + bytes })
      this.progress()
    }, (err: unknown) => {
      this.options.record('warning', { text: `round ${state.session.round}: could not share the secure-aggregation secrets: ${(err as Error).message}` })
    })
  }

  private publishAnswer (state: RoundState, answer: Answer): void {
    const round = state.session.round
    if (answer.consent !== undefined) state.consentBytes += this.options.publish(answer.consent)
    if (answer.reveal !== undefined) this.options.record('unmask-revealed', { round, bytes: this.options.publish(answer.reveal), consentBytes: state.consentBytes })
  }

  private refused (state: RoundState, from: string, why: string): void {
    if (state.refusalsSaid.has(from)) return
    state.refusalsSaid.add(from)
    this.options.record('warning', { text: `round ${state.session.round}: refusing ${from.slice(-8)}'s unmasking request: ${why}` })
  }

  private view (state: RoundState): RoundView {
    const { round } = this.options
    return {
      isAlive: this.options.isAlive,
      holders: round.holders,
      mayMerge: round.mayMerge,
      mayDropSilent: () => this.options.now() - state.startedAt >= this.options.dropSilentAfterMs,
      holdsUpdates: peers => {
        const held = round.held()
        return peers.every(peer => held.has(peer))
      }
    }
  }

  /** The check left on a masked round (vector.ts, boundedMean); the operator is told when it fires. */
  private checked (change: Weights, layout: VectorLayout, round: number, contributors: number): Weights {
    const bounded = boundedMean(change, layout, contributors)
    if (bounded.change === change) return change
    this.options.record('secure-sum-clipped', { round, norm: bounded.norm, bound: bounded.bound })
    return bounded.change
  }

  private say (state: RoundState, round: number, why: string): void {
    if (state.waitingSaid) return
    state.waitingSaid = true
    this.options.record('secure-aggregation-waiting', { round, why })
  }

  private layout (state: RoundState): VectorLayout {
    const { session } = state
    const noise = this.options.clientNoise
    // the noise of the others, t − 1 peers at least in any sum, must alone be z·C
    const noiseStd = noise === undefined ? 0 : (noise.noiseMultiplier * noise.clip) / Math.sqrt(Math.max(1, session.threshold - 1))
    return { ...this.options.layout, capacity: session.capacity, noiseStd }
  }

  /** Resolves once `done` holds, checked now and at every progress. */
  private async until (done: () => boolean): Promise<void> {
    if (done()) return
    await new Promise<void>(resolve => {
      this.waiting.add(() => {
        if (!done()) return false
        resolve()
        return true
      })
    })
  }

  /** Resolves at the next progress. */
  private async next (): Promise<void> {
    await new Promise<void>(resolve => {
      this.waiting.add(() => {
        resolve()
        return true
      })
    })
  }
}
