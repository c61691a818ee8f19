/**
 * Drives RoundMachines with a fake, in-memory network and a fake trainer, so
 * the protocol can be tested without processes, libp2p or tfjs. Messages are
 * queued and delivered in order when `deliver()` runs.
 */
import { RoundMachine } from '../../src/round/machine.ts'
import type { RoundAction } from '../../src/round/machine.ts'
import type { GlobalModel } from '../../src/round/types.ts'
import { fedAvg } from '../../src/merge/index.ts'
import { modelHash } from '../../src/model/weights.ts'
import type { Weights } from '../../src/model/weights.ts'

export const QUORUM_WAIT_MS = 30_000
export const FAILOVER_DELAY_MS = 15_000

export function genesisModel (): GlobalModel {
  const weights: Weights = [{ shape: [2], values: Float32Array.from([0, 0]) }]
  return { round: 0, weights, modelHash: modelHash(weights), contributors: [], merger: '', samples: 0 }
}

export interface SimPeer {
  id: string
  machine: RoundMachine
  actions: RoundAction[]
  /** rounds this peer was asked to train, with their base hash, not yet finished */
  training: Array<{ round: number, baseHash: string, base: Weights }>
}

export class SimulatedSwarm {
  readonly peers = new Map<string, SimPeer>()
  /** the fake clock every machine reads, in ms */
  time = 0
  /** hung peers: alive for the others, but they neither act nor receive */
  readonly frozen = new Set<string>()
  private readonly queue: Array<() => void> = []
  private readonly rounds: number
  private readonly minPeers: number

  constructor (options: { rounds: number, minPeers: number }) {
    this.rounds = options.rounds
    this.minPeers = options.minPeers
  }

  /** Adds a peer that sees every peer already present (and is seen by them). */
  add (id: string, start: GlobalModel = genesisModel()): SimPeer {
    const settings = { self: id, minPeers: this.minPeers, rounds: this.rounds, merge: fedAvg, now: () => this.time, quorumWaitMs: QUORUM_WAIT_MS, failoverDelayMs: FAILOVER_DELAY_MS }
    const peer: SimPeer = { id, machine: new RoundMachine(settings, start), actions: [], training: [] }
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

  remove (id: string): void {
    this.peers.delete(id)
    for (const other of this.peers.values()) this.apply(other, other.machine.peerLeft(id))
  }

  /** Finishes every pending local training: each peer adds its own offset to the base weights. */
  trainAll (): void {
    for (const peer of this.peers.values()) {
      if (this.frozen.has(peer.id)) continue
      const jobs = peer.training.splice(0)
      for (const job of jobs) {
        const offset = Number(peer.id.replace(/\D/g, '')) || 1
        const weights = job.base.map(t => ({ shape: t.shape, values: t.values.map(v => v + offset) }))
        this.apply(peer, peer.machine.localUpdateReady(job.round, job.baseHash, weights, 100 * offset))
      }
    }
  }

  /** Moves the fake clock on, tells every machine, and delivers what follows. */
  advance (ms: number): void {
    this.time += ms
    for (const peer of this.peers.values()) if (!this.frozen.has(peer.id)) this.apply(peer, peer.machine.tick())
    this.deliver()
  }

  /** Delivers queued messages until none is left. */
  deliver (): void {
    while (this.queue.length > 0) this.queue.shift()?.()
  }

  /** Trains and delivers until no peer has anything left to do. */
  settle (maxSteps = 100): void {
    for (let step = 0; step < maxSteps; step++) {
      this.deliver()
      if ([...this.peers.values()].every(p => p.training.length === 0 || this.frozen.has(p.id))) return
      this.trainAll()
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
        case 'start-round':
          peer.training.push({ round: action.round, baseHash: action.base.modelHash, base: action.base.weights })
          this.broadcast(peer, other => other.machine.announceReceived(peer.id, action.round))
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
        case 'publish-global':
          this.broadcast(peer, other => other.machine.globalReceived(action.model, peer.id))
          break
        default:
          break
      }
    }
  }

  private broadcast (from: SimPeer, deliver: (other: SimPeer) => RoundAction[]): void {
    for (const other of this.peers.values()) {
      if (other === from) continue
      this.queue.push(() => { if (this.peers.has(other.id) && !this.frozen.has(other.id)) this.apply(other, deliver(other)) })
    }
  }
}

export function actionsOf<T extends RoundAction['type']> (peer: SimPeer, type: T): Array<Extract<RoundAction, { type: T }>> {
  return peer.actions.filter((a): a is Extract<RoundAction, { type: T }> => a.type === type)
}
