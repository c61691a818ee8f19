/**
 * Joining a running swarm through the addresses of a few of its peers (the
 * --peer multiaddrs), and fetching the global model from the first contact
 * that answers.
 */
import { setTimeout as delay } from 'node:timers/promises'
import type { Connection } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { SwarmLibp2p } from './libp2p-node.ts'
import type { ModelSync } from './model-sync.ts'
import { ASK_ANOTHER_CONTACT_MS, DIAL_TIMEOUT_MS, JOIN_RETRY_MAX_MS, MODEL_SYNC_PROTOCOL } from './constants.ts'
import { dialProblem, isTimeout } from './dial-errors.ts'
import { UserError } from '../errors.ts'
import type { GlobalMessage } from '../wire/messages.ts'

export interface JoinOptions {
  /** how long to keep trying to reach the contacts */
  timeoutMs: number
  /** whether this peer holds a swarm key: it changes what a failed handshake likely means */
  privateSwarm: boolean
  modelSync: ModelSync
  warn: (text: string) => void
}

/**
 * Dials every contact at once and keeps trying each, backing off, until one
 * answers or the join timeout passes: sites start in any order, and a contact
 * busy with many newcomers may time out. Says once per address what it waits
 * for. Once one answers, no new tries start, but dials under way finish: every
 * contact reached is a member, so a contact that stops answering does not
 * leave this peer alone. Returns the global model of the first contact that
 * serves it.
 */
export async function joinThrough (libp2p: SwarmLibp2p, addresses: string[], options: JoinOptions): Promise<GlobalMessage | undefined> {
  const deadline = Date.now() + options.timeoutMs
  const joined = new AbortController()
  const lastProblem = new Map<string, string>()
  const attempts = addresses.map(async address => {
    for (let attempt = 0; ; attempt++) {
      const cutShort = deadline - Date.now() < DIAL_TIMEOUT_MS
      try {
        return await libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(Math.max(1, Math.min(DIAL_TIMEOUT_MS, deadline - Date.now()))) })
      } catch (err) {
        if (joined.signal.aborted) throw err
        const problem = dialProblem(err, options.privateSwarm)
        if (!lastProblem.has(address)) options.warn(`waiting for ${address}: ${problem}; trying again until ${new Date(deadline).toLocaleTimeString()} (--join-timeout-ms)`)
        // a last try cut short by the join timeout says less than the tries before it
        if (!cutShort || !isTimeout(err) || !lastProblem.has(address)) lastProblem.set(address, problem)
        const pause = Math.min(JOIN_RETRY_MAX_MS, 1000 * 2 ** attempt)
        if (Date.now() + pause >= deadline) throw err
        await delay(pause, undefined, { signal: joined.signal }).catch(() => {})
        if (joined.signal.aborted) throw err
      }
    }
  })
  let first
  try {
    first = await Promise.any(attempts)
  } catch {
    const problems = [...lastProblem].map(([address, problem]) => `${address}: ${problem}`).join('; ')
    throw new UserError(`could not reach any --peer within ${Math.round(options.timeoutMs / 1000)} s (--join-timeout-ms): ${problems}. Check the multiaddr, that the peer is running, and that both sides use the same --swarm-key (or none)`)
  }
  joined.abort()
  // the first contact reached is asked for the model; if it has not served it
  // after a few seconds (busy, or frozen since), the others reached are asked too
  const asked = new Set<string>()
  let served = false
  const fetches = attempts.map(async attempt => {
    const contact = await attempt
    if (!contact.remotePeer.equals(first.remotePeer)) await delay(ASK_ANOTHER_CONTACT_MS, undefined, { ref: false })
    const peer = contact.remotePeer.toString()
    if (served || asked.has(peer)) throw new Error('asked another contact')
    asked.add(peer)
    const model = await fetchContactModel(contact, options)
    served = true
    return model
  })
  try {
    return await Promise.any(fetches)
  } catch (err) {
    const versionMismatch = (err as AggregateError).errors.find(e => e instanceof UserError)
    if (versionMismatch !== undefined) throw versionMismatch
    return undefined
  }
}

/** A contact's global model; a UserError when it runs another version of swarm. */
async function fetchContactModel (contact: Connection, options: JoinOptions): Promise<GlobalMessage> {
  try {
    return await options.modelSync.fetch(contact.remotePeer)
  } catch (err) {
    if ((err as Error).name === 'UnsupportedProtocolError') {
      throw new UserError(`the peer at ${contact.remoteAddr.toString()} does not speak ${MODEL_SYNC_PROTOCOL}: it runs another version of swarm, and every peer of a swarm needs the same version`)
    }
    options.warn(`could not fetch the global model from ${contact.remotePeer.toString()}: ${(err as Error).message}`)
    throw err
  }
}
