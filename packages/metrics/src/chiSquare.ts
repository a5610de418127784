import { MetricsError } from './errors.js';
import { chiSquareSurvival } from './gamma.js';
import {
  requireClassCount,
  requireLabels,
  requireNonEmpty,
  requireSameLength,
} from './validate.js';

/**
 * Cross-tabulates two categorical variables given as codes: `table[i][j]` counts the rows with
 * `a = i` and `b = j`. The input to {@link chiSquareTest}.
 *
 * @param aLevels number of levels of `a` (table rows); defaults to the largest code in `a` + 1
 * @param bLevels number of levels of `b` (table columns); defaults to the largest code in `b` + 1
 */
export function contingencyTable(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  aLevels?: number,
  bLevels?: number,
): number[][] {
  const fn = 'contingencyTable';
  requireSameLength(fn, 'a', a, 'b', b);
  requireNonEmpty(fn, 'a', a);
  if (aLevels !== undefined) requireClassCount(fn, aLevels);
  if (bLevels !== undefined) requireClassCount(fn, bLevels);
  const rows = aLevels ?? requireLabels(fn, 'a', a);
  const cols = bLevels ?? requireLabels(fn, 'b', b);
  requireLabels(fn, 'a', a, rows);
  requireLabels(fn, 'b', b, cols);
  const table = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < a.length; i++) table[a[i]!]![b[i]!]!++;
  return table;
}

/** What {@link chiSquareTest} computes. */
export interface ChiSquareResult {
  /** Pearson's statistic `Σ (observed - expected)² / expected` over the non-empty rows and columns. */
  readonly statistic: number;
  /** `(r - 1)(c - 1)` for the `r` non-empty rows and `c` non-empty columns. */
  readonly degreesOfFreedom: number;
  /** `P(χ²_df >= statistic)`: how often independent variables would look at least this related. */
  readonly pValue: number;
  /**
   * Cramér's V, `√(χ² / (n (min(r, c) - 1)))`: strength of association in `[0, 1]`, 0 for
   * independence, 1 when one variable determines the other. Unlike the p-value it does not grow
   * with `n`, so it says whether a "significant" relation is also a large one.
   */
  readonly cramersV: number;
  /** Total count of the table. */
  readonly n: number;
  /** Non-empty rows the test used. */
  readonly rows: number;
  /** Non-empty columns the test used. */
  readonly cols: number;
  /**
   * Smallest expected count. The chi-square approximation is trusted when expected counts are
   * about 5 or more (Cochran); below that, read the p-value as rough.
   */
  readonly minExpected: number;
}

/**
 * Pearson's chi-square test of independence for a contingency table of counts (rows: levels of
 * one variable, columns: levels of the other). Null hypothesis: the two variables are independent,
 * so each cell's expected count is `rowTotal · colTotal / n`.
 *
 * Rows and columns whose counts are all 0 are dropped first: they carry no information and would
 * make an expected count 0 (the statistic would be 0/0). They are not counted in the degrees of
 * freedom or in Cramér's V; `rows` and `cols` in the result say what was used. No continuity
 * correction is applied, so a 2 x 2 table gives scipy's `chi2_contingency(table, correction=False)`.
 * The p-value is `Q(df/2, χ²/2)`, the regularised upper incomplete gamma function.
 *
 * Throws `INVALID_ARGUMENT` for a ragged table or a negative / non-finite count, `EMPTY` for a
 * table without cells, and `DEGENERATE_TABLE` when fewer than 2 rows or 2 columns are non-empty
 * (nothing to compare: one variable takes a single value).
 */
export function chiSquareTest(table: readonly (readonly number[])[]): ChiSquareResult {
  const fn = 'chiSquareTest';
  if (table.length === 0 || table[0]!.length === 0) {
    throw new MetricsError('EMPTY', `${fn}: the table has no cells`);
  }
  const width = table[0]!.length;
  const rowTotals = new Array<number>(table.length).fill(0);
  const colTotals = new Array<number>(width).fill(0);
  for (let i = 0; i < table.length; i++) {
    const row = table[i]!;
    if (row.length !== width) {
      throw new MetricsError(
        'INVALID_ARGUMENT',
        `${fn}: row ${i} has ${row.length} columns but row 0 has ${width}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v) || v < 0) {
        throw new MetricsError(
          'INVALID_ARGUMENT',
          `${fn}: table[${i}][${j}] is ${v}, expected a finite count >= 0`,
        );
      }
      rowTotals[i]! += v;
      colTotals[j]! += v;
    }
  }
  const usedRows = indicesOfPositive(rowTotals);
  const usedCols = indicesOfPositive(colTotals);
  if (usedRows.length < 2 || usedCols.length < 2) {
    throw new MetricsError(
      'DEGENERATE_TABLE',
      `${fn}: needs at least 2 non-empty rows and 2 non-empty columns, got ${usedRows.length} x ${usedCols.length}`,
    );
  }
  let n = 0;
  for (const i of usedRows) n += rowTotals[i]!;
  let statistic = 0;
  let minExpected = Infinity;
  for (const i of usedRows) {
    for (const j of usedCols) {
      const expected = (rowTotals[i]! * colTotals[j]!) / n;
      const d = table[i]![j]! - expected;
      statistic += (d * d) / expected;
      if (expected < minExpected) minExpected = expected;
    }
  }
  const r = usedRows.length;
  const c = usedCols.length;
  const degreesOfFreedom = (r - 1) * (c - 1);
  return {
    statistic,
    degreesOfFreedom,
    pValue: chiSquareSurvival(statistic, degreesOfFreedom),
    // min() guards against rounding pushing V a hair above 1 for a perfectly dependent table.
    cramersV: Math.min(1, Math.sqrt(statistic / (n * (Math.min(r, c) - 1)))),
    n,
    rows: r,
    cols: c,
    minExpected,
  };
}

function indicesOfPositive(totals: readonly number[]): number[] {
  const indices: number[] = [];
  for (let i = 0; i < totals.length; i++) if (totals[i]! > 0) indices.push(i);
  return indices;
}
