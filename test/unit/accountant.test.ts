import assert from 'node:assert/strict'
import {
  DEFAULT_ORDERS, PrivacyTargetError, RdpAccountant, epsilonFromRdp, logErfc, noiseMultiplierFor, sampledGaussianRdp
} from '../../src/privacy/accountant.ts'

/** TF Privacy's compute_dp_sgd_privacy orders (tensorflow_privacy/privacy/analysis/compute_dp_sgd_privacy_lib.py) */
const TF_PRIVACY_ORDERS = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, ...Array.from({ length: 59 }, (_, k) => 5 + k), 128, 256, 512]

function assertClose (actual: number, expected: number, relative: number): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} is not within ${relative} (relative) of ${expected}`)
}

/** ε after `steps` Poisson-sampled Gaussian steps, as TF Privacy's compute_dp_sgd_privacy computes it */
function dpSgdEpsilon (n: number, batchSize: number, noiseMultiplier: number, epochs: number, delta: number): { epsilon: number, order: number, classic: number } {
  const accountant = new RdpAccountant(TF_PRIVACY_ORDERS)
  accountant.step(noiseMultiplier, batchSize / n, Math.ceil(epochs * n / batchSize))
  const rdp = accountant.rdp()
  // Mironov's original conversion ε = rdp − log δ/(α − 1), which TF Privacy used until December 2020
  const classic = Math.min(...TF_PRIVACY_ORDERS.map((order, k) => rdp[k] - Math.log(delta) / (order - 1)))
  return { ...epsilonFromRdp(TF_PRIVACY_ORDERS, rdp, delta), classic }
}

/** Φ, the standard normal distribution function */
const normalCdf = (x: number): number => Math.exp(logErfc(-x / Math.SQRT2)) / 2

/**
 * The exact ε of the Gaussian mechanism with sensitivity 1 and noise σ at δ
 * (Balle and Wang 2018, "Improving the Gaussian mechanism", Theorem 8):
 * δ(ε) = Φ(1/(2σ) − εσ) − e^ε Φ(−1/(2σ) − εσ) falls with ε; bisection finds δ(ε) = δ.
 */
function analyticGaussianEpsilon (sigma: number, delta: number): number {
  const deltaAt = (epsilon: number): number => normalCdf(1 / (2 * sigma) - epsilon * sigma) - Math.exp(epsilon) * normalCdf(-1 / (2 * sigma) - epsilon * sigma)
  let [low, high] = [0, 100]
  while (high - low > 1e-12) {
    const middle = (low + high) / 2
    if (deltaAt(middle) > delta) low = middle
    else high = middle
  }
  return high
}

describe('the Rényi DP accountant', () => {
  it('gives the Gaussian mechanism without subsampling exactly α/(2σ²) per step, composed by addition', () => {
    const accountant = new RdpAccountant([1.5, 2, 32])
    accountant.step(2, 1, 3)
    accountant.step(4, 1)
    accountant.rdp().forEach((rdp, k) => assertClose(rdp, [1.5, 2, 32][k] * (3 / (2 * 4) + 1 / (2 * 16)), 1e-15))
  })

  it('converts RDP to ε with log((α−1)/α) − (log δ + log α)/(α−1), the bound Opacus and TF Privacy use', () => {
    // σ = 4, one step, δ = 1e-5, at α = 10 by hand: 10/32 − (ln 1e-5 + ln 10)/9 + ln(9/10)
    const byHand = 10 / 32 - (Math.log(1e-5) + Math.log(10)) / 9 + Math.log(0.9)
    assertClose(epsilonFromRdp([10], [sampledGaussianRdp(1, 4, 10)], 1e-5).epsilon, byHand, 1e-14)
    // dp_accounting rdp_privacy_accountant_test.py test_compute_epsilon_delta_pure_dp: constant RDP 1.1 at orders 2…32
    const orders = Array.from({ length: 31 }, (_, k) => 2 + k)
    const pure = epsilonFromRdp(orders, orders.map(() => 1.1), 1e-5)
    assertClose(pure.epsilon, 1.32783806176, 1e-10)
    assert.equal(pure.order, 32)
    // same file, test_compute_epsilon_delta_gaussian: σ = 4.530877117 gives exactly (1, 1e-6)-DP over the orders 1.001 … 99.999
    const fine = Array.from({ length: 98_999 }, (_, k) => 0.001 * (k + 1001))
    assertClose(epsilonFromRdp(fine, fine.map(order => sampledGaussianRdp(1, 4.530877117, order)), 1e-6).epsilon, 1, 1e-7)
  })

  it('bounds the exact ε of the Gaussian mechanism (Balle–Wang) from above, and not by much', () => {
    for (const [sigma, steps] of [[1, 1], [4, 1], [2, 10], [50, 10_000]]) {
      const accountant = new RdpAccountant()
      accountant.step(sigma, 1, steps)
      // T steps of N(0, σ²) compose to one Gaussian mechanism with noise σ/√T
      const exact = analyticGaussianEpsilon(sigma / Math.sqrt(steps), 1e-5)
      const bound = accountant.epsilon(1e-5)
      assert.ok(bound >= exact, `σ ${sigma}, ${steps} steps: RDP gives ε ${bound}, below the exact ${exact}`)
      assert.ok(bound <= 1.15 * exact, `σ ${sigma}, ${steps} steps: RDP gives ε ${bound}, far above the exact ${exact}`)
    }
  })

  it('reproduces the subsampled RDP values of TF Privacy and dp_accounting (q = 0.01, σ = 2.5, 50 steps)', () => {
    const orders = [1.5, 2.5, 5, 50, 100]
    const accountant = new RdpAccountant(orders)
    accountant.step(2.5, 0.01, 50)
    const [rdp15, rdp25, ...integerOrders] = accountant.rdp()
    // google/differential-privacy python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py,
    // test_compute_rdp_poisson_sampled_gaussian (rtol 1e-4 there)
    integerOrders.forEach((rdp, k) => assertClose(rdp, [2.18075656e-03, 2.38460375e-02, 1.67416308e02][k], 1e-6))
    assertClose(rdp25, 1.08548710e-03, 1e-4)
    // tensorflow/privacy tensorflow_privacy/privacy/analysis/rdp_accountant_test.py, test_compute_rdp_sequence
    // (absolute 1e-5 there): the fractional series with signed binomial terms, as here and in Opacus
    assert.ok(Math.abs(rdp15 - 0.00065) < 1e-6, `${rdp15}`)
    assert.ok(Math.abs(rdp25 - 0.001085) < 1e-6, `${rdp25}`)
    // dp_accounting adds the terms' magnitudes instead: a looser bound, above ours at α = 1.5
    assert.ok(rdp15 < 6.70579741e-04)
  })

  it('reproduces Opacus\' RDP accountant: σ 1.5, q 0.04, 2250 steps gives ε 7.32911117143 at δ 1e-5', () => {
    // pytorch/opacus opacus/tests/accountants_test.py test_rdp_accountant (assertAlmostEqual, 7 places), default orders
    const accountant = new RdpAccountant()
    accountant.step(1.5, 0.04, 2250)
    assert.ok(Math.abs(accountant.epsilon(1e-5) - 7.32911117143) < 1e-7, `${accountant.epsilon(1e-5)}`)
  })

  it('reproduces TF Privacy\'s compute_dp_sgd_privacy, with the improved and with the classic conversion', () => {
    // tensorflow/privacy compute_dp_sgd_privacy_test.py (7 places there); the classic values are the file's
    // expectations before commit be8175b "Improved conversion from Renyi DP to approx DP" (2020-12-30)
    const mnist = dpSgdEpsilon(60_000, 150, 1.3, 15, 1e-5)
    assertClose(mnist.epsilon, 0.7242234026109595, 1e-9)
    assert.equal(mnist.order, 19)
    assertClose(mnist.classic, 0.941870567, 1e-8)
    const second = dpSgdEpsilon(100_000, 100, 1.0, 30, 1e-7)
    assertClose(second.epsilon, 1.4154988495444842, 1e-9)
    assert.equal(second.order, 13)
    assertClose(second.classic, 1.70928734, 1e-8)
    // tensorflow/privacy tutorials/README.md: the MNIST tutorial (N 60000, batch 256, σ 1.1, 60 epochs) "satisfies
    // differential privacy with eps = 3.01 and delta = 1e-05" (classic conversion); the improved one is tighter
    const tutorial = dpSgdEpsilon(60_000, 256, 1.1, 60, 1e-5)
    assert.equal(tutorial.classic.toFixed(2), '3.01')
    assert.ok(tutorial.epsilon < tutorial.classic)
  })

  it('uses Opacus\' default orders: 1.1 … 10.9 by tenths, then 12 … 63', () => {
    assert.equal(DEFAULT_ORDERS.length, 151)
    assert.deepEqual([DEFAULT_ORDERS[0], DEFAULT_ORDERS[9], DEFAULT_ORDERS[98], DEFAULT_ORDERS[99], DEFAULT_ORDERS[150]], [1.1, 2, 10.9, 12, 63])
  })

  it('finds the smallest noise multiplier for a target ε, just on the private side, as Opacus does', () => {
    // pytorch/opacus opacus/tests/accountants_test.py test_get_noise_multiplier_rdp_epochs / _steps (4 places there,
    // from a search that stops within 0.01 of the target ε)
    for (const [steps, opacus] of [[2250, 1.416], [2000, 1.3562]]) {
      const target = { targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps }
      const sigma = noiseMultiplierFor(target)
      assert.ok(Math.abs(sigma - opacus) < 1e-3, `${steps} steps: σ ${sigma}, Opacus ${opacus}`)
      const epsilonAt = (noiseMultiplier: number): number => {
        const accountant = new RdpAccountant()
        accountant.step(noiseMultiplier, 0.04, steps)
        return accountant.epsilon(1e-5)
      }
      assert.ok(epsilonAt(sigma) <= 8 && epsilonAt(sigma) > 7.99, `ε(σ*) = ${epsilonAt(sigma)}`)
      assert.ok(epsilonAt(sigma * 0.999) > 8)
    }
  })

  it('refuses a target ε that no amount of noise reaches, with a named error', () => {
    // with δ = 1e-5 and orders up to 63 the conversion alone costs ε ≈ 0.1
    assert.throws(() => noiseMultiplierFor({ targetEpsilon: 0.05, delta: 1e-5, sampleRate: 0.01, steps: 100 }), PrivacyTargetError)
  })
})
