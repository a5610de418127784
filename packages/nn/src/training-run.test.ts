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
  const configs: [string, 'classification' | 'regression', Partial<FitOptions>][] = [
    ['full batch, plain gradient descent (the original)', 'classification', {}],
    ['mini-batches with a remainder, Adam', 'classification', { batchSize: 16, optimizer: 'adam' }],
    [
      'mini-batches, momentum, weight decay, regression',
      'regression',
      { batchSize: 10, optimizer: 'momentum', weightDecay: 0.01 },
    ],
  ];
  for (const [name, task, options] of configs) {
    it(name, () => {
      const train = problem(task, 50, 1);
      const validation = problem(task, 20, 2);
      const network = Network.create({
        inputSize: 4,
        hidden: [8, 5],
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
