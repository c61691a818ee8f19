import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import { PageServer, isLoopback } from '../../node/http.ts'
import { EventLog } from '../../src/events/log.ts'
import { MetricsSink } from '../../src/events/metrics.ts'
import { SwarmView } from '../../src/events/view.ts'

const A = '12D3KooWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const TOKEN = '0123456789abcdef0123456789abcdef'

describe('the page server', () => {
  let server: PageServer
  let log: EventLog
  let drops: Record<string, number>

  beforeEach(async () => {
    const view = new SwarmView()
    const registry = new Registry()
    drops = {}
    log = new EventLog(A, 'site-a', [view, new MetricsSink({ members: () => 0, drops: () => drops }, registry)])
    log.write('started', { version: '0.1.0', settings: { rounds: 3, minPeers: 2 }, backend: 'cpu', parameters: 10, summary: [] })
    server = await PageServer.start({ host: '127.0.0.1', port: 0, token: TOKEN, view, registry })
  })

  afterEach(async () => { await server.stop() })

  it('answers only requests that carry its token, as a query or a bearer header', async () => {
    for (const path of ['', 'metrics', 'state', 'events', 'page.js']) {
      const refused = await fetch(`${server.url}${path}`)
      assert.equal(refused.status, 401, `/${path} without the token`)
      assert.match(await refused.text(), /needs its token/)
    }
    assert.equal((await fetch(`${server.url}metrics?token=${TOKEN.slice(0, -1)}x`)).status, 401, 'a wrong token')
    assert.equal((await fetch(`${server.url}metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200)
    const page = await fetch(`${server.url}?token=${TOKEN}`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<title>swarm<\/title>/)
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/)
    assert.equal((await fetch(`${server.url}nothing?token=${TOKEN}`)).status, 404)
    assert.equal((await fetch(`${server.url}metrics?token=${TOKEN}`, { method: 'POST' })).status, 405)
  })

  it('streams the state: the whole state at once, then again after each change', async () => {
    const response = await fetch(`${server.url}events?token=${TOKEN}`)
    assert.equal(response.headers.get('content-type'), 'text/event-stream')
    const reader = response.body?.getReader()
    assert.ok(reader !== undefined)
    const next = async (): Promise<Record<string, unknown>> => {
      let text = ''
      while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value)
      return JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? 'null') as Record<string, unknown>
    }
    const first = await next()
    assert.equal(first.name, 'site-a')
    assert.equal(first.phase, 'starting')
    log.write('round-start', { round: 1, participants: [A], leader: A })
    const second = await next()
    assert.equal(second.phase, 'training')
    assert.equal(second.round, 1)
    await reader.cancel()
  })

  it('counts drops as the peer\'s totals grow, in Prometheus text', async () => {
    const scrape = async (): Promise<string> => await (await fetch(`${server.url}metrics?token=${TOKEN}`)).text()
    assert.doesNotMatch(await scrape(), /swarm_messages_dropped_total\{/)
    drops = { malformed: 2 }
    assert.match(await scrape(), /^swarm_messages_dropped_total\{reason="malformed"\} 2$/m)
    drops = { malformed: 5, 'stale-round': 1 }
    const text = await scrape()
    assert.match(text, /^swarm_messages_dropped_total\{reason="malformed"\} 5$/m)
    assert.match(text, /^swarm_messages_dropped_total\{reason="stale-round"\} 1$/m)
  })

  it('times the wait for the others from this peer\'s own offer of the same round', async () => {
    const registry = new Registry()
    let t = 0
    const metered = new EventLog(A, undefined, [new MetricsSink({ members: () => 0, drops: () => ({}) }, registry)], () => t)
    t = 10_000
    metered.write('update-published', { round: 1, samples: 10, bytes: 100 })
    // round 2's update goes out before round 1 is logged complete (its evaluation is slow)
    t = 12_000
    metered.write('update-published', { round: 2, samples: 10, bytes: 100 })
    t = 13_000
    metered.write('round-complete', { round: 1, leader: A, contributors: [A], modelHash: 'ab', loss: 0.5, dropped: {}, ms: 4000 })
    t = 20_000
    metered.write('round-complete', { round: 2, leader: A, contributors: [A], modelHash: 'cd', loss: 0.4, dropped: {}, ms: 7000 })
    const text = await registry.metrics()
    assert.match(text, /^swarm_update_wait_seconds_sum 11$/m, '3 s for round 1 and 8 s for round 2')
    assert.match(text, /^swarm_update_wait_seconds_count 2$/m)
    assert.match(text, /^swarm_round_duration_seconds_sum 11$/m)
    assert.match(text, /^swarm_rounds_completed_total 2$/m)
  })

  it('takes loopback addresses for loopback, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', 'localhost']) assert.ok(isLoopback(host), host)
    for (const host of ['0.0.0.0', '10.0.0.1', '::', 'example.org', '127.0.0.1.example.org']) assert.ok(!isLoopback(host), host)
  })
})
