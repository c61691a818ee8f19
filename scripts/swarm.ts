/**
 * Runs a local swarm: N peer processes on loopback, each with its own data dir
 * and partition; shows progress, then a summary table and DIR/summary.json.
 * Started by scripts/swarm.sh; see its --help.
 */
import { formatMetrics } from '../src/model/tasks.ts'
import type { Metrics } from '../src/model/tasks.ts'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { describeOutcome, LocalSwarm } from '../node/launcher.ts'
import type { PeerProcess, PeerSummary } from '../node/launcher.ts'
import { eventsNamed } from '../src/events/catalog.ts'
import type { EventOf, SwarmEvent } from '../src/events/catalog.ts'

/** more peers than this get one progress bar on a terminal instead of a line each */
const LINES_UP_TO = 12

const USAGE = `Usage: scripts/swarm.sh --peers N --rounds R [--config FILE] [--split iid|dirichlet]
                       [--attack KIND --attackers K] [--out DIR]
                       [-- <extra swarm-node start arguments for every peer>]

Starts N peers as separate processes on loopback (peer 1's multiaddr goes to the
others), each with its own data dir under DIR (default runs/<timestamp>) and
partition i/N, and waits until all have finished. Exit code 0 only if every
peer exited 0. A peer that exits with code 2 (settings or data it refused)
stops every peer at once, and its message is shown. Ctrl-C stops every peer
(exit code 130). With -- --http 127.0.0.1:0 each peer's live page is shown.

--attack KIND --attackers K makes the last K peers misbehave (swarm-node start
--attack KIND: sign-flip, noise, label-flip, scale or lie-as-leader), to test
the swarm's defences (docs/STRATEGIES.md).
`

function fail (message: string): never {
  process.stderr.write(`swarm.sh: ${message}\n\n${USAGE}`)
  process.exit(2)
}

function parse (argv: string[]): { peers: number, rounds: number, outDir: string, extraArgs: string[], peerArgs: (index: number) => string[] } {
  const split = argv.indexOf('--')
  const own = split === -1 ? argv : argv.slice(0, split)
  const extra = split === -1 ? [] : argv.slice(split + 1)
  let values
  try {
    values = parseArgs({
      args: own,
      options: {
        peers: { type: 'string' },
        rounds: { type: 'string' },
        config: { type: 'string' },
        split: { type: 'string' },
        out: { type: 'string' },
        attack: { type: 'string' },
        attackers: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true
    }).values
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help === true) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const peers = Number(values.peers)
  const rounds = Number(values.rounds)
  if (!Number.isSafeInteger(peers) || peers < 1) fail(`--peers must be a whole number >= 1, got ${values.peers ?? 'nothing'}`)
  if (!Number.isSafeInteger(rounds) || rounds < 1) fail(`--rounds must be a whole number >= 1, got ${values.rounds ?? 'nothing'}`)
  if (values.split !== undefined && values.split !== 'iid' && values.split !== 'dirichlet') fail(`--split must be iid or dirichlet, got ${values.split}`)
  const attackers = values.attackers === undefined ? 0 : Number(values.attackers)
  if (!Number.isSafeInteger(attackers) || attackers < 0 || attackers > peers) fail(`--attackers must be a whole number from 0 to --peers, got ${values.attackers}`)
  if (attackers > 0 && values.attack === undefined) fail('--attackers needs --attack KIND')
  const attack = values.attack
  const peerArgs = (index: number): string[] => (attack !== undefined && index > peers - Math.max(attackers, 1) ? ['--attack', attack] : [])
  const extraArgs: string[] = []
  if (values.config !== undefined) extraArgs.push('--config', values.config)
  if (values.split !== undefined) extraArgs.push('--split', values.split)
  extraArgs.push(...extra)
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  return { peers, rounds, outDir: values.out ?? `runs/${stamp}`, extraArgs, peerArgs }
}

function table (rows: PeerSummary[]): string {
  const header = ['peer', 'peerId', 'exit', 'rounds', 'accuracy/mae', 'modelHash']
  const lines = rows.map((p, i) => [
    String(i + 1),
    p.peerId === '' ? '?' : `…${p.peerId.slice(-8)}`,
    String(p.exitCode),
    String(p.rounds),
    (p.accuracy ?? p.mae)?.toFixed(4) ?? '-',
    p.modelHash === null ? '-' : p.modelHash.slice(0, 16)
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map(l => l[c].length)))
  return [header, ...lines].map(l => l.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n')
}

async function main (): Promise<number> {
  const options = parse(process.argv.slice(2))
  const started = Date.now()
  process.stdout.write(`starting ${options.peers} peers for ${options.rounds} rounds in ${options.outDir}\n`)
  const swarm = await LocalSwarm.start(options)
  let stopping = false
  let interrupted: NodeJS.Signals | undefined
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      interrupted = signal
      process.stdout.write(`\n${signal}: stopping every peer\n`)
      void swarm.stop()
    })
  }
  const live = process.stdout.isTTY === true ? new LiveLines() : undefined
  const say = (text: string): void => { if (live === undefined) process.stdout.write(text); else live.print(text) }
  const pagesShown = new Set<number>()
  let reported = 0
  const progress = setInterval(() => {
    for (const peer of swarm.peers) {
      const page = peer.lastEvent('listening')?.page
      if (page !== undefined && !pagesShown.has(peer.index)) {
        pagesShown.add(peer.index)
        say(`peer ${peer.index}: live page ${page}  metrics ${page}metrics\n`)
      }
    }
    // a peer that refused its settings or data (exit 2) can never finish, and the others would wait for it
    const refused = swarm.peers.find(p => !p.running && p.exitCode === 2)
    if (refused !== undefined && !stopping) {
      stopping = true
      say(`peer ${refused.index} exited with code 2:\n${lastLines(refused.outputFile, 6)}\nstopping every peer: fix the settings and start the swarm again\n`)
      void swarm.stop()
    }
    if (live !== undefined) return live.show(swarm.peers.length <= LINES_UP_TO ? swarm.peers.map(p => peerLine(p, options.rounds)) : [progressBar(swarm.peers, options.rounds)])
    const running = swarm.peers.filter(p => p.running || p.lastEvent('done') !== undefined)
    if (running.length === 0) return
    const completions = running.map(p => p.eventsOf('round-complete'))
    const roundsEveryoneDid = Math.min(...completions.map(c => Math.max(0, ...c.map(e => e.round))))
    while (reported < roundsEveryoneDid) {
      reported++
      const hashes = new Set(completions.map(c => c.filter(e => e.round === reported).at(-1)?.modelHash))
      const complete = completions[0].filter(e => e.round === reported).at(-1)
      const agreement = hashes.size === 1 ? 'all agree' : `${hashes.size} different models`
      process.stdout.write(`round ${reported}: ${running.length} peers, ${complete === undefined ? '' : formatMetrics(metricsOf(complete))}, ${agreement}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    }
  }, 250)
  await Promise.all(swarm.peers.map(p => p.exited))
  clearInterval(progress)
  live?.show(swarm.peers.length <= LINES_UP_TO ? swarm.peers.map(p => peerLine(p, options.rounds)) : [progressBar(swarm.peers, options.rounds)])
  const summaryFile = swarm.writeSummary()
  const { peers } = swarm.summary()
  process.stdout.write(`\n${table(peers)}\n\n`)
  for (const p of peers.filter(p => p.exitCode !== 0)) process.stdout.write(`peer in ${p.dataDir} exited with ${p.exitCode}: see ${p.dataDir}/output.log\n`)
  process.stdout.write(`${describeOutcome(peers)}; wall time ${((Date.now() - started) / 1000).toFixed(1)} s; summary in ${summaryFile}\n`)
  if (interrupted !== undefined) return interrupted === 'SIGINT' ? 130 : 143
  return peers.every(p => p.exitCode === 0) ? 0 : 1
}

/** The last `n` lines of a peer's output, indented. */
function lastLines (file: string, n: number): string {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return `  (no output in ${file})`
  }
  return text.trimEnd().split('\n').slice(-n).map(line => `  ${line}`).join('\n')
}

function metricsOf (e: EventOf<'round-complete'> | EventOf<'done'>): Metrics {
  return { loss: e.loss ?? NaN, accuracy: e.accuracy ?? undefined, auc: e.auc ?? undefined, mae: e.mae ?? undefined }
}

/** What a peer does now, from its events (read once per refresh): for its live line. */
function doing (peer: PeerProcess, events: SwarmEvent[]): { round: number, what: string, completed: number } {
  const completed = Math.max(0, ...eventsNamed(events, 'round-complete').map(e => e.round))
  const done = eventsNamed(events, 'done').at(-1)
  if (done !== undefined) return { round: done.rounds, completed, what: peer.running ? 'done, handing over' : `done (exit ${String(peer.exitCode)})` }
  if (!peer.running) return { round: 0, completed, what: `exited with ${String(peer.exitCode)}: see ${peer.outputFile}` }
  const last = events.findLast(e => ['waiting-for-peers', 'round-start', 'training-done', 'merged', 'round-complete', 'leader-failover'].includes(e.event))
  return { completed, ...now(last, completed) }
}

function now (last: SwarmEvent | undefined, completed: number): { round: number, what: string } {
  switch (last?.event) {
    case 'waiting-for-peers': return { round: completed + 1, what: `waiting for peers (${last.have} of ${last.need})` }
    case 'round-start': return { round: last.round, what: 'training' }
    case 'training-done': return { round: last.round, what: 'waiting for the others\' updates' }
    case 'merged': return { round: last.round, what: 'merging' }
    case 'leader-failover': return { round: last.round, what: 'leader failover' }
    case 'round-complete': return { round: last.round + 1, what: 'training' }
    default: return { round: 0, what: 'starting' }
  }
}

function peerLine (peer: PeerProcess, rounds: number): string {
  const events = peer.events()
  const started = eventsNamed(events, 'started').at(0)
  const name = started?.name ?? `peer ${peer.index}`
  const id = started === undefined ? '' : `…${started.peerId.slice(-6)}`
  const { round, what } = doing(peer, events)
  const last = eventsNamed(events, 'done').at(-1) ?? eventsNamed(events, 'round-complete').at(-1)
  // the task's main metric; the rest is in the peer's own output
  const metrics = last === undefined ? '' : `  ${formatMetrics(metricsOf(last)).split(' | ')[0]}`
  return `${name.padEnd(10)} ${id.padEnd(8)} round ${Math.min(round, rounds)}/${rounds}  ${what.padEnd(30)}${metrics}`
}

/** Many peers: one bar of rounds completed by all, and how many do what. */
function progressBar (peers: PeerProcess[], rounds: number): string {
  const states = peers.map(p => doing(p, p.events()))
  const completed = Math.min(...states.map(s => s.completed))
  const width = 30
  const filled = Math.round((width * completed) / rounds)
  const counts = new Map<string, number>()
  for (const { what } of states) counts.set(what.replace(/ \(.*\)$/, ''), (counts.get(what.replace(/ \(.*\)$/, '')) ?? 0) + 1)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${completed}/${rounds} rounds  ${[...counts].map(([what, n]) => `${n} ${what}`).join(', ')}`
}

/** A block of lines at the bottom of a terminal, rewritten in place. */
class LiveLines {
  private shown = 0

  /** Text above the block: the block is drawn again below it at the next show. */
  print (text: string): void {
    const up = this.shown > 0 ? `\x1b[${this.shown}A\r\x1b[J` : ''
    process.stdout.write(up + text)
    this.shown = 0
  }

  show (lines: string[]): void {
    const width = process.stdout.columns ?? 120
    const up = this.shown > 0 ? `\x1b[${this.shown}A` : ''
    process.stdout.write(up + lines.map(line => `\r\x1b[2K${line.slice(0, width - 1)}\n`).join(''))
    this.shown = lines.length
  }
}

main().then(code => { process.exitCode = code }, (err: unknown) => {
  process.stderr.write(`swarm.sh: ${(err as Error).message}\n`)
  process.exitCode = 1
})
