/**
 * The Node.js file writers: CSV files written in chunks through `node:fs`, atomically by default.
 */
import type { WriteStream } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { DataError } from './errors.js';
import { LISTENER_SCHEMA } from './schema.js';
import type { GenerateListenersOptions } from './synthetic.js';
import { emptyRow, formatGeneratedRow, ListenerGenerator } from './synthetic.js';
import type { ListenerTable } from './table.js';
import { headerLine, rowLine, tableColumns } from './write.js';

/** Options of the CSV writers. */
export interface WriteListenersOptions {
  /**
   * Write to a temporary file beside `path` and rename it into place when complete, so a reader
   * never sees half a file and a failed write leaves no file behind. Default true.
   */
  readonly atomic?: boolean;
}

/** Writes `table` as a CSV file with the real file's header (see `formatListenersCsv`). */
export async function writeListenersCsv(
  path: string,
  table: ListenerTable,
  options: WriteListenersOptions = {},
): Promise<void> {
  const specs = tableColumns(table);
  await writeLines(path, options, function* () {
    yield headerLine(specs);
    for (let r = 0; r < table.rows; r++) yield rowLine(specs, (key) => table.value(key, r));
  });
}

/**
 * Generates listeners (as `generateListeners` would, same seed, same rows) straight into a CSV
 * file with all twelve columns, one row at a time: a million rows never sit in memory.
 */
export async function writeGeneratedListenersCsv(
  path: string,
  options: Omit<GenerateListenersOptions, 'columns'>,
  writeOptions: WriteListenersOptions = {},
): Promise<void> {
  if (!Number.isInteger(options.rows) || options.rows < 0) {
    throw new RangeError(
      `writeGeneratedListenersCsv: rows must be a non-negative integer, got ${options.rows}`,
    );
  }
  const generator = new ListenerGenerator(options.seed, options.effects);
  const specs = LISTENER_SCHEMA;
  const row = emptyRow();
  await writeLines(path, writeOptions, function* () {
    yield headerLine(specs);
    for (let i = 0; i < options.rows; i++) {
      generator.next(row);
      yield formatGeneratedRow(row);
    }
  });
}

const CHUNK = 64 * 1024;

/** Writes the lines in ~64 KiB chunks, waiting when the stream is full; atomic by default. */
async function writeLines(
  path: string,
  options: WriteListenersOptions,
  lines: () => Generator<string>,
): Promise<void> {
  const atomic = options.atomic ?? true;
  const target = atomic
    ? join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
    : path;
  const stream = createWriteStream(target);
  let failure: unknown;
  stream.on('error', (error) => {
    failure = error;
  });
  try {
    let buffer = '';
    for (const line of lines()) {
      buffer += line;
      if (buffer.length >= CHUNK) {
        if (failure !== undefined) throw failure;
        if (!stream.write(buffer)) await drained(stream);
        buffer = '';
      }
    }
    if (failure !== undefined) throw failure;
    stream.end(buffer);
    await finished(stream);
    if (failure !== undefined) throw failure;
    if (atomic) await rename(target, path);
  } catch (error) {
    stream.destroy();
    if (atomic) await rm(target, { force: true }).catch(() => undefined);
    const code =
      (error as NodeJS.ErrnoException).code ??
      (error instanceof Error ? error.message : String(error));
    throw new DataError('UNWRITABLE', `cannot write the file (${code})`, {
      file: path,
      expected: 'a writable path in an existing folder',
    });
  }
}

/** Resolves when `stream` can take more, or has closed (after an error); leaves no listener behind. */
function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
