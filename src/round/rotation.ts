/**
 * The merge-leader rotation. Every peer computes it alone from the round
 * number and the round's participants (the contributors to the previous
 * global model, which every peer holds), so no messages are needed to agree.
 */

/**
 * The round's participants in the order they take the leader role: sorted by
 * peer ID and rotated so that round r starts at index (r - 1) mod n. Later
 * entries take over, in order, when earlier ones are gone.
 */
export function rotationOrder (round: number, participants: Iterable<string>): string[] {
  const sorted = [...new Set(participants)].sort()
  if (sorted.length === 0) return []
  const start = (round - 1) % sorted.length
  return [...sorted.slice(start), ...sorted.slice(0, start)]
}

/** The rotation's choice of merge leader for a round. */
export function roundLeader (round: number, participants: Iterable<string>): string | undefined {
  return rotationOrder(round, participants)[0]
}
