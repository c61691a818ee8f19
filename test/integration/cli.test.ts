import assert from 'node:assert/strict'
import { parseEventLine } from '../../src/events/catalog.ts'
import type { AddressInfo } from 'node:net'
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { loadOrCreatePeerKey } from '../../src/network/peer-key.ts'
import { tempFolder } from '../helpers/temp.ts'
import { assertCleanUserError, swarmNode } from '../helpers/swarm-node.ts'
import type { Result } from '../helpers/swarm-node.ts'

const SWARM_SH = join(import.meta.dirname, '..', '..', 'scripts', 'swarm.sh')

function doneEvent (dataDir: string): { modelHash: string } | undefined {
  const lines = readFileSync(join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as { event: string, modelHash: string })
  return lines.find(e => e.event === 'done')
}

async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise(resolve => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

/** quick peers: one epoch, one round, a small model */
const QUICK = ['--rounds', '1', '--epochs', '1', '--hidden', '16', '--min-peers', '2']

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
    for (const flag of ['--config', '--data-dir', '--listen', '--peer', '--partition', '--split', '--alpha', '--data', '--rounds', '--epochs', '--min-peers', '--seed', '--join-timeout-ms', '--finish-wait-ms']) {
      assert.ok(result.stdout.includes(flag), flag)
    }
  })

  it('every command has --help (exit 0), and the program has --version', async () => {
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).version as string
    const printed = await swarmNode(['--version'])
    assert.equal(printed.code, 0)
    assert.equal(printed.stdout.trim(), `swarm-node ${version}`)
    for (const args of [['--help'], ['keygen', '--help'], ['help', 'keygen'], ['start', '-h'], ['status', '--help']]) {
      const result = await swarmNode(args)
      assert.equal(result.code, 0, args.join(' '))
      assert.match(result.stdout, /^Usage: swarm-node/, args.join(' '))
    }
    assert.match((await swarmNode(['keygen', '--help'])).stdout, /keygen --out <file>/)
    assertCleanUserError(await swarmNode(['train']), /unknown command "train"; commands: start, status, keygen/)
  })

  it('a data dir that is a file, lies under a file, cannot be created or cannot be written is named with its cause, exit code 2', async () => {
    const file = join(dir.path, 'a-file')
    writeFileSync(file, 'x')
    assertCleanUserError(await swarmNode(['start', '--data-dir', file]), /--data-dir .*a-file is a file, not a folder/)
    assertCleanUserError(await swarmNode(['start', '--data-dir', join(file, 'peer')]), /cannot create --data-dir .*a-file\/peer: .*a-file is a file, not a folder/)
    // Node's recursive mkdir spins forever under /proc: the peer must answer at once
    assertCleanUserError(await swarmNode(['start', '--data-dir', `/proc/swarm-test-${process.pid}/peer`]), /cannot create --data-dir \/proc\/swarm-test-\d+\/peer: the file system does not allow creating it/)
    let unwritable = '/sys/kernel'
    if (process.getuid?.() !== 0) {
      unwritable = join(dir.path, 'read-only')
      mkdirSync(unwritable)
      chmodSync(unwritable, 0o555)
    }
    assertCleanUserError(await swarmNode(['start', '--data-dir', unwritable]), /cannot write in --data-dir .*: (permission denied|the file system is read-only)/)
  })

  it('a SIGTERM while the peer is still starting ends it at once', async () => {
    const result = await swarmNode(['start', '--data-dir', join(dir.path, 'starting')], {
      onStdout: (text, stop) => { if (text.includes('TensorFlow.js backend')) stop('SIGTERM') }
    })
    assert.equal(result.code, 143)
  })

  it('a peer started before the peer it joins through waits for it; then both train and agree', async () => {
    const first = join(dir.path, 'order-first')
    const second = join(dir.path, 'order-second')
    mkdirSync(first)
    const firstId = peerIdFromPrivateKey(await loadOrCreatePeerKey(first)).toString()
    const port = await freePort()
    let startFirst = (): void => {}
    const firstStarted = new Promise<Result>(resolve => {
      startFirst = () => { resolve(swarmNode(['start', '--data-dir', first, '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--partition', '1/2', ...QUICK])) }
    })
    const secondResult = await swarmNode(['start', '--data-dir', second, '--peer', `/ip4/127.0.0.1/tcp/${port}/p2p/${firstId}`, '--partition', '2/2', ...QUICK], {
      onStdout: text => { if (text.includes('waiting for /ip4/127.0.0.1')) startFirst() }
    })
    const firstResult = await firstStarted
    assert.equal(secondResult.code, 0, secondResult.stdout + secondResult.stderr)
    assert.equal(firstResult.code, 0, firstResult.stdout + firstResult.stderr)
    assert.equal(secondResult.stdout.match(/waiting for \/ip4/g)?.length, 1, 'it says once what it waits for')
    assert.match(secondResult.stdout, /nothing listens there yet \(connection refused\)/)
    assert.equal(doneEvent(first)?.modelHash, doneEvent(second)?.modelHash)
  })

  it('a peer whose model settings differ from the swarm\'s is told so and exits 2', async () => {
    let stopFirst = (_signal: NodeJS.Signals): void => {}
    let address = ''
    const listening = new Promise<void>(resolve => {
      void swarmNode(['start', '--data-dir', join(dir.path, 'model-a'), ...QUICK], {
        onStdout: (text, stop) => {
          stopFirst = stop
          const found = /\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\w+/.exec(text)
          if (found !== null && address === '') {
            address = found[0]
            resolve()
          }
        }
      })
    })
    await listening
    try {
      const mismatched = await swarmNode(['start', '--data-dir', join(dir.path, 'model-b'), '--peer', address, ...QUICK, '--hidden', '32'])
      assertCleanUserError(mismatched, /this peer's model differs from the swarm's: model \(--model, --hidden\): "mlp 16" in the swarm, "mlp 32" here\. Every peer of a swarm needs the same --model \(and --hidden\)/)
    } finally {
      stopFirst('SIGTERM')
    }
  })

  it('a bad flag value gives one clear message and exit code 2', async () => {
    assertCleanUserError(await swarmNode(['start', '--partition', '5/4']), /partition .*1 <= i <= n/)
    assertCleanUserError(await swarmNode(['start', '--peer', 'localhost:4001']), /"localhost:4001" is not a valid multiaddr/)
    assertCleanUserError(await swarmNode(['start', '--bogus']), /Unknown option '--bogus'/)
    assertCleanUserError(await swarmNode(['start', '--name', 'site a']), /setting name .*must be 1 to 40 letters, digits, dots, dashes or underscores, such as "site-a", got "site a"/)
    assertCleanUserError(await swarmNode(['start', '--http', '9464']), /setting http .*must be host:port, such as 127\.0\.0\.1:9464/)
  })

  it('--http beyond loopback needs a token, a token file must hold one, and a port in use is named (for --http and --listen), exit code 2', async () => {
    const dataDir = join(dir.path, 'http')
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--http', '0.0.0.0:0']), /--http 0\.0\.0\.0:0 is not a loopback address: anyone who reaches it could watch the swarm\. Give --http-token <file> too, or serve on 127\.0\.0\.1/)
    const token = join(dir.path, 'short.token')
    writeFileSync(token, 'abc\n')
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--http', '0.0.0.0:0', '--http-token', token]), /--http-token .*short\.token must hold one token of at least 16 characters/)
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--http', '127.0.0.1:0', '--http-token', join(dir.path, 'none.token')]), /cannot read --http-token .*none\.token: ENOENT/)
    const busy = createServer()
    await new Promise<void>(resolve => { busy.listen(0, '127.0.0.1', resolve) })
    try {
      const { port } = busy.address() as AddressInfo
      assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--http', `127.0.0.1:${port}`]), new RegExp(`cannot serve --http on 127\\.0\\.0\\.1:${port}: the port is in use; choose another port`))
      // the same for the peer's own --listen address
      assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--listen', `/ip4/127.0.0.1/tcp/${port}`]), new RegExp(`cannot listen on /ip4/127\\.0\\.0\\.1/tcp/${port} \\(--listen\\): the port is in use .*choose another port, or tcp/0 to pick a free one`))
    } finally {
      busy.close()
    }
  })

  it('privacy settings that cannot work together are refused with the fix, exit code 2', async () => {
    const dataDir = join(dir.path, 'privacy')
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--secure-aggregation', '--merge', 'median']), /robust merges .* need single updates. Use --merge fedavg, fedprox, fedavgm, fedadam or fedyogi/)
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--dp', 'client']), /--dp client needs --dp-noise-multiplier, or --dp-epsilon/)
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--dp', 'client', '--dp-noise-multiplier', '0.1', '--dp-epsilon', '1']), /one round with noise multiplier 0.1 already spends more than --dp-epsilon 1/)
    // a table pooled with --normalize swarm sends raw column moments in round 1: no ε covers them
    const table = join(dir.path, 'privacy.csv')
    writeFileSync(table, ['age,weight,outcome', ...Array.from({ length: 40 }, (_, i) => `${20 + i},${60 + (i % 7)},${i % 2 === 0 ? 'yes' : 'no'}`)].join('\n'))
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--data', table, '--label', 'outcome', '--dp', 'sample', '--dp-noise-multiplier', '1']), /--dp sample protects what the model learns, not the raw column statistics that --normalize swarm pools in round 1 without noise: use --normalize local or none/)
    assertCleanUserError(await swarmNode(['start', '--data-dir', dataDir, '--data', table, '--label', 'outcome', '--max-samples', '10']), /this peer has 32 training samples, more than --max-samples 10/)
  })

  it('a missing data folder is named, with exit code 2', async () => {
    assertCleanUserError(await swarmNode(['start', '--data', join(dir.path, 'no-such-folder'), '--data-dir', join(dir.path, 'd1')]), /--data .*no-such-folder does not exist: give a folder of MNIST IDX files, or a folder of class subfolders of images, or a CSV file/)
  })

  it('a --peer that never answers is named once while the peer waits, then with exit code 2 after --join-timeout-ms', async () => {
    const unreachable = '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGRi2SF16Za8n67iA3z1KmVyK9LD5qqewgrjpgG9TYwVA'
    const result = await swarmNode(['start', '--peer', unreachable, '--join-timeout-ms', '3000', '--data-dir', join(dir.path, 'd2')])
    assertCleanUserError(result, /could not reach any --peer within 3 s .*tcp\/1\/p2p.*nothing listens there yet/)
    assert.equal(result.stdout.match(/waiting for \/ip4\/127\.0\.0\.1\/tcp\/1\//g)?.length, 1)
  })

  it('scripts/swarm.sh stops when a peer exits 2, shows its message, and says that no peer finished', async () => {
    const unreachable = '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGRi2SF16Za8n67iA3z1KmVyK9LD5qqewgrjpgG9TYwVA'
    const result = await swarmNode(['--peers', '2', '--rounds', '1', '--out', join(dir.path, 'failing-swarm'), '--', '--peer', unreachable, '--join-timeout-ms', '1000'], { program: SWARM_SH })
    assert.equal(result.code, 1)
    // the first peer that exits 2 stops the swarm at once, and its message is shown
    assert.match(result.stdout, /peer [12] exited with code 2:\n(  .*\n)*  .*could not reach any --peer within 1 s/)
    assert.match(result.stdout, /stopping every peer: fix the settings and start the swarm again/)
    assert.match(result.stdout, /no peer finished: /)
    assert.doesNotMatch(result.stdout, /same model/)
  })

  it('scripts/swarm.sh shows each peer\'s live page, and Ctrl-C stops every peer with exit code 130', async () => {
    const result = await swarmNode(['--peers', '2', '--rounds', '50', '--out', join(dir.path, 'paged-swarm'), '--', '--http', '127.0.0.1:0', '--min-peers', '3'], {
      program: SWARM_SH,
      onStdout: (text, stop) => { if ((text.match(/live page http:\/\/127\.0\.0\.1:\d+\//g) ?? []).length === 2) stop('SIGINT') }
    })
    assert.match(result.stdout, /peer 1: live page http:\/\/127\.0\.0\.1:\d+\/  metrics http:\/\/127\.0\.0\.1:\d+\/metrics/)
    assert.match(result.stdout, /peer 2: live page /)
    assert.match(result.stdout, /SIGINT: stopping every peer/)
    assert.equal(result.code, 130)
  })

  it('--dp client says at start how much noise per coordinate the number of sites implies', async () => {
    const result = await swarmNode(['start', '--data-dir', join(dir.path, 'dp-client'), '--dp', 'client', '--dp-noise-multiplier', '1', '--dp-clip', '1', '--min-peers', '3', '--partition', '1/3'], {
      onStdout: (text, stop) => { if (text.includes('waiting for peers')) stop('SIGTERM') }
    })
    assert.match(result.stdout, /warning: the merged change carries noise of std 0\.33 per coordinate with 3 sites \(0\.010 with 100\), while a site's whole change is clipped to norm 1: with few sites the noise drowns the model/)
  })

  it('a second peer on the data dir of a running one is refused with its pid, exit 2; a killed peer\'s lock is taken over', async () => {
    const dataDir = join(dir.path, 'locked')
    let second: Promise<Result> | undefined
    const first = await swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2'], {
      onStdout: (text, stop) => {
        if (!text.includes('waiting for peers') || second !== undefined) return
        second = swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2'])
        // killed, so it cannot give its lock back
        void second.then(() => { stop('SIGKILL') })
      }
    })
    assert.equal(first.code, null, 'the first peer ran until it was killed')
    const pid = readFileSync(join(dataDir, 'peer.lock'), 'utf8').trim()
    assertCleanUserError(await (second as Promise<Result>), new RegExp(`--data-dir .*locked is in use by a running peer \\(pid ${pid}\\).*Stop that peer, or give this one another --data-dir`))
    const third = await swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2'], {
      onStdout: (text, stop) => { if (text.includes('waiting for peers')) stop('SIGTERM') }
    })
    assert.equal(third.code, 143, `the stale lock of the killed peer was taken over: ${third.stderr}`)
    assert.equal(existsSync(join(dataDir, 'peer.lock')), false, 'a peer that stops gives the data dir back')
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
    assert.deepEqual(events.map(e => e.event), ['started', 'listening', 'waiting-for-peers'])

    const second = await swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2'], {
      onStdout: (text, stop) => { if (text.includes('waiting for peers')) stop('SIGINT') }
    })
    assert.equal(second.code, 130)
    assert.ok(second.stdout.includes(`/p2p/${address[1]}`), 'a restarted peer keeps its peer ID')

    // for log collectors: every line on standard output is an event as documented
    const json = await swarmNode(['start', '--data-dir', dataDir, '--min-peers', '2', '--log-format', 'json', '--name', 'site-a'], {
      onStdout: (text, stop) => { if (text.includes('"event":"waiting-for-peers"')) stop('SIGTERM') }
    })
    assert.equal(json.code, 143)
    const lines = json.stdout.split('\n').filter(line => line.startsWith('{'))
    const logged = lines.map(parseEventLine)
    assert.deepEqual(logged.map(e => e.event), ['started', 'listening', 'waiting-for-peers'])
    assert.ok(logged.every(e => e.name === 'site-a' && e.peerId === address[1]))
    assert.deepEqual(json.stdout.split('\n').filter(line => line !== '' && !line.startsWith('{')), ['SIGTERM: stopping'], 'nothing else but the signal notice')
  })
})
