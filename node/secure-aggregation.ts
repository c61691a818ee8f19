/**
 * The peer's side of secure aggregation: runs one SecureRound
 * (src/privacy/secure-aggregation/session.ts) per round, publishes what it
 * returns on gossip, and decides when each step may go ahead. Keys go out
 * once a round's participants are known; shares once this peer holds the
 * keys of every live participant; the masked update once it holds the
 * shares of every live peer it shared with. A peer that died is not waited
 * for beyond `waitMs`, and one the plan leaves out is unmasked away.
 */
import type { Weights } from '../src/model/weights.ts'
import { SecureRound } from '../src/privacy/secure-aggregation/session.ts'
import { unmaskingPlan } from '../src/privacy/secure-aggregation/plan.ts'
import type { UnmaskingPlan } from '../src/privacy/secure-aggregation/plan.ts'
import { boundedMean, meanChange, updateVector } from '../src/privacy/secure-aggregation/vector.ts'
import type { VectorLayout } from '../src/privacy/secure-aggregation/vector.ts'
import { gaussianNoise } from '../src/privacy/gaussian.ts'
import type { Contribution } from '../src/merge/index.ts'
import type { MaskedVector, SecureKeysMessage, SecureSharesMessage, SwarmMessage, UnmaskRequestMessage, UnmaskRevealMessage } from '../src/wire/messages.ts'
import type { EventFields, EventName } from '../src/events/catalog.ts'

/** messages kept per round this peer has not started yet: four kinds from up to 10,000 peers; a flood beyond is dropped */
const MAX_EARLY_MESSAGES = 4 * 10_000

export type SecureMessage = SecureKeysMessage | SecureSharesMessage | UnmaskRequestMessage | UnmaskRevealMessage

export interface SecureShellOptions {
  self: string
  layout: Omit<VectorLayout, 'participants'>
  /** client-level DP's noise multiplier z and clip C: each peer adds its share, N(0, z²C²/k) for k participants */
  clientNoise?: { noiseMultiplier: number, clip: number }
  /** a step waits this long at most for peers that may have died */
  waitMs: number
  now: () => number
  isAlive: (peer: string) => boolean
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
  /** when this peer first tried to unmask the round as its merger */
  firstMergeAt?: number
  waitingSaid: boolean
  /** bytes of this peer's keys message, reported with its shares */
  keysBytes: number
}

/** what the unmasking of a round gave: the mean change, the sample count behind it, and who was summed */
export interface Unmasked { change: Weights, samples: number, plan: UnmaskingPlan }

export class SecureAggregationShell {
  private readonly options: SecureShellOptions
  private readonly rounds = new Map<string, RoundState>()
  /** messages of rounds this peer has not started yet, by round key */
  private readonly early = new Map<string, Array<[string, SecureMessage]>>()

  constructor (options: SecureShellOptions) {
    this.options = options
  }

  /** The round's participants are known: this peer's keys go out. */
  roundStarted (round: number, baseHash: string, participants: string[]): void {
    const key = `${round}:${baseHash}`
    if (this.rounds.has(key)) return
    const session = new SecureRound({ self: this.options.self, round, baseHash, participants: participants.length })
    for (const k of this.rounds.keys()) if (Number(k.split(':')[0]) < round - 1) this.rounds.delete(k)
    const keysBytes = this.options.publish(session.keysMessage())
    this.rounds.set(key, { session, participants, startedAt: this.options.now(), sharing: false, sharesOut: false, maskingSaid: false, waitingSaid: false, keysBytes })
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
        const answer = session.answer(message)
        if (answer !== undefined && 'refused' in answer) this.options.record('warning', { text: `round ${message.round}: refusing ${from.slice(-8)}'s unmasking request: ${answer.refused}` })
        else if (answer !== undefined) this.options.record('unmask-revealed', { round: message.round, bytes: this.options.publish(answer) })
        break
      }
      case 'unmask-reveal':
        session.revealReceived(from, message)
        break
    }
    if (problem !== undefined) this.options.reject(from, problem)
    this.progress()
  }

  /** A peer joined: it missed the keys and commitments of the rounds under way, said again for it. */
  peerJoined (): void {
    for (const { session } of this.rounds.values()) {
      for (const message of session.published()) this.options.publish(message)
    }
  }

  /** Time passed or peers left: steps that waited may go ahead. */
  progress (): void {
    for (const state of this.rounds.values()) {
      if (state.session.hasShared || state.sharing) continue
      const missing = state.participants.filter(p => this.options.isAlive(p) && !state.session.keyHolders().includes(p))
      const waited = this.options.now() - state.startedAt >= this.options.waitMs
      if ((missing.length > 0 && !waited) || state.session.keyHolders().length < state.session.threshold) continue
      state.sharing = true
      void state.session.sharesMessage().then(message => {
        const bytes = this.options.publish(message)
        state.sharesOut = true
        this.options.record('secure-shares-sent', { round: state.session.round, to: message.shares.length, bytes: state.keysBytes + bytes })
      })
    }
  }

  /**
   * This peer's masked update for a round: its change clipped, weighted and
   * masked, once it holds the shares of every live peer it shared with (or
   * waited `waitMs`). A peer new to the swarm takes part like a participant:
   * the smallest sum counts only the round's participants, which every peer
   * knows alike. Undefined when the round moved on meanwhile.
   */
  async mask (round: number, baseHash: string, change: Weights, samples: number, stillWanted: () => boolean): Promise<MaskedVector | undefined> {
    for (;;) {
      const state = this.rounds.get(`${round}:${baseHash}`)
      if (!stillWanted()) return undefined
      if (state?.sharesOut === true) {
        if (!state.maskingSaid) {
          state.maskingSaid = true
          this.options.record('masking', { round })
        }
        state.maskAskedAt ??= this.options.now()
        const holders = state.session.shareHolders()
        const missing = state.session.keyHolders().filter(p => this.options.isAlive(p) && !holders.includes(p))
        if (missing.length === 0 || this.options.now() - state.maskAskedAt >= this.options.waitMs) {
          const layout = this.layout(state)
          const noise = layout.noiseStd > 0 ? gaussianNoise(change.reduce((n, t) => n + t.values.length, 0), layout.noiseStd) : undefined
          return state.session.maskVector(updateVector(change, samples, layout, noise))
        }
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }

  /**
   * The mean change of a round's masked contributions. As the merger
   * (`ask`), this peer asks the swarm for the secrets, or defers the merge
   * ('deferred'): while fewer updates than the threshold survive, and for up
   * to `waitMs` while a peer its plan would drop is still alive (its masked
   * update may be on its way, and a request that drops a live peer competes
   * with the one that sums it). As a holder that verifies another's merge it
   * uses the answers to the merger's request. Undefined when the round moved
   * on meanwhile.
   */
  async unmask (round: number, baseHash: string, contributions: Contribution[], like: Weights, ask: boolean, stillWanted: () => boolean): Promise<Unmasked | 'deferred' | undefined> {
    const state = this.rounds.get(`${round}:${baseHash}`)
    if (state === undefined) return ask ? 'deferred' : undefined
    const masked = new Map(contributions.filter(c => c.masked !== undefined).map(c => [c.peer, c.masked as MaskedVector]))
    const plan = unmaskingPlan(new Map([...masked].map(([peer, m]) => [peer, m.maskedWith])))
    if (ask) {
      if (plan.survivors.length < state.session.threshold) {
        this.waiting(state, round, `${plan.survivors.length} masked updates survive and secure aggregation needs ${state.session.threshold} to unmask their sum; waiting for more (no partial sum is ever revealed)`)
        return 'deferred'
      }
      state.firstMergeAt ??= this.options.now()
      const alive = plan.dropped.filter(peer => this.options.isAlive(peer))
      if (alive.length > 0 && this.options.now() - state.firstMergeAt < this.options.waitMs) return 'deferred'
      const request: UnmaskRequestMessage = { type: 'unmask-request', round, baseHash, ...plan }
      const bytes = this.options.publish(request)
      this.options.record('unmask-requested', { round, survivors: plan.survivors, dropped: plan.dropped, bytes })
      this.received(this.options.self, request)
    }
    for (;;) {
      if (!stillWanted()) return undefined
      const sum = await state.session.unmask(masked, plan)
      if (sum instanceof Uint32Array) {
        const layout = this.layout(state)
        const { change, samples } = meanChange(sum, plan.survivors.length, layout, like)
        return { change: this.checked(change, layout, round), samples, plan }
      }
      if (this.options.now() - state.startedAt > 2 * this.options.waitMs) this.waiting(state, round, `the secrets of ${sum.missing.map(p => p.slice(-8)).join(', ')} are not revealed by enough peers yet`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  /** The one check left on a masked round (vector.ts, boundedMean); the operator is told when it fires. */
  private checked (change: Weights, layout: VectorLayout, round: number): Weights {
    const bounded = boundedMean(change, layout)
    if (bounded.change === change) return change
    this.options.record('secure-sum-clipped', { round, norm: bounded.norm, bound: layout.clipNorm })
    return bounded.change
  }

  private waiting (state: RoundState, round: number, why: string): void {
    if (state.waitingSaid) return
    state.waitingSaid = true
    this.options.record('secure-aggregation-waiting', { round, why })
  }

  private layout (state: RoundState): VectorLayout {
    const participants = state.participants.length
    const noise = this.options.clientNoise
    return { ...this.options.layout, participants, noiseStd: noise === undefined ? 0 : (noise.noiseMultiplier * noise.clip) / Math.sqrt(participants) }
  }
}
