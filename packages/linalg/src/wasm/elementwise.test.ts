import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix.js';
import { Rng } from '../rng.js';
import { WasmArena } from './arena.js';
import {
  arenaAddBiasRelu,
  arenaAddBiasSoftmax,
  arenaExp,
  arenaOutputGradientAndSums,
  arenaReluBackwardAndSums,
  arenaSparseProduct,
} from './elementwise.js';
import { matmul } from '../matmul.js';
import { enableRelaxedSimdOnNode20 } from './test-support.js';
import { wasmSupport } from './support.js';

enableRelaxedSimdOnNode20();

/** The first index where x and y differ as bits (NaN equals NaN), or −1. */
function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

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
    Number.MIN_VALUE,
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

describe.skipIf(!wasmSupport().simd)('arena element-wise passes', () => {
  const arena = new WasmArena(20 * 2 ** 20, { variant: 'simd', scratchBytes: 0 });

  it('exp is Math.exp bit for bit: edges, overflow, underflow to subnormals and 0, NaN, ±∞', () => {
    const inputs = edgeInputs();
    const x = arena.matrix(1, inputs.length);
    x.data.set(inputs);
    const out = arena.matrix(1, inputs.length);
    expect(arenaExp(x, out)).toBe(true);
    const expected = Float64Array.from(inputs, Math.exp);
    const i = firstDifference(out.data, expected);
    expect(i, `exp(${inputs[i]}) = ${out.data[i]}, Math.exp: ${expected[i]}`).toBe(-1);
    expect(out.data.some((v) => v > 0 && v < 2 ** -1022)).toBe(true); // subnormal results seen
  });

  it('exp is Math.exp bit for bit on 2 million inputs across the whole range', () => {
    const n = 1 << 20;
    const x = arena.matrix(1, n);
    const out = arena.matrix(1, n);
    const rng = new Rng(7);
    for (const scale of [800, 3]) {
      for (let i = 0; i < n; i++) x.data[i] = (rng.uniform() * 2 - 1) * scale;
      expect(arenaExp(x, out)).toBe(true);
      const expected = Float64Array.from(x.data, Math.exp);
      const i = firstDifference(out.data, expected);
      expect(i, `exp(${x.data[i]}) = ${out.data[i]}, Math.exp: ${expected[i]}`).toBe(-1);
    }
  });

  /** A rows×n matrix in the arena of normal values, some exactly 0, one −0, one NaN when asked. */
  function filled(rows: number, n: number, seed: number, specials = false): Matrix {
    const m = arena.matrix(rows, n);
    const rng = new Rng(seed);
    for (let i = 0; i < m.data.length; i++) m.data[i] = rng.int(7) === 0 ? 0 : rng.normal() * 3;
    if (specials) {
      m.data[1] = -0;
      m.data[2] = NaN;
      m.data[3] = -Infinity;
      if (m.data.length > 5) m.data[5] = Infinity;
    }
    return m;
  }

  const copy = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.slice());

  for (const n of [1, 2, 3, 10, 16]) {
    it(`bias + ReLU and bias + softmax equal the scalar loops bit for bit (n = ${n})`, () => {
      const z = filled(37, n, n, true);
      const b = Matrix.zeros(1, n); // outside the arena: copied into scratch
      for (let j = 0; j < n; j++) b.data[j] = j % 3 === 0 ? 0 : j - 2.5;
      for (const kind of ['relu', 'softmax'] as const) {
        const zr = copy(z);
        const ar = Matrix.zeros(z.rows, n);
        for (let i = 0; i < z.rows; i++) {
          let max = -Infinity;
          for (let j = 0; j < n; j++) {
            const v = zr.data[i * n + j]! + b.data[j]!;
            zr.data[i * n + j] = v;
            if (kind === 'relu') ar.data[i * n + j] = v * +(v > 0) + 0;
            else if (v > max) max = v;
          }
          if (kind === 'relu') continue;
          let sum = 0;
          for (let j = 0; j < n; j++) {
            const e = Math.exp(zr.data[i * n + j]! - max);
            ar.data[i * n + j] = e;
            sum += e;
          }
          const inv = 1 / sum;
          for (let j = 0; j < n; j++) ar.data[i * n + j] = ar.data[i * n + j]! * inv;
        }
        const zw = arena.copyOf(z);
        const aw = arena.matrix(z.rows, n);
        const run = kind === 'relu' ? arenaAddBiasRelu : arenaAddBiasSoftmax;
        expect(run(zw, b, aw)).toBe(true);
        expect(firstDifference(zw.data, zr.data), kind).toBe(-1);
        expect(firstDifference(aw.data, ar.data), kind).toBe(-1);
      }
    });

    it(`ReLU backward and the output gradient with column sums equal the scalar loops (n = ${n})`, () => {
      const z = filled(41, n, 2 * n, true);
      const da = filled(41, n, 3 * n);
      const y = filled(41, n, 4 * n);
      const g = copy(da);
      const db = Matrix.zeros(1, n);
      const dz = Matrix.zeros(41, n);
      const dbOut = Matrix.zeros(1, n);
      for (let i = 0; i < 41; i++) {
        for (let j = 0; j < n; j++) {
          const k = i * n + j;
          g.data[k] = g.data[k]! * +(z.data[k]! > 0) + 0;
          db.data[j] = db.data[j]! + g.data[k]!;
          dz.data[k] = (da.data[k]! - y.data[k]!) * (1 / 41);
          dbOut.data[j] = dbOut.data[j]! + dz.data[k]!;
        }
      }
      const dbw = arena.matrix(1, n);
      const dzw = arena.matrix(41, n);
      const dbOutW = arena.matrix(1, n);
      dbw.data.fill(NaN); // must be overwritten, not added to
      dbOutW.data.fill(NaN);
      expect(arenaOutputGradientAndSums(da, y, dzw, dbOutW)).toBe(true);
      expect(firstDifference(dzw.data, dz.data)).toBe(-1);
      expect(firstDifference(dbOutW.data, dbOut.data)).toBe(-1);
      expect(arenaReluBackwardAndSums(z, da, dbw)).toBe(true);
      expect(firstDifference(da.data, g.data)).toBe(-1);
      expect(firstDifference(dbw.data, db.data)).toBe(-1);
    });
  }

  it('does nothing and returns false outside an arena or on shapes that do not fit', () => {
    const z = Matrix.zeros(4, 3);
    const b = Matrix.zeros(1, 3);
    expect(arenaAddBiasRelu(z, b, Matrix.zeros(4, 3))).toBe(false);
    expect(arenaAddBiasRelu(arena.matrix(4, 3), Matrix.zeros(1, 2), arena.matrix(4, 3))).toBe(
      false,
    );
    const za = arena.matrix(4, 3);
    expect(arenaAddBiasSoftmax(za, b, za)).toBe(false); // softmax is not in place
    expect(arenaReluBackwardAndSums(za, arena.matrix(3, 3), arena.matrix(1, 3))).toBe(false);
    expect(arenaOutputGradientAndSums(za, za, za, Matrix.zeros(1, 3))).toBe(false);
    expect(arenaExp(za, arena.matrix(3, 4))).toBe(false);
    // Views sharing bytes but not element for element (a pass would read what it overwrote).
    const big = arena.matrix(5, 3);
    const shifted = (m: Matrix, rows: number) =>
      new Matrix(4, 3, new Float64Array(m.data.buffer, m.data.byteOffset + rows * 24, 12));
    const top = shifted(big, 0);
    const below = shifted(big, 1);
    expect(arenaAddBiasRelu(top, b, below)).toBe(false);
    expect(arenaAddBiasSoftmax(top, b, below)).toBe(false);
    expect(arenaAddBiasRelu(top, new Matrix(1, 3, top.data.subarray(0, 3)), top)).toBe(false);
    expect(arenaReluBackwardAndSums(top, below, arena.matrix(1, 3))).toBe(false);
    expect(arenaReluBackwardAndSums(top, top, new Matrix(1, 3, top.data.subarray(3, 6)))).toBe(
      false,
    );
    expect(arenaOutputGradientAndSums(top, za, below, arena.matrix(1, 3))).toBe(false);
    expect(arenaExp(top, below)).toBe(false);
    // The same view in and out is fine where the pass reads each element before writing it.
    expect(arenaAddBiasRelu(top, b, top)).toBe(true);
    expect(arenaExp(top, top)).toBe(true);
  });
});

describe.skipIf(!wasmSupport().simd)('arenaSparseProduct', () => {
  for (const variant of ['simd', 'relaxed-simd'] as const) {
    it.skipIf(variant === 'relaxed-simd' && !wasmSupport().relaxedSimd)(
      `${variant}: one-hot and mostly-zero A give matmul's bits, A·B and Aᵀ·B, odd widths`,
      () => {
        const arena = new WasmArena(8 * 2 ** 20, { variant });
        for (const [rows, k, n] of [
          [300, 10, 16],
          [300, 16, 10],
          [57, 7, 3],
          [9, 1, 1],
        ] as const) {
          const rng = new Rng(rows + k + n);
          const a = arena.matrix(rows, k);
          for (let i = 0; i < rows; i++) {
            // One-hot rows, some empty, a few with another value too.
            if (rng.int(5) !== 0) a.data[i * k + rng.int(k)] = 1;
            if (rng.int(4) === 0) a.data[i * k + rng.int(k)] = rng.normal();
          }
          for (const transposeA of [false, true]) {
            const b = Matrix.zeros(transposeA ? rows : k, n);
            for (let i = 0; i < b.data.length; i++) b.data[i] = rng.normal();
            b.data[0] = -0;
            const out = arena.matrix(transposeA ? k : rows, n);
            out.data.fill(NaN);
            expect(arenaSparseProduct(arena.sparseRows(a), b, out, transposeA)).toBe(true);
            const expected = matmul(a, b, { transposeA, kernel: variant });
            expect(
              firstDifference(out.data, expected.data),
              `${rows}×${k}×${n} ${transposeA}`,
            ).toBe(-1);
          }
        }
        const a = arena.sparseRows(arena.matrix(4, 3));
        expect(arenaSparseProduct(a, Matrix.zeros(2, 2), arena.matrix(4, 2))).toBe(false);
        // Only sparseRows' own snapshots: a hand-made one could point anywhere in the arena.
        const real = arena.sparseRows(arena.matrix(4, 3));
        const forged = { ...real, starts: new Int32Array([0, 0, 0, 0, 0]) };
        expect(arenaSparseProduct(forged, Matrix.zeros(3, 2), arena.matrix(4, 2))).toBe(false);
        expect(arenaSparseProduct(real, Matrix.zeros(3, 2), arena.matrix(4, 2))).toBe(true);
        // A non-finite B entry facing a zero of A must give IEEE's NaN (0·∞), as the dense
        // product does: the sparse product refuses, and the caller's matmul computes it.
        const oneHot = arena.matrix(3, 2);
        oneHot.data.set([1, 0, 0, 1, 0, 0]);
        // A tall B for Aᵀ·B (scanned through out and A's empty rows): a bad value in a row
        // A reads (rows 0, 1) and in the row A leaves empty (row 2), at every column.
        const tall = arena.matrix(6, 2);
        tall.data.set([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
        for (const bad of [Infinity, -Infinity, NaN]) {
          for (let at = 0; at < 8; at++) {
            const b = Matrix.zeros(6, 3);
            b.data.fill(0.5);
            b.data[at] = bad;
            const out = arena.matrix(2, 3);
            const dense = matmul(tall, b, { transposeA: true, kernel: variant });
            expect(dense.data.some(Number.isNaN)).toBe(true);
            expect(
              arenaSparseProduct(arena.sparseRows(tall), b, out, true),
              `${bad} at ${at}`,
            ).toBe(false);
          }
          const fine = Matrix.filled(6, 3, 0.5);
          const out = arena.matrix(2, 3);
          expect(arenaSparseProduct(arena.sparseRows(tall), fine, out, true)).toBe(true);
          expect(firstDifference(out.data, matmul(tall, fine, { transposeA: true }).data)).toBe(-1);
        }
        for (const bad of [Infinity, -Infinity, NaN]) {
          for (const transposeA of [false, true]) {
            const b = Matrix.zeros(transposeA ? 3 : 2, 2);
            b.data[b.data.length - 1] = bad;
            const out = arena.matrix(transposeA ? 2 : 3, 2);
            expect(arenaSparseProduct(arena.sparseRows(oneHot), b, out, transposeA)).toBe(false);
            const dense = matmul(oneHot, b, { transposeA, kernel: variant });
            expect(dense.data.some(Number.isNaN), `${bad} ${transposeA}`).toBe(true);
          }
        }
        expect(arenaSparseProduct(a, Matrix.zeros(3, 2), Matrix.zeros(4, 2))).toBe(false);
      },
    );
  }
});
