// A network with one hidden ReLU layer — input → hidden (ReLU) → output (softmax or identity) —
// run forward, and optionally backward to its gradients, in one call: the rows go through in
// blocks of BLOCK rows, so a block's activations and gradients stay in the L1 cache between the
// steps that produce and consume them, and nothing is copied between calls.
//
// The float64 pass computes every number with the operations, in the order, of @scratchnet/nn's
// reference layers (matmul, then the bias, the activation, the output gradient, the column
// sums): each product element starts at +0 and adds its terms in ascending order of the summed
// index with the variant's multiply-add (plain SIMD: a product then a sum, as TypeScript does);
// the column sums of a gradient run over ascending rows. So the results are the reference's bits.
//
// Inside, every row is padded to a whole number of vectors (hp = h, op = o rounded up to even),
// the weights are copied into padded layouts with zero padding, and padding lanes are computed
// but never read into a real element.

import {
  BLOCK,
  CALL_B1,
  CALL_B2,
  CALL_COLUMNS,
  CALL_CORRECT,
  CALL_D,
  CALL_DB1,
  CALL_DB2,
  CALL_DW1,
  CALL_DW2,
  CALL_H,
  CALL_LOSS,
  CALL_M,
  CALL_MODE,
  CALL_O,
  CALL_P,
  CALL_SCALES,
  CALL_STARTS,
  CALL_VALUES,
  CALL_W1,
  CALL_W2,
  CALL_WORK,
  CALL_X,
  CALL_Y,
  MEASURE,
  SOFTMAX,
  TRAIN,
} from './abi';
import { expRow64 } from './exp';
import { expLanes, logAll } from './math32';

const ZERO = f64x2.splat(0);
const ONE = f64x2.splat(1);

/** a·b + c as the products compute it: fused where relaxed SIMD is enabled. */
function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}

/** v·[v > 0] + 0 on each lane: v where positive, +0 otherwise (as nn's max(0, v) for every finite v and NaN). */
function relu<T>(v: v128): v128 {
  const zero = v128.splat<T>(0);
  return v128.add<T>(v128.mul<T>(v, v128.and(v128.gt<T>(v, zero), v128.splat<T>(1))), zero);
}

/** A sparse input's value (stored as float64) on every lane of a T vector. */
function splatValue<T>(at: usize): v128 {
  if (sizeof<T>() === 8) return v128.load_splat<f64>(at);
  return f32x4.splat(<f32>load<f64>(at));
}

/** n rounded up to a whole number of float64 vectors. */
function even(n: i32): i32 {
  return (n + 1) & ~1;
}

/** Bytes of the `work` region twoLayer64 needs for d inputs, h hidden units and o outputs. */
export function twoLayerWorkBytes(d: i32, h: i32, o: i32): i32 {
  const hp = even(h);
  const op = even(o);
  // w1p, dw1p (d×hp), b1p, db1p (hp), w2p, dw2p (h×op), b2p, db2p (op), w2t (o×hp), and per
  // block a1 and da (BLOCK×hp), z and g (BLOCK×op), plus the row maxima (BLOCK).
  return (
    8 * (2 * d * hp + 2 * hp + 2 * h * op + 2 * op + o * hp + 2 * BLOCK * hp + 2 * BLOCK * op) +
    8 * BLOCK
  );
}

/** True when the n values of type T at p are all finite (x − x is +0 for finite x, NaN otherwise). */
function allFinite<T>(p: usize, n: i32): bool {
  let s: T = 0;
  for (let i = 0; i < n; i++) {
    const v = load<T>(p + <usize>i * sizeof<T>());
    s += v - v;
  }
  return s === 0;
}

/** Copies a rows × cols matrix of T at `src` into rows of `stride` values at `dst` (zeroed). */
function padRows<T>(src: usize, dst: usize, rows: i32, cols: i32, stride: i32): void {
  const size = sizeof<T>();
  for (let r = 0; r < rows; r++) {
    memory.copy(
      dst + <usize>r * <usize>stride * size,
      src + <usize>r * <usize>cols * size,
      <usize>cols * size,
    );
  }
}

/** Copies rows × cols values of T at `src` (row stride `stride`) to dense rows at `dst`. */
function unpadRows<T>(src: usize, dst: usize, rows: i32, cols: i32, stride: i32): void {
  const size = sizeof<T>();
  for (let r = 0; r < rows; r++) {
    memory.copy(
      dst + <usize>r * <usize>cols * size,
      src + <usize>r * <usize>stride * size,
      <usize>cols * size,
    );
  }
}

/** W2ᵀ (o rows of `stride` bytes at `dst`) from W2 (h × o values of T at `src`). */
function transposeInto<T>(src: usize, dst: usize, h: i32, o: i32, stride: usize): void {
  const size = sizeof<T>();
  for (let j = 0; j < o; j++) {
    for (let k = 0; k < h; k++) {
      store<T>(dst + <usize>j * stride + <usize>k * size, load<T>(src + <usize>(k * o + j) * size));
    }
  }
}

/**
 * a1 = relu(X·W1 + b1) for rows i0 … i0 + rows − 1 into `a1` (rows of `hb` bytes, `hv`
 * vectors): from X's nonzeros (`sparse`: starts, cols, vals in compressed rows) or dense X
 * (d values of T a row). Each element starts at +0 and adds its terms in ascending order with
 * the build's multiply-add, then b1, as the reference's matmul and bias do.
 */
function hiddenRows<T>(
  i0: i32,
  rows: i32,
  sparse: bool,
  x: usize,
  d: i32,
  starts: usize,
  cols: usize,
  vals: usize,
  w1p: usize,
  b1p: usize,
  hb: usize,
  hv: i32,
  a1: usize,
): void {
  const size = <usize>sizeof<T>();
  const zero = v128.splat<T>(0);
  for (let r = 0; r < rows; r++) {
    const i = i0 + r;
    const out = a1 + <usize>r * hb;
    if (!sparse) {
      const xr = x + <usize>i * <usize>d * size;
      for (let v = 0; v < hv; v++) {
        const col = (<usize>v) << 4;
        let acc = zero;
        for (let k = 0; k < d; k++) {
          const xv = v128.load_splat<T>(xr + <usize>k * size);
          acc = madd<T>(xv, v128.load(w1p + <usize>k * hb + col), acc);
        }
        v128.store(out + col, relu<T>(v128.add<T>(acc, v128.load(b1p + col))));
      }
      continue;
    }
    const first = load<i32>(starts + ((<usize>i) << 2));
    const end = load<i32>(starts + ((<usize>(i + 1)) << 2));
    if (end - first === 1) {
      // One nonzero (a one-hot row): its row of W1, scaled, is the whole product.
      const xv = splatValue<T>(vals + ((<usize>first) << 3));
      const from = w1p + <usize>load<i32>(cols + ((<usize>first) << 2)) * hb;
      for (let v = 0; v < hv; v++) {
        const col = (<usize>v) << 4;
        const zv = madd<T>(xv, v128.load(from + col), zero);
        v128.store(out + col, relu<T>(v128.add<T>(zv, v128.load(b1p + col))));
      }
      continue;
    }
    for (let v = 0; v < hv; v++) {
      const col = (<usize>v) << 4;
      let acc = zero;
      for (let e = first; e < end; e++) {
        const xv = splatValue<T>(vals + ((<usize>e) << 3));
        const from = w1p + <usize>load<i32>(cols + ((<usize>e) << 2)) * hb;
        acc = madd<T>(xv, v128.load(from + col), acc);
      }
      v128.store(out + col, relu<T>(v128.add<T>(acc, v128.load(b1p + col))));
    }
  }
}

/**
 * C (4 rows, row stride `ldc` bytes) = A·B (elements of type T) for an A of 4 rows (stride `lda` bytes) and k columns
 * and a B of k rows (stride `ldb` bytes), over `vectors` vectors of columns starting at byte
 * offset 0 of each row of B and C; every element summed from +0 over ascending k, then — when
 * `bias` is not 0 — the bias row at `bias` added.
 */
function product4<T>(
  a: usize,
  lda: usize,
  b: usize,
  ldb: usize,
  k: i32,
  c: usize,
  ldc: usize,
  vectors: i32,
  bias: usize,
): void {
  const S = <usize>sizeof<T>();
  let v = 0;
  for (; v + 2 <= vectors; v += 2) {
    const col = (<usize>v) << 4;
    let c00 = v128.splat<T>(0),
      c01 = v128.splat<T>(0),
      c10 = v128.splat<T>(0),
      c11 = v128.splat<T>(0),
      c20 = v128.splat<T>(0),
      c21 = v128.splat<T>(0),
      c30 = v128.splat<T>(0),
      c31 = v128.splat<T>(0);
    let ap = a;
    let bp = b + col;
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      const a0 = v128.load_splat<T>(ap);
      c00 = madd<T>(a0, b0, c00);
      c01 = madd<T>(a0, b1, c01);
      const a1 = v128.load_splat<T>(ap + lda);
      c10 = madd<T>(a1, b0, c10);
      c11 = madd<T>(a1, b1, c11);
      const a2 = v128.load_splat<T>(ap + 2 * lda);
      c20 = madd<T>(a2, b0, c20);
      c21 = madd<T>(a2, b1, c21);
      const a3 = v128.load_splat<T>(ap + 3 * lda);
      c30 = madd<T>(a3, b0, c30);
      c31 = madd<T>(a3, b1, c31);
      ap += S;
      bp += ldb;
    }
    if (bias !== 0) {
      // After the whole sum, as a separate bias pass would add it.
      const b0 = v128.load(bias + col);
      const b1 = v128.load(bias + col, 16);
      c00 = v128.add<T>(c00, b0);
      c01 = v128.add<T>(c01, b1);
      c10 = v128.add<T>(c10, b0);
      c11 = v128.add<T>(c11, b1);
      c20 = v128.add<T>(c20, b0);
      c21 = v128.add<T>(c21, b1);
      c30 = v128.add<T>(c30, b0);
      c31 = v128.add<T>(c31, b1);
    }
    const cp = c + col;
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    v128.store(cp + ldc, c10);
    v128.store(cp + ldc, c11, 16);
    v128.store(cp + 2 * ldc, c20);
    v128.store(cp + 2 * ldc, c21, 16);
    v128.store(cp + 3 * ldc, c30);
    v128.store(cp + 3 * ldc, c31, 16);
  }
  if (v < vectors) {
    const col = (<usize>v) << 4;
    let c0 = v128.splat<T>(0),
      c1 = v128.splat<T>(0),
      c2 = v128.splat<T>(0),
      c3 = v128.splat<T>(0);
    let ap = a;
    let bp = b + col;
    for (let p = 0; p < k; p++) {
      const b0 = v128.load(bp);
      c0 = madd<T>(v128.load_splat<T>(ap), b0, c0);
      c1 = madd<T>(v128.load_splat<T>(ap + lda), b0, c1);
      c2 = madd<T>(v128.load_splat<T>(ap + 2 * lda), b0, c2);
      c3 = madd<T>(v128.load_splat<T>(ap + 3 * lda), b0, c3);
      ap += S;
      bp += ldb;
    }
    if (bias !== 0) {
      const b0 = v128.load(bias + col);
      c0 = v128.add<T>(c0, b0);
      c1 = v128.add<T>(c1, b0);
      c2 = v128.add<T>(c2, b0);
      c3 = v128.add<T>(c3, b0);
    }
    const cp = c + col;
    v128.store(cp, c0);
    v128.store(cp + ldc, c1);
    v128.store(cp + 2 * ldc, c2);
    v128.store(cp + 3 * ldc, c3);
  }
}

/**
 * An element of A on every lane (E = T: A holds numbers) or A's vector as it is (E = v128: A holds
 * four rows' numbers in its lanes).
 */
function elementOf<T, E>(at: usize): v128 {
  if (isVector<E>()) return v128.load(at);
  return v128.load_splat<T>(at);
}

/**
 * C (k rows × `vectors` vectors, row stride `ldc` bytes) += Aᵀ·B over `rows` rows, A's columns
 * being C's rows (A: rows × k elements of type E at stride `lda` bytes, B: rows × vectors at
 * stride `ldb` bytes): each element of C adds its terms over ascending rows, after what it
 * already holds. With E = v128 a "row" is a group of four rows in lanes, and each lane of C sums
 * its own rows' terms.
 */
function accumulateTransposed<T, E>(
  a: usize,
  lda: usize,
  b: usize,
  ldb: usize,
  rows: i32,
  k: i32,
  c: usize,
  ldc: usize,
  vectors: i32,
): void {
  const S = <usize>sizeof<E>();
  let q = 0;
  for (; q + 4 <= k; q += 4) {
    const cq = c + <usize>q * ldc;
    const aq = a + <usize>q * S;
    let v = 0;
    for (; v + 2 <= vectors; v += 2) {
      const cp = cq + ((<usize>v) << 4);
      let c00 = v128.load(cp),
        c01 = v128.load(cp, 16),
        c10 = v128.load(cp + ldc),
        c11 = v128.load(cp + ldc, 16),
        c20 = v128.load(cp + 2 * ldc),
        c21 = v128.load(cp + 2 * ldc, 16),
        c30 = v128.load(cp + 3 * ldc),
        c31 = v128.load(cp + 3 * ldc, 16);
      let ap = aq;
      let bp = b + ((<usize>v) << 4);
      for (let r = 0; r < rows; r++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const a0 = elementOf<T, E>(ap);
        c00 = madd<T>(a0, b0, c00);
        c01 = madd<T>(a0, b1, c01);
        const a1 = elementOf<T, E>(ap + S);
        c10 = madd<T>(a1, b0, c10);
        c11 = madd<T>(a1, b1, c11);
        const a2 = elementOf<T, E>(ap + 2 * S);
        c20 = madd<T>(a2, b0, c20);
        c21 = madd<T>(a2, b1, c21);
        const a3 = elementOf<T, E>(ap + 3 * S);
        c30 = madd<T>(a3, b0, c30);
        c31 = madd<T>(a3, b1, c31);
        ap += lda;
        bp += ldb;
      }
      v128.store(cp, c00);
      v128.store(cp, c01, 16);
      v128.store(cp + ldc, c10);
      v128.store(cp + ldc, c11, 16);
      v128.store(cp + 2 * ldc, c20);
      v128.store(cp + 2 * ldc, c21, 16);
      v128.store(cp + 3 * ldc, c30);
      v128.store(cp + 3 * ldc, c31, 16);
    }
    if (v < vectors) {
      const cp = cq + ((<usize>v) << 4);
      let c0 = v128.load(cp),
        c1 = v128.load(cp + ldc),
        c2 = v128.load(cp + 2 * ldc),
        c3 = v128.load(cp + 3 * ldc);
      let ap = aq;
      let bp = b + ((<usize>v) << 4);
      for (let r = 0; r < rows; r++) {
        const b0 = v128.load(bp);
        c0 = madd<T>(elementOf<T, E>(ap), b0, c0);
        c1 = madd<T>(elementOf<T, E>(ap + S), b0, c1);
        c2 = madd<T>(elementOf<T, E>(ap + 2 * S), b0, c2);
        c3 = madd<T>(elementOf<T, E>(ap + 3 * S), b0, c3);
        ap += lda;
        bp += ldb;
      }
      v128.store(cp, c0);
      v128.store(cp + ldc, c1);
      v128.store(cp + 2 * ldc, c2);
      v128.store(cp + 3 * ldc, c3);
    }
  }
  for (; q < k; q++) {
    const cq = c + <usize>q * ldc;
    for (let v = 0; v < vectors; v++) {
      const cp = cq + ((<usize>v) << 4);
      let acc = v128.load(cp);
      let ap = a + <usize>q * S;
      let bp = b + ((<usize>v) << 4);
      for (let r = 0; r < rows; r++) {
        acc = madd<T>(elementOf<T, E>(ap), v128.load(bp), acc);
        ap += lda;
        bp += ldb;
      }
      v128.store(cp, acc);
    }
  }
}

/**
 * The forward pass — and with mode bit TRAIN the gradients — of
 *
 *     z1 = X·W1 + b1,  a1 = relu(z1),  z2 = a1·W2 + b2,  p = softmax(z2) (SOFTMAX) or z2
 *     dz2 = (p − Y)/m,  dW2 = a1ᵀ·dz2,  db2 = Σ dz2,  dz1 = (dz2·W2ᵀ) ⊙ [z1 > 0],
 *     dW1 = Xᵀ·dz1,  db1 = Σ dz1
 *
 * (with `scales`, row i of dz2 is (p − Y)·cᵢ instead: weighted rows) for m rows, d inputs, h hidden units and o outputs (row-major float64 at byte addresses). `p`
 * (m×o), when not 0, receives the outputs. X is read dense (m×d at `x`), or — when `starts` is
 * not 0 — from its nonzeros in compressed rows (a skipped term 0·w is ±0, which changes no sum that starts at +0),
 * except where the skipped terms would be 0·∞ or 0·NaN: with a non-finite W1 the forward product
 * is dense, and a row whose dz1 is non-finite adds all its terms to dW1, so the results are
 * IEEE's. `work` holds twoLayerWorkBytes(d, h, o) bytes of scratch. Returns 0 (it measures
 * nothing: the caller computes the loss from `p`), typed as twoLayer32Run so one record reader
 * serves both.
 */
function twoLayer64Run(
  mode: i32,
  m: i32,
  d: i32,
  h: i32,
  o: i32,
  x: usize,
  starts: usize,
  cols: usize,
  vals: usize,
  y: usize,
  w1: usize,
  b1: usize,
  w2: usize,
  b2: usize,
  p: usize,
  dw1: usize,
  db1: usize,
  dw2: usize,
  db2: usize,
  work: usize,
  scales: usize,
): f64 {
  const train = (mode & TRAIN) !== 0;
  const softmax = (mode & SOFTMAX) !== 0;
  const hp = even(h);
  const op = even(o);
  const hb = <usize>hp * 8; // bytes of a padded hidden row
  const ob = <usize>op * 8; // bytes of a padded output row
  const w1p = work;
  const dw1p = w1p + <usize>d * hb;
  const b1p = dw1p + <usize>d * hb;
  const db1p = b1p + hb;
  const w2p = db1p + hb;
  const dw2p = w2p + <usize>h * ob;
  const b2p = dw2p + <usize>h * ob;
  const db2p = b2p + ob;
  const w2t = db2p + ob;
  const a1 = w2t + <usize>o * hb;
  const da = a1 + <usize>BLOCK * hb;
  const z = da + <usize>BLOCK * hb;
  const g = z + <usize>BLOCK * ob;
  const maxima = g + <usize>BLOCK * ob;

  // Zeros for the padded weights and the sums; the per-block buffers from a1 on are written
  // before they are read (rows past a block's end hold stale values nothing reads), and a few
  // rows' call would spend most of its time clearing them.
  memory.fill(work, 0, <usize>(a1 - work));
  padRows<f64>(w1, w1p, d, h, hp);
  memory.copy(b1p, b1, <usize>h * 8);
  padRows<f64>(w2, w2p, h, o, op);
  memory.copy(b2p, b2, <usize>o * 8);
  transposeInto<f64>(w2, w2t, h, o, hb);
  const sparse = starts !== 0 && allFinite<f64>(w1, d * h);
  const inv: f64 = 1 / <f64>m;
  const invv = f64x2.splat(inv);
  const hv = hp >> 1; // vectors per hidden row
  const ov = op >> 1; // vectors per output row
  const pairs = o & ~1;
  const rowOut = <usize>o * 8; // bytes of a row of p and Y

  for (let i0 = 0; i0 < m; i0 += BLOCK) {
    const rows = min(BLOCK, m - i0);
    // Rows of 4 for the register-tiled products; rows past `rows` hold stale values (NaN after a
    // diverging call) and produce values nothing reads.
    const rows4 = (rows + 3) & ~3;

    hiddenRows<f64>(i0, rows, sparse, x, d, starts, cols, vals, w1p, b1p, hb, hv, a1);

    // z2 = a1·W2 + b2.
    for (let r = 0; r < rows4; r += 4) {
      product4<f64>(a1 + <usize>r * hb, hb, w2p, ob, h, z + <usize>r * ob, ob, ov, b2p);
    }

    // p = softmax(z2) in place in z, as biasSoftmax64: the row maxima first, then the
    // exponentials, then each row's sum left to right and the division.
    if (softmax) {
      for (let r = 0; r < rows; r++) {
        const zr = z + <usize>r * ob;
        let mv = f64x2.splat(-Infinity);
        let j = 0;
        for (; j < pairs; j += 2) mv = f64x2.pmax(mv, v128.load(zr + ((<usize>j) << 3)));
        let max = f64x2.extract_lane(mv, 0);
        const m1 = f64x2.extract_lane(mv, 1);
        if (m1 > max) max = m1;
        if (j < o) {
          const v = load<f64>(zr + ((<usize>j) << 3));
          if (v > max) max = v;
        }
        store<f64>(maxima + ((<usize>r) << 3), max);
      }
      for (let r = 0; r < rows; r++) {
        const zr = z + <usize>r * ob;
        expRow64(zr, zr, o, load<f64>(maxima + ((<usize>r) << 3)));
      }
      for (let r = 0; r < rows; r++) {
        const zr = z + <usize>r * ob;
        let sum: f64 = 0;
        for (let j = 0; j < o; j++) sum += load<f64>(zr + ((<usize>j) << 3));
        const invSum = f64x2.splat(1 / sum);
        for (let v = 0; v < ov; v++) {
          const col = (<usize>v) << 4;
          v128.store(zr + col, f64x2.mul(v128.load(zr + col), invSum));
        }
      }
    }

    // Out: p (when asked for); and dz2 = (p − Y)/m with db2 += dz2 (ascending rows).
    for (let r = 0; r < rows && p !== 0; r++) {
      const zr = z + <usize>r * ob;
      const pr = p + <usize>(i0 + r) * rowOut;
      let j = 0;
      for (; j < pairs; j += 2)
        v128.store(pr + ((<usize>j) << 3), v128.load(zr + ((<usize>j) << 3)));
      if (j < o) store<f64>(pr + ((<usize>j) << 3), load<f64>(zr + ((<usize>j) << 3)));
    }
    if (!train) continue;
    for (let r = 0; r < rows; r++) {
      const zr = z + <usize>r * ob;
      const gr = g + <usize>r * ob;
      const yr = y + <usize>(i0 + r) * rowOut;
      // The row's share of the loss: 1/m, or its weight's cᵢ = wᵢ/W.
      const c = scales === 0 ? inv : load<f64>(scales + ((<usize>(i0 + r)) << 3));
      const cv = scales === 0 ? invv : f64x2.splat(c);
      let j = 0;
      for (; j < pairs; j += 2) {
        const o8 = (<usize>j) << 3;
        const gv = f64x2.mul(f64x2.sub(v128.load(zr + o8), v128.load(yr + o8)), cv);
        v128.store(gr + o8, gv);
        v128.store(db2p + o8, f64x2.add(v128.load(db2p + o8), gv));
      }
      if (j < o) {
        const o8 = (<usize>j) << 3;
        const gv = (load<f64>(zr + o8) - load<f64>(yr + o8)) * c;
        store<f64>(gr + o8, gv);
        store<f64>(db2p + o8, load<f64>(db2p + o8) + gv);
      }
    }

    // dW2 += a1ᵀ·dz2.
    accumulateTransposed<f64, f64>(a1, hb, g, ob, rows, h, dw2p, ob, ov);

    // da1 = dz2·W2ᵀ; dz1 = da1·[z1 > 0] + 0 in place ([z1 > 0] is [a1 > 0]); db1 += dz1.
    for (let r = 0; r < rows4; r += 4) {
      product4<f64>(g + <usize>r * ob, ob, w2t, hb, o, da + <usize>r * hb, hb, hv, 0);
    }
    for (let r = 0; r < rows; r++) {
      const ar = a1 + <usize>r * hb;
      const dr = da + <usize>r * hb;
      for (let v = 0; v < hv; v++) {
        const col = (<usize>v) << 4;
        const mask = v128.and(f64x2.gt(v128.load(ar + col), ZERO), ONE);
        const gv = f64x2.add(f64x2.mul(v128.load(dr + col), mask), ZERO);
        v128.store(dr + col, gv);
        v128.store(db1p + col, f64x2.add(v128.load(db1p + col), gv));
      }
    }

    // dW1 += Xᵀ·dz1, row by row (ascending).
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const dr = da + <usize>r * hb;
      let dense = !sparse;
      if (sparse) {
        let s = ZERO;
        for (let v = 0; v < hv; v++) {
          const gv = v128.load(dr + ((<usize>v) << 4));
          s = f64x2.add(s, f64x2.sub(gv, gv));
        }
        dense = !(f64x2.extract_lane(s, 0) === 0 && f64x2.extract_lane(s, 1) === 0);
      }
      if (dense) {
        const xr = x + <usize>i * <usize>d * 8;
        for (let k = 0; k < d; k++) {
          const xv = v128.load_splat<f64>(xr + ((<usize>k) << 3));
          const to = dw1p + <usize>k * hb;
          for (let v = 0; v < hv; v++) {
            const col = (<usize>v) << 4;
            v128.store(to + col, madd<f64>(xv, v128.load(dr + col), v128.load(to + col)));
          }
        }
      } else {
        const end = load<i32>(starts + ((<usize>(i + 1)) << 2));
        for (let e = load<i32>(starts + ((<usize>i) << 2)); e < end; e++) {
          const xv = v128.load_splat<f64>(vals + ((<usize>e) << 3));
          const to = dw1p + <usize>load<i32>(cols + ((<usize>e) << 2)) * hb;
          for (let v = 0; v < hv; v++) {
            const col = (<usize>v) << 4;
            v128.store(to + col, madd<f64>(xv, v128.load(dr + col), v128.load(to + col)));
          }
        }
      }
    }
  }

  if (!train) return 0;
  unpadRows<f64>(dw1p, dw1, d, h, hp);
  memory.copy(db1, db1p, <usize>h * 8);
  unpadRows<f64>(dw2p, dw2, h, o, op);
  memory.copy(db2, db2p, <usize>o * 8);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Float32: the same network on four lanes, with expLanes/logAll (math32.ts) instead of fdlibm.
// Its own arithmetic — there are no separate float32 passes to match — so it is free to
// reorganise. After the hidden layer, a block's rows go through the output layer and back with
// ROWS IN LANES: four consecutive rows make a group, and a group's vector j holds element j of
// its four rows. The softmax's maxima, sums and logarithms, the loss and the argmax are then
// lane-wise, with no horizontal steps and no padding lanes, and dW2 = a1ᵀ·dz2 collects a partial
// sum per lane that the lanes add once, at the end. The loss comes from the logits,
// ln Σ exp(z − max) − (z_t − max) for one-hot targets (generally Σ_j t_j·(ln Σ − (z_j − max))),
// which needs one logarithm per row and no clipping.

/** n rounded up to a whole number of float32 vectors. */
function quad(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Rows whose first largest output is the first largest target, after a MEASURE call. */
let correctRows: i32 = 0;

/** Bytes of the `work` region twoLayer32 needs. */
export function twoLayerWorkBytes32(d: i32, h: i32, o: i32): i32 {
  const hp = quad(h);
  const op = quad(o);
  // w1p, dw1p, the unit rows' tables a1u, masku and dz1u (d×hp), b1p, db1p (hp), w2p (h×op),
  // b2p (op), w2t (o×hp); per block a1, a1T, daT, da (BLOCK×hp) and zT, yT, gT (BLOCK×op); the
  // lanes' partial sums of dW2 (hp×op vectors) and db2 (op vectors); five vectors a group
  // (maxima, sums, logs, Σt, Σt·(z − max)); and a row's a1 address and unit column (BLOCK each).
  return (
    4 * (5 * d * hp + 2 * hp + h * op + op + o * hp + 4 * BLOCK * hp + 3 * BLOCK * op) +
    16 * (hp * op + op) +
    5 * 4 * BLOCK +
    2 * 4 * BLOCK
  );
}

/** All ones in lanes below n (0 ≤ n ≤ 4). */
function lanesBelow(n: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(n));
}

/** The sum of v's four lanes, added pairwise. */
function hsum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

/** The 4×4 transpose of rows r0 … r3: column i to `at` + i·step. */
function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, at: usize, step: usize): void {
  const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(at, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
  v128.store(at + step, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
  v128.store(at + 2 * step, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
  v128.store(at + 3 * step, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
}

/**
 * Rows to lanes: the rows at the addresses `rows` lists (four a group, i32 each) to groups of
 * 4·hv vectors at `dst` (group g's vector k at dst + g·16·4·hv + 16·k holds element k of its rows).
 */
function rowsToLanes(rows: usize, groups: i32, hv: i32, dst: usize): void {
  for (let g = 0; g < groups; g++) {
    const at = rows + ((<usize>g) << 4);
    const r0 = <usize>load<i32>(at);
    const r1 = <usize>load<i32>(at, 4);
    const r2 = <usize>load<i32>(at, 8);
    const r3 = <usize>load<i32>(at, 12);
    const t = dst + <usize>g * ((<usize>hv) << 6);
    for (let v = 0; v < hv; v++) {
      const col = (<usize>v) << 4;
      transpose4(
        v128.load(r0 + col),
        v128.load(r1 + col),
        v128.load(r2 + col),
        v128.load(r3 + col),
        t + (col << 2),
        16,
      );
    }
  }
}

/** Lanes to rows, the inverse of rowsToLanes for rows of `hb` bytes at `dst`. */
function lanesToRows(src: usize, groups: i32, hv: i32, dst: usize, hb: usize): void {
  for (let g = 0; g < groups; g++) {
    const s = src + <usize>g * ((<usize>hv) << 6);
    const t = dst + <usize>(g << 2) * hb;
    for (let v = 0; v < hv; v++) {
      const at = s + ((<usize>v) << 6);
      transpose4(
        v128.load(at),
        v128.load(at, 16),
        v128.load(at, 32),
        v128.load(at, 48),
        t + ((<usize>v) << 4),
        hb,
      );
    }
  }
}

/**
 * Rows in lanes: for each of `groups` groups (A's at a + g·ga, C's at c + g·gc bytes),
 * C_j = Σ_p A_p·W[p][j] over ascending p < k, then + bias[j] when `bias` is not 0, for j < n —
 * A_p the group's vector p, W a float32 matrix of row stride `ldw` bytes. Two groups share each
 * weight, broadcast once, in tiles of four outputs.
 */
function lanesProduct(
  a: usize,
  ga: usize,
  k: i32,
  w: usize,
  ldw: usize,
  n: i32,
  c: usize,
  gc: usize,
  groups: i32,
  bias: usize,
): void {
  const zero = f32x4.splat(0);
  let g = 0;
  for (; g + 2 <= groups; g += 2) {
    const a0 = a + <usize>g * ga;
    const a1 = a0 + ga;
    const c0 = c + <usize>g * gc;
    const c1 = c0 + gc;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = zero,
        s01 = zero,
        s02 = zero,
        s03 = zero,
        s10 = zero,
        s11 = zero,
        s12 = zero,
        s13 = zero;
      let wp = w + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        const x0 = v128.load(a0 + ((<usize>p) << 4));
        const x1 = v128.load(a1 + ((<usize>p) << 4));
        const w0 = v128.load_splat<f32>(wp);
        s00 = madd<f32>(x0, w0, s00);
        s10 = madd<f32>(x1, w0, s10);
        const w1 = v128.load_splat<f32>(wp, 4);
        s01 = madd<f32>(x0, w1, s01);
        s11 = madd<f32>(x1, w1, s11);
        const w2 = v128.load_splat<f32>(wp, 8);
        s02 = madd<f32>(x0, w2, s02);
        s12 = madd<f32>(x1, w2, s12);
        const w3 = v128.load_splat<f32>(wp, 12);
        s03 = madd<f32>(x0, w3, s03);
        s13 = madd<f32>(x1, w3, s13);
        wp += ldw;
      }
      if (bias !== 0) {
        const bp = bias + ((<usize>j) << 2);
        const b0 = v128.load_splat<f32>(bp);
        const b1 = v128.load_splat<f32>(bp, 4);
        const b2 = v128.load_splat<f32>(bp, 8);
        const b3 = v128.load_splat<f32>(bp, 12);
        s00 = f32x4.add(s00, b0);
        s01 = f32x4.add(s01, b1);
        s02 = f32x4.add(s02, b2);
        s03 = f32x4.add(s03, b3);
        s10 = f32x4.add(s10, b0);
        s11 = f32x4.add(s11, b1);
        s12 = f32x4.add(s12, b2);
        s13 = f32x4.add(s13, b3);
      }
      const o0 = c0 + ((<usize>j) << 4);
      const o1 = c1 + ((<usize>j) << 4);
      v128.store(o0, s00);
      v128.store(o0, s01, 16);
      v128.store(o0, s02, 32);
      v128.store(o0, s03, 48);
      v128.store(o1, s10);
      v128.store(o1, s11, 16);
      v128.store(o1, s12, 32);
      v128.store(o1, s13, 48);
    }
    for (; j < n; j++) {
      let s0 = zero,
        s1 = zero;
      let wp = w + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        const wv = v128.load_splat<f32>(wp);
        s0 = madd<f32>(v128.load(a0 + ((<usize>p) << 4)), wv, s0);
        s1 = madd<f32>(v128.load(a1 + ((<usize>p) << 4)), wv, s1);
        wp += ldw;
      }
      if (bias !== 0) {
        const bv = v128.load_splat<f32>(bias + ((<usize>j) << 2));
        s0 = f32x4.add(s0, bv);
        s1 = f32x4.add(s1, bv);
      }
      v128.store(c0 + ((<usize>j) << 4), s0);
      v128.store(c1 + ((<usize>j) << 4), s1);
    }
  }
  if (g < groups) {
    const a0 = a + <usize>g * ga;
    const c0 = c + <usize>g * gc;
    for (let j = 0; j < n; j++) {
      let s = zero;
      let wp = w + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        s = madd<f32>(v128.load(a0 + ((<usize>p) << 4)), v128.load_splat<f32>(wp), s);
        wp += ldw;
      }
      if (bias !== 0) s = f32x4.add(s, v128.load_splat<f32>(bias + ((<usize>j) << 2)));
      v128.store(c0 + ((<usize>j) << 4), s);
    }
  }
}

/**
 * Rows to lanes for `rows` rows of n float32 values (`rowBytes` apart from `src`): group g's
 * vector j (at dst + g·groupBytes + 16·j) holds element j of rows 4g … 4g + 3, with 0 in the
 * lanes of rows past `rows`.
 */
function gatherLanes(
  src: usize,
  rowBytes: usize,
  rows: i32,
  n: i32,
  dst: usize,
  groupBytes: usize,
): void {
  const whole = rows >> 2;
  for (let g = 0; g < whole; g++) {
    const s = src + <usize>(g << 2) * rowBytes;
    const t = dst + <usize>g * groupBytes;
    for (let j = 0; j < n; j++) {
      const at = s + ((<usize>j) << 2);
      let v = v128.load32_zero(at);
      v = v128.load32_lane(at + rowBytes, v, 1);
      v = v128.load32_lane(at + 2 * rowBytes, v, 2);
      v = v128.load32_lane(at + 3 * rowBytes, v, 3);
      v128.store(t + ((<usize>j) << 4), v);
    }
  }
  const left = rows & 3;
  if (left === 0) return;
  const s = src + <usize>(whole << 2) * rowBytes;
  const t = dst + <usize>whole * groupBytes;
  for (let j = 0; j < n; j++) {
    const at = s + ((<usize>j) << 2);
    let v = v128.load32_zero(at);
    if (left > 1) v = v128.load32_lane(at + rowBytes, v, 1);
    if (left > 2) v = v128.load32_lane(at + 2 * rowBytes, v, 2);
    v128.store(t + ((<usize>j) << 4), v);
  }
}

/** Lanes to rows: stores lane i of v at `at` + i·rowBytes for the first `lanes` (1 … 3) lanes. */
function scatterLanes(at: usize, rowBytes: usize, v: v128, lanes: i32): void {
  v128.store32_lane(at, v, 0);
  if (lanes > 1) v128.store32_lane(at + rowBytes, v, 1);
  if (lanes > 2) v128.store32_lane(at + 2 * rowBytes, v, 2);
}

/** The lane-wise maximum of each group's n vectors (rows in lanes, groups `stride` bytes apart). */
function laneMaxima(z: usize, groups: i32, n: i32, stride: usize, maxima: usize): void {
  for (let g = 0; g < groups; g++) {
    const zg = z + <usize>g * stride;
    let mv = v128.load(zg);
    for (let j = 1; j < n; j++) mv = f32x4.pmax(mv, v128.load(zg + ((<usize>j) << 4)));
    v128.store(maxima + ((<usize>g) << 4), mv);
  }
}

/** The lane-wise sum of each group's n vectors, as laneMaxima. */
function laneSums(y: usize, groups: i32, n: i32, stride: usize, sums: usize): void {
  for (let g = 0; g < groups; g++) {
    const yg = y + <usize>g * stride;
    let sv = v128.load(yg);
    for (let j = 1; j < n; j++) sv = f32x4.add(sv, v128.load(yg + ((<usize>j) << 4)));
    v128.store(sums + ((<usize>g) << 4), sv);
  }
}

/**
 * How many of the `rows` rows in lanes (as laneMaxima) have their first largest output `p` at
 * their first largest target `y`, counting a row with a NaN output as wrong.
 */
function countCorrect(p: usize, y: usize, groups: i32, n: i32, stride: usize, rows: i32): i32 {
  let correct = 0;
  for (let g = 0; g < groups; g++) {
    const pg = p + <usize>g * stride;
    const yg = y + <usize>g * stride;
    let best = v128.load(pg);
    let bestAt = i32x4.splat(0);
    let nan = f32x4.ne(best, best);
    let target = v128.load(yg);
    let targetAt = i32x4.splat(0);
    for (let j = 1; j < n; j++) {
      const at = (<usize>j) << 4;
      const jv = i32x4.splat(j);
      const q = v128.load(pg + at);
      // Strictly greater: the first of equal largest values stays.
      const above = f32x4.gt(q, best);
      best = v128.bitselect(q, best, above);
      bestAt = v128.bitselect(jv, bestAt, above);
      nan = v128.or(nan, f32x4.ne(q, q));
      const t = v128.load(yg + at);
      const tAbove = f32x4.gt(t, target);
      target = v128.bitselect(t, target, tAbove);
      targetAt = v128.bitselect(jv, targetAt, tAbove);
    }
    const real = lanesBelow(min(4, rows - (g << 2)));
    const hit = v128.andnot(v128.and(i32x4.eq(bestAt, targetAt), real), nan);
    correct += <i32>popcnt(i32x4.bitmask(hit));
  }
  return correct;
}

/**
 * p = e / Σ (`sums` not 0: a softmax's exponentials and their sums a group) or z, for the rows in
 * lanes at `z` (`groups` groups of n vectors, `stride` bytes apart), in place and — when `p` is
 * not 0 — out to the `rows` rows of n values at `p`, `rowBytes` apart.
 */
function probabilities(
  z: usize,
  groups: i32,
  n: i32,
  stride: usize,
  sums: usize,
  p: usize,
  rowBytes: usize,
  rows: i32,
): void {
  const one = f32x4.splat(1);
  for (let g = 0; g < groups; g++) {
    const zg = z + <usize>g * stride;
    const pg = p + <usize>(g << 2) * rowBytes;
    const scale = sums !== 0 ? f32x4.div(one, v128.load(sums + ((<usize>g) << 4))) : one;
    const lanes = rows - (g << 2);
    for (let j = 0; j < n; j++) {
      const at = zg + ((<usize>j) << 4);
      const q = f32x4.mul(v128.load(at), scale);
      v128.store(at, q);
      if (p === 0) continue;
      const to = pg + ((<usize>j) << 2);
      if (lanes >= 4) {
        v128.store32_lane(to, q, 0);
        v128.store32_lane(to + rowBytes, q, 1);
        v128.store32_lane(to + 2 * rowBytes, q, 2);
        v128.store32_lane(to + 3 * rowBytes, q, 3);
      } else {
        scatterLanes(to, rowBytes, q, lanes);
      }
    }
  }
}

/**
 * Σ (y − p)²/2 over the `rows` rows in lanes at `p` and `y` (as probabilities' z) — or, with
 * `scales` (the block's first row `i0`), Σ cᵢ·(y − p)²/2.
 */
function squaredError(
  p: usize,
  y: usize,
  groups: i32,
  n: i32,
  stride: usize,
  rows: i32,
  scales: usize,
  i0: i32,
): f64 {
  let loss: f64 = 0;
  for (let g = 0; g < groups; g++) {
    const lanes = min(4, rows - (g << 2));
    const valid = lanesBelow(lanes);
    let sq = f32x4.splat(0);
    for (let j = 0; j < n; j++) {
      const at = <usize>g * stride + ((<usize>j) << 4);
      const diff = v128.and(f32x4.sub(v128.load(y + at), v128.load(p + at)), valid);
      sq = f32x4.add(sq, f32x4.mul(diff, diff));
    }
    if (scales === 0) {
      loss += <f64>hsum4(sq) * 0.5;
      continue;
    }
    // Each row's own weight: its lane's sum, widened, times its cᵢ (lanes past `rows` are 0).
    const first = scales + ((<usize>(i0 + (g << 2))) << 3);
    let weighted: f64 = <f64>f32x4.extract_lane(sq, 0) * load<f64>(first);
    if (lanes > 1) weighted += <f64>f32x4.extract_lane(sq, 1) * load<f64>(first, 8);
    if (lanes > 2) weighted += <f64>f32x4.extract_lane(sq, 2) * load<f64>(first, 16);
    if (lanes > 3) weighted += <f64>f32x4.extract_lane(sq, 3) * load<f64>(first, 24);
    loss += weighted * 0.5;
  }
  return loss;
}

/** The cᵢ of rows i0 + 4k … (`lanes` of them, 1 … 4) in float32 lanes, 0 in the others. */
function laneScales(scales: usize, i0: i32, k: i32, lanes: i32): v128 {
  const first = scales + ((<usize>(i0 + (k << 2))) << 3);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, <f32>load<f64>(first));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, <f32>load<f64>(first, 8));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, <f32>load<f64>(first, 16));
  if (lanes > 3) v = f32x4.replace_lane(v, 3, <f32>load<f64>(first, 24));
  return v;
}

/**
 * dz2 = (p − y)·`scale` into `g`, 0 in the lanes of rows past `rows`, and db2's lane sums (n
 * vectors at `db2`) += dz2, for rows in lanes as probabilities' z; with `sums` (not 0), p is z
 * divided by the group's vector there (a softmax's exponentials and their sums; the sums become
 * their reciprocals). With `scales` (not 0; the block's first row `i0`), each row's own cᵢ
 * replaces `scale`.
 */
function outputGradient(
  p: usize,
  y: usize,
  g: usize,
  groups: i32,
  n: i32,
  stride: usize,
  rows: i32,
  sums: usize,
  scale: f32,
  scales: usize,
  i0: i32,
  db2: usize,
): void {
  const s = f32x4.splat(scale);
  if (sums !== 0) {
    for (let k = 0; k < groups; k++) {
      const at = sums + ((<usize>k) << 4);
      v128.store(at, f32x4.div(f32x4.splat(1), v128.load(at)));
    }
  }
  // Groups of four rows, then the last group's lanes of real rows.
  const whole = rows >> 2;
  const valid = lanesBelow(rows & 3);
  for (let j = 0; j < n; j++) {
    const col = (<usize>j) << 4;
    let sum = v128.load(db2 + col);
    let at = col;
    for (let k = 0; k < whole; k++) {
      let q = v128.load(p + at);
      if (sums !== 0) q = f32x4.mul(q, v128.load(sums + ((<usize>k) << 4)));
      const sk = scales === 0 ? s : laneScales(scales, i0, k, 4);
      const gv = f32x4.mul(f32x4.sub(q, v128.load(y + at)), sk);
      v128.store(g + at, gv);
      sum = f32x4.add(sum, gv);
      at += stride;
    }
    if (whole < groups) {
      let q = v128.load(p + at);
      if (sums !== 0) q = f32x4.mul(q, v128.load(sums + ((<usize>whole) << 4)));
      const sk = scales === 0 ? s : laneScales(scales, i0, whole, rows & 3);
      const gv = v128.and(f32x4.mul(f32x4.sub(q, v128.load(y + at)), sk), valid);
      v128.store(g + at, gv);
      sum = f32x4.add(sum, gv);
    }
    v128.store(db2 + col, sum);
  }
}

/**
 * The unit rows' share of the input layer's gradients, from da1 summed over the rows whose one
 * nonzero, 1, is in column c (`sums`: d rows of hv vectors) and the column's ReLU mask (`masks`,
 * alike): u[c] = masks[c]·sums[c], dW1[c] += u[c] and db1 += Σ_c u[c]. Where a column's u is not
 * finite, some row of it had a non-finite dz1, and a dense product would add 0·dz1 (NaN) from
 * that row to every other column: so do we.
 */
function addUnitRows(sums: usize, masks: usize, dw1: usize, db1: usize, d: i32, hv: i32): void {
  const hb = (<usize>hv) << 4;
  const zero = f32x4.splat(0);
  for (let v = 0; v < hv; v++) {
    const col = (<usize>v) << 4;
    // Non-finite columns, counted per lane (x − x is NaN for them, and NaN ≠ NaN).
    let bad = zero;
    let sum = v128.load(db1 + col);
    for (let c = 0; c < d; c++) {
      const at = <usize>c * hb + col;
      const u = f32x4.mul(v128.load(sums + at), v128.load(masks + at));
      v128.store(sums + at, u);
      bad = i32x4.sub(bad, f32x4.ne(f32x4.sub(u, u), zero));
      sum = f32x4.add(sum, u);
    }
    v128.store(db1 + col, sum);
    for (let c = 0; c < d; c++) {
      const at = <usize>c * hb + col;
      const u = v128.load(sums + at);
      const own = i32x4.neg(f32x4.ne(f32x4.sub(u, u), zero));
      const others = i32x4.gt_s(i32x4.sub(bad, own), zero);
      const w = f32x4.add(v128.load(dw1 + at), u);
      v128.store(dw1 + at, v128.bitselect(f32x4.splat(NaN), w, others));
    }
  }
}

/**
 * twoLayer64's network in float32 (same arguments, float32 matrices; sparse values stay float64).
 * With MEASURE it returns the loss summed over rows — cross-entropy for SOFTMAX, Σ(p − y)²/2
 * otherwise; with `scales`, each row's loss times its cᵢ — and, without TRAIN, counts correct rows for SOFTMAX (twoLayerCorrect32): rows whose
 * first largest output is their first largest target and whose outputs hold no NaN.
 */
function twoLayer32Run(
  mode: i32,
  m: i32,
  d: i32,
  h: i32,
  o: i32,
  x: usize,
  starts: usize,
  cols: usize,
  vals: usize,
  y: usize,
  w1: usize,
  b1: usize,
  w2: usize,
  b2: usize,
  p: usize,
  dw1: usize,
  db1: usize,
  dw2: usize,
  db2: usize,
  work: usize,
  scales: usize,
): f64 {
  const train = (mode & TRAIN) !== 0;
  const softmax = (mode & SOFTMAX) !== 0;
  const measure = (mode & MEASURE) !== 0;
  const hp = quad(h);
  const op = quad(o);
  const hb = <usize>hp * 4;
  const ob = <usize>op * 4;
  // A group's vectors: hp of a hidden quantity, op of an output one.
  const groupH = hb * 4;
  const groupO = ob * 4;
  const w1p = work;
  const dw1p = w1p + <usize>d * hb;
  const a1u = dw1p + <usize>d * hb;
  const masku = a1u + <usize>d * hb;
  const dz1u = masku + <usize>d * hb;
  const b1p = dz1u + <usize>d * hb;
  const db1p = b1p + hb;
  const w2p = db1p + hb;
  const b2p = w2p + <usize>h * ob;
  const w2t = b2p + ob;
  const a1 = w2t + <usize>o * hb;
  const a1T = a1 + <usize>BLOCK * hb;
  const daT = a1T + <usize>BLOCK * hb;
  const da = daT + <usize>BLOCK * hb;
  const zT = da + <usize>BLOCK * hb;
  const yT = zT + <usize>BLOCK * ob;
  const gT = yT + <usize>BLOCK * ob;
  const dw2L = gT + <usize>BLOCK * ob;
  const db2L = dw2L + <usize>hp * ob * 4;
  const maxima = db2L + ob * 4;
  const sums = maxima + <usize>BLOCK * 4;
  const logs = sums + <usize>BLOCK * 4;
  const targetSums = logs + <usize>BLOCK * 4;
  const dots = targetSums + <usize>BLOCK * 4;
  const rowAt = dots + <usize>BLOCK * 4;
  const unitColumn = rowAt + <usize>BLOCK * 4;

  const sparse = starts !== 0 && allFinite<f32>(w1, d * h);
  // A unit row — one nonzero, equal to 1: a one-hot row — has the activations of its column,
  // relu(W1[c] + b1), made once here with their ReLU mask; its dz1 goes to its column's sum in
  // dz1u, which becomes dW1's row and part of db1 at the end. The tables cost O(d·h) a call, so
  // they are made only where the rows outnumber the columns (twice); otherwise unit rows take
  // the general path, like any row with one nonzero.
  const tables = sparse && m >= 2 * d;
  memory.fill(work, 0, <usize>(a1u - work));
  if (tables) memory.fill(a1u, 0, <usize>(b1p - a1u));
  memory.fill(b1p, 0, <usize>(work + <usize>twoLayerWorkBytes32(d, h, o) - b1p));
  padRows<f32>(w1, w1p, d, h, hp);
  memory.copy(b1p, b1, <usize>h * 4);
  padRows<f32>(w2, w2p, h, o, op);
  memory.copy(b2p, b2, <usize>o * 4);
  transposeInto<f32>(w2, w2t, h, o, hb);
  const hv = hp >> 2;
  if (tables) {
    for (let c = 0; c < d; c++) {
      for (let v = 0; v < hv; v++) {
        const at = <usize>c * hb + ((<usize>v) << 4);
        const a = relu<f32>(f32x4.add(v128.load(w1p + at), v128.load(b1p + ((<usize>v) << 4))));
        v128.store(a1u + at, a);
        v128.store(masku + at, v128.and(f32x4.gt(a, f32x4.splat(0)), f32x4.splat(1)));
      }
    }
  }
  const rowOut = <usize>o * 4;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let loss: f64 = 0;
  correctRows = 0;

  for (let i0 = 0; i0 < m; i0 += BLOCK) {
    const rows = min(BLOCK, m - i0);
    const groups = (rows + 3) >> 2;
    const rows4 = groups << 2;
    const yb = y + <usize>i0 * rowOut;

    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      let column = -1;
      if (tables) {
        const first = load<i32>(starts + ((<usize>i) << 2));
        const unit =
          load<i32>(starts + ((<usize>(i + 1)) << 2)) - first === 1 &&
          load<f64>(vals + ((<usize>first) << 3)) === 1;
        if (unit) column = load<i32>(cols + ((<usize>first) << 2));
      }
      store<i32>(unitColumn + ((<usize>r) << 2), column);
      let at = a1 + <usize>r * hb;
      if (column >= 0) at = a1u + <usize>column * hb;
      else hiddenRows<f32>(i, 1, sparse, x, d, starts, cols, vals, w1p, b1p, hb, hv, at);
      store<i32>(rowAt + ((<usize>r) << 2), <i32>at);
    }
    // The last group's rows past the data: zero activations, zero targets, and masked gradients.
    for (let r = rows; r < rows4; r++) {
      const at = a1 + <usize>r * hb;
      memory.fill(at, 0, hb);
      store<i32>(rowAt + ((<usize>r) << 2), <i32>at);
    }
    rowsToLanes(rowAt, groups, hv, a1T);

    // z2 = a1·W2 + b2.
    lanesProduct(a1T, groupH, h, w2p, ob, o, zT, groupO, groups, b2p);
    if (measure || train) gatherLanes(yb, rowOut, rows, o, yT, groupO);

    if (softmax) {
      // Each row's largest logit and, measuring, Σt; then the exponentials and their sums.
      laneMaxima(zT, groups, o, groupO, maxima);
      if (measure) laneSums(yT, groups, o, groupO, targetSums);
      expLanes(zT, groups, o, groupO, maxima, measure ? yT : 0, dots, sums);
      if (measure) {
        // The loss: Σ_rows (ln Σ exp(z − max))·Σt − Σ t·(z − max).
        logAll(sums, logs, rows4);
        for (let r = 0; r < rows; r++) {
          const at = (<usize>r) << 2;
          const l = <f64>(load<f32>(logs + at) * load<f32>(targetSums + at) - load<f32>(dots + at));
          loss += scales === 0 ? l : l * load<f64>(scales + ((<usize>(i0 + r)) << 3));
        }
      }
    }
    // p = e / Σ (softmax) or z2, in zT, and out to p's rows when asked for. A training pass
    // without p leaves a softmax's exponentials in zT: its gradient divides them by their sums.
    const accuracy = softmax && measure && !train;
    if (p !== 0 || accuracy) {
      const out = p === 0 ? <usize>0 : p + <usize>i0 * rowOut;
      probabilities(zT, groups, o, groupO, softmax ? sums : 0, out, rowOut, rows);
    }
    if (!softmax && measure) loss += squaredError(zT, yT, groups, o, groupO, rows, scales, i0);
    if (train) {
      // Without p, zT holds exponentials: the gradient divides them by `sums`, which it turns
      // into their reciprocals (the loss above has read them already).
      const divide = softmax && p === 0 ? sums : 0;
      outputGradient(
        zT,
        yT,
        gT,
        groups,
        o,
        groupO,
        rows,
        divide,
        <f32>(1 / <f64>m),
        scales,
        i0,
        db2L,
      );
    }
    if (accuracy) correctRows += countCorrect(zT, yT, groups, o, groupO, rows);
    if (!train) continue;

    // dW2 += a1ᵀ·dz2, a partial sum per lane (over hp rows of a1ᵀ: whole tiles, the padding
    // rows are zeros).
    accumulateTransposed<f32, v128>(a1T, groupH, gT, groupO, groups, hp, dw2L, ob * 4, o);
    // da1 = dz2·W2ᵀ, then back to rows for the per-row step below.
    lanesProduct(gT, groupO, o, w2t, hb, hp, daT, groupH, groups, 0);
    lanesToRows(daT, groups, hv, da, hb);
    // dz1 = da1·[a1 > 0] + 0, db1 += dz1, dW1 += x_iᵀ·dz1_i. A unit row adds dz1 to its column's
    // sum. Another sparse row adds only its nonzeros' terms — one nonzero in the same loop —
    // unless dz1_i is not finite, when the zero inputs' terms (0·∞ = NaN) are added too, as the
    // dense product would (for unit rows, see the end).
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const dr = da + <usize>r * hb;
      const unit = load<i32>(unitColumn + ((<usize>r) << 2));
      if (unit >= 0) {
        // Its column's ReLU mask is the same for every row: it multiplies the sum, at the end.
        const to = dz1u + <usize>unit * hb;
        for (let v = 0; v < hv; v++) {
          const col = (<usize>v) << 4;
          v128.store(to + col, f32x4.add(v128.load(to + col), v128.load(dr + col)));
        }
        continue;
      }
      const ar = a1 + <usize>r * hb;
      const first = sparse ? load<i32>(starts + ((<usize>i) << 2)) : 0;
      const end = sparse ? load<i32>(starts + ((<usize>(i + 1)) << 2)) : 0;
      const single = end - first === 1;
      const xv = single ? f32x4.splat(<f32>load<f64>(vals + ((<usize>first) << 3))) : zero;
      const column = single ? load<i32>(cols + ((<usize>first) << 2)) : -1;
      const to = dw1p + <usize>max(column, 0) * hb;
      let s = zero;
      for (let v = 0; v < hv; v++) {
        const col = (<usize>v) << 4;
        const mask = v128.and(f32x4.gt(v128.load(ar + col), zero), one);
        const gv = f32x4.add(f32x4.mul(v128.load(dr + col), mask), zero);
        v128.store(dr + col, gv);
        v128.store(db1p + col, f32x4.add(v128.load(db1p + col), gv));
        s = f32x4.add(s, f32x4.sub(gv, gv));
        if (single) v128.store(to + col, madd<f32>(xv, gv, v128.load(to + col)));
      }
      const finite = hsum4(s) === 0;
      if (single && finite) continue;
      if (sparse && finite) {
        for (let e = first; e < end; e++) {
          const ev = f32x4.splat(<f32>load<f64>(vals + ((<usize>e) << 3)));
          const at = dw1p + <usize>load<i32>(cols + ((<usize>e) << 2)) * hb;
          for (let v = 0; v < hv; v++) {
            const col = (<usize>v) << 4;
            v128.store(at + col, madd<f32>(ev, v128.load(dr + col), v128.load(at + col)));
          }
        }
        continue;
      }
      // Dense: every input's term (a one-hot row's own column is already added).
      const xr = x + <usize>i * <usize>d * 4;
      for (let k = 0; k < d; k++) {
        if (k === column) continue;
        const kv = v128.load_splat<f32>(xr + ((<usize>k) << 2));
        const at = dw1p + <usize>k * hb;
        for (let v = 0; v < hv; v++) {
          const col = (<usize>v) << 4;
          v128.store(at + col, madd<f32>(kv, v128.load(dr + col), v128.load(at + col)));
        }
      }
    }
  }

  if (train && tables) addUnitRows(dz1u, masku, dw1p, db1p, d, hv);
  if (train) {
    unpadRows<f32>(dw1p, dw1, d, h, hp);
    memory.copy(db1, db1p, <usize>h * 4);
    for (let k = 0; k < h; k++) {
      for (let j = 0; j < o; j++) {
        const at = dw2 + <usize>(k * o + j) * 4;
        store<f32>(at, hsum4(v128.load(dw2L + <usize>k * ob * 4 + ((<usize>j) << 4))));
      }
    }
    for (let j = 0; j < o; j++) {
      store<f32>(db2 + ((<usize>j) << 2), hsum4(v128.load(db2L + ((<usize>j) << 4))));
    }
  }
  return loss;
}

/** The int32 field at `offset` of the call record at `call`, as an address or size. */
function field(call: usize, offset: i32): i32 {
  return load<i32>(call + <usize>offset);
}

/** twoLayer64Run's and twoLayer32Run's parameters, in the record's order (see abi.ts). */
type TwoLayerRun = (
  mode: i32,
  m: i32,
  d: i32,
  h: i32,
  o: i32,
  x: usize,
  starts: usize,
  cols: usize,
  vals: usize,
  y: usize,
  w1: usize,
  b1: usize,
  w2: usize,
  b2: usize,
  p: usize,
  dw1: usize,
  db1: usize,
  dw2: usize,
  db2: usize,
  work: usize,
  scales: usize,
) => f64;

/** Runs `run` on the fields of the call record at `call`; returns what it returns. */
function runRecord(call: usize, run: TwoLayerRun): f64 {
  return run(
    field(call, CALL_MODE),
    field(call, CALL_M),
    field(call, CALL_D),
    field(call, CALL_H),
    field(call, CALL_O),
    <usize>field(call, CALL_X),
    <usize>field(call, CALL_STARTS),
    <usize>field(call, CALL_COLUMNS),
    <usize>field(call, CALL_VALUES),
    <usize>field(call, CALL_Y),
    <usize>field(call, CALL_W1),
    <usize>field(call, CALL_B1),
    <usize>field(call, CALL_W2),
    <usize>field(call, CALL_B2),
    <usize>field(call, CALL_P),
    <usize>field(call, CALL_DW1),
    <usize>field(call, CALL_DB1),
    <usize>field(call, CALL_DW2),
    <usize>field(call, CALL_DB2),
    <usize>field(call, CALL_WORK),
    <usize>field(call, CALL_SCALES),
  );
}

/** The float64 pass on the call record at `call`. */
export function twoLayer64(call: usize): void {
  runRecord(call, twoLayer64Run);
}

/** The float32 pass on the call record at `call`; writes its loss and correct rows into the record. */
export function twoLayer32(call: usize): void {
  store<f64>(call + <usize>CALL_LOSS, runRecord(call, twoLayer32Run));
  store<i32>(call + <usize>CALL_CORRECT, correctRows);
}
