/** Runs swarm-node (or another program) as a user would, collecting its output. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'

export const SWARM_NODE = join(import.meta.dirname, '..', '..', 'node', 'swarm-node')

export interface Result { code: number | null, stdout: string, stderr: string }

export function swarmNode (args: string[], options: { onStdout?: (text: string, stop: (signal: NodeJS.Signals) => void) => void, program?: string } = {}): Promise<Result> {
  return new Promise(resolve => {
    const child = spawn(options.program ?? SWARM_NODE, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let signalled = false
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      options.onStdout?.(stdout, signal => {
        if (signalled) return
        signalled = true
        child.kill(signal)
      })
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('exit', code => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr })
    })
  })
}

export function assertCleanUserError (result: Result, message: RegExp): void {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`)
  assert.match(result.stderr, message)
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace')
}
