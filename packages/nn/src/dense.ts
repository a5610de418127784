import {
  arenaAddBiasRelu,
  arenaAddBiasSoftmax,
  arenaOutputGradientAndSums,
  arenaReluBackwardAndSums,
} from '@scratchnet/linalg';
import type { Matrix } from '@scratchnet/linalg';
import type { Activation } from './activations.js';
import { clipProbability, computeLoss } from './losses.js';
import type { Loss } from './losses.js';

// nn's fused element-wise passes: what one training epoch does besides the matrix products. Each pass reads and writes every element once, instead of
// one pass per operation, and avoids data-dependent branches where the branch predictor would
// guess wrong half the time (ReLU's sign, one-hot positions). They compute the same numbers, in
// the same order, as the separate operations they replace.
//
// When the matrices live in a linalg `WasmArena` (training keeps its buffers in one), each pass
// runs as linalg's WebAssembly SIMD version instead, which computes the same bits (its exp is
// fdlibm's, the one V8's Math.exp uses); the loops here are the path everywhere else.

/**
 * `z ← z + b` (b a 1×n row, added to every row) and `a = f(z)` in one pass. Used for ReLU and
 * softmax, the training loop's activations; `a` may be `z` only for relu.
 *
 * ReLU is branch-free: `v · [v > 0] + 0` is v for v > 0 and +0 otherwise (the + 0 turns the −0
 * of a negative v times 0 into +0); a NaN or −∞ gives NaN instead of 0, which only a network
 * whose loss is already NaN can meet. The softmax subtracts each row's maximum before `exp`, as `activate` does.
 */
export function addBiasActivate(activation: Activation, z: Matrix, b: Matrix, a: Matrix): void {
  if (activation === 'relu' ? arenaAddBiasRelu(z, b, a) : arenaAddBiasSoftmax(z, b, a)) return;
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
  if (arenaOutputGradientAndSums(a, y, dz, db)) return;
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
  if (arenaReluBackwardAndSums(z, da, db)) return;
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

/**
 * The loss of outputs `a` against targets `y` (as `computeLoss`), the output gradient
 * `dz = (a − y) · (1/m)` and its column sums `db` (as `outputGradientAndSums`), in one pass over
 * `a` and `y`. Same terms in the same order as those two, so the same bits.
 */
export function lossAndOutputGradient(
  loss: Loss,
  a: Matrix,
  y: Matrix,
  dz: Matrix,
  db: Matrix,
  targets?: TargetNonzeros,
): number {
  const ad = a.data;
  const yd = y.data;
  const gd = dz.data;
  const sd = db.data;
  const n = a.cols;
  const len = ad.length;
  // In an arena, the gradient pass runs in WebAssembly and the loss (same terms, same order) here.
  if (arenaOutputGradientAndSums(a, y, dz, db)) {
    return loss === 'cross-entropy' && targets !== undefined
      ? crossEntropyAt(a, targets)
      : computeLoss(loss, a, y);
  }
  const inv = 1 / a.rows;
  let sum = 0;
  sd.fill(0);
  switch (loss) {
    case 'cross-entropy':
      for (let start = 0; start < len; start += n) {
        for (let j = 0; j < n; j++) {
          const p = ad[start + j]!;
          const t = yd[start + j]!;
          const g = (p - t) * inv;
          gd[start + j] = g;
          sd[j] = sd[j]! + g;
          if (t !== 0) sum -= t * Math.log(clipProbability(p));
        }
      }
      return sum / a.rows;
    case 'binary-cross-entropy':
      for (let start = 0; start < len; start += n) {
        for (let j = 0; j < n; j++) {
          const p = ad[start + j]!;
          const t = yd[start + j]!;
          const g = (p - t) * inv;
          gd[start + j] = g;
          sd[j] = sd[j]! + g;
          const c = clipProbability(p);
          sum -= t * Math.log(c) + (1 - t) * Math.log(1 - c);
        }
      }
      return sum / a.rows;
    case 'squared-error':
      for (let start = 0; start < len; start += n) {
        for (let j = 0; j < n; j++) {
          const p = ad[start + j]!;
          const t = yd[start + j]!;
          const g = (p - t) * inv;
          gd[start + j] = g;
          sd[j] = sd[j]! + g;
          const d = t - p;
          sum += d * d;
        }
      }
      return sum / (2 * a.rows);
  }
}

/** The nonzero targets of a fixed y (one-hot rows: one per row), as flat indices and values. */
export interface TargetNonzeros {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** y's nonzero entries in ascending order (see {@link TargetNonzeros}). */
export function targetNonzeros(y: Matrix): TargetNonzeros {
  let count = 0;
  for (const t of y.data) count += +(t !== 0);
  const indices = new Int32Array(count);
  const values = new Float64Array(count);
  let e = 0;
  y.data.forEach((t, i) => {
    if (t === 0) return;
    indices[e] = i;
    values[e++] = t;
  });
  return { indices, values };
}

/**
 * Cross-entropy (as `computeLoss`) of outputs `a` against the targets whose nonzeros are given:
 * the same terms in the same order as the full scan, which skips zero targets too, so the same
 * bits — without reading the zeros of a one-hot y.
 */
export function crossEntropyAt(a: Matrix, targets: TargetNonzeros): number {
  const ad = a.data;
  const { indices, values } = targets;
  let sum = 0;
  for (let e = 0; e < indices.length; e++) {
    sum -= values[e]! * Math.log(clipProbability(ad[indices[e]!]!));
  }
  return sum / a.rows;
}

/** The validation loss and accuracy of one pass, written by `crossEntropyAndAccuracy`. */
export interface ClassificationScores {
  loss: number;
  accuracy: number;
}

/**
 * Cross-entropy (as `computeLoss`) and accuracy (as `accuracy`: each row's first largest output
 * against its first largest target) of softmax outputs `a` (≥ 2 columns) in one pass, written
 * into `out` so that nothing is allocated.
 */
export function crossEntropyAndAccuracy(a: Matrix, y: Matrix, out: ClassificationScores): void {
  const ad = a.data;
  const yd = y.data;
  const n = a.cols;
  const len = ad.length;
  let sum = 0;
  let correct = 0;
  for (let start = 0; start < len; start += n) {
    let bestOutput = 0;
    let bestTarget = 0;
    let maxOutput = ad[start]!;
    let maxTarget = yd[start]!;
    for (let j = 0; j < n; j++) {
      const p = ad[start + j]!;
      const t = yd[start + j]!;
      if (t !== 0) sum -= t * Math.log(clipProbability(p));
      if (p > maxOutput) {
        maxOutput = p;
        bestOutput = j;
      }
      if (t > maxTarget) {
        maxTarget = t;
        bestTarget = j;
      }
    }
    correct += +(bestOutput === bestTarget);
  }
  out.loss = sum / a.rows;
  out.accuracy = correct / a.rows;
}
