/**
 * The runnable peer: wires the round machine (src/round) to the network,
 * local training and the event log. It decides nothing itself; it carries out
 * the machine's actions and feeds it what happens.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PeerConfig } from '../src/settings/parse.ts'
import { lockDataDir, prepareDataDir, releaseDataDir } from './data-dir.ts'
import { EventLog, peerLabel } from '../src/events/log.ts'
import { EVENTS_FILE, JsonlFile } from '../src/events/jsonl.ts'
import { SwarmView } from '../src/events/view.ts'
import { Terminal } from '../src/events/terminal.ts'
import { MetricsSink } from '../src/events/metrics.ts'
import { Registry } from 'prom-client'
import { statusFrom } from '../src/network/status.ts'
import { FaultPoints } from './faults.ts'
import { httpToken, PageServer } from './http.ts'
import { swarmVersion } from './version.ts'
import { Presence } from './presence.ts'
import { Reminder } from './reminder.ts'
import { LocalLearner } from './learner.ts'
import type { Metrics } from '../src/model/tasks.ts'
import { writeAtomically } from '../src/model/trainer.ts'
import { addWeights, parameterCount, subtractWeights } from '../src/model/weights.ts'
import type { Weights } from '../src/model/weights.ts'
import { checkGlobal, checkUpdate, l2Norm } from '../src/round/validation.ts'
import type { Rejection } from '../src/round/validation.ts'
import { runInSlices } from '../src/merge/index.ts'
import { ATTACK_DESCRIPTIONS, attackedChange, liedModel } from '../src/round/attacks.ts'
import { membersBehind } from '../src/round/handoff.ts'
import { RoundMachine } from '../src/round/machine.ts'
import type { MergeJob, RoundAction } from '../src/round/machine.ts'
import { globalHash, updateHash } from '../src/round/types.ts'
import type { GlobalModel } from '../src/round/types.ts'
import { loadOrCreatePeerKey } from '../src/network/peer-key.ts'
import { readSwarmKey } from '../src/network/access.ts'
import { SwarmNetwork } from '../src/network/swarm-network.ts'
import { decodeMessage, encodeMessage, MalformedMessageError, WIRE_VERSION } from '../src/wire/messages.ts'
import type { GlobalMessage, OfferMessage, SwarmMessage, UpdateMessage } from '../src/wire/messages.ts'
import { UserError } from '../src/errors.ts'
import { SecureAggregationShell } from './secure-aggregation.ts'
import { UpdateBook } from './update-book.ts'
import type { MaskedVector } from '../src/wire/messages.ts'
import { randomSeed } from '../src/privacy/secure-aggregation/crypto.ts'
import { PrivacyLedger } from '../src/privacy/ledger.ts'

/** after the last round, a peer stays at least this long so its last messages spread and late peers can fetch the model */
const FINAL_LINGER_MS = 2000
const CHECKPOINT_FILE = 'checkpoint.bin'
/** how long stopping the network may take before the peer exits anyway */
const STOP_TIMEOUT_MS = 5000
/** how often the round machine is told that time passed (quorum waits, failover) */
const TICK_MS = 250
/** messages kept while joining; a joining peer hears a few per member, a flood is cut off */
const EARLY_MESSAGES_KEPT = 1000
/** a member that failed to serve its global model is not asked again for this long */
const CATCH_UP_RETRY_MS = 5000
/** failed fetches of an offered update before the operator is told */
const FETCH_WARNING_ATTEMPT = 4
/** a peer waiting for --min-peers says so again after this long, then at doubling intervals up to the longest */
const WAITING_REPEAT_MS = 30_000
const WAITING_REPEAT_LONGEST_MS = 300_000
export const MODEL_DIR = 'model'

export interface PeerResult {
  rounds: number
  modelHash: string
  metrics: Metrics
}

export class SwarmPeer {
  private readonly config: PeerConfig
  /** the terminal: event lines, live progress, and the few lines that are no event (errors) */
  private readonly terminal: Terminal
  /** the swarm as this peer sees it, for the page, status and the terminal's waiting line */
  private readonly view: SwarmView
  private readonly backend: string
  private http: PageServer | undefined
  /** trains updates and evaluates global models on this peer's data */
  private readonly learner: LocalLearner
  private readonly genesis: GlobalModel
  private network!: SwarmNetwork
  private machine!: RoundMachine
  private events!: EventLog
  /** training jobs run one at a time */
  private training: Promise<void> = Promise.resolve()
  /** evaluations of adopted models run one at a time, in order */
  private evaluating: Promise<void> = Promise.resolve()
  private roundStartedAt = Date.now()
  private lastEvaluation: Metrics = { loss: NaN }
  private finished = Promise.withResolvers<PeerResult>()
  private finishing = false
  private ticker: NodeJS.Timeout | undefined
  /** a newer global model is being fetched from a member */
  private catchingUp = false
  /** members whose global model could not be fetched, and until when they are not asked again */
  private readonly catchUpRefused = new Map<string, number>()
  private readonly catchUpWarned = new Set<string>()
  /** messages received before the round machine exists (while joining), handled once it does */
  private readonly early: Array<[string, SwarmMessage]> = []
  /** this peer's own encoded updates and the ones it fetched, with their offers, served to the round's update holders */
  private updates!: UpdateBook
  /** the newest global round each member is known to hold (from its member list and its messages) */
  private readonly memberRounds = new Map<string, number>()
  /** what members said they hold before the round machine existed (while joining) */
  private readonly heldByMembers = new Map<string, { round: number, hash: string }>()
  private readonly presence = new Presence(Date.now())
  /** the base model of this peer's latest merge, by round (for --attack lie-as-leader) */
  private readonly mergeBases = new Map<number, Weights>()
  /** with --secure-aggregation: this peer's part in each round's masking and unmasking */
  private secure: SecureAggregationShell | undefined
  /** with --dp: the privacy this peer spent, over the rounds its update went out in */
  private readonly ledger: PrivacyLedger | undefined
  private epsilon: number | undefined
  /** rounds whose privacy cost is accounted, and each round's participant count (client-level noise shares) */
  private readonly accounted = new Set<number>()
  /** rounds this peer's update went out in */
  private readonly released = new Set<number>()
  private readonly participantCounts = new Map<number, number>()
  /** whether this peer has adopted a merged model yet (the first, when it holds no update of this peer's, is the one it resynced to) */
  private adoptedAny = false
  /** rounds whose unmasking failure was reported */
  private readonly unmaskFailures = new Set<number>()
  /** offers of the current round already logged, by `${round}:${from}` */
  private readonly offersLogged = new Set<string>()
  /** while waiting for --min-peers: since when; the reminder says when to say so again */
  private waitingSince = 0
  private readonly waitingReminder = new Reminder(WAITING_REPEAT_MS, WAITING_REPEAT_LONGEST_MS)

  /** `output`: where the terminal's text goes, and whether it is a TTY */
  static async create (config: PeerConfig, output: { write: (text: string) => void, tty: boolean }): Promise<SwarmPeer> {
    prepareDataDir(config.dataDir)
    lockDataDir(config.dataDir)
    if (config.swarmKey !== undefined) readSwarmKey(config.swarmKey)
    httpToken(config.http, config.httpToken)
    const view = new SwarmView()
    const terminal = new Terminal({ out: output.write, tty: output.tty, format: config.logFormat, view })
    const { learner, backend } = await LocalLearner.create(config, output.tty && config.logFormat === 'text' ? loadingProgress(output.write) : undefined)
    return new SwarmPeer(config, terminal, view, learner, backend)
  }

  private constructor (config: PeerConfig, terminal: Terminal, view: SwarmView, learner: LocalLearner, backend: string) {
    this.config = config
    this.terminal = terminal
    this.view = view
    this.backend = backend
    this.learner = learner
    this.ledger = learner.privacy.dp === undefined ? undefined : new PrivacyLedger(learner.privacy.dp)
    this.genesis = { round: 0, weights: learner.genesis, state: [], modelHash: globalHash(learner.genesis, [], learner.definition), contributors: [], updateHashes: [], merger: '', samples: 0 }
  }

  /** Joins the swarm and runs rounds until the last one; resolves with the final model's summary. */
  async run (): Promise<PeerResult> {
    const { config } = this
    const registry = config.http === undefined ? undefined : new Registry()
    this.network = await SwarmNetwork.create({
      name: config.name,
      metrics: registry,
      status: async () => await statusFrom(this.view.snapshot(), async peer => (peer === this.network.peerId ? this.network.multiaddrs() : await this.network.addressesOf(peer))),
      privateKey: await loadOrCreatePeerKey(config.dataDir),
      listen: config.listen,
      swarmKey: config.swarmKey === undefined ? undefined : readSwarmKey(config.swarmKey),
      allow: config.allow.length === 0 ? undefined : config.allow,
      topic: `swarm/${config.swarmName}/${WIRE_VERSION}`,
      currentGlobal: () => this.globalMessage(this.machine?.globalModel ?? this.genesis),
      currentRound: () => this.machine?.round ?? 0,
      // only the round's holders get updates, as the round machine sees them
      heldUpdate: (round, baseHash, asker, owner) => this.machine?.mayFetchUpdate(asker, round, baseHash) === true ? this.updates.payload(round, baseHash, owner) : undefined,
      heldOffer: () => this.heldOffer(),
      joinTimeoutMs: config.joinTimeoutMs
    }, {
      message: (from, message) => { this.receive(from, message) },
      peerJoined: (peer) => {
        this.presence.joined(peer)
        this.events?.write('peer-joined', { peer })
        const name = this.view.nameOf(peer)
        if (name !== undefined) this.events?.write('peer-named', { peer, name })
        this.act(this.machine?.peerJoined(peer))
        this.secure?.peerJoined()
      },
      peerLeft: (peer) => {
        this.presence.left(peer, Date.now(), this.memberRounds.get(peer))
        if (this.hasFinished(peer)) this.events?.write('peer-finished', { peer })
        this.act(this.machine?.peerLeft(peer))
        this.secure?.progress()
      },
      memberRound: (peer, globalRound, globalHash) => {
        this.heardRound(peer, globalRound)
        this.memberHolds(peer, globalRound, globalHash)
      },
      memberNamed: (peer, name) => { this.heardName(peer, name) },
      dropped: (peer, reason, detail) => {
        this.events?.write('message-dropped', { from: peer, reason, detail })
      },
      warn: (text) => { this.warn(text) }
    })
    const faults = config.faultInjection ? new FaultPoints(config.dataDir) : undefined
    this.events = new EventLog(this.network.peerId, config.name, [new JsonlFile(join(config.dataDir, EVENTS_FILE)), this.view, this.terminal, ...(faults === undefined ? [] : [faults])])
    if (config.http !== undefined && registry !== undefined) {
      this.events.add(new MetricsSink({ members: () => this.network.currentMembers().length, drops: () => this.network.drops.totals() }, registry))
      this.http = await PageServer.start({ ...config.http, token: httpToken(config.http, config.httpToken), view: this.view, registry })
    }
    this.events.write('started', {
      version: swarmVersion(),
      settings: { ...config } as Record<string, unknown>,
      backend: this.backend,
      parameters: parameterCount(this.genesis.weights.slice(0, this.learner.modelTensors)),
      summary: this.summary()
    })
    this.updates = new UpdateBook(this.network.peerId)
    await this.network.start()
    this.events.write('listening', { multiaddrs: this.network.multiaddrs(), ...(this.http === undefined ? {} : { page: this.http.url }) })

    const joined = await this.joinSwarm()
    const start = this.ownCheckpoint() ?? this.genesis
    this.machine = new RoundMachine({
      self: this.network.peerId,
      minPeers: config.minPeers,
      rounds: this.learner.lastRound,
      minContributions: this.learner.strategy.minContributions,
      now: Date.now,
      quorumWaitMs: config.quorumWaitMs,
      failoverDelayMs: config.failoverDelayMs,
      definition: this.learner.definition,
      colluders: config.colluders,
      everyoneRecomputesInDispute: !config.secureAggregation
    }, start)
    for (const peer of this.network.currentMembers()) this.machine.peerJoined(peer)
    this.secure = this.secureAggregation()
    if (start.round > 0) this.events.write('resynced', { round: start.round, modelHash: start.modelHash })
    // what members said they hold while this peer joined; then the model its contact served, adopted once members back it
    for (const [peer, { round, hash }] of this.heldByMembers) this.act(this.machine.memberHolds(peer, round, hash))
    if (joined !== undefined) this.act(this.machine.globalReceived(joined, joined.merger))
    this.act(this.machine.start())
    // what arrived while this peer was still joining (an offer of a peer that trained fast, say)
    for (const [from, message] of this.early.splice(0)) this.receive(from, message)
    this.ticker = setInterval(() => {
      this.act(this.machine.tick())
      this.secure?.progress()
      this.reportIfAlone()
      this.reportWaitingForPeers()
    }, TICK_MS)
    return this.finished.promise
  }

  async stop (): Promise<void> {
    clearInterval(this.ticker)
    this.terminal.close()
    await this.http?.stop()
    // closing connections to peers that are frozen can take long; do not hang on it
    await Promise.race([this.network?.stop(), new Promise(resolve => setTimeout(resolve, STOP_TIMEOUT_MS).unref())])
    await this.training
    await this.evaluating
    this.learner.dispose()
    releaseDataDir(this.config.dataDir)
  }

  /** What this peer learns from and how, said once at start (in the started event and on the terminal). */
  private summary (): string[] {
    const { config } = this
    const lines = this.learner.describe()
    if (config.swarmKey !== undefined) lines.push(`private swarm: only peers holding the key in ${config.swarmKey} can connect`)
    if (config.allow.length > 0) lines.push(`allow-list: only ${config.allow.length} listed peer IDs can connect`)
    if (config.attack !== 'none') lines.push(`ATTACK SIMULATION: this peer ${ATTACK_DESCRIPTIONS[config.attack]} (--attack ${config.attack}); for tests of a swarm's defences only`)
    lines.push(`genesis model ${this.genesis.modelHash.slice(0, 12)}`)
    return lines
  }

  private warn (text: string): void {
    this.events?.write('warning', { text })
  }

  private label (peer: string): string {
    return peerLabel(peer, this.view.nameOf(peer))
  }

  /** A hello named its sender: a new or changed name is logged. */
  private heardName (from: string, name: string | undefined): void {
    if (name === undefined || this.view.nameOf(from) === name) return
    this.events.write('peer-named', { peer: from, name })
  }

  /** An offer of the current round, logged once per sender: who has trained, so who is still awaited. */
  private logOffer (from: string, offer: OfferMessage): void {
    if (offer.round !== this.machine.round || offer.baseHash !== this.machine.globalModel.modelHash) return
    const key = `${offer.round}:${from}`
    if (this.offersLogged.has(key)) return
    for (const logged of this.offersLogged) if (Number(logged.split(':')[0]) < offer.round) this.offersLogged.delete(logged)
    this.offersLogged.add(key)
    this.events.write('update-offered', { round: offer.round, from })
  }

  /** A member that holds the final model has finished; its leaving is how a swarm ends. */
  private hasFinished (peer: string): boolean {
    return (this.memberRounds.get(peer) ?? -1) >= this.learner.lastRound
  }

  /** The peers present, self included, as the waiting line names them. */
  private present (): string[] {
    return [this.network.peerId, ...this.network.currentMembers()]
  }

  /** Still short of --min-peers: said again at growing intervals, with who is here, so a wait is never silent. */
  private reportWaitingForPeers (): void {
    if (!this.machine.isWaitingForPeers() || !this.waitingReminder.due(Date.now())) return
    const present = this.present()
    this.events.write('waiting-for-peers', { have: present.length, need: this.config.minPeers, present, since: this.waitingSince })
  }

  /** The shell of secure aggregation, with --secure-aggregation. */
  private secureAggregation (): SecureAggregationShell | undefined {
    const { secure: layout, dp } = this.learner.privacy
    if (layout === undefined) return undefined
    const self = this.network.peerId
    return new SecureAggregationShell({
      self,
      layout,
      clientNoise: dp?.level === 'client' ? { noiseMultiplier: dp.noiseMultiplier, clip: dp.clip } : undefined,
      waitMs: this.config.failoverDelayMs,
      dropSilentAfterMs: this.config.quorumWaitMs + this.config.failoverDelayMs,
      now: Date.now,
      isAlive: peer => peer === self || this.network.isMember(peer),
      members: () => this.network.currentMembers(),
      round: {
        expected: () => this.machine.roundExpected(),
        holders: () => this.machine.roundHolders(),
        mayMerge: peer => this.machine.mayMergeNow(peer),
        held: () => new Map([...this.machine.heldUpdates()].filter(([, u]) => u.masked !== undefined).map(([peer, u]) => [peer, u.masked as MaskedVector]))
      },
      publish: message => this.network.publish(message),
      reject: (from, detail) => { this.network.drops.drop(from, 'malformed', detail) },
      record: (name, fields) => { this.events.write(name, fields) }
    })
  }

  /** Dials the --peer addresses and fetches the swarm's current global model from them. */
  private async joinSwarm (): Promise<GlobalModel | undefined> {
    if (this.config.peers.length === 0) return undefined
    const message = await this.network.join(this.config.peers)
    if (message === undefined) return undefined
    const model = this.checkGlobal(message)
    const sameSettings = 'Every peer of a swarm needs the same --model (and --hidden), data schema or image size, --task, --normalize and --seed'
    if (!('round' in model) && model.reason === 'other-definition') throw new UserError(`this peer's model differs from the swarm's: ${model.detail}. ${sameSettings}`)
    if (!('round' in model)) throw new UserError(`the swarm's model does not fit this peer's (${model.detail}). ${sameSettings}`)
    if (model.round === 0 && model.modelHash !== this.genesis.modelHash) {
      throw new UserError(`the swarm started from another genesis model. ${sameSettings}`)
    }
    return model
  }

  /** This peer's own checkpoint, if it has a readable one of a round before the last. */
  private ownCheckpoint (): GlobalModel | undefined {
    const file = join(this.config.dataDir, CHECKPOINT_FILE)
    let checkpoint: GlobalModel | undefined
    if (existsSync(file)) {
      try {
        const model = this.checkGlobal(decodeMessage(readFileSync(file)))
        if ('round' in model && model.round < this.learner.lastRound) checkpoint = model
      } catch {
        this.warn(`ignoring unreadable checkpoint ${file}`)
      }
    }
    return checkpoint
  }

  private receive (from: string, message: SwarmMessage): void {
    if (this.machine === undefined) {
      if (this.early.length < EARLY_MESSAGES_KEPT) this.early.push([from, message])
      return
    }
    const round = message.round
    // a finished peer says hello with one past the last round
    if (message.type === 'hello' && round > this.learner.lastRound + 1) {
      return this.network.drops.drop(from, 'future-round', `a hello for round ${round}; the swarm stops after round ${this.learner.lastRound}`)
    }
    if (message.type === 'hello' || message.type === 'announce' || message.type === 'offer') {
      // the sender works on `round`, so it holds the global model of the round before
      if (round - 1 <= this.learner.lastRound) this.heardRound(from, round - 1)
      // it works on this round from another model: two merges of the last round competed
      const base = message.type === 'hello' ? message.modelHash : message.baseHash
      if (round === this.machine.round && base !== this.machine.globalModel.modelHash) this.catchUp(from)
    }
    switch (message.type) {
      case 'hello':
        this.heardName(from, message.name)
        if (round >= 1) this.memberHolds(from, round - 1, message.modelHash)
        return
      case 'announce':
        return this.act(this.machine.announceReceived(from, message.round, message.baseHash, message.roster, message.sealed))
      case 'offer':
        return this.offerReceived(from, message)
      case 'withdraw':
        this.act(this.machine.withdrawReceived(from, message.round, message.baseHash))
        return this.secure?.withdrawn(from, message.round, message.baseHash)
      case 'update':
        return this.acceptUpdate(from, message)
      case 'global': {
        const model = this.checkGlobal(message, from)
        if (!('round' in model)) return this.network.drops.drop(from, model.reason, model.detail)
        return this.act(this.machine.globalReceived(model, from))
      }
      case 'attest':
        return this.act(this.machine.attestationReceived(from, message.round, message.modelHash, message.merger, message.computed))
      case 'secure-keys':
      case 'secure-shares':
      case 'unmask-request':
      case 'unmask-consent':
      case 'unmask-reveal':
        if (this.secure === undefined) return this.network.drops.drop(from, 'malformed', `a ${message.type} message in a swarm without secure aggregation`)
        return this.secure.received(from, message)
      default: {
        const exhaustive: never = message
        throw new Error(`unhandled message ${String(exhaustive)}`)
      }
    }
  }

  /**
   * An offer of an update (gossiped, so signed by its sender): its sample
   * count within bounds, its mask list well formed; kept to check the update
   * against when it is fetched (from its sender, or handed on by a holder).
   */
  private offerReceived (from: string, offer: OfferMessage): void {
    if (!Number.isSafeInteger(offer.samples) || offer.samples < 1 || offer.samples > this.config.maxSamples) {
      return this.network.drops.drop(from, 'bad-samples', `an offer of an update on ${offer.samples} samples, not between 1 and ${this.config.maxSamples}`)
    }
    const masks = offer.maskedWith
    if (masks.some((peer, i) => peer === from || (i > 0 && masks[i - 1] >= peer))) return this.network.drops.drop(from, 'malformed', 'an offer whose mask list names its sender, or is not sorted and unique')
    this.updates.offered(from, offer)
    if (this.secure !== undefined) this.secure.offerReceived(from, offer.round, offer.baseHash, offer.maskedWith, offer.samples)
    this.logOffer(from, offer)
    this.act(this.machine.updateOffered(from, offer.round, offer.baseHash))
  }

  /**
   * An update of `owner`, fetched from it or handed on by the holder
   * `relayedBy` (its sender left). Only updates of the current round and
   * global model are taken, and only ones that match their sender's signed
   * offer (a handed-on one must have an offer to match).
   */
  private acceptUpdate (owner: string, message: UpdateMessage, relayedBy?: string): void {
    const base = this.machine.globalModel
    const source = relayedBy ?? owner
    if (message.round !== this.machine.round || message.baseHash !== base.modelHash || this.machine.heldUpdates().has(owner)) return
    if ((message.masked !== undefined) !== (this.secure !== undefined)) {
      return this.network.drops.drop(source, 'malformed', this.secure === undefined ? 'a masked update in a swarm without secure aggregation' : 'an update in the clear in a swarm with secure aggregation')
    }
    const { round, baseHash, samples, salt, masked } = message
    if (masked !== undefined) {
      const expected = parameterCount(base.weights) + 1
      if (masked.values.length !== expected) return this.network.drops.drop(source, 'bad-shapes', `a masked update of ${masked.values.length} words where this swarm's needs ${expected}`)
      if (this.secure?.matchesOffer(owner, round, baseHash, masked.maskedWith) !== true) return this.network.drops.drop(source, 'malformed', `a masked update of ${owner} whose mask list is not the one its offer names`)
    } else {
      const problem = checkUpdate(message, base.weights, { ...this.config, boundedTensors: this.learner.modelTensors })
      if (problem !== undefined) return this.network.drops.drop(source, problem.reason, problem.detail)
    }
    const weights = masked !== undefined ? maskedWeights(masked) : addWeights(base.weights, message.change)
    const offer = this.updates.offerOf(owner, round, baseHash)
    if (offer === undefined && relayedBy !== undefined) return
    if (offer !== undefined && (offer.updateHash !== updateHash({ weights, salt }) || (masked === undefined && offer.samples !== samples))) {
      return this.network.drops.drop(source, 'hash-mismatch', `an update of ${owner} for round ${round} that is not the one its offer names`)
    }
    this.updates.keep(owner, round, baseHash, encodeMessage(message))
    this.events.write('update-received', masked !== undefined ? { round, from: owner, masked: true } : { round, from: owner, samples, norm: l2Norm(message.change) })
    this.act(this.machine.updateReceived({ round, baseHash, samples: masked !== undefined ? offer?.samples ?? 1 : samples, from: owner, weights, masked, salt }))
    this.secure?.progress()
  }

  /**
   * Fetches an offered update from its sender, or, once the sender has left,
   * from another of the round's holders (checked against the sender's signed
   * offer), trying again (backing off up to 8 s) while the round still needs
   * it and someone may have it.
   */
  private fetchUpdate (owner: string, round: number, baseHash: string, attempt = 1): void {
    const current = (): boolean => this.machine.round === round && this.machine.globalModel.modelHash === baseHash
    if (!current() || this.machine.heldUpdates().has(owner)) return
    const holders = this.machine.roundHolders().filter(p => p !== this.network.peerId && p !== owner && this.network.isMember(p))
    const sources = this.network.isMember(owner) ? [owner] : holders
    if (sources.length === 0) return
    const source = sources[(attempt - 1) % sources.length]
    const relayed = source === owner ? undefined : source
    this.network.fetchUpdate(source, round, baseHash, relayed === undefined ? {} : { owner }).then(message => {
      this.acceptUpdate(owner, message, relayed)
    }).catch((err: unknown) => {
      if (!current() || this.machine.heldUpdates().has(owner)) return
      if (attempt === FETCH_WARNING_ATTEMPT) this.warn(`still trying to fetch the update of ${this.label(owner)} for round ${round}: ${(err as Error).message}`)
      setTimeout(() => { this.fetchUpdate(owner, round, baseHash, attempt + 1) }, Math.min(8000, 500 * 2 ** attempt))
    })
  }

  /** A member said it holds a global model (its hello or member list, or it served it): the round machine weighs its word. */
  private memberHolds (peer: string, round: number, hash: string): void {
    if (this.machine === undefined) {
      this.heldByMembers.set(peer, { round, hash })
      return
    }
    this.act(this.machine.memberHolds(peer, round, hash))
  }

  /** A member holds the global model of `globalRound`: one newer than this peer's is fetched at once. */
  private heardRound (peer: string, globalRound: number): void {
    if (globalRound > (this.memberRounds.get(peer) ?? -1)) this.memberRounds.set(peer, globalRound)
    if (this.machine !== undefined && globalRound > this.machine.globalModel.round) this.catchUp(peer)
  }

  /**
   * A member works on a later round than this peer: this peer missed a global
   * model (gossip lost it, the peer was frozen, or its network was cut; a
   * member that finished holds the final one). Or it works on this round
   * from another global model: two merges of the last round competed and this
   * peer did not see the other one. Fetch the member's model rather than wait:
   * after the last round no model comes, and a swarm split over two models
   * would never gather enough updates of either. The round machine adopts the
   * fetched model if it is newer or preferred (more contributors, then the
   * smaller hash), so both sides end on the same one.
   */
  private catchUp (from: string): void {
    if (this.catchingUp || Date.now() < (this.catchUpRefused.get(from) ?? 0)) return
    this.catchingUp = true
    this.network.fetchGlobal(from).then(message => {
      const model = this.checkGlobal(message)
      if (!('round' in model)) return this.network.drops.drop(from, model.reason, model.detail)
      // the member that served it holds it: its word counts like a hello's
      this.memberHolds(from, model.round, model.modelHash)
      this.act(this.machine.globalReceived(model, from))
    }).catch((err: unknown) => {
      // a member that cannot serve the model it claims is not asked again for a while
      this.catchUpRefused.set(from, Date.now() + CATCH_UP_RETRY_MS)
      if (err instanceof MalformedMessageError) return this.network.drops.drop(from, 'malformed', `its global model: ${err.message}`)
      if (!this.catchUpWarned.has(from)) {
        this.catchUpWarned.add(from)
        this.warn(`could not fetch the newer global model of ${this.label(from)}: ${(err as Error).message}; further failures with it are not reported`)
      }
    }).finally(() => { this.catchingUp = false })
  }

  /**
   * The model in a global message, or what is wrong with it; `signer` is the
   * verified author of a gossiped model (a fetched one may be merged by anyone).
   */
  private checkGlobal (message: SwarmMessage, signer?: string): GlobalModel | Rejection {
    if (message.type !== 'global') return { reason: 'malformed', detail: `expected a global model, got ${message.type}` }
    const { type: _type, definition: _definition, ...model } = message
    const stateShape = { stateSlots: this.learner.strategy.stateSlots, modelTensors: this.learner.modelTensors }
    return checkGlobal(message, this.genesis.weights, signer, this.learner.definition, stateShape) ?? model
  }

  /** The offer of this peer's update for the round it works on, if it holds one. */
  private heldOffer (): OfferMessage | undefined {
    if (this.machine === undefined) return undefined
    return this.updates.offerOf(this.network.peerId, this.machine.round, this.machine.globalModel.modelHash)
  }

  private globalMessage (model: GlobalModel): GlobalMessage {
    return { type: 'global', ...model, definition: this.learner.definition }
  }

  /** Carries out the machine's actions, in order. */
  private act (actions: RoundAction[] | undefined): void {
    for (const action of actions ?? []) {
      switch (action.type) {
        case 'reject':
          this.network.drops.drop(action.from, action.reason, action.detail)
          break
        case 'waiting-for-peers': {
          this.waitingSince = Date.now()
          this.waitingReminder.start(this.waitingSince)
          this.events.write('waiting-for-peers', { have: action.have, need: action.need, present: this.present(), since: this.waitingSince })
          break
        }
        case 'waiting-for-updates':
          this.events.write('waiting-for-updates', { round: action.round, have: action.have, need: action.need })
          break
        case 'merge':
          this.merge(action.job)
          break
        case 'attest':
          this.network.publish({ type: 'attest', round: action.round, modelHash: action.modelHash, merger: action.merger, computed: action.computed })
          this.events.write('attested', { round: action.round, merger: action.merger, modelHash: action.modelHash, computed: action.computed, agrees: action.computed === action.modelHash })
          break
        case 'merge-rejected': {
          const detail = `its model ${action.claimed.slice(0, 12)} for round ${action.round} is not the merge of the updates it names: ${action.by === this.network.peerId ? 'this peer' : this.label(action.by)} computed ${action.computed.slice(0, 12)}`
          this.network.drops.drop(action.merger, 'contradicted', detail)
          this.events.write('merge-rejected', { round: action.round, merger: action.merger, claimed: action.claimed, computed: action.computed, by: action.by })
          break
        }
        case 'train':
          this.train(action.round, action.base)
          break
        case 'start-round': {
          this.waitingReminder.stop()
          // the previous round's round-complete (written once its model is evaluated) comes first
          const { round, participants, leader } = action
          this.evaluating = this.evaluating.then(() => { this.events.write('round-start', { round, participants, leader }) })
          this.participantCounts.set(action.round, action.participants.length)
          this.secure?.roundStarted(action.round, this.machine.globalModel.modelHash, action.participants)
          break
        }
        case 'announce': {
          const { type: _type, ...announce } = action
          this.network.publish({ type: 'announce', ...announce })
          break
        }
        case 'publish-update': {
          const { round, baseHash, samples, masked } = action.update
          const bytes = this.updates.payload(round, baseHash)?.length ?? 0
          // the offer commits to the update (salted hash) and, masked, names whom it masked with
          const offer: OfferMessage = { type: 'offer', round, baseHash, samples, bytes, updateHash: updateHash(action.update), maskedWith: masked?.maskedWith ?? [] }
          this.updates.offered(this.network.peerId, offer)
          this.secure?.offerReceived(this.network.peerId, round, baseHash, offer.maskedWith, samples)
          this.network.publish(offer)
          this.events.write('update-published', { round, samples, bytes })
          break
        }
        case 'withdraw':
          this.network.publish({ type: 'withdraw', round: action.round, baseHash: action.baseHash })
          break
        case 'round-disputed':
          this.events.write('round-disputed', { round: action.round, why: action.why })
          break
        case 'fetch-update':
          this.fetchUpdate(action.from, action.round, action.baseHash)
          break
        case 'peer-left':
          // a member that finished the last round and left is no fault (peer-finished says so)
          if (!this.hasFinished(action.peer)) this.events.write('peer-left', { peer: action.peer, round: action.round })
          break
        case 'leader-failover':
          this.events.write('leader-failover', { round: action.round, from: action.from, to: action.to })
          break
        case 'publish-global': {
          this.events.write('merged', { round: action.model.round, contributors: action.model.contributors, modelHash: action.model.modelHash })
          const published = this.config.attack === 'lie-as-leader' ? this.lie(action.model) : action.model
          this.events.write('merge-published', {
            round: published.round,
            contributors: published.contributors,
            modelHash: published.modelHash,
            bytes: this.network.publish(this.globalMessage(published))
          })
          break
        }
        case 'adopt':
          // the first model adopted that holds nothing of this peer's (it joined a running swarm) is the one it starts from
          if (!this.adoptedAny && action.model.round > 0 && !action.model.contributors.includes(this.network.peerId)) this.events.write('resynced', { round: action.model.round, modelHash: action.model.modelHash })
          this.adoptedAny = true
          this.adopt(action.model)
          break
        case 'model-replaced':
          this.events.write('model-replaced', { round: action.round, previous: action.previous, by: action.by, merger: action.merger })
          break
        case 'finish':
          this.finish()
          break
        default: {
          const exhaustive: never = action
          throw new Error(`unhandled action ${String(exhaustive)}`)
        }
      }
    }
  }

  /** Runs a merge job in slices, so the network keeps being served meanwhile, and tells the machine its result. */
  private merge (job: MergeJob): void {
    if (this.secure !== undefined) return this.mergeSecurely(job, this.secure)
    const started = Date.now()
    this.mergeBases.clear()
    this.mergeBases.set(job.round, job.input.base.slice(0, this.learner.modelTensors))
    runInSlices(this.learner.strategy.merge({ ...job.input, modelTensors: this.learner.modelTensors })).then(result => {
      if (job.claim === undefined) this.events.write('merge-time', { round: job.round, contributions: job.input.contributions.length, ms: Date.now() - started })
      this.act(this.machine.mergeDone(job, result))
    }, (err: unknown) => {
      this.terminal.say(`error while merging round ${job.round}: ${(err as Error).stack ?? String(err)}`)
      this.finished.reject(err)
    })
  }

  /**
   * With secure aggregation: unmasks the sum of the round's masked updates
   * (as the merger it asks the swarm for the secrets), then lets the
   * strategy apply the mean change as the one contribution it sees.
   */
  private mergeSecurely (job: MergeJob, secure: SecureAggregationShell): void {
    const started = Date.now()
    this.mergeBases.clear()
    this.mergeBases.set(job.round, job.input.base)
    const stillWanted = (): boolean => this.machine.round === job.round && this.machine.globalModel.modelHash === job.baseHash
    void secure.unmask(job.round, job.baseHash, job.input.contributions, job.input.base, job.claim === undefined, stillWanted).then(async unmasked => {
      if (unmasked === 'deferred') return this.act(this.machine.mergeDeferred(job))
      if (unmasked === undefined) return
      const { change, samples, plan } = unmasked
      const sum = { peer: 'secure-sum', weights: addWeights(job.input.base, change), samples }
      const result = await runInSlices(this.learner.strategy.merge({ base: job.input.base, state: job.input.state, contributions: [sum], modelTensors: this.learner.modelTensors }))
      if (job.claim === undefined) {
        this.events.write('unmasked', { round: job.round, survivors: plan.survivors, dropped: plan.dropped, samples, ms: Date.now() - started })
        this.events.write('merge-time', { round: job.round, contributions: plan.survivors.length, ms: Date.now() - started })
      }
      const survivors = job.input.contributions.filter(c => plan.survivors.includes(c.peer))
      this.act(this.machine.mergeDone({ ...job, input: { ...job.input, contributions: survivors } }, result))
    }).catch((err: unknown) => {
      // what it unmasks came from other peers: a failure there is theirs, and never ends this peer
      if (!this.unmaskFailures.has(job.round)) {
        this.unmaskFailures.add(job.round)
        this.warn(`round ${job.round}: unmasking failed (${(err as Error).message}); the merge waits`)
      }
      if (job.claim === undefined) this.act(this.machine.mergeDeferred(job))
    })
  }

  /** --attack lie-as-leader: the model this peer publishes instead of its merge, claiming the same updates. */
  private lie (model: GlobalModel): GlobalModel {
    const weights = [...liedModel(model.weights.slice(0, this.learner.modelTensors), this.mergeBases.get(model.round) ?? model.weights), ...model.weights.slice(this.learner.modelTensors)]
    const lie = { ...model, weights, modelHash: globalHash(weights, model.state, this.learner.definition) }
    this.events.write('attack', { kind: 'lie-as-leader', round: model.round, merged: model.modelHash, published: lie.modelHash })
    return lie
  }

  private train (round: number, base: GlobalModel): void {
    this.roundStartedAt = Date.now()
    this.onTrainer(async () => {
      if (this.machine.round !== round || this.machine.globalModel.modelHash !== base.modelHash) return
      const samples = this.learner.data.train.count
      const started = Date.now()
      const trained = await this.learner.update(round, base.weights, p => { this.events.progress({ round, ...p }) })
      this.events.write('training-done', { round, loss: Number.isFinite(trained.loss) ? trained.loss : null, ms: Date.now() - started })
      let change = subtractWeights(trained.weights, base.weights)
      if (this.config.attack !== 'none' && !this.learner.poolsStatistics(round)) {
        const model = change.slice(0, this.learner.modelTensors)
        change = [...attackedChange(this.config.attack, model, this.config.attackScale, this.config.seed * 7919 + round * 101 + this.config.partition.index), ...change.slice(this.learner.modelTensors)]
      }
      // the budget is checked again before each release, with the least noise the round can carry: it is never exceeded
      if (this.ledger?.exceeds() === true) {
        this.warn(`round ${round}: one more round would spend more than --dp-epsilon ${this.learner.privacy.dp?.epsilon}; this peer sits it out and releases nothing more`)
        return this.act(this.machine.sitOut(round, base.modelHash))
      }
      if (this.secure !== undefined) return await this.publishMasked(round, base, change, samples, this.secure)
      // statistics lose too much in float16 or int8; they are sent once, as float32
      const compression = this.learner.poolsStatistics(round) ? 'none' : this.config.compression
      const salt = randomSeed()
      const payload = encodeMessage({ type: 'update', round, baseHash: base.modelHash, samples, change, salt }, compression)
      this.keepOwnUpdate(round, base.modelHash, payload)
      // this peer merges its update as the other holders will: base plus the change as sent
      const sent = decodeMessage(payload) as UpdateMessage
      this.act(this.machine.localUpdateReady(round, base.modelHash, addWeights(base.weights, sent.change), samples, { salt }))
    })
  }

  /** Masks this peer's change once its round's shares are in, and offers the masked update; or sits the round out. */
  private async publishMasked (round: number, base: GlobalModel, change: Weights, samples: number, secure: SecureAggregationShell): Promise<void> {
    const current = (): boolean => this.machine.round === round && this.machine.globalModel.modelHash === base.modelHash
    const masked = await secure.mask(round, base.modelHash, change, samples, current)
    if (masked === undefined) return
    if (masked === 'sit-out') return this.act(this.machine.sitOut(round, base.modelHash))
    // the vector is weighted with the sample count inside it; the offer announces the same count
    const salt = randomSeed()
    this.keepOwnUpdate(round, base.modelHash, encodeMessage({ type: 'update', round, baseHash: base.modelHash, samples: 1, change: [], masked, salt }))
    this.act(this.machine.localUpdateReady(round, base.modelHash, maskedWeights(masked), samples, { masked, salt }))
  }

  private keepOwnUpdate (round: number, baseHash: string, payload: Uint8Array): void {
    this.released.add(round)
    this.updates.keep(this.network.peerId, round, baseHash, payload)
  }

  /** Keeps the model (checkpoint first, so nothing learned is lost), then evaluates it in the background. */
  private adopt (model: GlobalModel): void {
    const ms = Date.now() - this.roundStartedAt
    this.accountPrivacy(model)
    const epsilon = this.epsilon
    writeAtomically(join(this.config.dataDir, CHECKPOINT_FILE), encodeMessage(this.globalMessage(model)))
    this.evaluating = this.evaluating.then(async () => {
      const metrics = await this.learner.evaluate(model.weights)
      this.lastEvaluation = metrics
      const dropped = this.network.drops.totals()
      this.events.write('round-complete', { round: model.round, leader: model.merger, contributors: model.contributors, modelHash: model.modelHash, ...metrics, dropped, ms, ...(epsilon === undefined ? {} : { epsilon }) })
    }).catch((err: unknown) => {
      this.terminal.say(`error while evaluating the global model: ${(err as Error).stack ?? String(err)}`)
      this.finished.reject(err)
    })
  }

  /**
   * With --dp: the privacy this peer spent once `model` is out. Client level:
   * a round costs a site when its change was merged (one noisy sum, sampling
   * rate 1); sample level: when its update went out (its DP-SGD steps). With secure
   * aggregation each participant adds a share of the noise, so a round whose
   * participants did not all survive carries less noise, and costs more.
   */
  private accountPrivacy (model: GlobalModel): void {
    const dp = this.learner.privacy.dp
    if (dp === undefined || this.accounted.has(model.round) || model.round === 0 || this.learner.poolsStatistics(model.round)) return
    this.accounted.add(model.round)
    // DP-SGD's noise protects the update itself, which went out whether merged or not; client-level noise is in the merge
    const spent = dp.level === 'sample' ? this.released.has(model.round) : model.contributors.includes(this.network.peerId)
    if (!spent) return
    const participants = this.participantCounts.get(model.round) ?? model.contributors.length
    const ledger = this.ledger as PrivacyLedger
    ledger.spend(ledger.roundNoise(this.secure === undefined ? undefined : { participants, survivors: model.contributors.length }))
    this.epsilon = ledger.epsilon
  }

  /**
   * After the last round: saves the final model, tells the swarm this peer is
   * done, and stays while members are behind (up to --finish-wait-ms), so a
   * site that comes back can still fetch the final model from it.
   */
  private finish (): void {
    if (this.finishing) return
    this.finishing = true
    const model = this.machine.globalModel
    this.network.sayHello()
    const saved = this.evaluating.then(async () => {
      // the evaluator holds the last adopted model once its evaluation is done
      await this.learner.save(join(this.config.dataDir, MODEL_DIR), model, this.lastEvaluation, this.epsilon)
      const result = { rounds: model.round, modelHash: model.modelHash, metrics: this.lastEvaluation }
      this.events.write('done', { rounds: result.rounds, modelHash: result.modelHash, ...result.metrics, dropped: this.network.drops.totals(), ...(this.epsilon === undefined ? {} : { epsilon: this.epsilon }) })
      return result
    })
    const finishedAt = Date.now()
    let told = false
    const exitWhenNobodyIsBehind = (result: PeerResult): void => {
      const behind = membersBehind(this.memberRounds, [...this.network.currentMembers(), ...this.network.reconnecting()], model.round)
      const waited = Date.now() - finishedAt
      if (waited >= FINAL_LINGER_MS && (behind.length === 0 || waited >= this.config.finishWaitMs)) {
        if (behind.length > 0) this.warn(`leaving ${behind.map(p => this.label(p)).join(', ')} behind: waited ${Math.round(waited / 1000)} s (--finish-wait-ms)`)
        this.finished.resolve(result)
        return
      }
      // members a moment behind (adopting the final model now) are no news; say it when the wait is real
      if (behind.length > 0 && !told && waited >= FINAL_LINGER_MS) {
        told = true
        this.events.write('handing-over', { behind })
      }
      setTimeout(() => { exitWhenNobodyIsBehind(result) }, TICK_MS)
    }
    saved.then(exitWhenNobodyIsBehind, (err: unknown) => { this.finished.reject(err) })
  }

  /** A peer left alone says so now and then: who it last saw, and when. */
  private reportIfAlone (): void {
    const report = this.presence.report(Date.now())
    if (report === undefined) return
    this.events.write('alone', { since: report.since, lastSeen: report.lastSeen })
  }

  /** Queues a training job; a failure is reported, never thrown into the network's callbacks. */
  private onTrainer (job: () => Promise<void>): void {
    this.training = this.training.then(job).catch((err: unknown) => {
      this.terminal.say(`error in local model work: ${(err as Error).stack ?? String(err)}`)
      this.finished.reject(err)
    })
  }
}

/** A masked vector as the round machine holds an update: its bytes, which the update hash covers. */
function maskedWeights (masked: MaskedVector): Weights {
  return [{ shape: [masked.values.length], values: new Float32Array(masked.values.buffer, masked.values.byteOffset, masked.values.length) }]
}

/** Progress of a long data load, on a terminal only: a line that rewrites itself. */
function loadingProgress (write: (text: string) => void): (done: number, total: number) => void {
  const started = Date.now()
  let shown = false
  return (done, total) => {
    if (Date.now() - started < 2000 && !shown) return
    shown = true
    write(`\r\x1b[2Kloading data: ${Math.floor((100 * done) / Math.max(1, total))} %`)
    if (done >= total) write('\r\x1b[2K')
  }
}
