import assert from 'node:assert/strict'
import { RosterAgreement, rosterProblem } from '../../src/round/roster.ts'

const QUORUM_WAIT_MS = 10_000

function peer (self: string, minPeers = 2): RosterAgreement {
  return new RosterAgreement({ self, minPeers, quorumWaitMs: QUORUM_WAIT_MS }, 0)
}

describe('round 1 roster agreement', () => {
  it('seals a roster once every member announced exactly it', () => {
    const a = peer('a')
    a.heard('b', ['a', 'b'], false, 0)
    a.heard('c', ['a', 'b', 'c'], false, 0)
    assert.equal(a.trySeal(0), undefined, 'b has not announced a, b, c yet')
    a.heard('b', ['a', 'b', 'c'], false, 100)
    assert.deepEqual(a.trySeal(100), ['a', 'b', 'c'])
    assert.deepEqual(a.sealed, ['a', 'b', 'c'])
    a.heard('d', ['a', 'b', 'c', 'd'], false, 200)
    assert.deepEqual(a.roster, ['a', 'b', 'c'], 'a sealed roster never changes')
  })

  it('takes a roster a member sealed on its word, though its own roster grew meanwhile, so the swarm does not split', () => {
    const [p1, p2, p3] = [peer('p1'), peer('p2'), peer('p3')]
    p1.heard('p2', ['p2'], false, 0)
    p2.heard('p1', ['p1', 'p2'], false, 0)
    assert.deepEqual(p2.trySeal(0), ['p1', 'p2'], 'p2 knows only p1, which announced exactly its roster')
    // before p2's sealed word arrives, p1 hears p3: its roster grows to three
    p1.heard('p3', ['p1', 'p3'], false, 10)
    assert.equal(p1.trySeal(10), undefined)
    p1.heard('p2', ['p1', 'p2'], true, 20)
    assert.deepEqual(p1.trySeal(20), ['p1', 'p2'], 'p1 once held exactly the roster p2 sealed')
    // p3 sees the two of them announce it sealed, and takes it too
    p3.heard('p1', ['p1', 'p2'], true, 30)
    p3.heard('p2', ['p1', 'p2'], true, 30)
    assert.deepEqual(p3.trySeal(30), ['p1', 'p2'])
    // a sealed roster this peer never held is not taken on one member's word (x names p4 and itself only)
    const p4 = peer('p4')
    p4.heard('y', ['p4', 'y'], false, 0)
    p4.heard('x', ['p4', 'x'], true, 0)
    assert.equal(p4.trySeal(0), undefined)
  })

  it('needs minPeers members that agree', () => {
    const a = peer('a', 3)
    a.heard('b', ['a', 'b'], false, 0)
    assert.equal(a.trySeal(QUORUM_WAIT_MS * 2), undefined)
  })

  it('waits out a member that never agrees once its roster stayed unchanged for the quorum wait', () => {
    const a = peer('a')
    a.heard('b', ['a', 'b', 'c'], false, 0)
    a.heard('c', ['c', 'x'], false, 0)
    assert.equal(a.trySeal(QUORUM_WAIT_MS - 1), undefined)
    assert.deepEqual(a.trySeal(QUORUM_WAIT_MS), ['a', 'b', 'c'])
  })

  it('restarts that wait whenever its roster grows', () => {
    const a = peer('a')
    a.heard('b', ['a', 'b', 'c'], false, 0)
    a.heard('c', ['c'], false, 0)
    a.heard('d', ['d'], false, QUORUM_WAIT_MS - 1)
    assert.equal(a.trySeal(QUORUM_WAIT_MS), undefined)
  })

  it('takes a roster that minPeers of its members announced sealed, even one it is not on', () => {
    const late = peer('z')
    late.heard('a', ['a', 'b'], true, 0)
    assert.equal(late.trySeal(0), undefined, 'one member is not enough')
    late.heard('b', ['a', 'b'], true, 0)
    assert.deepEqual(late.trySeal(0), ['a', 'b'])
  })

  it('does not count sealed announcements from peers outside the roster', () => {
    const late = peer('z')
    late.heard('a', ['a', 'b'], true, 0)
    late.heard('mallory', ['a', 'b'], true, 0)
    assert.equal(late.trySeal(0), undefined)
  })

  it('tells which peers last announced another roster', () => {
    const a = peer('a')
    a.heard('b', ['a', 'b'], false, 0)
    a.heard('c', ['c'], false, 0)
    assert.deepEqual([a.disagrees('b'), a.disagrees('c')], [true, true])
    a.heard('b', ['a', 'b', 'c'], false, 0)
    assert.equal(a.disagrees('b'), false)
  })

  it('refuses malformed rosters with a reason', () => {
    assert.equal(rosterProblem('a', ['a', 'b'], false, 10), undefined)
    assert.equal(rosterProblem('z', ['a', 'b'], true, 10), undefined, 'a late peer announces the sealed roster it took')
    assert.match(rosterProblem('a', [], false, 10) ?? '', /without a roster/)
    assert.match(rosterProblem('z', ['a', 'b'], false, 10) ?? '', /does not list its sender/)
    assert.match(rosterProblem('a', ['b', 'a'], false, 10) ?? '', /not sorted/)
    assert.match(rosterProblem('a', ['a', 'a'], false, 10) ?? '', /repeats/)
    assert.match(rosterProblem('a', ['a', 'b', 'c'], false, 2) ?? '', /more than 2/)
  })
})
