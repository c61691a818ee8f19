/**
 * Merge strategies measured in one process: the product's local training
 * (LocalTrainer, the MLP of --model mlp) and its merge strategies
 * (src/merge), with the network left out. Merges are deterministic and
 * every update reaches the round's holders, so a swarm of processes computes
 * the same models; this runs a 7-peer, 8-round swarm in seconds instead of
 * minutes, which is what a table of 11 strategies × several settings needs.
 * Updates over --max-update-norm are dropped, as peers drop them.
 *
 *   npm run bench -- --scenario strategies   accuracy vs central, iid and Dirichlet 0.5, 4 peers
 *   npm run bench -- --scenario unequal      no-attack cost on 7 unequal non-IID sites
 *   npm run bench -- --scenario attacks      accuracy with 2 of 7 peers attacking
 *   npm run bench -- --scenario merge-time   one merge of 16 updates of a 10 M-parameter model
 */
import { loadTensorflow } from '../src/model/backend.ts'
import { loadBuiltinMnist } from '../src/data/mnist-builtin.ts'
import { selectRows } from '../src/data/dataset.ts'
import type { Dataset } from '../src/data/dataset.ts'
import { partitionRows } from '../src/data/partition.ts'
import { dirichlet, seededRandom, shuffle } from '../src/data/random.ts'
import { modelKind } from '../src/model/models.ts'
import { OPTIMIZERS } from '../src/model/optimizers.ts'
import { TASKS } from '../src/model/tasks.ts'
import { LocalTrainer } from '../src/model/trainer.ts'
import { subtractWeights, addWeights } from '../src/model/weights.ts'
import type { Weights } from '../src/model/weights.ts'
import { createStrategy, runToEnd, STRATEGIES } from '../src/merge/index.ts'
import type { Aggregator, StrategySettings } from '../src/merge/index.ts'
import type { TrainingOptions } from '../src/model/trainer.ts'
import { attackedChange, flippedLabels } from '../src/round/attacks.ts'
import type { AttackName } from '../src/round/attacks.ts'
import { l2Norm } from '../src/round/validation.ts'
import { DEFAULTS } from '../src/settings/parse.ts'

const SEED = 42
const ROUNDS = 8
const EPOCHS = 2
const ROBUST = ['clipped', 'trimmed-mean', 'median', 'geomedian', 'krum', 'multi-krum']
/** the hidden layer of the MLP of the attack and unequal-site tables: 35 runs of 7 peers are too many for MLP 200-200 on a laptop */
const SMALL = [64]

interface Site { data: Dataset, attack: AttackName }

interface Simulation {
  merge: string
  settings?: Partial<StrategySettings>
  sites: Site[]
  rounds?: number
  /** replaces the strategy's aggregator (client-level DP) */
  aggregator?: Aggregator
  /** DP-SGD in local training (sample-level DP) */
  dpSgd?: TrainingOptions['dpSgd']
  epochs?: number
}

export class Simulator {
  private readonly trainer: LocalTrainer
  private readonly genesis: Weights
  private readonly test: Dataset
  private readonly tf: Awaited<ReturnType<typeof loadTensorflow>>['tf']

  static async create (hidden: number[]): Promise<Simulator> {
    const { tf } = await loadTensorflow()
    const { test } = loadBuiltinMnist()
    const task = TASKS.classification
    const kind = modelKind('mlp', hidden)
    const model = await kind.build(tf, { sampleShape: test.sampleShape, task, classes: 10 })
    const trainer = new LocalTrainer(tf, model, { task, classes: 10, optimizer: () => OPTIMIZERS.sgd(tf, DEFAULTS), batchSize: DEFAULTS.batchSize, epochs: EPOCHS })
    return new Simulator(tf, trainer, kind.genesis(model, SEED), test)
  }

  private constructor (tf: Simulator['tf'], trainer: LocalTrainer, genesis: Weights, test: Dataset) {
    this.tf = tf
    this.trainer = trainer
    this.genesis = genesis
    this.test = test
  }

  /** Test accuracy of the global model after each round. */
  async run (simulation: Simulation): Promise<number[]> {
    const strategy = createStrategy({ ...DEFAULTS, merge: simulation.merge, ...simulation.settings }, simulation.aggregator)
    const own = strategy.proximalMu > 0 || simulation.dpSgd !== undefined || simulation.epochs !== undefined
    const trainer = own
      ? new LocalTrainer(this.tf, this.trainer.model, { task: TASKS.classification, classes: 10, optimizer: () => OPTIMIZERS.sgd(this.tf, DEFAULTS), batchSize: DEFAULTS.batchSize, epochs: simulation.epochs ?? EPOCHS, proximalMu: strategy.proximalMu, learningRate: DEFAULTS.learningRate, dpSgd: simulation.dpSgd })
      : this.trainer
    let weights = this.genesis
    let state: Weights = []
    const accuracy: number[] = []
    for (let round = 1; round <= (simulation.rounds ?? ROUNDS); round++) {
      const contributions = []
      for (const [i, site] of simulation.sites.entries()) {
        trainer.setWeights(weights)
        await trainer.train(site.attack === 'label-flip' ? flippedLabels(site.data) : site.data, SEED * 1_000_003 + round * 101 + i)
        const change = attackedChange(site.attack, subtractWeights(trainer.getWeights(), weights), DEFAULTS.attackScale, SEED * 7919 + round * 101 + i)
        if (l2Norm(change) > DEFAULTS.maxUpdateNorm) continue
        contributions.push({ peer: `site-${String(i).padStart(2, '0')}`, samples: site.data.count, weights: addWeights(weights, change) })
      }
      if (contributions.length >= strategy.minContributions) ({ weights, state } = runToEnd(strategy.merge({ base: weights, contributions, state })))
      this.trainer.setWeights(weights)
      accuracy.push((await this.trainer.evaluate(this.test)).accuracy ?? NaN)
    }
    console.error(`${simulation.merge}, ${simulation.sites.length} sites${simulation.sites.some(s => s.attack !== 'none') ? ` (${simulation.sites.filter(s => s.attack !== 'none').map(s => s.attack).join(', ')})` : ''}: ${accuracy.map(a => a.toFixed(4)).join(' ')}`)
    return accuracy
  }
}

function percent (x: number): string {
  return (100 * x).toFixed(2).padStart(6)
}

function points (x: number): string {
  return `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`
}

/** `count` iid shares of the pool, or label-skewed ones (Dirichlet α). */
export function shares (pool: Dataset, count: number, split: 'iid' | 'dirichlet', alpha = 0.5): Site[] {
  return partitionRows(pool.labels, 10, { peers: count, split, alpha, seed: SEED }).map(rows => ({ data: selectRows(pool, rows), attack: 'none' }))
}

/**
 * Rows of sites of very unequal size (half of all rows down to 1/94 of them,
 * as in one hospital deployment), each with its own label mix drawn from
 * Dirichlet(0.5).
 */
function unequalRows (pool: Dataset): number[][] {
  const fractions = [0.5, 0.17, 0.12, 0.09, 0.06, 0.0494, 0.0106]
  const random = seededRandom(SEED)
  const byClass = Array.from({ length: 10 }, (_, c) => shuffle([...pool.labels.keys()].filter(i => pool.labels[i] === c), random))
  return fractions.map(fraction => {
    const size = Math.round(fraction * pool.count)
    const mix = dirichlet(10, 0.5, random)
    const rows: number[] = []
    for (let c = 0; rows.length < size && byClass.some(b => b.length > 0); c = (c + 1) % 10) {
      rows.push(...byClass[c].splice(0, Math.min(Math.max(1, Math.round(mix[c] * size)), size - rows.length)))
    }
    return rows.sort((a, b) => a - b)
  })
}

async function accuracyTable (): Promise<string[]> {
  const sim = await Simulator.create(DEFAULTS.hiddenLayers)
  const { pool } = loadBuiltinMnist()
  const central = (await sim.run({ merge: 'fedavg', sites: [{ data: pool, attack: 'none' }] })).at(-1) as number
  const lines = [`accuracy after ${ROUNDS} rounds of ${EPOCHS} epochs, 4 peers, MLP 200-200, SGD 0.1, built-in digits (8,000 training, 2,000 test); one peer on all 8,000 digits for the same ${ROUNDS * EPOCHS} epochs: ${percent(central)} %`]
  lines.push('| strategy | iid | iid − central | Dirichlet 0.5 | Dirichlet − central |', '|---|---|---|---|---|')
  const iid = shares(pool, 4, 'iid')
  const skewed = shares(pool, 4, 'dirichlet')
  for (const merge of Object.keys(STRATEGIES)) {
    // krum and multi-krum need n > 2f + 2: with 4 peers, f = 0
    const settings = merge.includes('krum') ? { byzantine: 0 } : {}
    const a = (await sim.run({ merge, settings, sites: iid })).at(-1) as number
    const b = (await sim.run({ merge, settings, sites: skewed })).at(-1) as number
    lines.push(`| ${merge}${merge.includes('krum') ? ' (f 0)' : ''} | ${percent(a)} | ${points(a - central)} | ${percent(b)} | ${points(b - central)} |`)
  }
  return lines
}

async function unequalTable (): Promise<string[]> {
  const sim = await Simulator.create(SMALL)
  const { pool } = loadBuiltinMnist()
  const rows = unequalRows(pool)
  const sites: Site[] = rows.map(r => ({ data: selectRows(pool, r), attack: 'none' }))
  const central = (await sim.run({ merge: 'fedavg', sites: [{ data: selectRows(pool, rows.flat().sort((a, b) => a - b)), attack: 'none' }] })).at(-1) as number
  const lines = [`no attack, 7 unequal label-skewed sites (${sites.map(s => s.data.count).join(', ')} digits), MLP 64, ${ROUNDS} rounds of ${EPOCHS} epochs; one peer on all their digits: ${percent(central)} %`]
  lines.push('| strategy | accuracy | − central |', '|---|---|---|')
  for (const merge of ['fedavg', ...ROBUST]) {
    const accuracy = (await sim.run({ merge, settings: merge.includes('krum') ? { byzantine: 2 } : {}, sites })).at(-1) as number
    lines.push(`| ${merge}${merge.includes('krum') ? ' (f 2)' : ''} | ${percent(accuracy)} | ${points(accuracy - central)} |`)
  }
  return lines
}

async function attackTable (): Promise<string[]> {
  const sim = await Simulator.create(SMALL)
  const { pool } = loadBuiltinMnist()
  const attacks: AttackName[] = ['none', 'sign-flip', 'noise', 'label-flip', 'scale']
  const lines = [`final accuracy (%) after ${ROUNDS} rounds of ${EPOCHS} epochs, MLP 64, 7 iid peers, 2 of them attacking with --attack-scale ${DEFAULTS.attackScale} (updates over --max-update-norm ${DEFAULTS.maxUpdateNorm} are dropped, as peers do); krum and multi-krum with f 2`]
  lines.push(`| strategy | ${attacks.join(' | ')} |`, `|---|${attacks.map(() => '---').join('|')}|`)
  for (const merge of ['fedavg', ...ROBUST]) {
    const cells = []
    for (const attack of attacks) {
      const sites = shares(pool, 7, 'iid').map((site, i) => ({ ...site, attack: i >= 5 ? attack : 'none' as AttackName }))
      cells.push(percent((await sim.run({ merge, settings: merge.includes('krum') ? { byzantine: 2 } : {}, sites })).at(-1) as number))
    }
    lines.push(`| ${merge} | ${cells.join(' | ')} |`)
  }
  return lines
}

function mergeTime (): string[] {
  const tensors = [{ shape: [10_000_000], values: new Float32Array(10_000_000) }]
  const random = seededRandom(SEED)
  const base = tensors.map(t => ({ shape: t.shape, values: t.values.map(() => random() - 0.5) }))
  const contributions = Array.from({ length: 16 }, (_, i) => ({ peer: `p${String(i).padStart(2, '0')}`, samples: 100 + i, weights: base.map(t => ({ shape: t.shape, values: t.values.map(v => v + (random() - 0.5) * 0.01) })) }))
  const lines = ['one merge of 16 updates of a 10,000,000-parameter model (one process, 1 core)', '| strategy | seconds |', '|---|---|']
  for (const merge of Object.keys(STRATEGIES)) {
    const strategy = createStrategy({ ...DEFAULTS, merge, byzantine: 3 })
    const started = performance.now()
    runToEnd(strategy.merge({ base, contributions, state: [] }))
    lines.push(`| ${merge} | ${((performance.now() - started) / 1000).toFixed(2)} |`)
  }
  return lines
}

export async function strategyScenario (name: string): Promise<string[] | undefined> {
  if (name === 'strategies') return await accuracyTable()
  if (name === 'unequal') return await unequalTable()
  if (name === 'attacks') return await attackTable()
  if (name === 'merge-time') return mergeTime()
  return undefined
}
