import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from './test-cli.js';
import { REAL_CSV, runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from './test-cli.js';

const present = existsSync(REAL_CSV);
if (!present) {
  console.log(
    `real-data tests skipped: ${REAL_CSV} is not here (it is never committed; see README)`,
  );
}

describe.skipIf(!present)('scratchnet questions on the real file (../shared/data/)', () => {
  let folder: { path: string; remove: () => Promise<void> };
  let run: CliRun;

  beforeAll(async () => {
    folder = await scratchFolder();
    // The split and the answer's observed columns do not depend on how long the networks train.
    run = await runCli(['questions', '--data', REAL_CSV, '--epochs', '30', '--json'], {
      cwd: folder.path,
    });
  }, SPAWNING_HOOK_TIMEOUT);
  afterAll(async () => {
    await folder?.remove();
  });

  it('splits the 5,000 rows 3,000 / 1,000 / 1,000 for every question', () => {
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      dataset: { rows: number };
      questions: { split: object }[];
    };
    expect(result.dataset.rows).toBe(5000);
    expect(result.questions).toHaveLength(3);
    for (const question of result.questions)
      expect(question.split).toEqual({ train: 3000, validation: 1000, test: 1000 });
  });

  it('gives 60 country × platform totals that add up to every minute in the file', async () => {
    const result = JSON.parse(run.stdout) as {
      questions: {
        id: string;
        answer: { country: string; platform: string; users: number; totalMinutes: number }[];
      }[];
    };
    const minutes = result.questions.find((q) => q.id === 'minutes-by-country-platform')!;
    expect(minutes.answer).toHaveLength(60);
    // 60 different pairs (10 countries × 6 platforms), not one pair counted twice.
    expect(new Set(minutes.answer.map((row) => `${row.country}|${row.platform}`)).size).toBe(60);
    // Read the file independently of the CLI: it has no quoted fields (see its README).
    const [header, ...rows] = (await readFile(REAL_CSV, 'utf8')).trimEnd().split('\n');
    const column = header!.split(',').indexOf('Minutes Streamed Per Day');
    const fileTotal = rows.reduce((sum, line) => sum + Number(line.split(',')[column]), 0);
    expect(minutes.answer.reduce((sum, row) => sum + row.totalMinutes, 0)).toBe(fileTotal);
    expect(minutes.answer.reduce((sum, row) => sum + row.users, 0)).toBe(5000);
  });
});
