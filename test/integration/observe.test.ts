/**
 * Watching a running swarm: one private 3-peer swarm named site-a, site-b and
 * site-c, each serving --http, checked from outside as an operator would:
 * the live page in a real headless Chromium, /metrics through a Prometheus
 * text-format parser, `swarm-node status` with and without the swarm key,
 * and at the end the event logs and terminal output of the clean run.
 *
 * A peer that was frozen waits a failover delay before it merges (it first
 * hears what it missed), so the delay is short here: peer 3 may lead round 3.
 *
 * Peer 3 freezes (a fault plan) twice: after it listens, so the page is open
 * before any round completes, and as it offers its update of round 2, so
 * status is asked while the swarm runs and round 1's metrics exist.
 */
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import puppeteer from 'puppeteer-core'
import type { Browser, Page } from 'puppeteer-core'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import type { PrometheusFamily } from 'parse-prometheus-text-format'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { LocalSwarm } from '../../node/launcher.ts'
import type { PeerProcess } from '../../node/launcher.ts'
import { FAULT_PLAN_FILE } from '../../node/faults.ts'
import { createSwarmKey } from '../../src/network/access.ts'
import { createSwarmLibp2p } from '../../src/network/libp2p-node.ts'
import { parseEventLine } from '../../src/events/catalog.ts'
import { EVENTS_FILE } from '../../src/events/jsonl.ts'
import { WIRE_VERSION } from '../../src/wire/messages.ts'
import { tempFolder } from '../helpers/temp.ts'
import { swarmNode } from '../helpers/swarm-node.ts'

const MINUTES = 60_000
const ROUNDS = 3
const NAMES = ['site-a', 'site-b', 'site-c']
/** where Debian puts Chromium (.ci/run installs it); CHROMIUM_PATH overrides */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The value of a metric's sample with these labels (0 when the metric has none yet). */
function sample (families: PrometheusFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find(f => f.name === name)
  const match = family?.metrics.find(m => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
  return Number(match?.value ?? match?.count ?? 0)
}

async function scrape (page: string): Promise<PrometheusFamily[]> {
  const response = await fetch(`${page}metrics`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  return parsePrometheusTextFormat(await response.text())
}

describe('watching a running swarm: the live page, /metrics, status and a clean run', function () {
  this.timeout(10 * MINUTES)
  const out = tempFolder('observe')
  const keyFile = join(out.path, 'swarm.key')
  let swarm: LocalSwarm | undefined
  let browser: Browser | undefined
  let tab: Page
  let page = ''
  let third: PeerProcess

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `the page test needs Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`)
    writeFileSync(keyFile, createSwarmKey(), { mode: 0o600 })
    const outDir = join(out.path, 'swarm')
    // peer 3 freezes right after it listens, before it joins: rounds wait for it (--min-peers 3)
    mkdirSync(join(outDir, 'peer-3'), { recursive: true })
    writeFileSync(join(outDir, 'peer-3', FAULT_PLAN_FILE), JSON.stringify({ after: 'listening' }))
    ;[browser, swarm] = await Promise.all([
      puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] }),
      LocalSwarm.start({
        peers: 3,
        rounds: ROUNDS,
        outDir,
        extraArgs: ['--http', '127.0.0.1:0', '--swarm-key', keyFile, '--fault-injection', '--hidden', '64', '--epochs', '1', '--quorum-wait-ms', '60000', '--failover-delay-ms', '3000'],
        peerArgs: i => ['--name', NAMES[i - 1]]
      })
    ])
    third = swarm.peers[2]
    page = (await swarm.waitFor(() => swarm?.peers[0].lastEvent('listening')?.page, MINUTES, 'peer 1\'s page')) ?? ''
    await swarm.waitFor(() => third.lastEvent('listening'), 2 * MINUTES, 'peer 3 to listen (and freeze)')
    tab = await browser.newPage()
    await tab.setViewport({ width: 1280, height: 900 })
  })

  after(async () => {
    await browser?.close()
    await swarm?.stop()
    out.remove()
  })

  it('the page lists the members by name, /metrics counts a drop, and both move when a round completes', async () => {
    assert.ok(swarm !== undefined)
    const members = async (): Promise<string[]> => await tab.$$eval('#members tr', rows => rows.map(r => r.textContent ?? ''))
    const points = async (): Promise<number> => Number(await tab.$eval('#accuracy-chart', e => e.getAttribute('data-points')))
    await tab.goto(page)
    // a member's name comes with its first hello, a moment after it joins
    await tab.waitForFunction(() => /site-a[^]*site-b|site-b[^]*site-a/.test(document.getElementById('members')?.textContent ?? ''), { timeout: MINUTES })
    assert.deepEqual((await members()).map(m => /site-[abc]/.exec(m)?.[0]).sort(), ['site-a', 'site-b'], 'the two peers present, by name')
    assert.match(await tab.$eval('#phase', e => e.textContent ?? ''), /waiting for enough peers/)
    assert.equal(await points(), 0, 'no round yet')

    const before = await scrape(page)
    assert.equal(sample(before, 'swarm_rounds_completed_total'), 0)
    assert.equal(sample(before, 'swarm_messages_dropped_total', { reason: 'malformed' }), 0)
    assert.equal(sample(before, 'swarm_members'), 1)
    // a hostile node holding the key publishes garbage on the swarm's topic: peer 1 drops it
    const hostile = await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: [], swarmKey: readFileSync(keyFile) }, { isBanned: () => false })
    try {
      await hostile.start()
      await hostile.dial(multiaddr(swarm.peers[0].lastEvent('listening')?.multiaddrs[0] ?? ''))
      const topic = `swarm/default/${WIRE_VERSION}`
      await swarm.waitFor(() => hostile.services.pubsub.getSubscribers(topic).length > 0, MINUTES, 'peer 1\'s subscription')
      await hostile.services.pubsub.publish(topic, new Uint8Array([1, 2, 3, 4]))
      await swarm.waitFor(() => swarm?.peers[0].lastEvent('message-dropped'), MINUTES, 'peer 1 to drop the garbage')
    } finally {
      await hostile.stop()
    }
    assert.equal(sample(await scrape(page), 'swarm_messages_dropped_total', { reason: 'malformed' }), 1, 'the drop is counted by reason')

    // peer 3 goes on, and freezes again as it offers its update of round 2: that round cannot complete
    writeFileSync(join(third.dataDir, FAULT_PLAN_FILE), JSON.stringify({ after: 'update-published', where: { round: 2 } }))
    third.signal('SIGCONT')
    await tab.waitForFunction(() => Number(document.getElementById('accuracy-chart')?.getAttribute('data-points')) >= 1, { timeout: 3 * MINUTES })
    assert.equal(await points(), 1, 'the accuracy chart gained round 1, without a reload')
    await tab.waitForFunction(() => ['site-a', 'site-b', 'site-c'].every(name => document.getElementById('members')?.textContent?.includes(name)), { timeout: MINUTES })
    assert.deepEqual((await members()).map(m => /site-[abc]/.exec(m)?.[0]).sort(), NAMES, 'every member by name')
    const timeline = await tab.$$eval('#timeline tr', rows => rows.map(r => r.textContent ?? ''))
    assert.equal(timeline.length, 1)
    assert.match(timeline[0], /^1site-[abc] \(…\w{6}\)3/, 'round 1: its leader by name, 3 contributors')
    await swarm.waitFor(() => third.lastEvent('update-published')?.round === 2, 2 * MINUTES, 'peer 3 to offer its update of round 2 (and freeze)')
    await tab.screenshot({ path: join(out.path, 'page.png') })
    if (process.env.UPDATE_DOCS !== undefined) copyFileSync(join(out.path, 'page.png'), 'docs/live-page.png')

    const after = await scrape(page)
    assert.equal(sample(after, 'swarm_rounds_completed_total'), 1)
    assert.equal(sample(after, 'swarm_round_duration_seconds'), 1, 'one round in the duration histogram')
    const accuracy = sample(after, 'swarm_model_metric', { metric: 'accuracy' })
    assert.ok(accuracy > 0.1 && accuracy <= 1, `accuracy ${accuracy}`)
    assert.equal(sample(after, 'swarm_members'), 2)
    assert.ok(sample(after, 'swarm_updates_sent_total') >= 1)
    // libp2p's own metrics: bytes on the wire, in all and by protocol
    assert.ok(sample(after, 'libp2p_data_transfer_bytes_total', { protocol: 'global sent' }) > 0)
    assert.ok(sample(after, 'libp2p_data_transfer_bytes_total', { protocol: 'global received' }) > 0)
    const protocols = after.find(f => f.name === 'libp2p_data_transfer_bytes_total')?.metrics.map(m => m.labels?.protocol) ?? []
    assert.ok(protocols.some(p => p?.startsWith('/meshsub/') === true), `gossip among ${protocols.join(', ')}`)
  })

  it('status answers with the members, round, leader and last metrics, only with the swarm key; an unreachable peer is a clear error', async () => {
    assert.ok(swarm !== undefined)
    const address = swarm.peers[1].lastEvent('listening')?.multiaddrs[0] ?? ''
    const text = await swarmNode(['status', '--peer', address, '--swarm-key', keyFile])
    assert.equal(text.code, 0, text.stderr)
    for (const name of NAMES) assert.match(text.stdout, new RegExp(`^  ${name} +12D3KooW\\w+  \\w+\\n {6}/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/12D3KooW`, 'm'), `${name} with its ID and address`)
    assert.match(text.stdout, /^site-b 12D3KooW\w+ \(swarm-node \d+\.\d+\.\d+\)$/m)
    assert.match(text.stdout, /^round 2 of 3: /m)
    assert.match(text.stdout, /^last round: 1, merged by site-[abc] \(…\w{6}\) from 3 updates, .* ago \| accuracy 0\.\d{4} \| loss \d+\.\d{4}$/m)

    const json = await swarmNode(['status', '--peer', address, '--swarm-key', keyFile, '--json'])
    assert.equal(json.code, 0, json.stderr)
    const answer = JSON.parse(json.stdout) as { members: Array<{ name: string }>, round: number, last: { round: number } }
    assert.deepEqual(answer.members.map(m => m.name).sort(), NAMES)
    assert.equal(answer.last.round, 1)
    for (const secret of [readFileSync(keyFile, 'utf8').trim().split('\n').at(-1) ?? 'key', out.path, 'dataDir', 'swarmKey']) {
      assert.ok(!json.stdout.includes(secret), `the answer holds nothing private (${secret})`)
    }

    const keyless = await swarmNode(['status', '--peer', address])
    assert.equal(keyless.code, 2, keyless.stderr)
    assert.match(keyless.stderr, /^swarm-node: could not reach .*if the swarm is private, give its --swarm-key <file>/)
    const nobody = await swarmNode(['status', '--peer', '/ip4/127.0.0.1/tcp/1'])
    assert.equal(nobody.code, 2)
    assert.match(nobody.stderr, /^swarm-node: could not reach \/ip4\/127\.0\.0\.1\/tcp\/1: nothing listens there/)
    for (const result of [keyless, nobody]) assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace')
  })

  it('the run ends clean: every event decodes as documented, rounds complete before the next starts, no drop or departure after the last round', async () => {
    assert.ok(swarm !== undefined)
    third.signal('SIGCONT')
    assert.deepEqual(await swarm.waitForExit(5 * MINUTES), [0, 0, 0])
    for (const peer of swarm.peers) {
      // every line, decoded and checked against its documented type (throws on any other)
      const events = readFileSync(join(peer.dataDir, EVENTS_FILE), 'utf8').trim().split('\n').map(parseEventLine)
      assert.equal(events[0].event, 'started', 'the first event records version and settings')
      const order = events.filter(e => e.event === 'round-start' || e.event === 'round-complete').map(e => `${e.event} ${'round' in e ? e.round : ''}`)
      for (let round = 1; round < ROUNDS; round++) {
        const complete = order.indexOf(`round-complete ${round}`)
        const next = order.indexOf(`round-start ${round + 1}`)
        assert.ok(complete >= 0 && (next === -1 || complete < next), `peer ${peer.index}: round-complete ${round} before round-start ${round + 1}`)
      }
      const last = events.findIndex(e => e.event === 'round-complete' && e.round === ROUNDS)
      assert.ok(last > 0, `peer ${peer.index} completed the last round`)
      const after = events.slice(last).map(e => e.event)
      assert.ok(!after.includes('message-dropped') && !after.includes('peer-left'), `peer ${peer.index} after the last round: ${after.join(', ')}`)
      const output = readFileSync(peer.outputFile, 'utf8')
      const tail = output.slice(output.indexOf(`round ${ROUNDS} | leader`))
      assert.doesNotMatch(tail, /dropped a message|left during|warning/, `peer ${peer.index}'s output after the last round:\n${tail}`)
      assert.match(output, new RegExp(`round ${ROUNDS} \\| leader site-[abc] \\(…\\w{6}\\)`), 'round lines name the leader')
    }
  })
})
