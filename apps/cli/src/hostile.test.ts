/**
 * Hostile inputs through the built CLI: files and model files made to attack the terminal, and
 * files whose categories or shape would fail late or depend on the seed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainValTestSplit } from '@scratchnet/preprocess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runCli, scratchFolder } from './test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });
/** Sets the window title, rings the bell and clears the screen when printed raw. */
const ATTACK = '\u001b]0;pwned\u0007\u001b[2J';
/** Every control character but the line feed. */
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
let header: string;
let rows: string[][];

/** Writes the generated rows, changed by `change`, as `name`. */
async function variant(name: string, change: (rows: string[][]) => string[][]): Promise<void> {
  const copy = rows.map((row) => [...row]);
  await writeFile(
    join(folder.path, name),
    [header, ...change(copy).map((row) => row.join(','))].join('\n') + '\n',
  );
}

beforeAll(async () => {
  folder = await scratchFolder();
  const made = await cli('generate', '--rows', '300', '--seed', '5', '--out', 'data.csv');
  expect(made.code, made.stderr).toBe(0);
  const lines = (await readFile(join(folder.path, 'data.csv'), 'utf8')).trimEnd().split('\n');
  header = lines[0]!;
  rows = lines.slice(1).map((line) => line.split(','));
  await variant('escapes.csv', (all) =>
    all.map((row) =>
      row[2] === 'Japan' ? [...row.slice(0, 2), `Ja${ATTACK}pan`, ...row.slice(3)] : row,
    ),
  );
  const set = (column: number, value: string, at: (row: number) => boolean) => (all: string[][]) =>
    all.map((row, i) => (at(i) ? row.map((cell, c) => (c === column ? value : cell)) : row));
  // Columns of the generated file: 1 Age, 2 Country, 4 Top Genre.
  await variant(
    'typo-country.csv',
    set(2, 'Japna', (i) => i === 7),
  );
  await variant(
    'typo-genre.csv',
    set(4, 'Popp', (i) => i === 7),
  );
  await variant('two-typos.csv', (all) =>
    set(2, 'Brazl', (i) => i === 3)(set(2, 'Japna', (i) => i >= 20 && i < 24)(all)),
  );
  // Five rows of a new country, all outside the training rows of seed 1.
  const outside = new Set([...trainValTestSplit(rows.length, { seed: 1 }).test].slice(0, 5));
  await variant(
    'five-outside.csv',
    set(2, 'Atlantis', (i) => outside.has(i)),
  );
  await variant(
    'one-country.csv',
    set(2, 'Japan', () => true),
  );
  await variant(
    'one-genre.csv',
    set(4, 'Pop', () => true),
  );
  await variant(
    'one-band.csv',
    set(1, '30', () => true),
  );
  await variant('one-row.csv', (all) => all.slice(0, 1));
  for (const [question, out] of [
    ['genre-by-country', 'genre.json'],
    ['listening-time-by-age', 'time.json'],
  ]) {
    const trained = await cli(
      'train',
      '--question',
      question!,
      '--data',
      'data.csv',
      '--out',
      out!,
      '--epochs',
      '5',
    );
    expect(trained.code, trained.stderr).toBe(0);
  }
}, 30_000);
afterAll(async () => {
  await folder.remove();
});

describe('terminal escapes in what is printed', () => {
  it('a category value is printed escaped, by train, evaluate and predict', async () => {
    const trained = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'escapes.csv',
      '--out',
      'escapes.json',
      '--epochs',
      '5',
    );
    expect(trained.code, trained.stderr).toBe(0);
    const [evaluated, predicted, json] = await Promise.all([
      cli('evaluate', '--model', 'escapes.json', '--data', 'escapes.csv'),
      cli('predict', '--model', 'escapes.json', '--data', 'escapes.csv'),
      cli('predict', '--model', 'escapes.json', '--data', 'escapes.csv', '--json'),
    ]);
    for (const run of [trained, evaluated, predicted, json]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROL);
    }
    for (const run of [trained, evaluated, predicted]) {
      expect(run.stdout).toContain('Ja\\u001b]0;pwned\\u0007\\u001b[2Jpan');
    }
    // The JSON document stays valid and holds the value as it was in the file.
    const countries = (
      JSON.parse(json.stdout) as { predictions: { input: { country: string } }[] }
    ).predictions.map((p) => p.input.country);
    expect(countries).toContain(`Ja${ATTACK}pan`);
  });

  it("a model's dataset path, and a file name in an error line, are printed escaped", async () => {
    const trained = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'plain.json',
      '--epochs',
      '5',
    );
    expect(trained.code, trained.stderr).toBe(0);
    const model = JSON.parse(await readFile(join(folder.path, 'plain.json'), 'utf8')) as {
      training: { dataset: { path: string } };
    };
    model.training.dataset.path = `x${ATTACK}.csv`;
    await writeFile(join(folder.path, 'path.json'), JSON.stringify(model));
    const [evaluated, missing] = await Promise.all([
      cli('evaluate', '--model', 'path.json', '--data', 'data.csv'),
      cli('predict', '--model', `m${ATTACK}.json`, '--data', 'data.csv'),
    ]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toContain('trained on x\\u001b]0;pwned\\u0007\\u001b[2J.csv');
    expect(evaluated.stdout).not.toMatch(RAW_CONTROL);
    expect(oneErrorLine(missing)).toBe(
      'scratchnet: m\\u001b]0;pwned\\u0007\\u001b[2J.json: no such model file',
    );
  });
});

describe('one rule for rare categories, whatever the seed', () => {
  const train = (data: string, seed: number, out = `${data}.${seed}.json`) =>
    cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      data,
      '--out',
      out,
      '--epochs',
      '5',
      '--seed',
      String(seed),
    );

  it('refuses a value in fewer than 5 rows, input or target, naming it and its line, for every seed', async () => {
    const runs = await Promise.all(
      [1, 2, 3, 4].flatMap((seed) => [
        train('typo-country.csv', seed),
        train('typo-genre.csv', seed),
      ]),
    );
    const lines = runs.map((run) => {
      expect(run.code).toBe(1);
      return oneErrorLine(run);
    });
    for (const [i, line] of lines.entries()) {
      expect(line).toBe(
        i % 2 === 0
          ? 'scratchnet: typo-country.csv:9: Country "Japna" is in 1 row only, expected at least 5 rows of each category (a typo? fix it or remove its rows)'
          : 'scratchnet: typo-genre.csv:9: Top Genre "Popp" is in 1 row only, expected at least 5 rows of each category (a typo? fix it or remove its rows)',
      );
    }
    expect((await readdir(folder.path)).filter((name) => name.startsWith('typo-'))).toEqual([
      'typo-country.csv',
      'typo-genre.csv',
    ]);
  });

  it('names the first rare value and counts the others', async () => {
    const run = await train('two-typos.csv', 1);
    expect(oneErrorLine(run)).toBe(
      'scratchnet: two-typos.csv:5: Country "Brazl" is in 1 row only (and 1 more rare Country value), expected at least 5 rows of each category (a typo? fix it or remove its rows)',
    );
  });

  it('gives a category of 5 rows, none of them training rows, its own column', async () => {
    const run = await train('five-outside.csv', 1, 'atlantis.json');
    expect(run.code, run.stderr).toBe(0);
    const model = JSON.parse(await readFile(join(folder.path, 'atlantis.json'), 'utf8')) as {
      preprocessing: { inputs: { categories: string[] }[] };
    };
    expect(model.preprocessing.inputs[0]!.categories).toContain('Atlantis');
  });
});

describe('files the scores cannot be computed on are refused up front, in words', () => {
  it('train refuses a one-country file before training; evaluate refuses it too', async () => {
    const [trained, evaluated] = await Promise.all([
      cli(
        'train',
        '--question',
        'genre-by-country',
        '--data',
        'one-country.csv',
        '--out',
        'x.json',
        '--epochs',
        '1000000',
        '--patience',
        '1000000',
      ),
      cli('evaluate', '--model', 'genre.json', '--data', 'one-country.csv'),
    ]);
    const line =
      'scratchnet: one-country.csv: every row has the same country (Japan); genre-by-country needs at least 2 different values of country to compare';
    for (const run of [trained, evaluated]) {
      expect(run.code).toBe(1);
      expect(oneErrorLine(run)).toBe(line);
      expect(run.stdout).toBe('');
    }
  });

  it('evaluate refuses one genre, one age band and one row', async () => {
    const runs = await Promise.all([
      cli('evaluate', '--model', 'genre.json', '--data', 'one-genre.csv'),
      cli('evaluate', '--model', 'time.json', '--data', 'one-band.csv'),
      cli('evaluate', '--model', 'time.json', '--data', 'one-row.csv'),
    ]);
    expect(runs.map((run) => [run.code, oneErrorLine(run)])).toEqual([
      [
        1,
        'scratchnet: one-genre.csv: every row has the same top genre (Pop); genre-by-country needs at least 2 different values of top genre to compare',
      ],
      [
        1,
        'scratchnet: one-band.csv: every row has the same age band (25–34); listening-time-by-age needs at least 2 different values of age band to compare',
      ],
      [
        1,
        'scratchnet: one-row.csv: 1 row is too few to score listening-time-by-age; give at least 2',
      ],
    ]);
  });
});
