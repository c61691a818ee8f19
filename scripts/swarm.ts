/**
 * Runs a local swarm: N peer processes on loopback, each with its own data dir
 * and partition; shows progress, then a summary table and DIR/summary.json.
 * Started by scripts/swarm.sh; see its --help.
 */
import { formatMetrics } from '../src/model/tasks.ts'
import type { Metrics } from '../src/model/tasks.ts'
import { parseArgs } from 'node:util'
import { describeOutcome, LocalSwarm } from '../node/launcher.ts'
import type { PeerSummary } from '../node/launcher.ts'

const USAGE = `Usage: scripts/swarm.sh --peers N --rounds R [--config FILE] [--split iid|dirichlet]
                       [--attack KIND --attackers K] [--out DIR]
                       [-- <extra swarm-node start arguments for every peer>]

Starts N peers as separate processes on loopback (peer 1's multiaddr goes to the
others), each with its own data dir under DIR (default runs/<timestamp>) and
partition i/N, and waits until all have finished. Exit code 0 only if every
peer exited 0. Ctrl-C stops every peer.

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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      process.stdout.write(`\n${signal}: stopping every peer\n`)
      void swarm.stop()
    })
  }
  let reported = 0
  const progress = setInterval(() => {
    const running = swarm.peers.filter(p => p.running || p.lastEvent('done') !== undefined)
    if (running.length === 0) return
    const completions = running.map(p => p.eventsOf('round-complete'))
    const roundsEveryoneDid = Math.min(...completions.map(c => Math.max(0, ...c.map(e => e.round))))
    while (reported < roundsEveryoneDid) {
      reported++
      const hashes = new Set(completions.map(c => c.filter(e => e.round === reported).at(-1)?.modelHash))
      const metrics = completions[0].filter(e => e.round === reported).at(-1) as unknown as Metrics
      const agreement = hashes.size === 1 ? 'all agree' : `${hashes.size} different models`
      process.stdout.write(`round ${reported}: ${running.length} peers, ${formatMetrics(metrics)}, ${agreement}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    }
  }, 250)
  await Promise.all(swarm.peers.map(p => p.exited))
  clearInterval(progress)
  const summaryFile = swarm.writeSummary()
  const { peers } = swarm.summary()
  process.stdout.write(`\n${table(peers)}\n\n`)
  for (const p of peers.filter(p => p.exitCode !== 0)) process.stdout.write(`peer in ${p.dataDir} exited with ${p.exitCode}: see ${p.dataDir}/output.log\n`)
  process.stdout.write(`${describeOutcome(peers)}; wall time ${((Date.now() - started) / 1000).toFixed(1)} s; summary in ${summaryFile}\n`)
  return peers.every(p => p.exitCode === 0) ? 0 : 1
}

main().then(code => { process.exitCode = code }, (err: unknown) => {
  process.stderr.write(`swarm.sh: ${(err as Error).message}\n`)
  process.exitCode = 1
})
