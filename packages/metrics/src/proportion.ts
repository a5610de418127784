import { MetricsError } from './errors.js';
import { requireIntegerInRange } from './validate.js';

/** A confidence interval for a proportion. */
export interface ProportionInterval {
  /** `successes / trials`. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** The z value the interval was made with (1.96 for 95%). */
  readonly z: number;
}

/** The standard normal's 97.5% quantile: a two-sided 95% interval. */
const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion (Wilson 1927): the proportions p whose score test
 * `|k/n − p| ≤ z·√(p(1 − p)/n)` does not reject. Unlike the normal ("Wald") interval it stays
 * inside [0, 1], is not empty at 0 or n successes, and covers close to its level even for small
 * `n`, so a share of a few listeners gets an honest, wide interval. It assumes the trials are
 * independent.
 *
 * ```ts
 * proportionInterval(27, 100); // { estimate: 0.27, lower: 0.1927…, upper: 0.3643…, z: 1.96… }
 * ```
 */
export function proportionInterval(
  successes: number,
  trials: number,
  options: { readonly z?: number } = {},
): ProportionInterval {
  const z = options.z ?? Z_95;
  if (!(z > 0) || !Number.isFinite(z)) {
    throw new MetricsError('INVALID_ARGUMENT', `proportionInterval: z is ${z}, expected > 0`);
  }
  requireIntegerInRange('proportionInterval', 'trials', trials, 1, Number.MAX_SAFE_INTEGER);
  requireIntegerInRange('proportionInterval', 'successes', successes, 0, trials);
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials ** 2));
  // At 0 or n successes one end is exactly 0 or 1; rounding must not put it a hair inside.
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === trials ? 1 : Math.min(1, centre + half),
    z,
  };
}
