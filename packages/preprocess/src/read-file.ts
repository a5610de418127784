/**
 * The Node.js file reader: a listener CSV file streamed from disk (`node:fs`, `node:stream`), with
 * the same rules and errors as `parseListenersCsv`, which works everywhere.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { TextBytesChecker } from './bytes.js';
import { DataError } from './errors.js';
import { CsvLineLocator } from './lines.js';
import type { ReadListenersOptions } from './read.js';
import { CSV_OPTIONS, ListenerCsvConsumer, translateFsError } from './read.js';
import type { ListenerTable } from './table.js';

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
      parse(CSV_OPTIONS),
      new Writable({
        objectMode: true,
        highWaterMark: 1024,
        write(record: string[], _encoding, callback) {
          try {
            consumer.onRecord(record);
            callback();
          } catch (error) {
            callback(error as Error);
          }
        },
      }),
    );
  } catch (error) {
    const translated = consumer.translate(error);
    throw translated instanceof DataError
      ? translated
      : translated.build(await lineInFile(path, translated.record, translated.field));
  }
  const table = consumer.finish();
  onProgress?.({ rows: table.rows, bytes: checker.bytes });
  return table;
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

/** The physical line where record `record` (field `field`) of the file starts; see `CsvLineLocator`. */
async function lineInFile(path: string, record: number, field: number): Promise<number> {
  const locator = new CsvLineLocator(record, field);
  let lines = 1;
  try {
    for await (const chunk of createReadStream(path, {
      encoding: 'utf8',
    }) as AsyncIterable<string>) {
      if (locator.push(chunk)) break;
      lines += chunk.split(/\r\n|\r|\n/).length - 1;
    }
  } catch {
    // The first read already failed past this record; fall back to the lines counted.
  }
  return locator.line ?? lines;
}
