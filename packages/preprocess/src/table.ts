import { checkNumber, parseLabelCell, parseNumberCell } from './cells.js';
import { DataError } from './errors.js';
import type { ColumnSpec } from './schema.js';
import { getColumnSpec, LISTENER_COLUMN_KEYS } from './schema.js';

/** A category column: one small-integer code per row into a dictionary of distinct values. */
export interface CategoryCodes {
  /** Code of each row: `dictionary[codes[i]]` is row i's value. */
  readonly codes: Int32Array;
  /** Distinct values in the order they were first seen. */
  readonly dictionary: readonly string[];
}

/** How a table keeps one column: compact codes, float64 numbers, or (ids only) strings. */
type StoredColumn =
  | {
      readonly kind: 'category';
      readonly codes: Int32Array;
      readonly dictionary: readonly string[];
    }
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'text'; readonly values: readonly string[] };

/** A value of one cell as records carry it. */
export type CellValue = string | number;

/**
 * Listener rows held column by column, only the columns that were asked for: categories as
 * `Int32Array` codes into a small dictionary, numbers in a `Float64Array`, ids as strings. Made by
 * `readListenersCsv`, `parseListenersCsv`, `generateListeners` or `ListenerTable.fromColumns`.
 * Columns are looked up by key (`top_genre`) or by header (`Top Genre`).
 */
export class ListenerTable {
  /** Number of rows. */
  readonly rows: number;
  /** Where the rows came from: a file path, `<text>`, or a description of the generator. */
  readonly source: string;
  readonly #columns: ReadonlyMap<string, StoredColumn>;
  readonly #labelCache = new Map<string, readonly string[]>();

  /** @internal Use the readers, the generator or `fromColumns`. */
  constructor(rows: number, source: string, columns: ReadonlyMap<string, StoredColumn>) {
    this.rows = rows;
    this.source = source;
    this.#columns = columns;
  }

  /**
   * Builds a table from whole columns keyed by schema key or header: strings for category and id
   * columns, numbers for integer and number columns. Every value is checked against the schema
   * as a file's would be; a `DataError` names the column and row (1-based) otherwise.
   */
  static fromColumns(
    columns: Readonly<Record<string, readonly CellValue[] | ArrayLike<number>>>,
    options: { source?: string } = {},
  ): ListenerTable {
    const source = options.source ?? '<columns>';
    const entries = Object.entries(columns);
    const builder = new TableBuilder(entries.map(([key]) => getColumnSpec(key)));
    let rows = -1;
    for (const [key, values] of entries) {
      if (rows === -1) rows = values.length;
      else if (values.length !== rows) {
        throw new DataError(
          'RAGGED_ROW',
          `column ${key} has ${values.length} values but the first column has ${rows}`,
          { file: source, expected: 'columns of equal length' },
        );
      }
    }
    for (let row = 0; row < Math.max(rows, 0); row++) {
      for (let c = 0; c < entries.length; c++) {
        const value = (entries[c]![1] as ArrayLike<CellValue>)[row]!;
        builder.append(c, value, { file: source, line: row + 1 });
      }
      builder.endRow();
    }
    return builder.finish(source);
  }

  /** The same columns from `records` (one object per row, keyed by key or header). */
  static fromRecords(
    records: readonly Readonly<Record<string, CellValue>>[],
    options: { source?: string } = {},
  ): ListenerTable {
    const source = options.source ?? '<records>';
    const first = records[0];
    if (first === undefined) {
      throw new DataError('NO_ROWS', 'no records', { file: source, expected: 'at least one row' });
    }
    const keys = Object.keys(first);
    const builder = new TableBuilder(keys.map((key) => getColumnSpec(key)));
    records.forEach((record, row) => {
      keys.forEach((key, c) => {
        const value = record[key];
        if (value === undefined) {
          throw new DataError('MISSING_COLUMN', `record ${row + 1} has no ${key}`, {
            file: source,
            expected: `every record to have ${keys.join(', ')}`,
          });
        }
        builder.append(c, value, { file: source, line: row + 1 });
      });
      builder.endRow();
    });
    return builder.finish(source);
  }

  /** Keys of the columns this table holds, in schema order. */
  get keys(): readonly string[] {
    return LISTENER_COLUMN_KEYS.filter((key) => this.#columns.has(key));
  }

  /** Whether the table holds the column (by key or header). */
  has(keyOrHeader: string): boolean {
    const key = getKeyIfKnown(keyOrHeader);
    return key !== undefined && this.#columns.has(key);
  }

  /** The values of a column: strings for category and id columns, numbers otherwise. */
  column(keyOrHeader: string): readonly string[] | Float64Array {
    const stored = this.#get(keyOrHeader);
    return stored.kind === 'numeric' ? stored.values : this.categories(keyOrHeader);
  }

  /**
   * One string per row of a category (or id) column. Built on first use and cached; the strings
   * are shared with the dictionary, so this costs one pointer per row.
   */
  categories(keyOrHeader: string): readonly string[] {
    const key = getColumnSpec(keyOrHeader).key;
    const cached = this.#labelCache.get(key);
    if (cached !== undefined) return cached;
    const stored = this.#get(key);
    if (stored.kind === 'numeric') {
      throw new TypeError(`ListenerTable: column ${key} holds numbers, not categories`);
    }
    let labels: readonly string[];
    if (stored.kind === 'text') {
      labels = stored.values;
    } else {
      const out = new Array<string>(this.rows);
      for (let i = 0; i < this.rows; i++) out[i] = stored.dictionary[stored.codes[i]!]!;
      labels = Object.freeze(out);
    }
    this.#labelCache.set(key, labels);
    return labels;
  }

  /** The codes and dictionary of a category column (no per-row strings). */
  codes(keyOrHeader: string): CategoryCodes {
    const stored = this.#get(keyOrHeader);
    if (stored.kind !== 'category') {
      throw new TypeError(
        `ListenerTable: column ${getColumnSpec(keyOrHeader).key} is not a category`,
      );
    }
    return { codes: stored.codes, dictionary: stored.dictionary };
  }

  /** The values of an integer or number column. The array is the table's own: do not modify it. */
  numbers(keyOrHeader: string): Float64Array {
    const stored = this.#get(keyOrHeader);
    if (stored.kind !== 'numeric') {
      throw new TypeError(
        `ListenerTable: column ${getColumnSpec(keyOrHeader).key} does not hold numbers`,
      );
    }
    return stored.values;
  }

  /** One cell. */
  value(keyOrHeader: string, row: number): CellValue {
    this.#checkRow(row);
    const stored = this.#get(keyOrHeader);
    switch (stored.kind) {
      case 'numeric':
        return stored.values[row]!;
      case 'text':
        return stored.values[row]!;
      case 'category':
        return stored.dictionary[stored.codes[row]!]!;
    }
  }

  /** Row `row` as a record keyed by column key. */
  record(row: number): Record<string, CellValue> {
    const out: Record<string, CellValue> = {};
    for (const key of this.keys) out[key] = this.value(key, row);
    return out;
  }

  /** A new table with the given rows (0-based, in the given order; repeats allowed). */
  select(rows: ArrayLike<number>): ListenerTable {
    for (let i = 0; i < rows.length; i++) this.#checkRow(rows[i]!);
    const columns = new Map<string, StoredColumn>();
    for (const [key, stored] of this.#columns) {
      if (stored.kind === 'numeric') {
        const values = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = stored.values[rows[i]!]!;
        columns.set(key, { kind: 'numeric', values });
      } else if (stored.kind === 'text') {
        const values = Array.from({ length: rows.length }, (_, i) => stored.values[rows[i]!]!);
        columns.set(key, { kind: 'text', values });
      } else {
        const codes = new Int32Array(rows.length);
        for (let i = 0; i < rows.length; i++) codes[i] = stored.codes[rows[i]!]!;
        columns.set(key, { kind: 'category', codes, dictionary: stored.dictionary });
      }
    }
    return new ListenerTable(rows.length, this.source, columns);
  }

  /**
   * The stored column, or a `DataError` (`MISSING_COLUMN`) naming it and the columns the table
   * has: a pipeline applied to a table read without its columns fails here, clearly.
   */
  #get(keyOrHeader: string): StoredColumn {
    const spec = getColumnSpec(keyOrHeader);
    const stored = this.#columns.get(spec.key);
    if (stored === undefined) {
      throw new DataError(
        'MISSING_COLUMN',
        `the table from ${this.source} has no column ${spec.key} (${spec.header})`,
        {
          expected: `one of the columns it holds: ${this.keys.join(', ') || 'none'}`,
        },
      );
    }
    return stored;
  }

  #checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) {
      throw new RangeError(`ListenerTable: row ${row} is outside 0..${this.rows - 1}`);
    }
  }
}

function getKeyIfKnown(keyOrHeader: string): string | undefined {
  try {
    return getColumnSpec(keyOrHeader).key;
  } catch {
    return undefined;
  }
}

const INITIAL_CAPACITY = 1024;

/** A growable column: amortised O(1) appends into typed arrays that double when full. */
type GrowingColumn =
  | {
      kind: 'category';
      spec: ColumnSpec;
      codes: Int32Array;
      dictionary: string[];
      lookup: Map<string, number>;
    }
  | { kind: 'numeric'; spec: ColumnSpec; values: Float64Array }
  | { kind: 'text'; spec: ColumnSpec; values: string[] };

/**
 * Collects rows column by column for the readers and the generator, checking each value against
 * the schema. @internal
 */
export class TableBuilder {
  readonly specs: readonly ColumnSpec[];
  #columns: GrowingColumn[];
  #rows = 0;
  #capacity = INITIAL_CAPACITY;

  constructor(specs: readonly ColumnSpec[]) {
    this.specs = specs;
    this.#columns = specs.map((spec): GrowingColumn => {
      switch (spec.kind) {
        case 'category':
          return {
            kind: 'category',
            spec,
            codes: new Int32Array(INITIAL_CAPACITY),
            dictionary: [],
            lookup: new Map(),
          };
        case 'id':
          return { kind: 'text', spec, values: [] };
        default:
          return { kind: 'numeric', spec, values: new Float64Array(INITIAL_CAPACITY) };
      }
    });
  }

  /** Rows completed so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Appends an already-parsed number to numeric column `c` of the current row. */
  appendNumber(c: number, value: number): void {
    const column = this.#columns[c]!;
    if (column.kind !== 'numeric') throw new TypeError(`column ${column.spec.key} is not numeric`);
    column.values[this.#rows] = value;
  }

  /** Appends an already-checked label to category or id column `c` of the current row. */
  appendLabel(c: number, value: string): void {
    const column = this.#columns[c]!;
    if (column.kind === 'text') {
      column.values.push(value);
    } else if (column.kind === 'category') {
      let code = column.lookup.get(value);
      if (code === undefined) {
        code = column.dictionary.length;
        column.dictionary.push(value);
        column.lookup.set(value, code);
      }
      column.codes[this.#rows] = code;
    } else {
      throw new TypeError(`column ${column.spec.key} is numeric`);
    }
  }

  /** Checks a value of either type against column `c`'s spec and appends it. */
  append(c: number, value: CellValue, where: { file: string; line: number }): void {
    const spec = this.specs[c]!;
    if (spec.kind === 'integer' || spec.kind === 'number') {
      // Strings are read the way a file's cells are; numbers are only checked.
      const number =
        typeof value === 'string'
          ? parseNumberCell(spec, value, where)
          : checkNumber(spec, value, where);
      this.appendNumber(c, number);
    } else {
      this.appendLabel(c, parseLabelCell(spec, String(value), where));
    }
  }

  /** Closes the current row, growing the arrays when they are full. */
  endRow(): void {
    this.#rows++;
    if (this.#rows === this.#capacity) this.#grow();
  }

  /** The finished table; arrays are trimmed to the row count. */
  finish(source: string): ListenerTable {
    const map = new Map<string, StoredColumn>();
    for (const column of this.#columns) {
      if (column.kind === 'numeric') {
        map.set(column.spec.key, { kind: 'numeric', values: column.values.slice(0, this.#rows) });
      } else if (column.kind === 'text') {
        map.set(column.spec.key, {
          kind: 'text',
          values: Object.freeze(column.values.slice(0, this.#rows)),
        });
      } else {
        map.set(column.spec.key, {
          kind: 'category',
          codes: column.codes.slice(0, this.#rows),
          dictionary: Object.freeze(column.dictionary.slice()),
        });
      }
    }
    return new ListenerTable(this.#rows, source, map);
  }

  #grow(): void {
    this.#capacity *= 2;
    for (const column of this.#columns) {
      if (column.kind === 'numeric') {
        const next = new Float64Array(this.#capacity);
        next.set(column.values);
        column.values = next;
      } else if (column.kind === 'category') {
        const next = new Int32Array(this.#capacity);
        next.set(column.codes);
        column.codes = next;
      }
    }
  }
}
