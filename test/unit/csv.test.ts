import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadCsv } from '../../src/data/csv.ts'
import type { CsvOptions } from '../../src/data/csv.ts'
import { featureLayout, inferSchema, readSchema, schemaJson } from '../../src/data/schema.ts'
import type { DataSchema } from '../../src/data/schema.ts'
import { ConfigError, DataError } from '../../src/errors.ts'
import { tempFolder } from '../helpers/temp.ts'

const COLORS: DataSchema = {
  format: 'swarm-data-schema',
  version: 1,
  label: 'kind',
  task: 'classification',
  columns: [
    { name: 'size', type: 'number' },
    { name: 'color', type: 'category', categories: ['blue', 'green', 'red'] },
    { name: 'kind', type: 'category', categories: ['a', 'b', 'c'] }
  ]
}

describe('CSV data and the data schema', () => {
  const folder = tempFolder('csv')
  after(() => folder.remove())
  let files = 0

  function csvFile (text: string): string {
    const file = join(folder.path, `data-${files++}.csv`)
    writeFileSync(file, text)
    return file
  }

  async function load (text: string, options: Partial<CsvOptions> = {}): ReturnType<typeof loadCsv> {
    return await loadCsv(csvFile(text), { dropInvalidRows: false, ...options })
  }

  async function rejects (text: string, options: Partial<CsvOptions>, kind: typeof DataError | typeof ConfigError, message: RegExp): Promise<void> {
    await assert.rejects(load(text, options), (err: unknown) => {
      assert.ok(err instanceof kind, `expected a ${kind.name}, got ${String(err)}`)
      assert.match(err.message, message)
      return true
    })
  }

  describe('schema inference', () => {
    it('makes numeric columns numbers and text columns sorted categories', () => {
      const schema = inferSchema(['n', 'word', 'y'], [['10', 'b', 'x'], ['-2.5', 'a', 'y'], ['', 'B', 'x']], 'y')
      assert.deepEqual(schema.columns, [
        { name: 'n', type: 'number' },
        { name: 'word', type: 'category', categories: ['B', 'a', 'b'] },
        { name: 'y', type: 'category', categories: ['x', 'y'] }
      ])
      assert.equal(schema.task, 'binary')
    })

    it('makes a text label with more than two values a classification', () => {
      assert.equal(inferSchema(['x', 'y'], [['1', 'cat'], ['2', 'dog'], ['3', 'eel']], 'y').task, 'classification')
    })

    it('takes a 0/1 label as binary classes and other numbers as regression', () => {
      const binary = inferSchema(['x', 'y'], [['1', '1'], ['2', '0.0'], ['3', '1']], 'y')
      assert.equal(binary.task, 'binary')
      assert.deepEqual(binary.columns[1], { name: 'y', type: 'category', categories: ['0', '1'] })
      const regression = inferSchema(['x', 'y'], [['1', '0.5'], ['2', '3'], ['3', '1']], 'y')
      assert.equal(regression.task, 'regression')
      assert.deepEqual(regression.columns[1], { name: 'y', type: 'number' })
    })

    it('takes a few whole-number labels for classes (iris\'s 0, 1, 2; a yes/no coded 1/2), many for a quantity', () => {
      const iris = inferSchema(['x', 'y'], [['1', '0'], ['2', '1'], ['3', '2'], ['4', '1']], 'y')
      assert.equal(iris.task, 'classification')
      assert.deepEqual(iris.columns[1].categories, ['0', '1', '2'])
      assert.equal(inferSchema(['x', 'y'], [['1', '1'], ['2', '2'], ['3', '2']], 'y').task, 'binary')
      const many = Array.from({ length: 30 }, (_, i) => [String(i), String(25 + 11 * i)])
      assert.equal(inferSchema(['x', 'y'], many, 'y').task, 'regression', 'the diabetes target (25 to 346) is a quantity')
      assert.equal(inferSchema(['x', 'y'], [['1', '0'], ['2', '1'], ['3', '2']], 'y', 'regression').task, 'regression', '--task regression overrides')
    })

    it('keeps a number column with a typo numeric and names the typo with its line, instead of making it a category', async () => {
      const rows = Array.from({ length: 40 }, (_, i) => `${i === 17 ? '12k' : String(1000 + i)},${i % 2}`)
      await rejects(`income,y\n${rows.join('\n')}\n`, { label: 'y' }, DataError, /column "income" holds numbers but for 1 value \(line 19: "12k"\); fix it, or pass --drop-invalid-rows/)
      const dropped = await load(`income,y\n${rows.join('\n')}\n`, { label: 'y', dropInvalidRows: true })
      assert.deepEqual(dropped.schema.columns[0], { name: 'income', type: 'number' })
      assert.equal(dropped.dropped, 1)
      // a column of words with some numbers among them is still a category
      const words = Array.from({ length: 40 }, (_, i) => `${i % 3 === 0 ? String(i) : 'w' + String(i % 4)},${i % 2}`)
      assert.equal((await load(`kind,y\n${words.join('\n')}\n`, { label: 'y' })).schema.columns[0].type, 'category')
    })

    it('lets an explicit task override the label, and says when it cannot', () => {
      const classes = inferSchema(['x', 'y'], [['1', '10'], ['2', '9'], ['3', '10'], ['4', '2']], 'y', 'classification')
      assert.deepEqual(classes.columns[1].categories, ['2', '9', '10'], 'numeric classes sort as numbers')
      assert.equal(inferSchema(['x', 'y'], [['1', '1'], ['2', '0']], 'y', 'regression').task, 'regression')
      assert.throws(() => inferSchema(['x', 'y'], [['1', 'a'], ['2', 'b'], ['3', 'c']], 'y', 'binary'), /binary needs exactly 2 label values.*has 3/)
      assert.throws(() => inferSchema(['x', 'y'], [['1', 'a'], ['2', 'b']], 'y', 'regression'), /regression needs a numeric label.*"a"/)
    })

    it('rejects an unknown label column, listing the columns, and a label with one value', () => {
      assert.throws(() => inferSchema(['a', 'b'], [['1', '2']], 'price', undefined, 'f.csv'),
        (err: unknown) => err instanceof DataError && /f\.csv: there is no column named "price"; the columns are a, b/.test(err.message))
      assert.throws(() => inferSchema(['a', 'b'], [['1', 'x'], ['2', 'x']], 'b'), /only one value \("x"\)/)
    })
  })

  describe('loading', () => {
    it('encodes numbers as they are, categories one-hot and the label as a class index', async () => {
      const { data, schema, numericFeatures, dropped } = await load('size , color,kind\n1.5,red,b\n\n-2, blue ,a\n', { schema: COLORS })
      assert.equal(schema, COLORS)
      assert.equal(dropped, 0)
      assert.equal(data.count, 2)
      assert.deepEqual(data.sampleShape, [4])
      assert.deepEqual([...data.features], [1.5, 0, 0, 1, -2, 1, 0, 0])
      assert.deepEqual([...data.labels], [1, 0])
      assert.equal(data.labelKind, 'class')
      assert.deepEqual(data.classNames, ['a', 'b', 'c'])
      assert.deepEqual(numericFeatures, [0])
    })

    it('reads columns by name, whatever their order in the file', async () => {
      const { data } = await load('kind,color,size\nc,green,7\n', { schema: COLORS })
      assert.deepEqual([...data.features], [7, 0, 1, 0])
      assert.deepEqual([...data.labels], [2])
    })

    it('infers the schema from the file when none is given, with numeric labels for regression', async () => {
      const { data, schema } = await load('rooms,town,price\n3,Bern,500.5\n2,Basel,300\n4,Bern,800\n', { label: 'price' })
      assert.equal(schema.task, 'regression')
      assert.deepEqual(featureLayout(schema), {
        columns: [{ name: 'rooms', start: 0, width: 1 }, { name: 'town', start: 1, width: 2 }],
        size: 3,
        numericFeatures: [0]
      })
      assert.deepEqual([...data.features], [3, 0, 1, 2, 1, 0, 4, 0, 1])
      assert.deepEqual([...data.labels], [500.5, 300, 800])
      assert.equal(data.labelKind, 'number')
      assert.deepEqual(data.classNames, [])
    })

    it('reports progress up to the file size', async () => {
      const text = 'x,y\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i % 2}`).join('\n')
      const calls: Array<[number, number]> = []
      await load(text, { label: 'y', progress: (done, total) => calls.push([done, total]) })
      assert.ok(calls.length > 0)
      assert.deepEqual(calls.at(-1), [Buffer.byteLength(text), Buffer.byteLength(text)])
    })

    it('names a missing or extra column and says what to fix', async () => {
      await rejects('size,kind\n1,a\n', { schema: COLORS }, DataError, /the schema's column "color" is missing from the header; fix the file or the schema/)
      await rejects('size,color,kind,weight\n1,red,a,3\n', { schema: COLORS }, DataError, /column "weight" is not in the schema; remove it from the file or add it to the schema/)
    })

    it('names the file, line, column and fix for a missing value', async () => {
      const text = 'size,color,kind\n1,red,a\n\n2,,b\n'
      await assert.rejects(load(text, { schema: COLORS }), (err: unknown) => {
        assert.ok(err instanceof DataError)
        assert.match(err.message, /data-\d+\.csv, line 4, column "color": the value is missing/)
        assert.match(err.message, /--drop-invalid-rows/)
        return true
      })
    })

    it('reads semicolon- and tab-separated files (decimal commas with semicolons), and names a workbook or binary file', async () => {
      const semicolons = await load('size;color;kind\n1,5;red;a\n-2,25;blue;b\n', { schema: COLORS })
      assert.deepEqual(Array.from(semicolons.data.features.subarray(0, 4)), [1.5, 0, 0, 1], 'the first row: 1,5 read as 1.5, red one-hot')
      assert.equal(semicolons.data.features[4], -2.25)
      const tabs = await load('size\tcolor\tkind\n3\tgreen\tc\n', { schema: COLORS })
      assert.deepEqual(Array.from(tabs.data.features), [3, 0, 1, 0])
      const commas = await load('size,color,kind\n"1;2",red,a\n3,blue,b\n', { label: 'kind' })
      assert.equal(commas.schema.columns.length, 3, 'a comma file stays a comma file')
      await rejects(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]).toString('latin1'), { label: 'kind' }, DataError, /is a spreadsheet workbook \(\.xlsx, \.xls or \.ods\) or a zip archive, not a CSV text file: save the sheet as CSV/)
      await rejects('size,color\u0000\u0001', { label: 'kind' }, DataError, /is not a text file \(it holds binary data\)/)
    })

    it('suggests --drop-invalid-rows only where it exists: predict and evaluate name their own fix', async () => {
      const fix = '; predict writes one prediction for every row of the file, so each must be valid'
      await assert.rejects(load('size,color,kind\n1,,a\n', { schema: COLORS, invalidRowFix: fix }), (err: unknown) => {
        assert.ok(err instanceof DataError)
        assert.match(err.message, /column "color": the value is missing; fill it in; predict writes one prediction for every row/)
        assert.doesNotMatch(err.message, /--drop-invalid-rows/)
        return true
      })
    })

    it('names an unknown category and a value that is not a number', async () => {
      await rejects('size,color,kind\n1,purple,a\n', { schema: COLORS }, DataError, /line 2, column "color": "purple" is not one of the schema's categories \(blue, green, red\)/)
      await rejects('size,color,kind\n1,red,a\n1,5,red,b\n', { schema: COLORS }, DataError, /line 3: 4 values but the header has 3 columns/)
      await rejects('size,color,kind\nbig,red,a\n', { schema: COLORS }, DataError, /line 2, column "size": "big" is not a number/)
    })

    it('drops invalid rows and counts them when asked', async () => {
      const text = 'size,color,kind\n1,red,a\n2,,b\nx,red,a\n3,pink,c\n4,green,z\n5,blue,c\n'
      const { data, dropped } = await load(text, { schema: COLORS, dropInvalidRows: true })
      assert.equal(dropped, 4)
      assert.equal(data.count, 2)
      assert.deepEqual([...data.labels], [0, 2])
      await rejects('size,color,kind\n2,,b\n', { schema: COLORS, dropInvalidRows: true }, DataError, /all 1 data rows were invalid and dropped/)
    })

    it('rejects empty files, missing files, folders and unbalanced quotes', async () => {
      await rejects('', { label: 'y' }, DataError, /is empty; a CSV file needs a header row/)
      await rejects('x,y\n', { label: 'y' }, DataError, /has a header but no data rows/)
      await rejects('x,y\n1,"2\n', { label: 'y' }, DataError, /data-\d+\.csv, line \d+: not valid CSV/)
      await assert.rejects(loadCsv(join(folder.path, 'nope.csv'), { label: 'y', dropInvalidRows: false }), /nope\.csv does not exist/)
      await assert.rejects(loadCsv(folder.path, { label: 'y', dropInvalidRows: false }), /is a folder; --data must name a CSV file/)
    })

    it('asks for a label or a schema, and a label that matches the schema', async () => {
      await rejects('x,y\n1,2\n', {}, ConfigError, /pass --label <column>, or --schema <file>/)
      await rejects('x,y\n1,2\n', { schema: COLORS, label: 'y' }, ConfigError, /--label y does not match the schema's label "kind"/)
    })
  })

  describe('schema files', () => {
    function schemaFile (content: unknown): string {
      const file = join(folder.path, `schema-${files++}.json`)
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
      return file
    }

    it('read back equal to what was written, byte for byte', () => {
      const inferred = inferSchema(['b', 'a', 'y'], [['x', '1', '0'], ['w', '2', '1']], 'y')
      const file = schemaFile(schemaJson(inferred))
      const read = readSchema(file)
      assert.deepEqual(read, inferred)
      assert.equal(schemaJson(read), schemaJson(inferred))
      const reordered = JSON.parse(schemaJson(inferred)) as DataSchema
      assert.equal(schemaJson({ columns: reordered.columns, task: reordered.task, label: 'y', version: 1, format: 'swarm-data-schema' }), schemaJson(inferred))
    })

    it('reject bad files with the problem and the fix', () => {
      const bad = (content: unknown, message: RegExp): void => {
        assert.throws(() => readSchema(schemaFile(content)), (err: unknown) => err instanceof DataError && message.test(err.message))
      }
      const without = (changes: Partial<DataSchema>): unknown => ({ ...COLORS, ...changes })
      assert.throws(() => readSchema(join(folder.path, 'none.json')), /does not exist; check the --schema path/)
      const dir = join(folder.path, 'a-folder')
      mkdirSync(dir)
      assert.throws(() => readSchema(dir), /is a folder/)
      bad('{ nope', /not valid JSON/)
      bad({ format: 'something-else' }, /not a swarm data schema/)
      bad(without({ version: 2 as 1 }), /version 2 is not supported/)
      bad(without({ label: 'price' }), /the label "price" is not among the columns \(size, color, kind\)/)
      bad(without({ task: 'ranking' as 'binary' }), /"task" is "ranking"; it must be one of classification, binary, regression/)
      bad(without({ task: 'regression' }), /task regression needs a number label column/)
      bad(without({ task: 'binary' }), /task binary needs exactly 2 label categories, but "kind" has 3/)
      bad(without({ columns: [{ name: 'size', type: 'number' }, { name: 'kind', type: 'category' }] }), /category column "kind" needs "categories"/)
      bad(without({ columns: [{ name: 'size', type: 'number' }, { name: 'kind', type: 'category', categories: ['a', 'b', 'a'] }] }), /lists "a" twice/)
      bad(without({ columns: [{ name: 'size', type: 'number' }, { name: 'size', type: 'number' }, COLORS.columns[2]] }), /column "size" appears twice/)
      bad(without({ columns: [COLORS.columns[2]] }), /no feature column/)
    })
  })
})
