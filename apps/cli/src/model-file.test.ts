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
  const text = await readFile(join(folder.path, 'good.json'), 'utf8');
  const edit = async (name: string, change: (model: ModelJson) => void) => {
    const model = JSON.parse(text) as ModelJson;
    change(model);
    await writeFile(join(folder.path, name), JSON.stringify(model));
  };
  await Promise.all([
    writeFile(join(folder.path, 'not-json.json'), 'this is not { json'),
    writeFile(join(folder.path, 'truncated.json'), text.slice(0, Math.floor(text.length / 2))),
    writeFile(join(folder.path, 'empty.json'), ''),
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
