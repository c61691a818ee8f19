import assert from 'node:assert/strict'
import { formatMetrics, inferTask, rocAuc, TASKS } from '../../src/model/tasks.ts'

describe('tasks and their metrics', () => {
  it('classification: accuracy from the most probable class, cross-entropy of the true class', () => {
    const predictions = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6])
    const metrics = TASKS.classification.metrics(predictions, Float32Array.from([0, 1]))
    assert.equal(metrics.accuracy, 0.5)
    assert.ok(Math.abs(metrics.loss - (-Math.log(0.7) - Math.log(0.3)) / 2) < 1e-6)
    assert.deepEqual([...TASKS.classification.targets(Float32Array.from([2, 0]), 3)], [0, 0, 1, 1, 0, 0])
  })

  it('binary: accuracy at 0.5 and ROC AUC', () => {
    const metrics = TASKS.binary.metrics(Float32Array.from([0.9, 0.4, 0.6, 0.2]), Float32Array.from([1, 1, 0, 0]))
    assert.equal(metrics.accuracy, 0.5)
    assert.equal(metrics.auc, 0.75)
  })

  it('ROC AUC counts tied scores half, and is 1 for a perfect ranking', () => {
    assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1)
    assert.equal(rocAuc([0.5, 0.5], [0, 1]), 0.5)
    assert.ok(Number.isNaN(rocAuc([0.5, 0.7], [1, 1])))
  })

  it('regression: mean squared error as the loss, and mean absolute error', () => {
    const metrics = TASKS.regression.metrics(Float32Array.from([1, 5]), Float32Array.from([2, 2]))
    assert.equal(metrics.loss, 5)
    assert.equal(metrics.mae, 2)
    assert.equal(formatMetrics(metrics), 'mae 2.0000 | loss 5.0000')
  })

  it('is inferred from the labels: numbers regress, two classes are binary', () => {
    assert.equal(inferTask('number', 0), 'regression')
    assert.equal(inferTask('class', 2), 'binary')
    assert.equal(inferTask('class', 10), 'classification')
  })
})
