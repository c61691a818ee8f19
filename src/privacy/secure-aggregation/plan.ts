/**
 * Which masked updates a round sums (the survivors) and whose mask keys the
 * unmasking needs (the dropped), from what each survivor's signed offer says
 * it masked with. Pure and deterministic, so the merger and every peer that
 * answers its request compute the same plan from the same offers.
 *
 * A masked update is y_u = x_u + PRG(b_u) + Σ ±PRG(s_uv) over the peers v in
 * its list. Once b_u is revealed, x_u stays hidden only behind the pairwise
 * masks with other survivors, whose mask keys are never revealed. So:
 * 1. two survivors name each other or neither: a pairwise mask cancels only
 *    when both added it. Of a pair that disagrees, the larger ID is left out;
 * 2. every survivor masked with at least t − 1 other survivors (t: the
 *    round's threshold, the fewest updates a sum may hold, or the threshold
 *    its own secrets are shared with when that is smaller, as beyond 255
 *    peers): a peer that joined too late to mask with enough peers never has
 *    its self-mask revealed, it sits out;
 * 3. at most `capacity` survivors, the vectors the round's fixed point can
 *    sum without wrapping: the round's participants first, then newcomers
 *    by peer ID.
 * A peer left out whose pairwise masks some survivor carries is dropped:
 * its mask key is rebuilt and those masks removed. Its own masked update is
 * never used, and its self-mask never revealed, so it stays hidden.
 */
import { sha256 } from '@noble/hashes/sha2.js'

export interface UnmaskingPlan {
  /** peers whose masked updates are summed; their self-masks are revealed */
  survivors: string[]
  /** peers that some survivor masked with but whose update is not summed; their mask keys are revealed */
  dropped: string[]
}

export interface Candidate {
  /** the peers its masked update carries pairwise masks with, as its offer says */
  maskedWith: readonly string[]
  /** the fewest other survivors it must have masked with (maskingNeeded) */
  minMasks: number
}

export interface PlanRules {
  /** the most vectors the round's fixed point sums without wrapping */
  capacity: number
  /** the round's participants: they come first when the capacity is short */
  participants: ReadonlySet<string>
}

export function unmaskingPlan (candidates: ReadonlyMap<string, Candidate>, rules: PlanRules): UnmaskingPlan {
  const survivors = new Set(candidates.keys())
  const names = (peer: string, other: string): boolean => candidates.get(peer)?.maskedWith.includes(other) ?? false
  for (;;) {
    const sorted = [...survivors].sort()
    const asymmetric = firstAsymmetric(sorted, names)
    if (asymmetric !== undefined) {
      survivors.delete(asymmetric)
      continue
    }
    const alone = sorted.filter(peer => {
      const { maskedWith, minMasks } = candidates.get(peer) as Candidate
      return maskedWith.filter(other => survivors.has(other)).length < minMasks
    })
    if (alone.length > 0) {
      for (const peer of alone) survivors.delete(peer)
      continue
    }
    if (survivors.size <= rules.capacity) break
    const byPreference = sorted.sort((a, b) => Number(rules.participants.has(b)) - Number(rules.participants.has(a)) || (a < b ? -1 : 1))
    for (const peer of byPreference.slice(rules.capacity)) survivors.delete(peer)
  }
  const dropped = new Set<string>()
  for (const peer of survivors) {
    for (const other of candidates.get(peer)?.maskedWith ?? []) if (!survivors.has(other)) dropped.add(other)
  }
  return { survivors: [...survivors].sort(), dropped: [...dropped].sort() }
}

/** Of the first pair of `sorted` that do not name each other alike, the larger; undefined when all agree. */
function firstAsymmetric (sorted: string[], names: (peer: string, other: string) => boolean): string | undefined {
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (names(sorted[i], sorted[j]) !== names(sorted[j], sorted[i])) return sorted[j]
    }
  }
  return undefined
}

/** The fewest other peers a peer must mask with: the smaller of the round's threshold and its own shares' threshold, less one. */
export function maskingNeeded (roundThreshold: number, ownThreshold: number): number {
  return Math.min(roundThreshold, ownThreshold) - 1
}

/** Whether two plans name the same survivors and dropped peers. */
export function samePlan (a: UnmaskingPlan, b: UnmaskingPlan): boolean {
  return a.survivors.join(',') === b.survivors.join(',') && a.dropped.join(',') === b.dropped.join(',')
}

/** The hash survivors agree on (UnmaskConsent): SHA-256 of the round, its base and the plan, as text. */
export function setHash (round: number, baseHash: string, plan: UnmaskingPlan): string {
  const text = `swarm/secure-aggregation/set/${round}/${baseHash}/${plan.survivors.join(',')}/${plan.dropped.join(',')}`
  return Buffer.from(sha256(new TextEncoder().encode(text))).toString('hex')
}

/**
 * Shares needed to rebuild one peer's secret, of the n peers it shares them
 * with: more than two thirds, and never fewer than 2 (one peer alone has
 * nothing to hide its update among). A peer reveals shares for one survivor
 * set per round; with t > (n + c) / 2, two sets that ask for different
 * secrets of one peer cannot both gather t shares, even with c colluders
 * adding theirs to both: so with t > 2n/3, up to n/3 (2t − n − 1) colluders
 * learn nothing beyond the sum.
 */
export function shareThreshold (n: number): number {
  return Math.max(2, Math.floor((2 * n) / 3) + 1)
}

/**
 * Colluders the threshold of `n` shares withstands: c < 2t − n (two answer
 * sets cannot share a secret), and c ≤ t − 2 (a sum of t updates still holds
 * two honest ones, so a target's hides behind another's).
 */
export function colludersWithstood (n: number): number {
  const t = shareThreshold(n)
  return Math.max(0, Math.min(2 * t - n - 1, t - 2))
}

/**
 * The most masked vectors a round's fixed point sums: twice its
 * participants and one, so that newcomers fit beside them (a newcomer
 * beyond it sits the round out).
 */
export function roundCapacity (participants: number): number {
  return 2 * participants + 1
}

/**
 * The peers a peer shares its secrets with, of the key holders it knows:
 * all of them while they are at most `limit` (Shamir's scheme over GF(2^8)
 * makes at most 255 shares); beyond, its neighbours in a ring of the key
 * holders ordered by a hash of the round and their IDs (a symmetric graph
 * as in SecAgg+, Bell et al. 2020: u shares with v when v shares with u,
 * if both know the same holders), itself included.
 */
export function shareRecipients (self: string, keyHolders: readonly string[], round: number, baseHash: string, limit: number): string[] {
  const holders = [...new Set([...keyHolders, self])].sort()
  if (holders.length <= limit) return holders
  const position = (peer: string): string => Buffer.from(sha256(new TextEncoder().encode(`swarm/secure-aggregation/ring/${round}/${baseHash}/${peer}`))).toString('hex')
  const ring = holders.map(peer => ({ peer, at: position(peer) })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map(p => p.peer)
  const me = ring.indexOf(self)
  const side = Math.floor((limit - 1) / 2)
  const neighbours = new Set([self])
  for (let k = 1; k <= side; k++) {
    neighbours.add(ring[(me + k) % ring.length])
    neighbours.add(ring[(me - k + ring.length) % ring.length])
  }
  return [...neighbours].sort()
}
