// exp and log on four float32 lanes, for the float32 two-layer pass: Cephes' expf and logf
// polynomials (≈ 1 ulp), our own code. Not an entry file: nothing here is a module export.

const LOG2E: f32 = 1.4426950408889634;
/** ln 2 in two parts: the first has few enough bits that k·LN2_HI is exact for |k| < 2⁹. */
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
const SQRT2: f32 = 1.41421356237;
/** The smallest normal float32. */
const MIN_NORMAL: f32 = 1.17549435e-38;

/**
 * a·b + c: fused where relaxed SIMD is enabled, as the products' multiply-adds are (the float32
 * pass's results already depend on that choice); a multiply then an add otherwise.
 */
function fma4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** 1.5·2²³. */
const ROUND_MAGIC: f32 = 12582912;
/** Below this, e^x is below the smallest normal float32. */
const EXP_MIN: f32 = -87.33654;

/** exp's polynomial for e^r, highest degree first (Cephes' expf). */
const P5: f32 = 1.98756915e-4;
const P4: f32 = 1.3981999507e-3;
const P3: f32 = 8.3334519073e-3;
const P2: f32 = 4.1665795894e-2;
const P1: f32 = 1.6666665459e-1;
const P0: f32 = 5.0000001201e-1;

/**
 * The exponential's constants as vectors, in static memory (below the first address the
 * TypeScript side hands out). expRow loads them into locals before its loop: V8 does not hoist a
 * v128 constant out of a loop, and builds each one with three instructions where it is used,
 * which made those constants half the exponential's cost.
 */
const EXP_TABLE = memory.data<f32>(
  [
    EXP_MIN,
    EXP_MIN,
    EXP_MIN,
    EXP_MIN,
    LOG2E,
    LOG2E,
    LOG2E,
    LOG2E,
    ROUND_MAGIC,
    ROUND_MAGIC,
    ROUND_MAGIC,
    ROUND_MAGIC,
    LN2_HI,
    LN2_HI,
    LN2_HI,
    LN2_HI,
    LN2_LO,
    LN2_LO,
    LN2_LO,
    LN2_LO,
    P5,
    P5,
    P5,
    P5,
    P4,
    P4,
    P4,
    P4,
    P3,
    P3,
    P3,
    P3,
    P2,
    P2,
    P2,
    P2,
    P1,
    P1,
    P1,
    P1,
    P0,
    P0,
    P0,
    P0,
    1,
    1,
    1,
    1,
  ],
  16,
);

/**
 * 2^k's exponent field from the bits of k + 1.5·2²³ (ROUND_MAGIC, whose bits are 0x4B400000 + k
 * for the k here): adding 127 − 0x4B400000 leaves k + 127. A vector in memory, like the table.
 */
const EXP_BIAS = memory.data<i32>(
  [127 - 0x4b400000, 127 - 0x4b400000, 127 - 0x4b400000, 127 - 0x4b400000],
  16,
);

/**
 * The exponentials of a softmax with rows in lanes: for each of `groups` groups of `vectors`
 * vectors (group g at `at` + g·`stride` bytes, a lane per row), e^(x − max) in place, where max
 * is the group's vector at `maxima` + 16·g — the rows' largest values, so the arguments are ≤ 0
 * (or NaN) — with the lanes' sums stored at `sums` + 16·g and, with `targets` (not 0: targets in
 * the same layout), Σ t·(x − max) at `dots` + 16·g, the cross-entropy's other term. Each lane:
 * x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r from a degree-6 polynomial, times 2^k (−126 ≤ k ≤ 0, a
 * normal float32). Results below the smallest normal float32 (x < −87.34) are 0: a multiply that
 * produces a subnormal number costs a hundred cycles or more on x86. NaN stays NaN.
 */
export function expLanes(
  at: usize,
  groups: i32,
  vectors: i32,
  stride: usize,
  maxima: usize,
  targets: usize,
  dots: usize,
  sums: usize,
): void {
  const t = EXP_TABLE;
  const lo = v128.load(t);
  const log2e = v128.load(t, 16);
  const magic = v128.load(t, 32);
  const ln2Hi = v128.load(t, 48);
  const ln2Lo = v128.load(t, 64);
  const p5 = v128.load(t, 80);
  const p4 = v128.load(t, 96);
  const p3 = v128.load(t, 112);
  const p2 = v128.load(t, 128);
  const p1 = v128.load(t, 144);
  const p0 = v128.load(t, 160);
  const one = v128.load(t, 176);
  const bias = v128.load(EXP_BIAS);
  const zero = f32x4.splat(0);
  for (let g = 0; g < groups; g++) {
    const row = at + <usize>g * stride;
    const maxv = v128.load(maxima + ((<usize>g) << 4));
    let sum = zero;
    let dv = zero;
    for (let v = 0; v < vectors; v++) {
      const a = row + ((<usize>v) << 4);
      const x = f32x4.sub(v128.load(a), maxv);
      // pmax with x first keeps a NaN x (one instruction, unlike max).
      const xc = f32x4.pmax(x, lo);
      // Adding 1.5·2²³ rounds x·log₂e to an integer held in the low mantissa bits.
      const shifted = fma4(xc, log2e, magic);
      const k = f32x4.sub(shifted, magic);
      const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(k, ln2Hi)), f32x4.mul(k, ln2Lo));
      const z = f32x4.mul(r, r);
      let y = fma4(p5, r, p4);
      y = fma4(y, r, p3);
      y = fma4(y, r, p2);
      y = fma4(y, r, p1);
      y = fma4(y, r, p0);
      y = f32x4.add(fma4(y, z, r), one);
      // −126 ≤ k ≤ 0: 2^k is a normal float32.
      const scale = i32x4.shl(i32x4.add(shifted, bias), 23);
      const e = v128.andnot(f32x4.mul(y, scale), f32x4.lt(x, lo));
      v128.store(a, e);
      sum = f32x4.add(sum, e);
      if (targets !== 0) {
        const tv = v128.load(targets + <usize>g * stride + ((<usize>v) << 4));
        // Zero targets are skipped, not multiplied: a −∞ logit times 0 would be NaN.
        dv = fma4(tv, v128.and(x, f32x4.ne(tv, zero)), dv);
      }
    }
    v128.store(sums + ((<usize>g) << 4), sum);
    if (targets !== 0) v128.store(dots + ((<usize>g) << 4), dv);
  }
}

const L8: f32 = 7.0376836292e-2;
const L7: f32 = -1.151461031e-1;
const L6: f32 = 1.167699874e-1;
const L5: f32 = -1.2420140846e-1;
const L4: f32 = 1.4249322787e-1;
const L3: f32 = -1.6668057665e-1;
const L2: f32 = 2.0000714765e-1;
const L1: f32 = -2.4999993993e-1;
const L0: f32 = 3.3333331174e-1;

/** logAll's constants as vectors (see EXP_TABLE for why they live in memory). */
const LOG_TABLE = memory.data<f32>(
  [
    MIN_NORMAL,
    MIN_NORMAL,
    MIN_NORMAL,
    MIN_NORMAL,
    8388608,
    8388608,
    8388608,
    8388608,
    SQRT2,
    SQRT2,
    SQRT2,
    SQRT2,
    L8,
    L8,
    L8,
    L8,
    L7,
    L7,
    L7,
    L7,
    L6,
    L6,
    L6,
    L6,
    L5,
    L5,
    L5,
    L5,
    L4,
    L4,
    L4,
    L4,
    L3,
    L3,
    L3,
    L3,
    L2,
    L2,
    L2,
    L2,
    L1,
    L1,
    L1,
    L1,
    L0,
    L0,
    L0,
    L0,
    LN2_LO,
    LN2_LO,
    LN2_LO,
    LN2_LO,
    LN2_HI,
    LN2_HI,
    LN2_HI,
    LN2_HI,
  ],
  16,
);

/**
 * dst[i] = ln src[i] for `n` float32 values (a multiple of 4; dst may be src): x = 2^e·m with m
 * in [√½, √2), ln m = f − f²/2 + f³·P(f) for f = m − 1, plus e·ln 2 in two parts. Subnormal x
 * is scaled up first; ln 0 = −∞, ln +∞ = +∞, and a negative x or NaN gives NaN.
 */
export function logAll(src: usize, dst: usize, n: i32): void {
  const t = LOG_TABLE;
  const minNormal = v128.load(t);
  const scaleUp = v128.load(t, 16);
  const sqrt2 = v128.load(t, 32);
  const l8 = v128.load(t, 48);
  const l7 = v128.load(t, 64);
  const l6 = v128.load(t, 80);
  const l5 = v128.load(t, 96);
  const l4 = v128.load(t, 112);
  const l3 = v128.load(t, 128);
  const l2 = v128.load(t, 144);
  const l1 = v128.load(t, 160);
  const l0 = v128.load(t, 176);
  const ln2Lo = v128.load(t, 192);
  const ln2Hi = v128.load(t, 208);
  const zero = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const x = v128.load(src + ((<usize>i) << 2));
    const small = f32x4.lt(x, minNormal);
    const bits = v128.bitselect(f32x4.mul(x, scaleUp), x, small);
    let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127));
    e = i32x4.sub(e, v128.and(small, i32x4.splat(23)));
    let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
    const big = f32x4.gt(m, sqrt2);
    m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
    e = i32x4.sub(e, big); // big lanes are −1: e + 1
    const f = f32x4.sub(m, f32x4.splat(1));
    const z = f32x4.mul(f, f);
    let y = fma4(l8, f, l7);
    y = fma4(y, f, l6);
    y = fma4(y, f, l5);
    y = fma4(y, f, l4);
    y = fma4(y, f, l3);
    y = fma4(y, f, l2);
    y = fma4(y, f, l1);
    y = fma4(y, f, l0);
    y = f32x4.mul(f32x4.mul(y, f), z);
    const ef = f32x4.convert_i32x4_s(e);
    y = f32x4.add(y, f32x4.mul(ef, ln2Lo));
    y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
    let r = f32x4.add(f32x4.add(f, y), f32x4.mul(ef, ln2Hi));
    r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, zero));
    r = v128.bitselect(f32x4.splat(Infinity), r, f32x4.eq(x, f32x4.splat(Infinity)));
    // x < 0 and NaN (x ≥ 0 is false for both): NaN.
    v128.store(dst + ((<usize>i) << 2), v128.bitselect(r, f32x4.splat(NaN), f32x4.ge(x, zero)));
  }
}
