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
 * Round 1 has no previous model to name its participants: peers agree on a
 * roster first (roster.ts), training meanwhile.
 */
import type { MergeMethod } from '../merge/types.ts'
import { modelHash } from '../model/weights.ts'
import type { Weights } from '../model/weights.ts'
import { rotationOrder } from './rotation.ts'
import { RosterAgreement, rosterProblem } from './roster.ts'
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
  /** the swarm's definition, part of every model hash (src/model/definition.ts); none in tests of the rounds alone */
  definition?: string
}

/**
 * How many peers at the head of a round's rotation order fetch every update:
 * the leader and its first successors, so a successor that takes over already
 * holds the updates.
 */
export const UPDATE_HOLDERS = 3

/** a peer forming round 1's roster says its roster again this often, in case gossip lost it */
export const ROSTER_REPEAT_MS = 1000
/** at most one roster announcement per this long when something changed */
const ROSTER_MIN_INTERVAL_MS = 250
/** the largest roster accepted */
const MAX_ROSTER = 10_000
/**
 * Ticks come every fraction of a second; a longer gap means this peer was
 * frozen or blocked and has not watched the round. Such a peer merges nothing
 * for a failover delay after it resumes, so the messages it missed (another
 * peer's merge, say) arrive first.
 */
export const MAX_TICK_GAP_MS = 5000

export type RoundAction =
  | { type: 'waiting-for-peers', have: number, need: number }
  | { type: 'reject', from: string, reason: DropReason, detail: string }
  | { type: 'fetch-update', from: string, round: number, baseHash: string }
  | { type: 'peer-left', peer: string, round: number }
  | { type: 'leader-failover', round: number, from: string, to: string }
  /** train `round` locally from `base` */
  | { type: 'train', round: number, base: GlobalModel }
  /** the round's participants are known (in round 1 once its roster is agreed), so is its leader */
  | { type: 'start-round', round: number, participants: string[], leader: string }
  /** tell the swarm this peer takes part in `round`; in round 1 with its roster */
  | { type: 'announce', round: number, baseHash: string, roster: string[], sealed: boolean }
  /** offer this peer's update to the round's update holders */
  | { type: 'publish-update', update: ModelUpdate }
  | { type: 'publish-global', model: GlobalModel }
  | { type: 'adopt', model: GlobalModel }
  /** the last defence fired: a second model for a round this peer had already completed was preferred */
  | { type: 'model-replaced', round: number, previous: string, by: string, merger: string }
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
  private lastTickAt = 0
  /** when this peer last resumed after a gap in its ticks */
  private resumedAt = -Infinity
  /** round 1's roster, while the swarm is at its genesis model */
  private readonly roster: RosterAgreement | undefined
  private rosterAnnounceDue = false
  private lastRosterAnnounceAt = -Infinity
  /** live peers other than self */
  private readonly members = new Set<string>()
  /** the current round's leader order (rotation over the participants); empty while round 1's roster forms */
  private order: string[] = []
  /**
   * Who may merge the rounds this peer worked on (the latest two): the round's
   * participants, the only peers that can be its leader or a failover
   * successor. Round 1's are its agreed roster; a later round's are the
   * contributors of the previous model. Both are the same on every peer.
   */
  private readonly mayMerge = new Map<number, Set<string>>()
  /** peers that said they train in a round, by round */
  private readonly announced = new Map<number, Set<string>>()
  /** updates by `${round}:${baseHash}`, then by sender */
  private readonly updates = new Map<string, Map<string, ModelUpdate>>()
  /** updates offered but not held, by `${round}:${baseHash}`: sender → fetch requested yet (the shell retries a requested fetch itself) */
  private readonly offers = new Map<string, Map<string, boolean>>()

  constructor (settings: RoundSettings, start: GlobalModel) {
    this.settings = settings
    this.global = start
    this.roster = start.round === 0 ? new RosterAgreement(settings, settings.now()) : undefined
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
    this.lastTickAt = this.settings.now()
    if (this.global.round >= this.settings.rounds) return this.finish()
    return this.beginRoundWhenEnoughPeers()
  }

  peerJoined (peer: string): RoundAction[] {
    if (peer === this.settings.self || this.members.has(peer)) return []
    this.members.add(peer)
    if (!this.started) return []
    // a newcomer during round 1 learns the roster from the members
    if (this.inRoundOne()) this.rosterAnnounceDue = true
    return [...this.rosterProgress(), ...(this.phase === 'waiting-for-peers' ? this.beginRoundWhenEnoughPeers() : [])]
  }

  peerLeft (peer: string): RoundAction[] {
    const leaderBefore = this.leader()
    if (!this.members.delete(peer)) return []
    // after the last round, peers leaving is how a swarm ends
    if (this.phase === 'done') return []
    const actions: RoundAction[] = [{ type: 'peer-left', peer, round: this.round }]
    const leaderNow = this.leader()
    if (leaderBefore === peer && leaderNow !== undefined) actions.push({ type: 'leader-failover', round: this.round, from: peer, to: leaderNow })
    // a holder that left may make this peer a holder, or the leader
    return [...actions, ...this.fetchesDue(), ...this.mergeIfDue()]
  }

  /**
   * Time passed: merges that wait for the quorum wait or a failover delay may
   * be due, and round 1's roster may be sealed or due to be said again.
   */
  tick (): RoundAction[] {
    const now = this.settings.now()
    if (now - this.lastTickAt > MAX_TICK_GAP_MS) this.resumedAt = now
    this.lastTickAt = now
    if (!this.started) return []
    return [...this.rosterProgress(), ...this.mergeIfDue()]
  }

  /**
   * A peer takes part in `round` from the global model `baseHash` (it may be a
   * newcomer the leader should wait for); in round 1 it says its roster.
   */
  announceReceived (from: string, round: number, baseHash: string, roster: string[], sealed: boolean): RoundAction[] {
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return outside
    // a peer working from another model of this round is in another state; the shell catches up
    if (round === this.round && baseHash !== this.global.modelHash) return []
    if (round !== 1 || this.roster === undefined) {
      this.tookPart(round, from)
      return []
    }
    const problem = rosterProblem(from, roster, sealed, MAX_ROSTER)
    if (problem !== undefined) return [{ type: 'reject', from, reason: 'malformed', detail: problem }]
    this.tookPart(round, from)
    if (this.roster.heard(from, roster, sealed, this.settings.now()) || (this.roster.sealed !== undefined && this.roster.disagrees(from))) {
      this.rosterAnnounceDue = true
    }
    return this.started ? this.rosterProgress() : []
  }

  /** A peer offers its update for a round; holders of the round fetch it. */
  updateOffered (from: string, round: number, baseHash: string): RoundAction[] {
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return outside
    this.tookPart(round, from)
    const key = `${round}:${baseHash}`
    const offers = this.offers.get(key) ?? new Map<string, boolean>()
    // the same offer heard again (by gossip and in a member list) counts once
    if (this.updatesFor(round, baseHash).has(from) || offers.has(from)) return []
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

  /**
   * Local training of `round` from the global model `baseHash` finished.
   * `weights` must be what the other holders get from the wire (base plus the
   * change as sent), so every holder merges the same bytes.
   */
  localUpdateReady (round: number, baseHash: string, weights: Weights, samples: number): RoundAction[] {
    if (this.phase !== 'training' || round !== this.round || baseHash !== this.global.modelHash) return []
    const update: ModelUpdate = { round, from: this.settings.self, baseHash, samples, weights }
    this.updatesFor(round, baseHash).set(update.from, update)
    this.phase = 'collecting'
    return [{ type: 'publish-update', update }, ...this.mergeIfDue()]
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
    if (model.round === this.global.round && model.modelHash === this.global.modelHash) return []
    const mergers = this.mayMerge.get(model.round)
    if (mergers !== undefined && model.round > 0 && !mergers.has(model.merger)) {
      return reject('not-leader', `${model.merger} merged round ${model.round} but is not one of its participants`)
    }
    if (model.round > this.global.round) return this.adopt(model)
    if (model.round > 0 && preferredGlobal(model, this.global) === model) {
      const replaced: RoundAction = { type: 'model-replaced', round: model.round, previous: this.global.modelHash, by: model.modelHash, merger: model.merger }
      return [replaced, ...this.adopt(model)]
    }
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
    this.phase = 'training'
    this.tookPart(this.round, this.settings.self)
    const actions: RoundAction[] = [{ type: 'train', round: this.round, base: this.global }]
    if (this.round === 1) return [...actions, ...this.rosterProgress()]
    return [
      ...actions,
      { type: 'announce', round: this.round, baseHash: this.global.modelHash, roster: [], sealed: false },
      ...this.participantsKnown(this.global.contributors)
    ]
  }

  /** The round's participants are known: the rotation over them picks the leader and the update holders. */
  private participantsKnown (participants: string[]): RoundAction[] {
    this.order = rotationOrder(this.round, participants)
    this.mayMerge.set(this.round, new Set(this.order))
    return [
      { type: 'start-round', round: this.round, participants: this.order, leader: this.leader() ?? this.settings.self },
      ...this.fetchesDue(),
      ...this.mergeIfDue()
    ]
  }

  /** Whether round 1 is being worked on, so its roster may still be asked for. */
  private inRoundOne (): boolean {
    return this.roster !== undefined && this.global.round === 0 && this.phase !== 'done'
  }

  /**
   * Round 1's roster: seals it when the rules allow (and, once this peer
   * trains, begins the round with it), and says it again when due.
   */
  private rosterProgress (): RoundAction[] {
    if (!this.inRoundOne() || this.roster === undefined) return []
    const now = this.settings.now()
    const actions: RoundAction[] = []
    if (this.roster.sealed === undefined) {
      if (this.roster.trySeal(now) !== undefined) this.rosterAnnounceDue = true
      else if (now - this.lastRosterAnnounceAt >= ROSTER_REPEAT_MS) this.rosterAnnounceDue = true
    }
    if (this.rosterAnnounceDue && now - this.lastRosterAnnounceAt >= ROSTER_MIN_INTERVAL_MS) {
      this.rosterAnnounceDue = false
      this.lastRosterAnnounceAt = now
      actions.push({ type: 'announce', round: 1, baseHash: this.global.modelHash, roster: this.roster.roster, sealed: this.roster.sealed !== undefined })
    }
    const sealed = this.roster.sealed
    if (sealed !== undefined && this.order.length === 0 && this.phase !== 'waiting-for-peers') actions.push(...this.participantsKnown(sealed))
    return actions
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

  /** The first live peer in the rotation order; self leads when no participant is left. Unknown before the participants are. */
  private leader (): string | undefined {
    if (this.phase === 'waiting-for-peers' || this.phase === 'done' || this.order.length === 0) return undefined
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
    if (this.phase !== 'collecting' || this.order.length === 0) return []
    // a peer that was frozen or blocked first hears what it missed
    const now = this.settings.now()
    if (now - this.lastTickAt > MAX_TICK_GAP_MS || now - this.resumedAt < this.settings.failoverDelayMs) return []
    const live = this.order.filter(peer => this.isAlive(peer))
    const position = this.leader() === this.settings.self ? 0 : live.indexOf(this.settings.self)
    if (position < 0 || position >= UPDATE_HOLDERS) return []
    const updates = this.updatesFor(this.round, this.global.modelHash)
    const expected = new Set([...this.order, ...this.announcedFor(this.round)])
    const complete = [...expected].every(peer => !this.isAlive(peer) || updates.has(peer))
    const waited = now - this.roundStartedAt
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
      modelHash: modelHash(merged.weights, this.settings.definition),
      contributors: contributions.map(c => c.peer).sort(),
      merger: this.settings.self,
      samples: merged.samples
    }
    return [...failover, { type: 'publish-global', model }, ...this.adopt(model)]
  }

  private adopt (model: GlobalModel): RoundAction[] {
    this.global = model
    this.order = []
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

  /** `peer` trains in `round`: the leader waits for its update. */
  private tookPart (round: number, peer: string): void {
    this.announcedFor(round).add(peer)
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
