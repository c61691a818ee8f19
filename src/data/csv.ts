/**
 * CSV tables: a header row naming the columns, then one sample per row. The
 * file is streamed through csv-parse, and each row is encoded as the shared
 * data schema says (numbers as they are, categories one-hot, the label as a
 * class index or a value).
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs'
import { pipeline } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import type { Info } from 'csv-parse'
import type { Dataset } from './dataset.ts'
import type { DataSchema } from './schema.ts'
import type { TaskName } from '../model/tasks.ts'
import { categoryIndex, checkHeader, featureLayout, inferSchema, parseNumber } from './schema.ts'
import { ConfigError, DataError, UserError } from '../errors.ts'

export interface CsvOptions {
  /** the label column; needed when there is no schema, else must match it */
  label?: string
  /** the swarm's shared schema; without it one is inferred from this file */
  schema?: DataSchema
  /** overrides the task inferred from the label (only without a schema) */
  task?: TaskName
  /** drop rows with a missing, unparsable or unknown value instead of failing */
  dropInvalidRows: boolean
  /** what an invalid row's message suggests beside fixing it (default: --drop-invalid-rows) */
  invalidRowFix?: string
  /** bytes read so far, of the file's size */
  progress?: (done: number, total: number) => void
  /** data to predict: the label column may be absent (labels are then NaN); needs a schema */
  unlabelled?: boolean
}

export interface CsvData {
  data: Dataset
  schema: DataSchema
  /** rows dropped for invalid values (only with dropInvalidRows) */
  dropped: number
  /** feature indices holding plain numbers, for normalization */
  numericFeatures: number[]
}

const CATEGORIES_SHOWN = 10

/** Encodes rows as the schema says, into growing feature and label lists. */
class RowEncoder {
  readonly features: number[] = []
  readonly labels: number[] = []
  dropped = 0
  private readonly schema: DataSchema
  private readonly file: string
  private readonly dropInvalidRows: boolean
  private readonly invalidRowFix: string
  /** for each schema column, where it is in the file's rows */
  private readonly fileIndex: number[]

  constructor (schema: DataSchema, header: string[], file: string, dropInvalidRows: boolean, invalidRowFix = ', or pass --drop-invalid-rows to drop such rows') {
    this.schema = schema
    this.file = file
    this.dropInvalidRows = dropInvalidRows
    this.invalidRowFix = invalidRowFix
    this.fileIndex = schema.columns.map(c => header.indexOf(c.name))
  }

  /** Adds one row, or drops it (dropInvalidRows) or throws when a value does not fit the schema. */
  add (row: string[], line: number): void {
    const encoded: number[] = []
    let label = 0
    for (const [i, column] of this.schema.columns.entries()) {
      if (this.fileIndex[i] < 0) {
        // only the label may be absent (unlabelled data to predict)
        label = NaN
        continue
      }
      const value = row[this.fileIndex[i]]
      const where = `${this.file}, line ${line}, column "${column.name}"`
      let problem: string | undefined
      if (value === '') {
        problem = `${where}: the value is missing; fill it in`
      } else if (column.type === 'number') {
        const number = parseNumber(value)
        if (number === undefined) problem = `${where}: "${value}" is not a number; fix the value`
        else if (column.name === this.schema.label) label = number
        else encoded.push(number)
      } else {
        const categories = column.categories ?? []
        const index = categoryIndex(categories, value)
        if (index < 0) {
          const shown = categories.slice(0, CATEGORIES_SHOWN).join(', ') + (categories.length > CATEGORIES_SHOWN ? ', …' : '')
          problem = `${where}: "${value}" is not one of the schema's categories (${shown}); fix the value or add it to the schema`
        } else if (column.name === this.schema.label) {
          label = index
        } else {
          for (let c = 0; c < categories.length; c++) encoded.push(c === index ? 1 : 0)
        }
      }
      if (problem !== undefined) {
        if (!this.dropInvalidRows) throw new DataError(`${problem}${this.invalidRowFix}`)
        this.dropped++
        return
      }
    }
    this.features.push(...encoded)
    this.labels.push(label)
  }
}

/** The header must hold exactly the schema's columns, in any order. */
function checkHeaderFitsSchema (header: string[], schema: DataSchema, file: string, unlabelled: boolean): void {
  const names = schema.columns.map(c => c.name)
  const missing = names.find(name => !header.includes(name) && !(unlabelled && name === schema.label))
  if (missing !== undefined) throw new DataError(`${file}: the schema's column "${missing}" is missing from the header; fix the file or the schema`)
  const extra = header.find(name => !names.includes(name))
  if (extra !== undefined) throw new DataError(`${file}: column "${extra}" is not in the schema; remove it from the file or add it to the schema`)
}

/**
 * A number column inferred from a file that holds a few values that are no
 * numbers (typos such as "12k"): a DataError naming them with their lines.
 */
function reportTypos (schema: DataSchema, header: string[], rows: string[][], lines: number[], file: string): void {
  for (const column of schema.columns) {
    if (column.type !== 'number') continue
    const at = header.indexOf(column.name)
    const typos = rows.flatMap((row, i) => (row[at] !== '' && parseNumber(row[at]) === undefined ? [`line ${lines[i]}: "${row[at]}"`] : []))
    if (typos.length === 0) continue
    const shown = typos.slice(0, 5).join(', ') + (typos.length > 5 ? `, and ${typos.length - 5} more` : '')
    throw new DataError(`${file}: column "${column.name}" holds numbers but for ${typos.length} value${typos.length === 1 ? '' : 's'} (${shown}); fix ${typos.length === 1 ? 'it' : 'them'}, or pass --drop-invalid-rows to drop such rows (if the column is a category, write a schema with swarm-node schema and set its type to "category")`)
  }
}

/** a number written with a decimal comma, such as 1,5 or -0,25 */
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/
/** bytes of a file's start read to tell its delimiter, and that it is text at all */
const SNIFF_BYTES = 64 * 1024

/**
 * The delimiter of a CSV file, from its header line: a comma, or a semicolon
 * or tab where the header holds one of those and no comma. A file that is no
 * text (a spreadsheet workbook, a zip archive, binary data) is a DataError
 * that says what to do.
 */
function sniffDelimiter (file: string): string {
  const head = Buffer.alloc(SNIFF_BYTES)
  let read = 0
  const fd = openSync(file, 'r')
  try {
    read = readSync(fd, head, 0, SNIFF_BYTES, 0)
  } finally {
    closeSync(fd)
  }
  const start = head.subarray(0, read)
  if (start.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) || start.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new DataError(`${file} is a spreadsheet workbook (.xlsx, .xls or .ods) or a zip archive, not a CSV text file: save the sheet as CSV (in Excel: File, Save As, "CSV UTF-8"; in LibreOffice: File, Save As, "Text CSV") and give that file as --data`)
  }
  if (start.includes(0)) throw new DataError(`${file} is not a text file (it holds binary data): --data needs a CSV file, a header row naming the columns, then one row per sample`)
  const header = start.toString('utf8').split(/\r?\n/)[0].replace(/"[^"]*"/g, '')
  if (header.includes(',')) return ','
  const semicolons = header.split(';').length - 1
  const tabs = header.split('\t').length - 1
  if (semicolons === 0 && tabs === 0) return ','
  return semicolons >= tabs ? ';' : '\t'
}

function fileSize (file: string): number {
  let stats
  try {
    stats = statSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DataError(`data file ${file} does not exist; check the --data path`)
    throw new DataError(`data file ${file} cannot be read (${(err as Error).message}); check the path and its permissions`)
  }
  if (stats.isDirectory()) throw new DataError(`${file} is a folder; --data must name a CSV file`)
  return stats.size
}

/** Loads a CSV file as a data set, with the given schema or one inferred from the file. */
export async function loadCsv (file: string, options: CsvOptions): Promise<CsvData> {
  const { label, schema: given, task, dropInvalidRows, invalidRowFix, progress } = options
  if (given === undefined && label === undefined) throw new ConfigError('a CSV file needs a label column: pass --label <column>, or --schema <file> to use the swarm\'s schema')
  if (given !== undefined && label !== undefined && label !== given.label) {
    throw new ConfigError(`--label ${label} does not match the schema's label "${given.label}"; leave --label out or pass --label ${given.label}`)
  }
  if (given !== undefined && task !== undefined && task !== given.task) {
    throw new ConfigError(`--task ${task} does not match the schema's task "${given.task}"; leave --task out or pass --task ${given.task}`)
  }
  const total = fileSize(file)
  const delimiter = sniffDelimiter(file)

  const input = createReadStream(file)
  let done = 0
  if (progress !== undefined) input.on('data', chunk => { done += chunk.length; progress(done, total) })
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, delimiter })
  // pipeline (unlike pipe) passes a read error on to the parser, so the loop below sees it
  pipeline(input, parser, () => {})

  let header: string[] | undefined
  let streaming: RowEncoder | undefined
  // without a schema, rows wait here until the whole file is seen and a schema inferred
  const pending: string[][] = []
  const pendingLines: number[] = []
  let rowCount = 0
  try {
    for await (const { record: raw, info } of parser as AsyncIterable<{ record: string[], info: Info }>) {
      // a semicolon-separated file (Excel's CSV where the decimal mark is a comma) writes 1,5 for 1.5
      const record = delimiter === ';' ? raw.map(value => (DECIMAL_COMMA.test(value) ? value.replace(',', '.') : value)) : raw
      // info.lines is where the record ends; a quoted value may span lines
      const line = info.lines - record.reduce((n, value) => n + value.split('\n').length - 1, 0)
      if (header === undefined) {
        header = record
        checkHeader(header, file)
        if (given !== undefined) {
          checkHeaderFitsSchema(header, given, file, options.unlabelled === true)
          streaming = new RowEncoder(given, header, file, dropInvalidRows, invalidRowFix)
        }
        continue
      }
      if (record.length !== header.length) {
        throw new DataError(`${file}, line ${line}: ${record.length} values but the header has ${header.length} columns; each row needs one value per column (look for a missing or extra comma, or a comma inside an unquoted value)`)
      }
      rowCount++
      if (streaming !== undefined) {
        streaming.add(record, line)
      } else {
        pending.push(record)
        pendingLines.push(line)
      }
    }
  } catch (err) {
    if (err instanceof UserError) throw err
    if (err instanceof CsvError) throw new DataError(`${file}, line ${String(err.lines)}: not valid CSV (${err.message}); fix the file`)
    throw new DataError(`data file ${file} cannot be read (${(err as Error).message}); check the path and its permissions`)
  } finally {
    input.destroy()
  }

  if (header === undefined) throw new DataError(`${file} is empty; a CSV file needs a header row naming the columns, then one row per sample`)
  if (rowCount === 0) throw new DataError(`${file} has a header but no data rows; add one row per sample`)
  const schema = given ?? inferSchema(header, pending, label as string, task, file)
  if (given === undefined && !dropInvalidRows) reportTypos(schema, header, pending, pendingLines, file)
  const encoder = streaming ?? new RowEncoder(schema, header, file, dropInvalidRows, invalidRowFix)
  pending.forEach((row, i) => encoder.add(row, pendingLines[i]))

  const count = encoder.labels.length
  if (count === 0) throw new DataError(`${file}: all ${encoder.dropped} data rows were invalid and dropped; fix the values, or use the file without --drop-invalid-rows to see the first problem`)
  const layout = featureLayout(schema)
  const labelColumn = schema.columns.find(c => c.name === schema.label)
  const data: Dataset = {
    features: Float32Array.from(encoder.features),
    labels: Float32Array.from(encoder.labels),
    count,
    sampleShape: [layout.size],
    labelKind: labelColumn?.type === 'category' ? 'class' : 'number',
    classNames: labelColumn?.categories ?? []
  }
  return { data, schema, dropped: encoder.dropped, numericFeatures: layout.numericFeatures }
}
