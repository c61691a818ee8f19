/**
 * The updates a peer keeps for the round it works on and the one before:
 * its own encoded update, the ones it fetched as a holder (so it can hand
 * them to another holder whose sender left), and the signed offers that
 * vouch for each (an update handed on by a holder must match its sender's
 * offer). Who may fetch them is the round machine's decision.
 */
import type { OfferMessage } from '../src/wire/messages.ts'

export class UpdateBook {
  private readonly self: string
  /** encoded updates by `${round}:${baseHash}`, then by sender */
  private readonly payloads = new Map<string, Map<string, Uint8Array>>()
  /** offers by `${round}:${baseHash}`, then by sender */
  private readonly offers = new Map<string, Map<string, OfferMessage>>()

  constructor (self: string) {
    this.self = self
  }

  /** Keeps an encoded update of `owner` (this peer's own, or one fetched); rounds before the previous one are forgotten. */
  keep (owner: string, round: number, baseHash: string, payload: Uint8Array): void {
    this.bySender(this.payloads, round, baseHash).set(owner, payload)
    this.forgetBefore(round - 1)
  }

  /** The encoded update of `owner` (this peer when absent) for a round and base, if kept. */
  payload (round: number, baseHash: string, owner: string = this.self): Uint8Array | undefined {
    return this.payloads.get(`${round}:${baseHash}`)?.get(owner)
  }

  /** Keeps a sender's offer (its first one for a round and base counts). */
  offered (from: string, offer: OfferMessage): void {
    const offers = this.bySender(this.offers, offer.round, offer.baseHash)
    if (!offers.has(from)) offers.set(from, offer)
    this.forgetBefore(offer.round - 1)
  }

  /** A sender's offer for a round and base, if heard. */
  offerOf (from: string, round: number, baseHash: string): OfferMessage | undefined {
    return this.offers.get(`${round}:${baseHash}`)?.get(from)
  }

  private bySender<T> (map: Map<string, Map<string, T>>, round: number, baseHash: string): Map<string, T> {
    const key = `${round}:${baseHash}`
    let bySender = map.get(key)
    if (bySender === undefined) {
      bySender = new Map()
      map.set(key, bySender)
    }
    return bySender
  }

  private forgetBefore (round: number): void {
    for (const map of [this.payloads, this.offers]) {
      for (const key of map.keys()) if (Number(key.split(':')[0]) < round) map.delete(key)
    }
  }
}
