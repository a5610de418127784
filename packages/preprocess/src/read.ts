// csv-parse's browser build: its Node build reaches for the global Buffer, which a page lacks.
import type { Options as CsvParseOptions } from 'csv-parse/browser/esm/sync';
import { parse as parseSync } from 'csv-parse/browser/esm/sync';
import { TextBytesChecker } from './bytes.js';
import { csvLineOf } from './lines.js';
import { parseLabelCell, parseNumberCell } from './cells.js';
import { DataError, quoteValue } from './errors.js';
import type { QuestionDefinition } from './questions.js';
import { columnsForQuestions, getQuestion, QUESTIONS, questionColumns } from './questions.js';
import type { ColumnSpec } from './schema.js';
import { getColumnSpec, normalizeHeader } from './schema.js';
import type { ListenerTable } from './table.js';
import { TableBuilder } from './table.js';

/** What to keep from a listener CSV file. */
export interface ReadListenersOptions {
  /**
   * The columns to keep (keys or headers); each must be in the file. Default: every column the
   * `questions` read.
   */
  readonly columns?: readonly string[];
  /**
   * The questions the data is read for (definitions or ids): they give the default `columns`, and
   * a missing column's error names which of them needs it. Default: all of `QUESTIONS`.
   */
  readonly questions?: readonly (QuestionDefinition | string)[];
  /** Called as the file is read (about every 64 KiB), e.g. to draw a progress bar. */
  readonly onProgress?: (progress: ReadProgress) => void;
}

/** How far a read has come. */
export interface ReadProgress {
  /** Data rows kept so far. */
  readonly rows: number;
  /** Bytes of the file read so far. */
  readonly bytes: number;
}

/** Options for `parseListenersCsv`: those of `readListenersCsv` plus a name for messages. */
export interface ParseListenersOptions extends ReadListenersOptions {
  /** What error messages call the input; default `<text>`. */
  readonly source?: string;
}

/**
 * Parses listener CSV text already in memory (small inputs, tests) with the same rules and errors
 * as `readListenersCsv`. Bytes are checked for binary data and UTF-8 first.
 */
export function parseListenersCsv(
  input: string | Uint8Array,
  options: ParseListenersOptions = {},
): ListenerTable {
  const source = options.source ?? '<text>';
  const consumer = new ListenerCsvConsumer(source, options);
  if (typeof input === 'string') {
    const nul = input.indexOf('\u0000');
    if (nul !== -1) {
      throw new DataError('BINARY_DATA', 'binary data: a NUL character', {
        file: source,
        line: input.slice(0, nul).split('\n').length,
        expected: 'a UTF-8 text CSV file',
      });
    }
  } else {
    const checker = new TextBytesChecker(source);
    checker.check(input);
    checker.end();
  }
  // Checked above: the bytes are UTF-8, so decoding loses nothing.
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  let failure: unknown;
  try {
    // Records go to the consumer as they are parsed (and are not collected), so a later record's
    // error knows the header, as in the streaming reader.
    parseSync(text, {
      ...CSV_OPTIONS,
      on_record: (record: string[]) => {
        consumer.onRecord(record);
        return null;
      },
    });
  } catch (error) {
    failure = error;
  }
  if (failure !== undefined) {
    const translated = consumer.translate(failure);
    throw translated instanceof DataError
      ? translated
      : translated.build(csvLineOf(text, translated.record, translated.field));
  }
  return consumer.finish();
}

export function translateFsError(error: unknown, path: string): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DataError('FILE_NOT_FOUND', 'no such file', { file: path, expected: 'a CSV file' });
  }
  if (code === 'EISDIR') {
    return new DataError('NOT_A_FILE', 'a folder', { file: path, expected: 'a CSV file' });
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new DataError('UNREADABLE', `cannot read the file (${reason})`, {
    file: path,
    expected: 'a readable file',
  });
}

const MAX_RECORD_SIZE = 128_000;

/**
 * `csv-parse` options of both readers. No `info` or `on_record`: per-record context objects
 * cost about as much as the parse itself, so line numbers are found again only when an error
 * needs one (`CsvLineLocator`).
 */
export const CSV_OPTIONS: CsvParseOptions = {
  bom: true,
  skip_empty_lines: true,
  // A listener row is about 100 characters: a far longer record is a wrong delimiter or not a
  // CSV file, and must not grow the parser's buffer without limit.
  max_record_size: MAX_RECORD_SIZE,
};

/**
 * An error that needs the physical line of record `record` (0-based, header = 0), field `field`
 * (0-based), to be told.
 */
interface PendingError {
  readonly record: number;
  readonly field: number;
  build(line: number): DataError;
}

/** Thrown by `onRecord` for a bad value: the record's line is looked up before it is reported. */
class RecordProblem extends Error implements PendingError {
  readonly record: number;
  readonly field: number;
  readonly build: (line: number) => DataError;

  constructor(record: number, field: number, build: (line: number) => DataError) {
    super('record problem');
    this.record = record;
    this.field = field;
    this.build = build;
  }
}

/** A needed column: its spec, and where it is in the file. */
interface NeededColumn {
  readonly spec: ColumnSpec;
  field: number;
}

/**
 * The per-record logic shared by the streaming and the in-memory reader: header matching, value
 * checks, and the translation of `csv-parse`'s errors into `DataError`s with locations.
 */
export class ListenerCsvConsumer {
  readonly #file: string;
  readonly #questions: readonly QuestionDefinition[];
  readonly #needed: NeededColumn[];
  readonly #builder: TableBuilder;
  #header: string[] | undefined;
  /** Records seen, header included. */
  #records = 0;

  constructor(file: string, options: ReadListenersOptions) {
    this.#file = file;
    this.#questions = (options.questions ?? QUESTIONS).map((q) =>
      typeof q === 'string' ? getQuestion(q) : q,
    );
    const keys = options.columns ?? columnsForQuestions(this.#questions);
    const specs = [...new Set(keys.map((key) => getColumnSpec(key)))];
    this.#needed = specs.map((spec) => ({ spec, field: -1 }));
    this.#builder = new TableBuilder(specs);
  }

  /** Data rows kept so far. */
  get rows(): number {
    return this.#builder.rows;
  }

  /** Takes one parsed record: the header first, then listener rows. */
  onRecord(record: string[]): void {
    const index = this.#records;
    if (this.#header === undefined) {
      this.#readHeader(record, index);
    } else {
      const builder = this.#builder;
      const needed = this.#needed;
      for (let c = 0; c < needed.length; c++) {
        const { spec, field } = needed[c]!;
        const text = record[field]!;
        try {
          if (spec.kind === 'integer' || spec.kind === 'number') {
            builder.appendNumber(c, parseNumberCell(spec, text, {}));
          } else {
            builder.appendLabel(c, parseLabelCell(spec, text, {}));
          }
        } catch (error) {
          throw this.#relocate(error as DataError, index, field + 1);
        }
      }
      builder.endRow();
    }
    this.#records++;
  }

  /** The same error, placed at `file:line:column` once the record's line is known. */
  #relocate(error: DataError, record: number, column?: number): RecordProblem {
    return new RecordProblem(
      record,
      column === undefined ? 0 : column - 1,
      (line) =>
        new DataError(error.code, error.problem, {
          file: this.#file,
          line,
          ...(column === undefined ? {} : { column }),
          ...(error.expected === undefined ? {} : { expected: error.expected }),
        }),
    );
  }

  #readHeader(record: string[], index: number): void {
    this.#header = record;
    const fieldOf = new Map<string, number>();
    record.forEach((cell, field) => {
      const key = normalizeHeader(cell);
      const earlier = fieldOf.get(key);
      if (earlier !== undefined && this.#needed.some((n) => n.spec.key === key)) {
        throw this.#relocate(
          new DataError(
            'DUPLICATE_COLUMN',
            `column ${quoteValue(cell)} repeats column ${earlier + 1} (${quoteValue(record[earlier]!)}), both read as ${key}`,
            { expected: 'each column once' },
          ),
          index,
          field + 1,
        );
      }
      if (earlier === undefined) fieldOf.set(key, field);
    });
    const missing: string[] = [];
    for (const needed of this.#needed) {
      const field = fieldOf.get(needed.spec.key);
      if (field === undefined) missing.push(this.#describeMissing(needed.spec));
      else needed.field = field;
    }
    if (missing.length > 0) {
      throw this.#relocate(
        new DataError(
          'MISSING_COLUMN',
          `missing ${missing.length === 1 ? 'column' : 'columns'} ${missing.join('; ')}`,
          { expected: `a header with ${this.#needed.map((n) => n.spec.header).join(', ')}` },
        ),
        index,
      );
    }
  }

  #describeMissing(spec: ColumnSpec): string {
    const users = this.#questions.filter((q) => questionColumns(q).includes(spec.key));
    const why =
      users.length === 0
        ? 'requested'
        : `needed by question ${users.map((q) => q.id).join(' and ')}`;
    return `${spec.header} (${spec.key}, ${why})`;
  }

  /** The table, once every record is in; an empty file or a header alone is a `DataError`. */
  finish(): ListenerTable {
    if (this.#header === undefined) {
      throw new DataError('EMPTY_FILE', 'the file is empty', {
        file: this.#file,
        expected: 'a header line and listener rows',
      });
    }
    if (this.#builder.rows === 0) {
      throw new DataError('NO_ROWS', 'a header but no data rows', {
        file: this.#file,
        expected: 'at least one listener row',
      });
    }
    return this.#builder.finish(this.#file);
  }

  /**
   * Turns whatever the parse threw into a `DataError` with a location, or into a pending one that
   * still needs the line of a record (the caller finds it and calls `build`).
   */
  translate(error: unknown): DataError | PendingError {
    if (error instanceof DataError || error instanceof RecordProblem) return error;
    const csv = error as {
      code?: string;
      lines?: number;
      column?: number | string;
      record?: string[];
      records?: number;
      message?: string;
    };
    const file = this.#file;
    // csv-parse's `records` is the index of the record it failed in and `column` the field; its
    // `lines` is not the physical line (see `CsvLineLocator`), so the line is found again.
    const record = typeof csv.records === 'number' ? csv.records : this.#records;
    const field = typeof csv.column === 'number' ? csv.column : 0;
    const column = typeof csv.column === 'number' ? { column: csv.column + 1 } : {};
    const at = (fieldIndex: number, build: (line: number) => DataError): PendingError => ({
      record,
      field: fieldIndex,
      build,
    });
    switch (csv.code) {
      case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
        const got = csv.record?.length;
        const expected = this.#header?.length;
        return at(
          0,
          (line) =>
            new DataError('RAGGED_ROW', `the row has ${got ?? 'a different number of'} fields`, {
              file,
              line,
              expected: `${expected ?? 'as many'} fields, as the header has`,
            }),
        );
      }
      case 'CSV_QUOTE_NOT_CLOSED':
        return at(
          field,
          (line) =>
            new DataError('UNTERMINATED_QUOTE', 'a quoted field is never closed', {
              file,
              line,
              ...column,
              expected: 'a closing " before the end of the file',
            }),
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'INVALID_OPENING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return at(
          field,
          (line) =>
            new DataError('INVALID_QUOTE', 'a quote inside a field', {
              file,
              line,
              ...column,
              expected: 'quotes only around a whole field, and "" for a quote inside one',
            }),
        );
      case 'CSV_MAX_RECORD_SIZE':
        return at(
          0,
          (line) =>
            new DataError(
              'RECORD_TOO_LARGE',
              `a record longer than ${MAX_RECORD_SIZE} characters`,
              {
                file,
                line,
                expected: 'comma-separated lines of listener data',
              },
            ),
        );
    }
    if (csv.code !== undefined && csv.code.startsWith('CSV_')) {
      return at(
        field,
        (line) =>
          new DataError('MALFORMED_CSV', `malformed CSV (${csv.message ?? csv.code})`, {
            file,
            line,
          }),
      );
    }
    if (typeof csv.code === 'string' && csv.code.startsWith('E')) {
      return translateFsError(error, file);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new DataError('UNREADABLE', `cannot read the file (${message})`, { file });
  }
}
