/**
 * Reads a TensorFlow.js LayersModel from disk with plain @tensorflow/tfjs:
 * model.json (as tensorflowjs_converter writes it from Keras, or model.save
 * in tfjs) and the weight files its manifest names. tfjs's own file://
 * loader needs the native tfjs-node; this needs nothing but the file system.
 */
import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import type { Tfjs } from './backend.ts'
import { UserError } from '../errors.ts'

interface ModelJson {
  modelTopology?: unknown
  weightsManifest?: Array<{ paths: string[], weights: TF.io.WeightsManifestEntry[] }>
  format?: string
  generatedBy?: string
  convertedBy?: string | null
}

/** The model's topology and weights as tfjs's loaders take them; errors name the file and the fix. */
export function readLayersModelArtifacts (file: string): TF.io.ModelArtifacts {
  const path = statSafe(file)?.isDirectory() === true ? join(file, 'model.json') : file
  let json: ModelJson
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson
  } catch (err) {
    const problem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read as JSON (${(err as Error).message})`
    throw new UserError(`model file ${path} ${problem}: --model needs mlp, cnn or the path of a TensorFlow.js model.json`)
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new UserError(`${path} has no modelTopology: it is not a TensorFlow.js LayersModel file (convert a Keras model with tensorflowjs_converter --output_format tfjs_layers_model)`)
  }
  const weightSpecs: TF.io.WeightsManifestEntry[] = []
  const parts: Buffer[] = []
  for (const group of json.weightsManifest ?? []) {
    for (const part of group.paths) {
      const partFile = join(dirname(path), part)
      try {
        parts.push(readFileSync(partFile))
      } catch {
        throw new UserError(`${path} names the weight file ${part}, which cannot be read at ${partFile}: keep the weight files next to model.json`)
      }
    }
    weightSpecs.push(...group.weights)
  }
  const weightData = new Uint8Array(Buffer.concat(parts)).buffer
  return { modelTopology: json.modelTopology as TF.io.ModelArtifacts['modelTopology'], weightSpecs, weightData, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy ?? undefined }
}

/** Builds the LayersModel in `file`, with its weights when it has them. */
export async function loadLayersModelFile (tf: Tfjs, file: string): Promise<TF.LayersModel> {
  const artifacts = readLayersModelArtifacts(file)
  try {
    return await tf.loadLayersModel({ load: async () => artifacts })
  } catch (err) {
    throw new UserError(`${file} cannot be built as a TensorFlow.js LayersModel: ${(err as Error).message}`)
  }
}

function statSafe (file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file)
  } catch {
    return undefined
  }
}
