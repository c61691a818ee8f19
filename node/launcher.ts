/**
 * Starts and follows a local swarm: N peer processes on loopback, each with
 * its own data dir and partition. scripts/swarm.sh and the integration tests
 * both run swarms through this module, and it follows the peers through their
 * event logs (docs/EVENTS.md), never through sleeps.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, constants } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVENTS_FILE, EventLogFollower } from '../src/events/jsonl.ts'
import { eventsNamed } from '../src/events/catalog.ts'
import type { EventName, EventOf, SwarmEvent } from '../src/events/catalog.ts'

export type { SwarmEvent } from '../src/events/catalog.ts'
import { FAULT_PLAN_FILE } from './faults.ts'
import type { FaultPlan } from './faults.ts'

const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts')

export interface PeerSummary {
  peerId: string
  dataDir: string
  exitCode: number | null
  rounds: number
  accuracy: number | null
  /** mean absolute error, for regression */
  mae: number | null
  modelHash: string | null
}

export interface LaunchOptions {
  peers: number
  rounds: number
  /** folder for the peers' data dirs, outputs and summary.json */
  outDir: string
  /** arguments given to every peer's `swarm-node start` after the launcher's own */
  extraArgs?: string[]
  /** arguments for peer `index` (1-based) alone, after extraArgs (a later flag wins) */
  peerArgs?: (index: number) => string[]
  /** a command that runs peer `index`'s process, such as ip netns exec <ns> for a peer in a network namespace */
  peerCommand?: (index: number) => string[]
}

export class PeerProcess {
  readonly index: number
  readonly dataDir: string
  readonly outputFile: string
  readonly child: ChildProcess
  readonly exited: Promise<number | null>
  exitCode: number | null = null
  /** its event log from where this process's events begin (a restarted peer appends to its predecessor's log) */
  private readonly log: EventLogFollower

  constructor (index: number, dataDir: string, args: string[], command: string[] = []) {
    this.index = index
    this.dataDir = dataDir
    mkdirSync(dataDir, { recursive: true })
    const eventsFile = join(dataDir, EVENTS_FILE)
    this.log = new EventLogFollower(eventsFile, existsSync(eventsFile) ? statSync(eventsFile).size : 0)
    this.outputFile = join(dataDir, 'output.log')
    const output = openSync(this.outputFile, 'a')
    const [program, ...programArgs] = [...command, process.execPath, '--no-warnings=ExperimentalWarning', CLI, 'start', '--data-dir', dataDir, ...args]
    this.child = spawn(program, programArgs, { stdio: ['ignore', output, output] })
    closeSync(output)
    this.exited = new Promise(resolve => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : 128 + constants.signals[signal])
        resolve(this.exitCode)
      })
    })
  }

  get running (): boolean {
    return this.exitCode === null && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Every event this process has logged so far, each checked against its documented type. */
  events (): SwarmEvent[] {
    return this.log.read()
  }

  /** The events named `name` this process has logged so far. */
  eventsOf<N extends EventName> (name: N): Array<EventOf<N>> {
    return eventsNamed(this.events(), name)
  }

  lastEvent<N extends EventName> (name: N): EventOf<N> | undefined {
    return this.eventsOf(name).at(-1)
  }

  peerId (): string {
    return this.events()[0]?.peerId ?? ''
  }

  signal (signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal)
  }

  /**
   * Asks the peer (started with --fault-injection) to freeze itself right
   * after it logs the event the plan names; see docs/FAULTS.md.
   */
  freezeAfter (plan: FaultPlan): void {
    writeFileSync(`${this.faultPlanFile}.tmp`, JSON.stringify(plan))
    renameSync(`${this.faultPlanFile}.tmp`, this.faultPlanFile)
  }

  /** Withdraws a fault plan the peer has not acted on. */
  cancelFaultPlan (): void {
    rmSync(this.faultPlanFile, { force: true })
  }

  private get faultPlanFile (): string {
    return join(this.dataDir, FAULT_PLAN_FILE)
  }

  summary (): PeerSummary {
    const done = this.lastEvent('done')
    const completed = this.eventsOf('round-complete').map(e => e.round)
    const last = this.lastEvent('round-complete')
    return {
      peerId: this.peerId(),
      dataDir: this.dataDir,
      exitCode: this.exitCode,
      // a peer that resynced to the last model is done without completing a round itself
      rounds: done?.rounds ?? (completed.length === 0 ? 0 : Math.max(...completed)),
      accuracy: done?.accuracy ?? last?.accuracy ?? null,
      mae: done?.mae ?? last?.mae ?? null,
      modelHash: done?.modelHash ?? last?.modelHash ?? null
    }
  }
}

/** running peers a newcomer is given as --peer */
const JOIN_CONTACTS = 3

/**
 * Addresses of up to JOIN_CONTACTS running peers, picked at random: peers
 * started at once do not all shake hands with peer 1, and any member is an
 * entry point (the newcomer finds the others through their member lists).
 */
function contactsFor (peers: PeerProcess[]): string[] {
  const listening = peers.filter(p => p.running).map(p => p.lastEvent('listening')).filter(e => e !== undefined)
  for (let i = listening.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[listening[i], listening[j]] = [listening[j], listening[i]]
  }
  return listening.slice(0, JOIN_CONTACTS).map(e => e.multiaddrs[0])
}

export class LocalSwarm {
  readonly peers: PeerProcess[] = []
  readonly options: LaunchOptions

  private constructor (options: LaunchOptions) {
    this.options = { ...options, outDir: resolve(options.outDir) }
  }

  /**
   * Starts peer 1, waits for its address, then starts the others joining
   * through it, as many at once as the machine has cores: a peer's start-up
   * (loading TensorFlow.js and the data) is CPU-bound, and dozens of them at
   * once starve the peers already running.
   */
  static async start (options: LaunchOptions, timeoutMs = 120_000): Promise<LocalSwarm> {
    const swarm = new LocalSwarm(options)
    mkdirSync(swarm.options.outDir, { recursive: true })
    const first = swarm.addPeer(1)
    await swarm.waitFor(() => first.lastEvent('listening'), timeoutMs, 'peer 1 to listen')
    const starting: PeerProcess[] = []
    for (let i = 2; i <= options.peers; i++) {
      await swarm.waitFor(() => starting.filter(p => p.running && p.lastEvent('listening') === undefined).length < availableParallelism(), timeoutMs, `a free core to start peer ${i}`)
      starting.push(swarm.addPeer(i))
    }
    return swarm
  }

  /**
   * Starts peer `index` (1-based) with partition index/N in the folder
   * peer-<index> (so the same index restarts a peer with its data dir); it
   * joins through a few running peers picked at random. `args` are appended to the common
   * arguments (a peer beyond N needs its own --partition there).
   */
  addPeer (index: number, args: string[] = []): PeerProcess {
    const common = [
      // a readable name; --name in the caller's arguments comes later and wins
      '--name', `peer-${index}`,
      ...(index <= this.options.peers ? ['--partition', `${index}/${this.options.peers}`] : []),
      '--rounds', String(this.options.rounds),
      '--min-peers', String(this.options.peers)
    ]
    for (const contact of contactsFor(this.peers)) common.push('--peer', contact)
    const own = this.options.peerArgs?.(index) ?? []
    const peer = new PeerProcess(index, join(this.options.outDir, `peer-${index}`), [...common, ...(this.options.extraArgs ?? []), ...own, ...args], this.options.peerCommand?.(index))
    this.peers.push(peer)
    return peer
  }

  /** Polls `check` until it returns a value; throws after `timeoutMs`. */
  async waitFor<T> (check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value !== undefined && value !== false) return value
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
      if (this.peers.length > 0 && this.peers.every(p => !p.running)) {
        const final = check()
        if (final !== undefined && final !== false) return final
        throw new Error(`every peer exited while waiting for ${what}`)
      }
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  /** Waits until every peer has exited; returns their exit codes. */
  async waitForExit (timeoutMs: number): Promise<Array<number | null>> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`swarm did not finish within ${timeoutMs} ms`)) }, timeoutMs)
    })
    try {
      return await Promise.race([Promise.all(this.peers.map(p => p.exited)), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Stops every peer still running: SIGTERM, then SIGKILL after a grace period. */
  async stop (graceMs = 5000): Promise<void> {
    for (const peer of this.peers) {
      peer.signal('SIGCONT')
      peer.signal('SIGTERM')
    }
    const killer = setTimeout(() => { for (const peer of this.peers) peer.signal('SIGKILL') }, graceMs)
    await Promise.all(this.peers.map(p => p.exited))
    clearTimeout(killer)
  }

  summary (): { peers: PeerSummary[] } {
    return { peers: this.peers.map(p => p.summary()) }
  }

  writeSummary (): string {
    const file = join(this.options.outDir, 'summary.json')
    writeFileSync(file, JSON.stringify(this.summary(), null, 2) + '\n')
    return file
  }
}

/**
 * One line on how a swarm ended: whether every peer finished, and whether the
 * peers that finished hold one model.
 */
export function describeOutcome (peers: PeerSummary[]): string {
  const finished = peers.filter(p => p.exitCode === 0 && p.modelHash !== null)
  const failed = new Map<string, number>()
  for (const p of peers.filter(p => !finished.includes(p))) failed.set(String(p.exitCode), (failed.get(String(p.exitCode)) ?? 0) + 1)
  const failures = [...failed].map(([code, n]) => `${n} exited with code ${code}`).join(', ')
  if (finished.length === 0) return `no peer finished: ${failures}`
  const models = new Set(finished.map(p => p.modelHash)).size
  const agreement = models === 1 ? 'the same model' : `${models} different models`
  if (finished.length === peers.length) return peers.length === 1 ? 'the peer finished' : `every peer finished and holds ${agreement}`
  return `${finished.length} of ${peers.length} peers finished and hold ${agreement}; ${failures}`
}
