// Shared by the wasm tests (excluded from the build): the reference product, tolerances, and
// Node 20's relaxed-SIMD flag.
import v8 from 'node:v8';
import fc from 'fast-check';
import { gemmNaive } from '../kernels/naive.js';

/**
 * Node 20 validates relaxed SIMD only behind a V8 flag; setting it before the first validation
 * lets the relaxed kernels be tested there too (later Node versions have it on by default).
 */
export function enableRelaxedSimdOnNode20(): void {
  if (process.versions.node.startsWith('20.')) {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
}

/** A product's shape and transposes. */
export interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** Shapes 0…max with any transposes; small enough to run hundreds of cases quickly. */
export const smallCase = (max = 19): fc.Arbitrary<Case> =>
  fc.record({
    m: fc.integer({ min: 0, max }),
    n: fc.integer({ min: 0, max }),
    k: fc.integer({ min: 0, max }),
    transA: fc.boolean(),
    transB: fc.boolean(),
  });

/**
 * Shapes that cross the kernels' blocking (64 rows of A, 256 of depth) and tile edges (4 rows,
 * 4 or 8 columns, one-vector panels), every transpose combination.
 */
export const blockingCases: Case[] = [
  [65, 9, 257],
  [131, 17, 300],
  [4, 8, 513],
  [67, 5, 3],
  [1, 130, 260],
  [68, 10, 300], // f64: a last panel of exactly one vector (2 columns), accumulated over 2 blocks
  [8, 12, 520], // f32: the same with 4 columns
].flatMap(([m, n, k]) =>
  [false, true].flatMap((transA) =>
    [false, true].map((transB) => ({ m: m!, n: n!, k: k!, transA, transB })),
  ),
);

/** Uniform values in [-1, 1), seeded; a few exact zeros, as ReLU outputs have. */
export function values(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s % 7 === 0 ? 0 : s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Largest |c − reference| in units of the rounding-error bound k·u·Σ|a||b| (u = 2⁻⁵³ for f64,
 * 2⁻²⁴ for f32; the reference is computed in float64 from the same inputs). A correct kernel stays
 * below 1 whatever its summation order.
 */
export function errorInBounds(
  { m, n, k, transA, transB }: Case,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array | Float32Array,
  unit: number,
): number {
  const ref = new Float64Array(m * n);
  gemmNaive(transA, transB, m, n, k, a, b, ref);
  const abs = new Float64Array(m * n);
  gemmNaive(transA, transB, m, n, k, a.map(Math.abs), b.map(Math.abs), abs);
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const bound = (k + 2) * unit * abs[i]! + Number.MIN_VALUE;
    worst = Math.max(worst, Math.abs(c[i]! - ref[i]!) / bound);
    if (Number.isNaN(c[i]!)) return Infinity;
  }
  return worst;
}
