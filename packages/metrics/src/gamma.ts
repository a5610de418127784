import { MetricsError } from './errors.js';

// The regularised incomplete gamma functions, following Numerical Recipes (Press et al., 3rd ed.,
// §6.2): a power series where it converges fast (x < a + 1) and a continued fraction evaluated with
// the modified Lentz method elsewhere. Each branch computes the function that is small there
// directly, so tail probabilities keep their relative precision instead of being 1 - (almost 1).

/** Relative precision the series and the continued fraction stop at. */
const EPS = 1e-15;
/** Stands in for 0 in Lentz's method so no denominator is exactly 0. */
const FPMIN = 1e-300;
/** Both expansions need O(√a) terms; this bound is only reached for absurd `a`. */
const MAX_ITERATIONS = 100_000;

// Lanczos approximation, g = 7, 9 coefficients (relative error < 1e-15 for x > 0.5).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** `ln Γ(x)` for `x > 0` (Lanczos approximation, with the reflection formula below 1/2). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Regularised lower incomplete gamma function `P(a, x) = γ(a, x) / Γ(a)`, the CDF at `x` of a
 * Gamma(shape `a`, scale 1) variable. `P(a, 0) = 0`, `P(a, ∞) = 1`.
 *
 * @param a shape, `> 0` and finite
 * @param x `>= 0` (may be `Infinity`)
 */
export function regularizedGammaP(a: number, x: number): number {
  requireGammaArguments('regularizedGammaP', a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? Math.min(1, lowerSeries(a, x)) : 1 - upperContinuedFraction(a, x);
}

/**
 * Regularised upper incomplete gamma function `Q(a, x) = 1 - P(a, x) = Γ(a, x) / Γ(a)`. With
 * `a = df/2` and `x = χ²/2` it is the p-value of a chi-square statistic; `Q(1, x) = e^-x` and
 * `Q(1/2, x) = erfc(√x)`.
 *
 * @param a shape, `> 0` and finite
 * @param x `>= 0` (may be `Infinity`)
 */
export function regularizedGammaQ(a: number, x: number): number {
  requireGammaArguments('regularizedGammaQ', a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  // For a tiny shape `a` the series sum rounds to a hair above 1, and 1 - P would come out
  // negative: clamp, so Q stays a probability (its absolute error is then about 1e-15).
  return x < a + 1 ? Math.max(0, 1 - lowerSeries(a, x)) : upperContinuedFraction(a, x);
}

/**
 * Probability that a chi-square variable with `degreesOfFreedom` exceeds `statistic`:
 * `Q(df/2, statistic/2)`, the p-value of a chi-square test.
 */
export function chiSquareSurvival(statistic: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0) || !Number.isFinite(degreesOfFreedom)) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `chiSquareSurvival: degreesOfFreedom is ${degreesOfFreedom}, expected a finite number > 0`,
    );
  }
  if (!(statistic >= 0)) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `chiSquareSurvival: statistic is ${statistic}, expected a number >= 0`,
    );
  }
  return regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
}

function requireGammaArguments(fn: string, a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a)) {
    throw new MetricsError('INVALID_ARGUMENT', `${fn}: a is ${a}, expected a finite number > 0`);
  }
  if (!(x >= 0)) {
    throw new MetricsError('INVALID_ARGUMENT', `${fn}: x is ${x}, expected a number >= 0`);
  }
}

/** `e^-x x^a / Γ(a)`, the prefactor both expansions share, computed in logs to avoid overflow. */
function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** P(a, x) by its series `e^-x x^a / Γ(a) · Σ_n x^n / (a (a+1) … (a+n))`; use for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) return sum * prefactor(a, x);
  }
  throw notConverged(a, x);
}

/** Q(a, x) by its continued fraction (modified Lentz); use for x >= a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return prefactor(a, x) * h;
  }
  throw notConverged(a, x);
}

function notConverged(a: number, x: number): MetricsError {
  return new MetricsError(
    'INVALID_ARGUMENT',
    `incomplete gamma: no convergence for a = ${a}, x = ${x} (a too large)`,
  );
}
