import { Matrix, Rng } from '@scratchnet/linalg';
import type * as Linalg from '@scratchnet/linalg';
import { describe, expect, it, vi } from 'vitest';
import { Network } from './network.js';
import { referenceEngine } from './engine.js';
import type { Dataset, TrainingEngine } from './engine.js';
import { fit } from './fit.js';
import { TrainingRun } from './training.js';
import type { FitOptions } from './training.js';

// Counting hook: every Matrix nn constructs goes through this subclass (nn imports Matrix from
// '@scratchnet/linalg'), and every typed array or ArrayBuffer anyone constructs while the hook is
// installed — including inside linalg, via `new Float64Array`, `.slice()`, `.subarray()`,
// `.map()`, `.filter()` or `Float64Array.from` — bumps a counter.
const counts = vi.hoisted(() => ({ matrices: 0, typedArrays: 0, on: false }));

vi.mock('@scratchnet/linalg', async (importOriginal) => {
  const linalg = await importOriginal<typeof Linalg>();
  class CountingMatrix extends linalg.Matrix {
    // linalg's own factories (`Matrix.zeros`) build base-class matrices: still matrices.
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof linalg.Matrix;
    }
    constructor(rows: number, cols: number, data?: Float64Array) {
      super(rows, cols, data);
      if (counts.on) counts.matrices++;
    }
  }
  return { ...linalg, Matrix: CountingMatrix };
});

const constructors = [
  'Float64Array',
  'Float32Array',
  'Int32Array',
  'Uint32Array',
  'Uint8Array',
  'ArrayBuffer',
] as const;
const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as Record<string, unknown>;
const methods = ['slice', 'subarray', 'map', 'filter'] as const;

/** Runs `f` with every allocation of a matrix, typed array or buffer counted. */
function counted(f: () => void): { matrices: number; typedArrays: number } {
  const globals = globalThis as unknown as Record<string, unknown>;
  const originals = constructors.map((name) => globals[name]);
  const originalMethods = methods.map((name) => typedArrayPrototype[name]);
  constructors.forEach((name, i) => {
    globals[name] = new Proxy(originals[i] as new (...args: unknown[]) => object, {
      construct(target, args, newTarget) {
        counts.typedArrays++;
        return Reflect.construct(target, args, newTarget === globals[name] ? target : newTarget);
      },
    });
  });
  methods.forEach((name, i) => {
    const original = originalMethods[i] as (...args: unknown[]) => unknown;
    typedArrayPrototype[name] = function (this: unknown, ...args: unknown[]) {
      counts.typedArrays++;
      return original.apply(this, args);
    };
  });
  counts.matrices = 0;
  counts.typedArrays = 0;
  counts.on = true;
  try {
    f();
  } finally {
    counts.on = false;
    constructors.forEach((name, i) => (globals[name] = originals[i]));
    methods.forEach((name, i) => (typedArrayPrototype[name] = originalMethods[i]));
  }
  return { matrices: counts.matrices, typedArrays: counts.typedArrays };
}

function problem(
  task: 'classification' | 'regression',
  rows: number,
  seed: number,
  weighted = false,
): Dataset {
  const rng = new Rng(seed);
  const x = Matrix.zeros(rows, 4);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const y = Matrix.zeros(rows, task === 'classification' ? 3 : 2);
  for (let i = 0; i < rows; i++) {
    if (task === 'classification') y.set(i, rng.int(3), 1);
    else for (let j = 0; j < 2; j++) y.set(i, j, x.get(i, j) - x.get(i, 3) + rng.normal() * 0.1);
  }
  if (!weighted) return { x, y };
  const weights = new Float64Array(rows).map(() => 0.5 + rng.uniform());
  if (task === 'classification') return { x, y, weights };
  const spread = Matrix.zeros(rows, y.cols);
  for (let i = 0; i < spread.data.length; i++) spread.data[i] = rng.uniform();
  return { x, y, weights, spread };
}

describe('the counting hook', () => {
  it('sees matrix and typed-array allocations, here and inside linalg', () => {
    const m = Matrix.zeros(2, 2);
    // (linalg's factories construct its own Matrix class, so they show up as typed arrays.)
    expect(counted(() => void Matrix.zeros(2, 2))).toEqual({ matrices: 0, typedArrays: 1 });
    expect(counted(() => void new Float64Array(3)).typedArrays).toBe(1);
    expect(counted(() => void m.row(0)).typedArrays).toBe(1);
    expect(counted(() => void m.clone()).typedArrays).toBeGreaterThanOrEqual(1);
    expect(counted(() => void Float64Array.from([1, 2])).typedArrays).toBe(1);
    expect(counted(() => void new Matrix(1, 2, new Float64Array(2)))).toEqual({
      matrices: 1,
      typedArrays: 1,
    });
    expect(counted(() => void new Rng(1).permutation(5)).typedArrays).toBeGreaterThanOrEqual(1);
    // And restores the real constructors afterwards.
    expect(new Float64Array(1).constructor).toBe(Float64Array);
  });
});

describe('TrainingRun allocates nothing per epoch', () => {
  const configs: [
    string,
    'classification' | 'regression',
    Partial<FitOptions>,
    number[],
    weighted?: boolean,
  ][] = [
    ['full batch, plain gradient descent (the original)', 'classification', {}, [8, 5]],
    [
      'mini-batches with a remainder, Adam',
      'classification',
      { batchSize: 16, optimizer: 'adam' },
      [8, 5],
    ],
    [
      'mini-batches, momentum, weight decay, regression',
      'regression',
      { batchSize: 10, optimizer: 'momentum', weightDecay: 0.01 },
      [8, 5],
    ],
    ['one hidden ReLU layer, regression', 'regression', {}, [8]],
    ['weighted rows, full batch', 'classification', {}, [8], true],
    [
      'weighted rows with their spread, mini-batches with a remainder',
      'regression',
      { batchSize: 16 },
      [8, 5],
      true,
    ],
  ];
  for (const [name, task, options, hidden, weighted] of configs) {
    it(name, () => {
      const train = problem(task, 50, 1, weighted);
      const validation = problem(task, 20, 2, weighted);
      const network = Network.create({
        inputSize: 4,
        hidden,
        outputSize: train.y.cols,
        task,
        seed: 3,
      });
      const run = new TrainingRun(network, train, validation, {
        epochs: 100,
        learningRate: 0.05,
        seed: 4,
        ...options,
      });
      const before = JSON.stringify(network.parameters());
      // Epoch records themselves are small plain objects handed to the caller; what must not be
      // made per epoch are matrices and typed arrays (activations, gradients, optimizer state,
      // gathered batches, the best-weights snapshot).
      // One epoch first: linalg's kernels may size their scratch buffers on first use. What must
      // not happen is an allocation in every epoch, which the next ten would show.
      run.step();
      const allocations = counted(() => {
        for (let e = 0; e < 10; e++) run.step();
      });
      expect(allocations).toEqual({ matrices: 0, typedArrays: 0 });
      expect(run.history.epochsRun).toBe(11);
      expect(JSON.stringify(network.parameters())).not.toBe(before);
    });
  }
});

describe('the engine of a run', () => {
  /** The reference engine, with its calls counted. */
  function counting(): TrainingEngine & { steps: number; validations: number } {
    const engine = {
      name: 'counting',
      steps: 0,
      validations: 0,
      unsupported: referenceEngine.unsupported,
      start(...args: Parameters<TrainingEngine['start']>) {
        const run = referenceEngine.start(...args);
        return {
          get gradients() {
            return run.gradients;
          },
          step(order: Int32Array | undefined, start: number, rows: number) {
            engine.steps++;
            return run.step(order, start, rows);
          },
          validate(out: Parameters<typeof run.validate>[0]) {
            engine.validations++;
            run.validate(out);
          },
        };
      },
    };
    return engine;
  }

  it('is the one fit is given: one step per batch and one validation per epoch', () => {
    const engine = counting();
    const network = Network.create({
      inputSize: 4,
      outputSize: 3,
      task: 'classification',
      seed: 1,
    });
    const history = fit(
      network,
      problem('classification', 50, 1),
      problem('classification', 20, 2),
      {
        epochs: 3,
        learningRate: 0.05,
        batchSize: 16,
        engine,
      },
    );
    expect(history.epochsRun).toBe(3);
    expect(engine.steps).toBe(3 * 4); // 16 + 16 + 16 + 2 rows
    expect(engine.validations).toBe(3);
  });

  it('gives the same bits as the default (the reference engine) when it computes the same', () => {
    const run = (engine?: TrainingEngine) => {
      const network = Network.create({ inputSize: 4, outputSize: 2, task: 'regression', seed: 2 });
      const history = fit(network, problem('regression', 40, 1), problem('regression', 20, 2), {
        epochs: 5,
        learningRate: 0.05,
        ...(engine === undefined ? {} : { engine }),
      });
      return JSON.stringify([history, network.parameters()]);
    };
    expect(run(counting())).toBe(run());
  });

  it('refuses what the engine cannot train, before any work, with ENGINE_UNSUPPORTED and why', () => {
    const engine: TrainingEngine = {
      ...referenceEngine,
      name: 'picky',
      unsupported: (network, train, _validation, batchSize) =>
        `cannot take ${network.layers.length} layers on ${train.x.rows} rows in batches of ${batchSize}`,
      start: () => {
        throw new Error('never started');
      },
    };
    const network = Network.create({
      inputSize: 4,
      outputSize: 3,
      task: 'classification',
      seed: 1,
    });
    const data = problem('classification', 30, 1);
    expect(() =>
      fit(network, data, data, { epochs: 1, learningRate: 0.1, batchSize: 8, engine }),
    ).toThrow(
      expect.objectContaining({
        name: 'TrainingError',
        code: 'ENGINE_UNSUPPORTED',
        message: 'the picky engine cannot take 2 layers on 30 rows in batches of 8',
      }),
    );
  });
});
