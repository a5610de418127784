import { Matrix } from '@scratchnet/linalg';
import type { Dataset } from './engine.js';

/** What `groupIdenticalRows` made: the grouped rows, and which group each original row went to. */
export interface GroupedRows {
  dataset: Dataset;
  /** Original row → group index (a row of `dataset`). */
  groupOf: Int32Array;
}

/** Options of {@link groupIdenticalRows} and {@link groupRows}. */
export interface GroupOptions {
  /**
   * Whether to make the groups' spread (default true). Only the squared-error loss needs it:
   * cross-entropy, being linear in y, is exact without it, and `fit` refuses a spread with it —
   * so group classification rows with `{ spread: false }`.
   */
  spread?: boolean;
}

/**
 * Collapses rows with bitwise-identical x into one row each (first-appearance order): weight = Σ
 * of their weights (1 each when absent), y = their weighted mean target, spread (unless
 * `options.spread` is false) = their weighted Σ (y − ȳ)² per column (plus their own spread).
 *
 * A network gives identical inputs identical outputs, so a group's rows differ only in their
 * targets; for every loss nn trains the group's share of the loss and gradients is then a
 * function of its weight, mean target and (squared error) spread alone — see the README's
 * "Weighted rows, and grouping identical rows". The spread is made whenever two rows of a group
 * have different targets.
 */
export function groupIdenticalRows(dataset: Dataset, options: GroupOptions = {}): GroupedRows {
  const groupOf = identicalRows(dataset.x);
  return { dataset: groupRows(dataset, groupOf, options), groupOf };
}

/**
 * Which rows of `x` are bitwise identical: row → group index, groups numbered in order of first
 * appearance.
 */
export function identicalRows(x: Matrix): Int32Array {
  const m = x.rows;
  // Rows are compared as their 32-bit words, found through a hash of them (FNV-1a): equal
  // exactly when the bits are, so −0 and +0, or two NaNs of different payloads, stay apart.
  const words = new Int32Array(x.data.buffer, x.data.byteOffset, 2 * x.data.length);
  const width = 2 * x.cols;
  const sameRow = (a: number, b: number) => {
    for (let j = 0; j < width; j++) if (words[a * width + j] !== words[b * width + j]) return false;
    return true;
  };
  const groupOf = new Int32Array(m);
  const firstRow: number[] = [];
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < m; i++) {
    let hash = -2128831035;
    for (let j = i * width; j < (i + 1) * width; j++) hash = Math.imul(hash ^ words[j]!, 16777619);
    const candidates = buckets.get(hash);
    let g = candidates?.find((c) => sameRow(firstRow[c]!, i));
    if (g === undefined) {
      g = firstRow.length;
      firstRow.push(i);
      if (candidates === undefined) buckets.set(hash, [g]);
      else candidates.push(g);
    }
    groupOf[i] = g;
  }
  return groupOf;
}

/**
 * Collapses the rows of `dataset` into the groups `groupOf` gives (row → group index, numbered
 * 0 … n − 1 in order of first appearance, as {@link identicalRows} makes them), as
 * {@link groupIdenticalRows} does. For rows whose inputs are the same within each group — the
 * same rows with their targets reordered, say — this skips finding the groups again.
 */
export function groupRows(
  dataset: Dataset,
  groupOf: Int32Array,
  options: GroupOptions = {},
): Dataset {
  const { x, y, weights, spread } = dataset;
  const m = x.rows;
  const d = x.cols;
  const k = y.cols;
  if (groupOf.length !== m) {
    throw new RangeError(`groupRows: groupOf has ${groupOf.length} rows, the dataset ${m}`);
  }
  const firstRow: number[] = [];
  for (let i = 0; i < m; i++) {
    const g = groupOf[i]!;
    if (g === firstRow.length) firstRow.push(i);
    else if (!(g >= 0 && g < firstRow.length)) {
      throw new RangeError(
        `groupRows: row ${i} is in group ${g}; groups must be numbered in order of first appearance`,
      );
    }
  }
  const n = firstRow.length;
  const w = (i: number) => (weights === undefined ? 1 : weights[i]!);
  const gx = Matrix.zeros(n, d);
  firstRow.forEach((i, g) => gx.data.set(x.data.subarray(i * d, (i + 1) * d), g * d));
  const gw = new Float64Array(n);
  for (let i = 0; i < m; i++) gw[groupOf[i]!] += w(i);
  // The weighted mean ȳ = Σ wᵢ yᵢ / W of each group; a group of weight 0 keeps its first row's y.
  const gy = Matrix.zeros(n, k);
  for (let i = 0; i < m; i++) {
    const g = groupOf[i]!;
    for (let j = 0; j < k; j++) gy.data[g * k + j] += w(i) * y.data[i * k + j]!;
  }
  for (let g = 0; g < n; g++) {
    for (let j = 0; j < k; j++) {
      gy.data[g * k + j] =
        gw[g] === 0 ? y.data[firstRow[g]! * k + j]! : gy.data[g * k + j]! / gw[g]!;
    }
  }
  // Σ wᵢ (yᵢ − ȳ)² (+ their own spread), from the means: the two-pass form, exact for equal targets.
  const gs = Matrix.zeros(n, k);
  let spreads = false;
  for (let i = 0; i < m; i++) {
    const g = groupOf[i]!;
    for (let j = 0; j < k; j++) {
      const dev = y.data[i * k + j]! - gy.data[g * k + j]!;
      const s = w(i) * dev * dev + (spread === undefined ? 0 : spread.data[i * k + j]!);
      gs.data[g * k + j] += s;
      if (s !== 0) spreads = true;
    }
  }
  const grouped: Dataset = { x: gx, y: gy, weights: gw };
  if (options.spread !== false && (spreads || spread !== undefined)) grouped.spread = gs;
  return grouped;
}
