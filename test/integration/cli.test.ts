import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempFolder } from '../helpers/temp.ts'

const SWARM_NODE = join(import.meta.dirname, '..', '..', 'node', 'swarm-node')

interface Result { code: number | null, stdout: string, stderr: string }

function swarmNode (args: string[], options: { onStdout?: (text: string, stop: (signal: NodeJS.Signals) => void) => void } = {}): Promise<Result> {
  return new Promise(resolve => {
    const child = spawn(SWARM_NODE, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let signalled = false
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      options.onStdout?.(stdout, signal => {
        if (signalled) return
        signalled = true
        child.kill(signal)
      })
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('exit', code => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr })
    })
  })
}

function assertCleanUserError (result: Result, message: RegExp): void {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`)
  assert.match(result.stderr, message)
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace')
}

describe('swarm-node command line', function () {
  this.timeout(120_000)
  const dir = tempFolder('cli')
  after(() => { dir.remove() })

  it('keygen writes a swarm key only the owner can read, and never overwrites one', async () => {
    const key = join(dir.path, 'swarm.key')
    const made = await swarmNode(['keygen', '--out', key])
    assert.equal(made.code, 0, made.stderr)
    assert.match(readFileSync(key, 'utf8'), /^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
    assert.equal(statSync(key).mode & 0o777, 0o600)
    const before = readFileSync(key)
    assertCleanUserError(await swarmNode(['keygen', '--out', key]), /already exists: a swarm key is never overwritten/)
    assert.deepEqual(readFileSync(key), before)
  })

  it('a file that is not a swarm key is named, with exit code 2', async () => {
    const bad = join(dir.path, 'not-a-key')
    writeFileSync(bad, 'hello')
    assertCleanUserError(await swarmNode(['start', '--data-dir', join(dir.path, 'bad-key'), '--swarm-key', bad]), /not-a-key is not a swarm key.*swarm-node keygen/)
    assertCleanUserError(await swarmNode(['start', '--data-dir', join(dir.path, 'bad-key'), '--swarm-key', join(dir.path, 'missing.key')]), /missing.key cannot be read/)
  })

  it('--help lists the flags and exits 0', async () => {
    const result = await swarmNode(['start', '--help'])
    assert.equal(result.code, 0)
    for (const flag of ['--config', '--data-dir', '--listen', '--peer', '--partition', '--split', '--alpha', '--data', '--rounds', '--epochs', '--min-peers', '--seed']) {
      assert.ok(result.stdout.includes(flag), flag)
    }
  })

  it('a bad flag value gives one clear message and exit code 2', async () => {
    assertCleanUserError(await swarmNode(['start', '--partition', '5/4']), /partition .*1 <= i <= n/)
    assertCleanUserError(await swarmNode(['start', '--peer', 'localhost:4001']), /"localhost:4001" is not a valid multiaddr/)
    assertCleanUserError(await swarmNode(['start', '--bogus']), /Unknown option '--bogus'/)
  })

  it('a missing data folder is named, with exit code 2', async () => {
    assertCleanUserError(await swarmNode(['start', '--data', join(dir.path, 'no-such-folder'), '--data-dir', join(dir.path, 'd1')]), /data folder .*no-such-folder does not exist/)
  })

  it('an unreachable --peer is named, with exit code 2', async () => {
    const unreachable = '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGRi2SF16Za8n67iA3z1KmVyK9LD5qqewgrjpgG9TYwVA'
    assertCleanUserError(await swarmNode(['start', '--peer', unreachable, '--data-dir', join(dir.path, 'd2')]), /could not reach any --peer/)
  })

  it('prints its multiaddrs, waits for peers, and stops cleanly on SIGTERM keeping its identity', async () => {
    const dataDir = join(dir.path, 'waiting')
    const first = await swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2'], {
      onStdout: (text, stop) => { if (text.includes('waiting for peers')) stop('SIGTERM') }
    })
    assert.equal(first.code, 143)
    const address = /\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/(\w+)/.exec(first.stdout)
    assert.ok(address !== null, first.stdout)
    assert.ok(existsSync(join(dataDir, 'events.jsonl')))
    const events = readFileSync(join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as { event: string })
    assert.deepEqual(events.map(e => e.event), ['listening', 'waiting-for-peers'])

    const second = await swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2'], {
      onStdout: (text, stop) => { if (text.includes('waiting for peers')) stop('SIGINT') }
    })
    assert.equal(second.code, 130)
    assert.ok(second.stdout.includes(`/p2p/${address[1]}`), 'a restarted peer keeps its peer ID')
  })
})
