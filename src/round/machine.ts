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
 *
 * A merged model is adopted once f + 1 other holders of the round's updates
 * have recomputed the merge and attested the same hash (all of them when
 * fewer are alive), or once f + 1 other members hold it (verification.ts):
 * a leader that publishes another model than the merge of the set it names,
 * with up to f colluders, is contradicted, and the round completes with the
 * honest holders' merge. A contradiction, or a merge that stays unverified,
 * puts the round in dispute: then every peer of the round recomputes the
 * merges itself.
 */
import { byPeer } from '../merge/changes.ts'
import type { MergeInput, MergeResult } from '../merge/types.ts'
import type { Weights } from '../model/weights.ts'
import { rotationOrder } from './rotation.ts'
import { RosterAgreement, rosterProblem } from './roster.ts'
import { globalHash, preferredGlobal, updateHash } from './types.ts'
import type { GlobalModel, ModelUpdate } from './types.ts'
import type { DropReason } from './validation.ts'
import { entry, Verification } from './verification.ts'
import type { MaskedVector } from '../wire/messages.ts'

export interface RoundSettings {
  /** this peer's ID */
  self: string
  /** a round starts only when at least this many peers (self included) are present */
  minPeers: number
  /** the swarm stops after this global round */
  rounds: number
  /** the merge strategy needs at least this many updates; fewer and the round waits */
  minContributions: number
  /** the clock, in ms; tests pass a fake one */
  now: () => number
  /** once this long has passed since a round began, the leader merges the updates it holds if at least minPeers */
  quorumWaitMs: number
  /** a silent leader's k-th successor merges what it holds after quorumWaitMs + k × failoverDelayMs */
  failoverDelayMs: number
  /** the swarm's definition, part of every model hash (src/model/definition.ts); none in tests of the rounds alone */
  definition?: string
  /** f: a merge leader and up to this many colluders cannot make this peer keep a false model */
  colluders: number
  /**
   * whether a round in dispute makes every peer of it recompute its merges
   * (default); with secure aggregation only the holders can unmask a sum,
   * so the others go on taking the holders' and members' word
   */
  everyoneRecomputesInDispute?: boolean
}

/**
 * How many peers at the head of a round's rotation order fetch every update:
 * the leader and its first f + 1 successors, so that f + 1 holders besides
 * the leader recompute every merge, and a successor that takes over already
 * holds the updates.
 */
export function updateHolders (colluders: number): number {
  return colluders + 2
}

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
/**
 * A merged model that is not verified after this many failover delays (its
 * holders are frozen, or cannot fetch an update it names) puts its round in
 * dispute: every peer of the round then recomputes the merges itself, and a
 * successor may merge its own.
 */
export const DISPUTE_AFTER_FAILOVERS = 4

/**
 * A merge the shell runs (in slices, off the machine): this peer's own merge
 * of the round, or, with `claim`, the recomputation of another holder's
 * merged model to attest or contradict it.
 */
export interface MergeJob {
  round: number
  baseHash: string
  input: MergeInput
  claim?: GlobalModel
}

export type RoundAction =
  | { type: 'waiting-for-peers', have: number, need: number }
  | { type: 'reject', from: string, reason: DropReason, detail: string }
  | { type: 'fetch-update', from: string, round: number, baseHash: string }
  | { type: 'peer-left', peer: string, round: number }
  | { type: 'leader-failover', round: number, from: string, to: string }
  /** the strategy needs more updates than the round has */
  | { type: 'waiting-for-updates', round: number, have: number, need: number }
  /** run a merge and give its result to mergeDone */
  | { type: 'merge', job: MergeJob }
  /** tell the swarm the hash this peer computed from the set a merged model names */
  | { type: 'attest', round: number, modelHash: string, merger: string, computed: string }
  /** a merged model was contradicted by a holder that recomputed it: the evidence */
  | { type: 'merge-rejected', round: number, merger: string, claimed: string, computed: string, by: string }
  /** every peer of the round now recomputes its merges itself: a holder contradicted one, or one stayed unverified */
  | { type: 'round-disputed', round: number, why: string }
  /** tell the swarm this peer takes no part in `round` after all (it could not mask its update): nobody waits for it */
  | { type: 'withdraw', round: number, baseHash: string }
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

export type RoundPhase = 'waiting-for-peers' | 'training' | 'collecting' | 'merging' | 'done'

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
  /** peers that said they train in a round, by round, with when this peer first heard it */
  private readonly announced = new Map<number, Map<string, number>>()
  /** updates by `${round}:${baseHash}`, then by sender */
  private readonly updates = new Map<string, Map<string, ModelUpdate>>()
  /** updates offered but not held, by `${round}:${baseHash}`: sender → fetch requested yet (the shell retries a requested fetch itself) */
  private readonly offers = new Map<string, Map<string, boolean>>()
  /** peers that took no part in a round after all (withdrawn), by round */
  private readonly withdrawn = new Map<number, Set<string>>()
  /** merged models of the current round waiting to be verified, by hash, with when they came */
  private readonly pending = new Map<string, { model: GlobalModel, at: number }>()
  /** a global model further ahead than the next round (this peer missed rounds), waiting for members that hold it */
  private ahead: { model: GlobalModel, at: number } | undefined
  /** the last round this peer took over as a failover successor */
  private tookOver = 0
  /** claims this peer is recomputing, by hash */
  private readonly verifying = new Set<string>()
  /** models this peer computed itself from the set they name, by `${round}:${hash}` */
  private readonly computed = new Set<string>()
  /** attestations, contradictions and claims of other peers */
  private readonly verification: Verification
  /** the round in dispute, if the current one is */
  private disputed = 0
  /** who may fetch this peer's updates of the round it completed last (its holders then, or everyone in it if disputed) */
  private previous: { round: number, baseHash: string, mayFetch: Set<string>, holders: string[] } | undefined
  /** each held update's hash, computed once when it arrives: hashing every update at merge time would stall the peer */
  private readonly updateHashes = new WeakMap<Weights, string>()

  constructor (settings: RoundSettings, start: GlobalModel) {
    this.settings = settings
    this.global = start
    this.roster = start.round === 0 ? new RosterAgreement(settings, settings.now()) : undefined
    this.verification = new Verification(settings.colluders)
  }

  /** The round being worked on: one past the newest global model. */
  get round (): number {
    return this.global.round + 1
  }

  get globalModel (): GlobalModel {
    return this.global
  }

  /** True while no round can start: fewer than --min-peers peers are present. */
  isWaitingForPeers (): boolean {
    return this.started && this.phase === 'waiting-for-peers' && this.ahead === undefined
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
    this.verification.forget(peer)
    // after the last round, peers leaving is how a swarm ends
    if (this.phase === 'done') return []
    const actions: RoundAction[] = [{ type: 'peer-left', peer, round: this.round }]
    const leaderNow = this.leader()
    if (leaderBefore === peer && leaderNow !== undefined) actions.push({ type: 'leader-failover', round: this.round, from: peer, to: leaderNow })
    // a holder that left may make this peer a holder, or the leader, and fewer backers may now suffice
    return [...actions, ...this.fetchesDue(), ...this.verifyPending(), ...this.adoptWhenVerified(), ...this.mergeIfDue()]
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
    return [...this.rosterProgress(), ...this.disputeWhenDue(), ...this.aheadExpired(), ...this.mergeIfDue()]
  }

  /**
   * A peer takes part in `round` from the global model `baseHash` (it may be a
   * newcomer the leader should wait for); in round 1 it says its roster.
   */
  announceReceived (from: string, round: number, baseHash: string, roster: string[], sealed: boolean): RoundAction[] {
    const claims = this.claimed(from, round - 1, baseHash)
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return [...claims, ...outside]
    // a peer working from another model of this round is in another state; the shell catches up
    if (round === this.round && baseHash !== this.global.modelHash) return claims
    if (round !== 1 || this.roster === undefined) {
      this.tookPart(round, from)
      return claims
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
    const claims = this.claimed(from, round - 1, baseHash)
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return [...claims, ...outside]
    return [...claims, ...this.offered(from, round, baseHash)]
  }

  private offered (from: string, round: number, baseHash: string): RoundAction[] {
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
    this.hashOf(update)
    this.offers.get(`${update.round}:${update.baseHash}`)?.delete(update.from)
    this.tookPart(update.round, update.from)
    // a merged model waiting for this update can be recomputed now
    return [...this.verifyPending(), ...this.mergeIfDue()]
  }

  /**
   * Local training of `round` from the global model `baseHash` finished.
   * `weights` must be what the other holders get from the wire (base plus the
   * change as sent), so every holder merges the same bytes.
   */
  localUpdateReady (round: number, baseHash: string, weights: Weights, samples: number, extras: { masked?: MaskedVector, salt?: Uint8Array } = {}): RoundAction[] {
    if (this.phase !== 'training' || round !== this.round || baseHash !== this.global.modelHash) return []
    const update: ModelUpdate = { round, from: this.settings.self, baseHash, samples, weights, ...extras }
    this.updatesFor(round, baseHash).set(update.from, update)
    this.hashOf(update)
    this.phase = 'collecting'
    return [{ type: 'publish-update', update }, ...this.mergeIfDue()]
  }

  /**
   * This peer takes no part in the round it trained for after all (secure
   * aggregation: it joined too late to mask with enough peers): it tells the
   * swarm, so that nobody waits for its update, and still merges or
   * verifies as a holder.
   */
  sitOut (round: number, baseHash: string): RoundAction[] {
    if (this.phase !== 'training' || round !== this.round || baseHash !== this.global.modelHash) return []
    this.phase = 'collecting'
    entry(this.withdrawn, round, () => new Set()).add(this.settings.self)
    return [{ type: 'withdraw', round, baseHash }, ...this.mergeIfDue()]
  }

  /** A peer takes no part in `round` after all: the leader does not wait for its update. */
  withdrawReceived (from: string, round: number, baseHash: string): RoundAction[] {
    const outside = this.outsideWindow(from, round)
    if (outside !== undefined) return outside
    if (round !== this.round || baseHash !== this.global.modelHash) return []
    entry(this.withdrawn, round, () => new Set()).add(from)
    return this.mergeIfDue()
  }

  /**
   * A member said it holds the global model `hash` of `round` (its hello,
   * its member list, or it served the model when asked).
   */
  memberHolds (peer: string, round: number, hash: string): RoundAction[] {
    return this.claimed(peer, round, hash)
  }

  /**
   * A global model from `from` (already checked against its hash and shapes by
   * the shell). Models for the round being worked on, or competing with the one
   * held, must be merged by one of that round's participants: the leader or a
   * failover successor. Each is adopted only once verified (verification.ts):
   * recomputed by this peer, attested by enough holders of its round, or held
   * by enough members. A model further ahead (this peer missed rounds) cannot
   * be checked against its round's participants, which this peer does not
   * know: it waits for enough members that hold it.
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
    if (model.round === this.round) return this.verifiedOrPending(model)
    if (model.round > this.round) {
      if (this.ahead === undefined || model.round > this.ahead.model.round || (model.round === this.ahead.model.round && preferredGlobal(model, this.ahead.model) === model)) {
        this.ahead = { model, at: this.settings.now() }
      }
      return this.adoptWhenVerified()
    }
    return this.competing(model)
  }

  /**
   * A model of the round this peer completed, other than the one it holds:
   * two merges of the round competed (a successor took over from a leader
   * that was not dead). Every peer keeps the same one of the verified ones:
   * the preferred (more contributors, then the smaller hash), or one that
   * replaces a held model a holder contradicted. A model nobody backs never
   * replaces one: a lie that arrives late cannot win by the preference rule.
   */
  private competing (model: GlobalModel): RoundAction[] {
    if (model.round === 0 || !this.isVerified(model, this.previous?.holders ?? [])) return []
    const heldContradicted = this.verification.isContradicted(this.global.round, this.global.modelHash)
    if (!heldContradicted && preferredGlobal(model, this.global) !== model) return []
    const replaced: RoundAction = { type: 'model-replaced', round: model.round, previous: this.global.modelHash, by: model.modelHash, merger: model.merger }
    return [replaced, ...this.adopt(model)]
  }

  /**
   * A holder recomputed a merged model of `round` from the set it names and
   * got `computed`: the model `claimed` (merged by `merger`) is attested when
   * the hashes match and contradicted when they do not. Every participant's
   * word is recorded; only the holders' counts (verification.ts).
   */
  attestationReceived (from: string, round: number, claimed: string, merger: string, computed: string): RoundAction[] {
    // the round this peer just completed still counts: a contradiction that arrives after another holder's
    // attested merge is the evidence against a lie that may still come, late
    const justCompleted = round === this.global.round && round > 0
    const outside = justCompleted ? undefined : this.outsideWindow(from, round)
    if (outside !== undefined) return outside
    const participants = this.mayMerge.get(round)
    if (participants !== undefined && !participants.has(from)) return [{ type: 'reject', from, reason: 'not-leader', detail: `an attestation for round ${round} from a peer that is not one of its participants` }]
    if (from === merger) return []
    this.verification.attested(round, computed, from)
    const actions: RoundAction[] = []
    if (claimed !== computed) actions.push(...this.contradict(round, merger, claimed, computed, from))
    return [...actions, ...this.adoptWhenVerified()]
  }

  /** The shell finished a merge job: publish this peer's merge, or attest (or contradict) a claim. */
  mergeDone (job: MergeJob, result: MergeResult): RoundAction[] {
    const current = job.round === this.round && job.baseHash === this.global.modelHash
    const hash = globalHash(result.weights, result.state, this.settings.definition)
    const contributions = byPeer(job.input.contributions)
    const model: GlobalModel = {
      round: job.round,
      weights: result.weights,
      state: result.state,
      modelHash: hash,
      contributors: contributions.map(c => c.peer),
      updateHashes: contributions.map(c => this.hashOf(c)),
      merger: this.settings.self,
      samples: result.samples
    }
    this.computed.add(`${job.round}:${hash}`)
    const { claim } = job
    if (claim === undefined) {
      if (!current || this.phase !== 'merging') return []
      return [{ type: 'publish-global', model }, ...this.adopt(model)]
    }
    this.verifying.delete(claim.modelHash)
    const attest: RoundAction = { type: 'attest', round: job.round, modelHash: claim.modelHash, merger: claim.merger, computed: hash }
    if (!current) return job.round === this.global.round && hash === this.global.modelHash ? [attest] : []
    if (hash === claim.modelHash) return [attest, ...this.adopt(claim)]
    // the claim is false: this peer's merge of the same set completes the round
    return [attest, ...this.contradict(job.round, claim.merger, claim.modelHash, hash, this.settings.self), { type: 'publish-global', model }, ...this.adopt(model)]
  }

  /**
   * The shell could not run this peer's merge of the round yet (secure
   * aggregation waits for a live peer's masked update, or for enough
   * updates): the round goes back to collecting, and the merge is due again
   * with the updates held then.
   */
  mergeDeferred (job: MergeJob): RoundAction[] {
    if (job.claim === undefined && job.round === this.round && job.baseHash === this.global.modelHash && this.phase === 'merging') this.phase = 'collecting'
    return []
  }

  /**
   * Whether `peer` may merge the round being worked on now, by the rotation
   * and failover order: the first live peer of it, or its k-th live successor
   * (a holder) once the quorum wait and k failover delays have passed since
   * the leader counts as silent (silentSince). Secure aggregation answers only
   * its requests.
   */
  mayMergeNow (peer: string): boolean {
    if (this.phase === 'waiting-for-peers' || this.phase === 'done' || this.order.length === 0) return false
    const position = this.order.filter(p => this.isAlive(p)).indexOf(peer)
    if (position < 0 || position >= this.holderCount) return false
    return position === 0 || this.settings.now() - this.silentSince() >= this.settings.quorumWaitMs + position * this.settings.failoverDelayMs
  }

  /**
   * Whether `peer` may fetch this peer's update of `round` from `baseHash`:
   * one of that round's holders (in this peer's view), or, in a round in
   * dispute, any peer that takes part in it.
   */
  mayFetchUpdate (peer: string, round: number, baseHash: string): boolean {
    if (round === this.round && baseHash === this.global.modelHash) {
      if (this.order.length === 0) return false
      if (this.holders().includes(peer)) return true
      return this.widened() && (this.order.includes(peer) || this.announcedFor(round).has(peer))
    }
    return round === this.previous?.round && baseHash === this.previous.baseHash && this.previous.mayFetch.has(peer)
  }

  /** The current round's update holders (the first live peers of its rotation order); empty before the order is known. */
  roundHolders (): string[] {
    return this.holders()
  }

  /** The peers the current round expects updates from: its participants and the peers that announced it, less those that withdrew. */
  roundExpected (): string[] {
    const withdrawn = this.withdrawn.get(this.round) ?? new Set<string>()
    return [...new Set([...this.order, ...this.announcedFor(this.round)])].filter(peer => !withdrawn.has(peer))
  }

  /** The updates this peer holds of the current round, by sender. */
  heldUpdates (): ReadonlyMap<string, ModelUpdate> {
    return this.updatesFor(this.round, this.global.modelHash)
  }

  private get holderCount (): number {
    return updateHolders(this.settings.colluders)
  }

  /** `peer` holds the global model `hash` of `round`: a model that waited for such word may now be verified. */
  private claimed (peer: string, round: number, hash: string): RoundAction[] {
    if (peer === this.settings.self || round < 0) return []
    this.verification.claim(peer, round, hash)
    return this.adoptWhenVerified()
  }

  /** A model of the round being worked on: adopted once verified, else held while the verifiers recompute it. */
  private verifiedOrPending (model: GlobalModel): RoundAction[] {
    if (this.isVerified(model, this.holders())) return this.adopt(model)
    if (!this.pending.has(model.modelHash)) this.pending.set(model.modelHash, { model, at: this.settings.now() })
    return this.verifyIfVerifier(model)
  }

  /**
   * Whether this peer may adopt a model it did not merge: it computed it
   * itself, or enough of the live holders of its round (`holders`) other
   * than its merger attested it, or enough live members other than its
   * merger hold it. With no other holder alive, at once, unless this peer
   * is a holder itself (it recomputes the model).
   */
  private isVerified (model: GlobalModel, holders: readonly string[]): boolean {
    if (this.computed.has(`${model.round}:${model.modelHash}`)) return true
    const claimants = [...this.members].filter(peer => peer !== model.merger)
    const claimed = claimants.length > 0 && this.verification.claimedEnough(model.round, model.modelHash, claimants)
    if (model.round > this.round) return claimants.length === 0 || claimed
    if (claimed) return true
    if (model.round === this.round && this.order.length === 0) {
      // round 1's holders are not known here yet: f + 1 of the contributors it names must attest it (a liar picks whom it names)
      const contributors = model.contributors.filter(peer => peer !== model.merger && peer !== this.settings.self)
      return this.verification.attestations(model.round, model.modelHash, contributors) >= this.settings.colluders + 1
    }
    const attesters = holders.filter(peer => peer !== model.merger && peer !== this.settings.self && this.isAlive(peer))
    // with no other holder alive, nobody could attest it: a holder checks it itself, anyone else takes it
    if (attesters.length === 0) return model.round !== this.round || !this.isVerifier()
    return this.verification.attestedEnough(model.round, model.modelHash, attesters)
  }

  /** Pending and ahead models that are verified by now are adopted (the newest first). */
  private adoptWhenVerified (): RoundAction[] {
    if (this.ahead !== undefined && this.ahead.model.round <= this.global.round) this.ahead = undefined
    if (this.ahead !== undefined && this.isVerified(this.ahead.model, [])) {
      const { model } = this.ahead
      this.ahead = undefined
      return this.adopt(model)
    }
    for (const { model } of this.pending.values()) {
      if (model.round === this.round && this.isVerified(model, this.holders())) return this.adopt(model)
    }
    return []
  }

  /** A model further ahead that no member backed for a long while is dropped: it was a lie, or the swarm moved on. */
  private aheadExpired (): RoundAction[] {
    if (this.ahead === undefined || this.settings.now() - this.ahead.at < DISPUTE_AFTER_FAILOVERS * this.settings.failoverDelayMs) return []
    this.ahead = undefined
    return this.phase === 'waiting-for-peers' && this.started ? this.beginRoundWhenEnoughPeers() : []
  }

  /** A merged model of the current round that stayed unverified for long puts the round in dispute. */
  private disputeWhenDue (): RoundAction[] {
    const now = this.settings.now()
    const stale = [...this.pending.values()].find(({ at }) => now - at >= DISPUTE_AFTER_FAILOVERS * this.settings.failoverDelayMs)
    return stale === undefined ? [] : this.dispute(`the merge of ${stale.model.merger} is not verified after ${DISPUTE_AFTER_FAILOVERS} failover delays`)
  }

  /** Every peer of the round now recomputes its merges itself (and may fetch its updates to do so). */
  private dispute (why: string): RoundAction[] {
    if (this.disputed === this.round || this.phase === 'waiting-for-peers' || this.phase === 'done') return []
    this.disputed = this.round
    return [{ type: 'round-disputed', round: this.round, why }, ...this.verifyPending()]
  }

  /** The current round's update holders: the first live peers of its rotation order. */
  private holders (): string[] {
    return this.order.filter(peer => this.isAlive(peer)).slice(0, this.holderCount)
  }

  /** Whether this peer recomputes the current round's merges: a holder does, and in a round in dispute every peer in it. */
  private isVerifier (): boolean {
    if (this.isHolder()) return true
    return this.widened() && (this.order.includes(this.settings.self) || this.announcedFor(this.round).has(this.settings.self))
  }

  /** Whether the current round is in dispute and so every peer of it recomputes its merges. */
  private widened (): boolean {
    return this.disputed === this.round && this.settings.everyoneRecomputesInDispute !== false
  }

  private verifyPending (): RoundAction[] {
    return [...this.pending.values()].flatMap(({ model }) => this.verifyIfVerifier(model))
  }

  /**
   * As a verifier of the round, recomputes a merged model from the updates it
   * names, fetching the ones this peer lacks first (from their senders, or,
   * when a sender is gone, from the round's holders: the shell decides).
   */
  private verifyIfVerifier (model: GlobalModel): RoundAction[] {
    if (model.merger === this.settings.self || this.verifying.has(model.modelHash) || !this.isVerifier()) return []
    if (this.phase === 'waiting-for-peers' || this.phase === 'done') return []
    const updates = this.updatesFor(this.round, this.global.modelHash)
    const missing = model.contributors.filter(peer => !updates.has(peer))
    if (missing.length > 0) {
      const offers = entry(this.offers, `${this.round}:${this.global.modelHash}`, () => new Map<string, boolean>())
      return missing.filter(peer => offers.get(peer) !== true && peer !== this.settings.self).map(from => {
        offers.set(from, true)
        return { type: 'fetch-update', from, round: this.round, baseHash: this.global.modelHash }
      })
    }
    this.verifying.add(model.modelHash)
    const contributions = model.contributors.map(peer => updates.get(peer) as ModelUpdate)
    return [{ type: 'merge', job: { round: this.round, baseHash: this.global.modelHash, input: this.mergeInput(contributions), claim: model } }]
  }

  private mergeInput (updates: ModelUpdate[]): MergeInput {
    return { base: this.global.weights, state: this.global.state, contributions: updates.map(u => ({ peer: u.from, weights: u.weights, samples: u.samples, masked: u.masked, salt: u.salt })) }
  }

  /** Records a contradiction (once) and puts the round in dispute; returns the evidence. */
  private contradict (round: number, merger: string, claimed: string, computed: string, by: string): RoundAction[] {
    if (!this.verification.contradict(round, claimed)) return []
    const evidence: RoundAction = { type: 'merge-rejected', round, merger, claimed, computed, by }
    return round === this.round ? [evidence, ...this.dispute(`${by} contradicted the merge of ${merger}`)] : [evidence]
  }

  /** An update's (salted) hash, computed once per update when it arrives, and looked up by its weights after. */
  private hashOf (update: { weights: Weights, salt?: Uint8Array }): string {
    let hash = this.updateHashes.get(update.weights)
    if (hash === undefined) {
      hash = updateHash(update)
      this.updateHashes.set(update.weights, hash)
    }
    return hash
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
    // a newer model that members are asked to back comes first: training on this one would be wasted
    if (this.ahead !== undefined) {
      this.phase = 'waiting-for-peers'
      return []
    }
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
    return this.holders().includes(this.settings.self)
  }

  /** Fetches of offered updates of the current round that a holder has not asked for yet. */
  private fetchesDue (): RoundAction[] {
    if (this.phase === 'waiting-for-peers' || this.phase === 'done' || !this.isHolder()) return []
    const offers = this.offers.get(`${this.round}:${this.global.modelHash}`)
    if (offers === undefined) return []
    const actions: RoundAction[] = []
    // a sender that left after offering is asked for too: the shell then takes its update from another holder
    for (const [from, requested] of offers) {
      if (requested) continue
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
    // a merged model of this round is being verified: merging another would compete with it (unless the round is in dispute)
    if (this.phase !== 'collecting' || this.order.length === 0 || (this.pending.size > 0 && this.disputed !== this.round)) return []
    // a peer that was frozen or blocked first hears what it missed
    const now = this.settings.now()
    if (now - this.lastTickAt > MAX_TICK_GAP_MS || now - this.resumedAt < this.settings.failoverDelayMs) return []
    const live = this.order.filter(peer => this.isAlive(peer))
    const position = this.leader() === this.settings.self ? 0 : live.indexOf(this.settings.self)
    if (position < 0 || position >= this.holderCount) return []
    const updates = this.updatesFor(this.round, this.global.modelHash)
    const expected = this.roundExpected()
    const complete = expected.every(peer => !this.isAlive(peer) || updates.has(peer))
    const due = position === 0
      ? complete || now - this.roundStartedAt >= this.settings.quorumWaitMs
      : now - this.silentSince() >= this.settings.quorumWaitMs + position * this.settings.failoverDelayMs
    if (!due) return []
    if (updates.size < Math.max(this.settings.minPeers, this.settings.minContributions)) {
      if (!complete || this.waitingReported) return []
      this.waitingReported = true
      if (updates.size >= this.settings.minPeers) return [{ type: 'waiting-for-updates', round: this.round, have: updates.size, need: this.settings.minContributions }]
      return [{ type: 'waiting-for-peers', have: this.members.size + 1, need: this.settings.minPeers }]
    }
    // a merge deferred and due again is the same takeover: said once
    const failover: RoundAction[] = position === 0 || this.tookOver === this.round ? [] : [{ type: 'leader-failover', round: this.round, from: live[0], to: this.settings.self }]
    if (position !== 0) this.tookOver = this.round
    this.phase = 'merging'
    return [...failover, { type: 'merge', job: { round: this.round, baseHash: this.global.modelHash, input: this.mergeInput([...updates.values()]) } }]
  }

  private adopt (model: GlobalModel): RoundAction[] {
    const holders = this.holders()
    // who may still fetch this peer's update of the round now completed: its holders, or everyone in it if it was disputed
    this.previous = {
      round: this.round,
      baseHash: this.global.modelHash,
      holders,
      mayFetch: new Set(this.widened() ? [...this.order, ...this.announcedFor(this.round)] : holders)
    }
    this.global = model
    this.order = []
    this.pending.clear()
    this.verifying.clear()
    if (this.ahead !== undefined && this.ahead.model.round <= model.round) this.ahead = undefined
    this.forgetRoundsBefore(this.round)
    const actions: RoundAction[] = [{ type: 'adopt', model }]
    if (!this.started) return actions
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
    for (const r of this.withdrawn.keys()) {
      if (r < round) this.withdrawn.delete(r)
    }
    for (const key of this.computed) {
      if (Number(key.split(':')[0]) < round - 1) this.computed.delete(key)
    }
    this.verification.forgetRoundsBefore(round - 1)
  }

  private updatesFor (round: number, baseHash: string): Map<string, ModelUpdate> {
    return entry(this.updates, `${round}:${baseHash}`, () => new Map())
  }

  /** `peer` trains in `round`: the leader waits for its update. */
  private tookPart (round: number, peer: string): void {
    const heard = entry(this.announced, round, () => new Map<string, number>())
    if (!heard.has(peer)) heard.set(peer, this.settings.now())
  }

  private announcedFor (round: number): Set<string> {
    return new Set(this.announced.get(round)?.keys())
  }

  /**
   * Since when the round's current leader counts as silent: since this peer
   * began the round, or since it first heard the leader take part in it, if
   * later. A leader that was frozen or slow, and starts the round late, is
   * not replaced while it works: successors that merged the moment its
   * update came would compete with its own merge.
   */
  private silentSince (): number {
    const leader = this.order.find(peer => this.isAlive(peer))
    const heard = leader === undefined ? undefined : this.announced.get(this.round)?.get(leader)
    return Math.max(this.roundStartedAt, heard ?? this.roundStartedAt)
  }
}

