import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from '../test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });
const fast = ['--epochs', '20'];
const HEADER =
  'User_ID,Age,Country,Streaming Platform,Top Genre,Minutes Streamed Per Day,Number of Songs Liked,Most Played Artist,Subscription Type,Listening Time (Morning/Afternoon/Night),Discover Weekly Engagement (%),Repeat Song Rate (%)';

beforeAll(async () => {
  folder = await scratchFolder();
  const made = await cli('generate', '--rows', '300', '--seed', '11', '--out', 'data.csv');
  expect(made.code, made.stderr).toBe(0);
  const lines = (await readFile(join(folder.path, 'data.csv'), 'utf8')).split('\n');
  const files: Record<string, string> = {
    'empty.csv': '',
    'header-only.csv': `${HEADER}\n`,
    'bad-header.csv': 'name,colour\nAda,blue\n',
    'ragged.csv': [
      lines[0],
      lines[1],
      lines[2]!.split(',').slice(0, 5).join(','),
      ...lines.slice(3),
    ].join('\n'),
    'bad-number.csv': [
      lines[0],
      lines[1],
      lines[2]!.replace(/^(U\d+),\d+,/, '$1,abc,'),
      ...lines.slice(3),
    ].join('\n'),
    'binary.csv': '\u0000\u0001\u0002garbage\u0000',
  };
  await Promise.all(
    Object.entries(files).map(([name, text]) => writeFile(join(folder.path, name), text)),
  );
  await mkdir(join(folder.path, 'a-folder.csv'));
}, SPAWNING_HOOK_TIMEOUT);
afterAll(async () => {
  await folder.remove();
});

describe('scratchnet train', () => {
  it('trains, saves the model with its encoders and options, and writes the report', async () => {
    const run = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'model.json',
      '--report',
      'train.html',
      ...fast,
      '--hidden',
      '8',
      '--lr',
      '0.1',
      '--seed',
      '3',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Data: data\.csv \(300 rows\)\./);
    expect(run.stdout).toMatch(/Network 10 → 8 → 10/);
    expect(run.stdout).toMatch(/, seed 3\.\n/);
    expect(run.stdout).not.toContain('float32');
    expect(run.stderr).toBe('Saved the model to model.json and the report to train.html.\n');
    const model = JSON.parse(await readFile(join(folder.path, 'model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(model).toMatchObject({
      format: 'scratchnet-model',
      training: {
        question: 'genre-by-country',
        hyperparameters: {
          hidden: [8],
          learningRate: 0.1,
          epochs: 20,
          patience: 200,
          optimizer: 'sgd',
          batchSize: 'full',
          seed: 3,
          dtype: 'f64',
        },
        split: { train: 180, validation: 60, test: 60 },
        baselines: { task: 'classification' },
      },
      preprocessing: { format: 'scratchnet.question-pipeline' },
    });
    expect(model.history).toHaveLength((model.training as { epochs: number }).epochs);
    const html = await readFile(join(folder.path, 'train.html'), 'utf8');
    // Loss, accuracy, the confusion matrix and the country × genre shares.
    expect(html.match(/<svg /g)).toHaveLength(4);
  });

  it('--quiet keeps stderr empty and --json prints one document', async () => {
    const run = await cli(
      'train',
      '--question',
      'minutes-by-country-platform',
      '--data',
      'data.csv',
      '--out',
      'quiet.json',
      '--json',
      '--quiet',
      ...fast,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout) as { model: string; id: string; test: { r2: number } };
    expect(summary.model).toBe('quiet.json');
    expect(summary.id).toBe('minutes-by-country-platform');
    expect(typeof summary.test.r2).toBe('number');
  });

  it('other optimizers and mini-batches run', async () => {
    const run = await cli(
      'train',
      '--question',
      'listening-time-by-age',
      '--data',
      'data.csv',
      '--out',
      'adam.json',
      '--optimizer',
      'adam',
      '--batch-size',
      '32',
      '--lr',
      '0.01',
      ...fast,
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { hyperparameters: object }).hyperparameters).toMatchObject({
      optimizer: 'adam',
      batchSize: 32,
    });
  });
});

describe('scratchnet train --dtype f32', () => {
  const genre = ['train', '--question', 'genre-by-country', '--data', 'data.csv', ...fast];
  type Summary = {
    hyperparameters: { dtype: string };
    split: object;
    training: { epochs: number; bestEpoch: number };
    test: { accuracy: number; loss: number };
  };

  it('trains in float32, records it in the model file, and evaluate reads it back', async () => {
    const [single, double] = await Promise.all([
      cli(...genre, '--out', 'f32.json', '--dtype', 'f32', '--json'),
      cli(...genre, '--out', 'f64.json', '--json'),
    ]);
    expect(single.code, single.stderr).toBe(0);
    expect(double.code, double.stderr).toBe(0);
    const [f32, f64] = [single, double].map((run) => JSON.parse(run.stdout) as Summary);
    expect(f32!.hyperparameters.dtype).toBe('f32');
    expect(f64!.hyperparameters.dtype).toBe('f64');
    // The same network, split and epochs; float32 changes the last digits, not the result.
    expect(f32!.split).toEqual(f64!.split);
    expect(f32!.training.epochs).toBe(f64!.training.epochs);
    expect(Math.abs(f32!.test.loss - f64!.test.loss)).toBeLessThan(1e-3);
    expect(f32!.test.loss).not.toBe(f64!.test.loss);
    const model = JSON.parse(await readFile(join(folder.path, 'f32.json'), 'utf8')) as {
      training: { hyperparameters: { dtype: string } };
    };
    expect(model.training.hyperparameters.dtype).toBe('f32');

    const [text, json] = await Promise.all([
      cli('evaluate', '--model', 'f32.json', '--data', 'data.csv'),
      cli('evaluate', '--model', 'f32.json', '--data', 'data.csv', '--json'),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /Gradient descent, learning rate 0\.05, full batch, seed 42, trained in float32\.\n/,
    );
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as Summary).hyperparameters.dtype).toBe('f32');
  });

  it('with two hidden layers: one usage line naming both flags (exit 2), before training, nothing written', async () => {
    const before = (await readdir(folder.path)).sort();
    const run = await cli(
      ...genre,
      '--out',
      'two-layers.json',
      '--report',
      'two-layers.html',
      '--dtype',
      'f32',
      '--hidden',
      '16,8',
    );
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toBe(
      'scratchnet: --dtype f32 trains networks with one hidden layer, but --hidden 16,8 gives 2; give one size (e.g. --hidden 16) or use --dtype f64',
    );
    expect(run.stdout).toBe('');
    expect((await readdir(folder.path)).sort()).toEqual(before);
  });

  it('on an engine without WebAssembly SIMD: one usage line (exit 2) from the run, nothing written', async () => {
    // The engine is made to validate no WebAssembly module at all, as one without SIMD would.
    const preload = join(folder.path, 'no-simd.mjs');
    await writeFile(preload, 'WebAssembly.validate = () => false;\n');
    const before = (await readdir(folder.path)).sort();
    const run = await runCli([...genre, '--out', 'no-simd.json', '--dtype', 'f32'], {
      cwd: folder.path,
      env: { NODE_OPTIONS: `--import ${preload}` },
    });
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toBe(
      'scratchnet: --dtype f32: the float32 engine needs WebAssembly SIMD, which this JavaScript engine lacks; use --dtype f64',
    );
    expect((await readdir(folder.path)).sort()).toEqual(before);
  });
});

describe('bad data: one line on stderr naming the file, exit code 1, nothing written', () => {
  // The reader checks the columns the question reads: age is read by listening-time-by-age.
  const cases: [string, RegExp][] = [
    ['missing.csv', /missing\.csv/],
    ['a-folder.csv', /a-folder\.csv/],
    ['empty.csv', /empty\.csv/],
    ['header-only.csv', /header-only\.csv/],
    ['bad-header.csv', /bad-header\.csv.*(age|Age|listening|Listening)/],
    ['ragged.csv', /ragged\.csv:3\b/],
    ['bad-number.csv', /bad-number\.csv:3:2\b/],
    ['binary.csv', /binary\.csv/],
  ];
  it.concurrent.each(cases)('%s', async (file, message) => {
    const out = `out-${file}.json`;
    const report = `out-${file}.html`;
    const run = await cli(
      'train',
      '--question',
      'listening-time-by-age',
      '--data',
      file,
      '--out',
      out,
      '--report',
      report,
      ...fast,
    );
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(message);
    const left = await readdir(folder.path);
    expect(left).not.toContain(out);
    expect(left).not.toContain(report);
  });

  it('explains a file too small for the split', async () => {
    const lines = (await readFile(join(folder.path, 'data.csv'), 'utf8')).split('\n');
    await writeFile(join(folder.path, 'five.csv'), lines.slice(0, 6).join('\n'));
    await writeFile(join(folder.path, 'thirty.csv'), lines.slice(0, 31).join('\n'));
    const five = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'five.csv',
      '--out',
      'five.json',
    );
    expect(five.code).toBe(1);
    expect(oneErrorLine(five)).toBe(
      'scratchnet: five.csv: 5 rows are too few to split 60/20/20 and train; give at least 10',
    );
    const thirty = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'thirty.csv',
      '--out',
      'thirty.json',
    );
    expect(thirty.code).toBe(1);
    // 30 rows of 10 countries and 10 genres: some hold fewer than 5 rows, whatever the seed.
    expect(oneErrorLine(thirty)).toMatch(
      /^scratchnet: thirty\.csv:\d+: (Country|Top Genre) "[^"]+" is in [1-4] rows? only.*, expected at least 5 rows of each category/,
    );
  });

  it('prints the stack trace with --debug', async () => {
    const run = await cli(
      'train',
      '--question',
      'listening-time-by-age',
      '--data',
      'bad-number.csv',
      '--out',
      'x.json',
      '--debug',
    );
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/^scratchnet: bad-number\.csv:3:2/);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('a run whose training fails leaves no output file and no temporary file', async () => {
    const before = await readdir(folder.path);
    const run = await cli(
      'train',
      '--question',
      'minutes-by-country-platform',
      '--data',
      'data.csv',
      '--out',
      'diverged.json',
      '--report',
      'diverged.html',
      '--lr',
      '1e200',
      ...fast,
    );
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(
      /loss became Infinity at epoch 1; try a smaller learning rate/,
    );
    expect((await readdir(folder.path)).sort()).toEqual(before.sort());
  });
});

describe('outputs are never overwritten without --force', () => {
  it('refuses an existing --out before training (exit 2), keeps it, and replaces it with --force', async () => {
    await writeFile(join(folder.path, 'taken.json'), 'keep me');
    const refused = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'taken.json',
      ...fast,
    );
    expect(refused.code).toBe(2);
    expect(oneErrorLine(refused)).toBe(
      'scratchnet: taken.json: already exists (--out); use --force to replace it',
    );
    expect(await readFile(join(folder.path, 'taken.json'), 'utf8')).toBe('keep me');

    const forced = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'taken.json',
      '--force',
      ...fast,
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(folder.path, 'taken.json'), 'utf8'))).toMatchObject({
      format: 'scratchnet-model',
    });
  });

  it('refuses an existing --report too, and writes neither file', async () => {
    await writeFile(join(folder.path, 'taken.html'), 'keep me');
    const run = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'fresh.json',
      '--report',
      'taken.html',
      ...fast,
    );
    expect(run.code).toBe(2);
    expect(await readdir(folder.path)).not.toContain('fresh.json');
    expect(await readFile(join(folder.path, 'taken.html'), 'utf8')).toBe('keep me');
  });

  it('refuses an output in a folder that does not exist (exit 1)', async () => {
    const run = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'no/such/model.json',
      ...fast,
    );
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(
      /no\/such\/model\.json: cannot write --out: folder no\/such does not exist/,
    );
  });

  it('refuses, before training, an output folder that takes no files, naming --out', async () => {
    // /proc takes no new files, for root too. A million epochs would not end within the test.
    const run = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      '/proc/scratchnet-model.json',
      '--epochs',
      '1000000',
      '--patience',
      '1000000',
    );
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe(
      'scratchnet: /proc/scratchnet-model.json: cannot write --out: no such file or folder (ENOENT)',
    );
    expect(run.stdout).toBe('');
  });

  it('refuses a FIFO or a symlink to /dev/null as --out, with --force, and leaves them be', async () => {
    const pipe = join(folder.path, 'pipe.json');
    execFileSync('mkfifo', [pipe]);
    await symlink('/dev/null', join(folder.path, 'null.json'));
    for (const [out, kind] of [
      ['pipe.json', 'a FIFO (named pipe)'],
      ['null.json', 'a symbolic link to a character device'],
    ] as const) {
      const run = await cli(
        'train',
        '--question',
        'genre-by-country',
        '--data',
        'data.csv',
        '--out',
        out,
        '--force',
        ...fast,
      );
      expect(run.code).toBe(1);
      expect(oneErrorLine(run)).toBe(
        `scratchnet: ${out}: cannot write --out: it is ${kind}; give the name of a regular file or of a new one`,
      );
    }
    expect((await lstat(pipe)).isFIFO()).toBe(true);
    expect((await lstat(join(folder.path, 'null.json'))).isSymbolicLink()).toBe(true);
  });

  it('saves under a legal 245-character name and refuses p2.json/ without writing p2.json', async () => {
    const long = `${'m'.repeat(240)}.json`;
    const saved = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      long,
      ...fast,
    );
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(folder.path, long), 'utf8')).format).toBe(
      'scratchnet-model',
    );
    const slash = await cli(
      'train',
      '--question',
      'genre-by-country',
      '--data',
      'data.csv',
      '--out',
      'p2.json/',
      ...fast,
    );
    expect(slash.code).toBe(1);
    expect(oneErrorLine(slash)).toBe(
      "scratchnet: p2.json/: cannot write --out: the name ends in '/', so it names a folder, not a file",
    );
    expect(await readdir(folder.path)).not.toContain('p2.json');
  });
});
