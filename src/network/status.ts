/**
 * The direct stream protocol behind `swarm-node status`: a running peer
 * answers with the swarm as it sees it (members with names, IDs and
 * addresses, the round, its leader and who it waits for, the last round's
 * metrics). The answer is JSON (docs/PROTOCOL.md, "Status") and holds
 * nothing private: no data, paths, keys or settings beyond how the swarm
 * learns. The asker checks every field before it shows one.
 */
import type { AbortOptions, PeerId } from '@libp2p/interface'
import { MAX_STATUS_BYTES, STATUS_PROTOCOL, STATUS_TIMEOUT_MS } from './constants.ts'
import { RequestResponseService } from './request-response.ts'
import type { StreamServiceComponents } from './request-response.ts'
import { MalformedMessageError } from '../wire/messages.ts'
import type { SwarmSnapshot } from '../events/view.ts'

export interface StatusMember { peerId: string, name?: string, state: string, multiaddrs: string[] }

export interface StatusRound {
  round: number
  leader: string
  contributors: string[]
  ms: number
  completedAt: number
  loss: number | null
  accuracy?: number | null
  auc?: number | null
  mae?: number | null
}

export interface StatusAnswer {
  peerId: string
  name?: string
  version: string
  /** what the answering peer does now: waiting-for-peers, training, waiting-for-updates, merging, done */
  phase: string
  round: number
  rounds: number
  leader?: string
  participants: string[]
  awaited: string[]
  members: StatusMember[]
  last?: StatusRound
  strategy: string
  secureAggregation: boolean
  dp: string
  epsilon?: number
}

export interface StatusInit {
  answer: () => StatusAnswer | Promise<StatusAnswer>
  timeoutMs?: number
}

export class Status extends RequestResponseService {
  private readonly init: StatusInit

  constructor (components: StreamServiceComponents, init: StatusInit) {
    super(components, { name: 'status', protocol: STATUS_PROTOCOL, timeoutMs: init.timeoutMs ?? STATUS_TIMEOUT_MS, maxResponseBytes: MAX_STATUS_BYTES })
    this.init = init
  }

  protected async respond (): Promise<Uint8Array> {
    return new TextEncoder().encode(JSON.stringify(await this.init.answer()))
  }

  /** Asks a peer for its status; throws when it cannot, or when the answer is not a status. */
  async fetch (peer: PeerId, options: AbortOptions = {}): Promise<StatusAnswer> {
    const response = await this.request(peer, new Uint8Array(0), options)
    let value: unknown
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response))
    } catch (err) {
      throw new MalformedMessageError(`the status answer is not JSON: ${(err as Error).message}`)
    }
    return checkStatus(value)
  }
}

/** The answer from what a peer sees of its swarm, with each member's addresses: nothing private. */
export async function statusFrom (view: SwarmSnapshot, addressesOf: (peer: string) => Promise<string[]>): Promise<StatusAnswer> {
  const named = (name: string | undefined): { name?: string } => (name === undefined ? {} : { name })
  const members = await Promise.all(view.members.map(async m => ({ peerId: m.peerId, ...named(m.name), state: m.state, multiaddrs: await addressesOf(m.peerId) })))
  const last = view.rounds.at(-1)
  const { learning } = view
  return {
    peerId: view.peerId,
    ...named(view.name),
    version: view.version,
    phase: view.phase,
    round: view.round,
    rounds: learning.rounds,
    ...(view.leader === undefined ? {} : { leader: view.leader }),
    participants: view.participants,
    awaited: view.awaited,
    members,
    ...(last === undefined ? {} : { last: { round: last.round, leader: last.leader, contributors: last.contributors, ms: last.ms, completedAt: last.completedAt, loss: last.loss, accuracy: last.accuracy, auc: last.auc, mae: last.mae } }),
    strategy: learning.strategy,
    secureAggregation: learning.secureAggregation,
    dp: learning.dp,
    ...(view.epsilon === undefined ? {} : { epsilon: view.epsilon })
  }
}

export function status (init: StatusInit): (components: StreamServiceComponents) => Status {
  return (components) => new Status(components, init)
}

/** A status answer from another peer, every field checked (its text is shown on a terminal). */
export function checkStatus (value: unknown): StatusAnswer {
  const fail = (what: string): never => { throw new MalformedMessageError(`the status answer is malformed: ${what}`) }
  const record = (v: unknown, what: string): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : fail(`${what} is not an object`))
  const text = (v: unknown, what: string): string => (typeof v === 'string' && v.length <= 1000 && !/[\u0000-\u001f\u007f]/.test(v) ? v : fail(`${what} is not a short printable string`))
  const texts = (v: unknown, what: string): string[] => (Array.isArray(v) && v.length <= 100_000 ? v.map((t, i) => text(t, `${what}[${i}]`)) : fail(`${what} is not a list of strings`))
  const number = (v: unknown, what: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(`${what} is not a number`))
  const metric = (v: unknown, what: string): number | null => (v === null ? null : number(v, what))
  const optional = <T>(v: unknown, check: (v: unknown) => T): T | undefined => (v === undefined ? undefined : check(v))
  const s = record(value, 'the answer')
  const members = Array.isArray(s.members) && s.members.length <= 100_000 ? s.members : fail('members is not a list')
  const last = optional(s.last, v => {
    const r = record(v, 'last')
    return {
      round: number(r.round, 'last.round'),
      leader: text(r.leader, 'last.leader'),
      contributors: texts(r.contributors, 'last.contributors'),
      ms: number(r.ms, 'last.ms'),
      completedAt: number(r.completedAt, 'last.completedAt'),
      loss: metric(r.loss, 'last.loss'),
      accuracy: optional(r.accuracy, v => metric(v, 'last.accuracy')),
      auc: optional(r.auc, v => metric(v, 'last.auc')),
      mae: optional(r.mae, v => metric(v, 'last.mae'))
    }
  })
  return {
    peerId: text(s.peerId, 'peerId'),
    name: optional(s.name, v => text(v, 'name')),
    version: text(s.version, 'version'),
    phase: text(s.phase, 'phase'),
    round: number(s.round, 'round'),
    rounds: number(s.rounds, 'rounds'),
    leader: optional(s.leader, v => text(v, 'leader')),
    participants: texts(s.participants, 'participants'),
    awaited: texts(s.awaited, 'awaited'),
    members: members.map((m, i) => {
      const r = record(m, `members[${i}]`)
      return { peerId: text(r.peerId, `members[${i}].peerId`), name: optional(r.name, v => text(v, `members[${i}].name`)), state: text(r.state, `members[${i}].state`), multiaddrs: texts(r.multiaddrs, `members[${i}].multiaddrs`) }
    }),
    last,
    strategy: text(s.strategy, 'strategy'),
    secureAggregation: typeof s.secureAggregation === 'boolean' ? s.secureAggregation : fail('secureAggregation is not a boolean'),
    dp: text(s.dp, 'dp'),
    epsilon: optional(s.epsilon, v => number(v, 'epsilon'))
  }
}
