import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, oneErrorLine, runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from '../test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });

beforeAll(async () => {
  folder = await scratchFolder();
  expect(
    (
      await cli(
        'generate',
        '--rows',
        '400',
        '--seed',
        '31',
        '--effect',
        'genre=1',
        '--out',
        'data.csv',
      )
    ).code,
  ).toBe(0);
  const runs = await Promise.all([
    cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'genre.json',
      '--epochs',
      '300',
      '--lr',
      '0.5',
    ),
    cli(
      'train',
      '--question',
      'minutes-by-country-platform',
      '--data',
      'data.csv',
      '--out',
      'minutes.json',
      '--epochs',
      '20',
    ),
  ]);
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
}, SPAWNING_HOOK_TIMEOUT);
afterAll(async () => {
  await folder.remove();
});

function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

describe('scratchnet predict', () => {
  it('predicts for --input records as CSV with the class probabilities', async () => {
    const run = await cli(
      'predict',
      '--model',
      'genre.json',
      '--input',
      'country=Japan',
      '--input',
      'Country=South Korea',
    );
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header!.slice(0, 2)).toEqual(['country', 'predicted_top_genre']);
    expect(header).toHaveLength(2 + 10);
    expect(rows.map((row) => row[0])).toEqual(['Japan', 'South Korea']);
    for (const row of rows) {
      const probabilities = row.slice(2).map(Number);
      expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 4);
      // The predicted genre is the most probable one.
      expect(header![2 + probabilities.indexOf(Math.max(...probabilities))]).toBe(`p_${row[1]}`);
    }
  });

  it('learns a planted effect: each country gets its own favourite genre', async () => {
    const run = await cli('predict', '--model', 'genre.json', '--data', 'data.csv', '--json');
    expect(run.code, run.stderr).toBe(0);
    const { model, question, predictions } = JSON.parse(run.stdout) as {
      model: string;
      question: string;
      predictions: {
        user_id: string;
        input: { country: string };
        predicted_top_genre: string;
        probabilities: Record<string, number>;
      }[];
    };
    expect([model, question]).toEqual(['genre.json', 'genre-by-country']);
    expect(predictions).toHaveLength(400);
    // Each prediction names its row's listener, as --help says.
    const ids = (await readFile(join(folder.path, 'data.csv'), 'utf8'))
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(predictions.map((p) => p.user_id)).toEqual(ids);
    expect(Object.keys(predictions[0]!)).toEqual([
      'user_id',
      'input',
      'predicted_top_genre',
      'probabilities',
    ]);
    const byCountry = new Map(predictions.map((p) => [p.input.country, p.predicted_top_genre]));
    expect(new Set(byCountry.values()).size).toBeGreaterThanOrEqual(8);
  });

  it('predicts minutes for every row of a file, and writes --out atomically, refusing to overwrite', async () => {
    const run = await cli(
      'predict',
      '--model',
      'minutes.json',
      '--data',
      'data.csv',
      '--out',
      'minutes.csv',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const [header, ...rows] = parseCsv(await readFile(join(folder.path, 'minutes.csv'), 'utf8'));
    expect(header).toEqual([
      'user_id',
      'country',
      'streaming_platform',
      'predicted_minutes_streamed_per_day',
    ]);
    expect(rows).toHaveLength(400);
    expect(rows[0]![0]).toMatch(/^U\d+$/);
    for (const row of rows) expect(Number(row[3])).toBeGreaterThan(0);
    const again = await cli(
      'predict',
      '--model',
      'minutes.json',
      '--data',
      'data.csv',
      '--out',
      'minutes.csv',
    );
    expect(again.code).toBe(2);
    expect(
      (
        await cli(
          'predict',
          '--model',
          'minutes.json',
          '--data',
          'data.csv',
          '--out',
          'minutes.csv',
          '--force',
        )
      ).code,
    ).toBe(0);
  });

  it('predicts for a file without User_ID too, with no id column', async () => {
    const text = await readFile(join(folder.path, 'data.csv'), 'utf8');
    const withoutIds = text
      .trimEnd()
      .split('\n')
      .map((line) => line.slice(line.indexOf(',') + 1))
      .join('\n');
    await writeFile(join(folder.path, 'no-ids.csv'), `${withoutIds}\n`);
    const run = await cli('predict', '--model', 'minutes.json', '--data', 'no-ids.csv');
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual(['country', 'streaming_platform', 'predicted_minutes_streamed_per_day']);
    expect(rows).toHaveLength(400);
  });

  it('refuses inputs the model cannot take (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--input', 'country=Atlantis'], /--input: .*Atlantis/],
      [
        ['--input', 'streaming_platform=Spotify'],
        /--input: 'streaming_platform' is not an input of this model \(genre-by-country takes country\)/,
      ],
      [['--input', 'age=30,country=Japan'], /'age' is not an input/],
    ];
    for (const [args, message] of cases) {
      const run = await cli('predict', '--model', 'genre.json', ...args);
      expect(run.code).toBe(2);
      expect(oneErrorLine(run)).toMatch(message);
    }
    const missing = await cli('predict', '--model', 'minutes.json', '--input', 'country=Japan');
    expect(missing.code).toBe(2);
    expect(oneErrorLine(missing)).toMatch(/--input: missing streaming_platform/);
  });

  it('names the file, line and column of a bad value in --data (exit 1)', async () => {
    const text = await readFile(join(folder.path, 'data.csv'), 'utf8');
    const lines = text.split('\n');
    lines[4] = lines[4]!.replace(/^(U\d+,\d+),[^,]+,/, '$1,,');
    await writeFile(join(folder.path, 'blank-country.csv'), lines.join('\n'));
    const run = await cli('predict', '--model', 'genre.json', '--data', 'blank-country.csv');
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(/blank-country\.csv:5:3/);
  });

  it('stops quietly, with exit code 0, when the reader closes the pipe early', async () => {
    expect((await cli('generate', '--rows', '5000', '--out', 'many.csv')).code).toBe(0);
    const child = spawn(
      process.execPath,
      [BIN, 'predict', '--model', 'genre.json', '--data', 'many.csv'],
      {
        cwd: folder.path,
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
