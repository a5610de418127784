import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { parseListenersCsv } from './read.js';
import { readListenersCsv } from './read-file.js';
import { HEADER, ROWS, csv, tempFolder } from './test-files.js';

const folder = tempFolder();
afterAll(() => folder.remove());

/** Reads `content` written to a fresh file; returns the table. */
async function read(content: string | Uint8Array, options = {}) {
  const path = folder.write(`f${Math.random().toString(36).slice(2)}.csv`, content);
  return readListenersCsv(path, options);
}

/** The DataError reading `content` throws (fails the test if it does not throw one). */
async function rejection(content: string | Uint8Array, options = {}): Promise<DataError> {
  const name = `bad${Math.random().toString(36).slice(2)}.csv`;
  const path = folder.write(name, content);
  const error = await readListenersCsv(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  const e = error as DataError;
  expect(e.file).toBe(path);
  expect(e.message.startsWith(path)).toBe(true);
  expect(e.message).not.toContain('\n');
  return e;
}

describe('readListenersCsv accepts', () => {
  it('the real file format, keeping only the columns the questions need', async () => {
    const table = await read(csv(HEADER, ...ROWS));
    expect(table.rows).toBe(3);
    expect(table.keys).toEqual([
      'age',
      'country',
      'streaming_platform',
      'top_genre',
      'minutes_streamed_per_day',
      'listening_time',
    ]);
    expect(table.categories('country')).toEqual(['Brazil', 'Japan', 'USA']);
    expect(Array.from(table.numbers('age'))).toEqual([25, 41, 60]);
    expect(table.categories('Top Genre')).toEqual(['Pop', 'R&B', 'Jazz']);
    expect(table.has('user_id')).toBe(false);
  });

  it('every column when asked, numbers as float64', async () => {
    const table = await read(csv(HEADER, ...ROWS), {
      columns: ['user_id', 'repeat_song_rate', 'Discover Weekly Engagement (%)'],
    });
    expect(table.categories('user_id')).toEqual(['U1000', 'U1001', 'U1002']);
    expect(Array.from(table.numbers('repeat_song_rate'))).toEqual([20.25, 64.5, 5]);
    expect(Array.from(table.numbers('discover_weekly_engagement'))).toEqual([55.5, 12.75, 89.99]);
  });

  it('a BOM, CRLF line ends and no final newline', async () => {
    const plain = await read(csv(HEADER, ...ROWS));
    const windows = await read(`\uFEFF${[HEADER, ...ROWS].join('\r\n')}`);
    expect(windows.rows).toBe(3);
    for (const key of plain.keys) expect(windows.column(key)).toEqual(plain.column(key));
  });

  it('quoted fields, including quotes and commas inside them', async () => {
    const table = await read(
      csv(
        `${HEADER},Note`,
        `"U1000","25","Brazil","Spotify","Pop","120","40","Drake","Free","Night","55.5","20.25","likes ""this"", a lot"`,
      ),
    );
    expect(table.record(0)).toMatchObject({ age: 25, country: 'Brazil', top_genre: 'Pop' });
  });

  it('extra columns, any column order and normalised headers', async () => {
    const table = await read(
      csv(
        'listening_time,Favourite Colour,top genre,COUNTRY,age,Streaming-Platform,minutes_streamed_per_day',
        'Night,red,Pop,Brazil,25,Spotify,120',
        'Morning,blue,Rock,UK,30,Tidal,200',
      ),
    );
    expect(table.record(1)).toEqual({
      age: 30,
      country: 'UK',
      streaming_platform: 'Tidal',
      top_genre: 'Rock',
      minutes_streamed_per_day: 200,
      listening_time: 'Morning',
    });
  });

  it('blank lines and spaces around values', async () => {
    const table = await read(`${HEADER}\n\n${ROWS[0]!.replace('Brazil', ' Brazil ')}\n\n\n`);
    expect(table.rows).toBe(1);
    expect(table.value('country', 0)).toBe('Brazil');
  });

  it('only the columns of the questions asked for', async () => {
    const table = await read(csv('Country,Top Genre', 'Japan,Pop'), {
      questions: ['genre-by-country'],
    });
    expect(table.keys).toEqual(['country', 'top_genre']);
  });

  it('the same text in memory through parseListenersCsv', () => {
    const table = parseListenersCsv(csv(HEADER, ...ROWS));
    expect(table.rows).toBe(3);
    expect(table.source).toBe('<text>');
    const bytes = parseListenersCsv(new TextEncoder().encode(csv(HEADER, ...ROWS)), {
      source: 'x.csv',
    });
    expect(bytes.categories('country')).toEqual(table.categories('country'));
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await read(csv(HEADER, ...ROWS), { onProgress: (p: { rows: number }) => seen.push(p.rows) });
    expect(seen.at(-1)).toBe(3);
  });
});

describe('readListenersCsv rejects, naming file, line, column and what was expected', () => {
  it('a missing file', async () => {
    const path = join(folder.dir, 'nope.csv');
    await expect(readListenersCsv(path)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: `${path}: no such file, expected a CSV file`,
    });
  });

  it('a folder', async () => {
    await expect(readListenersCsv(folder.dir)).rejects.toMatchObject({
      code: 'NOT_A_FILE',
      message: `${folder.dir}: a folder, expected a CSV file`,
    });
  });

  it('an unreadable file', async (context) => {
    let path: string;
    if (process.getuid?.() !== 0) {
      path = folder.write('locked.csv', csv(HEADER, ...ROWS));
      chmodSync(path, 0o000);
    } else if (existsSync('/proc/self/mem')) {
      // Root reads any mode; /proc/self/mem is a regular file whose first page cannot be read.
      path = '/proc/self/mem';
    } else {
      context.skip('running as root without /proc/self/mem: cannot make an unreadable file');
      return;
    }
    await expect(readListenersCsv(path)).rejects.toMatchObject({
      code: 'UNREADABLE',
      message: expect.stringMatching(
        /^.*: cannot read the file \(E[A-Z]+\), expected a readable file$/,
      ),
    });
  });

  it('an empty file', async () => {
    expect((await rejection('')).code).toBe('EMPTY_FILE');
    const bomOnly = await rejection('\uFEFF\n\n');
    expect(bomOnly.code).toBe('EMPTY_FILE');
    expect(bomOnly.problem).toBe('the file is empty');
  });

  it('a header with no rows', async () => {
    const e = await rejection(csv(HEADER));
    expect(e.code).toBe('NO_ROWS');
    expect(e.message).toMatch(/: a header but no data rows, expected at least one listener row$/);
  });

  it('a missing column, naming it and the question that needs it', async () => {
    const header = HEADER.replace('Top Genre,', '');
    const row = ROWS[0]!.replace('Pop,', '');
    const e = await rejection(csv(header, row));
    expect(e.code).toBe('MISSING_COLUMN');
    expect(e.line).toBe(1);
    expect(e.message).toContain(
      ':1: missing column Top Genre (top_genre, needed by question genre-by-country)',
    );
  });

  it('a duplicate column', async () => {
    const e = await rejection(csv(`${HEADER},country`, `${ROWS[0]},Chile`));
    expect(e).toMatchObject({ code: 'DUPLICATE_COLUMN', line: 1, column: 13 });
    expect(e.message).toContain('column "country" repeats column 3 ("Country")');
  });

  it('a ragged row', async () => {
    const e = await rejection(csv(HEADER, ROWS[0]!, ROWS[1]!.replace(',BTS', '')));
    expect(e).toMatchObject({ code: 'RAGGED_ROW', line: 3 });
    expect(e.message).toMatch(/:3: the row has 11 fields, expected 12 fields, as the header has$/);
  });

  it('an unterminated quote, at the line where it opens', async () => {
    const e = await rejection(
      csv(HEADER, ROWS[0]!, ROWS[1]!, ROWS[2]!.replace('USA', '"USA'), ROWS[0]!),
    );
    expect(e).toMatchObject({ code: 'UNTERMINATED_QUOTE', line: 4, column: 3 });
  });

  it('a quote inside a field', async () => {
    const e = await rejection(csv(HEADER, ROWS[0]!.replace('Brazil', 'Bra"zil')));
    expect(e).toMatchObject({ code: 'INVALID_QUOTE', line: 2, column: 3 });
  });

  it.each([
    ['abc', 'NOT_A_NUMBER', '"abc" in column Age is not a number'],
    ['', 'NOT_A_NUMBER', 'empty cell in column Age is not a number'],
    ['NaN', 'NOT_A_NUMBER', '"NaN" in column Age is not a number'],
    ['Infinity', 'NOT_A_NUMBER', '"Infinity" in column Age is not a number'],
    ['0x20', 'NOT_A_NUMBER', '"0x20" in column Age is not a number'],
    ['1e999', 'NOT_A_NUMBER', '"1e999" in column Age is not a finite number'],
    ['34.5', 'NOT_AN_INTEGER', '"34.5" in column Age is not a whole number'],
    ['61', 'OUT_OF_RANGE', '"61" in column Age is out of range'],
    ['-1', 'OUT_OF_RANGE', '"-1" in column Age is out of range'],
  ])('age %j (%s)', async (age, code, problem) => {
    const bad = ROWS[1]!.replace(',41,', `,${age},`);
    const e = await rejection(csv(HEADER, ROWS[0]!, bad));
    expect(e).toMatchObject({ code, line: 3, column: 2 });
    expect(e.message).toMatch(
      new RegExp(
        `:3:2: ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, expected an integer from 13 to 60$`,
      ),
    );
  });

  it('a number out of range in another column, found wherever the column is', async () => {
    const e = await rejection(
      csv(
        'Minutes Streamed Per Day,Country,Top Genre,Age,Streaming Platform,Listening Time',
        '601,UK,Pop,20,Tidal,Night',
      ),
    );
    expect(e).toMatchObject({ code: 'OUT_OF_RANGE', line: 2, column: 1 });
    expect(e.expected).toBe('an integer from 10 to 600');
  });

  it('an empty category', async () => {
    const e = await rejection(csv(HEADER, ROWS[0]!, ROWS[1]!, ROWS[2]!.replace('YouTube', '')));
    expect(e).toMatchObject({ code: 'EMPTY_CATEGORY', line: 4, column: 4 });
    expect(e.message).toContain(
      ':4:4: empty cell in column Streaming Platform, expected a non-empty category',
    );
  });

  it('binary data: a NUL byte', async () => {
    const e = await rejection(csv(HEADER, ROWS[0]!, `${ROWS[1]!}\u0000`));
    expect(e).toMatchObject({ code: 'BINARY_DATA', line: 3 });
    expect(e.message).toMatch(
      /:3: binary data: a NUL byte at byte \d+, expected a UTF-8 text CSV file$/,
    );
  });

  it('binary data: bytes that are not UTF-8', async () => {
    const text = Buffer.from(
      csv(HEADER, ROWS[0]!, ROWS[1]!.replace('Japan', 'Jap\u00e1n')),
      'latin1',
    );
    const e = await rejection(text);
    expect(e).toMatchObject({ code: 'BINARY_DATA', line: 3 });
    expect(e.message).toContain('bytes that are not UTF-8');
  });

  it('binary data: an image', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(await rejection(png)).toMatchObject({ code: 'BINARY_DATA', line: 1 });
  });

  it('a record far too long for listener data', async () => {
    const e = await rejection(csv(HEADER, ROWS[0]!, 'x'.repeat(200_000)));
    expect(e).toMatchObject({ code: 'RECORD_TOO_LARGE', line: 3 });
  });

  it('an unknown column key in the options', async () => {
    await expect(read(csv(HEADER, ...ROWS), { columns: ['shoe_size'] })).rejects.toMatchObject({
      code: 'UNKNOWN_COLUMN',
    });
  });

  it('bad input given as text, with the same errors', () => {
    expect(() =>
      parseListenersCsv(csv(HEADER, ROWS[0]!.replace(',25,', ',9,')), { source: 'mem.csv' }),
    ).toThrow(
      /^mem\.csv:2:2: "9" in column Age is out of range, expected an integer from 13 to 60$/,
    );
    expect(() => parseListenersCsv('a\u0000b')).toThrow(
      expect.objectContaining({ code: 'BINARY_DATA' }),
    );
    expect(() => parseListenersCsv(csv(HEADER, ROWS[0]!, '"U1'))).toThrow(
      expect.objectContaining({ code: 'UNTERMINATED_QUOTE', line: 3, column: 1 }),
    );
  });
});
