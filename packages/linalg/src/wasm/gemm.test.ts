import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Gemm } from '../kernels/gemm.js';
import { gemmNaive } from '../kernels/naive.js';
import { gemmRelaxedSimd, gemmRelaxedSimdF32, gemmSimd, gemmSimdF32 } from './gemm.js';
import type { GemmF32 } from './gemm.js';
import { wasmSupport } from './support.js';
import {
  blockingCases,
  enableRelaxedSimdOnNode20,
  errorInBounds,
  smallCase,
  values,
} from './test-support.js';
import type { Case } from './test-support.js';

enableRelaxedSimdOnNode20();

const F64_UNIT = 2 ** -53;
const F32_UNIT = 2 ** -24;

function run64(gemm: Gemm, c: Case, seed: number): number {
  const a = values(c.m * c.k, seed);
  const b = values(c.k * c.n, seed + 1);
  const aCopy = a.slice();
  const out = new Float64Array(c.m * c.n).fill(NaN); // every element must be overwritten
  gemm(c.transA, c.transB, c.m, c.n, c.k, a, b, out);
  expect(a).toEqual(aCopy);
  return errorInBounds(c, a, b, out, F64_UNIT);
}

function run32(gemm: GemmF32, c: Case, seed: number): number {
  const a = Float32Array.from(values(c.m * c.k, seed));
  const b = Float32Array.from(values(c.k * c.n, seed + 1));
  const out = new Float32Array(c.m * c.n).fill(NaN);
  gemm(c.transA, c.transB, c.m, c.n, c.k, a, b, out);
  return errorInBounds(c, Float64Array.from(a), Float64Array.from(b), out, F32_UNIT);
}

const kernels64: [string, Gemm, boolean][] = [
  ['gemmSimd', gemmSimd, wasmSupport().simd],
  ['gemmRelaxedSimd', gemmRelaxedSimd, wasmSupport().relaxedSimd],
];
const kernels32: [string, GemmF32, boolean][] = [
  ['gemmSimdF32', gemmSimdF32, wasmSupport().simd],
  ['gemmRelaxedSimdF32', gemmRelaxedSimdF32, wasmSupport().relaxedSimd],
];

describe('wasm support on this engine', () => {
  it('finds SIMD and relaxed SIMD on Node (relaxed behind a flag on Node 20)', () => {
    expect(wasmSupport()).toEqual({ simd: true, relaxedSimd: true, sharedMemory: true });
  });
});

for (const [name, gemm, available] of kernels64) {
  describe.skipIf(!available)(`${name} (float64)`, () => {
    it('equals the naive reference on random shapes 0…19 and every transpose', () => {
      fc.assert(
        fc.property(smallCase(), fc.nat(), (c, seed) => {
          expect(run64(gemm, c, seed)).toBeLessThan(1);
        }),
        { numRuns: 300 },
      );
    });

    it('equals the naive reference across the blocking and tile edges', () => {
      for (const [i, c] of blockingCases.entries())
        expect(run64(gemm, c, i), JSON.stringify(c)).toBeLessThan(1);
    });

    it('propagates NaN and infinities as the reference does', () => {
      const m = 5,
        n = 6,
        k = 7;
      const a = values(m * k, 3);
      const b = values(k * n, 4);
      a[2 * k + 3] = Infinity; // row 2 of C: ±Infinity, or NaN where b[3][j] is 0
      a[4 * k] = NaN; // row 4 of C: NaN
      b[1 * n + 5] = -Infinity; // column 5 of C
      const ref = new Float64Array(m * n);
      gemmNaive(false, false, m, n, k, a, b, ref);
      const out = new Float64Array(m * n);
      gemm(false, false, m, n, k, a, b, out);
      for (let i = 0; i < m * n; i++) {
        if (Number.isFinite(ref[i]!)) expect(out[i]).toBeCloseTo(ref[i]!, 12);
        else expect(out[i]).toBe(ref[i]);
      }
    });

    it('multiplies the network’s shapes (3000×10·10×16, 3000×16·16×10, 10×3000·3000×16)', () => {
      for (const c of [
        { m: 3000, n: 16, k: 10, transA: false, transB: false },
        { m: 3000, n: 10, k: 16, transA: false, transB: false },
        { m: 10, n: 16, k: 3000, transA: true, transB: false },
        { m: 3000, n: 16, k: 10, transA: false, transB: true },
      ]) {
        expect(run64(gemm, c, 9)).toBeLessThan(1);
      }
    });

    it('refuses operands too short for the shape', () => {
      expect(() =>
        gemm(false, false, 2, 2, 2, new Float64Array(3), new Float64Array(4), new Float64Array(4)),
      ).toThrow(RangeError);
    });
  });
}

for (const [name, gemm, available] of kernels32) {
  describe.skipIf(!available)(`${name} (float32)`, () => {
    it('equals the float64 reference within float32 rounding on random shapes', () => {
      fc.assert(
        fc.property(smallCase(), fc.nat(), (c, seed) => {
          expect(run32(gemm, c, seed)).toBeLessThan(1);
        }),
        { numRuns: 300 },
      );
    });

    it('equals the float64 reference within float32 rounding across blocking and edges', () => {
      for (const [i, c] of blockingCases.entries())
        expect(run32(gemm, c, i), JSON.stringify(c)).toBeLessThan(1);
    });

    it('is really float32: the result differs from the float64 product by float32 rounding', () => {
      const c = { m: 8, n: 8, k: 64, transA: false, transB: false };
      const a = Float32Array.from(values(c.m * c.k, 1));
      const b = Float32Array.from(values(c.k * c.n, 2));
      const out = new Float32Array(64);
      gemm(false, false, 8, 8, 64, a, b, out);
      const ref = new Float64Array(64);
      gemmNaive(false, false, 8, 8, 64, Float64Array.from(a), Float64Array.from(b), ref);
      const worst = Math.max(...out.map((x, i) => Math.abs(x - ref[i]!)));
      expect(worst).toBeGreaterThan(1e-9);
      expect(worst).toBeLessThan(1e-4);
    });
  });
}

describe('gemmSimd without fused multiply-add', () => {
  it('gives the naive kernel’s bits exactly: same summation order over p, across KC blocks', () => {
    const exact = (c: Case, seed: number) => {
      const a = values(c.m * c.k, seed);
      const b = values(c.k * c.n, seed + 1);
      const x = new Float64Array(c.m * c.n);
      const y = new Float64Array(c.m * c.n);
      gemmNaive(c.transA, c.transB, c.m, c.n, c.k, a, b, x);
      gemmSimd(c.transA, c.transB, c.m, c.n, c.k, a, b, y);
      expect(y).toEqual(x);
    };
    fc.assert(fc.property(smallCase(), fc.nat(), exact), { numRuns: 100 });
    blockingCases.forEach(exact);
  });
});

describe('relaxed and plain SIMD', () => {
  it.skipIf(!wasmSupport().relaxedSimd)('agree to within fused-rounding differences', () => {
    const c = { m: 33, n: 29, k: 301, transA: true, transB: true };
    const a = values(c.m * c.k, 5);
    const b = values(c.k * c.n, 6);
    const x = new Float64Array(c.m * c.n);
    const y = new Float64Array(c.m * c.n);
    gemmSimd(true, true, c.m, c.n, c.k, a, b, x);
    gemmRelaxedSimd(true, true, c.m, c.n, c.k, a, b, y);
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-12);
  });
});
