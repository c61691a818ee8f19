/**
 * swarm-node status: asks a running peer, over the swarm's status protocol,
 * how the swarm stands, and prints it (or the checked answer as JSON). The
 * asker is a throwaway libp2p node that joins nothing: it dials, asks, and
 * stops.
 */
import { parseArgs } from 'node:util'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createSwarmLibp2p } from '../src/network/libp2p-node.ts'
import { status } from '../src/network/status.ts'
import type { Status, StatusAnswer } from '../src/network/status.ts'
import { readSwarmKey } from '../src/network/access.ts'
import { dialProblem } from '../src/network/dial-errors.ts'
import { peerLabel } from '../src/events/log.ts'
import { duration } from '../src/events/terminal.ts'
import { ConfigError, UserError } from '../src/errors.ts'

/** how long the whole question may take */
const STATUS_WAIT_MS = 15_000

export const STATUS_USAGE = `Usage: swarm-node status --peer <multiaddr> [--swarm-key <file>] [--json]

Asks a running peer how its swarm stands: the members (names, peer IDs,
addresses and what each is doing), the round, its leader and who it waits
for, and the last round's metrics on that peer's test data. --peer is one of
the addresses the peer printed under "listening on". A private swarm needs
its --swarm-key. --json prints the answer as one JSON object.

Exit codes: 0 answered, 2 bad flags, or no answer (unreachable, refused, not a swarm peer).
`

export async function statusCommand (args: string[]): Promise<number> {
  let values: { peer?: string, 'swarm-key'?: string, json?: boolean }
  try {
    values = parseArgs({ args, options: { peer: { type: 'string' }, 'swarm-key': { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false }).values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Usage: swarm-node status --peer <multiaddr> [--swarm-key <file>] [--json]`)
  }
  if (values.peer === undefined) throw new ConfigError('status needs --peer <multiaddr>: an address the peer printed under "listening on"')
  let address: Multiaddr
  try {
    address = multiaddr(values.peer)
  } catch (err) {
    throw new ConfigError(`--peer ${JSON.stringify(values.peer)} is not a multiaddr (${(err as Error).message}); copy one the peer printed under "listening on", such as /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…`)
  }
  const swarmKey = values['swarm-key'] === undefined ? undefined : readSwarmKey(values['swarm-key'])
  const answer = await askStatus(address, swarmKey)
  process.stdout.write(values.json === true ? `${JSON.stringify(answer, null, 2)}\n` : formatStatus(answer, Date.now()))
  return 0
}

/** Dials `address` and asks for its status; a UserError says why there is no answer. */
async function askStatus (address: Multiaddr, swarmKey: Uint8Array | undefined): Promise<StatusAnswer> {
  const node = await createSwarmLibp2p<{ status: Status }>({ privateKey: await generateKeyPair('Ed25519'), listen: [], swarmKey }, { isBanned: () => false }, { status: status({ answer: () => { throw new Error('a status asker has no status') } }) })
  const signal = AbortSignal.timeout(STATUS_WAIT_MS)
  const hint = swarmKey === undefined ? '; if the swarm is private, give its --swarm-key <file>' : ''
  try {
    await node.start()
    let connection
    try {
      connection = await node.dial(address, { signal })
    } catch (err) {
      throw new UserError(`could not reach ${address.toString()}: ${dialProblem(err, swarmKey !== undefined)}. Check that the peer runs and that this is an address it printed under "listening on"${hint}`)
    }
    try {
      return await node.services.status.fetch(connection.remotePeer, { signal })
    } catch (err) {
      const name = (err as Error).name
      if (name === 'UnsupportedProtocolError') throw new UserError(`${address.toString()} answered, but does not speak the swarm's status protocol: is it a swarm-node peer of this version?`)
      throw new UserError(`${address.toString()} did not answer the status request: ${(err as Error).message}${hint}`)
    }
  } finally {
    await node.stop()
  }
}

/** The answer as an operator reads it. */
function formatStatus (s: StatusAnswer, now: number): string {
  const label = (peer: string): string => peerLabel(peer, s.members.find(m => m.peerId === peer)?.name)
  const lines = [`${s.name === undefined ? '' : `${s.name} `}${s.peerId} (swarm-node ${s.version})`]
  const doing = s.phase === 'done' ? `finished all ${s.rounds} rounds` : `round ${s.round} of ${s.rounds}: ${s.phase.replaceAll('-', ' ')}`
  lines.push(doing)
  if (s.leader !== undefined && s.phase !== 'done') lines.push(`leader: ${label(s.leader)}`)
  if (s.awaited.length > 0) lines.push(`waiting for updates from ${s.awaited.length} of ${s.participants.length}: ${s.awaited.map(label).join(', ')}`)
  lines.push(`merge: ${s.strategy}${s.secureAggregation ? ', secure aggregation' : ''}${s.dp === 'none' ? '' : `, differential privacy (${s.dp})${s.epsilon === undefined ? '' : `, ε ${s.epsilon.toFixed(2)} spent`}`}`)
  if (s.last !== undefined) {
    const metrics = (['accuracy', 'auc', 'mae', 'loss'] as const).flatMap(m => (typeof s.last?.[m] === 'number' ? [`${m} ${s.last[m].toFixed(4)}`] : []))
    lines.push(`last round: ${s.last.round}, merged by ${label(s.last.leader)} from ${s.last.contributors.length} updates, ${duration(now - s.last.completedAt)} ago | ${metrics.join(' | ')}`)
  }
  lines.push(`members (${s.members.length}):`)
  for (const m of s.members) {
    lines.push(`  ${(m.name ?? '-').padEnd(14)} ${m.peerId}  ${m.state}`)
    for (const a of m.multiaddrs) lines.push(`      ${a}`)
  }
  return lines.join('\n') + '\n'
}
