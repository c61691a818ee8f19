/**
 * swarm-model.json, saved next to the final model's model.json: what a
 * program needs to use the model as it was trained (the task, the input
 * format and shape, the class names, the data schema, the standardization)
 * and a summary of the training that made it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DataSchema } from '../data/schema.ts'
import type { FeatureStats } from '../data/normalization.ts'
import type { Metrics, TaskName } from './tasks.ts'
import { TASK_NAMES } from './tasks.ts'
import { UserError } from '../errors.ts'

export const SUMMARY_FILE = 'swarm-model.json'

export interface SavedModel {
  format: 'swarm-model'
  version: 1
  task: TaskName
  /** how the training data came: csv, images, idx or builtin (the last two are 28×28 grey images) */
  input: { format: 'builtin' | 'csv' | 'images' | 'idx', sampleShape: number[] }
  classNames: string[]
  schema: DataSchema | null
  /** the standardization of a table's numeric features, to apply before predicting */
  normalization: ({ kind: 'swarm' | 'local' } & FeatureStats) | null
  training: {
    /** global rounds, the statistics round included */
    rounds: number
    contributors: string[]
    samples: number
    modelHash: string
    /** the final model's metrics on the saving peer's test split */
    metrics: Metrics
    model: string
    savedAt: string
    /** how the updates were protected, and the ε this peer spent (differential privacy) */
    privacy?: { secureAggregation: boolean, dp: string, epsilon?: number, delta?: number }
  }
}

export interface SummaryParts {
  task: TaskName
  format: SavedModel['input']['format']
  sampleShape: number[]
  classNames: string[]
  schema?: DataSchema
  normalization?: SavedModel['normalization']
  training: Omit<SavedModel['training'], 'savedAt'>
}

/** The text of swarm-model.json. */
export function savedModelSummary (parts: SummaryParts): string {
  const summary: SavedModel = {
    format: 'swarm-model',
    version: 1,
    task: parts.task,
    input: { format: parts.format, sampleShape: parts.sampleShape },
    classNames: parts.classNames,
    schema: parts.schema ?? null,
    normalization: parts.normalization ?? null,
    training: { ...parts.training, savedAt: new Date().toISOString() }
  }
  return JSON.stringify(summary, null, 2) + '\n'
}

/** Reads a saved model's swarm-model.json; errors name the folder and the fix. */
export function readSavedModel (dir: string): SavedModel {
  const file = join(dir, SUMMARY_FILE)
  let json: SavedModel
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as SavedModel
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    throw new UserError(`${missing ? `${file} does not exist` : `${file} is not valid JSON`}: --model must be the folder a peer saved its final model to (<data-dir>/model), holding model.json, weights.bin and ${SUMMARY_FILE}`)
  }
  if (json?.format !== 'swarm-model' || json.version !== 1 || !TASK_NAMES.includes(json.task) || !Array.isArray(json.input?.sampleShape)) {
    throw new UserError(`${file} is not a swarm-model.json of version 1: save the model again with this version of swarm-node`)
  }
  return json
}
