import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from '../test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });

beforeAll(async () => {
  folder = await scratchFolder();
  // One population (a seed plants its own favourite times), split into rows to train on and new rows.
  const made = await cli(
    'generate',
    '--rows',
    '800',
    '--seed',
    '41',
    '--effect',
    'time=1',
    '--out',
    'all.csv',
  );
  expect(made.code, made.stderr).toBe(0);
  const [header, ...rows] = (await readFile(join(folder.path, 'all.csv'), 'utf8'))
    .trimEnd()
    .split('\n');
  await writeFile(join(folder.path, 'train.csv'), [header, ...rows.slice(0, 500)].join('\n'));
  await writeFile(join(folder.path, 'new.csv'), [header, ...rows.slice(500)].join('\n'));
  const trained = await cli(
    'train',
    '--question',
    'listening-time-by-age',
    '--data',
    'train.csv',
    '--out',
    'time.json',
    '--epochs',
    '400',
    '--lr',
    '0.5',
  );
  expect(trained.code, trained.stderr).toBe(0);
}, SPAWNING_HOOK_TIMEOUT);
afterAll(async () => {
  await folder.remove();
});

describe('scratchnet evaluate', () => {
  it('scores a saved model on every row of a new file, beside its saved baselines', async () => {
    const run = await cli('evaluate', '--model', 'time.json', '--data', 'new.csv', '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      id: string;
      model: { path: string };
      dataset: { rows: number };
      test: { accuracy: number; interval: { low: number; high: number } };
      baselines: { name: string; score: number }[];
      significance: { versusInputBlind: { pValue: number }; evidence: boolean };
      confusion: { labels: string[]; counts: number[][] };
      answer: unknown[];
    };
    expect(result.id).toBe('listening-time-by-age');
    expect(result.model.path).toBe('time.json');
    expect(result.dataset.rows).toBe(300);
    expect(result.baselines.map((b) => b.name)).toEqual([
      'majority class',
      'lookup table',
      'frequency guessing',
    ]);
    // A planted effect of full strength: far above the majority class, and clearly so.
    const majority = result.baselines[0]!.score;
    expect(result.test.accuracy).toBeGreaterThan(majority + 0.2);
    expect(result.significance.versusInputBlind.pValue).toBeLessThan(0.001);
    expect(result.significance.evidence).toBe(true);
    expect(result.confusion.counts.flat().reduce((sum, n) => sum + n, 0)).toBe(300);
    expect(result.answer).toHaveLength(6);
  });

  it('prints the answer, the trust block and the confusion matrix as text', async () => {
    const run = await cli('evaluate', '--model', 'time.json', '--data', 'new.csv');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Scored on every row of new\.csv \(300 rows\)/);
    expect(run.stdout).toMatch(/on 300 rows\s+accuracy\s+95% interval/);
    expect(run.stdout).toMatch(
      /Confusion matrix \(rows: true listening time; columns: predicted\):\n\s+Morning\s+Afternoon\s+Night\n/,
    );
    // The matrix lists the times of day in the answer table's order, not the encoder's.
    expect(run.stdout).toMatch(/P\(Morning\)\s+P\(Afternoon\)\s+P\(Night\)/);
    const rowLabels = [...run.stdout.matchAll(/^(Morning|Afternoon|Night)\s+\d/gm)].map(
      (m) => m[1],
    );
    expect(rowLabels).toEqual(['Morning', 'Afternoon', 'Night']);
    expect(run.stdout).toMatch(/^Age predicts listening time: p < 0\.001 \(chi-square\)/m);
    expect(run.stdout).toMatch(/^Training: ran all 400 epochs; best epoch \d+; [0-9.]+ s\./m);
  });

  it('writes a report with the saved training curves and the confusion matrix', async () => {
    const run = await cli(
      'evaluate',
      '--model',
      'time.json',
      '--data',
      'new.csv',
      '--report',
      'evaluate.html',
      '--quiet',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const html = await readFile(join(folder.path, 'evaluate.html'), 'utf8');
    // Loss, accuracy, the confusion matrix, and the time-of-day shares of the new rows.
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('Share of each time of day per age band');
    expect(html).toContain('Confusion matrix, 300 rows');
    expect(html).not.toMatch(/https?:\/\//);
  });
});
