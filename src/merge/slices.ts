/**
 * Running merges in slices. A merge of 16 updates of a 10 M-parameter model
 * takes seconds; run in one go it would stall the peer's networking (gossip
 * heartbeats, stream handshakes, fetches). Merges are generators that yield
 * between slices of coordinates; runInSlices gives the event loop a turn
 * whenever a slice run took longer than a few milliseconds.
 */
import type { Slices } from './types.ts'

/** coordinates of one slice: small enough to take well under a millisecond */
export const SLICE = 1 << 15
/** the event loop gets a turn at least this often during a merge */
const TURN_MS = 10

/** Runs a merge to its end without yielding to the event loop (tests, benchmarks). */
export function runToEnd<T> (work: Slices<T>): T {
  for (;;) {
    const next = work.next()
    if (next.done === true) return next.value
  }
}

/** Runs a merge, letting the event loop run between slices. */
export async function runInSlices<T> (work: Slices<T>): Promise<T> {
  let since = performance.now()
  for (;;) {
    const next = work.next()
    if (next.done === true) return next.value
    if (performance.now() - since >= TURN_MS) {
      await new Promise(resolve => setImmediate(resolve))
      since = performance.now()
    }
  }
}

/** Calls `work(from, to)` on consecutive slices of [0, length), yielding after each. */
export function * inSlices (length: number, work: (from: number, to: number) => void, slice = SLICE): Slices<void> {
  for (let from = 0; from < length; from += slice) {
    work(from, Math.min(length, from + slice))
    yield
  }
}
