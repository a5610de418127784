import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from './test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });
type ModelJson = {
  version: number;
  network: { layers: { weights: number[][]; biases: number[] }[] };
  preprocessing: {
    question: { id: string };
    inputs: { categories: string[] }[];
    target: { categories?: string[] };
  };
  training: Record<string, unknown>;
};

beforeAll(async () => {
  folder = await scratchFolder();
  expect((await cli('generate', '--rows', '200', '--seed', '21', '--out', 'data.csv')).code).toBe(
    0,
  );
  const trained = await cli(
    'train',
    '--question',
    'genre-by-country',
    '--data',
    'data.csv',
    '--out',
    'good.json',
    '--epochs',
    '5',
  );
  expect(trained.code, trained.stderr).toBe(0);
  const timed = await cli(
    'train',
    '--question',
    'listening-time-by-age',
    '--data',
    'data.csv',
    '--out',
    'time.json',
    '--epochs',
    '5',
  );
  expect(timed.code, timed.stderr).toBe(0);
  const text = await readFile(join(folder.path, 'good.json'), 'utf8');
  const timeText = await readFile(join(folder.path, 'time.json'), 'utf8');
  const edit = async (name: string, change: (model: ModelJson) => void, from = text) => {
    const model = JSON.parse(from) as ModelJson;
    change(model);
    await writeFile(join(folder.path, name), JSON.stringify(model));
  };
  const editTime = (name: string, change: (model: ModelJson) => void) =>
    edit(name, change, timeText);
  const baselines = (model: ModelJson) =>
    model.training.baselines as { classCounts: number[]; majorityClass: number };
  await Promise.all([
    writeFile(join(folder.path, 'not-json.json'), 'this is not { json'),
    writeFile(join(folder.path, 'truncated.json'), text.slice(0, Math.floor(text.length / 2))),
    writeFile(join(folder.path, 'empty.json'), ''),
    // Reading a FIFO would wait for a writer for ever.
    new Promise<void>((done) => {
      execFile('mkfifo', [join(folder.path, 'pipe.json')], () => done());
    }),
    writeFile(join(folder.path, 'array.json'), '[1, 2, 3]'),
    edit('version.json', (model) => {
      model.version = 99;
    }),
    // A network of 9 inputs (one weight row removed) with encoders of 10 countries.
    edit('fewer-inputs.json', (model) => {
      model.network.layers[0]!.weights.pop();
    }),
    // Encoders that make 11 outputs for a network of 10.
    edit('more-classes.json', (model) => {
      model.preprocessing.target.categories!.push('Zydeco');
    }),
    edit('nan-weight.json', (model) => {
      (model.network.layers[1]!.weights[0] as unknown[])[0] = 'NaN';
    }),
    edit('no-encoders.json', (model) => {
      delete (model as Partial<ModelJson>).preprocessing;
    }),
    // The answer tables are chosen by the question's id: an id that does not match the encoders'
    // columns once read the wrong columns and failed with an internal error.
    edit('other-question.json', (model) => {
      model.preprocessing.question.id = 'listening-time-by-age';
    }),
    edit('unknown-question.json', (model) => {
      model.preprocessing.question.id = 'genre-by-age';
    }),
    // Written before --dtype existed: the hyper-parameters have no dtype.
    edit('no-dtype.json', (model) => {
      delete (model.training.hyperparameters as { dtype?: string }).dtype;
    }),
    edit('bad-dtype.json', (model) => {
      (model.training.hyperparameters as { dtype?: string }).dtype = 'f16';
    }),
    edit('bad-encoders.json', (model) => {
      model.preprocessing.inputs[0]!.categories = [];
    }),
    // 100,000 rows of one number beside 100,000 biases: allocating first asked for 10^10 numbers.
    edit('huge-layer.json', (model) => {
      model.network.layers[0]!.weights = Array.from({ length: 100_000 }, () => [0.1]);
      model.network.layers[0]!.biases = new Array<number>(100_000).fill(0);
    }),
    // Counts the baselines expand into one label per row: 4e9 took 15 GB and minutes.
    edit('counts-1e308.json', (model) => {
      baselines(model).classCounts[0] = 1e308;
    }),
    edit('counts-4e9.json', (model) => {
      baselines(model).classCounts[0] = 4e9;
    }),
    edit('counts-too-many.json', (model) => {
      baselines(model).classCounts[0]! += 1;
    }),
    edit('sigmoid.json', (model) => {
      (model.network.layers[1] as { activation?: string }).activation = 'sigmoid';
    }),
    edit('huge-weights.json', (model) => {
      for (const layer of model.network.layers) {
        layer.weights = layer.weights.map((row) => row.map(() => 1e308));
      }
    }),
    editTime('tiny-scale.json', (model) => {
      (model.preprocessing.inputs[0] as unknown as { scale: number[] }).scale = [5e-324];
    }),
    editTime('huge-scale.json', (model) => {
      (model.preprocessing.inputs[0] as unknown as { scale: number[] }).scale = [1e308];
    }),
  ]);
}, SPAWNING_HOOK_TIMEOUT);
afterAll(async () => {
  await folder.remove();
});

describe('loading a model file: one line naming the file, exit code 1', () => {
  const cases: [string, RegExp][] = [
    ['missing.json', /^scratchnet: missing\.json: no such model file$/],
    ['.', /^scratchnet: \.: is a folder, not a model file$/],
    ['empty.json', /empty\.json: the model file is empty/],
    ['pipe.json', /^scratchnet: pipe\.json: not a regular file, expected a model file$/],
    ['not-json.json', /not-json\.json: not a model file: the text is not valid JSON/],
    ['truncated.json', /truncated\.json: not a model file: the text is not valid JSON/],
    ['array.json', /array\.json: not a model/],
    ['version.json', /version\.json: model format version 99 is not supported/],
    [
      'fewer-inputs.json',
      /fewer-inputs\.json: the network takes 9 inputs but its encoders make 10/,
    ],
    [
      'more-classes.json',
      /more-classes\.json: the network has 10 outputs but its encoders expect 11/,
    ],
    ['nan-weight.json', /nan-weight\.json: network: .*number/],
    ['no-encoders.json', /no-encoders\.json: the model has no encoders/],
    ['bad-encoders.json', /bad-encoders\.json: encoders: .*categories/],
    [
      'bad-dtype.json',
      /^scratchnet: bad-dtype\.json: training\.hyperparameters\.dtype is "f16", expected "f64" or "f32"$/,
    ],
    [
      'other-question.json',
      /other-question\.json: the encoders are for classification: country \(one-hot\) → top_genre \(one-hot\) but question listening-time-by-age is classification: age \(standard\)/,
    ],
    [
      'huge-layer.json',
      /^scratchnet: huge-layer\.json: network: layers\[0\]\.weights\[0\] has 1 numbers but the layer has 100000 biases \(units\)$/,
    ],
    [
      'counts-1e308.json',
      /^scratchnet: counts-1e308\.json: training\.baselines\.classCounts\[0\] is 1e\+308, expected a whole number of rows from 0 to 10000000$/,
    ],
    [
      'counts-4e9.json',
      /^scratchnet: counts-4e9\.json: training\.baselines\.classCounts\[0\] is 4000000000, expected a whole number of rows from 0 to 10000000$/,
    ],
    [
      'counts-too-many.json',
      /^scratchnet: counts-too-many\.json: training\.baselines\.classCounts add up to 121 rows, expected 120 \(training\.split\.train\)$/,
    ],
    [
      'sigmoid.json',
      /^scratchnet: sigmoid\.json: the network's output activation is sigmoid, expected softmax: question genre-by-country picks one of 10 classes per row$/,
    ],
    [
      'huge-weights.json',
      /^scratchnet: huge-weights\.json: the output for --input 1 is NaN, not a finite number: the model's weights are out of range$/,
    ],
    [
      'unknown-question.json',
      /unknown-question\.json: the model answers question "genre-by-age", expected one of genre-by-country, /,
    ],
  ];
  it.concurrent.each(cases)('predict --model %s', async (file, message) => {
    const run = await cli('predict', '--model', file, '--input', 'country=Japan');
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it.concurrent.each([
    [
      'tiny-scale.json',
      /^scratchnet: tiny-scale\.json: encoders: pipeline\.inputs\[0\]\.scale\[0\] is 5e-324, expected a number from 4\.7e-8 to 47 \(the range of Age\)$/,
    ],
    [
      'huge-scale.json',
      /^scratchnet: huge-scale\.json: encoders: pipeline\.inputs\[0\]\.scale\[0\] is 1e\+308, expected a number from 4\.7e-8 to 47 \(the range of Age\)$/,
    ],
  ])('predict --model %s (a scaler outside its column)', async (file, message) => {
    const run = await cli('predict', '--model', file, '--input', 'age=30');
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('evaluate refuses counts it would expand, and weights that give NaN, in one line', async () => {
    const [counts, weights] = await Promise.all([
      cli('evaluate', '--model', 'counts-4e9.json', '--data', 'data.csv'),
      cli('evaluate', '--model', 'huge-weights.json', '--data', 'data.csv'),
    ]);
    expect(counts.code).toBe(1);
    expect(oneErrorLine(counts)).toMatch(/counts-4e9\.json: training\.baselines\.classCounts\[0\]/);
    expect(weights.code).toBe(1);
    expect(oneErrorLine(weights)).toMatch(
      /^scratchnet: huge-weights\.json: the output for row \d+ of data\.csv is NaN, not a finite number/,
    );
  });

  it('evaluate refuses a corrupt model the same way', async () => {
    const run = await cli('evaluate', '--model', 'fewer-inputs.json', '--data', 'data.csv');
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(/fewer-inputs\.json: the network takes 9 inputs/);
  });
});

describe('a model file saved before --dtype existed', () => {
  it('loads, and its network reads as trained in float64', async () => {
    const saved = JSON.parse(
      await readFile(join(folder.path, 'no-dtype.json'), 'utf8'),
    ) as ModelJson;
    expect(saved.training.hyperparameters).not.toHaveProperty('dtype');
    const [evaluated, predicted] = await Promise.all([
      cli('evaluate', '--model', 'no-dtype.json', '--data', 'data.csv', '--json'),
      cli('predict', '--model', 'no-dtype.json', '--input', 'country=Japan'),
    ]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const json = JSON.parse(evaluated.stdout) as {
      hyperparameters: Record<string, unknown>;
      model: { training: { hyperparameters: Record<string, unknown> } };
    };
    expect(json.hyperparameters).toMatchObject({ hidden: [16], epochs: 5, dtype: 'f64' });
    expect(json.model.training.hyperparameters.dtype).toBe('f64');
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stdout).toMatch(/^country,predicted_top_genre,/);
  });
});
