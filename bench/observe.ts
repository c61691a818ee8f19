/**
 * What watching a swarm costs (docs/OPERATIONS.md):
 *
 *   npm run bench -- --scenario http   4 peer processes × 6 rounds on the built-in digits,
 *                                      without --http and with it while every peer's page
 *                                      stream is open and its /metrics scraped every second;
 *                                      seconds per round (rounds 2+), runs interleaved
 */
import type { LocalSwarm } from '../node/launcher.ts'
import { runSwarm } from './run.ts'
import type { SwarmReport } from './run.ts'

const PEERS = 4
const ROUNDS = 6
const REPEATS = 3
const SCRAPE_EVERY_MS = 1000

interface Watched { scrapes: number, scrapeMs: number[], metricsBytes: number, pushes: number, pushBytes: number }

/** Opens every peer's event stream and scrapes its /metrics every second, as a page and Prometheus would. */
function watcher (stats: Watched): (swarm: LocalSwarm) => () => Promise<void> {
  return swarm => {
    const stop = new AbortController()
    const pages = new Set<string>()
    const tasks: Array<Promise<void>> = []
    const follow = async (page: string): Promise<void> => {
      try {
        const response = await fetch(`${page}events`, { signal: stop.signal })
        for await (const chunk of response.body ?? []) {
          stats.pushBytes += chunk.byteLength
          stats.pushes += (Buffer.from(chunk).toString().match(/^data: /gm) ?? []).length
        }
      } catch {}
    }
    const timer = setInterval(() => {
      for (const peer of swarm.peers) {
        const page = peer.lastEvent('listening')?.page
        if (page === undefined || !peer.running) continue
        if (!pages.has(page)) {
          pages.add(page)
          tasks.push(follow(page))
        }
        const started = performance.now()
        tasks.push(fetch(`${page}metrics`, { signal: stop.signal }).then(async r => await r.text()).then(text => {
          stats.scrapes++
          stats.scrapeMs.push(performance.now() - started)
          stats.metricsBytes = Math.max(stats.metricsBytes, text.length)
        }, () => {}))
      }
    }, SCRAPE_EVERY_MS)
    return async () => {
      clearInterval(timer)
      stop.abort()
      await Promise.allSettled(tasks)
    }
  }
}

function perRound (report: SwarmReport): number {
  const later = report.rounds.filter(r => r.round > 1)
  return later.reduce((n, r) => n + r.seconds, 0) / Math.max(1, later.length)
}

export async function observeScenario (name: string): Promise<string[] | undefined> {
  if (name !== 'http') return undefined
  const common = ['--epochs', '1', '--quorum-wait-ms', '120000']
  const plain: number[] = []
  const watched: number[] = []
  const stats: Watched = { scrapes: 0, scrapeMs: [], metricsBytes: 0, pushes: 0, pushBytes: 0 }
  for (let i = 0; i < REPEATS; i++) {
    const without = await runSwarm(PEERS, ROUNDS, common)
    const withHttp = await runSwarm(PEERS, ROUNDS, [...common, '--http', '127.0.0.1:0'], undefined, watcher(stats))
    if (!without.ok || !withHttp.ok) throw new Error('a benchmark swarm failed')
    plain.push(perRound(without))
    watched.push(perRound(withHttp))
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
  const sorted = [...stats.scrapeMs].sort((a, b) => a - b)
  return [
    `--http overhead: ${PEERS} peer processes × ${ROUNDS} rounds of 1 epoch on the built-in digits (MLP 200-200), ${REPEATS} runs each, interleaved; with --http every peer's page stream is open and its /metrics scraped every ${SCRAPE_EVERY_MS / 1000} s`,
    `seconds per round (rounds 2+), without --http: ${plain.map(s => s.toFixed(2)).join(', ')} (mean ${mean(plain).toFixed(2)})`,
    `seconds per round (rounds 2+), with --http:    ${watched.map(s => s.toFixed(2)).join(', ')} (mean ${mean(watched).toFixed(2)})`,
    `ratio ${(mean(watched) / mean(plain)).toFixed(3)}`,
    `${stats.scrapes} scrapes of /metrics: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, 95th percentile ${sorted[Math.floor(sorted.length * 0.95)]?.toFixed(1)} ms, up to ${stats.metricsBytes} bytes; ${stats.pushes} page updates pushed, ${(stats.pushBytes / Math.max(1, stats.pushes)).toFixed(0)} bytes each on average`
  ]
}
