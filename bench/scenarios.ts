/**
 * Named benchmark scenarios (npm run bench -- --scenario <name>):
 *
 *   seed-demo  the seed's TensorFlow demo: 10 peers, the built-in digits as an
 *              image folder (one JPEG folder per class), MLP 200-200, SGD with
 *              momentum 0.9, 1 local epoch per round: accuracy per round and
 *              the rounds it takes to reach 95 %
 *   cnn        the FedAvg paper's CNN on the built-in digits, 4 peers:
 *              accuracy and time per round
 *   csv        a table split over 3 sites of 1,500, 500 and 200 rows: the
 *              swarm against one peer trained on all rows, with --normalize
 *              swarm, local and none
 *   strategies, unequal, attacks, merge-time
 *              merge strategies: see bench/strategies.ts
 *   secure, dp secure aggregation and differential privacy: see bench/privacy.ts
 */
import { observeScenario } from './observe.ts'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBuiltinMnist } from '../src/data/mnist-builtin.ts'
import type { Dataset } from '../src/data/dataset.ts'
import { writeDigitImage, writeExampleData } from '../scripts/example-data.ts'
import { runSwarm } from './run.ts'
import { strategyScenario } from './strategies.ts'
import { privacyScenario } from './privacy.ts'
import type { SwarmReport } from './run.ts'

const DIGIT_SIZE = 28 * 28

/** Every digit of `data` as a JPEG (quality 90) in a folder per class, as the seed's demo reads MNIST. */
function writeJpegFolders (dir: string, data: Dataset): void {
  for (let row = 0; row < data.count; row++) {
    const folder = join(dir, data.classNames[data.labels[row]])
    mkdirSync(folder, { recursive: true })
    writeDigitImage(join(folder, `${row}.jpg`), data.features.subarray(row * DIGIT_SIZE, (row + 1) * DIGIT_SIZE))
  }
}

function check (report: SwarmReport, what: string): SwarmReport {
  if (!report.ok) throw new Error(`${what} failed:\n${report.lines.join('\n')}`)
  return report
}

async function seedDemo (dir: string, rounds: number): Promise<string[]> {
  const { pool, test } = loadBuiltinMnist()
  writeJpegFolders(join(dir, 'train'), pool)
  writeJpegFolders(join(dir, 'test'), test)
  const report = check(await runSwarm(10, rounds, ['--data', join(dir, 'train'), '--test-data', join(dir, 'test'), '--hidden', '200,200', '--optimizer', 'momentum', '--momentum', '0.9', '--learning-rate', '0.01', '--epochs', '1', '--min-peers', '10']), 'the seed demo')
  const reached = report.rounds.find(r => (r.metrics.accuracy ?? 0) >= 0.95)
  return [
    `seed demo: 10 peers, ${pool.count} digits as JPEG class folders (${pool.count / 10} per peer), tested on ${test.count}; MLP 200-200, SGD momentum 0.9, learning rate 0.01, 1 epoch per round`,
    ...report.lines,
    `accuracy per round: ${report.rounds.map(r => (r.metrics.accuracy ?? NaN).toFixed(4)).join(' ')}`,
    reached === undefined ? `95 % not reached in ${rounds} rounds` : `95 % reached in round ${reached.round}`
  ]
}

async function cnn (rounds: number): Promise<string[]> {
  const report = check(await runSwarm(4, rounds, ['--model', 'cnn', '--optimizer', 'momentum', '--learning-rate', '0.02', '--epochs', '1', '--quorum-wait-ms', '600000']), 'the CNN swarm')
  const seconds = report.rounds.map(r => r.seconds)
  return [
    'CNN (FedAvg paper, 1,663,370 parameters) on the built-in digits, 4 peers of 2,000 digits, momentum 0.9, learning rate 0.02, 1 epoch per round',
    ...report.lines,
    `mean time per round: ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s; final accuracy ${report.accuracy.toFixed(4)}`
  ]
}

async function csv (dir: string, rounds: number): Promise<string[]> {
  writeExampleData(dir)
  const table = join(dir, 'table')
  const lines = ['CSV: 3 sites of 1,500, 500 and 200 rows against one peer on all 2,200 rows; MLP 32, 2 epochs per round, tested on 1,000 other rows']
  for (const normalize of ['swarm', 'local', 'none']) {
    const common = ['--label', 'outcome', '--test-data', join(table, 'test.csv'), '--hidden', '32', '--epochs', '2', '--normalize', normalize]
    const swarm = check(await runSwarm(3, rounds, common, i => ['--data', join(table, `site-${i}.csv`), '--partition', '1/1']), `the ${normalize} swarm`)
    const central = check(await runSwarm(1, rounds, [...common, '--data', join(table, 'all.csv'), '--min-peers', '1']), `the ${normalize} central run`)
    const gap = 100 * (swarm.accuracy - central.accuracy)
    lines.push(`--normalize ${normalize.padEnd(5)}  swarm ${swarm.accuracy.toFixed(4)}  one peer on all rows ${central.accuracy.toFixed(4)}  swarm − central ${gap >= 0 ? '+' : ''}${gap.toFixed(2)} points  (swarm accuracy per round: ${swarm.rounds.map(r => (r.metrics.accuracy ?? NaN).toFixed(3)).join(' ')})`)
  }
  return lines
}

export async function runScenario (name: string, rounds: number | undefined): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `swarm-bench-${name}-`))
  try {
    if (name === 'seed-demo') return await seedDemo(dir, rounds ?? 20)
    if (name === 'cnn') return await cnn(rounds ?? 5)
    if (name === 'csv') return await csv(dir, rounds ?? 8)
    const lines = await strategyScenario(name) ?? await privacyScenario(name) ?? await observeScenario(name)
    if (lines !== undefined) return lines
    throw new Error(`unknown scenario "${name}": seed-demo, cnn, csv, strategies, unequal, attacks, merge-time, secure, dp or http`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
