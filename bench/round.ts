/**
 * npm run bench [-- --peers N --rounds R]: runs a local swarm and reports wall
 * time, time per round, bytes per update on the wire and accuracy per round,
 * read from the peers' event logs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { LocalSwarm } from '../node/launcher.ts'

const { values } = parseArgs({ options: { peers: { type: 'string', default: '4' }, rounds: { type: 'string', default: '3' } } })
const peers = Number(values.peers)
const rounds = Number(values.rounds)
const outDir = mkdtempSync(join(tmpdir(), 'swarm-bench-'))
const started = Date.now()
const swarm = await LocalSwarm.start({ peers, rounds, outDir })
try {
  await swarm.waitForExit(30 * 60_000)
} finally {
  await swarm.stop()
}
const wall = (Date.now() - started) / 1000
const events = swarm.peers.flatMap(p => p.events())
const codes = swarm.peers.map(p => p.exitCode)
console.log(`${peers} peers × ${rounds} rounds: exit codes ${codes.join(' ')}, wall time ${wall.toFixed(1)} s (process start to last exit)`)
const updates = events.filter(e => e.event === 'update-published')
console.log(`bytes per update on the wire (the encoded update each update holder fetches): ${Math.max(...updates.map(e => e.bytes as number))}`)
let previousEnd: number | undefined
for (let round = 1; round <= rounds; round++) {
  const starts = events.filter(e => e.event === 'round-start' && e.round === round).map(e => e.ts)
  const completes = events.filter(e => e.event === 'round-complete' && e.round === round)
  if (completes.length === 0) continue
  const end = Math.max(...completes.map(e => e.ts))
  const begin = previousEnd ?? Math.min(...starts)
  const hashes = new Set(completes.map(e => e.modelHash))
  console.log(`round ${round}: ${((end - begin) / 1000).toFixed(2)} s (${round === 1 ? 'first round-start' : 'previous round complete on every peer'} → complete on every peer), accuracy ${(completes[0].accuracy as number).toFixed(4)}, ${hashes.size === 1 ? 'one model' : `${hashes.size} models`}`)
  previousEnd = end
}
rmSync(outDir, { recursive: true, force: true })
