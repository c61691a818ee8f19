/**
 * What a peer knows of its swarm, folded from its own events: the members
 * and what each is doing, the round and who it waits for, a timeline of
 * rounds with their metrics, drops and privacy. The live page, the status
 * protocol and the terminal's waiting line all read it.
 */
import type { EventOf, SwarmEvent } from './catalog.ts'
import type { EventSink, TrainingProgress } from './log.ts'

/** what a member is doing, as this peer sees it */
export type MemberState = 'joined' | 'training' | 'waiting' | 'merging' | 'done' | 'gone'

export interface MemberView {
  peerId: string
  name?: string
  state: MemberState
  self: boolean
}

export interface RoundView {
  round: number
  leader: string
  contributors: string[]
  /** ms the round took on this peer, from its start to the adopted model */
  ms: number
  /** leader failovers this peer saw in the round */
  failovers: Array<{ from: string, to: string }>
  completedAt: number
  loss: number | null
  accuracy?: number | null
  auc?: number | null
  mae?: number | null
  epsilon?: number
}

export type Phase = 'starting' | 'waiting-for-peers' | 'training' | 'waiting-for-updates' | 'merging' | 'done'

export interface SwarmSnapshot {
  peerId: string
  name?: string
  version: string
  backend: string
  parameters: number
  /** the settings that say how the swarm learns (no paths, keys or addresses) */
  learning: { rounds: number, minPeers: number, model: string, strategy: string, secureAggregation: boolean, dp: string }
  phase: Phase
  /** the round this peer works on */
  round: number
  leader?: string
  participants: string[]
  /** participants whose update for the round has not been offered yet */
  awaited: string[]
  /** when the current wait (for peers, or for updates) began */
  waitingSince?: number
  members: MemberView[]
  rounds: RoundView[]
  /** messages dropped so far, by reason */
  drops: Record<string, number>
  /** ε spent so far, with --dp */
  epsilon?: number
  /** the secure-aggregation step of the current round, with --secure-aggregation */
  secureStage?: string
  training?: TrainingProgress
}

/** the rounds the page and status keep; older ones are in the event log */
const ROUNDS_KEPT = 500

export class SwarmView implements EventSink {
  private readonly names = new Map<string, string>()
  private readonly members = new Map<string, MemberState>()
  /**
   * By round: who offered an update, when this peer finished training, and
   * the failovers seen. Kept by round because the next round's first events
   * (training, offers) can come before this peer logs the last one complete.
   */
  private readonly offered = new Map<number, Set<string>>()
  private readonly trainedAt = new Map<number, number>()
  private readonly failovers = new Map<number, Array<{ from: string, to: string }>>()
  private readonly rounds: RoundView[] = []
  private readonly listeners = new Set<() => void>()
  /** the latest secure-aggregation step of the rounds under way */
  private readonly secureStages = new Map<number, string>()
  private state: Omit<SwarmSnapshot, 'members' | 'rounds' | 'awaited' | 'secureStage'> = {
    peerId: '',
    version: '',
    backend: '',
    parameters: 0,
    learning: { rounds: 0, minPeers: 0, model: '', strategy: '', secureAggregation: false, dp: 'none' },
    phase: 'starting',
    round: 0,
    participants: [],
    drops: {}
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange (listener: () => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** A peer's name if it told one, else undefined. */
  nameOf (peer: string): string | undefined {
    return this.names.get(peer)
  }

  write (event: SwarmEvent): void {
    this.apply(event)
    for (const listener of this.listeners) listener()
  }

  progress (progress: TrainingProgress): void {
    this.state.training = progress
    for (const listener of this.listeners) listener()
  }

  snapshot (): SwarmSnapshot {
    const self = this.state.peerId
    const members: MemberView[] = [...this.members].map(([peerId, state]) => ({ peerId, ...this.named(peerId), state, self: peerId === self }))
    const secureStage = this.secureStages.get(this.state.round)
    return { ...this.state, awaited: this.awaited(), members, rounds: [...this.rounds], ...(secureStage === undefined ? {} : { secureStage }) }
  }

  private named (peer: string): { name?: string } {
    const name = this.names.get(peer)
    return name === undefined ? {} : { name }
  }

  /** participants of the current round that have not offered their update, while the round runs */
  private awaited (): string[] {
    if (this.state.phase !== 'training' && this.state.phase !== 'waiting-for-updates') return []
    const offered = this.offeredIn(this.state.round)
    return this.state.participants.filter(p => !offered.has(p) && this.members.get(p) !== 'gone')
  }

  private offeredIn (round: number): Set<string> {
    const offered = this.offered.get(round) ?? new Set<string>()
    this.offered.set(round, offered)
    return offered
  }

  /** A member's state; one that finished stays done (one that left and came back joins again). */
  private setMember (peer: string, state: MemberState): void {
    if (this.members.get(peer) !== 'done') this.members.set(peer, state)
  }

  private apply (event: SwarmEvent): void {
    const { state } = this
    switch (event.event) {
      case 'started': {
        state.peerId = event.peerId
        if (event.name !== undefined) this.names.set(event.peerId, event.name)
        state.name = event.name
        state.version = event.version
        state.backend = event.backend
        state.parameters = event.parameters
        state.learning = learningOf(event.settings)
        this.members.set(event.peerId, 'joined')
        return
      }
      case 'waiting-for-peers':
        state.phase = 'waiting-for-peers'
        state.waitingSince = event.since
        return
      case 'round-start':
        this.beginRound(event)
        return
      case 'training-done':
        state.training = undefined
        this.offeredIn(event.round).add(event.peerId)
        this.trainedAt.set(event.round, event.ts)
        if (event.round !== state.round) return
        if (state.phase === 'training') {
          state.phase = 'waiting-for-updates'
          state.waitingSince = event.ts
        }
        this.setMember(event.peerId, 'waiting')
        return
      case 'update-offered':
        this.offeredIn(event.round).add(event.from)
        if (event.round === state.round) this.setMember(event.from, 'waiting')
        return
      case 'merged':
        state.phase = 'merging'
        this.setMember(event.peerId, 'merging')
        return
      case 'leader-failover':
        this.failovers.set(event.round, [...(this.failovers.get(event.round) ?? []), { from: event.from, to: event.to }])
        if (event.round === state.round) state.leader = event.to
        return
      case 'round-complete':
        this.completeRound(event)
        return
      case 'peer-joined':
        if (!this.members.has(event.peer) || this.members.get(event.peer) === 'gone') this.members.set(event.peer, 'joined')
        return
      case 'peer-named':
        this.names.set(event.peer, event.name)
        return
      case 'peer-left':
        this.setMember(event.peer, 'gone')
        return
      case 'peer-finished':
        this.members.set(event.peer, 'done')
        return
      case 'message-dropped':
        return
      case 'secure-shares-sent':
      case 'masking':
      case 'unmask-requested':
      case 'unmasked':
      case 'secure-aggregation-waiting':
        // by round: the next round's keys go out before this peer has logged that round's start
        this.secureStages.set(event.round, event.event)
        for (const round of this.secureStages.keys()) if (round < event.round - 1) this.secureStages.delete(round)
        return
      case 'done':
        state.phase = 'done'
        state.drops = event.dropped
        state.training = undefined
        this.setMember(event.peerId, 'done')
        return
      default:
    }
  }

  /** The round's participants are known (in round 1, possibly after this peer trained). */
  private beginRound (event: EventOf<'round-start'>): void {
    const { state } = this
    this.enterRound(event.round)
    state.participants = event.participants
    state.leader = event.leader
    const offered = this.offeredIn(event.round)
    for (const peer of event.participants) {
      if (this.members.get(peer) !== 'gone') this.setMember(peer, offered.has(peer) ? 'waiting' : 'training')
    }
  }

  /** This peer works on `round`: training, or waiting for the others if its own update is out. */
  private enterRound (round: number): void {
    const { state } = this
    if (round === state.round && state.phase !== 'waiting-for-peers' && state.phase !== 'starting') return
    state.round = round
    const trained = this.trainedAt.get(round)
    state.phase = trained === undefined ? 'training' : 'waiting-for-updates'
    state.waitingSince = trained
    for (const map of [this.offered, this.trainedAt, this.failovers]) for (const key of map.keys()) if (key < round) map.delete(key)
  }

  private completeRound (event: EventOf<'round-complete'>): void {
    const { state } = this
    const { round, leader, contributors, loss, accuracy, auc, mae, epsilon, dropped } = event
    this.rounds.push({ round, leader, contributors, ms: event.ms, failovers: this.failovers.get(round) ?? [], completedAt: event.ts, loss, accuracy, auc, mae, epsilon })
    if (this.rounds.length > ROUNDS_KEPT) this.rounds.shift()
    state.drops = dropped
    if (epsilon !== undefined) state.epsilon = epsilon
    if (round < state.round) return
    for (const [peer, member] of this.members) if (member === 'waiting' || member === 'merging' || member === 'training') this.members.set(peer, 'joined')
    if (round >= state.learning.rounds) {
      state.phase = 'done'
      state.round = round
      state.participants = []
      state.leader = undefined
      return
    }
    // the next round's participants are this round's contributors; its leader comes with its start
    this.enterRound(round + 1)
    state.participants = contributors
    state.leader = undefined
    const offered = this.offeredIn(round + 1)
    for (const peer of contributors) if (this.members.get(peer) !== 'gone') this.setMember(peer, offered.has(peer) ? 'waiting' : 'training')
  }
}

/** The settings of the `started` event that say how the swarm learns; nothing private. */
function learningOf (settings: Record<string, unknown>): SwarmSnapshot['learning'] {
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback)
  const count = (v: unknown): number => (typeof v === 'number' ? v : 0)
  return {
    rounds: count(settings.rounds),
    minPeers: count(settings.minPeers),
    model: text(settings.model, 'mlp'),
    strategy: text(settings.merge, 'fedavg'),
    secureAggregation: settings.secureAggregation === true,
    dp: text(settings.dp, 'none')
  }
}
