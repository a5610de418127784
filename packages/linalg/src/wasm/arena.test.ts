import { describe, expect, it } from 'vitest';
import { AliasError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { matmul } from '../matmul.js';
import { Rng } from '../rng.js';
import { WasmArena } from './arena.js';
import { wasmSupport } from './support.js';
import { enableRelaxedSimdOnNode20 } from './test-support.js';

enableRelaxedSimdOnNode20();

function random(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = Matrix.zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

function transposeOf(m: Matrix): Matrix {
  const t = Matrix.zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t.set(j, i, m.get(i, j));
  return t;
}

/** The first index where x and y differ as bits, or −1 (a deep `toEqual` on big arrays is slow). */
function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

describe.skipIf(!wasmSupport().simd)('WasmArena', () => {
  it('hands out zeroed, aligned, non-overlapping matrices viewing WebAssembly memory', () => {
    const arena = new WasmArena(
      WasmArena.bytesFor([
        [3, 5],
        [2, 2],
      ]),
    );
    const a = arena.matrix(3, 5);
    const b = arena.matrix(2, 2);
    expect(a.data.buffer).toBe(b.data.buffer);
    expect(a.data.byteOffset % 64).toBe(0);
    expect(b.data.byteOffset).toBeGreaterThanOrEqual(a.data.byteOffset + a.data.byteLength);
    expect([...a.data, ...b.data].every((v) => v === 0)).toBe(true);
    expect(arena.free).toBe(0);
    expect(() => arena.matrix(1, 1)).toThrow(/no room for a 1×1 f64 matrix/);
  });

  for (const variant of ['simd', 'relaxed-simd'] as const) {
    it.skipIf(variant === 'relaxed-simd' && !wasmSupport().relaxedSimd)(
      `${variant}: products in the arena give the same bits as the copying kernel, every transpose`,
      () => {
        const cases = [
          [3000, 16, 10, false, false],
          [3000, 10, 16, false, false],
          [16, 10, 3000, true, false],
          [3000, 16, 10, false, true],
          [7, 9, 5, true, true],
        ] as const;
        for (const [m, n, k, tA, tB] of cases) {
          const a = random(tA ? k : m, tA ? m : k, m + n);
          const b = random(tB ? n : k, tB ? k : n, k);
          const options = { transposeA: tA, transposeB: tB, kernel: variant };
          const expected = matmul(a, b, options);
          // Every mix: operands and product inside, outside, or partly inside the arena.
          const arena = new WasmArena(8 * 2 ** 20, { variant });
          for (let mask = 0; mask < 8; mask++) {
            const aa = mask & 1 ? arena.copyOf(a) : a;
            const bb = mask & 2 ? arena.copyOf(b) : b;
            const out = mask & 4 ? arena.matrix(m, n) : Matrix.zeros(m, n);
            matmul(aa, bb, { ...options, out });
            expect(firstDifference(out.data, expected.data), `${m}×${n}×${k} mask ${mask}`).toBe(
              -1,
            );
            expect(firstDifference(aa.data, a.data)).toBe(-1);
          }
        }
      },
    );
  }

  it('falls back to copying when the scratch is too small, with the same result', () => {
    const a = random(200, 300, 1);
    const b = random(300, 200, 2);
    const arena = new WasmArena(
      WasmArena.bytesFor([
        [200, 300],
        [300, 200],
        [200, 200],
      ]),
      {
        variant: 'simd',
        scratchBytes: 0,
      },
    );
    const out = arena.matrix(200, 200);
    // The packed copy of B (480 kB) does not fit in the fixed scratch alone.
    matmul(arena.copyOf(a), arena.copyOf(b), { out, kernel: 'simd' });
    expect(firstDifference(out.data, matmul(a, b, { kernel: 'simd' }).data)).toBe(-1);
  });

  it('refuses an out that overlaps an operand in arena memory, for every kernel', () => {
    const arena = new WasmArena(2 ** 16);
    const a = arena.matrix(4, 4);
    const b = arena.matrix(4, 4);
    // A view onto the same memory as a, shifted by one row: not a's object, but a's bytes.
    const overlapping = new Matrix(
      4,
      4,
      new Float64Array(a.data.buffer, a.data.byteOffset + 32, 16),
    );
    for (const kernel of ['auto', 'naive', 'blocked', 'simd'] as const) {
      expect(() => matmul(a, b, { out: a, kernel })).toThrow(AliasError);
      expect(() => matmul(b, a, { out: overlapping, kernel })).toThrow(AliasError);
      expect(() => matmul(a, b, { out: arena.matrix(4, 4), kernel })).not.toThrow();
    }
  });

  it('products in place propagate NaN and ±∞ as the naive loop does (0·∞ = NaN)', () => {
    for (const variant of ['simd', ...(wasmSupport().relaxedSimd ? ['relaxed-simd'] : [])]) {
      const arena = new WasmArena(8 * 2 ** 20, { variant: variant as 'simd' });
      // Big enough for the packed path: 40×40·40×40.
      const a = arena.copyOf(random(40, 40, 7));
      const b = arena.copyOf(random(40, 40, 8));
      for (let i = 0; i < 40; i++) a.data[i * 40 + 3] = 0;
      b.data[3 * 40 + 5] = Infinity; // meets only zeros of A: column 5 all NaN
      b.data[7 * 40 + 9] = NaN; // column 9 all NaN
      a.data[11 * 40 + 0] = -Infinity; // row 11: ±∞ or NaN
      for (const tA of [false, true]) {
        const out = arena.matrix(40, 40);
        const aa = tA ? arena.copyOf(transposeOf(a)) : a;
        matmul(aa, b, { out, transposeA: tA, kernel: variant as 'simd' });
        const expected = matmul(a, b, { kernel: 'naive' });
        for (let i = 0; i < out.data.length; i++) {
          const x = out.data[i]!;
          const y = expected.data[i]!;
          if (Number.isNaN(y) || !Number.isFinite(y)) {
            expect(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)), `${i}`).toBe(true);
          } else {
            expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(y)));
          }
        }
        expect(Number.isNaN(out.get(0, 5)) && Number.isNaN(out.get(20, 9))).toBe(true);
      }
    }
  });

  it('refuses a bad capacity, shape or dtype without using up room', () => {
    expect(() => new WasmArena(-1)).toThrow(RangeError);
    const arena = new WasmArena(64);
    expect(() => arena.matrix(1.5, 2)).toThrow(/rows must be a non-negative integer, got 1.5/);
    expect(() => arena.matrix(-1, 2)).toThrow(/rows must be a non-negative integer, got -1/);
    expect(() => arena.matrix(2, NaN)).toThrow(/cols must be a non-negative integer, got NaN/);
    expect(() => arena.matrix(2, 2, 'f16' as 'f32')).toThrow(/unknown dtype 'f16'/);
    expect(arena.free).toBe(64);
    expect(arena.matrix(2, 4).data.length).toBe(8);
  });
});
