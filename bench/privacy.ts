/**
 * Privacy measured (docs/PRIVACY.md):
 *
 *   npm run bench -- --scenario secure  secure aggregation against plain updates, 4, 8 and 16
 *                                      peer processes on the built-in digits (SECURE_PEERS=4,16
 *                                      picks the sizes): bytes each peer sends per round, the
 *                                      consistency step's bytes and wait, seconds per round, accuracy
 *   npm run bench -- --scenario dp      accuracy after 8 rounds at ε ≈ 1, 3 and 8 (δ 1e-5),
 *                                      sample-level and client-level, beside no DP, in one
 *                                      process (bench/strategies.ts's simulator), and the time
 *                                      per-example clipping costs
 */
import { eventsNamed } from '../src/events/catalog.ts'
import { loadBuiltinMnist } from '../src/data/mnist-builtin.ts'
import { noiseMultiplierFor } from '../src/privacy/accountant.ts'
import { clientDpAggregator } from '../src/privacy/client-dp.ts'
import { DEFAULTS } from '../src/settings/parse.ts'
import { runSwarm } from './run.ts'
import { shares, Simulator } from './strategies.ts'

const EPSILONS = [1, 3, 8]
const DELTA = 1e-5
const ROUNDS = 8
/** one local epoch per round: DP-SGD's per-example gradients make an epoch about 6 times slower */
const EPOCHS = 1

async function secureTable (): Promise<string[]> {
  const rounds = 3
  const sizes = (process.env.SECURE_PEERS ?? '4,8,16').split(',').map(Number)
  const lines = [
    `secure aggregation against plain updates: built-in digits split evenly, MLP 200-200, ${rounds} rounds of 1 epoch, every peer a process on this machine`,
    'bytes a peer sends per round: its update (plain or masked), plus with secure aggregation its keys, shares, consents and sealed reveals (the global model, gossiped alike in both, is left out);',
    'the consistency step: the consents, and the median time from the merger\'s request to a peer\'s reveal (a reveal waits for t consents)',
    '| peers | mode | bytes per peer per round | of which secure-aggregation messages | of which consents | request → reveal, median ms | seconds per round (rounds 2+) | accuracy |',
    '|---|---|---|---|---|---|---|---|'
  ]
  for (const peers of sizes) {
    for (const secure of [false, true]) {
      const report = await runSwarm(peers, rounds, ['--epochs', '1', '--quorum-wait-ms', '120000', ...(secure ? ['--secure-aggregation'] : [])])
      const perRound = (event: 'update-published' | 'secure-shares-sent' | 'unmask-revealed' | 'unmask-requested'): number => eventsNamed(report.events, event).reduce((n, e) => n + e.bytes, 0) / (peers * rounds)
      const reveals = eventsNamed(report.events, 'unmask-revealed')
      // a peer that reseals its reveal to a new holder says its consents again: count them once per peer and round
      const consents = new Map<string, number>()
      for (const e of reveals) consents.set(`${e.peerId}:${e.round}`, Math.max(consents.get(`${e.peerId}:${e.round}`) ?? 0, e.consentBytes))
      const consentBytes = [...consents.values()].reduce((n, b) => n + b, 0) / (peers * rounds)
      const update = perRound('update-published')
      const protocol = perRound('secure-shares-sent') + perRound('unmask-revealed') + perRound('unmask-requested') + consentBytes
      const requested = new Map<number, number>()
      for (const e of eventsNamed(report.events, 'unmask-requested')) if (!requested.has(e.round)) requested.set(e.round, e.ts)
      const waits = reveals.map(e => e.ts - (requested.get(e.round) ?? e.ts)).sort((a, b) => a - b)
      const wait = secure && waits.length > 0 ? String(waits[Math.floor(waits.length / 2)]) : '—'
      const later = report.rounds.filter(r => r.round > 1)
      const seconds = later.reduce((n, r) => n + r.seconds, 0) / Math.max(1, later.length)
      lines.push(`| ${peers} | ${secure ? 'secure' : 'plain'} | ${Math.round(update + protocol)} | ${Math.round(protocol)} | ${Math.round(consentBytes)} | ${wait} | ${seconds.toFixed(1)} | ${report.accuracy.toFixed(4)}${report.ok ? '' : ' (not every peer finished alike)'} |`)
      console.error(lines.at(-1))
    }
  }
  return lines
}

async function dpTable (): Promise<string[]> {
  const sim = await Simulator.create(DEFAULTS.hiddenLayers)
  const { pool } = loadBuiltinMnist()
  const sites = shares(pool, 4, 'iid')
  const clip = DEFAULTS.dpClip
  const timed = async (run: () => Promise<number[]>): Promise<[number, number]> => {
    const started = performance.now()
    const accuracy = (await run()).at(-1) as number
    return [accuracy, (performance.now() - started) / 1000]
  }
  const [plain, plainSeconds] = await timed(async () => await sim.run({ merge: 'fedavg', sites, rounds: ROUNDS, epochs: EPOCHS }))
  const lines = [
    `accuracy after ${ROUNDS} rounds of ${EPOCHS} epoch, 4 sites of 2,000 built-in digits (iid), MLP 200-200, SGD 0.1, batch ${DEFAULTS.batchSize}, clip C ${clip}, δ ${DELTA}; noise multipliers chosen to spend ε over the ${ROUNDS} rounds`,
    `no DP: ${(100 * plain).toFixed(2)} % (${plainSeconds.toFixed(0)} s for the whole run)`,
    '| ε | sample-level z | sample-level accuracy | run seconds | client-level z (4 sites) | client-level accuracy | client-level z (100 sites) | client-level accuracy (100 sites) |',
    '|---|---|---|---|---|---|---|---|'
  ]
  const many = shares(pool, 100, 'iid')
  for (const epsilon of EPSILONS) {
    const sampleRate = DEFAULTS.batchSize / sites[0].data.count
    const steps = ROUNDS * EPOCHS * Math.ceil(sites[0].data.count / DEFAULTS.batchSize)
    const sampleZ = noiseMultiplierFor({ targetEpsilon: epsilon, delta: DELTA, sampleRate, steps })
    const [sample, sampleSeconds] = await timed(async () => await sim.run({ merge: 'fedavg', sites, rounds: ROUNDS, epochs: EPOCHS, dpSgd: { clipNorm: clip, noiseMultiplier: sampleZ } }))
    const clientZ = noiseMultiplierFor({ targetEpsilon: epsilon, delta: DELTA, sampleRate: 1, steps: ROUNDS })
    const [client] = await timed(async () => await sim.run({ merge: 'fedavg', sites, rounds: ROUNDS, epochs: EPOCHS, aggregator: clientDpAggregator(clip, clientZ) }))
    const [clientMany] = await timed(async () => await sim.run({ merge: 'fedavg', sites: many, rounds: ROUNDS, epochs: EPOCHS, aggregator: clientDpAggregator(clip, clientZ) }))
    lines.push(`| ${epsilon} | ${sampleZ.toFixed(3)} | ${(100 * sample).toFixed(2)} % | ${sampleSeconds.toFixed(0)} | ${clientZ.toFixed(3)} | ${(100 * client).toFixed(2)} % | ${clientZ.toFixed(3)} | ${(100 * clientMany).toFixed(2)} % |`)
    console.error(lines.at(-1))
  }
  return lines
}

export async function privacyScenario (name: string): Promise<string[] | undefined> {
  if (name === 'secure') return await secureTable()
  if (name === 'dp') return await dpTable()
  return undefined
}
