import assert from 'node:assert/strict'
import { rotationOrder, roundLeader } from '../../src/round/rotation.ts'

const members = ['12D3KooWc', '12D3KooWa', '12D3KooWd', '12D3KooWb']

describe('leader rotation', () => {
  it('gives every peer the same leader whatever order it lists the participants in', () => {
    for (let round = 1; round <= 20; round++) {
      const leaders = new Set([members, [...members].reverse(), [...members].sort()].map(view => roundLeader(round, view)))
      assert.equal(leaders.size, 1, `round ${round}`)
    }
  })

  it('hands the role to every member over n successive rounds', () => {
    const leaders = [1, 2, 3, 4].map(round => roundLeader(round, members))
    assert.deepEqual([...leaders].sort(), [...members].sort())
  })

  it('orders the failover successors after the leader, each member once', () => {
    const order = rotationOrder(6, members)
    assert.equal(order[0], roundLeader(6, members))
    assert.deepEqual([...order].sort(), [...members].sort())
  })

  it('ignores duplicate entries and has no leader without participants', () => {
    assert.deepEqual(rotationOrder(1, ['b', 'a', 'b']), ['a', 'b'])
    assert.equal(roundLeader(3, []), undefined)
  })
})
