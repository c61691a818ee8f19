import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { settingsHelp } from '../../src/settings/parse.ts'
import { SETTINGS } from '../../src/settings/table.ts'

/** A setting's default as config/default.json writes it; undefined when the setting is unset by default. */
function fileValue (s: typeof SETTINGS[number]): unknown {
  return s.default === undefined ? undefined : (s.defaultText ?? s.default)
}

describe('the settings table is the one truth about settings', () => {
  it('config/default.json holds every default, and nothing else', () => {
    const file = JSON.parse(readFileSync('config/default.json', 'utf8')) as Record<string, unknown>
    const expected = Object.fromEntries(SETTINGS.filter(s => fileValue(s) !== undefined).map(s => [s.key, fileValue(s)]))
    assert.deepEqual(file, expected, 'update config/default.json from src/settings/table.ts')
  })

  it('docs/CONFIG.md has one row per setting with its flag and default, and no other', () => {
    const doc = readFileSync('docs/CONFIG.md', 'utf8')
    const rows = doc.split('\n').filter(line => /^\| `[a-zA-Z0-9]+` \|/.test(line)).map(line => line.split(' | ').map(cell => cell.replace(/^\| /, '')))
    assert.deepEqual(rows.map(r => r[0]), SETTINGS.map(s => `\`${s.key}\``), 'the rows of docs/CONFIG.md, in the order of the table')
    for (const [i, s] of SETTINGS.entries()) {
      const [, flag, shown] = rows[i]
      assert.ok(flag.startsWith(`\`--${s.flag}`), `${s.key}: flag ${flag}, expected --${s.flag}`)
      const value = fileValue(s)
      assert.equal(shown, value === undefined ? 'unset' : `\`${JSON.stringify(value)}\``, `${s.key}: default`)
    }
  })

  it('swarm-node start --help lists every flag', () => {
    const help = settingsHelp()
    for (const s of SETTINGS) assert.match(help, new RegExp(`^  --${s.flag}\\b`, 'm'), `--${s.flag}`)
  })
})
