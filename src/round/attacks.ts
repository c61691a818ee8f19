/**
 * Attack simulation: a peer told to misbehave (--attack), so operators can
 * test their swarm's defences the way fault injection tests its failover.
 * Pure functions on updates and merged models; the peer shell applies them
 * and says loudly that it does.
 */
import type { Dataset } from '../data/dataset.ts'
import type { Weights } from '../model/weights.ts'
import { normal, seededRandom } from '../data/random.ts'
import { l2Norm } from './validation.ts'

export const ATTACKS = ['none', 'sign-flip', 'noise', 'label-flip', 'scale', 'lie-as-leader'] as const
export type AttackName = typeof ATTACKS[number]

export const ATTACK_DESCRIPTIONS: Record<Exclude<AttackName, 'none'>, string> = {
  'sign-flip': 'sends its change negated and scaled by --attack-scale',
  noise: 'sends Gaussian noise --attack-scale times the norm of its honest change instead of it',
  'label-flip': 'trains on permuted labels (class c learns as class n − 1 − c)',
  scale: 'sends its change scaled by --attack-scale (model replacement)',
  'lie-as-leader': 'publishes another model than the one it merged when it leads a round'
}

/** The change an attacking peer sends instead of its honest one; `seed` makes the noise repeatable. */
export function attackedChange (attack: AttackName, change: Weights, scale: number, seed: number): Weights {
  switch (attack) {
    case 'sign-flip':
      return change.map(t => ({ shape: [...t.shape], values: t.values.map(v => -scale * v) }))
    case 'scale':
      return change.map(t => ({ shape: [...t.shape], values: t.values.map(v => scale * v) }))
    case 'noise': {
      const random = seededRandom(seed)
      const noise = change.map(t => ({ shape: [...t.shape], values: t.values.map(() => normal(random)) }))
      const factor = scale * l2Norm(change) / Math.max(l2Norm(noise), 1e-12)
      return noise.map(t => ({ shape: t.shape, values: t.values.map(v => v * factor) }))
    }
    default:
      return change
  }
}

/** The model a lying leader publishes instead of its merge: the round's step reversed. */
export function liedModel (merged: Weights, base: Weights): Weights {
  return merged.map((t, i) => ({ shape: [...t.shape], values: t.values.map((v, k) => 2 * base[i].values[k] - v) }))
}

/** The training data with every class label c replaced by n − 1 − c. */
export function flippedLabels (data: Dataset): Dataset {
  const last = data.classNames.length - 1
  return { ...data, labels: data.labels.map(label => last - label) }
}
