import { afterAll, describe, expect, it } from 'vitest';
import type { DataError } from './errors.js';
import { CsvLineLocator, csvLineOf } from './lines.js';
import { parseListenersCsv } from './read.js';
import { readListenersCsv } from './read-file.js';
import { HEADER, ROWS, tempFolder } from './test-files.js';

describe('csvLineOf', () => {
  it('counts \\r\\n, \\n and a lone \\r as one line each, inside quotes too', () => {
    expect(csvLineOf('h\r\n"a\r\nb"\r\nc\r\n', 2)).toBe(4);
    expect(csvLineOf('h\n"a\nb"\nc\n', 2)).toBe(4);
    expect(csvLineOf('h\r"a\rb"\rc\r', 2)).toBe(4);
  });

  it('skips empty lines like csv-parse and ignores a BOM', () => {
    expect(csvLineOf('\uFEFFh\n\n\r\nx\n', 1)).toBe(4);
  });

  it('finds the line a field starts on, not the line its record ends on', () => {
    const text = 'h,h,h\n1,"two\nlines",3\n';
    expect(csvLineOf(text, 1, 0)).toBe(2);
    expect(csvLineOf(text, 1, 2)).toBe(3);
  });

  it('treats "" inside quotes as an escaped quote, also across chunks', () => {
    const locator = new CsvLineLocator(2);
    expect(locator.push('h\n"a"')).toBe(false);
    expect(locator.push('"\nb"\nc\n')).toBe(true);
    expect(locator.line).toBe(4);
  });
});

describe('reported lines are the physical lines an editor shows', () => {
  const folder = tempFolder();
  afterAll(() => folder.remove());
  // Every data row has a quoted CRLF inside a field, so it spans two physical lines.
  const multiline = (row: string) => row.replace(/,(Drake|BTS|Adele),/, ',"Line one\r\nline two",');
  const rows = Array.from({ length: 200 }, (_, i) => multiline(ROWS[i % 3]!));

  async function both(text: string): Promise<DataError[]> {
    const path = folder.write('file.csv', text);
    const errors: DataError[] = [];
    for (const run of [
      () => readListenersCsv(path),
      async () => parseListenersCsv(text, { source: path }),
    ]) {
      try {
        await run();
        throw new Error('accepted');
      } catch (error) {
        errors.push(error as DataError);
      }
    }
    return errors;
  }

  it('a bad value after CRLF multi-line fields', async () => {
    const bad = [...rows];
    bad[150] = bad[150]!.replace(/^(U\d+),\d+,/, '$1,old,');
    for (const e of await both([HEADER, ...bad].join('\r\n'))) {
      expect(e.code).toBe('NOT_A_NUMBER');
      expect([e.line, e.column]).toEqual([2 + 2 * 150, 2]);
    }
  });

  it('a ragged row after CRLF multi-line fields, with the header count in both readers', async () => {
    const bad = [...rows];
    bad[120] = `${bad[120]},extra`;
    for (const e of await both([HEADER, ...bad].join('\r\n'))) {
      expect(e.code).toBe('RAGGED_ROW');
      expect(e.line).toBe(2 + 2 * 120);
      expect(e.message).toContain('expected 12 fields');
    }
  });

  it("a bad value before a multi-line field is on the record's first line", async () => {
    const row = multiline(ROWS[0]!).replace(',25,', ',x,');
    for (const e of await both([HEADER, row].join('\n'))) expect(e.line).toBe(2);
  });

  it('an unterminated quote after empty lines', async () => {
    const text = [HEADER, ROWS[0], '', '', ROWS[1]!.replace(',BTS,', ',"BTS,'), ROWS[2]].join('\n');
    for (const e of await both(text)) {
      expect(e.code).toBe('UNTERMINATED_QUOTE');
      expect([e.line, e.column]).toEqual([5, 8]);
    }
  });
});
