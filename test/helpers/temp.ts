import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temporary folder, removed after the suite (kept when KEEP_RUNS is set, for debugging). */
export function tempFolder (prefix: string): { path: string, remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `swarm-${prefix}-`))
  return { path, remove: () => { if (process.env.KEEP_RUNS === undefined) rmSync(path, { recursive: true, force: true }) } }
}
