/**
 * The terminal: a readable line for the events an operator should see, each
 * peer named as `site-a (…abc123)`. On a TTY it also keeps one live line at
 * the bottom: local training (epoch, batch, loss), or the wait for the other
 * sites' updates. Not on a TTY those are plain lines now and then; with
 * --log-format json every event is one JSON line instead.
 */
import { formatMetrics } from '../model/tasks.ts'
import type { SwarmEvent } from './catalog.ts'
import type { EventSink, TrainingProgress } from './log.ts'
import { peerLabel } from './log.ts'
import type { SwarmView } from './view.ts'

/** a non-TTY log says who is awaited once the wait is this long, then at this interval */
const PLAIN_WAIT_FIRST_MS = 10_000
const PLAIN_WAIT_EVERY_MS = 60_000
const LIVE_LINE_MS = 1000
const PROGRESS_EVERY_MS = 100

export interface TerminalOptions {
  out: (text: string) => void
  tty: boolean
  format: 'text' | 'json'
  view: SwarmView
  now?: () => number
}

export class Terminal implements EventSink {
  private readonly options: TerminalOptions
  private readonly now: () => number
  private liveLine = ''
  private timer: NodeJS.Timeout | undefined
  private settings: Record<string, unknown> = {}
  private summaryLines: string[] = []
  private nextPlainWait = 0
  private progressShownAt = -Infinity

  constructor (options: TerminalOptions) {
    this.options = options
    this.now = options.now ?? Date.now
    if (options.format === 'text') {
      this.timer = setInterval(() => { this.refresh() }, LIVE_LINE_MS)
      this.timer.unref()
    }
  }

  close (): void {
    clearInterval(this.timer)
    this.setLive('')
  }

  /** A line that is not an event (an error, a notice before the log exists). */
  say (line: string): void {
    this.print([line])
  }

  write (event: SwarmEvent): void {
    if (this.options.format === 'json') {
      this.options.out(JSON.stringify(event) + '\n')
      return
    }
    if (event.event === 'started') {
      this.settings = event.settings
      this.summaryLines = event.summary
    }
    if (event.event === 'round-start' || event.event === 'round-complete') this.nextPlainWait = 0
    // training is over: its progress line goes (the wait for the others may follow)
    if (event.event === 'training-done' || event.event === 'done') this.setLive('')
    // so is a wait for a round that just completed
    if (event.event === 'round-complete' && this.liveLine.startsWith(`round ${event.round}:`)) this.setLive('')
    this.print(this.lines(event))
  }

  progress (progress: TrainingProgress): void {
    if (!this.options.tty || this.options.format !== 'text') return
    const { round, epoch, epochs, batch, batches, loss } = progress
    // a batch can take a millisecond: redraw at most every PROGRESS_EVERY_MS
    const now = this.now()
    if (now - this.progressShownAt < PROGRESS_EVERY_MS && batch < batches) return
    this.progressShownAt = now
    this.setLive(`round ${round}: training, epoch ${epoch}/${epochs}, batch ${batch}/${batches}, loss ${Number.isFinite(loss) ? loss.toFixed(4) : '…'}`)
  }

  private label (peer: string): string {
    return peerLabel(peer, this.options.view.nameOf(peer))
  }

  private print (lines: string[]): void {
    if (lines.length === 0) return
    const live = this.liveLine
    this.setLive('')
    this.options.out(lines.map(line => line + '\n').join(''))
    if (live !== '') this.setLive(live)
  }

  /** The TTY's bottom line, rewritten in place. */
  private setLive (text: string): void {
    if (!this.options.tty) return
    if (text === this.liveLine) return
    this.options.out(`\r\x1b[2K${text}`)
    this.liveLine = text
  }

  /** Called every second: while this peer's update is out and others' are not, who is awaited and for how long. */
  refresh (): void {
    const snapshot = this.options.view.snapshot()
    const now = this.now()
    if (snapshot.phase !== 'waiting-for-updates' || snapshot.awaited.length === 0 || snapshot.waitingSince === undefined) {
      if (this.liveLine.includes('waiting for updates')) this.setLive('')
      return
    }
    const seconds = Math.round((now - snapshot.waitingSince) / 1000)
    const line = `round ${snapshot.round}: waiting for updates from ${snapshot.awaited.length} of ${snapshot.participants.length}: ${snapshot.awaited.map(p => this.label(p)).join(', ')}, ${seconds} s`
    if (this.options.tty) return this.setLive(line)
    if (now - snapshot.waitingSince < PLAIN_WAIT_FIRST_MS || now < this.nextPlainWait) return
    this.nextPlainWait = now + PLAIN_WAIT_EVERY_MS
    this.print([line])
  }

  private lines (e: SwarmEvent): string[] {
    const label = (peer: string): string => this.label(peer)
    switch (e.event) {
      case 'started':
        return [`swarm-node ${e.version}${e.name === undefined ? '' : ` | ${e.name}`}`, `TensorFlow.js backend: ${e.backend}`]
      case 'listening':
        return [
          `peer ${e.peerId}${e.name === undefined ? '' : ` (${e.name})`} listening on`,
          ...e.multiaddrs.map(a => `  ${a}`),
          ...(e.page === undefined ? [] : [`live page: ${e.page}  metrics: ${e.page}metrics`]),
          ...this.summaryLines
        ]
      case 'resynced':
        return [`resynced to global round ${e.round} (${e.modelHash.slice(0, 12)})`]
      case 'waiting-for-peers': {
        const present = e.present.length === 0 ? '' : `: ${e.present.map(label).join(', ')}`
        const since = e.ts - e.since >= 1000 ? ` (for ${duration(e.ts - e.since)})` : ''
        return [`waiting for peers: ${e.have} of ${e.need} present${present}${since}`]
      }
      case 'waiting-for-updates':
        return [`round ${e.round}: waiting for updates: ${e.have} of the ${e.need} the merge strategy needs`]
      case 'round-complete': {
        const drops = Object.entries(e.dropped).map(([reason, n]) => `${reason} ${n}`).join(', ')
        const privacy = e.epsilon === undefined ? '' : ` | ε ${e.epsilon.toFixed(2)} (δ ${String(this.settings.dpDelta)})`
        const metrics = formatMetrics({ loss: e.loss ?? NaN, accuracy: e.accuracy ?? undefined, auc: e.auc ?? undefined, mae: e.mae ?? undefined })
        return [`round ${e.round} | leader ${label(e.leader)} | ${e.contributors.length} contributors | ${metrics}${privacy} | ${(e.ms / 1000).toFixed(1)} s${drops === '' ? '' : ` | dropped: ${drops}`}`]
      }
      case 'peer-left':
        return [`peer ${label(e.peer)} left during round ${e.round}`]
      case 'leader-failover':
        return [`round ${e.round}: leader ${label(e.from)} is gone or silent; ${label(e.to)} merges instead`]
      case 'model-replaced':
        return [`warning: round ${e.round} had two global models; keeping ${e.by.slice(0, 12)} (merged by ${label(e.merger)}) over ${e.previous.slice(0, 12)}`]
      case 'round-disputed':
        return [`warning: round ${e.round} is in dispute (${e.why}): every peer of the round recomputes its merges itself`]
      case 'message-dropped':
        return [`dropped a message from ${label(e.from)}: ${e.reason} (${e.detail}); further ones from it for this reason are not reported`]
      case 'alone':
        return [aloneText(e.ts - e.since, e.lastSeen, label)]
      case 'handing-over':
        return [`staying up to ${Math.round(Number(this.settings.finishWaitMs) / 1000)} s (--finish-wait-ms) for ${e.behind.map(label).join(', ')}: behind, they can fetch the final model from here`]
      case 'secure-aggregation-waiting':
        return [`round ${e.round}: secure aggregation waits: ${e.why}`]
      case 'secure-sum-clipped':
        return [`warning: round ${e.round}: the unmasked mean change has norm ${e.norm.toFixed(3)}, more than the ${e.bound} every peer clips to: some peer did not clip; the mean is clipped to ${e.bound}`]
      case 'attack':
        return [`ATTACK SIMULATION: publishing ${e.published.slice(0, 12)} as the merge of round ${e.round} instead of ${e.merged.slice(0, 12)}`]
      case 'warning':
        return [`warning: ${e.text}`]
      case 'done': {
        const metrics = formatMetrics({ loss: e.loss ?? NaN, accuracy: e.accuracy ?? undefined, auc: e.auc ?? undefined, mae: e.mae ?? undefined })
        return [`done after ${e.rounds} rounds: model ${e.modelHash.slice(0, 12)} saved to ${String(this.settings.dataDir)}/model, ${metrics}`]
      }
      default:
        return []
    }
  }
}

/** A peer left alone: for how long, and whom it last saw. */
function aloneText (ms: number, lastSeen: Array<Record<string, unknown>>, label: (peer: string) => string): string {
  const who = lastSeen.length === 0
    ? 'no other peer has connected yet; others join with --peer and one of the addresses above'
    : `last saw ${lastSeen.map(s => `${label(String(s.peer))}${typeof s.round === 'number' ? ` (round ${s.round})` : ''} at ${clock(Number(s.at))}`).join(', ')}; trying to reach them again`
  return `alone for ${duration(ms)}: ${who}`
}

function clock (ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false })
}

export function duration (ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}
