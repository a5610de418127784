import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsError } from './errors.js';
import { proportionInterval } from './proportion.js';

describe('proportionInterval', () => {
  it('is where the score test turns, and the published values at 0 and n successes', () => {
    // The roots of |0.27 − p| = 1.96·√(p(1 − p)/100), found by bisection (independent of the
    // closed form the code uses).
    const interval = proportionInterval(27, 100);
    expect(interval.estimate).toBe(0.27);
    expect(interval.lower).toBeCloseTo(0.1926958415, 9);
    expect(interval.upper).toBeCloseTo(0.3643211677, 9);
    // At 0 of n the upper end is z²/(n + z²), at n of n the lower end is n/(n + z²).
    expect(proportionInterval(0, 10)).toMatchObject({ lower: 0 });
    expect(proportionInterval(0, 10).upper).toBeCloseTo(0.27753279, 7);
    expect(proportionInterval(10, 10)).toMatchObject({ upper: 1 });
    expect(proportionInterval(10, 10).lower).toBeCloseTo(0.72246721, 7);
  });

  it('stays inside [0, 1], holds its estimate, and narrows as the trials grow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (trials, at) => {
          const successes = Math.round(at * trials);
          const { estimate, lower, upper } = proportionInterval(successes, trials);
          expect(0 <= lower && lower <= estimate && estimate <= upper && upper <= 1).toBe(true);
          const bigger = proportionInterval(successes * 4, trials * 4);
          expect(bigger.upper - bigger.lower).toBeLessThan(upper - lower + 1e-12);
        },
      ),
    );
  });

  it('refuses counts that are not a proportion', () => {
    expect(() => proportionInterval(3, 2)).toThrow(MetricsError);
    expect(() => proportionInterval(1, 0)).toThrow(/trials is 0/);
    expect(() => proportionInterval(0.5, 2)).toThrow(/successes is 0.5/);
    expect(() => proportionInterval(1, 2, { z: 0 })).toThrow(/z is 0/);
  });
});
