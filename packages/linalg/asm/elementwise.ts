// Element-wise float64 passes of a dense layer, for matrices that live in a WasmArena: bias +
// ReLU, bias + softmax, ReLU's derivative + column sums, the output gradient + column sums. Each
// computes exactly the numbers the TypeScript passes in @scratchnet/nn compute, in the same
// order where order matters (row sums of the softmax, column sums over ascending rows), so the
// results are the same bits; the two float64 lanes of a vector are two neighbouring columns.
//
// Matrices are row-major, `rows` × `n`, at byte addresses; a bias row `b` holds n values.

import { expRow64 } from './exp';
import { expLanes, logAll } from './math32';

const ZERO = f64x2.splat(0);
const ONE = f64x2.splat(1);
/** exp32's zero maxima (16 bytes) and the sums it discards (16 bytes). */
const EXP_SCRATCH = memory.data(32, 16);

/** dst[i] = Math.exp(src[i]) for `len` values (for tests of expRow64). */
export function exp64(src: usize, dst: usize, len: i32): void {
  expRow64(src, dst, len, 0);
}

/** v·[v > 0] + 0: v where positive, +0 otherwise; NaN for NaN and −∞, as nn's ReLU. */
function relu2(v: v128): v128 {
  return f64x2.add(f64x2.mul(v, v128.and(f64x2.gt(v, ZERO), ONE)), ZERO);
}

/** z ← z + b, a = ReLU(z) (`a` may be `z`). */
export function biasRelu64(z: usize, b: usize, a: usize, rows: i32, n: i32): void {
  const pairs = n & ~1;
  const end = <usize>rows * <usize>n * 8;
  for (let row: usize = 0; row < end; row += <usize>n * 8) {
    let j = 0;
    for (; j < pairs; j += 2) {
      const o = row + ((<usize>j) << 3);
      const v = f64x2.add(v128.load(z + o), v128.load(b + ((<usize>j) << 3)));
      v128.store(z + o, v);
      v128.store(a + o, relu2(v));
    }
    if (j < n) {
      const o = row + ((<usize>j) << 3);
      const v = load<f64>(z + o) + load<f64>(b + ((<usize>j) << 3));
      store<f64>(z + o, v);
      store<f64>(a + o, v * <f64>(v > 0) + 0);
    }
  }
}

/**
 * z ← z + b, a = softmax of each row: exp(v − row max) / Σ, the sum taken left to right (so the
 * same bits as a scalar loop); the maximum ignores NaN as `v > max` does. Three passes over the
 * rows rather than one: the exponentials are long dependency chains, and with no row sum
 * between them the processor overlaps those of consecutive rows. The first pass parks each
 * row's maximum in the row's first output slot, which the second reads before overwriting.
 */
export function biasSoftmax64(z: usize, b: usize, a: usize, rows: i32, n: i32): void {
  const pairs = n & ~1;
  const rowBytes = <usize>n * 8;
  const end = <usize>rows * rowBytes;
  for (let row: usize = 0; row < end; row += rowBytes) {
    const zr = z + row;
    let mv = f64x2.splat(-Infinity);
    let j = 0;
    for (; j < pairs; j += 2) {
      const v = f64x2.add(v128.load(zr + ((<usize>j) << 3)), v128.load(b + ((<usize>j) << 3)));
      v128.store(zr + ((<usize>j) << 3), v);
      mv = f64x2.pmax(mv, v);
    }
    let max = f64x2.extract_lane(mv, 0);
    const m1 = f64x2.extract_lane(mv, 1);
    if (m1 > max) max = m1;
    if (j < n) {
      const v = load<f64>(zr + ((<usize>j) << 3)) + load<f64>(b + ((<usize>j) << 3));
      store<f64>(zr + ((<usize>j) << 3), v);
      if (v > max) max = v;
    }
    store<f64>(a + row, max);
  }
  for (let row: usize = 0; row < end; row += rowBytes) {
    expRow64(z + row, a + row, n, load<f64>(a + row));
  }
  for (let row: usize = 0; row < end; row += rowBytes) {
    const ar = a + row;
    let sum: f64 = 0;
    for (let j = 0; j < n; j++) sum += load<f64>(ar + ((<usize>j) << 3));
    const inv = 1 / sum;
    const invv = f64x2.splat(inv);
    let j = 0;
    for (; j < pairs; j += 2) {
      v128.store(ar + ((<usize>j) << 3), f64x2.mul(v128.load(ar + ((<usize>j) << 3)), invv));
    }
    if (j < n) store<f64>(ar + ((<usize>j) << 3), load<f64>(ar + ((<usize>j) << 3)) * inv);
  }
}

/** da ← da·[z > 0] + 0 (ReLU's backward step, in place) and db = its column sums. */
export function reluBackwardSums64(z: usize, da: usize, db: usize, rows: i32, n: i32): void {
  const pairs = n & ~1;
  memory.fill(db, 0, <usize>n * 8);
  const end = <usize>rows * <usize>n * 8;
  for (let row: usize = 0; row < end; row += <usize>n * 8) {
    let j = 0;
    for (; j < pairs; j += 2) {
      const o = row + ((<usize>j) << 3);
      const mask = v128.and(f64x2.gt(v128.load(z + o), ZERO), ONE);
      const g = f64x2.add(f64x2.mul(v128.load(da + o), mask), ZERO);
      v128.store(da + o, g);
      const s = db + ((<usize>j) << 3);
      v128.store(s, f64x2.add(v128.load(s), g));
    }
    if (j < n) {
      const o = row + ((<usize>j) << 3);
      const g = load<f64>(da + o) * <f64>(load<f64>(z + o) > 0) + 0;
      store<f64>(da + o, g);
      const s = db + ((<usize>j) << 3);
      store<f64>(s, load<f64>(s) + g);
    }
  }
}

/** dz = (a − y)·inv (inv = 1/rows) and db = its column sums. */
export function outputGradientSums64(
  a: usize,
  y: usize,
  dz: usize,
  db: usize,
  rows: i32,
  n: i32,
  inv: f64,
): void {
  const pairs = n & ~1;
  const invv = f64x2.splat(inv);
  memory.fill(db, 0, <usize>n * 8);
  const end = <usize>rows * <usize>n * 8;
  for (let row: usize = 0; row < end; row += <usize>n * 8) {
    let j = 0;
    for (; j < pairs; j += 2) {
      const o = row + ((<usize>j) << 3);
      const g = f64x2.mul(f64x2.sub(v128.load(a + o), v128.load(y + o)), invv);
      v128.store(dz + o, g);
      const s = db + ((<usize>j) << 3);
      v128.store(s, f64x2.add(v128.load(s), g));
    }
    if (j < n) {
      const o = row + ((<usize>j) << 3);
      const g = (load<f64>(a + o) - load<f64>(y + o)) * inv;
      store<f64>(dz + o, g);
      const s = db + ((<usize>j) << 3);
      store<f64>(s, load<f64>(s) + g);
    }
  }
}

/** a·b + c as the products compute it: fused where relaxed SIMD is enabled (see gemm.ts). */
function maddF64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<f64>(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/**
 * C = op(A)·B for an A that is mostly zeros (one-hot inputs), from A's nonzeros in compressed
 * rows: row i's entries are `vals[e]` at column `cols[e]` for e in starts[i] … starts[i+1]−1, in
 * ascending column order (int32 `starts` and `cols`, float64 `vals`). A is `rows` × `k`; C is
 * A·B (rows × n, B k × n) or, with `transA`, Aᵀ·B (k × n, B rows × n). Each element of C starts
 * at +0 and adds its nonzero terms in ascending order with the kernels' own multiply-add, so for
 * finite B it is bit for bit what gemmRows computes: a skipped term 0·b is ±0, which leaves any
 * sum unchanged (and +0 + ±0 is +0).
 */
export function sparseProduct64(
  transA: bool,
  rows: i32,
  k: i32,
  n: i32,
  starts: usize,
  cols: usize,
  vals: usize,
  b: usize,
  c: usize,
): void {
  const pairs = n & ~1;
  const rowBytes = <usize>n * 8;
  const zero = f64x2.splat(0);
  if (transA) {
    memory.fill(c, 0, <usize>k * rowBytes);
    for (let i = 0; i < rows; i++) {
      const from = b + <usize>i * rowBytes;
      const end = load<i32>(starts + ((<usize>(i + 1)) << 2));
      for (let e = load<i32>(starts + ((<usize>i) << 2)); e < end; e++) {
        const xv = f64x2.splat(load<f64>(vals + ((<usize>e) << 3)));
        const to = c + <usize>load<i32>(cols + ((<usize>e) << 2)) * rowBytes;
        let j = 0;
        for (; j < pairs; j += 2) {
          const o = (<usize>j) << 3;
          v128.store(to + o, maddF64(xv, v128.load(from + o), v128.load(to + o)));
        }
        if (j < n) {
          const o = (<usize>j) << 3;
          const s = maddF64(xv, f64x2.splat(load<f64>(from + o)), f64x2.splat(load<f64>(to + o)));
          store<f64>(to + o, f64x2.extract_lane(s, 0));
        }
      }
    }
    return;
  }
  // Row by row: the first nonzero's terms start from +0, the others add to what is stored, so
  // each row's update is one pass over its n columns per nonzero (usually exactly one).
  for (let i = 0; i < rows; i++) {
    const to = c + <usize>i * rowBytes;
    const first = load<i32>(starts + ((<usize>i) << 2));
    const end = load<i32>(starts + ((<usize>(i + 1)) << 2));
    if (first === end) {
      memory.fill(to, 0, rowBytes);
      continue;
    }
    for (let e = first; e < end; e++) {
      const xv = f64x2.splat(load<f64>(vals + ((<usize>e) << 3)));
      const from = b + <usize>load<i32>(cols + ((<usize>e) << 2)) * rowBytes;
      const add = e > first;
      let j = 0;
      for (; j < pairs; j += 2) {
        const o = (<usize>j) << 3;
        v128.store(to + o, maddF64(xv, v128.load(from + o), add ? v128.load(to + o) : zero));
      }
      if (j < n) {
        const o = (<usize>j) << 3;
        const acc = add ? f64x2.splat(load<f64>(to + o)) : zero;
        const s = maddF64(xv, f64x2.splat(load<f64>(from + o)), acc);
        store<f64>(to + o, f64x2.extract_lane(s, 0));
      }
    }
  }
}

/** dst[i] = e^src[i] in float32 for src[i] ≤ 0 (the float32 softmax exponential, for its tests); len a multiple of 4. */
export function exp32(src: usize, dst: usize, len: i32): void {
  memory.copy(dst, src, (<usize>len) << 2);
  // One group of len / 4 vectors with maxima 0; its sums go to scratch.
  expLanes(dst, 1, len >> 2, 0, EXP_SCRATCH, 0, 0, EXP_SCRATCH + 16);
}

/** dst[i] = ln src[i] in float32 (logAll, for its tests); len a multiple of 4. */
export function log32(src: usize, dst: usize, len: i32): void {
  logAll(src, dst, len);
}

/** Where the module's static data ends: a test checks it stays below the first address handed out. */
export function staticDataEnd(): usize {
  return __data_end;
}
