/**
 * Who may join a swarm. A swarm key (libp2p pnet: every connection is
 * encrypted with a pre-shared key before anything else is said) keeps out
 * everyone who does not hold the key; an allow-list of peer IDs, enforced by
 * the connection gater, narrows the swarm to known peers.
 */
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { ConfigError } from '../errors.ts'

/** the libp2p swarm key format, version 1: a header, the encoding, 32 bytes in hex */
const SWARM_KEY_FORMAT = /^\/key\/swarm\/psk\/1\.0\.0\/\r?\n\/base16\/\r?\n[0-9a-fA-F]{64}\s*$/

/** A new random swarm key in the libp2p format (95 bytes of text). */
export function createSwarmKey (): Uint8Array {
  return new TextEncoder().encode(`/key/swarm/psk/1.0.0/\n/base16/\n${randomBytes(32).toString('hex')}`)
}

/** Reads a swarm key file; a missing or malformed file is a ConfigError saying how to make one. */
export function readSwarmKey (file: string): Uint8Array {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    throw new ConfigError(`swarm key file ${file} cannot be read: check the path given to --swarm-key, or create a key with swarm-node keygen --out ${file}`)
  }
  if (!SWARM_KEY_FORMAT.test(bytes.toString('utf8'))) {
    throw new ConfigError(`${file} is not a swarm key (expected /key/swarm/psk/1.0.0/, /base16/ and 64 hex digits on three lines): create one with swarm-node keygen --out <file>`)
  }
  return new Uint8Array(bytes)
}

/** An allow-list entry checked to be a peer ID; returns it normalised. */
export function allowedPeerId (entry: string, fail: (problem: string) => never): string {
  try {
    return peerIdFromString(entry).toString()
  } catch {
    return fail(`${JSON.stringify(entry)} is not a libp2p peer ID (like 12D3KooW…); a peer prints its ID when it starts`)
  }
}

/**
 * A connection gater: only the allowed peer IDs (when there is a list) and no
 * banned peer may connect, in either direction.
 */
export function accessGater (allow: string[] | undefined, isBanned: (peer: string) => boolean): ConnectionGater {
  const ids = allow === undefined ? undefined : new Set(allow)
  const denied = (peer: PeerId): boolean => {
    const id = peer.toString()
    return (ids !== undefined && !ids.has(id)) || isBanned(id)
  }
  return {
    denyDialPeer: denied,
    denyInboundEncryptedConnection: denied,
    denyOutboundEncryptedConnection: denied
  }
}
