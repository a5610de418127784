import { Matrix, Rng } from '@scratchnet/linalg';

/** The seed used when a caller gives none, so an unseeded run is still reproducible. */
export const DEFAULT_SEED = 42;

/** The project's 60 / 20 / 20 train / validation / test split. */
export const DEFAULT_FRACTIONS: readonly [number, number, number] = Object.freeze([0.6, 0.2, 0.2]);

/** Options of `trainValTestSplit`. */
export interface SplitOptions {
  /** Seed of the shuffle; the same seed (and input) gives the same split. Default `DEFAULT_SEED`. */
  readonly seed?: number;
  /** Train, validation and test fractions, each ≥ 0, adding up to 1. Default [0.6, 0.2, 0.2]. */
  readonly fractions?: readonly [number, number, number];
  /**
   * One class label per row: each class is then split in the same proportions, so every part
   * keeps the classes' shares (as closely as whole rows allow).
   */
  readonly stratify?: ArrayLike<number>;
}

/** Row indices (0-based) of the three parts: disjoint, together every row once, each in shuffled order. */
export interface Split {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

/** Something split three ways. */
export interface Parts<T> {
  readonly train: T;
  readonly validation: T;
  readonly test: T;
}

/**
 * The number of rows of each part for `n` rows: `n · fraction` rounded by largest remainder, so
 * they add up to `n` (5000 rows → 3000 / 1000 / 1000).
 */
export function splitSizes(
  n: number,
  fractions: readonly [number, number, number] = DEFAULT_FRACTIONS,
): [number, number, number] {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`splitSizes: the number of rows must be a non-negative integer, got ${n}`);
  }
  checkFractions(fractions);
  return apportion(n, fractions);
}

/**
 * Splits row indices 0 … n−1 into train, validation and test parts by a seeded shuffle (`Rng`
 * from @scratchnet/linalg), optionally stratified by class. Same seed, same split.
 *
 * ```ts
 * const { train, validation, test } = trainValTestSplit(5000, { seed: 42 });
 * [train.length, validation.length, test.length]; // [3000, 1000, 1000]
 * ```
 */
export function trainValTestSplit(n: number, options: SplitOptions = {}): Split {
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  const sizes = splitSizes(n, fractions);
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  if (options.stratify === undefined) {
    const order = rng.permutation(n);
    return {
      train: order.slice(0, sizes[0]),
      validation: order.slice(sizes[0], sizes[0] + sizes[1]),
      test: order.slice(sizes[0] + sizes[1]),
    };
  }
  return stratifiedSplit(n, options.stratify, fractions, sizes, rng);
}

/** The rows `rows` of `m`, in that order, as a new matrix. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Matrix(rows.length, m.cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= m.rows) {
      throw new RangeError(`takeRows: row ${r} is outside 0..${m.rows - 1}`);
    }
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return out;
}

/** The three parts of `m` for `split`. */
export function splitMatrix(m: Matrix, split: Split): Parts<Matrix> {
  return {
    train: takeRows(m, split.train),
    validation: takeRows(m, split.validation),
    test: takeRows(m, split.test),
  };
}

function checkFractions(fractions: readonly number[]): void {
  const ok =
    fractions.length === 3 &&
    fractions.every((f) => Number.isFinite(f) && f >= 0) &&
    Math.abs(fractions[0]! + fractions[1]! + fractions[2]! - 1) < 1e-9;
  if (!ok) {
    throw new RangeError(
      `trainValTestSplit: fractions must be three numbers ≥ 0 adding up to 1, got [${fractions.join(', ')}]`,
    );
  }
}

/** Largest-remainder rounding of `n · weights` (weights add up to 1) to integers adding up to `n`. */
function apportion(n: number, weights: readonly number[]): [number, number, number] {
  const ideal = weights.map((w) => n * w);
  // Snap values within rounding noise of an integer, so 5000 · 0.6 is 3000 and not 2999.
  const sizes = ideal.map((x) => Math.floor(x + 1e-9));
  let left = n - sizes.reduce((a, b) => a + b, 0);
  for (let k = 2; left < 0; k = (k + 2) % 3) {
    // Only reachable through the tolerance on the fractions' sum: take the excess back.
    if (sizes[k]! > 0) {
      sizes[k]!--;
      left++;
    }
  }
  const order = [0, 1, 2].sort((a, b) => ideal[b]! - sizes[b]! - (ideal[a]! - sizes[a]!) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % 3) {
    if (weights[order[k]!]! > 0) {
      sizes[order[k]!]!++;
      left--;
    }
  }
  return sizes as [number, number, number];
}

function stratifiedSplit(
  n: number,
  labels: ArrayLike<number>,
  fractions: readonly [number, number, number],
  sizes: readonly [number, number, number],
  rng: Rng,
): Split {
  if (labels.length !== n) {
    throw new RangeError(`trainValTestSplit: stratify has ${labels.length} labels for ${n} rows`);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (!Number.isFinite(label)) {
      throw new RangeError(`trainValTestSplit: stratify label ${label} at row ${i} is not finite`);
    }
    let group = groups.get(label);
    if (group === undefined) groups.set(label, (group = []));
    group.push(i);
  }
  const classes = [...groups.keys()].sort((a, b) => a - b);
  // How many rows of each class go to each part: proportional, rounded so that every class
  // keeps all its rows and every part gets exactly its size.
  const counts = classes.map((c) => groups.get(c)!.length);
  const take = counts.map((count) => fractions.map((f) => Math.floor(count * f + 1e-9)));
  const partLeft = sizes.map((size, k) => size - take.reduce((sum, row) => sum + row[k]!, 0));
  const classLeft = counts.map((count, c) => count - take[c]!.reduce((a, b) => a + b, 0));
  const cells: { c: number; k: number; remainder: number }[] = [];
  classes.forEach((_, c) => {
    fractions.forEach((f, k) => {
      cells.push({ c, k, remainder: counts[c]! * f - take[c]![k]! });
    });
  });
  cells.sort((a, b) => b.remainder - a.remainder || a.c - b.c || a.k - b.k);
  for (const { c, k } of cells) {
    if (classLeft[c]! > 0 && partLeft[k]! > 0) {
      take[c]![k]!++;
      classLeft[c]!--;
      partLeft[k]!--;
    }
  }
  // Whatever the greedy pass could not place goes to any part with room (totals always match).
  classes.forEach((_, c) => {
    for (let k = 0; classLeft[c]! > 0; k++) {
      const room = Math.min(classLeft[c]!, partLeft[k]!);
      take[c]![k]! += room;
      classLeft[c]! -= room;
      partLeft[k]! -= room;
    }
  });
  const parts = [new Int32Array(sizes[0]), new Int32Array(sizes[1]), new Int32Array(sizes[2])];
  const filled = [0, 0, 0];
  classes.forEach((label, c) => {
    const rows = Int32Array.from(groups.get(label)!);
    rng.shuffle(rows);
    let at = 0;
    for (let k = 0; k < 3; k++) {
      for (let t = 0; t < take[c]![k]!; t++) parts[k]![filled[k]!++] = rows[at++]!;
    }
  });
  // Shuffle within each part so rows are not grouped by class.
  for (const part of parts) rng.shuffle(part);
  return { train: parts[0]!, validation: parts[1]!, test: parts[2]! };
}
