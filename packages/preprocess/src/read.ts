import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Options as CsvParseOptions } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { TextBytesChecker } from './bytes.js';
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
 * Reads a listener CSV file into a `ListenerTable`, streaming: the file goes through `csv-parse`
 * 64 KiB at a time and each row's needed cells go straight into compact columns, so neither the
 * text nor the parsed records are ever held whole. Accepts UTF-8 with or without a BOM, LF or
 * CRLF, quoted fields, extra columns (ignored), any column order, no final newline; headers are
 * matched after `normalizeHeader`. Anything else is a `DataError` naming the file, line, column
 * and what was expected.
 */
export async function readListenersCsv(
  path: string,
  options: ReadListenersOptions = {},
): Promise<ListenerTable> {
  await checkIsFile(path);
  const consumer = new ListenerCsvConsumer(path, options);
  const checker = new TextBytesChecker(path);
  const onProgress = options.onProgress;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        checker.check(chunk);
        onProgress?.({ rows: consumer.rows, bytes: checker.bytes });
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        checker.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  try {
    await pipeline(
      createReadStream(path, { highWaterMark: 64 * 1024 }),
      guard,
      parse(consumer.csvOptions()),
      async (records: AsyncIterable<unknown>) => {
        // Every row is consumed by `on_record`, which returns null: nothing arrives here.
        for await (const _ of records) void _;
      },
    );
  } catch (error) {
    throw consumer.translate(error);
  }
  const table = consumer.finish();
  onProgress?.({ rows: table.rows, bytes: checker.bytes });
  return table;
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
  try {
    parseSync(typeof input === 'string' ? input : Buffer.from(input), consumer.csvOptions());
  } catch (error) {
    throw consumer.translate(error);
  }
  return consumer.finish();
}

async function checkIsFile(path: string): Promise<void> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw translateFsError(error, path);
  }
  if (!stats.isFile()) {
    const what = stats.isDirectory() ? 'a folder' : 'not a regular file';
    throw new DataError('NOT_A_FILE', `${what}`, { file: path, expected: 'a CSV file' });
  }
}

function translateFsError(error: unknown, path: string): DataError {
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

/** A needed column: its spec, where it is in the file, and which column of the table it fills. */
interface NeededColumn {
  readonly spec: ColumnSpec;
  field: number;
}

/**
 * The per-record logic shared by the streaming and the in-memory reader: header matching, value
 * checks, and the translation of `csv-parse`'s errors into `DataError`s with locations.
 */
class ListenerCsvConsumer {
  readonly #file: string;
  readonly #questions: readonly QuestionDefinition[];
  readonly #needed: NeededColumn[];
  readonly #builder: TableBuilder;
  #header: string[] | undefined;
  /** Line on which the last complete record (header included) ended. */
  #lastLine = 0;

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

  get rows(): number {
    return this.#builder.rows;
  }

  csvOptions(): CsvParseOptions {
    return {
      bom: true,
      skip_empty_lines: true,
      on_record: (record: string[], context: { lines: number }) => {
        this.#onRecord(record, context.lines);
        return null;
      },
    };
  }

  #onRecord(record: string[], line: number): void {
    if (this.#header === undefined) {
      this.#readHeader(record, line);
    } else {
      const builder = this.#builder;
      const needed = this.#needed;
      for (let c = 0; c < needed.length; c++) {
        const { spec, field } = needed[c]!;
        const text = record[field]!;
        if (spec.kind === 'integer' || spec.kind === 'number') {
          builder.appendNumber(
            c,
            parseNumberCell(spec, text, { file: this.#file, line, column: field + 1 }),
          );
        } else {
          builder.appendLabel(
            c,
            parseLabelCell(spec, text, { file: this.#file, line, column: field + 1 }),
          );
        }
      }
      builder.endRow();
    }
    this.#lastLine = line;
  }

  #readHeader(record: string[], line: number): void {
    this.#header = record;
    const fieldOf = new Map<string, number>();
    record.forEach((cell, field) => {
      const key = normalizeHeader(cell);
      const earlier = fieldOf.get(key);
      if (earlier !== undefined && this.#needed.some((n) => n.spec.key === key)) {
        throw new DataError(
          'DUPLICATE_COLUMN',
          `column ${quoteValue(cell)} repeats column ${earlier + 1} (${quoteValue(record[earlier]!)}), both read as ${key}`,
          { file: this.#file, line, column: field + 1, expected: 'each column once' },
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
      throw new DataError(
        'MISSING_COLUMN',
        `missing ${missing.length === 1 ? 'column' : 'columns'} ${missing.join('; ')}`,
        {
          file: this.#file,
          line,
          expected: `a header with ${this.#needed.map((n) => n.spec.header).join(', ')}`,
        },
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
        line: this.#lastLine + 1,
        expected: 'at least one listener row',
      });
    }
    return this.#builder.finish(this.#file);
  }

  /** Turns whatever the parse threw into a `DataError` with a location. */
  translate(error: unknown): DataError {
    if (error instanceof DataError) return error;
    const csv = error as {
      code?: string;
      lines?: number;
      column?: number | string;
      record?: string[];
      message?: string;
    };
    const file = this.#file;
    const column = typeof csv.column === 'number' ? csv.column + 1 : undefined;
    const headerFields = this.#header?.length;
    switch (csv.code) {
      case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
        const got = csv.record?.length;
        return new DataError('RAGGED_ROW', `the row has ${got ?? 'a different number of'} fields`, {
          file,
          ...(csv.lines === undefined ? {} : { line: csv.lines }),
          expected: `${headerFields ?? 'as many as the header has'} fields like the header`,
        });
      }
      case 'CSV_QUOTE_NOT_CLOSED':
        // csv-parse reports the last line of the file; the quote opened in the record after the
        // last complete one.
        return new DataError('UNTERMINATED_QUOTE', 'a quoted field is never closed', {
          file,
          line: this.#lastLine + 1,
          ...(column === undefined ? {} : { column }),
          expected: 'a closing " before the end of the file',
        });
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'INVALID_OPENING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return new DataError('INVALID_QUOTE', 'a quote inside a field', {
          file,
          ...(csv.lines === undefined ? {} : { line: csv.lines }),
          ...(column === undefined ? {} : { column }),
          expected: 'quotes only around a whole field, and "" for a quote inside one',
        });
      case 'CSV_MAX_RECORD_SIZE':
        return new DataError('RECORD_TOO_LARGE', 'a record longer than 128,000 characters', {
          file,
          ...(csv.lines === undefined ? {} : { line: csv.lines }),
          expected: 'comma-separated lines of listener data',
        });
    }
    if (csv.code !== undefined && csv.code.startsWith('CSV_')) {
      return new DataError('MALFORMED_CSV', `malformed CSV (${csv.message ?? csv.code})`, {
        file,
        ...(csv.lines === undefined ? {} : { line: csv.lines }),
      });
    }
    if (typeof csv.code === 'string' && csv.code.startsWith('E')) {
      return translateFsError(error, file);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new DataError('UNREADABLE', `cannot read the file (${message})`, { file });
  }
}
