import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createSwarmLibp2p } from '../../src/network/libp2p-node.ts'
import type { SwarmLibp2p } from '../../src/network/libp2p-node.ts'
import { lpStream } from '@libp2p/utils'
import { MEMBER_LIST_PROTOCOL, MODEL_SYNC_PROTOCOL } from '../../src/network/constants.ts'
import { memberList } from '../../src/network/member-list.ts'
import type { MemberList } from '../../src/network/member-list.ts'
import { MemberList as MemberListCodec } from '../../src/wire/swarm.js'
import { MalformedMessageError } from '../../src/wire/messages.ts'
import { modelSync } from '../../src/network/model-sync.ts'
import type { ModelSync } from '../../src/network/model-sync.ts'
import type { GlobalMessage } from '../../src/wire/messages.ts'
import { modelHash } from '../../src/model/weights.ts'

const weights = [{ shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) }]
const GLOBAL: GlobalMessage = { type: 'global', round: 3, weights, modelHash: modelHash(weights), contributors: [], merger: '', samples: 0, definition: '', state: [], updateHashes: [] }

async function modelSyncNode (): Promise<SwarmLibp2p<{ modelSync: ModelSync }>> {
  return createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] }, { isBanned: () => false }, { modelSync: modelSync({ current: () => GLOBAL }) })
}

describe('the direct stream services', function () {
  this.timeout(60_000)
  let server: SwarmLibp2p<{ modelSync: ModelSync }>
  let asker: SwarmLibp2p<{ modelSync: ModelSync }>
  /** a peer that takes requests for the model and never answers them */
  let silent: SwarmLibp2p

  before(async () => {
    [server, asker] = await Promise.all([modelSyncNode(), modelSyncNode()])
    silent = await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] }, { isBanned: () => false })
    await silent.handle(MODEL_SYNC_PROTOCOL, () => {})
    await asker.dial(server.getMultiaddrs())
    await asker.dial(silent.getMultiaddrs())
  })

  after(async () => {
    await Promise.all([server, asker, silent].map(async node => { await node.stop() }))
  })

  it('a fetch from a peer that never answers ends as soon as its signal aborts, long before the timeout', async () => {
    const started = Date.now()
    await assert.rejects(asker.services.modelSync.fetch(silent.peerId, { signal: AbortSignal.timeout(300) }))
    assert.ok(Date.now() - started < 5000, `the fetch ended after ${Date.now() - started} ms`)
  })

  it('a fetch given an aborted signal fails without asking', async () => {
    const controller = new AbortController()
    controller.abort()
    await assert.rejects(asker.services.modelSync.fetch(server.peerId, { signal: controller.signal }), { name: 'AbortError' })
  })

  it('a stopped service no longer answers: its peers see a protocol it does not speak', async () => {
    assert.equal((await asker.services.modelSync.fetch(server.peerId)).modelHash, GLOBAL.modelHash)
    await server.services.modelSync.stop()
    await assert.rejects(asker.services.modelSync.fetch(server.peerId), { name: 'UnsupportedProtocolError' })
    await server.services.modelSync.start()
    assert.equal((await asker.services.modelSync.fetch(server.peerId)).modelHash, GLOBAL.modelHash, 'started again, it answers again')
  })
})

describe('member lists carry names', function () {
  this.timeout(60_000)

  it('a member list tells its sender\'s --name; a list whose name is no peer name is refused as malformed', async () => {
    const node = async (name?: string): Promise<SwarmLibp2p<{ memberList: MemberList }>> => await createSwarmLibp2p({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] }, { isBanned: () => false }, {
      memberList: memberList({ members: () => [], global: () => ({ round: 2, modelHash: 'ab'.repeat(32) }), held: () => undefined, name })
    })
    const [named, asker, liar] = await Promise.all([node('site-a'), node(), node()])
    try {
      // a hostile peer answers with a name meant to rewrite the asker's terminal
      await liar.services.memberList.stop()
      await liar.handle(MEMBER_LIST_PROTOCOL, async (stream) => {
        await lpStream(stream).write(MemberListCodec.encode({ members: [], globalRound: 2, globalHash: new Uint8Array(32).fill(0xab), name: 'site-a\u001b[2J' }))
        await stream.close()
      })
      await asker.dial(named.getMultiaddrs())
      await asker.dial(liar.getMultiaddrs())
      assert.deepEqual(await asker.services.memberList.fetch(named.peerId), { members: [], globalRound: 2, globalHash: 'ab'.repeat(32), name: 'site-a' })
      await assert.rejects(asker.services.memberList.fetch(liar.peerId), (err: Error) => err instanceof MalformedMessageError && /a member list whose name is not a peer name/.test(err.message))
    } finally {
      await Promise.all([named, asker, liar].map(async n => { await n.stop() }))
    }
  })
})
