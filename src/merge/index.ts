import { fedAvg } from './fedavg.ts'
import type { MergeMethod } from './types.ts'

export type { Contribution, MergeMethod, MergeResult } from './types.ts'
export { fedAvg } from './fedavg.ts'

/** The merge methods a config may name. */
export const MERGE_METHODS: Record<string, MergeMethod> = {
  fedavg: fedAvg
}
