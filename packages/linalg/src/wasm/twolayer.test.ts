import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix.js';
import { matmul } from '../matmul.js';
import type { KernelName } from '../matmul.js';
import { addRowVector } from '../ops.js';
import { Rng } from '../rng.js';
import { WasmArena } from './arena.js';
import type { SparseRows } from './arena.js';
import {
  arenaAddBiasRelu,
  arenaAddBiasSoftmax,
  arenaOutputGradientAndSums,
  arenaReluBackwardAndSums,
  arenaSparseProduct,
} from './elementwise.js';
import { arenaRuntimeOf } from './gemm.js';
import { enableRelaxedSimdOnNode20 } from './test-support.js';
import { wasmSupport } from './support.js';
import type { SimdVariant } from './support.js';
import { TwoLayerPass } from './twolayer.js';
import type { TwoLayerGradients, TwoLayerParameters } from './twolayer.js';

enableRelaxedSimdOnNode20();

interface Shape {
  m: number;
  d: number;
  h: number;
  o: number;
  output: 'softmax' | 'identity';
  sparse: boolean;
  /** Sparse inputs leave their last column all zeros. */
  unusedColumn?: boolean;
}

/** Everything one comparison needs, in one arena. */
function setUp(shape: Shape, variant: SimdVariant, seed: number) {
  const { m, d, h, o } = shape;
  const rng = new Rng(seed);
  const arena = new WasmArena(
    WasmArena.bytesFor([
      [m, d],
      [m, o],
      [m, h],
      [m, h],
      [m, o],
      [m, o],
      [m, o],
      [m, h],
      [d, h],
      [1, h],
      [h, o],
      [1, o],
      [d, h],
      [1, h],
      [h, o],
      [1, o],
    ]) +
      WasmArena.sparseBytesFor(m, m * d) +
      TwoLayerPass.bytesFor(d, h, o) +
      // the reference's and the tests' own outputs
      WasmArena.bytesFor([
        [m, o],
        [m, o],
      ]),
    { variant },
  );
  const x = arena.matrix(m, d);
  for (let i = 0; i < m; i++) {
    if (shape.sparse) {
      x.data[i * d + rng.int(shape.unusedColumn === true ? d - 1 : d)] = rng.int(3) === 0 ? 2.5 : 1;
    } else for (let j = 0; j < d; j++) x.data[i * d + j] = rng.uniformRange(-2, 2);
  }
  const y = arena.matrix(m, o);
  for (let i = 0; i < m; i++) {
    if (shape.output === 'softmax') y.data[i * o + rng.int(o)] = 1;
    else for (let j = 0; j < o; j++) y.data[i * o + j] = rng.uniformRange(-1, 1);
  }
  // Parameters outside the arena, as a network's are.
  const filled = (r: number, c: number) => {
    const w = Matrix.zeros(r, c);
    for (let i = 0; i < w.data.length; i++) w.data[i] = rng.normal();
    return w;
  };
  const params: TwoLayerParameters = {
    w1: filled(d, h),
    b1: filled(1, h),
    w2: filled(h, o),
    b2: filled(1, o),
  };
  const grads = (): TwoLayerGradients => ({
    w1: arena.matrix(d, h),
    b1: arena.matrix(1, h),
    w2: arena.matrix(h, o),
    b2: arena.matrix(1, o),
  });
  const sparse = shape.sparse ? arena.sparseRows(x) : undefined;
  return { arena, x, y, params, sparse, grads, z1: arena.matrix(m, h), a1: arena.matrix(m, h) };
}

/** The separate steps the fused pass replaces, on the same arena. */
function reference(
  s: ReturnType<typeof setUp>,
  shape: Shape,
  kernel: KernelName,
  sparse: SparseRows | undefined,
): { p: Matrix; g: TwoLayerGradients } {
  const { x, y, params, arena, z1, a1 } = s;
  const { m, h, o } = shape;
  if (sparse === undefined || !arenaSparseProduct(sparse, params.w1, z1)) {
    matmul(x, params.w1, { out: z1, kernel });
  }
  expect(arenaAddBiasRelu(z1, params.b1, a1)).toBe(true);
  const z2 = arena.matrix(m, o);
  const p = arena.matrix(m, o);
  matmul(a1, params.w2, { out: z2, kernel });
  if (shape.output === 'softmax') expect(arenaAddBiasSoftmax(z2, params.b2, p)).toBe(true);
  else p.data.set(addRowVector(z2, params.b2).data);
  const g = s.grads();
  const dz2 = arena.matrix(m, o);
  expect(arenaOutputGradientAndSums(p, y, dz2, g.b2)).toBe(true);
  matmul(a1, dz2, { transposeA: true, out: g.w2, kernel });
  const da = arena.matrix(m, h);
  matmul(dz2, params.w2, { transposeB: true, out: da, kernel });
  expect(arenaReluBackwardAndSums(z1, da, g.b1)).toBe(true);
  if (sparse === undefined || !arenaSparseProduct(sparse, da, g.w1, true)) {
    matmul(x, da, { transposeA: true, out: g.w1, kernel });
  }
  return { p, g };
}

/** The first index where x and y differ as bits (any NaN equals any NaN), or −1. */
function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

function expectSameBits(actual: { p: Matrix; g: TwoLayerGradients }, expected: typeof actual) {
  expect(firstDifference(actual.p.data, expected.p.data)).toBe(-1);
  for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
    expect([key, firstDifference(actual.g[key].data, expected.g[key].data)]).toEqual([key, -1]);
  }
}

function fused(s: ReturnType<typeof setUp>, shape: Shape) {
  const pass = new TwoLayerPass(s.arena, shape.d, shape.h, shape.o, shape.output);
  const p = s.arena.matrix(shape.m, shape.o);
  const g = s.grads();
  expect(pass.gradients(s.params, s.x, s.sparse, s.y, p, g)).toBe(true);
  return { pass, p, g };
}

const shapeArbitrary = fc.record({
  m: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 60, max: 200 })),
  d: fc.integer({ min: 1, max: 12 }),
  h: fc.integer({ min: 1, max: 17 }),
  o: fc.integer({ min: 1, max: 11 }),
  output: fc.constantFrom('softmax' as const, 'identity' as const),
  sparse: fc.boolean(),
});

const simd = wasmSupport().simd;
const relaxed = wasmSupport().relaxedSimd;

describe.skipIf(!simd)('TwoLayerPass', () => {
  it('gives the bits of the separate steps (plain SIMD: every product the same multiply-add)', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.integer({ min: 1, max: 1000 }), (shape, seed) => {
        if (shape.output === 'softmax' && shape.o < 2) shape.o = 2;
        const s = setUp(shape, 'simd', seed);
        expectSameBits(fused(s, shape), reference(s, shape, 'simd', s.sparse));
      }),
      { numRuns: 60 },
    );
  });

  it.skipIf(!relaxed)(
    'gives the bits of the separate steps with relaxed SIMD (fused multiply-add)',
    () => {
      for (const sparse of [false, true]) {
        const shape: Shape = { m: 131, d: 10, h: 16, o: 10, output: 'softmax', sparse };
        const s = setUp(shape, 'relaxed-simd', 7);
        expectSameBits(fused(s, shape), reference(s, shape, 'relaxed-simd', s.sparse));
      }
    },
  );

  it('forward alone writes the same outputs as the training pass', () => {
    const shape: Shape = { m: 70, d: 5, h: 9, o: 3, output: 'softmax', sparse: true };
    const s = setUp(shape, 'simd', 3);
    const { pass, p } = fused(s, shape);
    const q = s.arena.matrix(shape.m, shape.o);
    expect(pass.forward(s.params, s.x, s.sparse, q)).toBe(true);
    expect(firstDifference(q.data, p.data)).toBe(-1);
  });

  it("keeps IEEE's NaN where a skipped zero input meets an infinite weight", () => {
    const shape: Shape = { m: 20, d: 4, h: 6, o: 3, output: 'softmax', sparse: true };
    const s = setUp(shape, 'simd', 5);
    s.params.w1.data[7] = Infinity;
    const actual = fused(s, shape);
    expect(Number.isNaN(actual.p.data[0]!)).toBe(true);
    expectSameBits(actual, reference(s, shape, 'simd', undefined));
  });

  it("keeps IEEE's NaN where a skipped zero input meets an infinite hidden gradient", () => {
    // No row has input 3, so only the terms 0·NaN make dW1's row 3 NaN.
    const shape: Shape = { m: 20, d: 4, h: 6, o: 3, output: 'softmax', sparse: true };
    const s = setUp({ ...shape, unusedColumn: true }, 'simd', 6);
    s.params.w2.data[0] = Infinity;
    const actual = fused(s, shape);
    expect(actual.g.w1.data.subarray(18).every(Number.isNaN)).toBe(true);
    expectSameBits(actual, reference(s, shape, 'simd', undefined));
  });

  it('refuses what it cannot run, doing nothing', () => {
    const shape: Shape = { m: 8, d: 3, h: 4, o: 2, output: 'softmax', sparse: false };
    const s = setUp(shape, 'simd', 1);
    const pass = new TwoLayerPass(s.arena, 3, 4, 2, 'softmax');
    const p = s.arena.matrix(8, 2);
    const g = s.grads();
    const before = new Float64Array(p.data);
    // Outputs outside the arena, wrong shapes, outputs that overlap inputs or each other.
    expect(pass.forward(s.params, s.x, undefined, Matrix.zeros(8, 2))).toBe(false);
    expect(pass.forward(s.params, s.x, undefined, s.arena.matrix(7, 2))).toBe(false);
    expect(pass.forward({ ...s.params, w2: Matrix.zeros(4, 3) }, s.x, undefined, p)).toBe(false);
    expect(pass.gradients(s.params, s.x, undefined, s.y, p, { ...g, b2: g.w2 })).toBe(false);
    expect(pass.gradients(s.params, s.x, undefined, s.y, s.y, g)).toBe(false);
    expect(pass.gradients(s.params, s.x, undefined, s.y, p, { ...g, w1: s.params.w1 })).toBe(false);
    const sparseOfOther = s.arena.sparseRows(Matrix.zeros(8, 4));
    expect(pass.forward(s.params, s.x, sparseOfOther, p)).toBe(false);
    expect(firstDifference(p.data, before)).toBe(-1);
    expect(() => new TwoLayerPass(s.arena, 0, 4, 2, 'softmax')).toThrow(RangeError);
    expect(() => new TwoLayerPass(s.arena, 3, 4, 2, 'sigmoid' as 'softmax')).toThrow(RangeError);
  });

  it('sizes its scratch as the kernel does', () => {
    const arena = new WasmArena(TwoLayerPass.bytesFor(1, 1, 1));
    const r = arenaRuntimeOf(arena.matrix(0, 0).data)!;
    for (const [d, h, o] of [
      [1, 1, 1],
      [10, 16, 10],
      [16, 12, 1],
      [7, 9, 3],
    ] as const) {
      const bytes = r.elementwise.twoLayerWorkBytes(d, h, o);
      const arenaBytes = TwoLayerPass.bytesFor(d, h, o);
      expect(arenaBytes).toBeGreaterThanOrEqual(bytes);
      expect(arenaBytes).toBeLessThan(bytes + 64 * 6 + 8 * (d * h + h + h * o + o));
    }
  });
});
