import type { Matrix } from '../matrix.js';
import { overlaps } from '../memory.js';
import { isArenaSparseRows } from './arena.js';
import type { SparseRows } from './arena.js';
import { arenaRuntimeOf } from './gemm.js';
import type { WasmGemmRuntime } from './runtime.js';

// The element-wise passes of a dense layer, run in WebAssembly SIMD on matrices that live in one
// `WasmArena` (the training loop's buffers). Each returns false, having done nothing, when its
// matrices are not all float64 in one arena or their shapes do not fit together; the caller
// then runs its own TypeScript loop. The results are the bits of the plain loops documented on
// each function (the exponential is fdlibm's, the algorithm V8's Math.exp uses).

/** The arena runtime holding every one of `ms` (float64, same memory), else undefined. */
function arenaOf(...ms: Matrix[]): WasmGemmRuntime | undefined;
function arenaOf(m0: Matrix, m1: Matrix, m2?: Matrix, m3?: Matrix): WasmGemmRuntime | undefined {
  const r = arenaRuntimeOf(m0.data);
  if (r === undefined || !(m0.data instanceof Float64Array)) return undefined;
  const buffer = m0.data.buffer;
  if (m1.data.buffer !== buffer || !(m1.data instanceof Float64Array)) return undefined;
  if (m2 !== undefined && (m2.data.buffer !== buffer || !(m2.data instanceof Float64Array)))
    return undefined;
  if (m3 !== undefined && (m3.data.buffer !== buffer || !(m3.data instanceof Float64Array)))
    return undefined;
  return r;
}

const same = (x: Matrix, y: Matrix) => x.rows === y.rows && x.cols === y.cols;

/**
 * True when x and y share bytes without being the same elements: a pass reading one while
 * writing the other would then read values it already overwrote (exactly the same view, element
 * for element, is safe for a pass that reads each element before writing it).
 */
const clash = (x: Matrix, y: Matrix) =>
  overlaps(x.data, y.data) &&
  (x.data.byteOffset !== y.data.byteOffset || x.data.length !== y.data.length);

/** out[i] = Math.exp(x[i]), bit for bit, for x and out in one arena (same shape). */
export function arenaExp(x: Matrix, out: Matrix): boolean {
  const r = same(x, out) && !clash(x, out) ? arenaOf(x, out) : undefined;
  if (r === undefined) return false;
  r.elementwise.exp64(x.data.byteOffset, out.data.byteOffset, x.data.length);
  return true;
}

/**
 * z ← z + b (b a 1×n row, copied into the arena's scratch when it lives elsewhere) and the
 * activation of z into `a`, which may be `z`:
 * - relu: `v · [v > 0] + 0`;
 * - softmax (of each row; not in place): `exp(v − max) · (1 / Σ exp(v − max))`, the row's
 *   maximum found by `v > max` and the sum taken left to right.
 */
function addBiasActivation(kind: 'relu' | 'softmax', z: Matrix, b: Matrix, a: Matrix): boolean {
  if (!same(z, a) || b.rows !== 1 || b.cols !== z.cols || !(b.data instanceof Float64Array))
    return false;
  if (kind === 'softmax' ? overlaps(a.data, z.data) : clash(a, z)) return false;
  if (overlaps(b.data, z.data) || overlaps(b.data, a.data)) return false;
  const r = arenaOf(z, a);
  if (r === undefined) return false;
  const bAt = r.placeF64(b.data);
  if (bAt < 0) return false;
  const run = kind === 'relu' ? r.elementwise.biasRelu64 : r.elementwise.biasSoftmax64;
  run(z.data.byteOffset, bAt, a.data.byteOffset, z.rows, z.cols);
  return true;
}

/** ReLU with bias in one pass (see `addBiasActivation` above), for matrices in an arena. */
export function arenaAddBiasRelu(z: Matrix, b: Matrix, a: Matrix): boolean {
  return addBiasActivation('relu', z, b, a);
}

/** Softmax with bias in one pass (see `addBiasActivation` above), for matrices in an arena. */
export function arenaAddBiasSoftmax(z: Matrix, b: Matrix, a: Matrix): boolean {
  return addBiasActivation('softmax', z, b, a);
}

/**
 * ReLU's backward step `da ← da · [z > 0] + 0` in place and `db` (1×n) = its column sums over
 * ascending rows, for z, da and db in one arena.
 */
export function arenaReluBackwardAndSums(z: Matrix, da: Matrix, db: Matrix): boolean {
  if (!same(z, da) || db.rows !== 1 || db.cols !== z.cols) return false;
  if (clash(z, da) || overlaps(db.data, z.data) || overlaps(db.data, da.data)) return false;
  const r = arenaOf(z, da, db);
  if (r === undefined) return false;
  r.elementwise.reluBackwardSums64(
    z.data.byteOffset,
    da.data.byteOffset,
    db.data.byteOffset,
    z.rows,
    z.cols,
  );
  return true;
}

/**
 * The output gradient `dz = (a − y) · (1 / rows)` and `db` (1×n) = its column sums over
 * ascending rows, for a, y, dz and db in one arena.
 */
export function arenaOutputGradientAndSums(a: Matrix, y: Matrix, dz: Matrix, db: Matrix): boolean {
  if (!same(a, y) || !same(a, dz) || db.rows !== 1 || db.cols !== a.cols) return false;
  if (clash(dz, a) || clash(dz, y) || [a, y, dz].some((m) => overlaps(db.data, m.data)))
    return false;
  const r = arenaOf(a, y, dz, db);
  if (r === undefined) return false;
  r.elementwise.outputGradientSums64(
    a.data.byteOffset,
    y.data.byteOffset,
    dz.data.byteOffset,
    db.data.byteOffset,
    a.rows,
    a.cols,
    1 / a.rows,
  );
  return true;
}

/**
 * True when every entry of `x` is finite: x − x is +0 for finite x and NaN for ±∞ and NaN. Four
 * sums, so the additions do not wait on each other (26 rather than 40 µs for 3000×16).
 */
function allFinite(x: Float64Array): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = x.length - (x.length % 4);
  let i = 0;
  for (; i < end; i += 4) {
    s0 += x[i]! - x[i]!;
    s1 += x[i + 1]! - x[i + 1]!;
    s2 += x[i + 2]! - x[i + 2]!;
    s3 += x[i + 3]! - x[i + 3]!;
  }
  for (; i < x.length; i++) s0 += x[i]! - x[i]!;
  return s0 + s1 + s2 + s3 === 0;
}

/** True when the rows of B (`cols` wide) facing A's empty rows are all finite. */
function emptyRowsFinite(a: SparseRows, b: Float64Array, cols: number): boolean {
  const starts = a.starts;
  for (let i = 0; i < a.rows; i++) {
    if (starts[i] !== starts[i + 1]) continue;
    for (let j = i * cols; j < (i + 1) * cols; j++) if (!Number.isFinite(b[j]!)) return false;
  }
  return true;
}

/**
 * `out = A·B`, or `Aᵀ·B` with `transposeA`, from A's nonzeros (`arena.sparseRows(A)`; any other
 * `SparseRows` is refused, since the kernel trusts its indices as addresses): for
 * mostly-zero A (one-hot inputs) this costs one row update per nonzero. `out` must be float64 in
 * A's arena (B, if elsewhere, is copied into its scratch). Each element starts at +0 and adds its
 * nonzero terms in ascending order with the arena variant's multiply-add, so the result is the
 * bits `matmul` gives with that kernel (a skipped 0·b is ±0, which changes no sum). A skipped
 * 0·∞ or 0·NaN would be NaN, so when B holds a non-finite value it returns false and the
 * caller's dense product gives IEEE's NaNs (`out` may have been written; that product overwrites
 * it). Found cheaply for `Aᵀ·B` with a tall B (the gradient `Xᵀ·dz`): a non-finite entry in a row
 * of B that A's nonzeros read makes some element of the small `out` non-finite, so only `out`
 * and the rows of B facing empty rows of A are scanned, not all of B.
 */
export function arenaSparseProduct(
  a: SparseRows,
  b: Matrix,
  out: Matrix,
  transposeA = false,
): boolean {
  if (!isArenaSparseRows(a)) return false;
  const k = transposeA ? a.rows : a.cols;
  const m = transposeA ? a.cols : a.rows;
  if (b.rows !== k || out.rows !== m || out.cols !== b.cols) return false;
  if (!(b.data instanceof Float64Array) || !(out.data instanceof Float64Array)) return false;
  const r = arenaRuntimeOf(a.values);
  if (r === undefined || out.data.buffer !== a.values.buffer || overlaps(out.data, b.data))
    return false;
  // Scan all of B up front when it is no bigger than out; else B's unread rows now, out after.
  const scanOut = transposeA && m < k;
  if (scanOut ? !emptyRowsFinite(a, b.data, b.cols) : !allFinite(b.data)) return false;
  const bAt = r.placeF64(b.data);
  if (bAt < 0) return false;
  r.elementwise.sparseProduct64(
    transposeA ? 1 : 0,
    a.rows,
    a.cols,
    b.cols,
    a.starts.byteOffset,
    a.columns.byteOffset,
    a.values.byteOffset,
    bAt,
    out.data.byteOffset,
  );
  return !scanOut || allFinite(out.data);
}
