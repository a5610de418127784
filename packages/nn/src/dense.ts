import type { Matrix } from '@scratchnet/linalg';
import type { Activation } from './activations.js';

// nn's fused element-wise passes and its sparse-input products: what one training epoch does
// besides the dense matrix products. Each pass reads and writes every element once, instead of
// one pass per operation, and avoids data-dependent branches where the branch predictor would
// guess wrong half the time (ReLU's sign, one-hot positions). They compute the same numbers, in
// the same order, as the separate operations they replace.

/** Inputs with at most this fraction of nonzeros take the zero-skipping products below. */
const SPARSE_MAX_DENSITY = 0.3;

/** Rows sampled to estimate an input's density (a heuristic only: both paths are exact). */
const DENSITY_SAMPLE_ROWS = 64;

/**
 * Whether `x` looks sparse enough (one-hot columns) for the zero-skipping products to beat the
 * dense kernel. Only chooses a path; results are the same either way.
 */
export function looksSparse(x: Matrix): boolean {
  const d = x.data;
  const n = Math.min(d.length, DENSITY_SAMPLE_ROWS * x.cols);
  let nonZero = 0;
  for (let i = 0; i < n; i++) nonZero += +(d[i]! !== 0);
  return nonZero <= n * SPARSE_MAX_DENSITY;
}

/**
 * True when the first `length` values of `x` hold no NaN or ±∞: skipping a 0·w term is exact
 * only then (0·NaN and 0·∞ are NaN).
 */
export function allFinite(x: Float64Array, length = x.length): boolean {
  let s = 0;
  for (let i = 0; i < length; i++) s += x[i]! * 0;
  return s === 0;
}

/**
 * `out = x · w` (x m×k, w k×n) skipping the zeros of x: for one-hot rows this is a row gather.
 * Each sum runs over p in ascending order from 0, as the naive product does. `w` must be finite.
 */
export function sparseProduct(x: Matrix, w: Matrix, out: Matrix): void {
  const xd = x.data;
  const wd = w.data;
  const od = out.data;
  const m = x.rows;
  const k = x.cols;
  const n = w.cols;
  od.fill(0);
  for (let i = 0, xi = 0, oi = 0; i < m; i++, xi += k, oi += n) {
    for (let p = 0; p < k; p++) {
      const v = xd[xi + p]!;
      if (v !== 0) {
        for (let j = 0, wp = p * n; j < n; j++) od[oi + j] = od[oi + j]! + v * wd[wp + j]!;
      }
    }
  }
}

/**
 * `out = xᵀ · dz` (x m×k, dz m×n, out k×n) skipping the zeros of x: for one-hot rows each row of
 * dz is added to one row of out. Each sum runs over the m rows in ascending order. `dz` must be
 * finite.
 */
export function sparseTransposedProduct(x: Matrix, dz: Matrix, out: Matrix): void {
  const xd = x.data;
  const gd = dz.data;
  const od = out.data;
  const m = x.rows;
  const k = x.cols;
  const n = dz.cols;
  od.fill(0);
  for (let i = 0, xi = 0, gi = 0; i < m; i++, xi += k, gi += n) {
    for (let p = 0; p < k; p++) {
      const v = xd[xi + p]!;
      if (v !== 0) {
        for (let j = 0, op = p * n; j < n; j++) od[op + j] = od[op + j]! + v * gd[gi + j]!;
      }
    }
  }
}

/**
 * `z ← z + b` (b a 1×n row, added to every row) and `a = f(z)` in one pass. Used for ReLU and
 * softmax, the training loop's activations; `a` may be `z` only for relu.
 *
 * ReLU is branch-free: `v · [v > 0] + 0` is v for v > 0 and +0 otherwise (the + 0 turns the −0
 * of a negative v times 0 into +0); a NaN or −∞ gives NaN instead of 0, which only a network
 * whose loss is already NaN can meet. The softmax subtracts each row's maximum before `exp`, as `activate` does.
 */
export function addBiasActivate(activation: Activation, z: Matrix, b: Matrix, a: Matrix): void {
  const zd = z.data;
  const bd = b.data;
  const ad = a.data;
  const n = z.cols;
  const len = zd.length;
  if (activation === 'relu') {
    for (let start = 0; start < len; start += n) {
      for (let j = 0; j < n; j++) {
        const v = zd[start + j]! + bd[j]!;
        zd[start + j] = v;
        ad[start + j] = v * +(v > 0) + 0;
      }
    }
  } else {
    // softmax
    for (let start = 0; start < len; start += n) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = zd[start + j]! + bd[j]!;
        zd[start + j] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const e = Math.exp(zd[start + j]! - max);
        ad[start + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < n; j++) ad[start + j] = ad[start + j]! * inv;
    }
  }
}

/**
 * The output gradient `dz = (a − y) · (1/m)` and its column sums `db` in one pass; the sums run
 * over rows in ascending order, as `sumColumns` does.
 */
export function outputGradientAndSums(a: Matrix, y: Matrix, dz: Matrix, db: Matrix): void {
  const ad = a.data;
  const yd = y.data;
  const gd = dz.data;
  const sd = db.data;
  const n = a.cols;
  const len = ad.length;
  const inv = 1 / a.rows;
  sd.fill(0);
  for (let start = 0; start < len; start += n) {
    for (let j = 0; j < n; j++) {
      const g = (ad[start + j]! - yd[start + j]!) * inv;
      gd[start + j] = g;
      sd[j] = sd[j]! + g;
    }
  }
}

/**
 * ReLU's backward step `dz = da ⊙ [z > 0]` in place in `da`, with the column sums `db` of the
 * result, in one branch-free pass: the mask is a 0/1 number, and adding +0 turns the −0 of a
 * negative da times 0 into the +0 the masked value is. (A NaN or ∞ in da where z ≤ 0 would give
 * NaN instead of 0; da is finite whenever the loss is.)
 */
export function reluBackwardAndSums(z: Matrix, da: Matrix, db: Matrix): void {
  const zd = z.data;
  const gd = da.data;
  const sd = db.data;
  const n = z.cols;
  const len = zd.length;
  sd.fill(0);
  for (let start = 0; start < len; start += n) {
    for (let j = 0; j < n; j++) {
      const g = gd[start + j]! * +(zd[start + j]! > 0) + 0;
      gd[start + j] = g;
      sd[j] = sd[j]! + g;
    }
  }
}
