import type { Matrix } from '@scratchnet/linalg';

// The scores training watches: the validation metric of every epoch, which early stopping
// records (it stops on the validation loss). They are allocation-free so that training can call
// them every epoch. Reports score with @scratchnet/metrics, which nn does not depend on; both
// take a row's class by the same rule (linalg's `argmaxRows`).

/**
 * The class a row of `m` stands for: the column with the largest value — ties go to the first,
 * and a NaN counts as larger than everything (the first NaN wins), as linalg's `argmaxRows` —
 * or, for a single column (a sigmoid yes/no output or a 0/1 target), 1 when the value is ≥ 0.5
 * else 0.
 */
export function rowClass(m: Matrix, row: number): number {
  const cols = m.cols;
  const d = m.data;
  const start = row * cols;
  if (cols === 1) return d[start]! >= 0.5 ? 1 : 0;
  let best = 0;
  let bestValue = d[start]!;
  if (Number.isNaN(bestValue)) return 0;
  for (let j = 1; j < cols; j++) {
    const v = d[start + j]!;
    if (Number.isNaN(v)) return j;
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/**
 * Fraction of rows whose predicted class (from `outputs`) is the target's class (from
 * `targets`). With per-row `weights`: Σ wᵢ · (the target mass at row i's predicted class) / Σ wᵢ,
 * which for one-hot targets is the weighted fraction of rows classified right, and for a grouped
 * row (its targets the mean of its rows' one-hot targets) counts exactly the rows it stands for
 * that are classified right.
 */
export function accuracy(outputs: Matrix, targets: Matrix, weights?: Float64Array): number {
  if (weights !== undefined) return weightedAccuracy(outputs, targets, weights);
  let correct = 0;
  for (let i = 0; i < outputs.rows; i++) {
    if (rowClass(outputs, i) === rowClass(targets, i)) correct++;
  }
  return correct / outputs.rows;
}

function weightedAccuracy(outputs: Matrix, targets: Matrix, weights: Float64Array): number {
  const cols = targets.cols;
  const t = targets.data;
  let correct = 0;
  let total = 0;
  for (let i = 0; i < outputs.rows; i++) {
    const predicted = rowClass(outputs, i);
    // One column is a yes/no: the mass of "yes" is the target, of "no" its complement.
    const mass = cols === 1 ? (predicted === 1 ? t[i]! : 1 - t[i]!) : t[i * cols + predicted]!;
    correct += weights[i]! * mass;
    total += weights[i]!;
  }
  return correct / total;
}

/**
 * R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², computed per output column and averaged over columns. A column
 * whose targets are all equal scores 1 if predicted exactly and 0 otherwise (as scikit-learn does).
 * With per-row `weights` and a grouped dataset's `spread` (see `Dataset`): ȳ = Σ wᵢ yᵢ / Σ wᵢ,
 * residual Σ wᵢ (yᵢ − ŷᵢ)² + Σ spread and total Σ wᵢ (yᵢ − ȳ)² + Σ spread per column — the sums
 * of the rows the grouped rows stand for.
 */
export function rSquared(
  predictions: Matrix,
  targets: Matrix,
  weights?: Float64Array,
  spread?: Matrix,
): number {
  if (weights !== undefined || spread !== undefined) {
    return weightedRSquared(predictions, targets, weights, spread);
  }
  const { rows, cols } = targets;
  const p = predictions.data;
  const t = targets.data;
  let total = 0;
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += t[i * cols + j]!;
    mean /= rows;
    let residual = 0;
    let spread = 0;
    for (let i = 0; i < rows; i++) {
      const y = t[i * cols + j]!;
      const r = y - p[i * cols + j]!;
      const s = y - mean;
      residual += r * r;
      spread += s * s;
    }
    total += spread === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / spread;
  }
  return total / cols;
}

function weightedRSquared(
  predictions: Matrix,
  targets: Matrix,
  weights: Float64Array | undefined,
  spread: Matrix | undefined,
): number {
  const { rows, cols } = targets;
  const p = predictions.data;
  const t = targets.data;
  const w = (i: number) => (weights === undefined ? 1 : weights[i]!);
  let score = 0;
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    let weight = 0;
    for (let i = 0; i < rows; i++) {
      mean += w(i) * t[i * cols + j]!;
      weight += w(i);
    }
    mean /= weight;
    let within = 0;
    for (let i = 0; i < rows && spread !== undefined; i++) within += spread.data[i * cols + j]!;
    let residual = within;
    let total = within;
    for (let i = 0; i < rows; i++) {
      const y = t[i * cols + j]!;
      const r = y - p[i * cols + j]!;
      const s = y - mean;
      residual += w(i) * r * r;
      total += w(i) * s * s;
    }
    score += total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total;
  }
  return score / cols;
}
