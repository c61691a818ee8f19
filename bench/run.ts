/** Runs one local swarm for a benchmark and summarizes its event logs. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalSwarm } from '../node/launcher.ts'

export interface SwarmReport {
  /** every peer exited 0 and all hold one model */
  ok: boolean
  accuracy: number
  updateBytes: number
  lines: string[]
}

export async function runSwarm (peers: number, rounds: number, extraArgs: string[]): Promise<SwarmReport> {
  const outDir = mkdtempSync(join(tmpdir(), 'swarm-bench-'))
  const started = Date.now()
  const swarm = await LocalSwarm.start({ peers, rounds, outDir, extraArgs })
  try {
    await swarm.waitForExit(60 * 60_000)
  } finally {
    await swarm.stop()
  }
  const wall = (Date.now() - started) / 1000
  const events = swarm.peers.flatMap(p => p.events())
  const codes = swarm.peers.map(p => p.exitCode)
  const lines: string[] = []
  lines.push(`${peers} peers × ${rounds} rounds${extraArgs.length > 0 ? ` (${extraArgs.join(' ')})` : ''}: exit codes ${codes.join(' ')}, wall time ${wall.toFixed(1)} s (process start to last exit)`)
  const listening = readFileSync(swarm.peers[0].outputFile, 'utf8').match(/model: (\d+) parameters/)
  if (listening !== null) lines.push(`model: ${listening[1]} parameters`)
  const updateBytes = Math.max(...events.filter(e => e.event === 'update-published').map(e => e.bytes as number))
  const globalBytes = Math.max(...events.filter(e => e.event === 'merge-published').map(e => e.bytes as number))
  lines.push(`bytes per update on the wire (the encoded update each update holder fetches): ${updateBytes}`)
  lines.push(`bytes per global model on the wire (gossiped in 1 MiB chunks): ${globalBytes}`)
  let previousEnd: number | undefined
  let accuracy = 0
  let agree = true
  for (let round = 1; round <= rounds; round++) {
    const starts = events.filter(e => e.event === 'round-start' && e.round === round).map(e => e.ts)
    const completes = events.filter(e => e.event === 'round-complete' && e.round === round)
    if (completes.length === 0) continue
    const end = Math.max(...completes.map(e => e.ts))
    const begin = previousEnd ?? Math.min(...starts)
    const hashes = new Set(completes.map(e => e.modelHash))
    agree &&= hashes.size === 1
    accuracy = completes[0].accuracy as number
    lines.push(`round ${round}: ${((end - begin) / 1000).toFixed(2)} s (${round === 1 ? 'first round-start' : 'previous round complete on every peer'} → complete on every peer), accuracy ${accuracy.toFixed(4)}, ${hashes.size === 1 ? 'one model' : `${hashes.size} models`}`)
    previousEnd = end
  }
  rmSync(outDir, { recursive: true, force: true })
  return { ok: agree && codes.every(c => c === 0), accuracy, updateBytes, lines }
}
