/**
 * The data schema: which columns a table has, which one is the label, and how
 * each is encoded. Every site of a swarm shares it, like the model file, so
 * that their feature vectors line up and their class indices mean the same.
 */
import { readFileSync, statSync } from 'node:fs'
import type { TaskName } from '../model/tasks.ts'
import { TASK_NAMES } from '../model/tasks.ts'
import { ConfigError, DataError } from '../errors.ts'

/** `categories` is present exactly for 'category' columns. */
export interface ColumnSchema { name: string, type: 'number' | 'category', categories?: string[] }

export interface DataSchema {
  format: 'swarm-data-schema'
  version: 1
  label: string
  task: TaskName
  /** in file order, the label column included */
  columns: ColumnSchema[]
}

/** Where each non-label column lands in the encoded feature vector. */
export interface FeatureLayout {
  columns: Array<{ name: string, start: number, width: number }>
  size: number
  /** indices of the features holding a plain number (the ones to normalize) */
  numericFeatures: number[]
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/**
 * A plain decimal number, or undefined. Stricter than Number(), which would
 * also take '0x1f', 'Infinity' and whitespace as numbers.
 */
export function parseNumber (value: string): number | undefined {
  if (!DECIMAL.test(value)) return undefined
  const number = Number(value)
  return Number.isFinite(number) ? number : undefined
}

/**
 * The category a value stands for: itself, or for a number its canonical
 * spelling, so that '1.0' and '1' in a file both find the category '1'.
 */
export function categoryIndex (categories: readonly string[], value: string): number {
  const exact = categories.indexOf(value)
  if (exact >= 0) return exact
  const number = parseNumber(value)
  return number === undefined ? -1 : categories.indexOf(String(number))
}

/** A name that occurs twice in `names`, if any. */
function firstDuplicate (names: readonly string[]): string | undefined {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) return name
    seen.add(name)
  }
  return undefined
}

function prefix (file: string | undefined): string {
  return file === undefined ? '' : `${file}: `
}

/** Rejects a header with an unnamed or repeated column. */
export function checkHeader (header: readonly string[], file?: string): void {
  const unnamed = header.indexOf('')
  if (unnamed >= 0) throw new DataError(`${prefix(file)}column ${unnamed + 1} of the header has no name; give every column a name in the first row`)
  const twice = firstDuplicate(header)
  if (twice !== undefined) throw new DataError(`${prefix(file)}column "${twice}" appears twice in the header; give each column a unique name`)
}

/** Distinct values, sorted numerically when all are numbers, else by plain string order. */
function distinctSorted (values: Iterable<string>): { values: string[], numeric: boolean } {
  const distinct = [...new Set(values)]
  const numbers = distinct.map(parseNumber)
  if (numbers.every(n => n !== undefined)) {
    // canonical spelling, so '1' and '1.0' are one category
    const sorted = [...new Set(numbers as number[])].sort((a, b) => a - b)
    return { values: sorted.map(String), numeric: true }
  }
  return { values: distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), numeric: false }
}

function inferLabel (name: string, values: string[], numeric: boolean, task: TaskName | undefined, where: string): { column: ColumnSchema, task: TaskName } {
  if (values.length < 2) {
    const only = values.length === 0 ? 'no values' : `only one value ("${values[0]}")`
    throw new DataError(`${where}label column "${name}" has ${only}; a model needs at least two classes or values to learn from. Check --label and the file`)
  }
  if (task === undefined) {
    // a few whole numbers (iris's 0, 1, 2; a yes/no coded 1/2) are classes, not quantities
    const classes = !numeric || (values.length <= MAX_INTEGER_CLASSES && values.every(v => Number.isInteger(Number(v))))
    task = classes ? (values.length === 2 ? 'binary' : 'classification') : 'regression'
  }
  if (task === 'regression') {
    if (!numeric) throw new ConfigError(`${where}--task regression needs a numeric label, but column "${name}" holds text such as "${values.find(v => parseNumber(v) === undefined)}"; pass --task classification or pick another --label`)
    return { column: { name, type: 'number' }, task }
  }
  if (task === 'binary' && values.length !== 2) {
    throw new ConfigError(`${where}--task binary needs exactly 2 label values, but column "${name}" has ${values.length}; pass --task classification`)
  }
  return { column: { name, type: 'category', categories: values }, task }
}

/** a numeric label of at most this many distinct whole numbers is taken for classes (--task regression overrides) */
export const MAX_INTEGER_CLASSES = 10
/** a feature column is numeric when at most this share of its values are not numbers (typos such as "12k", reported) */
export const MOSTLY_NUMERIC = 0.05

/** Whether the values of a feature column are numbers, but for a few typos: at least 20 values, at most 5 % of them not numbers. */
function mostlyNumbers (values: string[]): boolean {
  if (values.length < 20) return false
  const others = values.filter(v => parseNumber(v) === undefined).length
  return others <= MOSTLY_NUMERIC * values.length
}

/**
 * Infers a schema from a table's header and rows (values as text, trimmed).
 * Empty values are ignored. `task` overrides what the label's values suggest.
 */
export function inferSchema (header: string[], rows: string[][], label: string, task?: TaskName, file?: string): DataSchema {
  const where = prefix(file)
  checkHeader(header, file)
  if (!header.includes(label)) throw new DataError(`${where}there is no column named "${label}"; the columns are ${header.join(', ')}. Pass one of them as --label`)
  if (header.length < 2) throw new DataError(`${where}the only column is the label "${label}"; a model needs at least one feature column`)
  let labelTask: TaskName = 'classification'
  const columns = header.map((name, i): ColumnSchema => {
    const present = rows.map(row => row[i]).filter(value => value !== '')
    const { values, numeric } = distinctSorted(present)
    if (name === label) {
      const inferred = inferLabel(name, values, numeric, task, where)
      labelTask = inferred.task
      return inferred.column
    }
    // a number column with a few typos stays a number column; loading names the typos with their lines
    return numeric || mostlyNumbers(present) ? { name, type: 'number' } : { name, type: 'category', categories: values }
  })
  return { format: 'swarm-data-schema', version: 1, label, task: labelTask, columns }
}

/** Canonical text of a schema: fixed key order and layout, so equal schemas give equal bytes. */
export function schemaJson (schema: DataSchema): string {
  const canonical = {
    format: schema.format,
    version: schema.version,
    label: schema.label,
    task: schema.task,
    columns: schema.columns.map(c => (c.type === 'category' ? { name: c.name, type: c.type, categories: c.categories } : { name: c.name, type: c.type }))
  }
  return JSON.stringify(canonical, null, 2) + '\n'
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStringArray (value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string')
}

function readColumn (value: unknown, i: number, bad: (problem: string) => DataError): ColumnSchema {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') throw bad(`column ${i + 1} needs a "name" (a non-empty string)`)
  const name = value.name
  if (value.type === 'number') {
    if (value.categories !== undefined) throw bad(`column "${name}" is a number column but lists "categories"; remove them or make it "type": "category"`)
    return { name, type: 'number' }
  }
  if (value.type !== 'category') throw bad(`column "${name}" has type ${JSON.stringify(value.type)}; it must be "number" or "category"`)
  if (!isStringArray(value.categories) || value.categories.length === 0) throw bad(`category column "${name}" needs "categories", a non-empty list of strings`)
  const twice = firstDuplicate(value.categories)
  if (twice !== undefined) throw bad(`category column "${name}" lists "${twice}" twice; each category must appear once`)
  return { name, type: 'category', categories: [...value.categories] }
}

/** Reads and validates a schema file (as written with schemaJson). */
export function readSchema (file: string): DataSchema {
  const bad = (problem: string): DataError => new DataError(`schema file ${file}: ${problem}; fix the schema file, or copy the swarm's schema file again`)
  let text: string
  try {
    if (statSync(file).isDirectory()) throw new DataError(`schema file ${file} is a folder; --schema must name a schema JSON file`)
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if (err instanceof DataError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new DataError(`schema file ${file} does not exist; check the --schema path, or leave --schema out to infer a schema from the data`)
    throw new DataError(`schema file ${file} cannot be read (${(err as Error).message}); check the path and its permissions`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message})`)
  }
  if (!isRecord(json) || json.format !== 'swarm-data-schema') throw bad('not a swarm data schema: it needs "format": "swarm-data-schema"')
  if (json.version !== 1) throw bad(`version ${JSON.stringify(json.version)} is not supported; this peer reads version 1`)
  if (!TASK_NAMES.includes(json.task as TaskName)) throw bad(`"task" is ${JSON.stringify(json.task)}; it must be one of ${TASK_NAMES.join(', ')}`)
  const task = json.task as TaskName
  if (!Array.isArray(json.columns) || json.columns.length === 0) throw bad('"columns" must be a non-empty list of columns')
  const columns = json.columns.map((column, i) => readColumn(column, i, bad))
  const twice = firstDuplicate(columns.map(c => c.name))
  if (twice !== undefined) throw bad(`column "${twice}" appears twice`)
  if (typeof json.label !== 'string') throw bad('"label" must name the label column')
  const label = json.label
  const labelColumn = columns.find(c => c.name === label)
  if (labelColumn === undefined) throw bad(`the label "${label}" is not among the columns (${columns.map(c => c.name).join(', ')})`)
  if (columns.length < 2) throw bad('there is no feature column besides the label')
  const classes = labelColumn.categories?.length ?? 0
  if (task === 'regression' && labelColumn.type !== 'number') throw bad(`task regression needs a number label column, but "${label}" is a category column`)
  if (task !== 'regression' && labelColumn.type !== 'category') throw bad(`task ${task} needs a category label column, but "${label}" is a number column`)
  if (task === 'binary' && classes !== 2) throw bad(`task binary needs exactly 2 label categories, but "${label}" has ${classes}`)
  if (task === 'classification' && classes < 2) throw bad(`task classification needs at least 2 label categories, but "${label}" has ${classes}`)
  return { format: 'swarm-data-schema', version: 1, label, task, columns }
}

/** The layout of the encoded feature vector: non-label columns in order, numbers as one value, categories one-hot. */
export function featureLayout (schema: DataSchema): FeatureLayout {
  const columns: FeatureLayout['columns'] = []
  const numericFeatures: number[] = []
  let size = 0
  for (const column of schema.columns) {
    if (column.name === schema.label) continue
    const width = column.type === 'number' ? 1 : (column.categories ?? []).length
    if (column.type === 'number') numericFeatures.push(size)
    columns.push({ name: column.name, start: size, width })
    size += width
  }
  return { columns, size, numericFeatures }
}
