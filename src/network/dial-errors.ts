/** What a failed dial means: whether to try again, and what to tell the operator. */

/**
 * What a failed dial says to the operator. A handshake that fails may be a
 * busy peer (it timed out on its side) as much as one with another swarm key:
 * the two look the same from here.
 */
export function dialProblem (err: unknown, privateSwarm: boolean): string {
  const { name, message } = err as Error
  if (refused(err)) return 'nothing listens there yet (connection refused)'
  if (isTimeout(err)) return 'no answer yet (timed out)'
  if (name === 'EncryptionFailedError' || name === 'UnexpectedEOFError') {
    return `the secure handshake failed (${message}): the peer may be busy, or ${privateSwarm ? 'it may hold another --swarm-key' : 'it may be in a private swarm that needs its --swarm-key'}`
  }
  return message
}

export function isTimeout (err: unknown): boolean {
  const { name } = err as Error
  return name === 'TimeoutError' || name === 'AbortError'
}

/** Whether a dial failed because nothing listens at the address (every address, for a dial of several). */
export function refused (err: unknown): boolean {
  const errors = err instanceof AggregateError ? err.errors : [err]
  return errors.length > 0 && errors.every(e => (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' || /ECONNREFUSED/.test((e as Error).message))
}
