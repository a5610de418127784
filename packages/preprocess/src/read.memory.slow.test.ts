import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readListenersCsv } from './read-file.js';
import { generateListeners } from './synthetic.js';
import { tempFolder } from './test-files.js';
import { writeGeneratedListenersCsv } from './write-file.js';

const folder = tempFolder();
afterAll(() => folder.remove());

describe('readListenersCsv on a 1,000,000-row file', () => {
  it('streams it through with bounded memory', async () => {
    const path = join(folder.dir, 'million.csv');
    await writeGeneratedListenersCsv(path, { rows: 1_000_000, seed: 7 });
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(70_000_000);

    // Heap sampled about every 64 KiB read. Holding the text would add `size` bytes of string at
    // least, the parsed records (12 strings and an array per row) several times that; the table
    // itself lives in typed arrays outside the JS heap.
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let samples = 0;
    const table = await readListenersCsv(path, {
      onProgress: () => {
        samples++;
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const growth = peak - before;
    console.log(
      `1,000,000 rows, ${(size / 1e6).toFixed(1)} MB file: peak heap growth ${(growth / 1e6).toFixed(1)} MB over ${samples} samples`,
    );
    expect(samples).toBeGreaterThan(1000);
    expect(growth).toBeLessThan(size / 2);

    expect(table.rows).toBe(1_000_000);
    // The file starts with exactly the listeners the in-memory generator makes from the seed.
    const head = generateListeners({ rows: 500, seed: 7, columns: table.keys });
    const first = table.select(Int32Array.from({ length: 500 }, (_, i) => i));
    for (const key of table.keys) expect(first.column(key)).toEqual(head.column(key));
    expect(table.codes('country').dictionary).toHaveLength(10);
  });
});
