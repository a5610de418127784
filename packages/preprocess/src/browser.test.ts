import { describe, expect, it } from 'vitest';
import { nodeImportsOnBrowserPath } from '../../../browser-bundle.ts';

describe('in a browser', () => {
  it('bundles from its index with nothing Node-only', async () => {
    expect(await nodeImportsOnBrowserPath(new URL('./index.ts', import.meta.url))).toEqual([]);
  });

  it('keeps the file reader and writers to the Node entry, which the check catches', async () => {
    const reached = await nodeImportsOnBrowserPath(new URL('./node.ts', import.meta.url));
    expect(reached.some((line) => /read-file\.ts → node:fs$/.test(line))).toBe(true);
    expect(reached.some((line) => /write-file\.ts → node:fs$/.test(line))).toBe(true);
  });

  it('parses a CSV from bytes, as a dropped File gives them, with the reader’s errors', async () => {
    const { parseListenersCsv } = await import('./index.js');
    const bytes = new TextEncoder().encode('\ufeffAge,Country\r\n31,Japan\r\nthirty,Chile\r\n');
    expect(() =>
      parseListenersCsv(bytes, { columns: ['age', 'country'], source: 'x.csv' }),
    ).toThrow(/^x\.csv:3:1: /);
  });
});
