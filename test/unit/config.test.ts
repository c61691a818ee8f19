import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, parseStartArgs } from '../../src/settings/parse.ts'
import { ConfigError } from '../../src/errors.ts'

function rejects (args: string[], message: RegExp): void {
  assert.throws(() => parseStartArgs(args), (err: unknown) => err instanceof ConfigError && message.test(err.message))
}

describe('config validation', () => {
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'swarm-config-')) })
  after(() => { rmSync(dir, { recursive: true, force: true }) })

  it('uses the documented defaults when no flag is given', () => {
    assert.deepEqual(parseStartArgs([]), DEFAULTS)
  })

  it('lets flags override the config file', () => {
    const file = join(dir, 'ok.json')
    writeFileSync(file, JSON.stringify({ rounds: 5, epochs: 3, partition: '2/4' }))
    const config = parseStartArgs(['--config', file, '--rounds', '7'])
    assert.equal(config.rounds, 7)
    assert.equal(config.epochs, 3)
    assert.deepEqual(config.partition, { index: 2, count: 4 })
  })

  it('turns fault injection on only when asked, and names a bad value in a file', () => {
    assert.equal(parseStartArgs([]).faultInjection, false)
    assert.equal(parseStartArgs(['--fault-injection']).faultInjection, true)
    const file = join(dir, 'faults.json')
    writeFileSync(file, JSON.stringify({ faultInjection: 'yes' }))
    rejects(['--config', file], /faultInjection.*must be true or false, got "yes"/)
  })

  it('quotes a number that is none, gives a negative number its setting\'s own message, and names a flag left without its value', () => {
    rejects(['--rounds', 'abc'], /setting rounds \(from flags\): must be a whole number >= 1, got "abc"$/)
    rejects(['--learning-rate', '-0.1'], /setting learningRate .*must be a number > 0, got -0.1$/)
    rejects(['--dp-epsilon', '-1'], /setting dpEpsilon .*must be a number > 0, got -1$/)
    rejects(['--peer', '--rounds', '3'], /^flag --peer needs a value \(<multiaddr>\), but --rounds follows it/)
    rejects(['--rounds'], /^flag --rounds needs a value \(<n>\)\. Run swarm-node start --help/)
    assert.equal(parseStartArgs(['--learning-rate', '0.5', '--rounds', '4']).rounds, 4)
  })

  it('names a bad partition and the form it needs', () => {
    rejects(['--partition', '5/4'], /partition.*1 <= i <= n/)
    rejects(['--partition', 'two'], /partition.*must look like i\/n/)
  })

  it('names a bad number and the range it needs', () => {
    rejects(['--rounds', '0'], /rounds.*whole number >= 1/)
    rejects(['--epochs', 'many'], /epochs.*whole number/)
    rejects(['--alpha=-1'], /alpha.*number > 0/)
    rejects(['--min-peers', '1.5'], /minPeers.*whole number/)
  })

  it('names a bad split, merge method and hidden layers', () => {
    rejects(['--split', 'random'], /split.*"iid" or "dirichlet"/)
    rejects(['--merge', 'magic'], /unknown merge strategy "magic"; available: fedavg, fedprox/)
    rejects(['--hidden', '200,x'], /hiddenLayers.*positive layer widths/)
  })

  it('names a bad multiaddr and shows a good one', () => {
    rejects(['--peer', '127.0.0.1:4001'], /"127.0.0.1:4001" is not a valid multiaddr; expected something like \/ip4\//)
    rejects(['--listen', 'tcp://0.0.0.0'], /listen.*not a valid multiaddr/)
  })

  it('names an unknown flag', () => {
    rejects(['--round', '3'], /Unknown option '--round'.*--help/)
  })

  it('names a missing file, bad JSON and unknown settings in a config file', () => {
    rejects(['--config', join(dir, 'missing.json')], /missing.json cannot be read/)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ "rounds": 3, }')
    rejects(['--config', bad], /bad.json is not valid JSON/)
    const unknown = join(dir, 'unknown.json')
    writeFileSync(unknown, JSON.stringify({ rounds: 3, learningrate: 0.1 }))
    rejects(['--config', unknown], /unknown setting "learningrate"; known settings: .*learningRate/)
  })

  it('accepts every config file shipped in config/', async () => {
    const { readdirSync } = await import('node:fs')
    const files = readdirSync('config').filter(f => f.endsWith('.json'))
    assert.ok(files.length > 0)
    for (const file of files) parseStartArgs(['--config', join('config', file)])
  })
})
