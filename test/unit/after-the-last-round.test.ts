import assert from 'node:assert/strict'
import { membersBehind } from '../../src/round/handoff.ts'
import { Presence } from '../../node/presence.ts'
import { Reminder } from '../../node/reminder.ts'
import type { AloneReport } from '../../node/presence.ts'
import { Terminal } from '../../src/events/terminal.ts'
import { SwarmView } from '../../src/events/view.ts'

/** The terminal line of an alone event written at `now`. */
function said (report: AloneReport | undefined, now: number): string {
  if (report === undefined) return ''
  let out = ''
  const terminal = new Terminal({ out: text => { out += text }, tty: false, format: 'text', view: new SwarmView() })
  terminal.write({ ts: now, event: 'alone', peerId: 'self', since: report.since, lastSeen: report.lastSeen })
  terminal.close()
  return out.trim()
}

describe('a finished peer stays for members behind', () => {
  it('waits for present members known to hold an older model, not for those it knows nothing of', () => {
    const known = new Map([['a', 10], ['b', 3], ['c', 9], ['gone', 2]])
    assert.deepEqual(membersBehind(known, ['a', 'b', 'c', 'new'], 10), ['b', 'c'])
    assert.deepEqual(membersBehind(known, ['a', 'new'], 10), [])
  })

  it('counts a member being dialled again as present, once', () => {
    assert.deepEqual(membersBehind(new Map([['cut', 3]]), ['cut', 'cut'], 10), ['cut'])
  })
})

describe('a peer left alone says so', () => {
  const SECOND = 1000

  it('after 15 s, then at doubling intervals, naming who it saw last and when', () => {
    const presence = new Presence(0)
    presence.joined('12D3KooWaaaaaa')
    presence.joined('12D3KooWbbbbbb')
    presence.left('12D3KooWaaaaaa', 5 * SECOND, 3)
    assert.equal(presence.report(100 * SECOND), undefined, 'one member is left')
    presence.left('12D3KooWbbbbbb', 100 * SECOND, undefined)
    assert.equal(presence.report(114 * SECOND), undefined)
    const first = presence.report(115 * SECOND)
    assert.equal(first?.since, 100 * SECOND)
    assert.match(said(first, 115 * SECOND), /^alone for 15 s: last saw …bbbbbb at \d\d:\d\d:\d\d, …aaaaaa \(round 3\) at \d\d:\d\d:\d\d; trying to reach them again$/)
    assert.equal(presence.report(130 * SECOND + 1), undefined, 'the next one comes 30 s later')
    assert.match(said(presence.report(145 * SECOND), 145 * SECOND), /^alone for 45 s/)
    assert.match(said(presence.report(205 * SECOND), 205 * SECOND), /^alone for 1 min 45 s/)
  })

  it('says how to join it when no peer ever connected', () => {
    const presence = new Presence(0)
    assert.match(said(presence.report(15 * SECOND), 15 * SECOND), /no other peer has connected yet; others join with --peer/)
  })

  it('stops when a member comes back, and starts over when it is alone again', () => {
    const presence = new Presence(0)
    presence.joined('p')
    presence.left('p', 0, 1)
    assert.ok(presence.report(15 * SECOND) !== undefined)
    presence.joined('p')
    assert.equal(presence.report(60 * SECOND), undefined)
    presence.left('p', 60 * SECOND, 2)
    assert.equal(presence.report(74 * SECOND), undefined)
    assert.match(said(presence.report(75 * SECOND), 75 * SECOND), /^alone for 15 s: last saw p \(round 2\)/)
  })
})

describe('a wait that goes on is said again, less and less often', () => {
  const SECOND = 1000

  it('after the first interval, then at doubling intervals up to the longest, and never once stopped', () => {
    // how a peer short of --min-peers repeats waiting-for-peers: 30 s, 60 s, 120 s, … every 5 min
    const reminder = new Reminder(30 * SECOND, 300 * SECOND)
    reminder.start(0)
    const due = []
    for (let t = 0; t <= 1200 * SECOND; t += SECOND) if (reminder.due(t)) due.push(t / SECOND)
    assert.deepEqual(due, [30, 90, 210, 450, 750, 1050])
    reminder.stop()
    assert.equal(reminder.due(5000 * SECOND), false)
    reminder.start(5000 * SECOND)
    assert.equal(reminder.due(5029 * SECOND), false)
    assert.equal(reminder.due(5030 * SECOND), true, 'a new wait starts from the first interval')
  })
})
