/**
 * The primitives of secure aggregation, all from the audited @noble
 * libraries: X25519 key agreement, HKDF-SHA256 key derivation, ChaCha20 as
 * the pseudorandom generator that expands a 32-byte seed into a mask, and
 * XChaCha20-Poly1305 to encrypt the secret shares peers send each other.
 * Nothing here is home-made; this file only names how they are combined.
 */
import { x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { chacha20, xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { randomBytes } from '@noble/hashes/utils.js'

export const KEY_BYTES = 32
const NONCE_BYTES = 24
const ZERO_NONCE = new Uint8Array(12)

export interface KeyPair { secretKey: Uint8Array, publicKey: Uint8Array }

export function generateKeyPair (): KeyPair {
  const { secretKey, publicKey } = x25519.keygen()
  return { secretKey, publicKey }
}

/** a fixed scalar to test public keys with: every clamped scalar sends the low-order points to the same identity */
const CHECK_SCALAR = sha256(new TextEncoder().encode('swarm/secure-aggregation/low-order-check'))

/**
 * Whether an X25519 public key is of full order: a low-order point (such as
 * 32 zero bytes) gives the all-zero shared secret with every key, so all of
 * its "agreed" keys would be known to anyone (RFC 7748, section 6.1).
 */
export function isContributoryKey (publicKey: Uint8Array): boolean {
  try {
    x25519.getSharedSecret(CHECK_SCALAR, publicKey)
    return true
  } catch {
    return false
  }
}

export function publicKeyOf (secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey)
}

export function randomSeed (): Uint8Array {
  return randomBytes(KEY_BYTES)
}

export function digest (bytes: Uint8Array): Uint8Array {
  return sha256(bytes)
}

/**
 * A 32-byte key both ends of a pair derive alone: HKDF over their X25519
 * shared secret, bound to `context` (the round, its base model and the
 * purpose), so no key serves two rounds or two purposes.
 */
export function agreedKey (secretKey: Uint8Array, otherPublicKey: Uint8Array, context: string): Uint8Array {
  return hkdf(sha256, x25519.getSharedSecret(secretKey, otherPublicKey), undefined, new TextEncoder().encode(context), KEY_BYTES)
}

/** `length` words uniform in the ring Z_2^32: the ChaCha20 keystream of `seed`. */
export function expandSeed (seed: Uint8Array, length: number): Uint32Array {
  const stream = chacha20(seed, ZERO_NONCE, new Uint8Array(length * 4))
  return new Uint32Array(stream.buffer, stream.byteOffset, length)
}

/** Authenticated encryption of `plaintext` under `key`, bound to `context`; a fresh random nonce. */
export function seal (key: Uint8Array, plaintext: Uint8Array, context: string): { nonce: Uint8Array, ciphertext: Uint8Array } {
  const nonce = randomBytes(NONCE_BYTES)
  return { nonce, ciphertext: xchacha20poly1305(key, nonce, new TextEncoder().encode(context)).encrypt(plaintext) }
}

/** The plaintext of `seal`; throws when the key, context or ciphertext is not the one sealed. */
export function open (key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, context: string): Uint8Array {
  return xchacha20poly1305(key, nonce, new TextEncoder().encode(context)).decrypt(ciphertext)
}

export function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}
