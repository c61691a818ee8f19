/** Runs one local swarm for a benchmark and summarizes its event logs. */
import { eventsNamed } from '../src/events/catalog.ts'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalSwarm } from '../node/launcher.ts'
import type { SwarmEvent } from '../node/launcher.ts'
import { formatMetrics } from '../src/model/tasks.ts'
import type { Metrics } from '../src/model/tasks.ts'

export interface RoundReport {
  round: number
  /** from the previous round complete on every peer (round 1: the first round-start) to this one complete on every peer */
  seconds: number
  /** the metrics peer 1 measured on its test split */
  metrics: Metrics
}

export interface SwarmReport {
  /** every peer exited 0 and all hold one model */
  ok: boolean
  accuracy: number
  updateBytes: number
  rounds: RoundReport[]
  wallSeconds: number
  lines: string[]
  /** every peer's events */
  events: SwarmEvent[]
}

/** `watch`: started once every peer runs (a page watcher, a scraper); the function it returns stops it */
export async function runSwarm (peers: number, rounds: number, extraArgs: string[], peerArgs?: (index: number) => string[], watch?: (swarm: LocalSwarm) => () => Promise<void>): Promise<SwarmReport> {
  const outDir = mkdtempSync(join(tmpdir(), 'swarm-bench-'))
  const started = Date.now()
  const swarm = await LocalSwarm.start({ peers, rounds, outDir, extraArgs, peerArgs })
  const stopWatching = watch?.(swarm)
  try {
    await swarm.waitForExit(60 * 60_000)
  } finally {
    await stopWatching?.()
    await swarm.stop()
  }
  const wallSeconds = (Date.now() - started) / 1000
  const events = swarm.peers.flatMap(p => p.events())
  const codes = swarm.peers.map(p => p.exitCode)
  const lines: string[] = []
  lines.push(`${peers} peers × ${rounds} rounds${extraArgs.length > 0 ? ` (${extraArgs.join(' ')})` : ''}: exit codes ${codes.join(' ')}, wall time ${wallSeconds.toFixed(1)} s (process start to last exit)`)
  const model = readFileSync(swarm.peers[0].outputFile, 'utf8').match(/model: (.*), (\d+) parameters/)
  if (model !== null) lines.push(`model: ${model[1]}, ${model[2]} parameters`)
  const updateBytes = Math.max(...eventsNamed(events, 'update-published').map(e => e.bytes))
  const globalBytes = Math.max(...eventsNamed(events, 'merge-published').map(e => e.bytes))
  lines.push(`bytes per update on the wire (the encoded update each update holder fetches): ${updateBytes}`)
  lines.push(`bytes per global model on the wire (gossiped in 1 MiB chunks): ${globalBytes}`)
  let previousEnd: number | undefined
  let agree = true
  const reports: RoundReport[] = []
  const lastRound = Math.max(0, ...eventsNamed(events, 'round-complete').map(e => e.round))
  for (let round = 1; round <= lastRound; round++) {
    const starts = eventsNamed(events, 'round-start').filter(e => e.round === round).map(e => e.ts)
    const completes = eventsNamed(events, 'round-complete').filter(e => e.round === round)
    if (completes.length === 0) continue
    const end = Math.max(...completes.map(e => e.ts))
    const begin = previousEnd ?? Math.min(...starts)
    const hashes = new Set(completes.map(e => e.modelHash))
    agree &&= hashes.size === 1
    const first = completes.find(e => e.peerId === swarm.peers[0].peerId()) ?? completes[0]
    const metrics: Metrics = { loss: first.loss ?? NaN, ...Object.fromEntries((['accuracy', 'auc', 'mae'] as const).flatMap(m => (typeof first[m] === 'number' ? [[m, first[m]]] : []))) }
    reports.push({ round, seconds: (end - begin) / 1000, metrics })
    lines.push(`round ${round}: ${((end - begin) / 1000).toFixed(2)} s (${round === 1 ? 'first round-start' : 'previous round complete on every peer'} → complete on every peer), ${formatMetrics(metrics)}, ${hashes.size === 1 ? 'one model' : `${hashes.size} models`}`)
    previousEnd = end
  }
  rmSync(outDir, { recursive: true, force: true })
  const accuracy = reports.at(-1)?.metrics.accuracy ?? NaN
  return { ok: agree && codes.every(c => c === 0), accuracy, updateBytes, rounds: reports, wallSeconds, lines, events }
}
