/**
 * A swarm on the user's own data and model, and the use of its result: CSV
 * tables (classification, binary, regression) with a shared schema and
 * pooled standardization, image folders with the CNN, a user's model.json,
 * then predict and evaluate on what the peers saved.
 */
import type { EventOf } from '../../src/events/catalog.ts'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { loadCsv } from '../../src/data/csv.ts'
import { readSchema } from '../../src/data/schema.ts'
import { featureMoments, statsFromMoments } from '../../src/data/normalization.ts'
import type { SavedModel } from '../../src/model/saved-model.ts'
import type { LocalSwarm } from '../../node/launcher.ts'
import { useLocalSwarms } from '../helpers/local-swarms.ts'
import { assertCleanUserError, swarmNode } from '../helpers/swarm-node.ts'
import { tableCsv, writeExampleData } from '../../scripts/example-data.ts'

const MINUTES = 60_000

/** every peer exited 0 holding one final model; returns their done events */
function assertOneModel (swarm: LocalSwarm, peers = swarm.peers): Array<EventOf<'done'>> {
  const done = peers.map(p => p.lastEvent('done'))
  assert.deepEqual(peers.map(p => p.exitCode), peers.map(() => 0), 'every peer exits 0')
  assert.equal(new Set(done.map(d => d?.modelHash)).size, 1, 'every peer holds the same final model')
  const finished = done.filter(d => d !== undefined)
  assert.equal(finished.length, peers.length, 'every peer wrote done')
  return finished
}

function savedModel (swarm: LocalSwarm, peer = 0): SavedModel {
  return JSON.parse(readFileSync(join(swarm.peers[peer].dataDir, 'model', 'swarm-model.json'), 'utf8')) as SavedModel
}

describe('your data, your model, your result', function () {
  this.timeout(10 * MINUTES)
  const { folder, run, start } = useLocalSwarms('your-data')
  const file = (name: string): string => join(folder, name)

  // three table sites of very different sizes (1,500, 500 and 200 rows), all their rows together, and a test table
  before(() => { writeExampleData(folder) })

  it('a CSV swarm of 3 uneven sites matches one peer trained on all rows, standardized with the pooled statistics', async () => {
    const made = await swarmNode(['schema', '--data', file('table/site-1.csv'), '--label', 'outcome', '--out', file('schema.json')])
    assert.equal(made.code, 0, made.stderr)
    const settings = ['--schema', file('schema.json'), '--test-data', file('table/test.csv'), '--hidden', '32', '--epochs', '2', '--quorum-wait-ms', '60000']
    const [{ swarm }, { swarm: central }] = await Promise.all([
      run({ name: 'csv-swarm', peers: 3, rounds: 12, extraArgs: settings, peerArgs: i => ['--data', file(`table/site-${i}.csv`), '--partition', '1/1'] }),
      run({ name: 'csv-central', peers: 1, rounds: 12, extraArgs: [...settings, '--data', file('table/all.csv'), '--min-peers', '1'] })
    ])
    const done = assertOneModel(swarm)
    assert.equal(done[0].rounds, 13, 'round 1 pools the statistics, then 12 rounds train')
    const [pooled] = assertOneModel(central)
    const gap = Math.abs((done[0].accuracy ?? NaN) - (pooled.accuracy ?? NaN))
    assert.ok(gap <= 0.01, `swarm accuracy ${String(done[0].accuracy)} vs all rows in one place ${String(pooled.accuracy)}`)

    // the statistics the swarm pooled are those of all sites' rows together
    const all = await loadCsv(file('table/all.csv'), { schema: readSchema(file('schema.json')), dropInvalidRows: false })
    const expected = statsFromMoments(featureMoments(all.data, all.numericFeatures))
    const { normalization } = savedModel(swarm)
    assert.deepEqual(normalization?.features, expected.features)
    expected.mean.forEach((mean, k) => {
      assert.ok(Math.abs((normalization?.mean[k] ?? NaN) - mean) <= 1e-5 * Math.abs(mean) + 1e-9, `mean of feature ${k}: ${normalization?.mean[k]} vs ${mean}`)
      assert.ok(Math.abs((normalization?.std[k] ?? NaN) - expected.std[k]) <= 1e-4 * expected.std[k], `std of feature ${k}: ${normalization?.std[k]} vs ${expected.std[k]}`)
    })
    // and no rows left a site: in round 1 the site of 1,500 rows sent as many bytes as the site of 200
    const sent = swarm.peers.map(p => p.eventsOf('update-published').find(e => e.round === 1)?.bytes)
    assert.equal(new Set(sent).size, 1, `round-1 update sizes ${sent.join(', ')}`)

    // the saved model predicts and evaluates with the same preprocessing
    const model = join(swarm.peers[2].dataDir, 'model')
    const evaluated = await swarmNode(['evaluate', '--model', model, '--data', file('table/test.csv')])
    assert.equal(evaluated.code, 0, evaluated.stderr)
    assert.match(evaluated.stdout, new RegExp(`1000 samples of .*test.csv: accuracy ${(done[2].accuracy ?? NaN).toFixed(4)}`))
    writeFileSync(file('unlabelled.csv'), readFileSync(file('table/test.csv'), 'utf8').split('\n').slice(0, 6).map(line => line.split(',').slice(0, 4).join(',')).join('\n') + '\n')
    const predicted = await swarmNode(['predict', '--model', model, '--data', file('unlabelled.csv'), '--out', file('predictions.csv')])
    assert.equal(predicted.code, 0, predicted.stderr)
    const rows = readFileSync(file('predictions.csv'), 'utf8').trim().split('\n')
    assert.equal(rows[0], 'input,predicted,p_high,p_low,p_mid')
    assert.equal(rows.length, 6)
    for (const row of rows.slice(1)) {
      const [, label, ...probabilities] = row.split(',')
      assert.ok(['high', 'low', 'mid'].includes(label))
      assert.ok(Math.abs(probabilities.map(Number).reduce((a, b) => a + b, 0) - 1) < 1e-4)
    }

    // the documented way to load the model with plain @tensorflow/tfjs, no tfjs-node
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'MODELS.md'), 'utf8')
    const snippet = /```js plain-tfjs\n([\s\S]*?)```/.exec(docs)?.[1]
    assert.ok(snippet !== undefined, 'docs/MODELS.md holds the plain-tfjs example')
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', snippet.replace("'swarm-data/model'", JSON.stringify(model))], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' })
    const outputs = JSON.parse(output.trim().split('\n').at(-1) as string) as number[]
    assert.equal(outputs.length, 3, output)
  })

  it('a CSV that does not fit the schema, or has a missing value, is named with the fix and exit code 2', async () => {
    const start = (data: string): Promise<Awaited<ReturnType<typeof swarmNode>>> => swarmNode(['start', '--data-dir', file('refused'), '--data', data, '--schema', file('schema.json')])
    writeFileSync(file('extra-column.csv'), 'age,income,ratio,region,outcome,weight\n50,60000,0.01,east,mid,70\n')
    assertCleanUserError(await start(file('extra-column.csv')), /extra-column.csv: column "weight" is not in the schema; remove it from the file or add it to the schema/)
    writeFileSync(file('missing-value.csv'), 'age,income,ratio,region,outcome\n50,60000,0.01,east,mid\n61,,0.02,west,high\n')
    assertCleanUserError(await start(file('missing-value.csv')), /missing-value.csv, line 3, column "income": the value is missing; fill it in, or pass --drop-invalid-rows/)
  })

  it('binary tasks report ROC AUC, regression the mean absolute error; a restarted peer keeps the pooled statistics', async () => {
    for (const task of ['binary', 'regression'] as const) {
      writeFileSync(file(`${task}.csv`), tableCsv(1200, 21, task))
      writeFileSync(file(`${task}-test.csv`), tableCsv(400, 22, task))
    }
    const settings = (task: string): string[] => ['--data', file(`${task}.csv`), '--label', 'outcome', '--test-data', file(`${task}-test.csv`), '--hidden', '16', '--quorum-wait-ms', '60000']
    // peer 2 of the binary swarm is killed after the statistics round and restarted from its data dir
    const restartedSwarm = async (): Promise<LocalSwarm> => {
      const swarm = await start({ name: 'binary', peers: 2, rounds: 8, extraArgs: settings('binary') })
      const second = swarm.peers[1]
      await swarm.waitFor(() => second.eventsOf('round-complete').some(e => e.round >= 2), 5 * MINUTES, 'peer 2 past the statistics round')
      second.signal('SIGKILL')
      await second.exited
      swarm.addPeer(2)
      await swarm.waitForExit(5 * MINUTES)
      return swarm
    }
    const [binary, { swarm: regression }] = await Promise.all([
      restartedSwarm(),
      run({ name: 'regression', peers: 2, rounds: 4, extraArgs: [...settings('regression'), '--learning-rate', '0.01'] })
    ])
    const [yesNo] = assertOneModel(binary, [binary.peers[0], binary.peers[2]])
    assert.equal(savedModel(binary).task, 'binary')
    assert.deepEqual(savedModel(binary, 2).normalization, savedModel(binary, 0).normalization, 'the restarted peer standardizes with the pooled statistics')
    assert.ok((yesNo.auc ?? NaN) > 0.85, `ROC AUC ${String(yesNo.auc)}`)
    assert.ok((yesNo.accuracy ?? NaN) > 0.75, `accuracy ${String(yesNo.accuracy)}`)

    const [value] = assertOneModel(regression)
    assert.equal(savedModel(regression).task, 'regression')
    // better than always predicting the mean of the test labels
    const labels = (await loadCsv(file('regression-test.csv'), { label: 'outcome', dropInvalidRows: false })).data.labels
    const mean = labels.reduce((a, b) => a + b, 0) / labels.length
    const baseline = labels.reduce((sum, y) => sum + Math.abs(y - mean), 0) / labels.length
    assert.ok((value.mae ?? NaN) < baseline / 2, `MAE ${String(value.mae)} against ${baseline.toFixed(3)} for always the mean`)
    assert.equal(value.accuracy, undefined, 'regression has no accuracy')
  })

  it('3 peers learn PNG and JPEG class folders with the CNN, and the saved model predicts images', async () => {
    const { swarm } = await run({
      name: 'images',
      peers: 3,
      rounds: 2,
      extraArgs: ['--data', file('digits'), '--test-data', file('digits-test'), '--model', 'cnn', '--epochs', '1', '--optimizer', 'momentum', '--learning-rate', '0.02', '--quorum-wait-ms', '180000']
    })
    const [done] = assertOneModel(swarm)
    assert.ok((done.accuracy ?? NaN) >= 0.3, `accuracy ${String(done.accuracy)} after 2 rounds (chance: 0.1)`)
    const model = join(swarm.peers[0].dataDir, 'model')
    assert.deepEqual(savedModel(swarm).input, { format: 'images', sampleShape: [28, 28, 1] })
    const evaluated = await swarmNode(['evaluate', '--model', model, '--data', file('digits-test')])
    assert.match(evaluated.stdout, new RegExp(`200 samples of .*digits-test: accuracy ${(done.accuracy ?? NaN).toFixed(4)}`))
    const one = await swarmNode(['predict', '--model', model, '--data', file('digits-test/7/500.png')])
    assert.equal(one.code, 0, one.stderr)
    const lines = one.stdout.trim().split('\n')
    assert.equal(lines[0], `input,predicted,${Array.from({ length: 10 }, (_, i) => `p_${i}`).join(',')}`)
    assert.equal(lines.length, 2)
  })

  it('a model.json saved by tfjs trains in a swarm; a peer with another model.json is refused at join', async () => {
    const save = async (dir: string, units: number): Promise<void> => {
      const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units, activation: 'tanh' }), tf.layers.dense({ units: 10, activation: 'softmax' })] })
      mkdirSync(dir, { recursive: true })
      await model.save(tf.io.withSaveHandler(async artifacts => {
        writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer))
        writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }] }))
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      }))
    }
    await save(file('custom'), 24)
    await save(file('other'), 24)
    // same shapes, another architecture: tanh became relu
    const other = JSON.parse(readFileSync(file('other/model.json'), 'utf8')) as { modelTopology: unknown }
    writeFileSync(file('other/model.json'), JSON.stringify({ ...other, modelTopology: JSON.parse(JSON.stringify(other.modelTopology).replace('"tanh"', '"relu"')) }))
    const swarm = await start({ name: 'custom', peers: 2, rounds: 3, extraArgs: ['--model', file('custom/model.json'), '--quorum-wait-ms', '60000'] })
    const refused = swarm.addPeer(3, ['--model', file('other/model.json'), '--partition', '1/2'])
    await swarm.waitForExit(5 * MINUTES)
    assert.equal(refused.exitCode, 2)
    assert.match(readFileSync(refused.outputFile, 'utf8'), /this peer's model differs from the swarm's: model \(--model, --hidden\): "model file with topology [0-9a-f]+" in the swarm, "model file with topology [0-9a-f]+" here/)
    const [done] = assertOneModel(swarm, swarm.peers.slice(0, 2))
    assert.ok((done.accuracy ?? NaN) > 0.8, `accuracy ${String(done.accuracy)}`)
    assert.match(readFileSync(swarm.peers[0].outputFile, 'utf8'), /model: model file with topology [0-9a-f]{16}, 19090 parameters/)
  })
})
