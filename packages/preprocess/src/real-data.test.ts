import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prepareQuestion } from './pipeline.js';
import { QUESTIONS } from './questions.js';
import { readListenersCsv } from './read-file.js';
import { LISTENER_COLUMN_KEYS } from './schema.js';

// From this file up to the repository root, then ../shared/data/ beside it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const realCsv = resolve(repoRoot, '../shared/data/Global_Music_Streaming_Listener_Preferences.csv');
const present = existsSync(realCsv);
if (!present) {
  console.log(`real-data tests skipped: ${realCsv} is absent (it is never committed)`);
}

describe.skipIf(!present)('the real listener file', () => {
  it('reads all 5,000 rows and every column within the schema', async () => {
    const table = await readListenersCsv(realCsv, { columns: LISTENER_COLUMN_KEYS });
    expect(table.rows).toBe(5000);
    expect(table.codes('country').dictionary).toHaveLength(10);
    expect(table.codes('streaming_platform').dictionary).toHaveLength(6);
    expect(table.codes('top_genre').dictionary).toHaveLength(10);
    expect(table.codes('listening_time').dictionary).toHaveLength(3);
    expect(new Set(table.categories('user_id')).size).toBe(5000);
    const age = table.numbers('age');
    expect(Math.min(...age)).toBe(13);
    expect(Math.max(...age)).toBe(60);
  });

  it('gives each question a 3000 / 1000 / 1000 split and matrices of the right shapes', async () => {
    const table = await readListenersCsv(realCsv);
    const widths: Record<string, [number, number]> = {
      'genre-by-country': [10, 10],
      'minutes-by-country-platform': [16, 1],
      'listening-time-by-age': [1, 3],
    };
    for (const question of QUESTIONS) {
      const p = prepareQuestion(question, table, { seed: 42 });
      const [inputs, outputs] = widths[question.id]!;
      expect([p.train.x.rows, p.validation.x.rows, p.test.x.rows]).toEqual([3000, 1000, 1000]);
      expect([p.train.x.cols, p.train.y.cols]).toEqual([inputs, outputs]);
      expect(p.pipeline.inputSize).toBe(inputs);
      expect(p.pipeline.outputSize).toBe(outputs);
    }
  });
});
