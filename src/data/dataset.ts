/**
 * A labelled data set held as flat typed arrays: what every data source
 * (built-in digits, IDX, CSV, image folders) turns its input into.
 */
import type { DataSchema } from './schema.ts'
import type { FeatureStats } from './normalization.ts'

/** `class`: a label is an index into `classNames`; `number`: a label is a value to predict (regression). */
export type LabelKind = 'class' | 'number'

export interface Dataset {
  /** count × sampleSize(sampleShape) values, row-major, one sample after the other */
  features: Float32Array
  /** one per sample: a class index (as a float) or the value to predict */
  labels: Float32Array
  count: number
  /** the shape of one sample: [features] for a table, [height, width, channels] for images */
  sampleShape: number[]
  labelKind: LabelKind
  /** the name of each class, in class-index order; empty for numeric labels */
  classNames: string[]
}

/** The data a peer works with: its own training share and its test split. */
export interface PeerData {
  train: Dataset
  test: Dataset
  /** where the data came from, for the start-up output */
  source: string
  format: 'builtin' | 'csv' | 'images' | 'idx'
  /** a table's schema, which every peer of the swarm must share */
  schema?: DataSchema
  /** with --normalize swarm: the features to standardize with the swarm's pooled statistics (none otherwise) */
  numericFeatures: number[]
  /** with --normalize local: the statistics this peer standardized its features with */
  stats?: FeatureStats
  /** what the operator should know: rows dropped, images skipped */
  notes: string[]
}

/** Values per sample. */
export function sampleSize (shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** A new data set holding the given rows of `data`, in that order. */
export function selectRows (data: Dataset, rows: ArrayLike<number>): Dataset {
  const size = sampleSize(data.sampleShape)
  const features = new Float32Array(rows.length * size)
  const labels = new Float32Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]
    features.set(data.features.subarray(row * size, (row + 1) * size), i * size)
    labels[i] = data.labels[row]
  }
  return { ...data, features, labels, count: rows.length }
}
