/**
 * npm run bench [-- --peers N --rounds R [-- <extra swarm-node start arguments>]]:
 * runs a local swarm and reports wall time, time per round, bytes per update
 * and per global model on the wire, and accuracy per round, read from the
 * peers' event logs. Example, a 10-million-parameter model with int8 updates:
 *
 *   npm run bench -- --peers 3 --rounds 2 -- --hidden 12600 --compression int8
 */
import { parseArgs } from 'node:util'
import { runSwarm } from './run.ts'

const split = process.argv.indexOf('--', 2)
const own = split === -1 ? process.argv.slice(2) : process.argv.slice(2, split)
const extraArgs = split === -1 ? [] : process.argv.slice(split + 1)
const { values } = parseArgs({ args: own, options: { peers: { type: 'string', default: '4' }, rounds: { type: 'string', default: '3' } } })
const report = await runSwarm(Number(values.peers), Number(values.rounds), extraArgs)
for (const line of report.lines) console.log(line)
process.exitCode = report.ok ? 0 : 1
