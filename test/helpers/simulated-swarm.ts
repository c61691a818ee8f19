/**
 * Drives RoundMachines with a fake, in-memory network and a fake trainer, so
 * the protocol can be tested without processes, libp2p or tfjs. Messages are
 * queued and delivered in order when `deliver()` runs.
 */
import { RoundMachine } from '../../src/round/machine.ts'
import type { RoundAction } from '../../src/round/machine.ts'
import type { GlobalModel } from '../../src/round/types.ts'
import { createStrategy, runToEnd } from '../../src/merge/index.ts'
import type { MergeStrategy } from '../../src/merge/index.ts'
import { DEFAULTS } from '../../src/settings/parse.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { Weights } from '../../src/model/weights.ts'

export const QUORUM_WAIT_MS = 30_000
export const FAILOVER_DELAY_MS = 15_000
/** how often the fake clock ticks each machine, as the peer shell does */
export const TICK_MS = 250

export function genesisModel (): GlobalModel {
  const weights: Weights = [{ shape: [2], values: Float32Array.from([0, 0]) }]
  return { round: 0, weights, state: [], modelHash: modelHash(weights), contributors: [], updateHashes: [], merger: '', samples: 0 }
}

export interface SimPeer {
  id: string
  machine: RoundMachine
  actions: RoundAction[]
  /** rounds this peer was asked to train, with their base hash, not yet finished */
  training: Array<{ round: number, baseHash: string, base: Weights }>
  /** when this peer began training each round, on the fake clock */
  trainStarts: Map<number, number>
  /** when this peer knew each round's participants */
  roundStarts: Map<number, number>
}

export class SimulatedSwarm {
  readonly peers = new Map<string, SimPeer>()
  /** the fake clock every machine reads, in ms */
  time = 0
  /** hung peers: alive for the others, but they neither act nor receive until thawed */
  readonly frozen = new Set<string>()
  /** messages for frozen peers, delivered when they thaw (as a resumed process reads its sockets) */
  private readonly held = new Map<string, Array<() => void>>()
  private readonly queue: Array<() => void> = []
  private readonly rounds: number
  private readonly minPeers: number
  /** training leaves the weights as they were (a learning rate of 0, a saturated model) */
  private readonly stuck: boolean
  private readonly strategy: MergeStrategy
  /** peers whose merges publish another model than they computed (a lying leader) */
  readonly liars = new Set<string>()
  /** the models the liars published */
  readonly lies: GlobalModel[] = []
  /** peers that attest every lie as what they computed, and publish no merge of their own in a round with a lie */
  readonly colluders = new Set<string>()

  /** f of the machines: a leader and up to f colluders cannot make an honest peer keep a false model */
  private readonly f: number

  constructor (options: { rounds: number, minPeers: number, stuck?: boolean, strategy?: MergeStrategy, colluders?: number }) {
    this.rounds = options.rounds
    this.minPeers = options.minPeers
    this.stuck = options.stuck ?? false
    this.strategy = options.strategy ?? createStrategy(DEFAULTS)
    this.f = options.colluders ?? 1
  }

  /** Adds a peer that sees every peer already present (and is seen by them). */
  add (id: string, start: GlobalModel = genesisModel()): SimPeer {
    const settings = { self: id, minPeers: this.minPeers, rounds: this.rounds, minContributions: this.strategy.minContributions, now: () => this.time, quorumWaitMs: QUORUM_WAIT_MS, failoverDelayMs: FAILOVER_DELAY_MS, colluders: this.f }
    const peer: SimPeer = { id, machine: new RoundMachine(settings, start), actions: [], training: [], trainStarts: new Map(), roundStarts: new Map() }
    this.peers.set(id, peer)
    for (const other of this.peers.values()) {
      if (other === peer) continue
      this.apply(other, other.machine.peerJoined(id))
      this.apply(peer, peer.machine.peerJoined(other.id))
    }
    return peer
  }

  start (id: string): void {
    const peer = this.get(id)
    this.apply(peer, peer.machine.start())
  }

  startAll (): void {
    for (const id of this.peers.keys()) this.start(id)
  }

  /** Lets the clock tick until every peer has begun `round` (round 1 begins once its roster is agreed). */
  untilRoundStarts (round: number, maxMs = 60_000): void {
    const deadline = this.time + maxMs
    while (![...this.peers.values()].every(p => p.roundStarts.has(round) || this.frozen.has(p.id))) {
      if (this.time >= deadline) throw new Error(`round ${round} did not start on every peer`)
      this.deliver()
      this.advance(TICK_MS)
    }
  }

  /**
   * Resumes a frozen peer the way SIGCONT resumes a process: its clock has
   * jumped (its first tick sees the gap), then what it missed arrives.
   */
  thaw (id: string, beforeMessages: (peer: SimPeer) => void = () => {}): void {
    this.frozen.delete(id)
    const peer = this.get(id)
    this.apply(peer, peer.machine.tick())
    beforeMessages(peer)
    for (const deliver of this.held.get(id)?.splice(0) ?? []) deliver()
    this.deliver()
  }

  remove (id: string): void {
    this.peers.delete(id)
    for (const other of this.peers.values()) this.apply(other, other.machine.peerLeft(id))
  }

  /** Finishes every pending local training: each peer adds its own offset to the base weights. */
  trainAll (): void {
    for (const peer of this.peers.values()) if (!this.frozen.has(peer.id)) this.train(peer)
  }

  /** Finishes one peer's pending local training: it adds its own offset to the base weights. */
  train (peer: SimPeer): void {
    for (const job of peer.training.splice(0)) {
      const offset = Number(peer.id.replace(/\D/g, '')) || 1
      const weights = job.base.map(t => ({ shape: t.shape, values: t.values.map(v => v + (this.stuck ? 0 : offset)) }))
      this.apply(peer, peer.machine.localUpdateReady(job.round, job.baseHash, weights, 100 * offset))
    }
  }

  /** Moves the fake clock on in ticks, telling every machine and delivering what follows each tick. */
  advance (ms: number): void {
    this.advanceTo(this.time + ms)
  }

  advanceTo (time: number): void {
    while (this.time < time) {
      this.time = Math.min(time, this.time + TICK_MS)
      for (const peer of this.peers.values()) if (!this.frozen.has(peer.id)) this.apply(peer, peer.machine.tick())
      this.deliver()
    }
  }

  /** Delivers queued messages until none is left. */
  deliver (): void {
    while (this.queue.length > 0) this.queue.shift()?.()
  }

  /**
   * Trains and delivers until no peer has training left to do, letting the
   * clock tick (round 1's roster forms over a few ticks); returns after
   * `idleTicks` ticks in a row without training.
   */
  settle (idleTicks = 8, maxSteps = 1000): void {
    let idle = 0
    for (let step = 0; step < maxSteps; step++) {
      this.deliver()
      if ([...this.peers.values()].some(p => p.training.length > 0 && !this.frozen.has(p.id))) {
        idle = 0
        this.trainAll()
        continue
      }
      if (++idle > idleTicks) return
      this.advance(TICK_MS)
    }
    throw new Error('simulated swarm did not settle')
  }

  get (id: string): SimPeer {
    const peer = this.peers.get(id)
    if (peer === undefined) throw new Error(`no peer ${id}`)
    return peer
  }

  apply (peer: SimPeer, actions: RoundAction[]): void {
    for (const action of actions) {
      peer.actions.push(action)
      switch (action.type) {
        case 'train':
          peer.training.push({ round: action.round, baseHash: action.base.modelHash, base: action.base.weights })
          peer.trainStarts.set(action.round, this.time)
          break
        case 'start-round':
          peer.roundStarts.set(action.round, this.time)
          break
        case 'announce':
          this.broadcast(peer, other => other.machine.announceReceived(peer.id, action.round, action.baseHash, action.roster, action.sealed))
          break
        case 'publish-update':
          this.broadcast(peer, other => other.machine.updateOffered(peer.id, action.update.round, action.update.baseHash))
          break
        case 'fetch-update': {
          const sender = this.peers.get(action.from)
          const update = sender?.actions.find(a => a.type === 'publish-update' && a.update.round === action.round && a.update.baseHash === action.baseHash)
          if (update?.type === 'publish-update') this.queue.push(() => { this.apply(peer, peer.machine.updateReceived(update.update)) })
          break
        }
        case 'merge': {
          const result = runToEnd(this.strategy.merge(action.job.input))
          this.queue.push(() => { this.apply(peer, peer.machine.mergeDone(action.job, result)) })
          break
        }
        case 'attest': {
          const backsLie = this.colluders.has(peer.id) && this.lies.some(m => m.modelHash === action.modelHash)
          const computed = backsLie ? action.modelHash : action.computed
          this.broadcast(peer, other => other.machine.attestationReceived(peer.id, action.round, action.modelHash, action.merger, computed))
          break
        }
        case 'withdraw':
          this.broadcast(peer, other => other.machine.withdrawReceived(peer.id, action.round, action.baseHash))
          break
        case 'publish-global': {
          if (this.colluders.has(peer.id) && this.lies.some(m => m.round === action.model.round)) break
          const model = this.liars.has(peer.id) ? lie(action.model) : action.model
          if (model !== action.model) this.lies.push(model)
          this.broadcast(peer, other => other.machine.globalReceived(model, peer.id))
          break
        }
        default:
          break
      }
    }
  }

  private broadcast (from: SimPeer, deliver: (other: SimPeer) => RoundAction[]): void {
    for (const other of this.peers.values()) {
      if (other === from) continue
      const receive = (): void => {
        if (!this.peers.has(other.id)) return
        if (this.frozen.has(other.id)) {
          this.held.set(other.id, [...(this.held.get(other.id) ?? []), receive])
          return
        }
        this.apply(other, deliver(other))
      }
      this.queue.push(receive)
    }
  }
}

/** Another model than the one merged, claiming the same updates. */
function lie (model: GlobalModel): GlobalModel {
  const weights = model.weights.map(t => ({ shape: t.shape, values: t.values.map(v => v + 1000) }))
  return { ...model, weights, modelHash: modelHash(weights) }
}

export function actionsOf<T extends RoundAction['type']> (peer: SimPeer, type: T): Array<Extract<RoundAction, { type: T }>> {
  return peer.actions.filter((a): a is Extract<RoundAction, { type: T }> => a.type === type)
}
