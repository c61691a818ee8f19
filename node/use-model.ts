/**
 * Using a swarm's result: `swarm-node predict` and `swarm-node evaluate` on a
 * model folder a peer saved (model.json, weights.bin, swarm-model.json). The
 * inputs are prepared exactly as in training: the same schema, the same
 * standardization, the same image size and channels.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import type { Dataset } from '../src/data/dataset.ts'
import { sampleSize } from '../src/data/dataset.ts'
import { loadCsv } from '../src/data/csv.ts'
import { loadImageFile } from '../src/data/images.ts'
import { standardize } from '../src/data/normalization.ts'
import { loadTensorflow } from '../src/model/backend.ts'
import { loadLayersModelFile } from '../src/model/layers-file.ts'
import { readSavedModel } from '../src/model/saved-model.ts'
import type { SavedModel } from '../src/model/saved-model.ts'
import { argMax, formatMetrics, TASKS } from '../src/model/tasks.ts'
import type { Metrics } from '../src/model/tasks.ts'
import { predictInBatches } from '../src/model/trainer.ts'
import { DataError } from '../src/errors.ts'

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg'])

interface Inputs {
  data: Dataset
  /** what each sample is called in predictions: its data row, or its image file */
  names: string[]
}

/** Predicts every input of `path`; returns the predictions as CSV text (a header, then one row per input). */
export async function predict (modelDir: string, path: string): Promise<{ csv: string, count: number }> {
  const saved = readSavedModel(modelDir)
  const inputs = await prepareInputs(saved, path, false)
  const outputs = await modelOutputs(modelDir, inputs.data)
  const classes = saved.classNames
  const header = saved.task === 'regression' ? ['input', 'predicted'] : ['input', 'predicted', ...classes.map(c => `p_${c}`)]
  const rows = inputs.names.map((name, i) => {
    if (saved.task === 'regression') return [name, String(outputs[i])]
    const probabilities = saved.task === 'binary' ? [1 - outputs[i], outputs[i]] : Array.from(outputs.subarray(i * classes.length, (i + 1) * classes.length))
    return [name, classes[argMax(probabilities)], ...probabilities.map(p => p.toFixed(6))]
  })
  return { csv: [header, ...rows].map(row => row.map(csvValue).join(',')).join('\n') + '\n', count: rows.length }
}

/** The task's metrics of the saved model on labelled data at `path`. */
export async function evaluate (modelDir: string, path: string): Promise<{ metrics: Metrics, count: number, text: string }> {
  const saved = readSavedModel(modelDir)
  const { data } = await prepareInputs(saved, path, true)
  const metrics = TASKS[saved.task].metrics(await modelOutputs(modelDir, data), data.labels)
  return { metrics, count: data.count, text: `${data.count} samples of ${path}: ${formatMetrics(metrics)}` }
}

async function modelOutputs (modelDir: string, data: Dataset): Promise<Float32Array> {
  const { tf } = await loadTensorflow()
  const model = await loadLayersModelFile(tf, join(modelDir, 'model.json'))
  const x = tf.tensor(data.features, [data.count, ...data.sampleShape])
  try {
    return await predictInBatches(tf, model, x)
  } finally {
    x.dispose()
    model.dispose()
  }
}

/** The inputs at `path` as the model was trained on them; `labelled` data must carry its labels. */
async function prepareInputs (saved: SavedModel, path: string, labelled: boolean): Promise<Inputs> {
  let inputs: Inputs
  if (saved.input.format === 'csv') {
    if (saved.schema === null) throw new DataError('the saved model has no data schema: save it again with this version of swarm-node')
    const { data } = await loadCsv(path, { schema: saved.schema, dropInvalidRows: false, unlabelled: !labelled, invalidRowFix: `; ${labelled ? 'evaluate scores' : 'predict writes one prediction for'} every row of the file, so each must be valid` })
    inputs = { data, names: Array.from({ length: data.count }, (_, i) => String(i + 1)) }
  } else {
    inputs = await imageInputs(saved, path, labelled)
  }
  const { normalization } = saved
  return normalization === null ? inputs : { ...inputs, data: standardize(inputs.data, normalization) }
}

/**
 * One image, or a folder of images: loose ones, and ones in class subfolders
 * (whose folder name is their label, which evaluate needs).
 */
async function imageInputs (saved: SavedModel, path: string, labelled: boolean): Promise<Inputs> {
  const [height, width, channels] = saved.input.sampleShape
  const folder = isFolder(path)
  const files = folder ? imageFiles(path) : [path]
  if (files.length === 0) throw new DataError(`${path} holds no .png, .jpg or .jpeg images: give an image, or a folder of images (or of class subfolders of images)`)
  const size = sampleSize(saved.input.sampleShape)
  const features = new Float32Array(files.length * size)
  const labels = new Float32Array(files.length)
  for (const [i, file] of files.entries()) {
    features.set(await loadImageFile(file, { width, height }, channels === 3 ? 3 : 1), i * size)
    const parts = relative(path, file).split('/')
    labels[i] = parts.length === 2 ? saved.classNames.indexOf(parts[0]) : -1
    if (labelled && labels[i] < 0) {
      throw new DataError(`${file} is not in a folder named after one of the model's classes (${saved.classNames.slice(0, 10).join(', ')}): evaluate needs one subfolder of images per class`)
    }
  }
  const data: Dataset = { features, labels, count: files.length, sampleShape: saved.input.sampleShape, labelKind: 'class', classNames: saved.classNames }
  return { data, names: files.map(file => (folder ? relative(path, file) : file)) }
}

/** The images in `dir` and in its subfolders, sorted. */
function imageFiles (dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...readdirSync(path).filter(f => !f.startsWith('.') && IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).sort().map(f => join(path, f)))
    else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(path)
  }
  return files
}

function isFolder (path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    throw new DataError(`${path} does not exist: --data must be a CSV file, an image, or a folder of images`)
  }
}

function csvValue (value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** Writes predictions to `out`, or returns false when `out` is unset (the caller prints them). */
export function writePredictions (out: string | undefined, csv: string): boolean {
  if (out === undefined) return false
  try {
    writeFileSync(out, csv)
  } catch (err) {
    throw new DataError(`cannot write the predictions to ${out}: ${(err as Error).message}`)
  }
  return true
}
