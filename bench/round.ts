/**
 * npm run bench [-- --peers N --rounds R [-- <extra swarm-node start arguments>]]:
 * runs a local swarm and reports wall time, time per round, bytes per update
 * and per global model on the wire, and the metrics per round, read from the
 * peers' event logs. Example, a 10-million-parameter model with int8 updates:
 *
 *   npm run bench -- --peers 3 --rounds 2 -- --hidden 12600 --compression int8
 *
 * npm run bench -- --scenario seed-demo|cnn|csv [--rounds R] runs a named
 * scenario (bench/scenarios.ts).
 */
import { parseArgs } from 'node:util'
import { runSwarm } from './run.ts'
import { runScenario } from './scenarios.ts'

const split = process.argv.indexOf('--', 2)
const own = split === -1 ? process.argv.slice(2) : process.argv.slice(2, split)
const extraArgs = split === -1 ? [] : process.argv.slice(split + 1)
const { values } = parseArgs({ args: own, options: { peers: { type: 'string', default: '4' }, rounds: { type: 'string' }, scenario: { type: 'string' } } })
const rounds = values.rounds === undefined ? undefined : Number(values.rounds)
if (values.scenario !== undefined) {
  for (const line of await runScenario(values.scenario, rounds)) console.log(line)
} else {
  const report = await runSwarm(Number(values.peers), rounds ?? 3, extraArgs)
  for (const line of report.lines) console.log(line)
  process.exitCode = report.ok ? 0 : 1
}
