/**
 * Fault points: a peer started with --fault-injection obeys a fault plan that
 * a test harness writes into its data dir (docs/FAULTS.md). The plan names an
 * event; right after the peer logs the matching event, it freezes itself with
 * SIGSTOP, so the harness can kill or resume it at exactly that protocol
 * moment, which polling the event log alone cannot promise.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { SwarmEvent } from '../src/events/catalog.ts'
import type { EventSink } from '../src/events/log.ts'

export const FAULT_PLAN_FILE = 'fault-plan.json'

export interface FaultPlan {
  /** the event after which the peer freezes */
  after: string
  /** fields the event must carry, e.g. { round: 3 } */
  where?: Record<string, unknown>
  /** freeze after this many matching events (default 1) */
  count?: number
}

export class FaultPoints implements EventSink {
  private readonly file: string
  /** matching events seen so far, for the plan currently in the file */
  private seen = 0
  private planText = ''

  constructor (dataDir: string) {
    this.file = join(dataDir, FAULT_PLAN_FILE)
  }

  /** Called after every logged event; freezes the process when the plan says so. */
  write (logged: SwarmEvent): void {
    const event = logged.event
    const fields = logged as unknown as Record<string, unknown>
    if (!existsSync(this.file)) return
    const text = readFileSync(this.file, 'utf8')
    if (text !== this.planText) {
      this.planText = text
      this.seen = 0
    }
    let plan: FaultPlan
    try {
      plan = JSON.parse(text) as FaultPlan
    } catch {
      process.stderr.write(`warning: ignoring fault plan ${this.file}: it is not valid JSON\n`)
      rmSync(this.file, { force: true })
      return
    }
    if (plan.after !== event) return
    if (!Object.entries(plan.where ?? {}).every(([key, value]) => fields[key] === value)) return
    this.seen++
    if (this.seen < (plan.count ?? 1)) return
    rmSync(this.file, { force: true })
    process.kill(process.pid, 'SIGSTOP')
  }
}
