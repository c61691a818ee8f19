/**
 * The data sources a peer can learn from, behind one interface: each turns
 * `--data <path>` into a Dataset. The shell asks the registry; it never
 * switches on formats itself. A new source is one entry here.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import type { Dataset } from './dataset.ts'
import type { DataSchema } from './schema.ts'
import type { ImageSize } from './images.ts'
import type { TaskName } from '../model/tasks.ts'
import { loadBuiltinMnist } from './mnist-builtin.ts'
import { IDX_FILES, loadIdxFolder } from './idx.ts'
import { loadCsv } from './csv.ts'
import { loadImageFolder } from './images.ts'
import { readSchema } from './schema.ts'
import { ConfigError } from '../errors.ts'

export interface SourceOptions {
  label?: string
  /** a data schema file shared by the sites */
  schema?: string
  task?: TaskName
  dropInvalidRows: boolean
  imageSize?: ImageSize
  channels: 1 | 3
  skipBadImages: boolean
  /** loading progress, for a terminal */
  progress?: (done: number, total: number) => void
}

export interface LoadedData {
  pool: Dataset
  /** the test set a source brings with it (the built-in digits, IDX folders) */
  test?: Dataset
  /** a table's schema */
  schema?: DataSchema
  /** the features standardization applies to (a table's numeric columns) */
  numericFeatures: number[]
  /** what the operator should know: rows dropped, images skipped */
  notes: string[]
}

export interface DataSource {
  /** what --data is for this source, in words */
  what: string
  /** true when `path` looks like this source's input */
  detect: (path: string) => boolean
  /** loads `path`; `like` is the training data when this is its test data, which must be encoded the same way */
  load: (path: string, options: SourceOptions, like?: LoadedData) => Promise<LoadedData>
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory()

/** Formats in the order `auto` tries them: an IDX folder is also a folder. */
export type DataFormat = 'idx' | 'images' | 'csv'

export const DATA_SOURCES: Record<DataFormat, DataSource> = {
  idx: {
    what: 'a folder of MNIST IDX files',
    detect: path => isDirectory(path) && readdirSync(path).some(f => f.startsWith(IDX_FILES.trainImages)),
    load: async path => ({ ...loadIdxFolder(path), numericFeatures: [], notes: [] })
  },
  images: {
    what: 'a folder of class subfolders of images',
    detect: path => isDirectory(path),
    load: async (path, options, like) => {
      const size = like === undefined ? options.imageSize : { width: like.pool.sampleShape[1], height: like.pool.sampleShape[0] }
      const { data, skipped } = await loadImageFolder(path, { size, channels: options.channels, skipBadImages: options.skipBadImages, classNames: like?.pool.classNames, progress: options.progress })
      const notes = skipped.length === 0 ? [] : [`skipped ${skipped.length} unreadable image${skipped.length === 1 ? '' : 's'} in ${path} (--skip-bad-images), first ${skipped[0].file}: ${skipped[0].problem}`]
      return { pool: data, numericFeatures: [], notes }
    }
  },
  csv: {
    what: 'a CSV file',
    detect: path => existsSync(path) && statSync(path).isFile(),
    load: async (path, options, like) => {
      const schema = like?.schema ?? (options.schema === undefined ? undefined : readSchema(options.schema))
      if (options.task !== undefined && schema !== undefined && options.task !== schema.task) {
        throw new ConfigError(`--task ${options.task} differs from the schema's task "${schema.task}": drop --task or change the schema`)
      }
      const loaded = await loadCsv(path, { label: options.label, schema, task: options.task, dropInvalidRows: options.dropInvalidRows, progress: options.progress })
      const notes = loaded.dropped === 0 ? [] : [`dropped ${loaded.dropped} invalid row${loaded.dropped === 1 ? '' : 's'} of ${path} (--drop-invalid-rows)`]
      return { pool: loaded.data, schema: loaded.schema, numericFeatures: loaded.numericFeatures, notes }
    }
  }
}

export const DATA_FORMATS = Object.keys(DATA_SOURCES) as DataFormat[]

/** The format of `path`: the one named by --data-format, else the first source whose detect() takes it. */
export function detectFormat (path: string, format: DataFormat | 'auto'): DataFormat {
  if (format !== 'auto') return format
  const kinds = DATA_FORMATS.map(name => DATA_SOURCES[name].what).join(', or ')
  if (!existsSync(path)) throw new ConfigError(`--data ${path} does not exist: give ${kinds}`)
  const found = DATA_FORMATS.find(name => DATA_SOURCES[name].detect(path))
  if (found === undefined) throw new ConfigError(`--data ${path} is neither a file nor a folder: give ${kinds}, or name the format with --data-format`)
  return found
}

/** The built-in MNIST digits: what a peer learns from without --data. */
export function builtinDigits (): LoadedData {
  return { ...loadBuiltinMnist(), numericFeatures: [], notes: [] }
}

