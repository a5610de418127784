/**
 * Hostile inputs through the built CLI: files and model files made to attack the terminal, and
 * files whose categories or shape would fail late or depend on the seed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
