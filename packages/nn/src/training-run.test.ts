import { Matrix, Rng } from '@scratchnet/linalg';
import type * as Linalg from '@scratchnet/linalg';
import { describe, expect, it, vi } from 'vitest';
import { Network } from './network.js';
import { TrainingRun, trainingMemory } from './training-run.js';
import type { FitOptions } from './training-run.js';

// Counting hook: every Matrix nn constructs goes through this subclass (nn imports Matrix from
// '@scratchnet/linalg'), and every typed array or ArrayBuffer anyone constructs while the hook is
// installed — including inside linalg, via `new Float64Array`, `.slice()`, `.subarray()`,
// `.map()`, `.filter()` or `Float64Array.from` — bumps a counter.
const counts = vi.hoisted(() => ({ matrices: 0, typedArrays: 0, on: false, noSimd: false }));

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
  // `noSimd` makes training see an engine without WebAssembly SIMD (its feature check).
  const wasmSupport = () =>
    counts.noSimd ? { simd: false, relaxedSimd: false, sharedMemory: false } : linalg.wasmSupport();
  return { ...linalg, Matrix: CountingMatrix, wasmSupport };
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

function problem(task: 'classification' | 'regression', rows: number, seed: number) {
  const rng = new Rng(seed);
  const x = Matrix.zeros(rows, 4);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const y = Matrix.zeros(rows, task === 'classification' ? 3 : 2);
  for (let i = 0; i < rows; i++) {
    if (task === 'classification') y.set(i, rng.int(3), 1);
    else for (let j = 0; j < 2; j++) y.set(i, j, x.get(i, j) - x.get(i, 3) + rng.normal() * 0.1);
  }
  return { x, y };
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
  const configs: [string, 'classification' | 'regression', Partial<FitOptions>, number[]][] = [
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
    ['one hidden ReLU layer (the fused pass)', 'classification', {}, [8]],
    [
      'float32, mini-batches with a remainder',
      'classification',
      { dtype: 'f32', batchSize: 16 },
      [8],
    ],
    ['float32 regression, weight decay', 'regression', { dtype: 'f32', weightDecay: 0.01 }, [8]],
  ];
  for (const [name, task, options, hidden] of configs) {
    it(name, () => {
      const train = problem(task, 50, 1);
      const validation = problem(task, 20, 2);
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

describe('training buffers in WebAssembly memory', () => {
  const configs: [string, 'classification' | 'regression', Partial<FitOptions>, boolean][] = [
    ['full batch', 'classification', {}, false],
    ['full batch, one-hot inputs (sparse first layer)', 'classification', {}, true],
    [
      'mini-batches with a remainder, Adam, one-hot inputs',
      'classification',
      { batchSize: 16, optimizer: 'adam' },
      true,
    ],
    ['regression, weight decay', 'regression', { weightDecay: 0.01 }, false],
  ];
  /** Replaces x by one-hot rows (one 1 in 4 columns, seeded): mostly zeros. */
  const oneHot = (x: Matrix, seed: number) => {
    const rng = new Rng(seed);
    x.data.fill(0);
    for (let i = 0; i < x.rows; i++) x.set(i, rng.int(x.cols), 1);
  };
  for (const [name, task, options, sparse] of configs) {
    it(`${name}: the same bits with and without the arena (zero-copy products change nothing)`, () => {
      const histories: string[] = [];
      const weights: string[] = [];
      for (const useArena of [true, false]) {
        trainingMemory.useArena = useArena;
        try {
          // 300 rows × 16 units: products big enough for the WebAssembly kernels under 'auto'.
          const train = problem(task, 300, 1);
          const validation = problem(task, 100, 2);
          if (sparse) {
            oneHot(train.x, 5);
            oneHot(validation.x, 6);
          }
          const network = Network.create({
            inputSize: 4,
            hidden: [16],
            outputSize: train.y.cols,
            task,
            seed: 3,
          });
          const run = new TrainingRun(network, train, validation, {
            epochs: 20,
            learningRate: 0.05,
            seed: 4,
            ...options,
          });
          while (!run.done) run.step();
          histories.push(JSON.stringify(run.finish()));
          weights.push(JSON.stringify(network.parameters()));
        } finally {
          trainingMemory.useArena = true;
        }
      }
      expect(histories[0]).toBe(histories[1]);
      expect(weights[0]).toBe(weights[1]);
    });
  }

  it('one hidden ReLU layer under softmax or identity: an epoch is one fused pass each way', async () => {
    const { TwoLayerPass } = await import('@scratchnet/linalg');
    const gradients = vi.spyOn(TwoLayerPass.prototype, 'gradients');
    const forward = vi.spyOn(TwoLayerPass.prototype, 'forward');
    try {
      for (const [task, hiddenActivation] of [
        ['classification', 'relu'],
        ['regression', 'relu'],
        ['classification', 'tanh'],
      ] as const) {
        const train = problem(task, 300, 1);
        const network = Network.create({
          inputSize: 4,
          hidden: [16],
          hiddenActivation,
          outputSize: train.y.cols,
          task,
          seed: 3,
        });
        const run = new TrainingRun(network, train, problem(task, 100, 2), {
          epochs: 3,
          learningRate: 0.05,
        });
        while (!run.done) run.step();
      }
      // Three epochs of each ReLU network; none of the tanh one (the separate steps).
      expect(gradients.mock.results.map((r) => r.value)).toEqual(Array(6).fill(true));
      expect(forward.mock.results.map((r) => r.value)).toEqual(Array(6).fill(true));
    } finally {
      gradients.mockRestore();
      forward.mockRestore();
    }
  });

  it('without WebAssembly SIMD: no arena, ordinary arrays, and the same bits', () => {
    const results: string[] = [];
    for (const noSimd of [false, true]) {
      counts.noSimd = noSimd;
      try {
        const train = problem('classification', 300, 1);
        const validation = problem('classification', 100, 2);
        const network = Network.create({
          inputSize: 4,
          hidden: [16],
          outputSize: 3,
          task: 'classification',
          seed: 3,
        });
        const run = new TrainingRun(network, train, validation, { epochs: 10, learningRate: 0.05 });
        while (!run.done) run.step();
        // The inputs are used where they are only when there is no arena to copy them into.
        const x = (run as unknown as { full: { x: Matrix } }).full.x;
        expect(x === train.x).toBe(noSimd);
        results.push(JSON.stringify([run.finish(), network.parameters()]));
      } finally {
        counts.noSimd = false;
      }
    }
    expect(results[1]).toBe(results[0]);
  });
});

describe('float32 training (dtype: f32)', () => {
  const simd = !counts.noSimd;
  /** Trains a one-hidden-layer network on `problem` data and returns its history and weights. */
  function trained(task: 'classification' | 'regression', options: Partial<FitOptions>) {
    const train = problem(task, 300, 1);
    const network = Network.create({
      inputSize: 4,
      hidden: [16],
      outputSize: train.y.cols,
      task,
      seed: 3,
    });
    const run = new TrainingRun(network, train, problem(task, 100, 2), {
      epochs: 30,
      learningRate: 0.05,
      seed: 4,
      ...options,
    });
    while (!run.done) run.step();
    return { history: run.finish(), parameters: network.parameters() };
  }

  const close = (a: number, b: number, tolerance: number) =>
    Math.abs(a - b) <= tolerance * (Math.abs(b) + 1e-3);

  for (const [name, task, options] of [
    ['full batch, classification', 'classification', {}],
    ['mini-batches with a remainder, Adam', 'classification', { batchSize: 64, optimizer: 'adam' }],
    ['regression, weight decay', 'regression', { weightDecay: 0.01 }],
  ] as const) {
    it.skipIf(!simd)(`${name}: tracks float64 training to float32 rounding`, () => {
      const f64 = trained(task, options);
      const f32 = trained(task, { ...options, dtype: 'f32' });
      expect(f32.history.epochsRun).toBe(f64.history.epochsRun);
      f32.history.epochs.forEach((e, i) => {
        const d = f64.history.epochs[i]!;
        expect([i, close(e.trainLoss, d.trainLoss, 1e-4)]).toEqual([i, true]);
        expect([i, close(e.validationLoss, d.validationLoss, 1e-4)]).toEqual([i, true]);
        expect([
          i,
          close(e.validationMetric, d.validationMetric, task === 'classification' ? 0.02 : 1e-3),
        ]).toEqual([i, true]);
      });
      const w32 = f32.parameters.layers.flatMap((l) => [...l.weights.flat(), ...l.biases]);
      const w64 = f64.parameters.layers.flatMap((l) => [...l.weights.flat(), ...l.biases]);
      // Float32 weights differ from float64 ones, but only in the last digits.
      expect(w32.some((w, i) => w !== w64[i])).toBe(true);
      expect(w32.every((w, i) => Math.abs(w - w64[i]!) < 1e-4)).toBe(true);
    });
  }

  it.skipIf(!simd)('gives the same bits for the same seed', () => {
    const options = { dtype: 'f32', batchSize: 64 } as const;
    const a = trained('classification', options);
    const b = trained('classification', options);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('refuses networks and engines it cannot run, naming why', () => {
    const train = problem('classification', 30, 1);
    const make = (
      hidden: number[],
      hiddenActivation: 'relu' | 'tanh' = 'relu',
      outputActivation?: 'sigmoid',
    ) =>
      Network.create({
        inputSize: 4,
        hidden,
        hiddenActivation,
        outputSize: 3,
        task: 'classification',
        ...(outputActivation === undefined ? {} : { outputActivation }),
        seed: 1,
      });
    const start = (network: Network, dtype: unknown) => () =>
      new TrainingRun(network, train, train, {
        epochs: 1,
        learningRate: 0.1,
        dtype: dtype as 'f32',
      });
    const shape = /one hidden ReLU layer under a softmax or identity output/;
    for (const network of [make([8, 5]), make([8], 'tanh'), make([8], 'relu', 'sigmoid')]) {
      expect(start(network, 'f32')).toThrow(shape);
    }
    expect(start(make([8]), 'f16')).toThrow("dtype must be 'f64' or 'f32', not f16");
    counts.noSimd = true;
    try {
      expect(start(make([8]), 'f32')).toThrow(/needs WebAssembly SIMD/);
    } finally {
      counts.noSimd = false;
    }
    let error: unknown;
    try {
      start(make([8], 'tanh'), 'f32')();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'TrainingError', code: 'INVALID_OPTIONS' });
  });
});
