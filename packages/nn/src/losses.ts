import { scale, subtract } from '@scratchnet/linalg';
import type { Matrix } from '@scratchnet/linalg';
import type { Activation } from './activations.js';

/** What a network is for: its output activation and loss follow from it. */
export type Task = 'classification' | 'regression';

/**
 * The loss a network minimises, fixed by its task and output activation:
 *
 * | task           | output   | loss                                                  |
 * | -------------- | -------- | ----------------------------------------------------- |
 * | classification | softmax  | cross-entropy  −Σ y·log(a) / m                        |
 * | classification | sigmoid  | binary cross-entropy −Σ [y·log a + (1−y)·log(1−a)] / m |
 * | regression     | identity | squared error  Σ (y − ŷ)² / (2m)                      |
 *
 * Each is the "matching" loss of its output activation, which is why the output gradient is the
 * same simple `dz = (a − y) / m` for all three. Other pairings are rejected.
 */
export type Loss = 'cross-entropy' | 'binary-cross-entropy' | 'squared-error';

/** Probabilities are clipped to [1e-15, 1 − 1e-15] before `log` in the reported loss, as the
 * user's notebook did, so a confident wrong answer costs ≈ 34.5 instead of Infinity. */
export const PROBABILITY_CLIP = 1e-15;

/** The loss that pairs with a task and output activation, or `undefined` if they don't pair. */
export function lossFor(task: Task, outputActivation: Activation): Loss | undefined {
  if (task === 'classification') {
    if (outputActivation === 'softmax') return 'cross-entropy';
    if (outputActivation === 'sigmoid') return 'binary-cross-entropy';
    return undefined;
  }
  return outputActivation === 'identity' ? 'squared-error' : undefined;
}

/** `p` clipped to [PROBABILITY_CLIP, 1 − PROBABILITY_CLIP], as the reported losses take it. */
export function clipProbability(p: number): number {
  return p < PROBABILITY_CLIP
    ? PROBABILITY_CLIP
    : p > 1 - PROBABILITY_CLIP
      ? 1 - PROBABILITY_CLIP
      : p;
}

/**
 * The loss of outputs `a` (m × k) against targets `y` (m × k), averaged over the m rows — or,
 * with per-row `weights` wᵢ, Σ wᵢ ℓᵢ / W (W = Σ wᵢ), where ℓᵢ is row i's loss. For squared error,
 * `spread` (m × k, see `Dataset`) adds the squared deviations of the rows a grouped row stands
 * for: (Σ wᵢ Σₖ (yᵢₖ − aᵢₖ)² + Σ spread) / (2W). Allocation-free.
 */
export function computeLoss(
  loss: Loss,
  a: Matrix,
  y: Matrix,
  weights?: Float64Array,
  spread?: Matrix,
): number {
  if (weights !== undefined || spread !== undefined) {
    return weightedLoss(loss, a, y, weights, spread);
  }
  const ad = a.data;
  const yd = y.data;
  const n = ad.length;
  let sum = 0;
  switch (loss) {
    case 'cross-entropy':
      // −Σ y·log(a) / m
      for (let i = 0; i < n; i++) {
        const t = yd[i]!;
        if (t !== 0) sum -= t * Math.log(clipProbability(ad[i]!));
      }
      return sum / a.rows;
    case 'binary-cross-entropy':
      // −Σ [y·log(a) + (1 − y)·log(1 − a)] / m
      for (let i = 0; i < n; i++) {
        const t = yd[i]!;
        const p = clipProbability(ad[i]!);
        sum -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
      }
      return sum / a.rows;
    case 'squared-error':
      // Σ (y − ŷ)² / (2m)
      for (let i = 0; i < n; i++) {
        const d = yd[i]! - ad[i]!;
        sum += d * d;
      }
      return sum / (2 * a.rows);
  }
}

/** Σ wᵢ: the weight of the rows in play (ascending, from 0), or their count without weights. */
export function totalWeight(rows: number, weights?: Float64Array): number {
  if (weights === undefined) return rows;
  let total = 0;
  for (let i = 0; i < rows; i++) total += weights[i]!;
  return total;
}

/** One row's loss ℓᵢ (without the 1/m), summed over its columns. */
function rowLoss(loss: Loss, ad: Float64Array, yd: Float64Array, from: number, to: number) {
  let sum = 0;
  switch (loss) {
    case 'cross-entropy':
      for (let j = from; j < to; j++) {
        const t = yd[j]!;
        if (t !== 0) sum -= t * Math.log(clipProbability(ad[j]!));
      }
      return sum;
    case 'binary-cross-entropy':
      for (let j = from; j < to; j++) {
        const t = yd[j]!;
        const p = clipProbability(ad[j]!);
        sum -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
      }
      return sum;
    case 'squared-error':
      for (let j = from; j < to; j++) {
        const d = yd[j]! - ad[j]!;
        sum += d * d;
      }
      return sum;
  }
}

/** `computeLoss` with weights (1 each when absent) and, for squared error, the spread. */
function weightedLoss(
  loss: Loss,
  a: Matrix,
  y: Matrix,
  weights: Float64Array | undefined,
  spread: Matrix | undefined,
): number {
  const { rows, cols } = a;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const l = rowLoss(loss, a.data, y.data, i * cols, (i + 1) * cols);
    sum += weights === undefined ? l : weights[i]! * l;
  }
  const total = totalWeight(rows, weights);
  // Rows that all weigh 0 (a mini-batch of them) stand for nothing: no loss.
  if (total === 0) return 0;
  if (loss !== 'squared-error') return sum / total;
  if (spread !== undefined) {
    const s = spread.data;
    for (let i = 0; i < s.length; i++) sum += s[i]!;
  }
  return sum / (2 * total);
}

/**
 * The output layer's gradient `dz = (a − y) / m`: the user's classification `dz2 = a2 − y` (with
 * the 1/m that their weight gradients carry folded in here) and regression `dz2 = (ŷ − y) / m`.
 * It holds for every supported pairing because each loss matches its output activation. With
 * per-row `weights`, row i is `(aᵢ − yᵢ) · (wᵢ / W)` — the weighted loss's gradient (the spread
 * is a constant and adds nothing), and 0 when every weight is 0; the engines compute this same
 * expression.
 */
export function outputGradient(a: Matrix, y: Matrix, out: Matrix, weights?: Float64Array): Matrix {
  subtract(a, y, out);
  if (weights === undefined) return scale(out, 1 / a.rows, out);
  const total = totalWeight(a.rows, weights);
  const cols = a.cols;
  const d = out.data;
  for (let i = 0; i < a.rows; i++) {
    // Rows that all weigh 0 (a mini-batch of them) stand for nothing: no gradient.
    const c = total === 0 ? 0 : weights[i]! / total;
    for (let j = i * cols; j < (i + 1) * cols; j++) d[j] = d[j]! * c;
  }
  return out;
}
