import { Matrix, ShapeError } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError } from './errors.js';
import { Network } from './network.js';
import type { NetworkParameters } from './network.js';

const bytes = (net: Network) =>
  net.layers.flatMap((l) => [
    Buffer.from(l.weights.data.buffer).toString('hex'),
    Buffer.from(l.biases.data.buffer).toString('hex'),
  ]);

function thrown(f: () => unknown): ModelError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('Network.create', () => {
  it("defaults to the user's design: one hidden ReLU layer of 16, softmax output", () => {
    const net = Network.create({ inputSize: 10, outputSize: 10, task: 'classification', seed: 1 });
    expect(net.architecture()).toEqual([
      { units: 16, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ]);
    expect(net.loss).toBe('cross-entropy');
    expect(net.inputSize).toBe(10);
    expect(net.outputSize).toBe(10);
    // 10·16 + 16 weights and biases into the hidden layer, 16·10 + 10 into the output.
    expect(net.parameterCount()).toBe(346);
    expect(net.summary()).toBe('10 → 16 (relu) → 10 (softmax), 346 parameters');
    expect(net.layers[0]!.biases.data.every((b) => b === 0)).toBe(true);
  });

  it('builds regression and sigmoid networks, and deeper or shallower ones', () => {
    const reg = Network.create({
      inputSize: 4,
      hidden: [12],
      outputSize: 1,
      task: 'regression',
      seed: 1,
    });
    expect(reg.summary()).toBe('4 → 12 (relu) → 1 (identity), 73 parameters');
    expect(reg.loss).toBe('squared-error');
    const bin = Network.create({
      inputSize: 3,
      hidden: [5, 4],
      hiddenActivation: 'tanh',
      outputSize: 1,
      outputActivation: 'sigmoid',
      task: 'classification',
      seed: 1,
    });
    expect(bin.summary()).toBe('3 → 5 (tanh) → 4 (tanh) → 1 (sigmoid), 49 parameters');
    expect(bin.loss).toBe('binary-cross-entropy');
    const linear = Network.create({
      inputSize: 2,
      hidden: [],
      outputSize: 3,
      task: 'classification',
      seed: 1,
    });
    expect(linear.summary()).toBe('2 → 3 (softmax), 9 parameters');
  });

  it('draws the same weights, bit for bit, from the same seed, and different ones from another', () => {
    const make = (seed: number, initializer: 'original' | 'he' | 'glorot-uniform') =>
      Network.create({
        inputSize: 5,
        hidden: [7, 3],
        outputSize: 2,
        task: 'classification',
        seed,
        initializer,
      });
    for (const init of ['original', 'he', 'glorot-uniform'] as const) {
      expect(bytes(make(42, init))).toEqual(bytes(make(42, init)));
      expect(bytes(make(42, init))).not.toEqual(bytes(make(43, init)));
    }
  });

  it('scales the initial weights as each initializer says', () => {
    const fanIn = 400;
    const fanOut = 200;
    const weights = (initializer: 'original' | 'he' | 'glorot-uniform') =>
      Network.create({
        inputSize: fanIn,
        hidden: [],
        outputSize: fanOut,
        task: 'regression',
        seed: 3,
        initializer,
      }).layers[0]!.weights.data;
    const std = (d: Float64Array) => Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    // 80,000 draws: the sample standard deviation is within ~0.3% of the true one.
    expect(std(weights('original'))).toBeCloseTo(1 / Math.sqrt(fanIn), 3);
    expect(std(weights('he'))).toBeCloseTo(Math.sqrt(2 / fanIn), 3);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const glorot = weights('glorot-uniform');
    expect(Math.max(...glorot.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...glorot.map(Math.abs))).toBeGreaterThan(0.99 * limit);
    expect(std(glorot)).toBeCloseTo(limit / Math.sqrt(3), 3);
  });

  it('rejects what it cannot build, saying what is wrong', () => {
    const base = { inputSize: 3, outputSize: 2, task: 'classification' as const, seed: 1 };
    const cases: [object, RegExp][] = [
      [{ inputSize: 0 }, /inputSize must be a positive integer, not 0/],
      [{ outputSize: 1.5 }, /outputSize must be a positive integer, not 1.5/],
      [{ hidden: [4, -1] }, /hidden\[1\] must be a positive integer, not -1/],
      [{ hiddenActivation: 'softmax' }, /'softmax' cannot be a hidden activation/],
      [{ hiddenActivation: 'gelu' }, /hiddenActivation must be one of/],
      [{ outputSize: 1 }, /softmax needs at least 2 outputs; use outputActivation 'sigmoid'/],
      [{ task: 'ranking' }, /task must be 'classification' or 'regression'/],
      [
        { task: 'regression', outputActivation: 'sigmoid' },
        /regression network's output is linear/,
      ],
      [{ initializer: 'xavier' }, /initializer must be one of original, he, glorot-uniform/],
      [{ seed: NaN }, /seed must be a finite number/],
    ];
    for (const [change, message] of cases) {
      const error = thrown(() => Network.create({ ...base, ...change }));
      expect(error.code).toBe('UNSUPPORTED_ARCHITECTURE');
      expect(error.message).toMatch(message);
    }
  });
});

describe('Network.fromParameters / parameters', () => {
  it('round-trips every weight exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer(),
        (inputSize, hidden, outputSize, seed) => {
          const net = Network.create({
            inputSize,
            hidden,
            outputSize,
            task: 'classification',
            seed,
          });
          const copy = Network.fromParameters(JSON.parse(JSON.stringify(net.parameters())));
          expect(bytes(copy)).toEqual(bytes(net));
          expect(copy.summary()).toBe(net.summary());
        },
      ),
      { numRuns: 50 },
    );
  });

  it('gives plain arrays, fan_in × units', () => {
    const net = Network.create({
      inputSize: 3,
      hidden: [2],
      outputSize: 1,
      task: 'regression',
      seed: 1,
    });
    const p = net.parameters();
    expect(p.task).toBe('regression');
    expect(p.layers.map((l) => [l.weights.length, l.weights[0]!.length, l.biases.length])).toEqual([
      [3, 2, 2],
      [2, 1, 1],
    ]);
    expect(p.layers[0]!.weights[2]![1]).toBe(net.layers[0]!.weights.get(2, 1));
  });

  const valid = (): NetworkParameters => ({
    task: 'classification',
    layers: [
      {
        activation: 'relu',
        weights: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        biases: [0, 0],
      },
      {
        activation: 'softmax',
        weights: [
          [1, 0],
          [0, 1],
        ],
        biases: [0, 0],
      },
    ],
  });

  it('names what is wrong', () => {
    const cases: [(p: NetworkParameters) => unknown, string, RegExp][] = [
      [() => null, 'INVALID_FIELD', /parameters must be an object/],
      [(p) => ({ ...p, task: 'other' }), 'INVALID_FIELD', /task must be/],
      [(p) => ({ ...p, layers: [] }), 'INVALID_FIELD', /layers must be a non-empty array/],
      [
        (p) => ((p.layers[1]!.activation = 'swish' as 'relu'), p),
        'UNSUPPORTED_ARCHITECTURE',
        /layers\[1\]\.activation must be one of/,
      ],
      [
        (p) => ((p.layers[0]!.activation = 'softmax'), p),
        'UNSUPPORTED_ARCHITECTURE',
        /layers\[0\]: 'softmax' cannot be a hidden activation/,
      ],
      [
        (p) => ((p.layers[1]!.activation = 'identity'), p),
        'UNSUPPORTED_ARCHITECTURE',
        /classification network's output activation must be 'softmax' or 'sigmoid', not 'identity'/,
      ],
      [
        (p) => ({ ...p, task: 'regression' }),
        'UNSUPPORTED_ARCHITECTURE',
        /regression network's output activation must be 'identity', not 'softmax'/,
      ],
      [
        (p) => (p.layers[1]!.weights.push([1, 1]), p),
        'SHAPE_MISMATCH',
        /layers\[1\]\.weights has 3 rows but layers\[0\] has 2 units/,
      ],
      [
        (p) => (p.layers[0]!.weights[1]!.push(7), p),
        'SHAPE_MISMATCH',
        /layers\[0\]\.weights\[1\] has 3 numbers but the layer has 2 biases/,
      ],
      [
        (p) => ((p.layers[0]!.weights[2]![1] = NaN), p),
        'NON_FINITE_NUMBER',
        /layers\[0\]\.weights\[2\]\[1\] is NaN/,
      ],
      [
        (p) => ((p.layers[1]!.biases[0] = Infinity), p),
        'NON_FINITE_NUMBER',
        /layers\[1\]\.biases\[0\] is Infinity/,
      ],
      [
        (p) => ((p.layers[1]!.biases[0] = '1' as unknown as number), p),
        'INVALID_FIELD',
        /layers\[1\]\.biases\[0\] must be a number, not "1"/,
      ],
      [
        // A hole (sparse array) is missing, not 0: forEach would have skipped it silently.
        (p) => (delete p.layers[0]!.weights[1]![0], p),
        'INVALID_FIELD',
        /layers\[0\]\.weights\[1\]\[0\] must be a number, not missing/,
      ],
      [
        (p) => (delete p.layers[1]!.biases[1], p),
        'INVALID_FIELD',
        /layers\[1\]\.biases\[1\] must be a number, not missing/,
      ],
      [(p) => (delete p.layers[1], p), 'INVALID_FIELD', /layers\[1\] must be an object/],
      [
        (p) => ((p.layers[0]!.weights = {} as number[][]), p),
        'INVALID_FIELD',
        /layers\[0\]\.weights must be a non-empty array of rows/,
      ],
    ];
    expect(() => Network.fromParameters(valid())).not.toThrow();
    for (const [mutate, code, message] of cases) {
      const error = thrown(() => Network.fromParameters(mutate(valid()) as NetworkParameters));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    }
  });

  it('checks the shape of a crafted layer before allocating its matrix', () => {
    // 100,000 rows of one number beside 100,000 biases: allocating first asked for 10^10 numbers
    // ("Invalid typed array length") instead of naming the row that does not fit.
    const units = 100_000;
    const error = thrown(() =>
      Network.fromParameters({
        task: 'classification',
        layers: [
          {
            activation: 'relu',
            weights: Array.from({ length: units }, () => [0.1]),
            biases: new Array<number>(units).fill(0),
          },
          { activation: 'softmax', weights: [[1, 1]], biases: [0, 0] },
        ],
      }),
    );
    expect(error.code).toBe('SHAPE_MISMATCH');
    expect(error.message).toBe(
      'layers[0].weights[0] has 1 numbers but the layer has 100000 biases (units)',
    );
  });
});

describe('predictions', () => {
  const x = Matrix.fromArrays([
    [0.5, -1, 2],
    [1, 1, 1],
    [-3, 0, 0.25],
  ]);

  it('predictProba gives rows of probabilities and predictClasses their argmax', () => {
    const net = Network.create({ inputSize: 3, outputSize: 4, task: 'classification', seed: 5 });
    const p = net.predictProba(x);
    expect([p.rows, p.cols]).toEqual([3, 4]);
    for (let i = 0; i < 3; i++) {
      const row = Array.from(p.data.slice(i * 4, i * 4 + 4));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      expect(net.predictClasses(x)[i]).toBe(row.indexOf(Math.max(...row)));
    }
    expect(net.predict(x).data).toEqual(p.data);
  });

  it('predictClasses thresholds a single sigmoid output at 0.5', () => {
    const net = Network.fromParameters({
      task: 'classification',
      layers: [{ activation: 'sigmoid', weights: [[1], [0], [0]], biases: [0] }],
    });
    // z = x[0]: 0.5 → σ > 0.5, 1 → σ > 0.5, −3 → σ < 0.5
    expect(Array.from(net.predictClasses(x))).toEqual([1, 1, 0]);
  });

  it('regression predicts values and has no class probabilities', () => {
    const net = Network.create({ inputSize: 3, outputSize: 2, task: 'regression', seed: 5 });
    expect([net.predict(x).rows, net.predict(x).cols]).toEqual([3, 2]);
    expect(thrown(() => net.predictProba(x)).message).toMatch(/needs a classification network/);
  });

  it('rejects inputs of the wrong width', () => {
    const net = Network.create({ inputSize: 2, outputSize: 2, task: 'regression', seed: 5 });
    expect(() => net.predict(x)).toThrow(ShapeError);
    expect(() => net.predict(x)).toThrow('x has 3 columns but the network takes 2 inputs');
  });

  it('clone copies the weights and shares nothing', () => {
    const net = Network.create({ inputSize: 3, outputSize: 2, task: 'regression', seed: 5 });
    const copy = net.clone();
    expect(bytes(copy)).toEqual(bytes(net));
    copy.layers[0]!.weights.data[0] = 99;
    expect(net.layers[0]!.weights.data[0]).not.toBe(99);
  });
});
