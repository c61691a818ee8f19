/**
 * swarm-node: the peer program.
 *   swarm-node start [flags]       join or start a swarm and train
 *   swarm-node status --peer <multiaddr>
 *                                  ask a running peer how its swarm stands
 *   swarm-node keygen --out <file> write a new swarm key
 *   swarm-node schema --data <csv> --label <column> --out <file>
 *                                  infer a data schema from a site's table
 *   swarm-node predict --model <dir> --data <path> [--out <file>]
 *   swarm-node evaluate --model <dir> --data <path>
 *                                  use a saved model
 */
import { existsSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { ParseArgsOptionDescriptor } from 'node:util'
import { parseStartArgs, settingsHelp } from '../src/settings/parse.ts'
import { createSwarmKey } from '../src/network/access.ts'
import { ConfigError } from '../src/errors.ts'
import type { SwarmPeer } from './peer.ts'
import { evaluate, predict, writePredictions } from './use-model.ts'
import { loadCsv } from '../src/data/csv.ts'
import { schemaJson } from '../src/data/schema.ts'
import { TASK_NAMES } from '../src/model/tasks.ts'
import type { TaskName } from '../src/model/tasks.ts'
import { UserError } from '../src/errors.ts'
import { STATUS_USAGE, statusCommand } from './status.ts'
import { swarmVersion } from './version.ts'

const USAGE = `Usage: swarm-node start [flags]
       swarm-node status --peer <multiaddr> [--swarm-key <file>] [--json]
       swarm-node keygen --out <file>
       swarm-node schema --data <csv> --label <column> --out <file>
       swarm-node predict --model <dir> --data <path> [--out <file>]
       swarm-node evaluate --model <dir> --data <path>
       swarm-node <command> --help | swarm-node --version

Trains one model together with the other peers of a swarm, exchanging model
weights (never data) over libp2p. No server or coordinator is involved.

Flags (each overrides the same setting in --config):
${settingsHelp()}
  -h, --help              show this help

keygen --out <file> writes a new random swarm key (file mode 0600); give every
peer of the swarm a copy and --swarm-key <file>. It never overwrites a file.
status asks a running peer how its swarm stands (see swarm-node status --help).
schema infers a data schema from a CSV file (see swarm-node schema --help).
predict and evaluate use a model a peer saved (see swarm-node predict --help).
--version prints the version of swarm-node.

Exit codes: 0 done, 1 failure, 2 bad flags, config or data, 130/143 stopped by a signal.
`

/** how long a stopping peer may take before the process exits anyway */
const STOP_GRACE_MS = 10_000

const KEYGEN_USAGE = `Usage: swarm-node keygen --out <file>

Writes a new random swarm key (file mode 0600) for a private swarm; give every
peer of the swarm a copy and start it with --swarm-key <file>. It never
overwrites a file.

Exit codes: 0 written, 2 bad flags or the file exists or cannot be written.
`

const SCHEMA_USAGE = `Usage: swarm-node schema --data <csv> --label <column> --out <file> [--task <task>]

Infers a data schema from one site's CSV file: its columns, which are numbers
and which are categories (with every category seen), the label and the task.
Check it, add categories other sites may have, and give every site a copy:
they start with --schema <file>, so all encode their tables the same way.
--task classification|binary|regression overrides the inferred task.
It never overwrites a file.

Exit codes: 0 written, 2 bad flags or data, or the file exists or cannot be written.
`

const PREDICT_USAGE = `Usage: swarm-node predict --model <dir> --data <path> [--out <file>]
       swarm-node evaluate --model <dir> --data <path>

Uses a model a peer saved at the end of training (<data-dir>/model: model.json,
weights.bin and swarm-model.json). The inputs are prepared as in training: the
same data schema, standardization, image size and channels.

predict writes one row per input: the input (its data row, or its image file),
the predicted class (or value), and each class's probability. --data is a CSV
file (the label column may be absent), an image, or a folder of images (loose,
or in class subfolders). Without --out the predictions go to standard output.

evaluate prints the task's metrics on labelled data: a CSV file with the label
column, or a folder with one subfolder of images per class.

Exit codes: 0 done, 2 bad flags, model or data.
`

const COMMANDS: Record<string, { usage: string, run: (args: string[]) => Promise<number> | number }> = {
  start: { usage: USAGE, run: start },
  status: { usage: STATUS_USAGE, run: statusCommand },
  keygen: { usage: KEYGEN_USAGE, run: keygen },
  schema: { usage: SCHEMA_USAGE, run: schema },
  predict: { usage: PREDICT_USAGE, run: args => useModel('predict', args) },
  evaluate: { usage: PREDICT_USAGE, run: args => useModel('evaluate', args) }
}

async function main (argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`swarm-node ${swarmVersion()}\n`)
    return 0
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? COMMANDS[args[0]] : undefined
    process.stdout.write(topic?.usage ?? USAGE)
    return command === undefined ? 2 : 0
  }
  const known = COMMANDS[command]
  if (known === undefined) {
    process.stderr.write(`swarm-node: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}. Run swarm-node --help\n`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(known.usage)
    return 0
  }
  return known.run(args)
}

async function start (args: string[]): Promise<number> {
  // first of all: a signal ends the process whatever it is doing (loading, joining, training)
  let peer: SwarmPeer | undefined
  let stopping = false
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      if (stopping || peer === undefined) {
        if (stopping) process.stdout.write(`${signal} again: exiting without a clean stop\n`)
        process.exit(code)
      }
      stopping = true
      process.stdout.write(`${signal}: stopping\n`)
      // a stop that hangs never keeps the process alive
      setTimeout(() => process.exit(code), STOP_GRACE_MS).unref()
      void peer.stop().finally(() => process.exit(code))
    })
  }
  const config = parseStartArgs(args)
  // loaded here: TensorFlow.js takes a while to load, and the other commands need none of it
  const { SwarmPeer } = await import('./peer.ts')
  peer = await SwarmPeer.create(config, { write: text => { process.stdout.write(text) }, tty: process.stdout.isTTY === true })
  try {
    await peer.run()
  } finally {
    if (!stopping) await peer.stop()
  }
  return 0
}

function keygen (args: string[]): number {
  let out: string | undefined
  try {
    out = parseArgs({ args, options: { out: { type: 'string' } }, strict: true, allowPositionals: false }).values.out
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Usage: swarm-node keygen --out <file>`)
  }
  if (out === undefined || out === '') throw new ConfigError('keygen needs --out <file>: where to write the swarm key')
  if (existsSync(out)) throw new ConfigError(`${out} already exists: a swarm key is never overwritten; choose another --out or delete the file`)
  try {
    writeFileSync(out, createSwarmKey(), { mode: 0o600, flag: 'wx' })
  } catch (err) {
    throw new ConfigError(`cannot write the swarm key to ${out}: ${(err as Error).message}`)
  }
  process.stdout.write(`wrote a new swarm key to ${out}; give every peer of the swarm a copy and start them with --swarm-key ${out}\n`)
  return 0
}

async function schema (args: string[]): Promise<number> {
  let values: { data?: string, label?: string, out?: string, task?: string }
  try {
    values = parseArgs({ args, options: { data: { type: 'string' }, label: { type: 'string' }, out: { type: 'string' }, task: { type: 'string' } }, strict: true, allowPositionals: false }).values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Usage: swarm-node schema --data <csv> --label <column> --out <file>`)
  }
  const { data, label, out, task } = values
  if (data === undefined || label === undefined || out === undefined) throw new ConfigError('schema needs --data <csv>, --label <column> and --out <file>')
  if (task !== undefined && !TASK_NAMES.includes(task as TaskName)) throw new ConfigError(`--task must be ${TASK_NAMES.join(', ')}, got "${task}"`)
  if (existsSync(out)) throw new ConfigError(`${out} already exists: a schema is never overwritten; choose another --out or delete the file`)
  const loaded = await loadCsv(data, { label, task: task as TaskName | undefined, dropInvalidRows: true })
  try {
    writeFileSync(out, schemaJson(loaded.schema), { flag: 'wx' })
  } catch (err) {
    throw new ConfigError(`cannot write the schema to ${out}: ${(err as Error).message}`)
  }
  const columns = loaded.schema.columns.map(c => (c.type === 'number' ? c.name : `${c.name} (${c.categories?.length ?? 0} categories)`))
  process.stdout.write(`wrote ${out}: label ${loaded.schema.label}, task ${loaded.schema.task}, columns ${columns.join(', ')}\n`)
  if (loaded.dropped > 0) process.stdout.write(`${loaded.dropped} rows with missing or unparsable values were left out of the inference\n`)
  process.stdout.write(`give every site a copy and start each peer with --schema ${out}\n`)
  return 0
}

async function useModel (command: 'predict' | 'evaluate', args: string[]): Promise<number> {
  const options: Record<string, ParseArgsOptionDescriptor> = { model: { type: 'string' }, data: { type: 'string' } }
  if (command === 'predict') options.out = { type: 'string' }
  let values: { model?: string, data?: string, out?: string }
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as typeof values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Run swarm-node ${command} --help`)
  }
  const { model, data, out } = values
  if (model === undefined || data === undefined) throw new ConfigError(`${command} needs --model <dir> (a saved model folder) and --data <path>`)
  if (command === 'evaluate') {
    process.stdout.write(`${(await evaluate(model, data)).text}\n`)
    return 0
  }
  const { csv, count } = await predict(model, data)
  if (writePredictions(out, csv)) process.stdout.write(`wrote ${count} predictions to ${out}\n`)
  else process.stdout.write(csv)
  return 0
}

// exit explicitly: a stopped peer's libp2p may still hold timers (redials of
// dead peers, say) that would keep the process alive after its work is done
main(process.argv.slice(2)).then(code => {
  process.exit(code)
}, (err: unknown) => {
  if (err instanceof UserError) {
    process.stderr.write(`swarm-node: ${err.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`swarm-node: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
})
