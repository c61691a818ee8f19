import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** tests failed so far in this mocha run (a root-level hook counts them) */
let failures = 0
afterEach(function () {
  if (this.currentTest?.state === 'failed') failures++
})

/**
 * A fresh temporary folder. remove() deletes it, unless KEEP_RUNS is set or a
 * test failed since it was made: then it is kept, and its path printed, so the
 * peers' events and output can be read.
 */
export function tempFolder (prefix: string): { path: string, remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `swarm-${prefix}-`))
  const failuresBefore = failures
  return {
    path,
    remove: () => {
      if (failures > failuresBefore) console.log(`      kept ${path} for the failed test`)
      else if (process.env.KEEP_RUNS === undefined) rmSync(path, { recursive: true, force: true })
    }
  }
}
