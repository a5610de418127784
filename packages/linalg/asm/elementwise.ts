// Element-wise float64 passes of a dense layer, for matrices that live in a WasmArena: bias +
// ReLU, bias + softmax, ReLU's derivative + column sums, the output gradient + column sums. Each
// computes exactly the numbers the TypeScript passes in @scratchnet/nn compute, in the same
// order where order matters (row sums of the softmax, column sums over ascending rows), so the
// results are the same bits; the two float64 lanes of a vector are two neighbouring columns.
//
// Matrices are row-major, `rows` × `n`, at byte addresses; a bias row `b` holds n values.

const ZERO = f64x2.splat(0);
const ONE = f64x2.splat(1);

// fdlibm's exp (e_exp.c, as V8's base/ieee754.cc ships it for Math.exp), on two lanes at once:
// every branch of the scalar code is computed and the lane's own result selected, with the same
// operations in the same order, so each lane is bit for bit what Math.exp returns.
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const TWO_M1000 = 9.3326361850321887899e-302;
const TWO_P1023 = 8.98846567431157953865e307;
const E = 2.718281828459045;
/** 1.5·2⁵²: adding it puts a small integer-valued double's value in the low mantissa bits. */
const ROUND_MAGIC = 6755399441055744.0;

/** The smallest |x| fdlibm reduces with k = (int)(x/ln 2 ± 0.5) (high word 0x3ff0a2b2). */
const LARGE = 1.0397205352783203;

/** The smallest |x| fdlibm reduces at all (high word above 0x3fd62e42); below it k = 0. */
const REDUCED = 0.3465735912322998;
/** Below this |x| (high word 0x3e300000) fdlibm returns 1 + x. */
const TINY = 3.725290298461914e-9;

/**
 * Math.exp of each lane (see above). When both lanes are ordinary — 2^−28 ≤ |x| < 708 or x = ±0,
 * and x ≠ 1, which is every lane of a softmax — no special case applies and 2^k is a
 * normal double (−1021 ≤ k ≤ 1021), so only the reduction and the polynomial are computed: the
 * same operations as fdlibm's, so the same bits, at a bit more than half the cost of selecting
 * among every branch. Two identities merge fdlibm's k = 0 and k ≠ 0 formulas into one: with
 * k = 0, hi = x and lo = +0, so `1 − ((lo + q) − hi)` is `1 − (q − x)`; and q = rc/(c − 2) is
 * −(rc/(2 − c)) exactly (rounding to nearest is symmetric), so `lo − rc/(2 − c)` is `lo + q`.
 */
function exp2Lanes(x: v128): v128 {
  const ax = f64x2.abs(x);
  // ±0 (a softmax row's maximum minus itself) passes too: the path below gives exactly 1 there.
  const ordinary = v128.and(
    v128.and(
      v128.or(f64x2.ge(ax, f64x2.splat(TINY)), f64x2.eq(ax, ZERO)),
      f64x2.lt(ax, f64x2.splat(708)),
    ),
    f64x2.ne(x, ONE),
  );
  if (!i64x2.all_true(ordinary)) return exp2LanesAll(x);
  const sign = v128.and(x, f64x2.splat(-0.0));
  const kLarge = f64x2.trunc(
    f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), v128.or(f64x2.splat(0.5), sign)),
  );
  // k = ±1 below 1.5 ln 2, 0 (as +0) where x is not reduced.
  const k = v128.and(
    v128.bitselect(v128.or(ONE, sign), kLarge, f64x2.lt(ax, f64x2.splat(LARGE))),
    f64x2.ge(ax, f64x2.splat(REDUCED)),
  );
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(c, f64x2.splat(2)));
  const y = f64x2.sub(ONE, f64x2.sub(f64x2.add(lo, q), hi));
  const magic = f64x2.splat(ROUND_MAGIC);
  const ki = i64x2.sub(f64x2.add(k, magic), magic);
  return f64x2.mul(y, i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52));
}

/** True when both lanes of x take exp2Lanes's shared path. */
function ordinary2(x: v128): bool {
  const ax = f64x2.abs(x);
  return i64x2.all_true(
    v128.and(
      v128.and(
        v128.or(f64x2.ge(ax, f64x2.splat(TINY)), f64x2.eq(ax, ZERO)),
        f64x2.lt(ax, f64x2.splat(708)),
      ),
      f64x2.ne(x, ONE),
    ),
  );
}

/**
 * exp2Lanes of two vectors, stored at d0 and d1: when all four lanes are ordinary, the shared
 * path for both side by side, so each constant is built once for the two (same operations per
 * lane, so the same bits).
 */
function exp4Store(x0: v128, x1: v128, d0: usize, d1: usize): void {
  if (!(ordinary2(x0) && ordinary2(x1))) {
    v128.store(d0, exp2Lanes(x0));
    v128.store(d1, exp2Lanes(x1));
    return;
  }
  const ax0 = f64x2.abs(x0);
  const ax1 = f64x2.abs(x1);
  const negZero = f64x2.splat(-0.0);
  const sign0 = v128.and(x0, negZero);
  const sign1 = v128.and(x1, negZero);
  const invLn2 = f64x2.splat(INV_LN2);
  const half = f64x2.splat(0.5);
  const kLarge0 = f64x2.trunc(f64x2.add(f64x2.mul(x0, invLn2), v128.or(half, sign0)));
  const kLarge1 = f64x2.trunc(f64x2.add(f64x2.mul(x1, invLn2), v128.or(half, sign1)));
  const large = f64x2.splat(LARGE);
  const reducedAt = f64x2.splat(REDUCED);
  const k0 = v128.and(
    v128.bitselect(v128.or(ONE, sign0), kLarge0, f64x2.lt(ax0, large)),
    f64x2.ge(ax0, reducedAt),
  );
  const k1 = v128.and(
    v128.bitselect(v128.or(ONE, sign1), kLarge1, f64x2.lt(ax1, large)),
    f64x2.ge(ax1, reducedAt),
  );
  const ln2Hi = f64x2.splat(LN2_HI);
  const ln2Lo = f64x2.splat(LN2_LO);
  const hi0 = f64x2.sub(x0, f64x2.mul(k0, ln2Hi));
  const hi1 = f64x2.sub(x1, f64x2.mul(k1, ln2Hi));
  const lo0 = f64x2.mul(k0, ln2Lo);
  const lo1 = f64x2.mul(k1, ln2Lo);
  const r0 = f64x2.sub(hi0, lo0);
  const r1 = f64x2.sub(hi1, lo1);
  const t0 = f64x2.mul(r0, r0);
  const t1 = f64x2.mul(r1, r1);
  const c5 = f64x2.splat(P5);
  const c4 = f64x2.splat(P4);
  const c3 = f64x2.splat(P3);
  const c2 = f64x2.splat(P2);
  const c1 = f64x2.splat(P1);
  let p0 = f64x2.add(c4, f64x2.mul(t0, c5));
  let p1 = f64x2.add(c4, f64x2.mul(t1, c5));
  p0 = f64x2.add(c3, f64x2.mul(t0, p0));
  p1 = f64x2.add(c3, f64x2.mul(t1, p1));
  p0 = f64x2.add(c2, f64x2.mul(t0, p0));
  p1 = f64x2.add(c2, f64x2.mul(t1, p1));
  p0 = f64x2.add(c1, f64x2.mul(t0, p0));
  p1 = f64x2.add(c1, f64x2.mul(t1, p1));
  const cc0 = f64x2.sub(r0, f64x2.mul(t0, p0));
  const cc1 = f64x2.sub(r1, f64x2.mul(t1, p1));
  const two = f64x2.splat(2);
  const q0 = f64x2.div(f64x2.mul(r0, cc0), f64x2.sub(cc0, two));
  const q1 = f64x2.div(f64x2.mul(r1, cc1), f64x2.sub(cc1, two));
  const y0 = f64x2.sub(ONE, f64x2.sub(f64x2.add(lo0, q0), hi0));
  const y1 = f64x2.sub(ONE, f64x2.sub(f64x2.add(lo1, q1), hi1));
  const magic = f64x2.splat(ROUND_MAGIC);
  const bias = i64x2.splat(1023);
  const ki0 = i64x2.sub(f64x2.add(k0, magic), magic);
  const ki1 = i64x2.sub(f64x2.add(k1, magic), magic);
  v128.store(d0, f64x2.mul(y0, i64x2.shl(i64x2.add(ki0, bias), 52)));
  v128.store(d1, f64x2.mul(y1, i64x2.shl(i64x2.add(ki1, bias), 52)));
}

/** Math.exp of each lane, every fdlibm branch computed and each lane's own selected. */
function exp2LanesAll(x: v128): v128 {
  // |x|'s high 32 bits, which fdlibm's range tests compare.
  const hx = v128.and(i64x2.shr_u(x, 32), i64x2.splat(0x7fffffff));
  const sign = v128.and(x, f64x2.splat(-0.0)); // the sign bits
  // |x| < 1.5 ln 2 takes k = ±1; beyond, k = (int)(x/ln 2 ± 0.5), truncated toward zero.
  const kLarge = f64x2.trunc(
    f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), v128.or(f64x2.splat(0.5), sign)),
  );
  const k = v128.bitselect(v128.or(ONE, sign), kLarge, i64x2.lt_s(hx, i64x2.splat(0x3ff0a2b2)));
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  // |x| ≤ 0.5 ln 2 is not reduced (k = 0).
  const reduced = i64x2.gt_s(hx, i64x2.splat(0x3fd62e42));
  const r = v128.bitselect(f64x2.sub(hi, lo), x, reduced);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const rc = f64x2.mul(r, c);
  const y0 = f64x2.sub(ONE, f64x2.sub(f64x2.div(rc, f64x2.sub(c, f64x2.splat(2))), r));
  const y1 = f64x2.sub(
    ONE,
    f64x2.sub(f64x2.sub(lo, f64x2.div(rc, f64x2.sub(f64x2.splat(2), c))), hi),
  );
  let y = v128.bitselect(y1, y0, reduced);
  // y·2^k, as fdlibm scales it: 2^(k+1000) then 2^−1000 below k = −1021 (a subnormal result is
  // rounded once, by the last multiply), 2 then 2^1023 at k = 1024; k = 0 lanes scale by 1.
  const magic = f64x2.splat(ROUND_MAGIC);
  const ki = i64x2.sub(f64x2.add(v128.and(k, reduced), magic), magic);
  const low = i64x2.lt_s(ki, i64x2.splat(-1021));
  const top = i64x2.eq(ki, i64x2.splat(1024));
  const exponent = v128.bitselect(
    i64x2.add(ki, i64x2.splat(1000)),
    v128.bitselect(i64x2.splat(1), ki, top),
    low,
  );
  const scale1 = i64x2.shl(i64x2.add(exponent, i64x2.splat(1023)), 52);
  const scale2 = v128.bitselect(
    f64x2.splat(TWO_M1000),
    v128.bitselect(f64x2.splat(TWO_P1023), ONE, top),
    low,
  );
  y = f64x2.mul(f64x2.mul(y, scale1), scale2);
  // The early returns: |x| < 2^−28, x = 1, overflow, underflow (and −∞), NaN.
  y = v128.bitselect(f64x2.add(ONE, x), y, i64x2.lt_s(hx, i64x2.splat(0x3e300000)));
  y = v128.bitselect(f64x2.splat(E), y, f64x2.eq(x, ONE));
  y = v128.bitselect(f64x2.splat(Infinity), y, f64x2.gt(x, f64x2.splat(O_THRESHOLD)));
  y = v128.bitselect(ZERO, y, f64x2.lt(x, f64x2.splat(U_THRESHOLD)));
  return v128.bitselect(f64x2.add(x, x), y, f64x2.ne(x, x));
}

/** Math.exp of one value, through the two-lane code so a row's odd last column matches too. */
function exp1(x: f64): f64 {
  return f64x2.extract_lane(exp2Lanes(f64x2.splat(x)), 0);
}

/** dst[i] = Math.exp(src[i]) for `len` values (for tests of exp2Lanes). */
export function exp64(src: usize, dst: usize, len: i32): void {
  let i = 0;
  for (; i + 2 <= len; i += 2)
    v128.store(dst + ((<usize>i) << 3), exp2Lanes(v128.load(src + ((<usize>i) << 3))));
  if (i < len) store<f64>(dst + ((<usize>i) << 3), exp1(load<f64>(src + ((<usize>i) << 3))));
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
    const zr = z + row;
    const ar = a + row;
    const max = load<f64>(ar);
    const maxv = f64x2.splat(max);
    let j = 0;
    for (; j + 4 <= pairs; j += 4) {
      exp4Store(
        f64x2.sub(v128.load(zr + ((<usize>j) << 3)), maxv),
        f64x2.sub(v128.load(zr + ((<usize>j) << 3), 16), maxv),
        ar + ((<usize>j) << 3),
        ar + ((<usize>j) << 3) + 16,
      );
    }
    for (; j < pairs; j += 2) {
      v128.store(
        ar + ((<usize>j) << 3),
        exp2Lanes(f64x2.sub(v128.load(zr + ((<usize>j) << 3)), maxv)),
      );
    }
    if (j < n) store<f64>(ar + ((<usize>j) << 3), exp1(load<f64>(zr + ((<usize>j) << 3)) - max));
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
