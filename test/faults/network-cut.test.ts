/**
 * A site cut off by the network, as a VPN drop cuts a hospital off: three
 * hosts, each peer in its own network namespace on a bridge (non-loopback
 * addresses, real links). Host 3's link is cut after round 3 and comes back
 * just as the others finish the last round, about 40 s later; every host
 * must end on the swarm's final model. The test creates and removes the namespaces, so it
 * needs root and iproute2 (CI runs as root; .ci/run installs iproute2).
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { LocalSwarm } from '../../node/launcher.ts'
import { tempFolder } from '../helpers/temp.ts'

const MINUTES = 60_000
const HOSTS = 3
/** enough rounds that the cut outlasts libp2p's own reconnect attempts (about 30 s) */
const ROUNDS = 30
const CUT_AFTER_ROUND = 3
const SUBNET = '10.77.0'

/** Network namespaces for the hosts and the bridge between them. */
class Bridge {
  readonly names: string[]
  private readonly bridge: string

  constructor (tag: string, hosts: number) {
    this.bridge = `${tag}-br`
    this.names = Array.from({ length: hosts }, (_, i) => `${tag}-h${i + 1}`)
  }

  create (): void {
    ip('netns', 'add', this.bridge)
    ip('-n', this.bridge, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', this.bridge, 'link', 'set', 'br0', 'up')
    this.names.forEach((ns, i) => {
      ip('netns', 'add', ns)
      ip('-n', this.bridge, 'link', 'add', `h${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
      ip('-n', this.bridge, 'link', 'set', `h${i + 1}`, 'master', 'br0')
      ip('-n', this.bridge, 'link', 'set', `h${i + 1}`, 'up')
      ip('-n', ns, 'addr', 'add', `${SUBNET}.${i + 1}/24`, 'dev', 'eth0')
      ip('-n', ns, 'link', 'set', 'eth0', 'up')
      ip('-n', ns, 'link', 'set', 'lo', 'up')
    })
  }

  /** Cuts host `index`'s link at the bridge, or brings it back. */
  link (index: number, up: boolean): void {
    ip('-n', this.bridge, 'link', 'set', `h${index}`, up ? 'up' : 'down')
  }

  remove (): void {
    for (const ns of [...this.names, this.bridge]) {
      try {
        ip('netns', 'del', ns)
      } catch {
        // not created
      }
    }
  }
}

function ip (...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

describe('a site cut off by the network', function () {
  this.timeout(10 * MINUTES)
  const out = tempFolder('cut')
  const bridge = new Bridge(`sw${process.pid}`, HOSTS)
  let swarm: LocalSwarm | undefined

  before(function () {
    assert.equal(process.getuid?.(), 0, 'this test creates network namespaces: run it as root (CI does)')
    bridge.create()
  })

  after(async () => {
    await swarm?.stop()
    bridge.remove()
    out.remove()
  })

  it('gets the final model when its link comes back just as the others finish', async () => {
    const s = await LocalSwarm.start({
      peers: HOSTS,
      rounds: ROUNDS,
      outDir: join(out.path, 'hosts'),
      extraArgs: ['--epochs', '1', '--min-peers', '2', '--quorum-wait-ms', '4000', '--failover-delay-ms', '2000'],
      peerArgs: index => ['--listen', `/ip4/${SUBNET}.${index}/tcp/0`],
      peerCommand: index => ['ip', 'netns', 'exec', bridge.names[index - 1]]
    })
    swarm = s
    const [first, second, third] = s.peers
    const completed = (round: number): boolean => s.peers.every(p => p.eventsOf('round-complete').some(e => e.round >= round))
    await s.waitFor(() => completed(CUT_AFTER_ROUND), 5 * MINUTES, `round ${CUT_AFTER_ROUND} on every host`)
    bridge.link(3, false)
    const cutAt = Date.now()
    await s.waitFor(() => first.lastEvent('round-complete')?.round === ROUNDS, 5 * MINUTES, 'the others to finish the last round')
    bridge.link(3, true)
    const healedAt = Date.now()
    await s.waitForExit(5 * MINUTES)

    const hosts = s.peers.map(p => p.summary())
    assert.deepEqual(hosts.map(h => h.exitCode), [0, 0, 0], 'every host exits 0')
    assert.deepEqual(hosts.map(h => h.rounds), [ROUNDS, ROUNDS, ROUNDS], 'every host ends on the last round')
    assert.equal(new Set(hosts.map(h => h.modelHash)).size, 1, 'every host holds the same final model')
    const missed = third.eventsOf('round-complete').filter(e => e.round > CUT_AFTER_ROUND && e.round < ROUNDS).length
    assert.ok(missed < ROUNDS - CUT_AFTER_ROUND - 1, `host 3 was cut off (it completed ${missed} of the rounds in between)`)
    assert.ok(third.lastEvent('alone') !== undefined, 'host 3 said it was alone, and who it last saw')
    const done = third.lastEvent('done')?.ts ?? NaN
    console.log(`      cut ${((healedAt - cutAt) / 1000).toFixed(1)} s; host 3 saved the final model ${((done - healedAt) / 1000).toFixed(1)} s after the link came back; hosts 1 and 2 reported waiting for it (handing-over, said after 2 s): ${[first, second].map(p => p.lastEvent('handing-over') !== undefined).join(', ')}`)
  })
})
