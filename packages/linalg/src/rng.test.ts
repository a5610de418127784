import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('implements xoshiro128** (reference output for state 1, 2, 3, 4)', () => {
    // White-box: the first outputs of the authors' xoshiro128starstar.c from s = {1, 2, 3, 4}.
    const r = new Rng(0);
    Object.assign(r, { s0: 1, s1: 2, s2: 3, s3: 4 });
    const first = Array.from({ length: 6 }, () => r.nextUint32());
    expect(first).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives fixed values for a fixed seed', () => {
    const r = new Rng(42);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([
      3426609800, 95597564, 4144517014, 3278289694,
    ]);
    const u = new Rng(42);
    expect(u.uniform()).toBe(0.7978197635878476);
    expect(u.normal()).toBe(0.5386032272395684);
    expect(u.normal()).toBe(-0.0074875946196866884);
    expect(u.int(10)).toBe(7);
  });

  it('reproduces the same sequence for the same seed, and treats −0 as 0', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (seed) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let i = 0; i < 8; i++) expect(a.nextUint32()).toBe(b.nextUint32());
      }),
    );
    expect(new Rng(-0).nextUint32()).toBe(new Rng(0).nextUint32());
  });

  it('gives different sequences for neighbouring seeds', () => {
    const seen = new Set<number>();
    for (const seed of [0, 1, 2, -1, 0.5, 2 ** 32, 2 ** 53]) seen.add(new Rng(seed).nextUint32());
    expect(seen.size).toBe(7);
  });

  it('refuses seeds that are not finite numbers', () => {
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
    expect(() => new Rng(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('draws uniform values in [0, 1) with mean 1/2 and in [lo, hi)', () => {
    const r = new Rng(7);
    let sum = 0;
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    // Standard error of the mean is 0.29/√20000 ≈ 0.002.
    expect(Math.abs(sum / draws - 0.5)).toBeLessThan(0.01);
    for (let i = 0; i < 1000; i++) {
      const x = r.uniformRange(-3, 5);
      expect(x >= -3 && x < 5).toBe(true);
    }
  });

  it('draws standard normal values (mean 0, variance 1)', () => {
    const r = new Rng(11);
    const draws = 20_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < draws; i++) {
      const x = r.normal();
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / draws;
    const variance = sumSq / draws - mean * mean;
    // Standard errors: 0.007 for the mean, 0.01 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.035);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('draws integers in [0, n) evenly', () => {
    const r = new Rng(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 12_000; i++) counts[r.int(6)]!++;
    // Expected 2000 each, standard deviation ≈ 41.
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(r.int(1)).toBe(0);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
    expect(r.int(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('shuffles in place into a permutation of the same values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (values, seed) => {
        const shuffled = values.slice();
        new Rng(seed).shuffle(shuffled);
        expect(shuffled.slice().sort((x, y) => x - y)).toEqual(
          values.slice().sort((x, y) => x - y),
        );
      }),
    );
    const typed = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    new Rng(5).shuffle(typed);
    expect(Array.from(typed).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(typed)).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('makes permutations of 0 … n−1 that depend only on the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer(), (n, seed) => {
        const p = new Rng(seed).permutation(n);
        expect(p).toBeInstanceOf(Int32Array);
        expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(new Rng(seed).permutation(n)).toEqual(p);
      }),
    );
  });
});
