// Shared by the tests (excluded from the build): random two-layer problems, nn's reference
// passes on them, bit comparisons, and Node 20's relaxed-SIMD flag.
import v8 from 'node:v8';
import fc from 'fast-check';
import { Matrix, Rng } from '@scratchnet/linalg';
import { Workspace, backward, forward } from '@scratchnet/nn';
import type { DenseLayer } from '@scratchnet/nn';
import type { TwoLayerGradients, TwoLayerParameters } from './two-layer-pass.js';

/**
 * Node 20 validates relaxed SIMD only behind a V8 flag; setting it before the first validation
 * lets the relaxed build be tested there too (later Node versions have it on by default).
 */
export function enableRelaxedSimdOnNode20(): void {
  if (process.versions.node.startsWith('20.')) {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
}

/** A two-layer problem's sizes. */
export interface Shape {
  m: number;
  d: number;
  h: number;
  o: number;
  output: 'softmax' | 'identity';
  /** Mostly one-hot rows (some empty, some with two nonzeros), else dense inputs. */
  sparse: boolean;
  /** Sparse inputs leave their last column all zeros. */
  unusedColumn?: boolean;
}

export const shapeArbitrary: fc.Arbitrary<Shape> = fc
  .record({
    m: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 60, max: 200 })),
    d: fc.integer({ min: 1, max: 12 }),
    h: fc.integer({ min: 1, max: 17 }),
    o: fc.integer({ min: 1, max: 11 }),
    output: fc.constantFrom('softmax' as const, 'identity' as const),
    sparse: fc.boolean(),
  })
  .map((s) => (s.output === 'softmax' && s.o < 2 ? { ...s, o: 2 } : s));

/** Seeded inputs, targets and parameters (ordinary float64 matrices) of `shape`. */
export function problem(shape: Shape, seed: number, scale = 1) {
  const { m, d, h, o } = shape;
  const rng = new Rng(seed);
  const x = Matrix.zeros(m, d);
  for (let i = 0; i < m; i++) {
    if (shape.sparse) {
      const kind = rng.int(8);
      const nonzeros = kind === 0 ? 0 : kind === 1 ? 2 : 1;
      for (let e = 0; e < nonzeros; e++) {
        x.data[i * d + rng.int(shape.unusedColumn === true ? d - 1 : d)] =
          rng.int(3) === 0 ? 2.5 : 1;
      }
    } else for (let j = 0; j < d; j++) x.data[i * d + j] = rng.uniformRange(-2, 2);
  }
  const y = Matrix.zeros(m, o);
  for (let i = 0; i < m; i++) {
    if (shape.output === 'softmax') y.data[i * o + rng.int(o)] = 1;
    else for (let j = 0; j < o; j++) y.data[i * o + j] = rng.uniformRange(-1, 1);
  }
  const filled = (r: number, c: number) => {
    const w = Matrix.zeros(r, c);
    for (let i = 0; i < w.data.length; i++) w.data[i] = rng.normal() * scale;
    return w;
  };
  const params: TwoLayerParameters = {
    w1: filled(d, h),
    b1: filled(1, h),
    w2: filled(h, o),
    b2: filled(1, o),
  };
  return { x, y, params };
}

/**
 * nn's reference forward and backward passes on the problem (its rows weighted by `weights`,
 * when given): the contract of the f64 pass.
 */
export function reference(
  shape: Shape,
  x: Matrix,
  y: Matrix,
  params: TwoLayerParameters,
  weights?: Float64Array,
): { p: Matrix; g: TwoLayerGradients } {
  const layers: DenseLayer[] = [
    { weights: params.w1, biases: params.b1, activation: 'relu' },
    { weights: params.w2, biases: params.b2, activation: shape.output },
  ];
  const ws = new Workspace(layers, x.rows);
  const p = forward(layers, x, ws).clone();
  const [g1, g2] = backward(layers, x, y, ws, 0, weights);
  return {
    p,
    g: { w1: g1!.weights, b1: g1!.biases, w2: g2!.weights, b2: g2!.biases },
  };
}

/** Seeded row weights for m rows: about one in four 0, never all of them. */
export function rowWeights(m: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) w[i] = rng.int(4) === 0 ? 0 : rng.uniformRange(0.1, 5);
  w[rng.int(m)] = 1.25;
  return w;
}

/** The first index where x and y differ as bits (any NaN equals any NaN), or −1. */
export function firstDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Largest |a − e| / (|e| + scale) over the elements. */
export function relativeError(a: ArrayLike<number>, e: ArrayLike<number>, scale: number): number {
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / (Math.abs(e[i]!) + scale));
  }
  return worst;
}

/** Gradients of the problem's shape in ordinary memory. */
export function zeroGradients(d: number, h: number, o: number): TwoLayerGradients {
  return {
    w1: Matrix.zeros(d, h),
    b1: Matrix.zeros(1, h),
    w2: Matrix.zeros(h, o),
    b2: Matrix.zeros(1, o),
  };
}
