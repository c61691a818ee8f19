/** The peer's libp2p identity, kept in its data directory so a restarted peer keeps its peer ID. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { writeAtomically } from '../model/trainer.ts'
import { UserError } from '../errors.ts'

export const PEER_KEY_FILE = 'peer.key'

export async function loadOrCreatePeerKey (dataDir: string): Promise<PrivateKey> {
  const file = join(dataDir, PEER_KEY_FILE)
  if (existsSync(file)) {
    try {
      return privateKeyFromProtobuf(readFileSync(file))
    } catch {
      throw new UserError(`${file} is not a libp2p private key: delete it to create a new identity (the peer gets a new peer ID)`)
    }
  }
  const key = await generateKeyPair('Ed25519')
  writeAtomically(file, privateKeyToProtobuf(key))
  return key
}
