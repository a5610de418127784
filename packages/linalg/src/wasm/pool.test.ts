import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MatmulPool } from './pool.js';
import { wasmSupport } from './support.js';
import { WasmUnavailableError } from './support.js';
import { blockingCases, errorInBounds, smallCase, values } from './test-support.js';
import type { Case } from './test-support.js';

describe.skipIf(!wasmSupport().sharedMemory)('MatmulPool', () => {
  // minParallelWork 0: even tiny products are split, so every shape exercises the threads.
  const pool = MatmulPool.create({ threads: 3, minParallelWork: 0, variant: 'simd' });
  afterAll(() => pool.close());

  function run(gemmOf: 'gemm' | 'gemmF32', c: Case, seed: number): number {
    const a = values(c.m * c.k, seed);
    const b = values(c.k * c.n, seed + 1);
    if (gemmOf === 'gemm') {
      const out = new Float64Array(c.m * c.n).fill(NaN);
      pool.gemm(c.transA, c.transB, c.m, c.n, c.k, a, b, out);
      return errorInBounds(c, a, b, out, 2 ** -53);
    }
    const a32 = Float32Array.from(a);
    const b32 = Float32Array.from(b);
    const out = new Float32Array(c.m * c.n).fill(NaN);
    pool.gemmF32(c.transA, c.transB, c.m, c.n, c.k, a32, b32, out);
    return errorInBounds(c, Float64Array.from(a32), Float64Array.from(b32), out, 2 ** -24);
  }

  it('splits rows across three threads and equals the reference (float64, float32)', () => {
    fc.assert(
      fc.property(smallCase(40), fc.nat(), (c, seed) => {
        expect(run('gemm', c, seed)).toBeLessThan(1);
        expect(run('gemmF32', c, seed)).toBeLessThan(1);
      }),
      { numRuns: 150 },
    );
    for (const [i, c] of blockingCases.entries()) {
      expect(run('gemm', c, i)).toBeLessThan(1);
      expect(run('gemmF32', c, i)).toBeLessThan(1);
    }
  });

  it('keeps small products on the calling thread and still gets them right', () => {
    const small = MatmulPool.create({ threads: 2 });
    try {
      expect(small.minParallelWork).toBe(1 << 20);
      const c = { m: 30, n: 20, k: 10, transA: false, transB: true };
      const a = values(300, 1);
      const b = values(200, 2);
      const out = new Float64Array(600);
      small.gemm(false, true, 30, 20, 10, a, b, out);
      expect(errorInBounds(c, a, b, out, 2 ** -53)).toBeLessThan(1);
    } finally {
      void small.close();
    }
  });

  it('refuses bad options and use after close', async () => {
    expect(() => MatmulPool.create({ threads: 0 })).toThrow(RangeError);
    expect(() => MatmulPool.create({ threads: 1.5 })).toThrow(RangeError);
    expect(() => MatmulPool.create({ minParallelWork: -1 })).toThrow(RangeError);
    const one = MatmulPool.create({ threads: 1 });
    await one.close();
    await one.close();
    expect(() =>
      one.gemm(
        false,
        false,
        1,
        1,
        1,
        new Float64Array(1),
        new Float64Array(1),
        new Float64Array(1),
      ),
    ).toThrow(/closed/);
  });

  it.skipIf(wasmSupport().relaxedSimd)('reports a missing relaxed SIMD as a typed error', () => {
    expect(() => MatmulPool.create({ variant: 'relaxed-simd' })).toThrow(WasmUnavailableError);
  });
});

describe('MatmulPool outside Node.js', () => {
  it('says what it needs where there are no worker threads (a page)', () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(() => MatmulPool.create({ threads: 2 })).toThrow(WasmUnavailableError);
      expect(() => MatmulPool.create({ threads: 2 })).toThrow(
        'MatmulPool needs Node.js worker_threads (Node 20.16 or later)',
      );
    } finally {
      proc.getBuiltinModule = original;
    }
  });
});
