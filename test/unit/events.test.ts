import assert from 'node:assert/strict'
import { decodeEvent, EventDecodeError, EVENTS } from '../../src/events/catalog.ts'
import type { EventName, SwarmEvent } from '../../src/events/catalog.ts'
import { EventLog } from '../../src/events/log.ts'
import { EventLogFollower, JsonlFile } from '../../src/events/jsonl.ts'
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SwarmView } from '../../src/events/view.ts'
import { Terminal } from '../../src/events/terminal.ts'

const A = '12D3KooWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const B = '12D3KooWbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
const C = '12D3KooWcccccccccccccccccccccccccccccccccccccccccccccc'

/** docs/EVENTS.md's sections, by event: the text under each `### \`name\`` heading. */
function documented (): Map<string, string> {
  const doc = readFileSync('docs/EVENTS.md', 'utf8')
  const sections = new Map<string, string>()
  for (const part of doc.split(/^### /m).slice(1)) {
    const name = /^`([a-z-]+)`/.exec(part)?.[1]
    if (name !== undefined) sections.set(name, part)
  }
  return sections
}

/** A log whose events land in an array, a view and a terminal, the way a peer wires them. */
function wired (tty: boolean, format: 'text' | 'json' = 'text'): { log: EventLog, view: SwarmView, terminal: Terminal, lines: () => string, now: { t: number } } {
  const now = { t: 1_000_000 }
  let out = ''
  const view = new SwarmView()
  const terminal = new Terminal({ out: text => { out += text }, tty, format, view, now: () => now.t })
  const log = new EventLog(A, 'site-a', [view, terminal], () => now.t)
  return { log, view, terminal, lines: () => out, now }
}

describe('the event log', () => {
  it('documents every event with all its fields in docs/EVENTS.md, and no other event', () => {
    const sections = documented()
    assert.deepEqual([...sections.keys()].sort(), Object.keys(EVENTS).sort(), 'the ### sections of docs/EVENTS.md are the events of src/events/catalog.ts')
    for (const [name, fields] of Object.entries(EVENTS)) {
      for (const field of Object.keys(fields)) {
        assert.match(sections.get(name) ?? '', new RegExp(`\\b${field}\\b`), `docs/EVENTS.md, ${name}: field ${field} is not described`)
      }
    }
  })

  it('decodes an event as its documented type, and refuses one that is not', () => {
    const good = { ts: 1, event: 'round-start', peerId: A, name: 'site-a', round: 2, participants: [A, B], leader: B }
    assert.deepEqual(decodeEvent(good), good)
    const complete = { ts: 1, event: 'round-complete', peerId: A, round: 1, leader: B, contributors: [A], modelHash: 'ab', loss: null, accuracy: 0.5, dropped: { 'stale-round': 2 }, ms: 10 }
    assert.deepEqual(decodeEvent(complete), complete, 'a metric not known is null')
    const refused: Array<[unknown, RegExp]> = [
      [{ ...good, event: 'round-begin' }, /unknown event "round-begin"/],
      [{ ...good, leader: undefined }, /round-start: missing field "leader"/],
      [{ ...good, round: '2' }, /round-start: field "round" is not number/],
      [{ ...good, participants: [A, 3] }, /field "participants" is not strings/],
      [{ ...good, extra: true }, /round-start: undocumented field "extra"/],
      [{ ...complete, dropped: { x: 'many' } }, /field "dropped" is not counts/],
      [[good], /an event is a JSON object/]
    ]
    for (const [value, message] of refused) assert.throws(() => decodeEvent(value), (err: Error) => err instanceof EventDecodeError && message.test(err.message))
  })

  it('follows a growing log file: new complete lines only, a half-written line once it is whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-events-'))
    try {
      const file = join(dir, 'events.jsonl')
      const follower = new EventLogFollower(file)
      assert.deepEqual(follower.read(), [], 'no file yet')
      const log = new EventLog(A, undefined, [new JsonlFile(file)], () => 5)
      log.write('peer-joined', { peer: B })
      const line = JSON.stringify({ ts: 6, event: 'peer-joined', peerId: A, peer: C })
      appendFileSync(file, line.slice(0, 20))
      assert.deepEqual(follower.read().map(e => e.ts), [5])
      appendFileSync(file, `${line.slice(20)}\n`)
      assert.deepEqual(follower.read().map(e => e.ts), [5, 6])
      appendFileSync(file, '{"ts":7,"event":"peer-joined","peerId":"x"}\n')
      assert.throws(() => follower.read(), /events\.jsonl: peer-joined: missing field "peer"/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('names the writer on every line and fans each event out to every sink', () => {
    const seen: SwarmEvent[][] = [[], []]
    const log = new EventLog(A, 'site-a', [{ write: e => seen[0].push(e) }])
    log.add({ write: e => seen[1].push(e) })
    log.write('peer-joined', { peer: B })
    assert.equal(seen[0].length, 1)
    assert.deepEqual(seen[0], seen[1])
    assert.deepEqual(decodeEvent(seen[0][0]), { ts: seen[0][0].ts, event: 'peer-joined', peerId: A, name: 'site-a', peer: B })
  })
})

describe('the swarm as a peer sees it, and its terminal', () => {
  /** a round of three, seen by site-a: b has trained, c has not */
  function roundUnderWay (tty: boolean): ReturnType<typeof wired> {
    const w = wired(tty)
    const { log } = w
    log.write('started', { version: '0.1.0', settings: { rounds: 5, minPeers: 3, model: 'mlp', merge: 'fedavg', dp: 'none', secureAggregation: false }, backend: 'wasm', parameters: 100, summary: ['data: test'] })
    log.write('listening', { multiaddrs: ['/ip4/127.0.0.1/tcp/1'] })
    for (const [peer, name] of [[B, 'site-b'], [C, 'site-c']]) {
      log.write('peer-joined', { peer })
      log.write('peer-named', { peer, name })
    }
    log.write('round-start', { round: 1, participants: [A, B, C], leader: A })
    log.write('update-offered', { round: 1, from: B })
    w.now.t += 1000
    log.write('training-done', { round: 1, loss: 0.5, ms: 900 })
    return w
  }

  it('knows who is in, what each does, who leads and who is awaited', () => {
    const { view } = roundUnderWay(false)
    const s = view.snapshot()
    assert.equal(s.phase, 'waiting-for-updates')
    assert.equal(s.round, 1)
    assert.equal(s.leader, A)
    assert.deepEqual(s.awaited, [C])
    assert.deepEqual(s.members.map(m => [m.name, m.state]), [['site-a', 'waiting'], ['site-b', 'waiting'], ['site-c', 'training']])
  })

  it('keeps a timeline of rounds with leader, contributors, duration, failovers and metrics', () => {
    const { log, view } = roundUnderWay(false)
    log.write('leader-failover', { round: 1, from: A, to: B })
    log.write('round-complete', { round: 1, leader: B, contributors: [B, C], modelHash: 'ab', loss: 0.4, accuracy: 0.9, dropped: { 'stale-round': 1 }, ms: 2500 })
    log.write('peer-left', { peer: C, round: 2 })
    const s = view.snapshot()
    assert.deepEqual(s.rounds.map(r => [r.round, r.leader, r.contributors.length, r.ms, r.failovers, r.accuracy]), [[1, B, 2, 2500, [{ from: A, to: B }], 0.9]])
    assert.deepEqual(s.drops, { 'stale-round': 1 })
    assert.equal(s.round, 2)
    assert.equal(s.members.find(m => m.peerId === C)?.state, 'gone')
  })

  it('keeps what comes of the next round before this peer logs the last one complete', () => {
    const { log, view, now } = roundUnderWay(false)
    // round 2 starts on adoption; the evaluation that writes round-complete 1 may take longer than training
    log.write('update-offered', { round: 2, from: B })
    now.t += 500
    log.write('training-done', { round: 2, loss: 0.3, ms: 400 })
    log.write('round-complete', { round: 1, leader: A, contributors: [A, B, C], modelHash: 'ab', loss: 0.4, accuracy: 0.9, dropped: {}, ms: 2500 })
    const s = view.snapshot()
    assert.equal(s.round, 2)
    assert.equal(s.phase, 'waiting-for-updates')
    assert.equal(s.waitingSince, now.t)
    assert.deepEqual(s.awaited, [C])
    assert.deepEqual(s.members.map(m => [m.name, m.state]), [['site-a', 'waiting'], ['site-b', 'waiting'], ['site-c', 'training']])
    log.write('round-start', { round: 2, participants: [A, B, C], leader: B })
    assert.equal(view.snapshot().phase, 'waiting-for-updates', 'the round\'s start changes nothing of it')
  })

  it('shows the secure-aggregation step of the round under way, even when its keys went out before the round was logged', () => {
    const { log, view } = roundUnderWay(false)
    log.write('masking', { round: 1 })
    assert.equal(view.snapshot().secureStage, 'masking')
    // adopting round 1's model starts round 2 at once; its round-complete waits for the evaluation
    log.write('secure-shares-sent', { round: 2, to: 3, bytes: 900 })
    assert.equal(view.snapshot().secureStage, 'masking', 'still round 1 here')
    log.write('round-complete', { round: 1, leader: A, contributors: [A, B, C], modelHash: 'ab', loss: 0.4, accuracy: 0.9, dropped: {}, ms: 2500 })
    log.write('round-start', { round: 2, participants: [A, B, C], leader: B })
    assert.equal(view.snapshot().secureStage, 'secure-shares-sent')
  })

  it('on a TTY, rewrites one live line: training progress, then who it waits for and how long', () => {
    const { log, terminal, lines, now } = roundUnderWay(true)
    log.progress({ round: 1, epoch: 1, epochs: 2, batch: 3, batches: 10, loss: 0.75 })
    assert.match(lines(), /\r\x1b\[2Kround 1: training, epoch 1\/2, batch 3\/10, loss 0\.7500/)
    now.t += 12_000
    terminal.refresh()
    assert.match(lines(), /\r\x1b\[2Kround 1: waiting for updates from 1 of 3: site-c \(…cccccc\), 12 s$/)
    log.write('round-complete', { round: 1, leader: A, contributors: [A, B, C], modelHash: 'ab', loss: 0.4, accuracy: 0.9, dropped: {}, ms: 2500 })
    assert.match(lines(), /\r\x1b\[2Kround 1 \| leader site-a \(…aaaaaa\) \| 3 contributors \| accuracy 0\.9000 \| loss 0\.4000 \| 2\.5 s\n/, 'a round line clears the live line first')
    terminal.close()
  })

  it('not on a TTY, writes plain lines only: the wait once it is long, never a live line', () => {
    const { terminal, lines, now } = roundUnderWay(false)
    const wait = (): void => { terminal.refresh() }
    wait()
    assert.doesNotMatch(lines(), /waiting for updates/, 'a short wait is no news')
    now.t += 11_000
    wait()
    wait()
    assert.equal(lines().match(/round 1: waiting for updates from 1 of 3: site-c \(…cccccc\), 11 s\n/g)?.length, 1, 'said once, as a plain line')
    assert.doesNotMatch(lines(), /\r|\x1b/, 'no control characters in a log file')
    terminal.close()
  })

  it('with --log-format json, writes every event as one JSON line that decodes', () => {
    const { log, lines, terminal } = wired(false, 'json')
    log.write('warning', { text: 'something' })
    log.write('peer-named', { peer: B, name: 'site-b' })
    const written = lines().trim().split('\n').map(line => decodeEvent(JSON.parse(line)))
    assert.deepEqual(written.map(e => e.event), ['warning', 'peer-named'] satisfies EventName[])
    terminal.close()
  })
})
