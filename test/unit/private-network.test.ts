import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { KeystreamXor, swarmKeyBytes } from '../../src/network/private-network.ts'
import { createSwarmKey } from '../../src/network/access.ts'

// the cipher of @libp2p/pnet, the reference implementation of the protocol
const ReferenceXSalsa20 = createRequire(import.meta.url)('xsalsa20') as (nonce: Uint8Array, key: Uint8Array) => { update: (input: Uint8Array) => Uint8Array }

describe('private network keystream', () => {
  it('matches the XSalsa20 stream of @libp2p/pnet whatever the sizes of the pieces', () => {
    const key = randomBytes(32)
    const nonce = randomBytes(24)
    const ours = new KeystreamXor(key, nonce)
    const reference = ReferenceXSalsa20(nonce, key)
    // pieces that start and end inside 64-byte blocks, and one spanning many blocks
    for (const size of [1, 63, 64, 65, 0, 7, 1000, 129, 5000, 3]) {
      const piece = randomBytes(size)
      assert.deepEqual(ours.update(piece), reference.update(piece), `a piece of ${size} bytes`)
    }
  })

  it('takes the 32-byte key from a swarm key file', () => {
    const file = createSwarmKey()
    const hex = new TextDecoder().decode(file).split('\n')[2]
    assert.equal(Buffer.from(swarmKeyBytes(file)).toString('hex'), hex)
    assert.equal(swarmKeyBytes(file).length, 32)
  })
})
