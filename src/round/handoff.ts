/**
 * After the last round. A peer that finished stays reachable while members
 * are still behind, so that a site that was cut off, or frozen, and comes
 * back can still fetch the swarm's final model from it. Members still
 * present (connected, or being dialled again after their connection dropped)
 * whose newest known global model is older than the last round are behind;
 * a member whose progress is unknown is not waited for.
 */
export function membersBehind (knownRounds: ReadonlyMap<string, number>, present: Iterable<string>, lastRound: number): string[] {
  return [...new Set(present)].filter(peer => (knownRounds.get(peer) ?? lastRound) < lastRound).sort()
}
