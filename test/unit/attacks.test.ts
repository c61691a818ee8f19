import assert from 'node:assert/strict'
import { attackedChange, flippedLabels, liedModel } from '../../src/round/attacks.ts'
import { l2Norm } from '../../src/round/validation.ts'
import type { Weights } from '../../src/model/weights.ts'

const change: Weights = [{ shape: [2], values: Float32Array.from([3, 4]) }, { shape: [1], values: Float32Array.from([0]) }]

describe('attack simulation', () => {
  it('sign-flip sends the change negated and scaled, scale the change scaled', () => {
    assert.deepEqual(attackedChange('sign-flip', change, 10, 1).map(t => [...t.values]), [[-30, -40], [-0]])
    assert.deepEqual(attackedChange('scale', change, 10, 1).map(t => [...t.values]), [[30, 40], [0]])
  })

  it('noise sends Gaussian noise of scale times the honest norm, the same for the same seed', () => {
    const noise = attackedChange('noise', change, 10, 7)
    assert.ok(Math.abs(l2Norm(noise) - 50) < 1e-3, `norm ${l2Norm(noise)}`)
    assert.deepEqual(noise, attackedChange('noise', change, 10, 7))
    assert.notDeepEqual(noise, attackedChange('noise', change, 10, 8))
  })

  it('label-flip swaps class c for class n − 1 − c; the other attacks leave the change alone', () => {
    const data = { features: new Float32Array(3), labels: Float32Array.from([0, 1, 9]), count: 3, sampleShape: [1], labelKind: 'class' as const, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] }
    assert.deepEqual([...flippedLabels(data).labels], [9, 8, 0])
    assert.equal(attackedChange('label-flip', change, 10, 1), change)
    assert.equal(attackedChange('none', change, 10, 1), change)
  })

  it('a lying leader publishes the round\'s step reversed', () => {
    const base: Weights = [{ shape: [2], values: Float32Array.from([1, 1]) }]
    const merged: Weights = [{ shape: [2], values: Float32Array.from([2, 0]) }]
    assert.deepEqual([...liedModel(merged, base)[0].values], [0, 2])
  })
})
