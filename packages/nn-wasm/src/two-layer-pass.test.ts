import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Matrix, Rng } from '@scratchnet/linalg';
import type * as Linalg from '@scratchnet/linalg';
import type { SimdVariant } from '@scratchnet/linalg';
import { computeLoss, totalWeight } from '@scratchnet/nn';
import { FIRST_ADDRESS } from './abi.generated.js';
import { KernelMemory } from './kernel-memory.js';
import {
  enableRelaxedSimdOnNode20,
  firstDifference,
  problem,
  reference,
  relativeError,
  rowWeights,
  shapeArbitrary,
  zeroGradients,
} from './test-support.js';
import type { Shape } from './test-support.js';
import { TwoLayerPass } from './two-layer-pass.js';
import type { TwoLayerGradients, TwoLayerParameters } from './two-layer-pass.js';
import { kernelSupport } from './wasm.js';

// The reference's products without fused multiply-add, whatever the engine validates: the
// contract of the float64 pass is with those (this file turns relaxed SIMD on, and Node 22 has it).
vi.mock('@scratchnet/linalg', async (importOriginal) => {
  const linalg = await importOriginal<typeof Linalg>();
  const matmul = ((a: Matrix, b: Matrix, options: Linalg.MatmulOptions = {}) =>
    linalg.matmul(a, b, {
      ...options,
      kernel: options.kernel ?? 'blocked',
    })) as typeof linalg.matmul;
  return { ...linalg, matmul };
});

enableRelaxedSimdOnNode20();

const simd = kernelSupport().simd;
const relaxed = kernelSupport()['relaxed-simd'];
const variants: SimdVariant[] = relaxed ? ['simd', 'relaxed-simd'] : ['simd'];

/**
 * A memory holding one pass of `shape` and its rows, with the rows copied in — and, for weighted
 * rows, their shares cᵢ = wᵢ/W of the loss, as nn's `outputGradient` computes them.
 */
function inMemory(
  shape: Shape,
  data: { x: Matrix; y: Matrix },
  dtype: 'f64' | 'f32',
  variant: SimdVariant = 'simd',
  weights?: Float64Array,
) {
  const { m, d, h, o, output } = shape;
  const memory = new KernelMemory(
    TwoLayerPass.bytesFor({ inputs: d, hidden: h, outputs: o, output, dtype }) +
      KernelMemory.matrixBytes(m, d, dtype) +
      3 * KernelMemory.matrixBytes(m, o, dtype) +
      4 * KernelMemory.matrixBytes(d + 1, Math.max(h, o)) +
      KernelMemory.matrixBytes(1, m) +
      KernelMemory.sparseBytes(m, m * d),
    variant,
  );
  const pass = new TwoLayerPass(memory, { inputs: d, hidden: h, outputs: o, output, dtype });
  const x = memory.matrix(m, d, dtype as 'f64');
  x.data.set(data.x.data);
  const y = memory.matrix(m, o, dtype as 'f64');
  y.data.set(data.y.data);
  let scales: Float64Array | undefined;
  if (weights !== undefined) {
    scales = memory.matrix(1, m).data;
    const total = totalWeight(m, weights);
    for (let i = 0; i < m; i++) scales[i] = weights[i]! / total;
  }
  const inputs = {
    x,
    ...(shape.sparse ? { sparse: memory.sparseRows(data.x) } : {}),
    ...(scales === undefined ? {} : { scales }),
  };
  return { memory, pass, x, y, inputs, p: memory.matrix(m, o, dtype as 'f64') };
}

function expectSameBits(
  actual: { p: Matrix; g: TwoLayerGradients },
  expected: { p: Matrix; g: TwoLayerGradients },
) {
  expect(['p', firstDifference(actual.p.data, expected.p.data)]).toEqual(['p', -1]);
  for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
    expect([key, firstDifference(actual.g[key].data, expected.g[key].data)]).toEqual([key, -1]);
  }
}

describe.skipIf(!simd)('TwoLayerPass in float64', () => {
  it("gives the bits of nn's reference layers on the plain-SIMD build, weighted rows too (property)", () => {
    fc.assert(
      fc.property(
        shapeArbitrary,
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        (shape, seed, weighted) => {
          const { x, y, params } = problem(shape, seed);
          const weights = weighted ? rowWeights(shape.m, seed) : undefined;
          const expected = reference(shape, x, y, params, weights);
          const r = inMemory(shape, { x, y }, 'f64', 'simd', weights);
          const g = zeroGradients(shape.d, shape.h, shape.o);
          r.pass.gradients(params, r.inputs, r.y, r.p, g);
          expectSameBits({ p: r.p, g }, expected);
          // Forward alone writes the same outputs.
          const p2 = r.memory.matrix(shape.m, shape.o);
          r.pass.forward(params, r.inputs, p2);
          expect(firstDifference(p2.data, expected.p.data)).toBe(-1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.skipIf(!relaxed)(
    'on the relaxed build (fused multiply-add): within rounding of the reference',
    () => {
      fc.assert(
        fc.property(shapeArbitrary, fc.integer({ min: 1, max: 10_000 }), (shape, seed) => {
          const { x, y, params } = problem(shape, seed, 0.5);
          const expected = reference(shape, x, y, params);
          const r = inMemory(shape, { x, y }, 'f64', 'relaxed-simd');
          const g = zeroGradients(shape.d, shape.h, shape.o);
          r.pass.gradients(params, r.inputs, r.y, r.p, g);
          const largest = expected.p.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
          expect(relativeError(r.p.data, expected.p.data, largest + 1e-9)).toBeLessThan(1e-12);
          for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
            const e = expected.g[key].data;
            const scale = e.reduce((a, v) => Math.max(a, Math.abs(v)), 0) + 1e-300;
            expect([key, relativeError(g[key].data, e, scale) < 1e-10]).toEqual([key, true]);
          }
        }),
        { numRuns: 30 },
      );
    },
  );

  it("keeps IEEE's NaN where a skipped zero input meets an infinite weight", () => {
    for (const bad of [Infinity, -Infinity, NaN]) {
      const shape: Shape = { m: 30, d: 4, h: 5, o: 3, output: 'softmax', sparse: true };
      const { x, y, params } = problem({ ...shape, unusedColumn: true }, 3);
      // Input 3 is zero in every row: only 0·w terms meet this weight.
      params.w1.data[3 * 5 + 1] = bad;
      const r = inMemory(shape, { x, y }, 'f64');
      r.pass.gradients(params, r.inputs, r.y, r.p, zeroGradients(4, 5, 3));
      // 0·∞ (and 0·NaN) is NaN in z1's unit 1 for every row, so every output is NaN, as the
      // dense product gives.
      expect(r.p.data.every(Number.isNaN), String(bad)).toBe(true);
      expect(reference(shape, x, y, params).p.data.every(Number.isNaN), String(bad)).toBe(true);
    }
  });

  it('refuses what it cannot run with a RangeError saying what, doing nothing', () => {
    const shape: Shape = { m: 10, d: 3, h: 4, o: 2, output: 'softmax', sparse: false };
    const { x, y, params } = problem(shape, 1);
    const r = inMemory(shape, { x, y }, 'f64');
    const g = zeroGradients(3, 4, 2);
    const before = Array.from(r.p.data);
    expect(() => r.pass.gradients(params, { x }, r.y, r.p, g)).toThrow(
      "TwoLayerPass: x must live in the pass's KernelMemory",
    );
    expect(() => r.pass.gradients(params, r.inputs, y, r.p, g)).toThrow(
      "TwoLayerPass: y must live in the pass's KernelMemory",
    );
    expect(() => r.pass.forward(params, r.inputs, r.x)).toThrow('TwoLayerPass: p must be 10×2');
    const wrong = { ...params, w2: Matrix.zeros(4, 3) };
    expect(() => r.pass.forward(wrong, r.inputs, r.p)).toThrow(
      'TwoLayerPass: parameters must be float64 w1 3×4, b1 1×4, w2 4×2, b2 1×2',
    );
    expect(() => r.pass.forward(params, r.inputs, undefined)).toThrow(
      'TwoLayerPass: forward needs outputs p or measure',
    );
    const scores = { loss: NaN, accuracy: NaN };
    expect(() => r.pass.forward(params, r.inputs, r.p, { y: r.y, scores })).toThrow(
      'TwoLayerPass: only a float32 pass measures',
    );
    const overlapping = new Matrix(
      10,
      2,
      new Float64Array(r.x.data.buffer, r.x.data.byteOffset, 20),
    );
    expect(() => r.pass.forward(params, r.inputs, overlapping)).toThrow(
      'TwoLayerPass: an output shares memory with another operand',
    );
    expect(Array.from(r.p.data)).toEqual(before);
    // Scales that are not one float64 per row of the memory, or that an output would overwrite.
    const outside = { x: r.x, scales: new Float64Array(10) };
    expect(() => r.pass.gradients(params, outside, r.y, r.p, g)).toThrow(
      "TwoLayerPass: scales must be 10 float64 values in the pass's KernelMemory",
    );
    const shared = { x: r.x, scales: r.p.data.subarray(0, 10) };
    expect(() => r.pass.gradients(params, shared, r.y, r.p, g)).toThrow(
      'TwoLayerPass: an output shares memory with the scales',
    );
    // A pass checks the operands of its last good call once, and still each new one after it.
    r.pass.gradients(params, r.inputs, r.y, r.p, g);
    r.pass.gradients(params, r.inputs, r.y, r.p, g);
    expect(() => r.pass.gradients(params, r.inputs, r.y, overlapping, g)).toThrow(
      'TwoLayerPass: an output shares memory with another operand',
    );
    expect(() => r.pass.gradients(params, { x }, r.y, r.p, g)).toThrow(
      "TwoLayerPass: x must live in the pass's KernelMemory",
    );
    expect(
      () =>
        new TwoLayerPass(r.memory, {
          inputs: 0,
          hidden: 1,
          outputs: 1,
          output: 'identity',
          dtype: 'f64',
        }),
    ).toThrow(RangeError);
  });

  it('sizes its memory from the kernel itself: a pass fits in exactly bytesFor', () => {
    for (const dtype of ['f64', 'f32'] as const) {
      const shape = { inputs: 7, hidden: 13, outputs: 5, output: 'softmax', dtype } as const;
      const memory = new KernelMemory(TwoLayerPass.bytesFor(shape));
      expect(() => new TwoLayerPass(memory, shape)).not.toThrow();
      expect(memory.free).toBeLessThan(64);
      expect(() => new TwoLayerPass(memory, shape)).toThrow(/no room/);
    }
  });

  it('keeps the static constants below the first address it hands out', () => {
    const memory = new KernelMemory(64);
    const end = memory.kernels.staticDataEnd();
    expect(end).toBeGreaterThan(0);
    expect(end).toBeLessThanOrEqual(FIRST_ADDRESS);
    expect(memory.matrix(1, 1).data.byteOffset).toBe(FIRST_ADDRESS);
  });
});

/** The mean loss of outputs p against y, as the float32 pass measures it (no clipping). */
function meanLoss(
  p: Matrix,
  y: Matrix,
  output: 'softmax' | 'identity',
  weights?: Float64Array,
): number {
  if (output === 'identity') return computeLoss('squared-error', p, y, weights);
  let sum = 0;
  for (let i = 0; i < p.data.length; i++) {
    const w = weights === undefined ? 1 : weights[Math.floor(i / p.cols)]!;
    if (y.data[i] !== 0) sum -= w * y.data[i]! * Math.log(p.data[i]!);
  }
  return sum / totalWeight(p.rows, weights);
}

function argmaxRow(m: Matrix<Float64Array | Float32Array>, r: number): number {
  let best = 0;
  for (let j = 1; j < m.cols; j++)
    if (m.data[r * m.cols + j]! > m.data[r * m.cols + best]!) best = j;
  return best;
}

describe.skipIf(!simd)('TwoLayerPass in float32', () => {
  it('tracks the float64 reference: outputs, gradients, loss and accuracy within float32 rounding (property)', () => {
    fc.assert(
      fc.property(
        shapeArbitrary,
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(...variants),
        fc.boolean(),
        (shape, seed, variant, weighted) => {
          // Moderate logits, as at the start of training: where a softmax saturates, p − y
          // cancels to a few float32 ulps, and its relative error says nothing about the pass.
          const { x, y, params } = problem(shape, seed, 0.25);
          const weights = weighted ? rowWeights(shape.m, seed) : undefined;
          const expected = reference(shape, x, y, params, weights);
          const r = inMemory(shape, { x, y }, 'f32', variant, weights);
          const g = zeroGradients(shape.d, shape.h, shape.o);
          const scores = { loss: NaN, accuracy: NaN };
          r.pass.gradients(params, r.inputs, r.y, r.p, g, scores);
          const largest = expected.p.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
          expect(relativeError(r.p.data, expected.p.data, largest + 1e-3)).toBeLessThan(1e-5);
          for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
            const e = expected.g[key].data;
            const scale = e.reduce((a, v) => Math.max(a, Math.abs(v)), 0) + 1e-12;
            expect([key, relativeError(g[key].data, e, scale) < 1e-3]).toEqual([key, true]);
          }
          const loss = meanLoss(expected.p, y, shape.output, weights);
          expect(Math.abs(scores.loss - loss)).toBeLessThan(1e-5 * (1 + Math.abs(loss)));
          expect(scores.accuracy).toBeNaN();
          const measured = { loss: NaN, accuracy: NaN };
          r.pass.forward(params, r.inputs, undefined, { y: r.y, scores: measured });
          expect(measured.loss).toBe(scores.loss);
          // Weighted rows' accuracy is the caller's, from the outputs.
          if (shape.output === 'identity' || weighted) expect(measured.accuracy).toBeNaN();
          else {
            let agree = 0;
            let correct = 0;
            for (let row = 0; row < shape.m; row++) {
              agree += +(argmaxRow(r.p, row) === argmaxRow(expected.p, row));
              correct += +(argmaxRow(r.p, row) === argmaxRow(y, row));
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

  it('gives the same bits every time, with or without outputs, and leaves p alone without them', () => {
    const shape: Shape = { m: 150, d: 10, h: 16, o: 10, output: 'softmax', sparse: true };
    const { x, y, params } = problem(shape, 9);
    const run = (withOutputs: boolean) => {
      const r = inMemory(shape, { x, y }, 'f32');
      r.p.data.fill(7);
      const g = zeroGradients(10, 16, 10);
      const scores = { loss: NaN, accuracy: NaN };
      r.pass.gradients(params, r.inputs, r.y, withOutputs ? r.p : undefined, g, scores);
      return {
        g: JSON.stringify(Object.values(g).map((m) => Array.from(m.data))),
        loss: scores.loss,
        p: Array.from(r.p.data),
      };
    };
    const a = run(true);
    const b = run(true);
    const c = run(false);
    expect(b).toEqual(a);
    expect(c.g).toBe(a.g);
    expect(c.loss).toBe(a.loss);
    expect(c.p.every((v) => v === 7)).toBe(true);
  });

  /** A float32 pass on 1 input (x = 0), so every row's logits are b2; and its targets. */
  function constantLogits(rows: number, targets: readonly (readonly number[])[]) {
    const o = targets[0]!.length;
    const shape = { inputs: 1, hidden: 1, outputs: o, output: 'softmax', dtype: 'f32' } as const;
    const memory = new KernelMemory(TwoLayerPass.bytesFor(shape) + 4096);
    const pass = new TwoLayerPass(memory, shape);
    const x = memory.matrix(rows, 1, 'f32');
    const y = memory.matrix(rows, o, 'f32');
    for (let i = 0; i < rows; i++) y.data.set(targets[i % targets.length]!, i * o);
    const measure = (b2: readonly number[]) => {
      const params: TwoLayerParameters = {
        w1: Matrix.zeros(1, 1),
        b1: Matrix.zeros(1, 1),
        w2: Matrix.zeros(1, o),
        b2: new Matrix(1, o, Float64Array.from(b2)),
      };
      const scores = { loss: NaN, accuracy: NaN };
      pass.forward(params, { x }, undefined, { y, scores });
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

  it('measures the loss from the logits: large margins give large, finite losses', () => {
    const { measure } = constantLogits(8, [[0, 0, 1]]);
    // Logit 200 for class 0, target class 2: −ln p₂ = 200 (p₂ itself underflows).
    const scores = measure([200, 0, 0]);
    expect(scores.loss).toBeCloseTo(200, 3);
    expect(scores.accuracy).toBe(0);
  });

  it('measures a soft-target loss to float32 rounding whatever the size of the logits', () => {
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
    const { measure } = constantLogits(5, [
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0.5, 0.5, 0, 0],
      [0, 0, 0, 0, 1],
      [0, 1, 1, 0, 0],
    ]);
    // Every row's outputs tie at 1, 2 and 4: the first, 1, is the prediction.
    expect(measure([1, 3, 3, 0, 3]).accuracy).toBe(3 / 5);
    // Outputs holding NaN count as wrong (their loss is NaN, and training stops on it).
    const nan = constantLogits(5, [[1, 0, 0, 0, 0]]);
    expect(nan.measure([NaN, 0, 0, 0, 0]).accuracy).toBe(0);
    expect(nan.measure([5, 0, 0, 0, 0]).accuracy).toBe(1);
  });

  it('propagates NaN from an infinite weight, as float64 does', () => {
    const shape: Shape = { m: 20, d: 4, h: 6, o: 3, output: 'softmax', sparse: true };
    const { x, y, params } = problem(shape, 5);
    params.w1.data[7] = Infinity;
    const r = inMemory(shape, { x, y }, 'f32');
    const scores = { loss: NaN, accuracy: NaN };
    r.pass.forward(params, r.inputs, r.p, { y: r.y, scores });
    expect(r.p.data.every(Number.isNaN)).toBe(true);
    expect(scores.loss).toBeNaN();
  });

  it("adds the zero inputs' terms (0·∞ = NaN) for a row whose hidden gradient is not finite", () => {
    // No row has input 3, so only the terms 0·NaN make dW1's row 3 NaN, as float64's does.
    const shape: Shape = { m: 20, d: 4, h: 6, o: 3, output: 'softmax', sparse: true };
    const { x, y, params } = problem({ ...shape, unusedColumn: true }, 6);
    params.w2.data[0] = Infinity;
    const r = inMemory(shape, { x, y }, 'f32');
    const g = zeroGradients(4, 6, 3);
    r.pass.gradients(params, r.inputs, r.y, r.p, g);
    expect(g.w1.data.subarray(18).every(Number.isNaN)).toBe(true);
  });
});

describe.skipIf(!simd)("the kernels' exponential and logarithm", () => {
  /** Every special and boundary input of fdlibm's exp, and its neighbours. */
  function edgeInputs(): number[] {
    const edges = [
      0,
      1,
      -1,
      0.5,
      Math.LN2 / 2,
      1.5 * Math.LN2,
      2 ** -28,
      2 ** -1074,
      1e-300,
      709.782712893384,
      709.7827128933841,
      709.089565712824,
      708.3964185322641,
      700,
      745.1332191019411,
      745.1332191019412,
      744.4400719213812,
      708.3964185322641 + 1e-13,
      1022 * Math.LN2,
      1021 * Math.LN2,
      1023 * Math.LN2,
      1024 * Math.LN2,
      1075 * Math.LN2,
      1e10,
      Number.MAX_VALUE,
      Infinity,
      NaN,
    ];
    const out: number[] = [];
    const f = new Float64Array(1);
    const bits = new BigInt64Array(f.buffer);
    for (const e of edges) {
      for (const s of [1, -1]) {
        f[0] = s * e;
        const b = bits[0]!;
        for (let d = -3n; d <= 3n; d++) {
          bits[0] = b + d;
          out.push(f[0]);
        }
      }
    }
    return out;
  }

  it('float64 exp is Math.exp bit for bit: edges, overflow, subnormals, NaN, ±∞, and 2 million inputs', () => {
    const n = 1 << 20;
    const memory = new KernelMemory(2 * 8 * n + 1024);
    const src = memory.matrix(1, n);
    const dst = memory.matrix(1, n);
    const inputs = edgeInputs();
    src.data.set(inputs);
    memory.kernels.exp64(src.data.byteOffset, dst.data.byteOffset, inputs.length);
    const expected = Float64Array.from(inputs, Math.exp);
    const got = dst.data.subarray(0, inputs.length);
    const i = firstDifference(got, expected);
    expect(i, `exp(${inputs[i]}) = ${got[i]}, Math.exp: ${expected[i]}`).toBe(-1);
    expect(got.some((v) => v > 0 && v < 2 ** -1022)).toBe(true); // subnormal results seen
    const rng = new Rng(7);
    for (const scale of [800, 3]) {
      for (let k = 0; k < n; k++) src.data[k] = (rng.uniform() * 2 - 1) * scale;
      memory.kernels.exp64(src.data.byteOffset, dst.data.byteOffset, n);
      const j = firstDifference(dst.data, Float64Array.from(src.data, Math.exp));
      expect(j, `exp(${src.data[j]})`).toBe(-1);
    }
  });

  it.each(variants)(
    'float32 exp (arguments ≤ 0) and log: within 2 ulp of Math.exp / Math.log rounded, and every edge (%s)',
    (variant) => {
      const n = 1 << 16;
      const memory = new KernelMemory(2 * 4 * n + 1024, variant);
      const src = memory.matrix(1, n, 'f32');
      const dst = memory.matrix(1, n, 'f32');
      const k = memory.kernels;
      const ulp = (v: number) => {
        const f = Math.fround(Math.abs(v));
        if (f === 0) return 2 ** -149;
        const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
        const next = new Float32Array(new Uint32Array([bits + 1]).buffer)[0]!;
        return next - f;
      };
      const rng = new Rng(1);
      for (let i = 0; i < n; i++) src.data[i] = rng.uniformRange(-87, 0);
      k.exp32(src.data.byteOffset, dst.data.byteOffset, n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.exp(src.data[i]!);
        worst = Math.max(worst, Math.abs(dst.data[i]! - e) / ulp(e));
      }
      expect(worst).toBeLessThan(2);
      for (let i = 0; i < n; i++) src.data[i] = Math.exp(rng.uniformRange(-87, 88));
      k.log32(src.data.byteOffset, dst.data.byteOffset, n);
      worst = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.log(src.data[i]!);
        worst = Math.max(worst, Math.abs(dst.data[i]! - e) / ulp(e));
      }
      expect(worst).toBeLessThan(2);
      src.data.set([0, -0, -Infinity, NaN, -200, -103.5, -90, -1]);
      k.exp32(src.data.byteOffset, dst.data.byteOffset, 8);
      const exp = Array.from(dst.data.subarray(0, 8));
      // Results below the smallest normal float32 are 0, never subnormal.
      expect(exp.slice(0, 7)).toEqual([1, 1, 0, NaN, 0, 0, 0]);
      expect(Math.abs(exp[7]! - Math.exp(-1))).toBeLessThanOrEqual(ulp(Math.exp(-1)));
      src.data.set([0, -0, Infinity, -1, NaN, 1, 1e-40, 2 ** -149]);
      k.log32(src.data.byteOffset, dst.data.byteOffset, 8);
      const log = Array.from(dst.data.subarray(0, 8));
      expect(log.slice(0, 6)).toEqual([-Infinity, -Infinity, Infinity, NaN, NaN, 0]);
      expect(Math.abs(log[6]! - Math.log(Math.fround(1e-40)))).toBeLessThan(1e-5);
      expect(log[7]).toBeCloseTo(-149 * Math.LN2, 4);
    },
  );
});
