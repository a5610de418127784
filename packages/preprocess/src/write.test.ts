import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readListenersCsv } from './read-file.js';
import { LISTENER_COLUMN_KEYS } from './schema.js';
import { generateListeners } from './synthetic.js';
import { ListenerTable } from './table.js';
import { HEADER, tempFolder } from './test-files.js';
import { formatCsvField, formatListenersCsv } from './write.js';
import { writeGeneratedListenersCsv, writeListenersCsv } from './write-file.js';

const folder = tempFolder();
afterAll(() => folder.remove());

describe('writing listener CSV files', () => {
  it('uses the real header and reads back to the same table', async () => {
    const table = generateListeners({ rows: 200, seed: 3, effects: { genreByCountry: 0.3 } });
    const path = join(folder.dir, 'sample.csv');
    await writeListenersCsv(path, table);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[0]).toBe(HEADER);
    expect(text.endsWith('\n')).toBe(true);
    const back = await readListenersCsv(path, { columns: LISTENER_COLUMN_KEYS });
    for (const key of LISTENER_COLUMN_KEYS) expect(back.column(key)).toEqual(table.column(key));
    expect(readdirSync(folder.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('streams generated listeners to the same bytes as the in-memory generator', async () => {
    const options = { rows: 300, seed: 8, effects: { minutesByPlatform: 0.7 } };
    const path = join(folder.dir, 'generated.csv');
    await writeGeneratedListenersCsv(path, options);
    expect(readFileSync(path, 'utf8')).toBe(formatListenersCsv(generateListeners(options)));
  });

  it('quotes fields that need it', () => {
    expect(formatCsvField('R&B')).toBe('R&B');
    expect(formatCsvField('a,b')).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField(12.5)).toBe('12.5');
    const table = ListenerTable.fromColumns({ country: ['Korea, South'], age: [30] });
    expect(formatListenersCsv(table)).toBe('Age,Country\n30,"Korea, South"\n');
  });

  it('fails with a DataError and leaves nothing behind when the folder does not exist', async () => {
    const path = join(folder.dir, 'missing', 'out.csv');
    await expect(
      writeListenersCsv(path, generateListeners({ rows: 5, seed: 1 })),
    ).rejects.toMatchObject({
      code: 'UNWRITABLE',
      message: expect.stringContaining(`${path}: cannot write the file (ENOENT)`),
    });
    expect(existsSync(path)).toBe(false);
  });

  it('can write in place without the temporary file', async () => {
    const path = join(folder.dir, 'direct.csv');
    await writeListenersCsv(path, generateListeners({ rows: 5, seed: 1 }), { atomic: false });
    expect((await readListenersCsv(path)).rows).toBe(5);
  });
});
