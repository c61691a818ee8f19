import assert from 'node:assert/strict'
import { describeOutcome } from '../../node/launcher.ts'
import type { PeerSummary } from '../../node/launcher.ts'

function peer (exitCode: number | null, modelHash: string | null): PeerSummary {
  return { peerId: 'p', dataDir: 'd', exitCode, rounds: modelHash === null ? 0 : 3, accuracy: null, mae: null, modelHash }
}

describe('the outcome line of a local swarm', () => {
  it('says every peer holds the same model only when every peer finished with one', () => {
    assert.equal(describeOutcome([peer(0, 'a'), peer(0, 'a')]), 'every peer finished and holds the same model')
    assert.equal(describeOutcome([peer(0, 'a'), peer(0, 'b')]), 'every peer finished and holds 2 different models')
    assert.equal(describeOutcome([peer(0, 'a')]), 'the peer finished')
  })

  it('says that no peer finished, and how they exited, when none holds a model', () => {
    assert.equal(describeOutcome([peer(2, null), peer(2, null), peer(null, null)]), 'no peer finished: 2 exited with code 2, 1 exited with code null')
  })

  it('counts the peers that finished apart from those that failed', () => {
    assert.equal(describeOutcome([peer(0, 'a'), peer(137, 'a'), peer(0, 'a')]), '2 of 3 peers finished and hold the same model; 1 exited with code 137')
  })
})
