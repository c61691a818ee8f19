/**
 * The round protocol as a state machine with no I/O. The peer shell feeds it
 * what happens (peers come and go, updates and global models arrive, local
 * training finishes) and carries out the actions it returns. Unit tests drive
 * it the same way, with no network and no tfjs.
 *
 * One round: begin (rotation picks the leader) → train locally → offer the
 * update → the leader (and its next successors, the round's update holders)
 * fetch the offered updates → the leader merges once every live participant
 * has published → everyone adopts the new global model → next round.
 */
import type { MergeMethod } from '../merge/types.ts'
import { modelHash } from '../model/weights.ts'
import type { Weights } from '../model/weights.ts'
import { rotationOrder } from './rotation.ts'
import { preferredGlobal } from './types.ts'
import type { GlobalModel, ModelUpdate } from './types.ts'
import type { DropReason } from './validation.ts'

export interface RoundSettings {
  /** this peer's ID */
  self: string
  /** a round starts only when at least this many peers (self included) are present */
  minPeers: number
  /** the swarm stops after this global round */
  rounds: number
  merge: MergeMethod
  /** the clock, in ms; tests pass a fake one */
  now: () => number
  /** once this long has passed since a round began, the leader merges the updates it holds if at least minPeers */
  quorumWaitMs: number
  /** a silent leader's k-th successor merges what it holds after quorumWaitMs + k × failoverDelayMs */
  failoverDelayMs: number
}

/**
 * How many peers at the head of a round's rotation order fetch every update:
 * the leader and its first successors, so a successor that takes over already
 * holds the updates.
 */
export const UPDATE_HOLDERS = 3

export type RoundAction =
  | { type: 'waiting-for-peers', have: number, need: number }
  | { type: 'reject', from: string, reason: DropReason, detail: string }
  | { type: 'fetch-update', from: string, round: number, baseHash: string }
  | { type: 'peer-left', peer: string, round: number }
  | { type: 'leader-failover', round: number, from: string, to: string }
  | { type: 'start-round', round: number, participants: string[], leader: string, base: GlobalModel }
  /** `base` holds the weights of the global model the update was trained from */
  | { type: 'publish-update', update: ModelUpdate, base: Weights }
  | { type: 'publish-global', model: GlobalModel }
  | { type: 'adopt', model: GlobalModel }
  | { type: 'finish', model: GlobalModel }

export type RoundPhase = 'waiting-for-peers' | 'training' | 'collecting' | 'done'

export class RoundMachine {
  private readonly settings: RoundSettings
  private global: GlobalModel
  private phase: RoundPhase = 'waiting-for-peers'
  /** peers may be known before start(); rounds begin only after it */
  private started = false
  private waitingReported = false
  private roundStartedAt = 0
  /** live peers other than self */
  private readonly members = new Set<string>()
  /** the current round's leader order (rotation over the participants) */
  private order: string[] = []
  /**
   * Who may merge the rounds this peer worked on (the latest two): the round's
   * participants, the only peers that can be its leader or a failover
   * successor. Round 1 also admits every peer that took part in it (announced,
   * offered or sent an update): each peer starts round 1 with the members it
   * sees, so their participant lists can differ, and a peer that took part
   * may have been the leader in its own view. The preference rule then picks
   * one model for all. Later rounds' participants are the contributors of the
   * previous model, the same for every peer.
   */
  private readonly mayMerge = new Map<number, Set<string>>()
  /** peers that said they train in a round, by round */
  private readonly announced = new Map<number, Set<string>>()
  /** updates by `${round}:${baseHash}`, then by sender */
  private readonly updates = new Map<string, Map<string, ModelUpdate>>()
  /** updates offered but not held, by `${round}:${baseHash}`: sender → fetch requested yet (the shell retries a requested fetch itself) */
  private readonly offers = new Map<string, Map<string, boolean>>()

  constructor (settings: RoundSettings, genesis: GlobalModel) {
    this.settings = settings
    this.global = genesis
  }

  /** The round being worked on: one past the newest global model. */
  get round (): number {
    return this.global.round + 1
  }

  get globalModel (): GlobalModel {
    return this.global
  }

  start (): RoundAction[] {
    this.started = true
    if (this.global.round >= this.settings.rounds) return this.finish()
    return this.beginRoundWhenEnoughPeers()
  }

  peerJoined (peer: string): RoundAction[] {
    if (peer === this.settings.self || this.members.has(peer)) return []
    this.members.add(peer)
    return this.started && this.phase === 'waiting-for-peers' ? this.beginRoundWhenEnoughPeers() : []
  }

  peerLeft (peer: string): RoundAction[] {
    const leaderBefore = this.leader()
    if (!this.members.delete(peer)) return []
    const actions: RoundAction[] = [{ type: 'peer-left', peer, round: this.round }]
    const leaderNow = this.leader()
    if (leaderBefore === peer && leaderNow !== undefined) actions.push({ type: 'leader-failover', round: this.round, from: peer, to: leaderNow })
    // a holder that left may make this peer a holder, or the leader
    return [...actions, ...this.fetchesDue(), ...this.mergeIfDue()]
  }

  /** Time passed: merges that wait for the quorum wait or a failover delay may be due. */
  tick (): RoundAction[] {
    return this.mergeIfDue()
  }

  /** A peer said it is training `round` (it may be a newcomer the leader should wait for). */
  announceReceived (from: string, round: number): RoundAction[] {
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return outside
    this.tookPart(round, from)
    return []
  }

  /** A peer offers its update for a round; holders of the round fetch it. */
  updateOffered (from: string, round: number, baseHash: string): RoundAction[] {
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return outside
    this.tookPart(round, from)
    const key = `${round}:${baseHash}`
    const offers = this.offers.get(key) ?? new Map<string, boolean>()
    if (this.updatesFor(round, baseHash).has(from) || offers.has(from)) {
      return [{ type: 'reject', from, reason: 'duplicate-update', detail: `a second offer for round ${round}` }]
    }
    this.offers.set(key, offers)
    offers.set(from, false)
    return this.fetchesDue()
  }

  updateReceived (update: ModelUpdate): RoundAction[] {
    const outside = this.outsideWindow(update.from, update.round)
    if (outside !== undefined) return outside
    const stored = this.updatesFor(update.round, update.baseHash)
    if (stored.has(update.from)) return [{ type: 'reject', from: update.from, reason: 'duplicate-update', detail: `a second update for round ${update.round}` }]
    stored.set(update.from, update)
    this.offers.get(`${update.round}:${update.baseHash}`)?.delete(update.from)
    this.tookPart(update.round, update.from)
    return this.mergeIfDue()
  }

  /** Local training of `round` from the global model `baseHash` finished. */
  localUpdateReady (round: number, baseHash: string, weights: Weights, samples: number): RoundAction[] {
    if (this.phase !== 'training' || round !== this.round || baseHash !== this.global.modelHash) return []
    const update: ModelUpdate = { round, from: this.settings.self, baseHash, samples, weights }
    this.updatesFor(round, baseHash).set(update.from, update)
    this.phase = 'collecting'
    return [{ type: 'publish-update', update, base: this.global.weights }, ...this.mergeIfDue()]
  }

  /**
   * A global model from `from` (already checked against its hash and shapes by
   * the shell). Models for the round being worked on, or competing with the one
   * held, must be merged by one of that round's participants: the leader or a
   * failover successor. A model further ahead (this peer missed rounds) cannot
   * be checked that way: this peer does not know those rounds' participants.
   */
  globalReceived (model: GlobalModel, from: string): RoundAction[] {
    const reject = (reason: DropReason, detail: string): RoundAction[] => [{ type: 'reject', from, reason, detail }]
    if (model.round > this.settings.rounds) return reject('future-round', `a global model for round ${model.round}; the swarm stops after round ${this.settings.rounds}`)
    if (model.round < this.global.round) return model.round === this.global.round - 1 ? [] : reject('stale-round', `a global model for round ${model.round}; this peer holds round ${this.global.round}`)
    if (model.modelHash === this.global.modelHash) return []
    const mergers = this.mayMerge.get(model.round)
    if (mergers !== undefined && model.round > 0 && !mergers.has(model.merger)) {
      return reject('not-leader', `${model.merger} merged round ${model.round} but did not take part in it`)
    }
    if (model.round > this.global.round) return this.adopt(model)
    if (model.round > 0 && preferredGlobal(model, this.global) === model) return this.adopt(model)
    return []
  }

  /**
   * Messages for the round being worked on and the next one are taken; the
   * round just finished is ignored (late, harmless); anything older is stale
   * and anything further ahead is refused.
   */
  private outsideWindow (from: string, round: number): RoundAction[] | undefined {
    if (round === this.round || round === this.round + 1) {
      return round > this.settings.rounds ? [{ type: 'reject', from, reason: 'future-round', detail: `round ${round}; the swarm stops after round ${this.settings.rounds}` }] : undefined
    }
    if (round === this.round - 1) return []
    if (round < this.round) return [{ type: 'reject', from, reason: 'stale-round', detail: `round ${round}; this peer works on round ${this.round}` }]
    return [{ type: 'reject', from, reason: 'future-round', detail: `round ${round}; this peer works on round ${this.round}` }]
  }

  private beginRoundWhenEnoughPeers (): RoundAction[] {
    const have = this.members.size + 1
    if (have < this.settings.minPeers) {
      this.phase = 'waiting-for-peers'
      if (this.waitingReported) return []
      this.waitingReported = true
      return [{ type: 'waiting-for-peers', have, need: this.settings.minPeers }]
    }
    this.waitingReported = false
    this.roundStartedAt = this.settings.now()
    const participants = this.global.round === 0 ? [this.settings.self, ...this.members] : this.global.contributors
    this.order = rotationOrder(this.round, participants)
    this.mayMerge.set(this.round, new Set([...this.order, ...(this.round === 1 ? this.announcedFor(1) : [])]))
    this.phase = 'training'
    this.tookPart(this.round, this.settings.self)
    return [
      { type: 'start-round', round: this.round, participants: this.order, leader: this.leader() ?? this.settings.self, base: this.global },
      ...this.fetchesDue()
    ]
  }

  /** Whether this peer fetches and keeps every update of the current round. */
  private isHolder (): boolean {
    if (this.leader() === this.settings.self) return true
    return this.order.filter(peer => this.isAlive(peer)).slice(0, UPDATE_HOLDERS).includes(this.settings.self)
  }

  /** Fetches of offered updates of the current round that a holder has not asked for yet. */
  private fetchesDue (): RoundAction[] {
    if (this.phase === 'waiting-for-peers' || this.phase === 'done' || !this.isHolder()) return []
    const offers = this.offers.get(`${this.round}:${this.global.modelHash}`)
    if (offers === undefined) return []
    const actions: RoundAction[] = []
    for (const [from, requested] of offers) {
      if (requested || !this.isAlive(from)) continue
      offers.set(from, true)
      actions.push({ type: 'fetch-update', from, round: this.round, baseHash: this.global.modelHash })
    }
    return actions
  }

  /** The first live peer in the rotation order; self leads when no participant is left. */
  private leader (): string | undefined {
    if (this.phase === 'waiting-for-peers' || this.phase === 'done') return undefined
    return this.order.find(peer => this.isAlive(peer)) ?? this.settings.self
  }

  private isAlive (peer: string): boolean {
    return peer === this.settings.self || this.members.has(peer)
  }

  /**
   * Merges the round when this peer should: as the leader, once every live
   * participant (and every live peer that announced the round) has delivered,
   * or once the quorum wait has passed; as the k-th successor of a leader that
   * stays silent, after k failover delays more. Never with fewer than minPeers
   * updates: then the swarm waits for peers and says so once.
   */
  private mergeIfDue (): RoundAction[] {
    if (this.phase !== 'collecting') return []
    const live = this.order.filter(peer => this.isAlive(peer))
    const position = this.leader() === this.settings.self ? 0 : live.indexOf(this.settings.self)
    if (position < 0 || position >= UPDATE_HOLDERS) return []
    const updates = this.updatesFor(this.round, this.global.modelHash)
    const expected = new Set([...this.order, ...this.announcedFor(this.round)])
    const complete = [...expected].every(peer => !this.isAlive(peer) || updates.has(peer))
    const waited = this.settings.now() - this.roundStartedAt
    const due = position === 0
      ? complete || waited >= this.settings.quorumWaitMs
      : waited >= this.settings.quorumWaitMs + position * this.settings.failoverDelayMs
    if (!due) return []
    if (updates.size < this.settings.minPeers) {
      if (!complete || this.waitingReported) return []
      this.waitingReported = true
      return [{ type: 'waiting-for-peers', have: this.members.size + 1, need: this.settings.minPeers }]
    }
    const failover: RoundAction[] = position === 0 ? [] : [{ type: 'leader-failover', round: this.round, from: live[0], to: this.settings.self }]
    const contributions = [...updates.values()].map(u => ({ peer: u.from, weights: u.weights, samples: u.samples }))
    const merged = this.settings.merge(contributions)
    const model: GlobalModel = {
      round: this.round,
      weights: merged.weights,
      modelHash: modelHash(merged.weights),
      contributors: contributions.map(c => c.peer).sort(),
      merger: this.settings.self,
      samples: merged.samples
    }
    return [...failover, { type: 'publish-global', model }, ...this.adopt(model)]
  }

  private adopt (model: GlobalModel): RoundAction[] {
    this.global = model
    this.forgetRoundsBefore(this.round)
    const actions: RoundAction[] = [{ type: 'adopt', model }]
    if (model.round >= this.settings.rounds) return [...actions, ...this.finish()]
    return [...actions, ...this.beginRoundWhenEnoughPeers()]
  }

  private finish (): RoundAction[] {
    this.phase = 'done'
    return [{ type: 'finish', model: this.global }]
  }

  private forgetRoundsBefore (round: number): void {
    for (const byKey of [this.updates, this.offers]) {
      for (const key of byKey.keys()) {
        if (Number(key.split(':')[0]) < round) byKey.delete(key)
      }
    }
    for (const r of this.announced.keys()) {
      if (r < round) this.announced.delete(r)
    }
    for (const r of this.mayMerge.keys()) {
      if (r < round - 1) this.mayMerge.delete(r)
    }
  }

  private updatesFor (round: number, baseHash: string): Map<string, ModelUpdate> {
    const key = `${round}:${baseHash}`
    let stored = this.updates.get(key)
    if (stored === undefined) {
      stored = new Map()
      this.updates.set(key, stored)
    }
    return stored
  }

  /** `peer` trains in `round`: the leader waits for its update (and in round 1 it may merge). */
  private tookPart (round: number, peer: string): void {
    this.announcedFor(round).add(peer)
    if (round === 1) this.mayMerge.get(round)?.add(peer)
  }

  private announcedFor (round: number): Set<string> {
    let peers = this.announced.get(round)
    if (peers === undefined) {
      peers = new Set()
      this.announced.set(round, peers)
    }
    return peers
  }
}
