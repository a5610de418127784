// A network with one hidden ReLU layer — input → hidden (ReLU) → output (softmax or identity) —
// run forward, and optionally backward to its gradients, in one call: the rows go through in
// blocks of BLOCK rows, so a block's activations and gradients stay in the L1 cache between the
// steps that produce and consume them, and nothing is copied between calls.
//
// Every number is computed with the operations, in the order, of the separate passes it replaces
// (sparseProduct64 or the gemm kernel for the products, biasRelu64, biasSoftmax64,
// outputGradientSums64, reluBackwardSums64): each product element starts at +0 and adds its
// terms in ascending order of the summed index with the variant's multiply-add; the column sums
// of a gradient run over ascending rows. So the results are the bits of those passes.
//
// Inside, every row is padded to a whole number of vectors (hp = h, op = o rounded up to even),
// the weights are copied into padded layouts with zero padding, and padding lanes are computed
// but never read into a real element.

import { expRow64 } from './exp';
import { expRow, logAll } from './math32';

const ZERO = f64x2.splat(0);
const ONE = f64x2.splat(1);
/** Rows per block: a block's buffers (≈ 64 × (2·hp + 2·op) doubles) fit in L1 for small layers. */
const BLOCK: i32 = 64;

/** Mode bits of twoLayer64. */
const TRAIN: i32 = 1;
const SOFTMAX: i32 = 2;

/** a·b + c as the products compute it: fused where relaxed SIMD is enabled (see gemm.ts). */
function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}

/** v·[v > 0] + 0 on each lane: v where positive, +0 otherwise (as biasRelu64). */
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
 * vectors): from X's nonzeros (`sparse`: starts, cols, vals as sparseProduct64's) or dense X
 * (d values of T a row). Each element starts at +0 and adds its terms in ascending order with
 * the build's multiply-add, then b1, as the separate product and biasRelu64 do.
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
 * C (k rows × `vectors` vectors, row stride `ldc` bytes) += Aᵀ·B over `rows` rows, A's columns
 * being C's rows (A: rows × k at stride `lda` bytes, B: rows × vectors at stride `ldb` bytes):
 * each element of C adds its terms over ascending rows, after what it already holds.
 */
function accumulateTransposed<T>(
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
  const S = <usize>sizeof<T>();
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
        const a0 = v128.load_splat<T>(ap);
        c00 = madd<T>(a0, b0, c00);
        c01 = madd<T>(a0, b1, c01);
        const a1 = v128.load_splat<T>(ap, S);
        c10 = madd<T>(a1, b0, c10);
        c11 = madd<T>(a1, b1, c11);
        const a2 = v128.load_splat<T>(ap, 2 * S);
        c20 = madd<T>(a2, b0, c20);
        c21 = madd<T>(a2, b1, c21);
        const a3 = v128.load_splat<T>(ap, 3 * S);
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
        c0 = madd<T>(v128.load_splat<T>(ap), b0, c0);
        c1 = madd<T>(v128.load_splat<T>(ap, S), b0, c1);
        c2 = madd<T>(v128.load_splat<T>(ap, 2 * S), b0, c2);
        c3 = madd<T>(v128.load_splat<T>(ap, 3 * S), b0, c3);
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
        acc = madd<T>(v128.load_splat<T>(ap), v128.load(bp), acc);
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
 * for m rows, d inputs, h hidden units and o outputs (row-major float64 at byte addresses). `p`
 * (m×o) receives the outputs. X is read dense (m×d at `x`), or — when `starts` is not 0 — from its
 * nonzeros in compressed rows (as sparseProduct64: a zero term changes no sum), except where the
 * skipped terms would be 0·∞ or 0·NaN: with a non-finite W1 the forward product is dense, and a
 * row whose dz1 is non-finite adds all its terms to dW1, so the results are IEEE's. `work` holds
 * twoLayerWorkBytes(d, h, o) bytes of scratch.
 */
export function twoLayer64(
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
): void {
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

  memory.fill(work, 0, <usize>twoLayerWorkBytes(d, h, o));
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

    // Out: p; and dz2 = (p − Y)/m with db2 += dz2 (ascending rows).
    for (let r = 0; r < rows; r++) {
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
      let j = 0;
      for (; j < pairs; j += 2) {
        const o8 = (<usize>j) << 3;
        const gv = f64x2.mul(f64x2.sub(v128.load(zr + o8), v128.load(yr + o8)), invv);
        v128.store(gr + o8, gv);
        v128.store(db2p + o8, f64x2.add(v128.load(db2p + o8), gv));
      }
      if (j < o) {
        const o8 = (<usize>j) << 3;
        const gv = (load<f64>(zr + o8) - load<f64>(yr + o8)) * inv;
        store<f64>(gr + o8, gv);
        store<f64>(db2p + o8, load<f64>(db2p + o8) + gv);
      }
    }

    // dW2 += a1ᵀ·dz2.
    accumulateTransposed<f64>(a1, hb, g, ob, rows, h, dw2p, ob, ov);

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

  if (!train) return;
  unpadRows<f64>(dw1p, dw1, d, h, hp);
  memory.copy(db1, db1p, <usize>h * 8);
  unpadRows<f64>(dw2p, dw2, h, o, op);
  memory.copy(db2, db2p, <usize>o * 8);
}

// ---------------------------------------------------------------------------------------------
// Float32: the same network on four lanes, with expRow/logAll (math32.ts) instead of fdlibm. Its
// own arithmetic — there are no separate float32 passes to match — so it is free to fuse more:
// padding lanes of the outputs hold −∞ logits (softmax) so they add nothing, and the loss comes
// from the logits, ln Σ exp(z − max) − (z_t − max) for one-hot targets (generally
// Σ_j t_j·(ln Σ − (z_j − max))), which needs one logarithm per row and no clipping.

const MEASURE: i32 = 4;

/** n rounded up to a whole number of float32 vectors. */
function quad(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Rows whose first largest output is the first largest target, after a MEASURE call. */
let correctRows: i32 = 0;

/** How many rows the last twoLayer32 call with MEASURE and SOFTMAX classified correctly. */
export function twoLayerCorrect32(): i32 {
  return correctRows;
}

/** Bytes of the `work` region twoLayer32 needs. */
export function twoLayerWorkBytes32(d: i32, h: i32, o: i32): i32 {
  const hp = quad(h);
  const op = quad(o);
  return (
    4 * (2 * d * hp + 2 * hp + 2 * h * op + 2 * op + o * hp + 2 * BLOCK * hp + 2 * BLOCK * op) +
    5 * 4 * BLOCK
  );
}

/** All ones in lanes below n (0 ≤ n ≤ 4). */
function lanesBelow(n: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(n));
}

function hsum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

function hmax4(v: v128): f32 {
  const m = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const n = f32x4.pmax(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(n, 0);
}

/** Stores the first n (1 … 3) lanes of v at `at`. */
function storeLanes(at: usize, v: v128, n: i32): void {
  if (n >= 2) {
    v128.store64_lane(at, v, 0);
    if (n === 3) v128.store32_lane(at, v, 2, 8);
  } else {
    v128.store32_lane(at, v, 0);
  }
}

/** First lane index (0 … vectors·4 − 1) of a row of `vectors` vectors equal to its maximum, or −1. */
function firstMax(row: usize, vectors: i32, max: f32): i32 {
  const mv = f32x4.splat(max);
  for (let v = 0; v < vectors; v++) {
    const bits = i32x4.bitmask(f32x4.eq(v128.load(row + ((<usize>v) << 4)), mv));
    if (bits !== 0) return (v << 2) + <i32>ctz(bits);
  }
  return -1;
}

/**
 * twoLayer64's network in float32 (same arguments, float32 matrices; sparse values stay float64).
 * With MEASURE it returns the loss summed over rows — cross-entropy for SOFTMAX, Σ(p − y)²/2
 * otherwise — and, without TRAIN, counts correct rows for SOFTMAX (twoLayerCorrect32).
 */
export function twoLayer32(
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
): f64 {
  const train = (mode & TRAIN) !== 0;
  const softmax = (mode & SOFTMAX) !== 0;
  const measure = (mode & MEASURE) !== 0;
  const hp = quad(h);
  const op = quad(o);
  const hb = <usize>hp * 4;
  const ob = <usize>op * 4;
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
  const sums = g + <usize>BLOCK * ob;
  const dots = sums + <usize>BLOCK * 4;
  const targetSums = dots + <usize>BLOCK * 4;
  const maxima = targetSums + <usize>BLOCK * 4;
  const logs = maxima + <usize>BLOCK * 4;

  memory.fill(work, 0, <usize>twoLayerWorkBytes32(d, h, o));
  padRows<f32>(w1, w1p, d, h, hp);
  memory.copy(b1p, b1, <usize>h * 4);
  padRows<f32>(w2, w2p, h, o, op);
  memory.copy(b2p, b2, <usize>o * 4);
  // Softmax padding lanes: logit −∞, so exp gives 0 and the maximum ignores them.
  if (softmax) for (let j = o; j < op; j++) store<f32>(b2p + ((<usize>j) << 2), -Infinity);
  transposeInto<f32>(w2, w2t, h, o, hb);
  const sparse = starts !== 0 && allFinite<f32>(w1, d * h);
  const invv = f32x4.splat(<f32>(1 / <f64>m));
  const hv = hp >> 2;
  const ov = op >> 2;
  const full = o >> 2; // whole vectors in a row of p and Y
  const tail = o & 3;
  const tailMask = lanesBelow(tail);
  const rowOut = <usize>o * 4;
  const zero = f32x4.splat(0);
  let loss: f64 = 0;
  correctRows = 0;

  for (let i0 = 0; i0 < m; i0 += BLOCK) {
    const rows = min(BLOCK, m - i0);
    const rows4 = (rows + 3) & ~3;

    hiddenRows<f32>(i0, rows, sparse, x, d, starts, cols, vals, w1p, b1p, hb, hv, a1);

    // z2 = a1·W2 + b2.
    for (let r = 0; r < rows4; r += 4) {
      product4<f32>(a1 + <usize>r * hb, hb, w2p, ob, h, z + <usize>r * ob, ob, ov, b2p);
    }

    // Softmax in passes over the block (maxima, then exponentials and sums; the division comes
    // with the gradient below), so that each row's chain of dependent steps is short and
    // consecutive rows overlap. Measuring, the maxima pass sums the targets and the exponentials
    // pass Σ t·(z − max), for the loss.
    if (softmax) {
      for (let r = 0; r < rows; r++) {
        const zr = z + <usize>r * ob;
        const yr = y + <usize>(i0 + r) * rowOut;
        let mv = f32x4.splat(-Infinity);
        let tv = zero;
        for (let v = 0; v < ov; v++) {
          const col = (<usize>v) << 4;
          mv = f32x4.pmax(mv, v128.load(zr + col));
          if (!measure) continue;
          let t = v128.load(yr + col);
          if (v >= full) t = v128.and(t, tailMask);
          tv = f32x4.add(tv, t);
        }
        const at = (<usize>r) << 2;
        store<f32>(maxima + at, hmax4(mv));
        if (measure) store<f32>(targetSums + at, hsum4(tv));
      }
      const lastMask = tail === 0 ? i32x4.splat(-1) : tailMask;
      for (let r = 0; r < rows; r++) {
        const at = (<usize>r) << 2;
        const targets = measure ? y + <usize>(i0 + r) * rowOut : 0;
        const sum = expRow(
          z + <usize>r * ob,
          ov,
          load<f32>(maxima + at),
          targets,
          lastMask,
          dots + at,
        );
        store<f32>(sums + at, sum);
      }
      if (measure) {
        // The loss: Σ_rows (ln Σ exp(z − max))·Σt − Σ t·(z − max), four logarithms at a time.
        logAll(sums, logs, (rows + 3) & ~3);
        for (let r = 0; r < rows; r++) {
          const at = (<usize>r) << 2;
          loss += <f64>(load<f32>(logs + at) * load<f32>(targetSums + at) - load<f32>(dots + at));
        }
      }
    } else if (measure) {
      for (let r = 0; r < rows; r++) {
        const zr = z + <usize>r * ob;
        const yr = y + <usize>(i0 + r) * rowOut;
        let sq = zero;
        for (let v = 0; v < ov; v++) {
          const col = (<usize>v) << 4;
          let t = v128.load(yr + col);
          let q = v128.load(zr + col);
          if (v >= full) {
            t = v128.and(t, tailMask);
            q = v128.and(q, tailMask);
          }
          const diff = f32x4.sub(t, q);
          sq = f32x4.add(sq, f32x4.mul(diff, diff));
        }
        loss += <f64>hsum4(sq) * 0.5;
      }
    }
    // p = e / Σ (softmax) or z2, in z and out to p; when training, dz2 = (p − Y)/m (padding
    // lanes 0) and db2 += dz2, in the same pass. Whole vectors first, then the row's last,
    // partial one, so that the loop has no branches.
    const one = f32x4.splat(1);
    for (let r = 0; r < rows; r++) {
      const zr = z + <usize>r * ob;
      const gr = g + <usize>r * ob;
      const yr = y + <usize>(i0 + r) * rowOut;
      const pr = p + <usize>(i0 + r) * rowOut;
      const scale = softmax ? f32x4.splat(1 / load<f32>(sums + ((<usize>r) << 2))) : one;
      if (train) {
        for (let v = 0; v < full; v++) {
          const col = (<usize>v) << 4;
          const q = f32x4.mul(v128.load(zr + col), scale);
          v128.store(pr + col, q);
          const gv = f32x4.mul(f32x4.sub(q, v128.load(yr + col)), invv);
          v128.store(gr + col, gv);
          v128.store(db2p + col, f32x4.add(v128.load(db2p + col), gv));
        }
        if (tail !== 0) {
          const col = (<usize>full) << 4;
          const q = v128.and(f32x4.mul(v128.load(zr + col), scale), tailMask);
          storeLanes(pr + col, q, tail);
          const t = v128.and(v128.load(yr + col), tailMask);
          const gv = f32x4.mul(f32x4.sub(q, t), invv);
          v128.store(gr + col, gv);
          v128.store(db2p + col, f32x4.add(v128.load(db2p + col), gv));
        }
      } else {
        for (let v = 0; v < full; v++) {
          const col = (<usize>v) << 4;
          const q = f32x4.mul(v128.load(zr + col), scale);
          v128.store(zr + col, q);
          v128.store(pr + col, q);
        }
        if (tail !== 0) {
          const col = (<usize>full) << 4;
          const q = f32x4.mul(v128.load(zr + col), scale);
          v128.store(zr + col, q);
          storeLanes(pr + col, q, tail);
        }
      }
    }
    if (softmax && measure && !train) {
      // Accuracy: each row's first largest output against its first largest target.
      for (let r = 0; r < rows; r++) {
        const zr = z + <usize>r * ob;
        const yr = y + <usize>(i0 + r) * rowOut;
        let pmaxv = v128.load(zr);
        for (let v = 1; v < ov; v++) pmaxv = f32x4.pmax(pmaxv, v128.load(zr + ((<usize>v) << 4)));
        const best = firstMax(zr, ov, hmax4(pmaxv));
        let at = 0;
        let target = load<f32>(yr);
        for (let j = 1; j < o; j++) {
          const t = load<f32>(yr + ((<usize>j) << 2));
          if (t > target) {
            target = t;
            at = j;
          }
        }
        correctRows += i32(best === at);
      }
    }
    if (!train) continue;

    accumulateTransposed<f32>(a1, hb, g, ob, rows, h, dw2p, ob, ov);

    for (let r = 0; r < rows4; r += 4) {
      product4<f32>(g + <usize>r * ob, ob, w2t, hb, o, da + <usize>r * hb, hb, hv, 0);
    }
    // dz1 = da1·[a1 > 0] + 0, db1 += dz1, dW1 += x_iᵀ·dz1_i. A sparse row adds only its
    // nonzeros' terms — a one-hot row in the same loop — unless dz1_i is not finite, when the
    // zero inputs' terms (0·∞ = NaN) are added too, as the dense product would.
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const ar = a1 + <usize>r * hb;
      const dr = da + <usize>r * hb;
      const first = sparse ? load<i32>(starts + ((<usize>i) << 2)) : 0;
      const end = sparse ? load<i32>(starts + ((<usize>(i + 1)) << 2)) : 0;
      const single = end - first === 1;
      const xv = single ? f32x4.splat(<f32>load<f64>(vals + ((<usize>first) << 3))) : zero;
      const column = single ? load<i32>(cols + ((<usize>first) << 2)) : -1;
      const to = dw1p + <usize>max(column, 0) * hb;
      let s = zero;
      for (let v = 0; v < hv; v++) {
        const col = (<usize>v) << 4;
        const mask = v128.and(f32x4.gt(v128.load(ar + col), zero), f32x4.splat(1));
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

  if (train) {
    unpadRows<f32>(dw1p, dw1, d, h, hp);
    memory.copy(db1, db1p, <usize>h * 4);
    unpadRows<f32>(dw2p, dw2, h, o, op);
    memory.copy(db2, db2p, <usize>o * 4);
  }
  return loss;
}
