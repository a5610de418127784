import { describe, expect, it } from 'vitest';
import { QUICK_PLAN } from '../measure.js';
import { mlMatrixImpl, tsImpl } from './impls.js';
import { matmulImpl, wasmSimdImpl } from './wasm-impls.js';
import type { GemmImpl } from './impls.js';
import { squareShape } from './problem.js';
import { mergeGemmReports, runGemm } from './run.js';
import type { GemmResult } from './run.js';

/** Computes the product, then spoils one element: the benchmark must refuse to time it. */
const almostRight: GemmImpl = {
  ...tsImpl,
  name: 'almost-right',
  async prepare(shape, dtype, threads, sets) {
    const inner = await tsImpl.prepare(shape, dtype, threads, sets);
    return {
      ...inner,
      run(i) {
        const c = inner.run(i) as Float64Array;
        c[c.length - 1]! += 1e-3;
        return c;
      },
    };
  },
};

const plan = {
  sizes: [9],
  network: false,
  dtypes: ['f64', 'f32'] as const,
  threads: [1, 2],
  measure: QUICK_PLAN,
};

describe('runGemm', () => {
  it('verifies each implementation before timing it and rejects a wrong one', async () => {
    const report = await runGemm({ ...plan, impls: [almostRight, tsImpl] });
    expect(report.results.map((r) => r.impl)).toEqual(['ts']);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ impl: 'almost-right', failed: true });
    expect(report.skipped[0]!.reason).toMatch(/wrong f64 product for 9²: C\[8\]\[8\]/);
  });

  it('runs only the dtypes and thread counts an implementation supports', async () => {
    const report = await runGemm({ ...plan, impls: [tsImpl, mlMatrixImpl] });
    expect(report.results.map((r) => `${r.impl} ${r.dtype} ${r.threads}`)).toEqual([
      'ts f64 1',
      'ml-matrix f64 1',
    ]);
  });

  it('reports an unavailable implementation as skipped, not failed', async () => {
    const missing: GemmImpl = {
      ...tsImpl,
      name: 'missing',
      unavailable: () => 'not on this engine',
    };
    const report = await runGemm({ ...plan, impls: [missing] });
    expect(report.results).toEqual([]);
    expect(report.skipped).toEqual([
      expect.objectContaining({ impl: 'missing', failed: false, reason: 'not on this engine' }),
    ]);
  });

  it('measures our WebAssembly kernels and matmul in both dtypes, threads only for large products', async () => {
    const report = await runGemm({ ...plan, sizes: [9, 128], impls: [wasmSimdImpl, matmulImpl] });
    expect(report.skipped).toEqual([]);
    expect(report.results.map((r) => `${r.shape.label} ${r.impl} ${r.dtype} ${r.threads}`)).toEqual(
      [
        '9² wasm-simd f64 1',
        '9² matmul f64 1',
        '9² wasm-simd f32 1',
        '9² matmul f32 1',
        '128² wasm-simd f64 1',
        '128² wasm-simd f64 2',
        '128² matmul f64 1',
        '128² wasm-simd f32 1',
        '128² wasm-simd f32 2',
        '128² matmul f32 1',
      ],
    );
  });

  it('merges rounds into the median of each case, summing samples, dropping rejected cases', () => {
    const shape = squareShape(4);
    const row = (impl: string, microseconds: number): GemmResult => ({
      impl,
      dtype: 'f64',
      threads: 1,
      m: 4,
      n: 4,
      k: 4,
      gflops: 128 / (microseconds * 1000),
      microseconds,
      runs: 5,
      shape,
    });
    const bad = {
      impl: 'b',
      dtype: 'f64' as const,
      threads: 1,
      shape,
      reason: 'wrong',
      failed: true,
    };
    const merged = mergeGemmReports([
      { results: [row('a', 10), row('b', 1)], skipped: [] },
      { results: [row('a', 30)], skipped: [bad] },
      { results: [row('a', 20), row('b', 1)], skipped: [] },
    ]);
    expect(merged.results).toHaveLength(1);
    expect(merged.results[0]).toMatchObject({
      impl: 'a',
      microseconds: 20,
      runs: 15,
      gflops: 128 / 20000,
    });
    expect(merged.skipped).toEqual([bad]);
  });
});
