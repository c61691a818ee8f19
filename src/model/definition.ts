/**
 * A swarm's definition: what every peer must share besides the genesis
 * weights for their models to mean the same thing (the architecture, the
 * task, the shape of a sample, the class names, a table's schema and how it
 * is standardized). It travels with every global model and is part of every
 * model hash, so a peer of another definition is told at join what differs,
 * and its models and updates never mix with the swarm's.
 */
import type { DataSchema } from '../data/schema.ts'
import type { TaskName } from './tasks.ts'

export interface SwarmDefinition {
  model: string
  task: TaskName
  sampleShape: number[]
  classNames: string[]
  normalize: string
  schema: DataSchema | null
  /** the merge strategy and its settings: every holder of a round's updates must compute the same merge */
  merge: string
  /** secure aggregation and differential privacy, with their settings: every peer must mask and add noise alike */
  privacy: string
  /** how many colluders a merge is verified against (--colluders): every peer must pick the same holders */
  colluders: number
}

/** how each part of a definition is named to the operator, with the settings that set it */
const PARTS: Record<keyof SwarmDefinition, string> = {
  model: 'model (--model, --hidden)',
  task: 'task (--task, or the schema)',
  sampleShape: 'sample shape (the data\'s columns, or --image-size and --channels)',
  classNames: 'class names (the label\'s categories, or the image class folders)',
  normalize: 'normalization (--normalize)',
  schema: 'data schema (--schema, or the one inferred from --data and --label)',
  merge: 'merge strategy (--merge and its settings)',
  privacy: 'privacy (--secure-aggregation, --dp and their settings)',
  colluders: 'colluders a merge is verified against (--colluders)'
}

/** The canonical text of a definition: JSON with a fixed key order. */
export function definitionText (definition: SwarmDefinition): string {
  const { model, task, sampleShape, classNames, normalize, schema, merge, privacy, colluders } = definition
  return JSON.stringify({ model, task, sampleShape, classNames, normalize, schema, merge, privacy, colluders })
}

/** What differs between this peer's definition and another's, in words; both are definition texts. */
export function definitionDifference (ours: string, theirs: string): string {
  let a: Record<string, unknown>
  let b: Record<string, unknown>
  try {
    a = JSON.parse(ours) as Record<string, unknown>
    b = JSON.parse(theirs) as Record<string, unknown>
  } catch {
    return 'the model comes with a definition this peer cannot read'
  }
  const differing = (Object.keys(PARTS) as Array<keyof SwarmDefinition>).filter(key => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
  if (differing.length === 0) return 'the model comes with a definition of another form'
  return differing.map(key => `${PARTS[key]}: ${brief(b[key])} in the swarm, ${brief(a[key])} here`).join('; ')
}

function brief (value: unknown): string {
  const text = JSON.stringify(value) ?? 'none'
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}
