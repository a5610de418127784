import { Matrix } from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { fit } from './fit.js';
import { MODEL_FORMAT, MODEL_VERSION, loadModel, saveModel } from './model-io.js';
import type { ModelJSON } from './model-io.js';
import { Network } from './network.js';

const bytes = (net: Network) =>
  net.layers.map((l) =>
    Buffer.concat([Buffer.from(l.weights.data.buffer), Buffer.from(l.biases.data.buffer)]).toString(
      'hex',
    ),
  );

function trained(): { net: Network; history: ReturnType<typeof fit> } {
  const net = Network.create({
    inputSize: 3,
    hidden: [5],
    outputSize: 2,
    task: 'classification',
    seed: 8,
  });
  const x = Matrix.fromArrays([
    [0.1, 0.2, 0.3],
    [1, -1, 0.5],
    [-0.7, 0.4, 2],
    [0.3, 0.3, -0.3],
  ]);
  const y = Matrix.fromArrays([
    [1, 0],
    [0, 1],
    [0, 1],
    [1, 0],
  ]);
  const history = fit(net, { x, y }, { x, y }, { epochs: 5, learningRate: 0.3 });
  return { net, history };
}

function modelError(json: unknown): ModelError {
  try {
    loadModel(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('saveModel / loadModel', () => {
  it('round-trips weights bit for bit through JSON text, with what the caller attached', () => {
    const { net, history } = trained();
    const training = { epochs: 5, learningRate: 0.3 };
    const preprocessing = {
      encoder: { categories: ['a', 'b'] },
      scaler: { mean: [1.5], std: [0.25] },
    };
    const json = saveModel(net, { training, preprocessing, history });
    expect(json).toMatchObject({
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      summary: '3 → 5 (relu) → 2 (softmax), 32 parameters',
    });
    const text = JSON.stringify(json);
    const loaded = loadModel(text);
    expect(bytes(loaded.network)).toEqual(bytes(net));
    expect(loaded.network.summary()).toBe(net.summary());
    expect(loaded.training).toEqual(training);
    expect(loaded.preprocessing).toEqual(preprocessing);
    expect(loaded.history).toEqual(JSON.parse(JSON.stringify(history)));
    // Parsed values load too.
    expect(bytes(loadModel(JSON.parse(text)).network)).toEqual(bytes(net));
  });

  it('leaves out what was not attached', () => {
    const { net } = trained();
    const json = saveModel(net);
    expect(Object.keys(json).sort()).toEqual(['format', 'network', 'summary', 'version']);
    expect(Object.keys(loadModel(json)).sort()).toEqual(['network']);
  });

  const valid = (): ModelJSON => JSON.parse(JSON.stringify(saveModel(trained().net)));

  it('rejects each kind of broken file with a code and a message naming what is wrong', () => {
    const cases: [unknown, string, RegExp][] = [
      ['{"format": ', 'NOT_A_MODEL', /not a model: the text is not JSON/],
      [[1, 2], 'NOT_A_MODEL', /not a model: expected an object, got an array/],
      [null, 'NOT_A_MODEL', /expected an object, got null/],
      [
        { ...valid(), format: 'keras' },
        'NOT_A_MODEL',
        /format is "keras", expected 'scratchnet-model'/,
      ],
      [{ ...valid(), format: undefined }, 'NOT_A_MODEL', /format is missing/],
      [
        { ...valid(), version: 2 },
        'UNSUPPORTED_VERSION',
        /model format version 2 is not supported; this package reads version 1/,
      ],
      [{ ...valid(), version: '1' }, 'UNSUPPORTED_VERSION', /version "1" is not supported/],
      [
        { ...valid(), network: undefined },
        'INVALID_FIELD',
        /^network: parameters must be an object/,
      ],
      [
        (() => {
          const m = valid();
          m.network.layers[1]!.weights.pop();
          return m;
        })(),
        'SHAPE_MISMATCH',
        /^network: layers\[1\]\.weights has 4 rows but layers\[0\] has 5 units/,
      ],
      [
        // What JSON.stringify makes of a NaN weight.
        JSON.stringify(valid()).replace(/("weights":\[\[)[^,\]]+/, '$1null'),
        'INVALID_FIELD',
        /^network: layers\[0\]\.weights\[0\]\[0\] must be a number, not null/,
      ],
      [
        (() => {
          const m = valid();
          m.network.layers[0]!.biases[3] = Infinity;
          return m;
        })(),
        'NON_FINITE_NUMBER',
        /^network: layers\[0\]\.biases\[3\] is Infinity/,
      ],
      [
        (() => {
          const m = valid();
          m.network.layers[1]!.activation = 'relu';
          return m;
        })(),
        'UNSUPPORTED_ARCHITECTURE',
        /^network: a classification network's output activation must be 'softmax' or 'sigmoid', not 'relu'/,
      ],
    ];
    expect(() => loadModel(valid())).not.toThrow();
    for (const [json, code, message] of cases) {
      const error = modelError(json);
      expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
    }
  });
});
