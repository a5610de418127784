import { clipProbability } from '@scratchnet/nn';
import type { Matrix } from '@scratchnet/linalg';

// The float64 engine's losses and accuracy, computed from the pass's outputs with the terms, in
// the order, of nn's `computeLoss` and `accuracy` — so the same bits — but reading less: the
// nonzero targets only, or the loss and the accuracy in one pass.

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
 * Cross-entropy −Σ y·log(clip(a)) / m of outputs `a` against the targets whose nonzeros are given:
 * nn's `computeLoss` skips zero targets too, so these are its terms in its order.
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

/**
 * Cross-entropy (as nn's `computeLoss`) and accuracy (as nn's `accuracy`, whose row class is
 * linalg's argmax rule: the first largest value, a NaN counting as the largest) of softmax outputs
 * `a` (≥ 2 columns) against one-hot or soft targets `y`, in one pass, into `out`.
 */
export function crossEntropyAndAccuracy(
  a: Matrix,
  y: Matrix,
  out: { loss: number; accuracy: number },
): void {
  const ad = a.data;
  const yd = y.data;
  const n = a.cols;
  let sum = 0;
  let correct = 0;
  for (let start = 0; start < ad.length; start += n) {
    let predicted = 0;
    let target = 0;
    let maxOutput = ad[start]!;
    let maxTarget = yd[start]!;
    for (let j = 0; j < n; j++) {
      const p = ad[start + j]!;
      const t = yd[start + j]!;
      if (t !== 0) sum -= t * Math.log(clipProbability(p));
      if (j > 0 && beats(p, maxOutput)) {
        maxOutput = p;
        predicted = j;
      }
      if (j > 0 && beats(t, maxTarget)) {
        maxTarget = t;
        target = j;
      }
    }
    correct += +(predicted === target);
  }
  out.loss = sum / a.rows;
  out.accuracy = correct / a.rows;
}

/** linalg's argmax rule: a later value takes the lead when larger, or when it is the first NaN. */
function beats(v: number, leader: number): boolean {
  return Number.isNaN(v) ? !Number.isNaN(leader) : v > leader;
}
