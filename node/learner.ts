/**
 * The local side of learning: this peer's data, its two tfjs models (one
 * trains, one evaluates and saves the global model meanwhile), the swarm's
 * definition and genesis weights, and the data statistics a swarm pools
 * before training (--normalize swarm). The peer (node/peer.ts) decides when;
 * this does the work.
 */
import { join } from 'node:path'
import type { PeerConfig } from '../src/settings/parse.ts'
import { dataOptions, loadPeerData } from '../src/data/index.ts'
import type { Dataset, PeerData } from '../src/data/index.ts'
import { momentTensors, neutralMomentTensors, standardize, statsFromTensors } from '../src/data/normalization.ts'
import type { FeatureStats } from '../src/data/normalization.ts'
import { loadTensorflow, missingTrainingKernel } from '../src/model/backend.ts'
import { definitionText } from '../src/model/definition.ts'
import { modelKind } from '../src/model/models.ts'
import { OPTIMIZERS } from '../src/model/optimizers.ts'
import { inferTask, TASKS } from '../src/model/tasks.ts'
import type { Metrics, Task, TaskName } from '../src/model/tasks.ts'
import { LocalTrainer, writeAtomically } from '../src/model/trainer.ts'
import type { EpochProgress } from '../src/model/trainer.ts'
import { parameterCount } from '../src/model/weights.ts'
import type { Weights } from '../src/model/weights.ts'
import type { GlobalModel } from '../src/round/types.ts'
import { savedModelSummary, SUMMARY_FILE } from '../src/model/saved-model.ts'
import { createStrategy, isSumBased } from '../src/merge/index.ts'
import { privacyPlan } from '../src/privacy/index.ts'
import type { PrivacyPlan } from '../src/privacy/index.ts'
import { clientDpAggregator } from '../src/privacy/client-dp.ts'
import type { MergeStrategy } from '../src/merge/index.ts'
import { flippedLabels } from '../src/round/attacks.ts'
import { ConfigError, UserError } from '../src/errors.ts'

export class LocalLearner {
  readonly data: PeerData
  readonly task: Task
  /** the swarm's round-0 weights: the model's, then (with --normalize swarm) the neutral statistics */
  readonly genesis: Weights
  /** the swarm's definition text (src/model/definition.ts) */
  readonly definition: string
  /** the swarm's last round: --rounds, plus the statistics round with --normalize swarm */
  readonly lastRound: number
  /** how this peer merges when it holds a round's updates (part of the definition) */
  readonly strategy: MergeStrategy
  /** secure aggregation and differential privacy (the swarm-wide part is in the definition) */
  readonly privacy: PrivacyPlan
  private readonly config: PeerConfig
  private readonly trainer: LocalTrainer
  private readonly evaluator: LocalTrainer
  private readonly description: string
  /** tensors of the tfjs model; the pooled statistics' tensors follow them */
  readonly modelTensors: number
  /** the data standardized with the statistics of the model last trained or evaluated */
  private standardized: { stats: FeatureStats, train: Dataset, test: Dataset } | undefined

  static async create (config: PeerConfig, progress?: (done: number, total: number) => void): Promise<{ learner: LocalLearner, backend: string }> {
    let data = await loadPeerData({ ...dataOptions(config), progress })
    if (data.train.count === 0) {
      throw new UserError(`partition ${config.partition.index}/${config.partition.count} holds no training samples: use fewer peers or a larger --alpha`)
    }
    if (data.train.count > config.maxSamples) {
      throw new ConfigError(`this peer has ${data.train.count} training samples, more than --max-samples ${config.maxSamples}: the other peers would drop its updates. Raise --max-samples on every peer of the swarm`)
    }
    const privacy = privacyPlan(config, data.train.count, isSumBased(config.merge))
    if (privacy.secure !== undefined && data.numericFeatures.length > 0) {
      throw new ConfigError('--secure-aggregation sums model changes only, not the column statistics that --normalize swarm pools: use --normalize local or none with it')
    }
    // the pooled statistics are raw column moments, sent in round 1 with no noise: no ε could cover them
    if (privacy.dp !== undefined && data.numericFeatures.length > 0) {
      throw new ConfigError(`--dp ${privacy.dp.level} protects what the model learns, not the raw column statistics that --normalize swarm pools in round 1 without noise: use --normalize local or none with it`)
    }
    const dp = privacy.dp
    // client-level DP without secure aggregation noises the merge; with it, each peer adds its share before masking
    const strategy = createStrategy(config, dp?.level === 'client' && privacy.secure === undefined ? clientDpAggregator(dp.clip, dp.noiseMultiplier) : undefined)
    const task = TASKS[chooseTask(config.task, data)]
    if (config.attack === 'label-flip') {
      if (task.name === 'regression') throw new ConfigError('--attack label-flip permutes classes; a regression task has none: use sign-flip, noise or scale')
      data = { ...data, train: flippedLabels(data.train) }
    }
    const { tf, backend: fastest } = await loadTensorflow()
    const kind = modelKind(config.model, config.hiddenLayers)
    const input = { sampleShape: data.train.sampleShape, task, classes: data.train.classNames.length }
    const training = {
      task,
      classes: input.classes,
      optimizer: () => OPTIMIZERS[config.optimizer](tf, config),
      batchSize: config.batchSize,
      epochs: config.epochs,
      proximalMu: strategy.proximalMu,
      learningRate: config.learningRate,
      dpSgd: dp?.level === 'sample' ? { clipNorm: dp.clip, noiseMultiplier: dp.noiseMultiplier } : undefined
    }
    let backend = fastest
    let evaluationModel = await kind.build(tf, input)
    const missing = await missingTrainingKernel(tf, evaluationModel)
    if (missing !== undefined) {
      // the pure-JS backend has every kernel; slower, but the model trains
      evaluationModel.dispose()
      await tf.setBackend('cpu')
      backend = `cpu (the ${fastest} backend lacks the ${missing} kernel this model needs to train; training is much slower: install @tensorflow/tfjs-node where it can download libtensorflow)`
      evaluationModel = await kind.build(tf, input)
    }
    const trainer = new LocalTrainer(tf, await kind.build(tf, input), training)
    const evaluator = new LocalTrainer(tf, evaluationModel, training)
    const modelWeights = kind.genesis(trainer.model, config.seed)
    const definition = definitionText({
      model: kind.description,
      task: task.name,
      sampleShape: data.train.sampleShape,
      classNames: data.train.classNames,
      normalize: data.schema === undefined ? 'none' : config.normalize,
      schema: data.schema ?? null,
      merge: strategy.describe,
      privacy: privacy.describe,
      colluders: config.colluders
    })
    const learner = new LocalLearner(config, data, task, { trainer, evaluator, modelWeights, definition, description: kind.description, strategy, privacy })
    return { learner, backend }
  }

  private constructor (config: PeerConfig, data: PeerData, task: Task, model: { trainer: LocalTrainer, evaluator: LocalTrainer, modelWeights: Weights, definition: string, description: string, strategy: MergeStrategy, privacy: PrivacyPlan }) {
    this.config = config
    this.data = data
    this.task = task
    this.trainer = model.trainer
    this.evaluator = model.evaluator
    this.definition = model.definition
    this.description = model.description
    this.strategy = model.strategy
    this.privacy = model.privacy
    this.modelTensors = model.modelWeights.length
    const pools = data.numericFeatures.length > 0
    this.genesis = pools ? [...model.modelWeights, ...neutralMomentTensors(data.numericFeatures.length)] : model.modelWeights
    // a privacy budget may end this peer's part before --rounds
    this.lastRound = model.privacy.lastRound + (pools ? 1 : 0)
  }

  /** What the operator reads at start-up about the data and the model. */
  describe (): string[] {
    const { config } = this
    const { train, test, source, notes, numericFeatures, stats } = this.data
    const lines = [`data: ${source}, partition ${config.partition.index}/${config.partition.count} (${config.split}), ${train.count} training samples, ${test.count} test samples of shape [${train.sampleShape.join(', ')}]`]
    lines.push(...notes.map(note => `  ${note}`))
    if (numericFeatures.length > 0) lines.push(`  ${numericFeatures.length} numeric features are standardized with the swarm's pooled mean and deviation: round 1 pools them (no rows leave this peer), training starts in round 2`)
    if (stats !== undefined) lines.push(`  ${stats.features.length} numeric features are standardized with this peer's own mean and deviation (--normalize local)`)
    const names = train.classNames
    const inferred = config.task === 'auto' && config.schema === undefined ? ' (inferred from the label\'s values; --task classification, binary or regression sets it)' : ''
    lines.push(`task: ${this.task.name}${names.length === 0 ? '' : `, classes ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, ... (${names.length})` : ''}`}${inferred}`)
    lines.push(`model: ${this.description}, ${parameterCount(this.genesis.slice(0, this.modelTensors))} parameters, ${config.optimizer} optimizer`)
    lines.push(`merge: ${this.strategy.describe}${this.strategy.minContributions > 1 ? `, needs at least ${this.strategy.minContributions} updates per round` : ''}`)
    lines.push(...privacyLines(this.privacy, config.rounds, Math.max(config.minPeers, config.partition.count)))
    return lines
  }

  /** True for the round in which the swarm pools data statistics instead of training. */
  poolsStatistics (round: number): boolean {
    return round === 1 && this.data.numericFeatures.length > 0
  }

  /**
   * This peer's update for `round` from the global model `base`: its own
   * statistics in the statistics round, else the model trained on its data
   * (the statistics carried over unchanged).
   */
  async update (round: number, base: Weights, progress?: (p: EpochProgress) => void): Promise<{ weights: Weights, loss: number }> {
    const [model, statistics] = [base.slice(0, this.modelTensors), base.slice(this.modelTensors)]
    if (this.poolsStatistics(round)) return { weights: [...model, ...momentTensors(this.data.train, this.data.numericFeatures)], loss: NaN }
    this.trainer.setWeights(model)
    // a seed per round: the same model, data and round train the same weights on any run
    const { loss } = await this.trainer.train(this.dataFor(base).train, this.config.seed * 1_000_003 + round, progress)
    return { weights: [...this.trainer.getWeights(), ...statistics], loss }
  }

  /** The task's metrics of a global model on this peer's test split. */
  async evaluate (weights: Weights): Promise<Metrics> {
    this.evaluator.setWeights(weights.slice(0, this.modelTensors))
    return await this.evaluator.evaluate(this.dataFor(weights).test)
  }

  /**
   * Saves the model last evaluated in TensorFlow.js layers format, with
   * swarm-model.json: what predict needs to prepare inputs as in training,
   * and a summary of the training.
   */
  async save (dir: string, model: GlobalModel, metrics: Metrics, epsilon?: number): Promise<void> {
    await this.evaluator.save(dir)
    const { data } = this
    const summary = savedModelSummary({
      task: this.task.name,
      format: data.format,
      sampleShape: data.train.sampleShape,
      classNames: data.train.classNames,
      schema: data.schema,
      normalization: data.stats !== undefined ? { kind: 'local', ...data.stats } : data.numericFeatures.length > 0 ? { kind: 'swarm', ...this.pooledStats(model.weights) } : undefined,
      training: {
        rounds: model.round,
        contributors: model.contributors,
        samples: model.samples,
        modelHash: model.modelHash,
        metrics,
        model: this.description,
        privacy: { secureAggregation: this.privacy.secure !== undefined, dp: this.privacy.dp?.level ?? 'none', epsilon, delta: this.privacy.dp?.delta }
      }
    })
    writeAtomically(join(dir, SUMMARY_FILE), summary)
  }

  dispose (): void {
    this.trainer.dispose()
    this.evaluator.dispose()
  }

  private pooledStats (weights: Weights): FeatureStats {
    return statsFromTensors(weights.slice(this.modelTensors), this.data.numericFeatures)
  }

  /** This peer's data as the model `weights` sees it: standardized with the swarm's statistics it carries. */
  private dataFor (weights: Weights): { train: Dataset, test: Dataset } {
    if (this.data.numericFeatures.length === 0) return this.data
    const stats = this.pooledStats(weights)
    const same = this.standardized !== undefined && stats.mean.every((m, k) => m === this.standardized?.stats.mean[k] && stats.std[k] === this.standardized.stats.std[k])
    if (!same) this.standardized = { stats, train: standardize(this.data.train, stats), test: standardize(this.data.test, stats) }
    return this.standardized as { train: Dataset, test: Dataset }
  }
}

/** What the operator reads about privacy at start-up. */
/** `sites`: the sites a round is expected to merge (--min-peers at least) */
function privacyLines (privacy: PrivacyPlan, rounds: number, sites: number): string[] {
  const { secure, dp } = privacy
  const lines: string[] = []
  if (secure !== undefined) lines.push(`secure aggregation: updates are masked; the swarm sees only their sum (each change clipped to norm ${secure.clipNorm} first)`)
  if (dp === undefined) {
    if (secure === undefined) lines.push('privacy: updates travel in the clear to the round\'s holders (see --secure-aggregation and --dp, docs/PRIVACY.md)')
    return lines
  }
  const what = dp.level === 'client' ? `client-level: each site's change clipped to ${dp.clip}` : `sample-level (DP-SGD): each example's gradient clipped to ${dp.clip}`
  lines.push(`differential privacy, ${what}, noise multiplier ${dp.noiseMultiplier}, δ ${dp.delta}${dp.epsilon === undefined ? '' : `, budget ε ${dp.epsilon}`}`)
  if (dp.level === 'client' && secure === undefined) lines.push('  without --secure-aggregation the round\'s holders see each site\'s clean change; the noise protects against everyone else')
  if (dp.level === 'client') {
    // the mean of k clipped changes carries noise z·C/k per coordinate; one change is at most C long in all its coordinates together
    const perCoordinate = (k: number): string => (dp.noiseMultiplier * dp.clip / k).toPrecision(2)
    lines.push(`  warning: the merged change carries noise of std ${perCoordinate(sites)} per coordinate with ${sites} sites (${perCoordinate(100)} with 100), while a site's whole change is clipped to norm ${dp.clip}: with few sites the noise drowns the model; client-level DP is for swarms of many sites (docs/PRIVACY.md)`)
  }
  if (privacy.lastRound < rounds) lines.push(`  the budget ε ${dp.epsilon} is spent after round ${privacy.lastRound}: this peer stops there, before --rounds ${rounds}`)
  return lines
}

/** The task --task names, or the one the schema or the labels imply; it must fit the labels. */
function chooseTask (setting: TaskName | 'auto', data: PeerData): TaskName {
  const { labelKind, classNames } = data.train
  const task = setting !== 'auto' ? setting : data.schema?.task ?? inferTask(labelKind, classNames.length)
  if (task === 'regression' && labelKind !== 'number') throw new ConfigError(`--task regression needs numeric labels, but this data's labels are classes (${classNames.slice(0, 5).join(', ')}): use --task classification`)
  if (task !== 'regression' && labelKind === 'number') throw new ConfigError(`--task ${task} needs class labels, but this data's labels are numbers: use --task regression, or make the label a category in the schema`)
  if (task === 'binary' && classNames.length !== 2) throw new ConfigError(`--task binary needs exactly 2 classes, but this data has ${classNames.length}: use --task classification`)
  return task
}
