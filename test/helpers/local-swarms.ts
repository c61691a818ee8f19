import { join } from 'node:path'
import { LocalSwarm } from '../../node/launcher.ts'
import type { LaunchOptions, PeerSummary } from '../../node/launcher.ts'
import { tempFolder } from './temp.ts'

const MINUTES = 60_000

export type SwarmOptions = Omit<LaunchOptions, 'outDir'> & { name: string }

/**
 * Local swarms for one test file: call it inside `describe`. Every swarm is
 * stopped after its test and the folder removed after the file.
 */
export function useLocalSwarms (prefix: string): {
  folder: string
  start: (options: SwarmOptions) => Promise<LocalSwarm>
  run: (options: SwarmOptions) => Promise<{ swarm: LocalSwarm, peers: PeerSummary[] }>
} {
  const out = tempFolder(prefix)
  const swarms: LocalSwarm[] = []
  afterEach(async () => { await Promise.all(swarms.splice(0).map(s => s.stop())) })
  after(() => { if (process.env.KEEP_SWARMS === undefined) out.remove() })
  const start = async ({ name, ...options }: SwarmOptions): Promise<LocalSwarm> => {
    const swarm = await LocalSwarm.start({ ...options, outDir: join(out.path, name) })
    swarms.push(swarm)
    return swarm
  }
  return {
    folder: out.path,
    start,
    run: async options => {
      const swarm = await start(options)
      await swarm.waitForExit(5 * MINUTES)
      return { swarm, peers: swarm.summary().peers }
    }
  }
}
