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
      // Mostly one nonzero (one-hot rows), some empty rows and some with two.
      const kind = rng.int(8);
      const nonzeros = kind === 0 ? 0 : kind === 1 ? 2 : 1;
      for (let e = 0; e < nonzeros; e++) {
        x.data[i * d + rng.int(shape.unusedColumn === true ? d - 1 : d)] =
          rng.int(3) === 0 ? 2.5 : 1;
      }
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
      fc.assert(
        fc.property(shapeArbitrary, fc.integer({ min: 1, max: 1000 }), (shape, seed) => {
          if (shape.output === 'softmax' && shape.o < 2) shape.o = 2;
          // Forced, since 'auto' multiplies products under 512 multiply-adds in TypeScript, unfused.
          const s = setUp(shape, 'relaxed-simd', seed);
          expectSameBits(fused(s, shape), reference(s, shape, 'relaxed-simd', s.sparse));
        }),
        { numRuns: 30 },
      );
    },
  );

  it('differentiates the same bits without outputs', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.integer({ min: 1, max: 1000 }), (shape, seed) => {
        if (shape.output === 'softmax' && shape.o < 2) shape.o = 2;
        const s = setUp(shape, 'simd', seed);
        const expected = fused(s, shape);
        const g = s.grads();
        expect(expected.pass.gradients(s.params, s.x, s.sparse, s.y, undefined, g)).toBe(true);
        for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
          expect([key, firstDifference(g[key].data, expected.g[key].data)]).toEqual([key, -1]);
        }
      }),
      { numRuns: 20 },
    );
  });

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
    // A snapshot of x made by another arena: its indices are addresses there, not here.
    const elsewhere = new WasmArena(WasmArena.sparseBytesFor(8, 24) + 1024);
    expect(pass.forward(s.params, s.x, elsewhere.sparseRows(s.x), p)).toBe(false);
    // Outputs over the snapshot's own arrays.
    const own = s.arena.sparseRows(s.x);
    const over = new Matrix(8, 2, new Float64Array(s.x.data.buffer, own.values.byteOffset, 16));
    expect(pass.forward(s.params, s.x, own, over)).toBe(false);
    expect(firstDifference(p.data, before)).toBe(-1);
    expect(() => new TwoLayerPass(s.arena, 0, 4, 2, 'softmax')).toThrow(RangeError);
    expect(() => new TwoLayerPass(s.arena, 3, 4, 2, 'sigmoid' as 'softmax')).toThrow(RangeError);
  });

  it('sizes its scratch as the kernel does, in an arena of exactly bytesFor', () => {
    for (const dtype of ['f64', 'f32'] as const) {
      for (const [d, h, o] of [
        [1, 1, 1],
        [10, 16, 10],
        [16, 12, 1],
        [7, 9, 3],
      ] as const) {
        const arena = new WasmArena(TwoLayerPass.bytesFor(d, h, o, dtype));
        const pass = new TwoLayerPass(arena, d, h, o, 'softmax', dtype);
        const r = arenaRuntimeOf(arena.matrix(0, 0).data)!;
        const kernel =
          dtype === 'f64'
            ? r.elementwise.twoLayerWorkBytes(d, h, o)
            : r.elementwise.twoLayerWorkBytes32(d, h, o);
        const work = (pass as unknown as { work: Matrix }).work.data.byteLength;
        expect(work).toBeGreaterThanOrEqual(kernel);
        expect(work).toBeLessThan(kernel + 8);
      }
    }
  });
});

/** A float32 copy of `m` in `arena`. */
function f32Copy(arena: WasmArena, m: Matrix): Matrix<Float32Array> {
  const c = arena.matrix(m.rows, m.cols, 'f32');
  c.data.set(m.data);
  return c;
}

/** Float64 gradients outside the arena, as a network's are, for d inputs, h hidden, o outputs. */
function zeroGradients(d: number, h: number, o: number): TwoLayerGradients {
  return {
    w1: Matrix.zeros(d, h),
    b1: Matrix.zeros(1, h),
    w2: Matrix.zeros(h, o),
    b2: Matrix.zeros(1, o),
  };
}

/** The mean loss of outputs `p` against `y` (cross-entropy or Σ(p − y)²/2m), in float64. */
function meanLoss(p: Matrix, y: Matrix, output: 'softmax' | 'identity'): number {
  let sum = 0;
  for (let i = 0; i < p.data.length; i++) {
    const t = y.data[i]!;
    if (output === 'softmax') sum -= t === 0 ? 0 : t * Math.log(p.data[i]!);
    else sum += 0.5 * (t - p.data[i]!) ** 2;
  }
  return sum / p.rows;
}

/** First largest index of each row of `m`. */
function argmaxRow(m: Matrix<FloatArrayLike>, r: number): number {
  let best = 0;
  for (let j = 1; j < m.cols; j++)
    if (m.data[r * m.cols + j]! > m.data[r * m.cols + best]!) best = j;
  return best;
}

type FloatArrayLike = Float64Array | Float32Array;

describe.skipIf(!simd)('TwoLayerPass in float32', () => {
  /** Runs the float32 pass on the problem of `setUp` and the float64 pass beside it. */
  function both(shape: Shape, seed: number, variant: SimdVariant = 'simd') {
    const s = setUp(shape, 'simd', seed);
    // Moderate logits, as at the start of training: where a softmax saturates, p − y cancels to
    // a few float32 ulps, and its relative error says nothing about the pass.
    for (const m of [s.params.w1, s.params.b1, s.params.w2, s.params.b2]) {
      for (let i = 0; i < m.data.length; i++) m.data[i] = m.data[i]! * 0.25;
    }
    const expected = fused(s, shape);
    const arena32 = new WasmArena(
      WasmArena.bytesFor([
        [shape.m, shape.d],
        [shape.m, shape.o],
        [shape.m, shape.o],
      ]) +
        TwoLayerPass.bytesFor(shape.d, shape.h, shape.o, 'f32') +
        WasmArena.sparseBytesFor(shape.m, shape.m * shape.d),
      { variant },
    );
    const pass = new TwoLayerPass(arena32, shape.d, shape.h, shape.o, shape.output, 'f32');
    const x = f32Copy(arena32, s.x);
    const y = f32Copy(arena32, s.y);
    const p = arena32.matrix(shape.m, shape.o, 'f32');
    const sparse = shape.sparse ? arena32.sparseRows(s.x) : undefined;
    const g = zeroGradients(shape.d, shape.h, shape.o);
    const scores = { loss: NaN, accuracy: NaN };
    expect(pass.gradients(s.params, x, sparse, y, p, g, scores)).toBe(true);
    const p2 = arena32.matrix(shape.m, shape.o, 'f32');
    return { s, expected, actual: { p, g, scores }, pass, x, y, sparse, p2 };
  }

  /** Largest |a − e| / (|e| + scale) over the elements. */
  function relativeError(a: ArrayLike<number>, e: ArrayLike<number>, scale: number): number {
    let worst = 0;
    for (let i = 0; i < e.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / (Math.abs(e[i]!) + scale));
    }
    return worst;
  }

  it('tracks the float64 pass: outputs, gradients, loss and accuracy within float32 rounding', () => {
    const variants: SimdVariant[] = relaxed ? ['simd', 'relaxed-simd'] : ['simd'];
    fc.assert(
      fc.property(
        shapeArbitrary,
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(...variants),
        (shape, seed, variant) => {
          if (shape.output === 'softmax' && shape.o < 2) shape.o = 2;
          const { s, expected, actual, ...rest } = both(shape, seed, variant);
          // Against the largest output: an identity output near 0 may be a cancelling sum.
          const largest = expected.p.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
          expect(relativeError(actual.p.data, expected.p.data, largest + 1e-3)).toBeLessThan(1e-5);
          for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
            const e = expected.g[key].data;
            const scale = e.reduce((a, v) => Math.max(a, Math.abs(v)), 0) + 1e-12;
            expect([key, relativeError(actual.g[key].data, e, scale) < 1e-3]).toEqual([key, true]);
          }
          const loss = meanLoss(expected.p, s.y, shape.output);
          expect(Math.abs(actual.scores.loss - loss)).toBeLessThan(1e-5 * (1 + Math.abs(loss)));
          expect(actual.scores.accuracy).toBeNaN();
          const { pass, x, y, sparse, p2 } = rest;
          const measured = { loss: NaN, accuracy: NaN };
          expect(pass.forward(s.params, x, sparse, p2, { y, scores: measured })).toBe(true);
          expect(measured.loss).toBe(actual.scores.loss);
          if (shape.output === 'identity') expect(measured.accuracy).toBeNaN();
          else {
            let agree = 0;
            let correct = 0;
            for (let r = 0; r < shape.m; r++) {
              agree += +(argmaxRow(actual.p, r) === argmaxRow(expected.p, r));
              correct += +(argmaxRow(actual.p, r) === argmaxRow(s.y, r));
            }
            // Rows whose two largest outputs sit within float32 rounding may rank differently.
            expect(agree).toBeGreaterThanOrEqual(shape.m - 1);
            expect(measured.accuracy).toBe(correct / shape.m);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives the same bits every time, and forward the outputs of the training pass', () => {
    const shape: Shape = { m: 150, d: 10, h: 16, o: 10, output: 'softmax', sparse: true };
    const first = both(shape, 9);
    const again = both(shape, 9);
    expect(
      firstDifference(
        Float64Array.from(first.actual.p.data),
        Float64Array.from(again.actual.p.data),
      ),
    ).toBe(-1);
    expect(firstDifference(first.actual.g.w1.data, again.actual.g.w1.data)).toBe(-1);
    expect(Object.is(first.actual.scores.loss, again.actual.scores.loss)).toBe(true);
    // p outside the arena is refused; in it, forward writes the training pass's outputs.
    const outside = new Matrix(shape.m, shape.o, new Float32Array(shape.m * shape.o));
    expect(first.pass.forward(first.s.params, first.x, first.sparse, outside)).toBe(false);
    const p = first.p2;
    expect(first.pass.forward(first.s.params, first.x, first.sparse, p)).toBe(true);
    expect(Array.from(p.data)).toEqual(Array.from(first.actual.p.data));
  });

  it('writes no outputs when given none, and measures and differentiates the same bits', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.integer({ min: 1, max: 1000 }), (shape, seed) => {
        if (shape.output === 'softmax' && shape.o < 2) shape.o = 2;
        const { s, actual, pass, x, y, sparse, p2 } = both(shape, seed);
        const g = zeroGradients(shape.d, shape.h, shape.o);
        const scores = { loss: NaN, accuracy: NaN };
        expect(pass.gradients(s.params, x, sparse, y, undefined, g, scores)).toBe(true);
        for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
          expect([key, firstDifference(g[key].data, actual.g[key].data)]).toEqual([key, -1]);
        }
        expect(Object.is(scores.loss, actual.scores.loss)).toBe(true);
        const withOutputs = { loss: NaN, accuracy: NaN };
        const without = { loss: NaN, accuracy: NaN };
        p2.data.fill(7);
        expect(pass.forward(s.params, x, sparse, p2, { y, scores: withOutputs })).toBe(true);
        const written = Array.from(p2.data);
        expect(pass.forward(s.params, x, sparse, undefined, { y, scores: without })).toBe(true);
        expect(Array.from(p2.data)).toEqual(written);
        expect([without.loss, without.accuracy]).toEqual([withOutputs.loss, withOutputs.accuracy]);
      }),
      { numRuns: 30 },
    );
    // A forward pass that neither writes nor measures has nothing to do: refused.
    const { s, pass, x, sparse } = both(
      { m: 5, d: 3, h: 4, o: 2, output: 'softmax', sparse: true },
      1,
    );
    expect(pass.forward(s.params, x, sparse, undefined)).toBe(false);
  });

  it("spreads a unit row's (one nonzero, 1) non-finite hidden gradient to every input's dW1, as float64", () => {
    // An infinite target makes one row's dz2, and so its dz1, infinite or NaN while every other
    // row stays finite: float64 (IEEE's dense product) puts 0·∞ = NaN into the other inputs' rows
    // of dW1 — the last input, which no row has, included.
    const shape: Shape = { m: 70, d: 5, h: 6, o: 3, output: 'softmax', sparse: true };
    const s = setUp({ ...shape, unusedColumn: true }, 'simd', 11);
    const { starts, values } = s.sparse!;
    let row = 0;
    while (starts[row + 1]! - starts[row]! !== 1 || values[starts[row]!] !== 1) row++;
    s.y.data[row * 3] = Infinity;
    const expected = fused(s, shape).g;
    const arena = new WasmArena(TwoLayerPass.bytesFor(5, 6, 3, 'f32') + 64 * 1024);
    const pass = new TwoLayerPass(arena, 5, 6, 3, 'softmax', 'f32');
    const g = zeroGradients(5, 6, 3);
    const [x, y] = [f32Copy(arena, s.x), f32Copy(arena, s.y)];
    expect(pass.gradients(s.params, x, arena.sparseRows(s.x), y, undefined, g)).toBe(true);
    const kinds = (a: Float64Array) =>
      Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'finite' : 'inf'));
    expect(kinds(expected.w1.data).filter((k) => k === 'NaN').length).toBeGreaterThan(6);
    expect(kinds(g.w1.data)).toEqual(kinds(expected.w1.data));
    expect(kinds(g.b1.data)).toEqual(kinds(expected.b1.data));
  });

  it('measures the loss from the logits: large margins give large, finite losses', () => {
    const shape: Shape = { m: 8, d: 3, h: 4, o: 3, output: 'softmax', sparse: false };
    const { s, actual } = both(shape, 4);
    expect(Number.isFinite(actual.scores.loss)).toBe(true);
    s.params.w2.data.fill(0);
    s.params.b2.data.set([200, 0, 0]);
    const arena = new WasmArena(TwoLayerPass.bytesFor(3, 4, 3, 'f32') + 4096);
    const pass = new TwoLayerPass(arena, 3, 4, 3, 'softmax', 'f32');
    const x = f32Copy(arena, s.x);
    const y = arena.matrix(8, 3, 'f32');
    for (let r = 0; r < 8; r++) y.data[r * 3 + 2] = 1;
    const p = arena.matrix(8, 3, 'f32');
    const scores = { loss: NaN, accuracy: NaN };
    expect(pass.forward(s.params, x, undefined, p, { y, scores })).toBe(true);
    // Every row: logit 200 for class 0, target class 2, so −ln p₂ = 200 (p₂ itself underflows).
    expect(scores.loss).toBeCloseTo(200, 3);
    expect(scores.accuracy).toBe(0);
  });

  /** A float32 pass on 1 input (x = 0), so every row's logits are b2; and its targets. */
  function constantLogits(rows: number, targets: readonly (readonly number[])[]) {
    const o = targets[0]!.length;
    const arena = new WasmArena(TwoLayerPass.bytesFor(1, 1, o, 'f32') + 4096);
    const pass = new TwoLayerPass(arena, 1, 1, o, 'softmax', 'f32');
    const x = arena.matrix(rows, 1, 'f32');
    const y = arena.matrix(rows, o, 'f32');
    for (let i = 0; i < rows; i++) y.data.set(targets[i % targets.length]!, i * o);
    const measure = (b2: readonly number[]) => {
      const params = {
        w1: Matrix.zeros(1, 1),
        b1: Matrix.zeros(1, 1),
        w2: Matrix.zeros(1, o),
        b2: new Matrix(1, o, Float64Array.from(b2)),
      };
      const scores = { loss: NaN, accuracy: NaN };
      expect(pass.forward(params, x, undefined, undefined, { y, scores })).toBe(true);
      return scores;
    };
    return { y, measure };
  }

  /** The exact mean cross-entropy Σ_j t_j·(ln Σ exp(z − max) − (z_j − max)) of rows `y`. */
  function exactLoss(z: readonly number[], y: Matrix<Float32Array>): number {
    const max = Math.max(...z);
    const lse = Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0));
    let sum = 0;
    for (let i = 0; i < y.data.length; i++) {
      const t = y.data[i]!;
      if (t !== 0) sum += t * (lse - (z[i % z.length]! - max));
    }
    return sum / y.rows;
  }

  it('measures a soft-target loss to float32 rounding whatever the size of the logits', () => {
    // Targets that sum to 1, to less and to more; a zero target skips its term.
    const { y, measure } = constantLogits(6, [
      [0.3, 0.3, 0.4],
      [0.5, 0.2, 0],
      [0, 3, 1],
    ]);
    for (const base of [10, 1000, 1e5]) {
      const z = [base + 0.5, base - 0.25, base].map(Math.fround);
      const exact = exactLoss(z, y);
      expect(Math.abs(measure(z).loss - exact) / exact).toBeLessThan(1e-6);
    }
    // A −∞ logit where every target is 0 adds nothing (0·∞ would make the loss NaN).
    const z = [-Infinity, 1, 2];
    const zeroFirst = constantLogits(4, [
      [0, 1, 0],
      [0, 0.5, 0.5],
    ]);
    const exact = exactLoss(z, zeroFirst.y);
    expect(Number.isFinite(exact)).toBe(true);
    expect(Math.abs(zeroFirst.measure(z).loss - exact) / exact).toBeLessThan(1e-6);
  });

  it('counts a row correct when its first largest output is its first largest target', () => {
    // Every row's outputs tie at 1, 2 and 4: the first, 1, is the prediction.
    const { measure } = constantLogits(5, [
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0.5, 0.5, 0, 0],
      [0, 0, 0, 0, 1],
      [0, 1, 1, 0, 0],
    ]);
    expect(measure([1, 3, 3, 0, 3]).accuracy).toBe(3 / 5);
    // Outputs holding NaN are no prediction: not even for targets at their first index.
    const nan = constantLogits(5, [[1, 0, 0, 0, 0]]);
    expect(nan.measure([1, 3, 3, 0, 3]).accuracy).toBe(0);
    expect(nan.measure([NaN, 0, 0, 0, 0]).accuracy).toBe(0);
    expect(nan.measure([5, 0, 0, 0, 0]).accuracy).toBe(1);
  });

  it('propagates NaN from an infinite weight, as float64 does', () => {
    const shape: Shape = { m: 20, d: 4, h: 6, o: 3, output: 'softmax', sparse: true };
    const s = setUp(shape, 'simd', 5);
    s.params.w1.data[7] = Infinity;
    const arena = new WasmArena(TwoLayerPass.bytesFor(4, 6, 3, 'f32') + 64 * 1024);
    const pass = new TwoLayerPass(arena, 4, 6, 3, 'softmax', 'f32');
    const p = arena.matrix(20, 3, 'f32');
    const scores = { loss: NaN, accuracy: NaN };
    const y = f32Copy(arena, s.y);
    expect(
      pass.forward(s.params, f32Copy(arena, s.x), arena.sparseRows(s.x), p, { y, scores }),
    ).toBe(true);
    expect(p.data.every(Number.isNaN)).toBe(true);
    expect(scores.loss).toBeNaN();
  });

  it("adds the zero inputs' terms (0·∞ = NaN) for a row whose hidden gradient is not finite", () => {
    // No row has input 3, so only the terms 0·NaN make dW1's row 3 NaN, as float64's does.
    const shape: Shape = { m: 20, d: 4, h: 6, o: 3, output: 'softmax', sparse: true };
    const s = setUp({ ...shape, unusedColumn: true }, 'simd', 6);
    s.params.w2.data[0] = Infinity;
    const arena = new WasmArena(TwoLayerPass.bytesFor(4, 6, 3, 'f32') + 64 * 1024);
    const pass = new TwoLayerPass(arena, 4, 6, 3, 'softmax', 'f32');
    const g = zeroGradients(4, 6, 3);
    const x = f32Copy(arena, s.x);
    const args = [s.params, x, arena.sparseRows(s.x), f32Copy(arena, s.y)] as const;
    expect(pass.gradients(...args, arena.matrix(20, 3, 'f32'), g)).toBe(true);
    expect(g.w1.data.subarray(18).every(Number.isNaN)).toBe(true);
  });

  it('keeps its static constants below the first address matrices get', () => {
    const arena = new WasmArena(64);
    const first = arena.matrix(1, 1);
    const end = arenaRuntimeOf(first.data)!.elementwise.staticDataEnd();
    expect(end).toBeGreaterThan(0);
    expect(end).toBeLessThanOrEqual(first.data.byteOffset);
  });

  const variants: SimdVariant[] = relaxed ? ['simd', 'relaxed-simd'] : ['simd'];
  it.each(variants)(
    'exp (a softmax row, arguments ≤ 0) and log: within 2 ulp of Math.exp / Math.log rounded, and every edge (%s)',
    (variant) => {
      const arena = new WasmArena(1 << 20, { variant });
      const r = arenaRuntimeOf(arena.matrix(0, 0).data)!;
      const n = 1 << 16;
      const src = arena.matrix(1, n, 'f32');
      const dst = arena.matrix(1, n, 'f32');
      const ulp = (v: number) => {
        const f = Math.fround(Math.abs(v));
        if (f === 0) return 2 ** -149;
        const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
        const next = new Float32Array(new Uint32Array([bits + 1]).buffer)[0]!;
        return next - f;
      };
      const rng = new Rng(1);
      for (let i = 0; i < n; i++) src.data[i] = rng.uniformRange(-87, 0);
      r.elementwise.exp32(src.data.byteOffset, dst.data.byteOffset, n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.exp(src.data[i]!);
        worst = Math.max(worst, Math.abs(dst.data[i]! - e) / ulp(e));
      }
      expect(worst).toBeLessThan(2);
      for (let i = 0; i < n; i++) src.data[i] = Math.exp(rng.uniformRange(-87, 88));
      r.elementwise.log32(src.data.byteOffset, dst.data.byteOffset, n);
      worst = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.log(src.data[i]!);
        worst = Math.max(worst, Math.abs(dst.data[i]! - e) / ulp(e));
      }
      expect(worst).toBeLessThan(2);
      src.data.set([0, -0, -Infinity, NaN, -200, -103.5, -90, -1]);
      r.elementwise.exp32(src.data.byteOffset, dst.data.byteOffset, 8);
      const exp = Array.from(dst.data.subarray(0, 8));
      // Results below the smallest normal float32 are 0, never subnormal.
      expect(exp.slice(0, 7)).toEqual([1, 1, 0, NaN, 0, 0, 0]);
      expect(Math.abs(exp[7]! - Math.exp(-1))).toBeLessThanOrEqual(ulp(Math.exp(-1)));
      src.data.set([0, -0, Infinity, -1, NaN, 1, 1e-40, 2 ** -149]);
      r.elementwise.log32(src.data.byteOffset, dst.data.byteOffset, 8);
      const log = Array.from(dst.data.subarray(0, 8));
      expect(log.slice(0, 6)).toEqual([-Infinity, -Infinity, Infinity, NaN, NaN, 0]);
      expect(Math.abs(log[6]! - Math.log(Math.fround(1e-40)))).toBeLessThan(1e-5);
      expect(log[7]).toBeCloseTo(-149 * Math.LN2, 4);
    },
  );
});
