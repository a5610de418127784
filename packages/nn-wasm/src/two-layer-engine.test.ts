import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Matrix, Rng } from '@scratchnet/linalg';
import type * as Linalg from '@scratchnet/linalg';
import { Network, TrainingRun, accuracy, computeLoss, fit } from '@scratchnet/nn';
import type { FitOptions, TrainingEngine } from '@scratchnet/nn';
import { crossEntropyAndAccuracy, crossEntropyAt, targetNonzeros } from './scores.js';
import { twoLayerEngine } from './two-layer-engine.js';
import { kernelSupport } from './wasm.js';

// The reference's products without fused multiply-add (Node 22 validates relaxed SIMD, which
// matmul would use on large products): the float64 engine's contract is with those.
vi.mock('@scratchnet/linalg', async (importOriginal) => {
  const linalg = await importOriginal<typeof Linalg>();
  const matmul = ((a: Matrix, b: Matrix, options: Linalg.MatmulOptions = {}) =>
    linalg.matmul(a, b, {
      ...options,
      kernel: options.kernel ?? 'blocked',
    })) as typeof linalg.matmul;
  return { ...linalg, matmul };
});

const simd = kernelSupport().simd;

type Task = 'classification' | 'regression';

/**
 * Seeded rows: dense normal inputs, or one-hot ones (sparse); one-hot or real targets; when
 * `weighted`, row weights (some 0) and, for regression, a grouped rows' spread.
 */
function problem(task: Task, rows: number, seed: number, oneHot: boolean, weighted = false) {
  const rng = new Rng(seed);
  const x = Matrix.zeros(rows, 6);
  for (let i = 0; i < rows; i++) {
    if (oneHot) x.set(i, rng.int(6), 1);
    else for (let j = 0; j < 6; j++) x.set(i, j, rng.normal());
  }
  const y = Matrix.zeros(rows, task === 'classification' ? 4 : 2);
  for (let i = 0; i < rows; i++) {
    if (task === 'classification') y.set(i, (rng.int(4) + (oneHot ? i % 6 : 0)) % 4, 1);
    else for (let j = 0; j < 2; j++) y.set(i, j, x.get(i, j) - x.get(i, 3) + rng.normal() * 0.1);
  }
  if (!weighted) return { x, y };
  const weights = new Float64Array(rows).map(() => (rng.int(5) === 0 ? 0 : 4 * rng.uniform()));
  weights[0] = 1;
  if (task === 'classification') return { x, y, weights };
  const spread = Matrix.zeros(rows, y.cols);
  for (let i = 0; i < spread.data.length; i++) spread.data[i] = rng.int(2) * rng.uniform();
  return { x, y, weights, spread };
}

/** Trains a fresh network with `engine` and returns everything a run produced, as text. */
function trained(
  task: Task,
  oneHot: boolean,
  options: Partial<FitOptions>,
  engine?: TrainingEngine,
  hidden = 16,
  weighted = false,
) {
  const train = problem(task, 300, 1, oneHot, weighted);
  const network = Network.create({
    inputSize: 6,
    hidden: [hidden],
    outputSize: train.y.cols,
    task,
    seed: 3,
  });
  const history = fit(network, train, problem(task, 100, 2, oneHot, weighted), {
    epochs: 25,
    learningRate: 0.05,
    seed: 4,
    ...options,
    ...(engine === undefined ? {} : { engine }),
  });
  return { history, parameters: network.parameters() };
}

const configurations = fc.record({
  task: fc.constantFrom<Task>('classification', 'regression'),
  oneHot: fc.boolean(),
  batchSize: fc.constantFrom(undefined, 32, 64, 300),
  optimizer: fc.constantFrom('sgd' as const, 'momentum' as const, 'adam' as const),
  weightDecay: fc.constantFrom(0, 0.01),
  hidden: fc.integer({ min: 1, max: 20 }),
  weighted: fc.boolean(),
});

describe.skipIf(!simd)('the float64 two-layer engine', () => {
  it("trains to the reference engine's bits, weighted rows too: every epoch's losses and metric, and the weights (property)", () => {
    const engine = twoLayerEngine({ variant: 'simd' });
    fc.assert(
      fc.property(configurations, ({ task, oneHot, hidden, weighted, ...rest }) => {
        const options = {
          optimizer: rest.optimizer,
          weightDecay: rest.weightDecay,
          ...(rest.batchSize === undefined ? {} : { batchSize: rest.batchSize }),
        };
        const expected = trained(task, oneHot, options, undefined, hidden, weighted);
        const actual = trained(task, oneHot, options, engine, hidden, weighted);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 25 },
    );
  });

  it('allocates no typed arrays per epoch', () => {
    const cases = [
      [{}, 'classification', false],
      [{ batchSize: 64 }, 'classification', false],
      [{}, 'classification', true],
      [{ batchSize: 64 }, 'regression', true],
    ] as [Partial<FitOptions>, Task, boolean][];
    for (const [options, task, weighted] of cases) {
      for (const dtype of ['f64', 'f32'] as const) {
        const train = problem(task, 300, 1, true, weighted);
        const network = Network.create({
          inputSize: 6,
          outputSize: train.y.cols,
          task,
          seed: 3,
        });
        const run = new TrainingRun(network, train, problem(task, 100, 2, true, weighted), {
          epochs: 50,
          learningRate: 0.05,
          engine: twoLayerEngine({ dtype }),
          ...options,
        });
        run.step();
        const globals = globalThis as unknown as Record<string, unknown>;
        const names = ['Float64Array', 'Float32Array', 'Int32Array', 'ArrayBuffer'] as const;
        const originals = names.map((n) => globals[n]);
        let made = 0;
        names.forEach((n, i) => {
          globals[n] = new Proxy(originals[i] as new (...args: unknown[]) => object, {
            construct(target, args, newTarget) {
              made++;
              return Reflect.construct(target, args, newTarget === globals[n] ? target : newTarget);
            },
          });
        });
        try {
          for (let e = 0; e < 10; e++) run.step();
        } finally {
          names.forEach((n, i) => (globals[n] = originals[i]));
        }
        expect([dtype, options, weighted, made]).toEqual([dtype, options, weighted, 0]);
      }
    }
  });
});

describe.skipIf(!simd)('the float32 two-layer engine', () => {
  const close = (a: number, b: number, tolerance: number) =>
    Math.abs(a - b) <= tolerance * (Math.abs(b) + 1e-3);

  for (const [name, task, options, weighted = false] of [
    ['full batch, classification', 'classification', {}],
    ['mini-batches with a remainder, Adam', 'classification', { batchSize: 64, optimizer: 'adam' }],
    ['regression, weight decay', 'regression', { weightDecay: 0.01 }],
    ['weighted rows, full batch, classification', 'classification', {}, true],
    ['weighted rows with spread, mini-batches, regression', 'regression', { batchSize: 64 }, true],
  ] as [string, Task, Partial<FitOptions>, boolean?][]) {
    it(`${name}: tracks the reference to float32 rounding (losses within 1e-4, weights within 1e-4)`, () => {
      for (const oneHot of [false, true]) {
        const f64 = trained(task, oneHot, options, undefined, 16, weighted);
        const f32 = trained(task, oneHot, options, twoLayerEngine({ dtype: 'f32' }), 16, weighted);
        expect(f32.history.epochsRun).toBe(f64.history.epochsRun);
        f32.history.epochs.forEach((e, i) => {
          const d = f64.history.epochs[i]!;
          expect([i, close(e.trainLoss, d.trainLoss, 1e-4)]).toEqual([i, true]);
          expect([i, close(e.validationLoss, d.validationLoss, 1e-4)]).toEqual([i, true]);
          const metric = task === 'classification' ? 0.02 : 1e-3;
          expect([i, close(e.validationMetric, d.validationMetric, metric)]).toEqual([i, true]);
        });
        const w32 = f32.parameters.layers.flatMap((l) => [...l.weights.flat(), ...l.biases]);
        const w64 = f64.parameters.layers.flatMap((l) => [...l.weights.flat(), ...l.biases]);
        expect(w32.some((w, i) => w !== w64[i])).toBe(true);
        expect(w32.every((w, i) => Math.abs(w - w64[i]!) < 1e-4)).toBe(true);
      }
    });
  }

  it('gives the same bits for the same seed', () => {
    const engine = twoLayerEngine({ dtype: 'f32' });
    const a = trained('classification', true, { batchSize: 64 }, engine);
    const b = trained('classification', true, { batchSize: 64 }, engine);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('what the two-layer engine refuses', () => {
  it('names why, and fit throws ENGINE_UNSUPPORTED before any work', () => {
    const train = problem('classification', 30, 1, false);
    const make = (
      hidden: number[],
      hiddenActivation: 'relu' | 'tanh' = 'relu',
      outputActivation?: 'sigmoid',
    ) =>
      Network.create({
        inputSize: 6,
        hidden,
        hiddenActivation,
        outputSize: 4,
        task: 'classification',
        ...(outputActivation === undefined ? {} : { outputActivation }),
        seed: 1,
      });
    const shape = 'trains networks with one hidden ReLU layer under a softmax or identity output';
    for (const dtype of ['f64', 'f32'] as const) {
      const engine = twoLayerEngine({ dtype });
      for (const network of [make([8, 5]), make([8], 'tanh'), make([8], 'relu', 'sigmoid')]) {
        expect(engine.unsupported(network, train, train, 30)).toBe(shape);
        expect(() => fit(network, train, train, { epochs: 1, learningRate: 0.1, engine })).toThrow(
          expect.objectContaining({
            code: 'ENGINE_UNSUPPORTED',
            message: `the ${engine.name} engine ${shape}`,
          }),
        );
      }
      if (simd) expect(engine.unsupported(make([8]), train, train, 30)).toBeUndefined();
    }
    expect(() => twoLayerEngine({ dtype: 'f16' as 'f32' })).toThrow(
      "twoLayerEngine: dtype must be 'f64' or 'f32', not f16",
    );
  });

  it.skipIf(!simd)(
    'rows beyond its 2 GiB of WebAssembly memory, naming the limit and what to do',
    () => {
      // Matrices that claim 40 million rows (only their shapes and few values are read).
      const claim = (rows: number, cols: number) =>
        ({ rows, cols, data: new Float64Array(0) }) as unknown as Matrix;
      const huge = { x: claim(40_000_000, 6), y: claim(40_000_000, 4) };
      const small = problem('classification', 10, 1, false);
      const network = Network.create({
        inputSize: 6,
        outputSize: 4,
        task: 'classification',
        seed: 1,
      });
      const why = twoLayerEngine().unsupported(network, huge, small, 40_000_000);
      expect(why).toMatch(
        /^would need \d+ bytes of WebAssembly memory for these rows, over its 2147418112-byte limit \(train in smaller batches, or with the reference engine\)$/,
      );
    },
  );
});

describe('the float64 engine’s scores', () => {
  it("equal nn's computeLoss and accuracy bit for bit, NaN rows and soft targets included (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 1000 }),
        (rows, cols, seed) => {
          const rng = new Rng(seed);
          const a = Matrix.zeros(rows, cols);
          const y = Matrix.zeros(rows, cols);
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < cols; j++) {
              const kind = rng.int(20);
              a.set(i, j, kind === 0 ? NaN : kind === 1 ? 0 : kind === 2 ? 0.5 : rng.uniform());
            }
            if (rng.int(4) === 0) for (let j = 0; j < cols; j++) y.set(i, j, rng.int(3) / 4);
            else y.set(i, rng.int(cols), 1);
          }
          const out = { loss: NaN, accuracy: NaN };
          crossEntropyAndAccuracy(a, y, out);
          expect(Object.is(out.loss, computeLoss('cross-entropy', a, y))).toBe(true);
          expect(out.accuracy).toBe(accuracy(a, y));
          expect(
            Object.is(crossEntropyAt(a, targetNonzeros(y)), computeLoss('cross-entropy', a, y)),
          ).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
