/**
 * Every setting of `swarm-node start`, declared once: its config-file key,
 * its flag, its kind (how it is parsed and checked), its default and its
 * help. Parsing, validation, `--help` and the defaults come from this table,
 * and a test holds docs/CONFIG.md and config/default.json to it. A new
 * setting is one row.
 */
import { SERVER_OPTIMIZERS, STRATEGIES } from '../merge/index.ts'
import { allowedPeerId } from '../network/access.ts'
import { COMPRESSIONS } from '../wire/tensors.ts'
import { DATA_FORMATS } from '../data/sources.ts'
import type { DataFormat } from '../data/sources.ts'
import { TASK_NAMES } from '../model/tasks.ts'
import type { TaskName } from '../model/tasks.ts'
import { OPTIMIZER_NAMES } from '../model/optimizers.ts'
import { ATTACKS } from '../round/attacks.ts'
import { choice, fraction, integer, listOf, multiaddrs, nonNegative, oneOf, optionalFraction, optionalHostPort, optionalName, optionalPath, optionalPositive, optionalSize, optionalText, positive, share, text, widths, yesNo } from './kinds.ts'
import type { Kind } from './kinds.ts'

export interface Setting<K extends string, T> {
  /** its name in a config file, and in the peer's config object */
  key: K
  /** its flag, without the dashes */
  flag: string
  /** how its value is written after the flag in --help; none for a switch */
  arg?: string
  /** the flag may be given several times, each adding to a list */
  repeatable?: boolean
  kind: Kind<T>
  default: NoInfer<T>
  /** the default as docs/CONFIG.md and --help say it, when it is not a value (unset) */
  defaultText?: string
  help: string
}

function setting<K extends string, T> (row: Setting<K, T>): Setting<K, T> {
  return row
}

export const SETTINGS = [
  setting({ key: 'dataDir', flag: 'data-dir', arg: '<dir>', kind: text, default: 'swarm-data', help: 'where this peer keeps its key, event log, checkpoints and the final model' }),
  setting({ key: 'listen', flag: 'listen', arg: '<multiaddr>', repeatable: true, kind: multiaddrs, default: ['/ip4/127.0.0.1/tcp/0'], help: 'address to listen on, repeatable (port 0: a free port)' }),
  setting({ key: 'peers', flag: 'peer', arg: '<multiaddr>', repeatable: true, kind: multiaddrs, default: [] as string[], help: 'a running peer to join through, repeatable; the other members are found through it' }),
  setting({
    key: 'data',
    flag: 'data',
    arg: '<path>',
    kind: optionalPath('a CSV file, a folder of image class folders or a folder of MNIST IDX files'),
    default: undefined,
    defaultText: 'the built-in digits',
    help: 'what this peer learns from: a CSV file with a header row, a folder with one subfolder of PNG/JPEG images per class, or a folder of MNIST-format IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz); without it, the built-in 10,000 MNIST digits'
  }),
  setting({ key: 'dataFormat', flag: 'data-format', arg: '<format>', kind: choice<DataFormat | 'auto'>(['auto', ...DATA_FORMATS]), default: 'auto', help: `the format of --data: ${DATA_FORMATS.join(', ')}, or auto (a file is CSV; a folder holding train-images-idx3-ubyte is IDX; another folder is images)` }),
  setting({ key: 'label', flag: 'label', arg: '<column>', kind: optionalText, default: undefined, defaultText: 'the schema\'s label', help: 'the CSV column to predict; every other column is a feature' }),
  setting({ key: 'schema', flag: 'schema', arg: '<file>', kind: optionalPath('a data schema file (make one with swarm-node schema)'), default: undefined, defaultText: 'inferred from this peer\'s file', help: 'the data schema every site of the swarm shares: columns, their types, the label, category lists and task (make one with swarm-node schema)' }),
  setting({ key: 'task', flag: 'task', arg: '<task>', kind: choice<TaskName | 'auto'>(['auto', ...TASK_NAMES]), default: 'auto', help: 'classification (softmax), binary (sigmoid; accuracy and ROC AUC) or regression (mean squared error; MAE), or auto: from the schema or the labels' }),
  setting({ key: 'dropInvalidRows', flag: 'drop-invalid-rows', kind: yesNo, default: false, help: 'drop CSV rows with a missing or unparsable value (and say how many) instead of stopping with an error' }),
  setting({ key: 'normalize', flag: 'normalize', arg: '<swarm|local|none>', kind: choice(['swarm', 'local', 'none'] as const), default: 'swarm', help: 'standardize the numeric columns of a table with the mean and deviation of all sites\' rows, pooled in an extra first round without sharing a row (swarm), with this peer\'s own (local), or not at all (none)' }),
  setting({ key: 'imageSize', flag: 'image-size', arg: '<WxH>', kind: optionalSize, default: undefined, defaultText: 'the size of the first image', help: 'resize every image to W×H pixels' }),
  setting({ key: 'channels', flag: 'channels', arg: '<1|3>', kind: oneOf([1, 3]), default: 1, help: 'images as grey (1) or colour (3) channels' }),
  setting({ key: 'skipBadImages', flag: 'skip-bad-images', kind: yesNo, default: false, help: 'skip images that cannot be decoded (and say how many) instead of stopping with an error' }),
  setting({ key: 'testData', flag: 'test-data', arg: '<path>', kind: optionalPath('labelled test data in the format of --data'), default: undefined, defaultText: 'the data\'s own test set, else a hold-out', help: 'labelled data, in the format of --data, that this peer evaluates every global model on' }),
  setting({ key: 'testFraction', flag: 'test-fraction', arg: '<x>', kind: fraction(0, 1), default: 0.2, help: 'without --test-data, the share of this peer\'s own rows held out for testing (the built-in digits and IDX folders bring their own test set)' }),
  setting({ key: 'partition', flag: 'partition', arg: '<i/n>', kind: share, default: { index: 1, count: 1 }, defaultText: '1/1', help: 'train on share i of n of the training pool' }),
  setting({ key: 'split', flag: 'split', arg: '<iid|dirichlet>', kind: choice(['iid', 'dirichlet'] as const), default: 'iid', help: 'how the pool is shared among peers: shuffled equal shares, or label skew' }),
  setting({ key: 'alpha', flag: 'alpha', arg: '<a>', kind: positive, default: 0.5, help: 'Dirichlet concentration for --split dirichlet; smaller means stronger label skew' }),
  setting({ key: 'rounds', flag: 'rounds', arg: '<n>', kind: integer(1), default: 10, help: 'the swarm stops after global round n' }),
  setting({ key: 'epochs', flag: 'epochs', arg: '<n>', kind: integer(1), default: 2, help: 'local epochs per round' }),
  setting({ key: 'minPeers', flag: 'min-peers', arg: '<n>', kind: integer(1), default: 2, help: 'a round starts only when n peers (self included) are present' }),
  setting({ key: 'seed', flag: 'seed', arg: '<n>', kind: integer(0), default: 42, help: 'seed of the data split and the genesis model; every peer of a swarm needs the same one' }),
  setting({ key: 'model', flag: 'model', arg: '<model>', kind: text, default: 'mlp', help: 'mlp (dense layers of --hidden widths), cnn (two 5×5 convolutions, for images), or the path of a TensorFlow.js model.json (from Keras via tensorflowjs_converter, or model.save in tfjs) whose architecture and weights start the swarm' }),
  setting({ key: 'optimizer', flag: 'optimizer', arg: '<name>', kind: choice(OPTIMIZER_NAMES), default: 'sgd', help: `local optimizer: ${OPTIMIZER_NAMES.join(', ')}; a fresh one each round` }),
  setting({ key: 'learningRate', flag: 'learning-rate', arg: '<x>', kind: positive, default: 0.1, help: 'learning rate of the local optimizer (for adam try 0.001)' }),
  setting({ key: 'momentum', flag: 'momentum', arg: '<x>', kind: fraction(0, 1), default: 0.9, help: 'momentum of --optimizer momentum' }),
  setting({ key: 'batchSize', flag: 'batch-size', arg: '<n>', kind: integer(1), default: 32, help: 'training batch size' }),
  setting({ key: 'hiddenLayers', flag: 'hidden', arg: '<w,w,...>', kind: widths('[200, 200] (flag: --hidden 200,200)'), default: [200, 200], help: 'hidden layer widths of --model mlp' }),
  setting({
    key: 'merge',
    flag: 'merge',
    arg: '<strategy>',
    kind: choice(Object.keys(STRATEGIES), name => `unknown merge strategy "${name}"; available: ${Object.keys(STRATEGIES).join(', ')}`),
    default: 'fedavg',
    help: `how each round's updates become the global model (docs/STRATEGIES.md): ${Object.entries(STRATEGIES).map(([name, s]) => `${name} (${s.summary})`).join(', ')}; every peer of a swarm needs the same one`
  }),
  setting({ key: 'serverOptimizer', flag: 'server-optimizer', arg: '<name>', kind: choice(SERVER_OPTIMIZERS), default: 'none', help: 'a server optimizer step on the merged change of a robust --merge: momentum, adam or yogi (fedavgm, fedadam and fedyogi are fedavg with these)' }),
  setting({ key: 'serverLearningRate', flag: 'server-learning-rate', arg: '<x>', kind: optionalPositive, default: undefined, defaultText: '1 for momentum, 0.03 for adam and yogi', help: 'server learning rate η of the server optimizer' }),
  setting({ key: 'serverMomentum', flag: 'server-momentum', arg: '<x>', kind: optionalFraction(0, 1), default: undefined, defaultText: '0.8 for momentum, 0.9 for adam and yogi', help: 'server momentum β (fedavgm), or β1 of adam and yogi' }),
  setting({ key: 'serverBeta2', flag: 'server-beta2', arg: '<x>', kind: fraction(0, 1), default: 0.99, help: 'β2 of the adam and yogi server optimizers' }),
  setting({ key: 'serverTau', flag: 'server-tau', arg: '<x>', kind: positive, default: 0.0001, help: 'τ, the adaptivity of the adam and yogi server optimizers' }),
  setting({ key: 'proximalMu', flag: 'proximal-mu', arg: '<x>', kind: positive, default: 0.01, help: 'μ of fedprox: local training adds μ/2 · ‖w − w_global‖² to the loss' }),
  setting({ key: 'clipNorm', flag: 'clip-norm', arg: '<x>', kind: nonNegative, default: 0, help: 'the norm bound of --merge clipped; 0 bounds each change by --clip-multiplier times the round\'s median change norm' }),
  setting({ key: 'clipMultiplier', flag: 'clip-multiplier', arg: '<x>', kind: positive, default: 2, help: 'the adaptive bound of --merge clipped, as a multiple of the round\'s median change norm' }),
  setting({ key: 'trimFraction', flag: 'trim-fraction', arg: '<beta>', kind: fraction(0, 0.5), default: 0.2, help: '--merge trimmed-mean drops the ⌈β·n⌉ largest and smallest values of each parameter' }),
  setting({ key: 'byzantine', flag: 'byzantine', arg: '<f>', kind: integer(0), default: 1, help: 'f, the bad peers --merge krum and multi-krum are built to survive; they need more than 2f + 2 updates per round' }),
  setting({ key: 'multiKrumKeep', flag: 'multi-krum-keep', arg: '<m>', kind: integer(0), default: 0, help: 'how many of the best-ranked updates --merge multi-krum averages; 0: n − f' }),
  setting({ key: 'colluders', flag: 'colluders', arg: '<f>', kind: integer(0), default: 1, help: 'f: a merge leader and up to f colluding peers cannot make an honest peer keep a false model: each round\'s updates go to f + 2 holders, and a merge is adopted once f + 1 of them attest it (docs/PROTOCOL.md); every peer of a swarm needs the same one' }),
  setting({ key: 'secureAggregation', flag: 'secure-aggregation', kind: yesNo, default: false, help: 'secure aggregation (docs/PRIVACY.md): updates are masked so that the leader, and anyone else, learns only their sum; needs a sum-based --merge (fedavg, fedprox, fedavgm, fedadam, fedyogi); every peer of a swarm needs the same setting' }),
  setting({ key: 'secureClipNorm', flag: 'secure-clip-norm', arg: '<x>', kind: positive, default: 5, help: 'with --secure-aggregation, each peer clips its model change to this L2 norm before masking (the merge cannot see single updates to bound them)' }),
  setting({ key: 'secureMaxSamples', flag: 'secure-max-samples', arg: '<n>', kind: integer(1), default: 100_000, help: 'with --secure-aggregation, the largest sample count one peer weighs its change with; it sets the fixed-point range (docs/PRIVACY.md)' }),
  setting({ key: 'dp', flag: 'dp', arg: '<none|sample|client>', kind: choice(['none', 'sample', 'client'] as const), default: 'none', help: 'differential privacy (docs/PRIVACY.md): sample protects each record of a site (DP-SGD in local training), client protects each site as a whole (clipped changes, Gaussian noise on their sum)' }),
  setting({ key: 'dpClip', flag: 'dp-clip', arg: '<C>', kind: positive, default: 1, help: 'the L2 bound C: of each example\'s gradient (--dp sample) or of each site\'s change (--dp client)' }),
  setting({ key: 'dpNoiseMultiplier', flag: 'dp-noise-multiplier', arg: '<z>', kind: optionalPositive, default: undefined, defaultText: 'chosen to spend --dp-epsilon over --rounds', help: 'the Gaussian noise\'s standard deviation as a multiple of --dp-clip' }),
  setting({ key: 'dpEpsilon', flag: 'dp-epsilon', arg: '<E>', kind: optionalPositive, default: undefined, defaultText: 'no budget', help: 'the privacy budget ε: the swarm stops before a round that would spend more (with --dp-delta)' }),
  setting({ key: 'dpDelta', flag: 'dp-delta', arg: '<D>', kind: fraction(0, 1), default: 0.00001, help: 'δ of the (ε, δ) guarantee; keep it below 1 / the number of records (or sites, for --dp client)' }),
  setting({ key: 'quorumWaitMs', flag: 'quorum-wait-ms', arg: '<ms>', kind: integer(0), default: 30_000, help: 'after this long in a round the leader merges the updates it holds, if at least --min-peers; raise it above the time a round of local training takes' }),
  setting({ key: 'failoverDelayMs', flag: 'failover-delay-ms', arg: '<ms>', kind: integer(0), default: 15_000, help: 'a silent leader\'s k-th successor merges after the quorum wait plus k times this' }),
  setting({ key: 'joinTimeoutMs', flag: 'join-timeout-ms', arg: '<ms>', kind: integer(0), default: 600_000, help: 'keep trying to reach the --peer addresses this long, so sites can start in any order' }),
  setting({ key: 'finishWaitMs', flag: 'finish-wait-ms', arg: '<ms>', kind: integer(0), default: 60_000, help: 'after the last round, stay up to this long while members are behind, so they can fetch the final model' }),
  setting({ key: 'maxUpdateNorm', flag: 'max-update-norm', arg: '<x>', kind: positive, default: 100, help: 'drop updates that change the model by more than x (L2 norm)' }),
  setting({ key: 'maxSamples', flag: 'max-samples', arg: '<n>', kind: integer(1), default: 1_000_000, help: 'drop updates that claim more than n samples (a peer cannot buy a larger weight in the average); raise it for a site with more training rows' }),
  setting({ key: 'compression', flag: 'compression', arg: '<kind>', kind: choice(COMPRESSIONS), default: 'none', help: 'how this peer sends its updates: none (float32), float16, or int8 (8-bit with a per-tensor scale)' }),
  setting({ key: 'swarmName', flag: 'swarm-name', arg: '<name>', kind: text, default: 'default', help: 'peers only swarm with peers of the same name' }),
  setting({
    key: 'swarmKey',
    flag: 'swarm-key',
    arg: '<file>',
    kind: optionalPath('a swarm key file (create one with swarm-node keygen --out <file>)'),
    default: undefined,
    defaultText: 'unset',
    help: 'a private swarm: only peers holding this key (made by swarm-node keygen) can connect, publish or read'
  }),
  setting({ key: 'allow', flag: 'allow', arg: '<peerId>', repeatable: true, kind: listOf('peer IDs', allowedPeerId), default: [] as string[], help: 'only these peer IDs may connect, repeatable (the default allows anyone)' }),
  setting({ key: 'name', flag: 'name', arg: '<site>', kind: optionalName, default: undefined, defaultText: 'none: the peer ID alone', help: 'a readable name for this peer (such as site-a), shown beside its peer ID in round lines, events, the live page and status; it travels in hellos, so use nothing secret' }),
  setting({ key: 'http', flag: 'http', arg: '<host:port>', kind: optionalHostPort, default: undefined, defaultText: 'off', help: 'serve the live page and /metrics (Prometheus) at host:port, such as 127.0.0.1:9464; an address other than loopback needs --http-token (docs/OPERATIONS.md)' }),
  setting({ key: 'httpToken', flag: 'http-token', arg: '<file>', kind: optionalPath('a file holding the access token of --http'), default: undefined, defaultText: 'unset', help: 'a file holding a secret token: the page and /metrics then answer only requests that carry it (?token=… or Authorization: Bearer …)' }),
  setting({ key: 'logFormat', flag: 'log-format', arg: '<text|json>', kind: choice(['text', 'json'] as const), default: 'text', help: 'what the peer writes on standard output: readable lines (text), or one JSON event per line for log collectors (json)' }),
  setting({ key: 'faultInjection', flag: 'fault-injection', kind: yesNo, default: false, help: 'obey fault plans written into the data dir (docs/FAULTS.md); for tests of the swarm, never in production' }),
  setting({ key: 'attack', flag: 'attack', arg: '<kind>', kind: choice(ATTACKS), default: 'none', help: `make this peer misbehave, to test a swarm's defences (docs/STRATEGIES.md): ${ATTACKS.filter(a => a !== 'none').join(', ')}; for tests of the swarm, never in production` }),
  setting({ key: 'attackScale', flag: 'attack-scale', arg: '<x>', kind: positive, default: 10, help: 'strength of --attack: sign-flip sends −x times its change, scale x times it, noise has x times its norm' })
]

type Row = typeof SETTINGS[number]

/** The peer's settings, one property per row of the table. */
export type PeerConfig = { [R in Row as R['key']]: R extends Setting<string, infer T> ? T : never }
