/**
 * Prometheus metrics of a peer (prom-client), fed by its events: rounds,
 * their durations and waits, the model's metrics on this site's test split,
 * members, updates, drops, failovers and privacy. libp2p's own metrics
 * (bytes on the wire by protocol, connections, process) join the same
 * registry when the node is built with it. docs/OPERATIONS.md lists them all.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { SwarmEvent } from './catalog.ts'
import type { EventSink } from './log.ts'

/** seconds; rounds of a local swarm take seconds, of a real one minutes */
const ROUND_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800]

export class MetricsSink implements EventSink {
  readonly registry: Registry
  private readonly roundsCompleted: Counter
  private readonly roundDuration: Histogram
  private readonly updateWait: Histogram
  private readonly round: Gauge
  private readonly model: Gauge<'metric'>
  private readonly members: Gauge
  private readonly updatesSent: Counter
  private readonly updatesReceived: Counter
  private readonly updateBytes: Counter
  private readonly drops: Counter<'reason'>
  private readonly failovers: Counter
  private readonly merges: Counter
  private readonly mergeDuration: Histogram
  private readonly epsilon: Gauge
  /** when this peer offered its update, by round (the next round's can come before this one completes) */
  private readonly publishedAt = new Map<number, number>()
  private dropTotals: Record<string, number> = {}

  /** `live`: what the metrics read from the peer when scraped (members now, drops so far) */
  constructor (live: { members: () => number, drops: () => Record<string, number> }, registry = new Registry()) {
    this.registry = registry
    const registers = [registry]
    this.roundsCompleted = new Counter({ name: 'swarm_rounds_completed_total', help: 'rounds whose global model this peer adopted', registers })
    this.roundDuration = new Histogram({ name: 'swarm_round_duration_seconds', help: 'from the start of a round to the adoption of its global model, on this peer', buckets: ROUND_BUCKETS, registers })
    this.updateWait = new Histogram({ name: 'swarm_update_wait_seconds', help: 'from this peer offering its update to the adoption of the round\'s global model: the wait for the other sites and the merge', buckets: ROUND_BUCKETS, registers })
    this.round = new Gauge({ name: 'swarm_round', help: 'the newest global round this peer adopted', registers })
    this.model = new Gauge({ name: 'swarm_model_metric', help: 'the task\'s metrics of the newest global model on this site\'s test split (loss; accuracy, auc or mae by task)', labelNames: ['metric'], registers })
    this.members = new Gauge({ name: 'swarm_members', help: 'peers connected to this one in the swarm, itself excluded', registers, collect: () => { this.members.set(live.members()) } })
    this.updatesSent = new Counter({ name: 'swarm_updates_sent_total', help: 'updates this peer offered to the round\'s holders', registers })
    this.updatesReceived = new Counter({ name: 'swarm_updates_received_total', help: 'other peers\' updates this peer received and accepted as a holder', registers })
    this.updateBytes = new Counter({ name: 'swarm_update_bytes_total', help: 'bytes of the encoded updates this peer offered', registers })
    this.drops = new Counter({ name: 'swarm_messages_dropped_total', help: 'messages from other peers dropped as invalid, by reason (docs/PROTOCOL.md#validation)', labelNames: ['reason'], registers, collect: () => { this.countDrops(live.drops()) } })
    this.failovers = new Counter({ name: 'swarm_leader_failovers_total', help: 'rounds whose leader was gone or silent and replaced by the next in the rotation', registers })
    this.merges = new Counter({ name: 'swarm_merges_total', help: 'rounds this peer merged', registers })
    this.mergeDuration = new Histogram({ name: 'swarm_merge_duration_seconds', help: 'how long this peer\'s merges took', buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30], registers })
    this.epsilon = new Gauge({ name: 'swarm_dp_epsilon', help: 'with --dp: the ε (at --dp-delta) this peer has spent so far', registers })
  }

  write (e: SwarmEvent): void {
    switch (e.event) {
      case 'update-published':
        this.updatesSent.inc()
        this.updateBytes.inc(e.bytes)
        this.publishedAt.set(e.round, e.ts)
        return
      case 'update-received':
        this.updatesReceived.inc()
        return
      case 'round-complete':
        this.roundsCompleted.inc()
        this.roundDuration.observe(e.ms / 1000)
        const published = this.publishedAt.get(e.round)
        if (published !== undefined) this.updateWait.observe((e.ts - published) / 1000)
        for (const round of this.publishedAt.keys()) if (round <= e.round) this.publishedAt.delete(round)
        this.round.set(e.round)
        for (const metric of ['loss', 'accuracy', 'auc', 'mae'] as const) {
          const value = e[metric]
          if (typeof value === 'number') this.model.set({ metric }, value)
        }
        if (e.epsilon !== undefined) this.epsilon.set(e.epsilon)
        return
      case 'leader-failover':
        this.failovers.inc()
        return
      case 'merge-time':
        this.merges.inc()
        this.mergeDuration.observe(e.ms / 1000)
        return
      default:
    }
  }

  /** The peer's drop totals only grow: at each scrape the counter moves by what they added. */
  private countDrops (totals: Record<string, number>): void {
    for (const [reason, total] of Object.entries(totals)) {
      const added = total - (this.dropTotals[reason] ?? 0)
      if (added > 0) this.drops.inc({ reason }, added)
    }
    this.dropTotals = { ...totals }
  }
}
