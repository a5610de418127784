// fdlibm's exp on float64 lanes, shared by the element-wise passes and the fused two-layer pass.
// Not an entry file: nothing here is exported from the WebAssembly module.

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

/**
 * exp2Lanes's constants as vectors, in static memory (below the first address the TypeScript
 * side hands out): expRow64 loads them once per row, where V8 would otherwise rebuild every v128
 * constant with three instructions at each use inside the loop.
 */
const EXP_TABLE = memory.data<f64>(
  [
    TINY,
    TINY,
    708,
    708,
    INV_LN2,
    INV_LN2,
    0.5,
    0.5,
    LARGE,
    LARGE,
    REDUCED,
    REDUCED,
    LN2_HI,
    LN2_HI,
    LN2_LO,
    LN2_LO,
    P5,
    P5,
    P4,
    P4,
    P3,
    P3,
    P2,
    P2,
    P1,
    P1,
    2,
    2,
    ROUND_MAGIC,
    ROUND_MAGIC,
  ],
  16,
);

/**
 * dst[j] = Math.exp(src[j] − max) for j < n, bit for bit: exp2Lanes on each pair (its shared
 * path inline, with the constants loaded once), exp1 on an odd last value. dst may be src.
 */
export function expRow64(src: usize, dst: usize, n: i32, max: f64): void {
  const t = EXP_TABLE;
  const tiny = v128.load(t);
  const limit = v128.load(t, 16);
  const invLn2 = v128.load(t, 32);
  const half = v128.load(t, 48);
  const large = v128.load(t, 64);
  const reducedAt = v128.load(t, 80);
  const ln2Hi = v128.load(t, 96);
  const ln2Lo = v128.load(t, 112);
  const c5 = v128.load(t, 128);
  const c4 = v128.load(t, 144);
  const c3 = v128.load(t, 160);
  const c2 = v128.load(t, 176);
  const c1 = v128.load(t, 192);
  const two = v128.load(t, 208);
  const magic = v128.load(t, 224);
  const maxv = f64x2.splat(max);
  const pairs = n & ~1;
  let j = 0;
  for (; j < pairs; j += 2) {
    const o = (<usize>j) << 3;
    const x = f64x2.sub(v128.load(src + o), maxv);
    const ax = f64x2.abs(x);
    const ordinary = v128.and(
      v128.and(v128.or(f64x2.ge(ax, tiny), f64x2.eq(ax, ZERO)), f64x2.lt(ax, limit)),
      f64x2.ne(x, ONE),
    );
    if (!i64x2.all_true(ordinary)) {
      v128.store(dst + o, exp2LanesAll(x));
      continue;
    }
    // exp2Lanes's shared path, operation for operation.
    const sign = v128.and(x, f64x2.splat(-0.0));
    const kLarge = f64x2.trunc(f64x2.add(f64x2.mul(x, invLn2), v128.or(half, sign)));
    const k = v128.and(
      v128.bitselect(v128.or(ONE, sign), kLarge, f64x2.lt(ax, large)),
      f64x2.ge(ax, reducedAt),
    );
    const hi = f64x2.sub(x, f64x2.mul(k, ln2Hi));
    const lo = f64x2.mul(k, ln2Lo);
    const r = f64x2.sub(hi, lo);
    const tt = f64x2.mul(r, r);
    let p = f64x2.add(c4, f64x2.mul(tt, c5));
    p = f64x2.add(c3, f64x2.mul(tt, p));
    p = f64x2.add(c2, f64x2.mul(tt, p));
    p = f64x2.add(c1, f64x2.mul(tt, p));
    const c = f64x2.sub(r, f64x2.mul(tt, p));
    const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(c, two));
    const y = f64x2.sub(ONE, f64x2.sub(f64x2.add(lo, q), hi));
    const ki = i64x2.sub(f64x2.add(k, magic), magic);
    v128.store(dst + o, f64x2.mul(y, i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52)));
  }
  if (j < n) store<f64>(dst + ((<usize>j) << 3), exp1(load<f64>(src + ((<usize>j) << 3)) - max));
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
export function exp1(x: f64): f64 {
  return f64x2.extract_lane(exp2Lanes(f64x2.splat(x)), 0);
}
