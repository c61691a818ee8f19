/**
 * Round 1's participants, agreed before anyone merges. A later round takes
 * its participants (and so its leader) from the previous global model's
 * contributors, which every peer holds; round 1 has no previous model, and
 * peers that start at different moments see different members, so two of
 * them could each be the leader in their own view. Peers therefore agree on
 * a roster first. Each peer announces its roster: itself and every peer it
 * heard announce round 1 from the same genesis model. It seals a roster when
 * - every member announced exactly that roster (at least minPeers did), or
 *   the roster stayed unchanged for the quorum wait and at least minPeers
 *   members agree: a member that never agrees (dead, frozen or hostile)
 *   does not hold the swarm up; or
 * - a member sealed a roster this peer itself held (it sealed on this peer's
 *   word, which this peer cannot take back: its roster grew meanwhile); or
 * - at least minPeers members of another roster announced it sealed (a peer
 *   that came late, or one the others had to wait out, takes theirs).
 * A peer's roster only grows until it is sealed, and a sealed roster never
 * changes, so two peers that hear each other cannot seal different rosters.
 */

export interface RosterSettings {
  self: string
  minPeers: number
  /** a roster unchanged this long is sealed without the members that do not agree */
  quorumWaitMs: number
}

/** The reason an announced roster is refused, or undefined when it is well formed. */
export function rosterProblem (from: string, roster: string[], sealed: boolean, limit: number): string | undefined {
  if (roster.length === 0) return 'a round 1 announcement without a roster'
  if (roster.length > limit) return `a roster of ${roster.length} peers, more than ${limit}`
  // a sealed roster may leave its sender out: a peer that came late takes the swarm's
  if (!sealed && !roster.includes(from)) return 'a roster that does not list its sender'
  if (roster.some((peer, i) => i > 0 && roster[i - 1] >= peer)) return 'a roster that is not sorted or repeats a peer'
  return undefined
}

export class RosterAgreement {
  private readonly settings: RosterSettings
  private readonly own = new Set<string>()
  private ownChangedAt: number
  /** the latest roster each peer announced, as a key, and whether it said it was sealed */
  private readonly views = new Map<string, { key: string, sealed: boolean }>()
  private readonly rosters = new Map<string, string[]>()
  private sealedRoster: string[] | undefined
  /** every roster this peer has held (and so may have announced), as keys */
  private readonly held = new Set<string>()

  constructor (settings: RosterSettings, now: number) {
    this.settings = settings
    this.own.add(settings.self)
    this.ownChangedAt = now
    this.held.add(settings.self)
  }

  /** The agreed roster, once sealed. */
  get sealed (): string[] | undefined {
    return this.sealedRoster
  }

  /** What this peer announces: its sealed roster, or the one it has so far. */
  get roster (): string[] {
    return this.sealedRoster ?? [...this.own].sort()
  }

  /** A well-formed round 1 announcement from the same genesis model; true when this peer's roster grew. */
  heard (from: string, roster: string[], sealed: boolean, now: number): boolean {
    const key = roster.join(',')
    this.views.set(from, { key, sealed })
    this.rosters.set(key, roster)
    const referenced = new Set([...this.views.values()].map(view => view.key))
    for (const known of this.rosters.keys()) if (!referenced.has(known)) this.rosters.delete(known)
    if (this.sealedRoster !== undefined || this.own.has(from)) return false
    this.own.add(from)
    this.ownChangedAt = now
    this.held.add(this.roster.join(','))
    return true
  }

  /** Whether `from` last announced a roster other than this peer's. */
  disagrees (from: string): boolean {
    return this.views.get(from)?.key !== this.roster.join(',')
  }

  /** Seals the roster if the rules above allow; returns it when this call sealed it. */
  trySeal (now: number): string[] | undefined {
    if (this.sealedRoster !== undefined) return undefined
    const roster = this.committed() ?? this.agreed(now) ?? this.adoptable()
    this.sealedRoster = roster
    return roster
  }

  private agreed (now: number): string[] | undefined {
    const roster = this.roster
    const key = roster.join(',')
    const agreeing = roster.filter(peer => peer === this.settings.self || this.views.get(peer)?.key === key)
    if (agreeing.length < this.settings.minPeers) return undefined
    const stable = now - this.ownChangedAt >= this.settings.quorumWaitMs
    return agreeing.length === roster.length || stable ? roster : undefined
  }

  /** A roster a member on it sealed that this peer held itself: another peer may have sealed on its word. */
  private committed (): string[] | undefined {
    for (const [peer, view] of this.views) {
      if (!view.sealed || peer === this.settings.self || !this.held.has(view.key)) continue
      const roster = this.rosters.get(view.key)
      if (roster?.includes(peer) === true && roster.length >= this.settings.minPeers) return roster
    }
    return undefined
  }

  private adoptable (): string[] | undefined {
    const sealedBy = new Map<string, number>()
    for (const [peer, view] of this.views) {
      if (!view.sealed || peer === this.settings.self) continue
      if (this.rosters.get(view.key)?.includes(peer) !== true) continue
      sealedBy.set(view.key, (sealedBy.get(view.key) ?? 0) + 1)
    }
    for (const [key, count] of sealedBy) {
      if (count >= this.settings.minPeers) return this.rosters.get(key)
    }
    return undefined
  }
}
