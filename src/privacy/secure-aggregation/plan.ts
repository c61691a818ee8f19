/**
 * Which secrets the unmasking of a round needs, from the masked updates a
 * holder has: every masked update names the peers it shares pairwise masks
 * with. Two surviving updates must name each other (or neither): a pairwise
 * mask only cancels when both ends added it. Where views differ (one peer got
 * the other's shares, not the reverse), the peer with the larger ID is left
 * out and treated as dropped: its masked update is not used, so revealing
 * its mask key cannot expose it, since its self-mask stays secret. Pure and
 * deterministic, so every holder that has the same updates makes the same
 * plan.
 */
export interface UnmaskingPlan {
  /** peers whose masked updates are summed; their self-masks are revealed */
  survivors: string[]
  /** peers that some survivor masked with but whose update is not summed; their mask keys are revealed */
  dropped: string[]
}

export function unmaskingPlan (maskedWith: ReadonlyMap<string, readonly string[]>): UnmaskingPlan {
  const survivors = new Set(maskedWith.keys())
  const names = (peer: string, other: string): boolean => maskedWith.get(peer)?.includes(other) ?? false
  for (;;) {
    const sorted = [...survivors].sort()
    let excluded: string | undefined
    for (let i = 0; i < sorted.length && excluded === undefined; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        if (names(sorted[i], sorted[j]) !== names(sorted[j], sorted[i])) {
          excluded = sorted[j]
          break
        }
      }
    }
    if (excluded === undefined) break
    survivors.delete(excluded)
  }
  const dropped = new Set<string>()
  for (const peer of survivors) {
    for (const other of maskedWith.get(peer) ?? []) if (!survivors.has(other)) dropped.add(other)
  }
  return { survivors: [...survivors].sort(), dropped: [...dropped].sort() }
}

/**
 * Shares needed to rebuild one peer's secret: a majority of the round's
 * participants, and never fewer than 2 (one peer alone has nothing to hide
 * its update among), so two unmasking requests that ask
 * for different secrets of the same peer (a leader's and a successor's)
 * cannot both be answered by enough peers: no peer's update is ever exposed.
 */
export function shareThreshold (participants: number): number {
  return Math.max(2, Math.floor(participants / 2) + 1)
}
