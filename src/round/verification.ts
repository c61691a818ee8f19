/**
 * What a peer knows about other peers' word on global models, and when that
 * word is enough to adopt one it did not compute itself. Pure: the round
 * machine (machine.ts) feeds it and asks it.
 *
 * Two kinds of word:
 * - attestations: a holder of a round's updates recomputed a merged model
 *   from the set it names and says which hash it got (an `Attest` message);
 * - claims: a peer says it holds a global model (it works on the next round
 *   from it, in a hello, an announce, an offer or its member list, or it
 *   served it when asked).
 *
 * Against a merge leader that lies with up to f colluders (`colluders`), a
 * model counts as verified once f + 1 peers other than its merger back it:
 * at least one of them is honest and computed, or adopted only what was
 * computed. When fewer than f + 1 such peers are alive, all of them must.
 */

export class Verification {
  private readonly colluders: number
  /** by `${round}:${hash}`: the peers that computed this hash from a merged set */
  private readonly attesters = new Map<string, Set<string>>()
  /** by `${round}:${hash}`: merged models some holder contradicted */
  private readonly contradictions = new Set<string>()
  /** the newest global model each peer said it holds */
  private readonly claims = new Map<string, { round: number, hash: string }>()

  constructor (colluders: number) {
    this.colluders = colluders
  }

  /** How many of `eligible` backers a model needs: f + 1, or all of them when fewer are alive. */
  needed (eligible: number): number {
    return Math.min(this.colluders + 1, eligible)
  }

  attested (round: number, hash: string, by: string): void {
    entry(this.attesters, `${round}:${hash}`, () => new Set()).add(by)
  }

  /** Records that a holder computed another hash than `claimed`; true the first time. */
  contradict (round: number, claimed: string): boolean {
    const key = `${round}:${claimed}`
    if (this.contradictions.has(key)) return false
    this.contradictions.add(key)
    return true
  }

  isContradicted (round: number, hash: string): boolean {
    return this.contradictions.has(`${round}:${hash}`)
  }

  /** Attesters of a model among the eligible ones. */
  attestations (round: number, hash: string, eligible: readonly string[]): number {
    const attesters = this.attesters.get(`${round}:${hash}`)
    return attesters === undefined ? 0 : eligible.filter(peer => attesters.has(peer)).length
  }

  /** `peer` holds the global model `hash` of `round`; an older claim than its last is ignored. */
  claim (peer: string, round: number, hash: string): void {
    const known = this.claims.get(peer)
    if (known === undefined || round >= known.round) this.claims.set(peer, { round, hash })
  }

  /** Claimants of a model among the eligible ones. */
  vouchers (round: number, hash: string, eligible: readonly string[]): number {
    return eligible.filter(peer => {
      const claim = this.claims.get(peer)
      return claim?.round === round && claim.hash === hash
    }).length
  }

  /** Whether enough of the live holders other than the merger (`holders`) attested a model; true when there are none. */
  attestedEnough (round: number, hash: string, holders: readonly string[]): boolean {
    return this.attestations(round, hash, holders) >= this.needed(holders.length)
  }

  /** Whether enough of the live members other than the merger (`members`) hold a model; true when there are none. */
  claimedEnough (round: number, hash: string, members: readonly string[]): boolean {
    return this.vouchers(round, hash, members) >= this.needed(members.length)
  }

  forget (peer: string): void {
    this.claims.delete(peer)
  }

  /** Drops what is known of rounds before `round`. */
  forgetRoundsBefore (round: number): void {
    for (const key of this.attesters.keys()) if (Number(key.split(':')[0]) < round) this.attesters.delete(key)
    for (const key of this.contradictions) if (Number(key.split(':')[0]) < round) this.contradictions.delete(key)
  }
}

/** The value of `key` in `map`, created by `create` on first use. */
export function entry<K, V> (map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key)
  if (value === undefined) {
    value = create()
    map.set(key, value)
  }
  return value
}
