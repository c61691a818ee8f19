/**
 * npm run bench:compression [-- --peers N --rounds R --runs K]: runs the same
 * swarm (same seed and data) with updates as float32, float16 and int8, K
 * times each, and reports bytes per update and final accuracy, so the bytes
 * saved and the accuracy cost of each compression can be read side by side.
 */
import { parseArgs } from 'node:util'
import { runSwarm } from './run.ts'
import { COMPRESSIONS } from '../src/wire/tensors.ts'

const { values } = parseArgs({ options: { peers: { type: 'string', default: '4' }, rounds: { type: 'string', default: '5' }, runs: { type: 'string', default: '1' } } })
const peers = Number(values.peers)
const rounds = Number(values.rounds)
const rows: string[] = []
let baseline: { bytes: number, accuracy: number } | undefined
for (const compression of COMPRESSIONS) {
  const accuracies: number[] = []
  let bytes = 0
  for (let run = 0; run < Number(values.runs); run++) {
    const report = await runSwarm(peers, rounds, ['--compression', compression])
    if (!report.ok) throw new Error(`the ${compression} swarm failed:\n${report.lines.join('\n')}`)
    accuracies.push(report.accuracy)
    bytes = report.updateBytes
  }
  const accuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length
  baseline ??= { bytes, accuracy }
  rows.push(`${compression.padEnd(8)} ${String(bytes).padStart(10)}  ${(100 * (1 - bytes / baseline.bytes)).toFixed(1).padStart(5)} %  ${accuracies.map(a => a.toFixed(4)).join(' ')}  ${(100 * (accuracy - baseline.accuracy)).toFixed(2).padStart(6)} pts`)
}
console.log(`${peers} peers × ${rounds} rounds, ${values.runs} run(s) each, same seed and data`)
console.log('updates  bytes/update  saved    final accuracy  vs float32')
for (const row of rows) console.log(row)
