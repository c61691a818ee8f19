/**
 * Privacy accounting for DP-SGD: the Rényi differential privacy (Mironov 2017)
 * of the sampled Gaussian mechanism, computed as Mironov, Talwar and Zhang
 * (2019, arXiv:1908.10530, §3.3) do and as TensorFlow Privacy's rdp_accountant
 * and Opacus' RDP accountant implement it: a finite series for integer orders,
 * a series of erfc-weighted terms for fractional orders, both summed in log
 * space because their terms overflow a double long before the sum matters.
 * Pure numbers in, numbers out: no tfjs, no I/O.
 */
import { UserError } from '../errors.ts'

/** Opacus' DEFAULT_ALPHAS: 1.1 to 10.9 in tenths, then 12 to 63. */
export const DEFAULT_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10),
  ...Array.from({ length: 52 }, (_, k) => 12 + k)
]

/** A σ above this buys nothing a caller could want; Opacus gives up at the same bound. */
const MAX_NOISE_MULTIPLIER = 1e6

/** The fractional series stops when its terms are this far (in log) below the sum: e⁻³⁰ ≈ 1e-13. */
const NEGLIGIBLE_LOG_TERM = 30

/** A fractional series that has not converged by then is left out: its order gives no bound. */
const MAX_SERIES_TERMS = 1000

/** A privacy target that no noise multiplier reaches. */
export class PrivacyTargetError extends UserError {
  static name = 'PrivacyTargetError'
  name = 'PrivacyTargetError'
}

/**
 * Composes the RDP of DP-SGD steps, order by order (RDP adds up under
 * composition), and converts the total to (ε, δ)-DP on demand.
 */
export class RdpAccountant {
  readonly orders: readonly number[]
  private readonly spent: number[]

  constructor (orders: readonly number[] = DEFAULT_ORDERS) {
    if (orders.length === 0 || orders.some(order => !(order > 1 && Number.isFinite(order)))) {
      throw new RangeError('Rényi orders must be finite numbers above 1')
    }
    this.orders = orders
    this.spent = orders.map(() => 0)
  }

  /** Accounts `steps` steps that each add N(0, σ²) noise to a sum of sensitivity 1 over a sample drawn at `sampleRate`. */
  step (noiseMultiplier: number, sampleRate: number, steps = 1): void {
    if (!(steps >= 0 && Number.isInteger(steps))) throw new RangeError(`steps must be a whole number ≥ 0, not ${steps}`)
    this.orders.forEach((order, k) => { this.spent[k] += steps * sampledGaussianRdp(sampleRate, noiseMultiplier, order) })
  }

  /** The RDP spent so far at each of `orders`. */
  rdp (): readonly number[] {
    return [...this.spent]
  }

  /** The smallest ε for which the steps so far are (ε, δ)-DP. */
  epsilon (delta: number): number {
    return epsilonFromRdp(this.orders, this.spent, delta).epsilon
  }
}

/**
 * The RDP at `order` of one step of the sampled Gaussian mechanism: each
 * example is in the batch with probability `sampleRate`, and the sum of the
 * batch's contributions (sensitivity 1) gets N(0, noiseMultiplier²) noise.
 */
export function sampledGaussianRdp (sampleRate: number, noiseMultiplier: number, order: number): number {
  if (!(sampleRate >= 0 && sampleRate <= 1)) throw new RangeError(`the sample rate must lie in [0, 1], not ${sampleRate}`)
  if (!(noiseMultiplier >= 0)) throw new RangeError(`the noise multiplier must be ≥ 0, not ${noiseMultiplier}`)
  if (sampleRate === 0) return 0
  if (noiseMultiplier === 0) return Infinity
  if (sampleRate === 1) return order / (2 * noiseMultiplier ** 2)
  const logA = Number.isInteger(order)
    ? logAIntegerOrder(sampleRate, noiseMultiplier, order)
    : logAFractionalOrder(sampleRate, noiseMultiplier, order)
  return logA / (order - 1)
}

/**
 * The ε of (ε, δ)-DP implied by RDP `rdp[k]` at each `orders[k]`, and the
 * order that gives it. The conversion is the improved one of Balle et al.
 * (2020, "Hypothesis testing interpretations and Rényi DP", Theorem 21) and
 * Canonne, Kamath and Steinke (2020), which Opacus and TensorFlow Privacy use
 * since 2021: ε = rdp − (log δ + log α)/(α − 1) + log((α − 1)/α). It is never
 * worse than Mironov's rdp − log δ/(α − 1).
 */
export function epsilonFromRdp (orders: readonly number[], rdp: readonly number[], delta: number): { epsilon: number, order: number } {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must lie in (0, 1), not ${delta}`)
  let best = { epsilon: Infinity, order: NaN }
  orders.forEach((order, k) => {
    const epsilon = rdp[k] - (Math.log(delta) + Math.log(order)) / (order - 1) + Math.log((order - 1) / order)
    if (epsilon < best.epsilon) best = { epsilon, order }
  })
  return { epsilon: Math.max(0, best.epsilon), order: best.order }
}

export interface NoiseTarget {
  targetEpsilon: number
  delta: number
  sampleRate: number
  steps: number
  orders?: readonly number[]
  /** how close (relative) the answer is to the exact smallest σ; it always errs on the private side */
  tolerance?: number
}

/**
 * The smallest noise multiplier σ (within `tolerance`, on the high side) for
 * which `steps` steps at `sampleRate` are (targetEpsilon, δ)-DP, found by
 * bisection: ε falls as σ grows. Throws PrivacyTargetError when the target lies
 * at or below what the conversion gives even for infinite noise.
 */
export function noiseMultiplierFor ({ targetEpsilon, delta, sampleRate, steps, orders = DEFAULT_ORDERS, tolerance = 1e-4 }: NoiseTarget): number {
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new RangeError(`the sample rate must lie in (0, 1], not ${sampleRate}`)
  if (!(steps >= 1 && Number.isInteger(steps))) throw new RangeError(`steps must be a whole number ≥ 1, not ${steps}`)
  const epsilonAt = (noiseMultiplier: number): number => {
    const accountant = new RdpAccountant(orders)
    accountant.step(noiseMultiplier, sampleRate, steps)
    return accountant.epsilon(delta)
  }
  const floor = epsilonFromRdp(orders, orders.map(() => 0), delta).epsilon
  if (!(targetEpsilon > floor)) {
    throw new PrivacyTargetError(`ε = ${targetEpsilon} at δ = ${delta} cannot be reached: even infinite noise gives ε = ${floor.toFixed(4)} with these Rényi orders; raise ε or δ`)
  }
  let low = 0
  let high = 1
  while (epsilonAt(high) > targetEpsilon) {
    low = high
    high *= 2
    if (high > MAX_NOISE_MULTIPLIER) {
      throw new PrivacyTargetError(`ε = ${targetEpsilon} at δ = ${delta} needs a noise multiplier above ${MAX_NOISE_MULTIPLIER} for ${steps} steps at sample rate ${sampleRate}`)
    }
  }
  while (high - low > tolerance * high) {
    const middle = (low + high) / 2
    if (epsilonAt(middle) > targetEpsilon) low = middle
    else high = middle
  }
  return high
}

/**
 * log A_α for integer α (arXiv:1908.10530 §3.3):
 * A_α = Σ_{i=0}^{α} C(α, i) (1 − q)^{α−i} q^i exp((i² − i)/(2σ²)).
 */
function logAIntegerOrder (q: number, sigma: number, alpha: number): number {
  let logA = -Infinity
  let logBinomial = 0
  for (let i = 0; i <= alpha; i++) {
    logA = logAdd(logA, logBinomial + i * Math.log(q) + (alpha - i) * Math.log1p(-q) + (i * i - i) / (2 * sigma ** 2))
    logBinomial += Math.log((alpha - i) / (i + 1))
  }
  return logA
}

/**
 * log A_α for fractional α (arXiv:1908.10530 §3.3): the integral split at
 * z₀ = σ² log(1/q − 1) + ½ into two binomial series whose terms carry erfc
 * weights. The generalized binomial coefficients C(α, i) change sign for
 * i > α; like TF Privacy's rdp_accountant and Opacus the terms keep their
 * signs (dp_accounting adds their magnitudes, a looser bound).
 */
function logAFractionalOrder (q: number, sigma: number, alpha: number): number {
  const z0 = sigma ** 2 * Math.log(1 / q - 1) + 0.5
  let below = -Infinity
  let above = -Infinity
  let logBinomial = 0
  let positive = true
  let lastBelow = -Infinity
  let lastAbove = -Infinity
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    const j = alpha - i
    const termBelow = logBinomial + i * Math.log(q) + j * Math.log1p(-q) + (i * i - i) / (2 * sigma ** 2) +
      Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma))
    const termAbove = logBinomial + j * Math.log(q) + i * Math.log1p(-q) + (j * j - j) / (2 * sigma ** 2) +
      Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma))
    if (positive) {
      below = logAdd(below, termBelow)
      above = logAdd(above, termAbove)
    } else {
      below = logSub(below, termBelow)
      above = logSub(above, termAbove)
    }
    // a partial sum cannot go negative in exact arithmetic; if rounding says it did, this order gives no bound
    if (Number.isNaN(below) || Number.isNaN(above)) return Infinity
    const total = logAdd(below, above)
    if (termBelow < lastBelow && termAbove < lastAbove && Math.max(termBelow, termAbove) < total - NEGLIGIBLE_LOG_TERM) return total
    lastBelow = termBelow
    lastAbove = termAbove
    logBinomial += Math.log(Math.abs(j) / (i + 1))
    if (j < 0) positive = !positive
  }
  return Infinity
}

/** log(eˣ + eʸ) */
function logAdd (x: number, y: number): number {
  const [low, high] = x < y ? [x, y] : [y, x]
  if (low === -Infinity) return high
  return high + Math.log1p(Math.exp(low - high))
}

/** log(eˣ − eʸ); NaN when y > x */
function logSub (x: number, y: number): number {
  if (y === -Infinity) return x
  if (x === y) return -Infinity
  return x + Math.log(-Math.expm1(y - x))
}

/**
 * log(erfc(x)), accurate to a few ulps of erfc where erfc itself underflows
 * (erfc(27) < 1e-300): a Taylor series of erf near 0 and Laplace's continued
 * fraction for the tail.
 */
export function logErfc (x: number): number {
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)))
  if (x < 2) return Math.log1p(-erf(x))
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(erfcContinuedFraction(x))
}

/** erf(x) = 2/√π · e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): all terms positive, so no cancellation */
function erf (x: number): number {
  let term = x
  let sum = x
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= 2 * x * x / (2 * n + 1)
    sum += term
  }
  return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum
}

/** f with erfc(x) = e^{−x²}/(√π f), f = x + (1/2)/(x + 1/(x + (3/2)/(x + …))), by the modified Lentz method */
function erfcContinuedFraction (x: number): number {
  let f = x
  let c = x
  let d = 0
  for (let n = 1; n < 500; n++) {
    d = 1 / (x + n / 2 * d)
    c = x + n / 2 / c
    const change = c * d
    f *= change
    if (Math.abs(change - 1) < 1e-16) break
  }
  return f
}
