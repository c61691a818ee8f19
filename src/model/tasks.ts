/**
 * What the swarm's model predicts, and how it is judged: its output layer,
 * its loss, and its metrics. Metrics are pure functions of the predictions,
 * so they are tested without tfjs.
 */
import type { LabelKind } from '../data/dataset.ts'

export type TaskName = 'classification' | 'binary' | 'regression'

export const TASK_NAMES: readonly TaskName[] = ['classification', 'binary', 'regression']

/** The task's measures of a model on labelled data; `loss` always, the others where the task has them. */
export interface Metrics {
  loss: number
  accuracy?: number
  /** ROC AUC (binary) */
  auc?: number
  /** mean absolute error (regression) */
  mae?: number
}

export interface Task {
  name: TaskName
  /** the output layer's activation, as tfjs names it */
  activation: 'softmax' | 'sigmoid' | 'linear'
  /** the training loss, as tfjs names it */
  loss: 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError'
  /** units of the output layer for `classes` classes */
  outputUnits: (classes: number) => number
  /** the training targets, row-major `count × outputUnits` */
  targets: (labels: Float32Array, classes: number) => Float32Array
  /** the metrics of predictions (row-major, count × outputUnits) against labels */
  metrics: (predictions: Float32Array, labels: Float32Array) => Metrics
}

/** a probability is kept this far from 0 and 1 in the log of cross-entropy, as Keras does */
const EPSILON = 1e-7

const clip = (p: number): number => Math.min(1 - EPSILON, Math.max(EPSILON, p))

export const TASKS: Record<TaskName, Task> = {
  classification: {
    name: 'classification',
    activation: 'softmax',
    loss: 'categoricalCrossentropy',
    outputUnits: classes => classes,
    targets: (labels, classes) => {
      const oneHot = new Float32Array(labels.length * classes)
      labels.forEach((label, i) => { oneHot[i * classes + label] = 1 })
      return oneHot
    },
    metrics: (predictions, labels) => {
      const classes = predictions.length / labels.length
      let loss = 0
      let correct = 0
      labels.forEach((label, i) => {
        const row = predictions.subarray(i * classes, (i + 1) * classes)
        loss -= Math.log(clip(row[label]))
        if (argMax(row) === label) correct++
      })
      return { loss: loss / labels.length, accuracy: correct / labels.length }
    }
  },
  binary: {
    name: 'binary',
    activation: 'sigmoid',
    loss: 'binaryCrossentropy',
    outputUnits: () => 1,
    targets: labels => Float32Array.from(labels),
    metrics: (predictions, labels) => {
      let loss = 0
      let correct = 0
      labels.forEach((label, i) => {
        const p = clip(predictions[i])
        loss -= label === 1 ? Math.log(p) : Math.log(1 - p)
        if ((predictions[i] >= 0.5 ? 1 : 0) === label) correct++
      })
      return { loss: loss / labels.length, accuracy: correct / labels.length, auc: rocAuc(predictions, labels) }
    }
  },
  regression: {
    name: 'regression',
    activation: 'linear',
    loss: 'meanSquaredError',
    outputUnits: () => 1,
    targets: labels => Float32Array.from(labels),
    metrics: (predictions, labels) => {
      let squared = 0
      let absolute = 0
      labels.forEach((label, i) => {
        const error = predictions[i] - label
        squared += error * error
        absolute += Math.abs(error)
      })
      return { loss: squared / labels.length, mae: absolute / labels.length }
    }
  }
}

/** The task data with these labels asks for: regression for numbers, binary for two classes, else classification. */
export function inferTask (labelKind: LabelKind, classes: number): TaskName {
  if (labelKind === 'number') return 'regression'
  return classes === 2 ? 'binary' : 'classification'
}

export function argMax (values: ArrayLike<number>): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i
  return best
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a
 * random negative (ties count half), from the ranks of the scores
 * (Mann–Whitney U). NaN when the labels hold only one class.
 */
export function rocAuc (scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b])
  let positives = 0
  let rankSum = 0
  for (let start = 0; start < order.length;) {
    let end = start
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++
    // tied scores share the mean of their ranks (1-based)
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        positives++
        rankSum += rank
      }
    }
    start = end + 1
  }
  const negatives = labels.length - positives
  if (positives === 0 || negatives === 0) return NaN
  return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}

/** The metrics as the round line shows them: `accuracy 0.9412 | auc 0.9711 | loss 0.2103`. */
export function formatMetrics (metrics: Metrics): string {
  const shown: Array<[string, number | undefined]> = [['accuracy', metrics.accuracy], ['auc', metrics.auc], ['mae', metrics.mae], ['loss', metrics.loss]]
  return shown.filter(([, v]) => v !== undefined).map(([name, v]) => `${name} ${(v as number).toFixed(4)}`).join(' | ')
}
