import { Matrix, Rng, axpy, scale } from '@scratchnet/linalg';
import { describe, expect, it, vi } from 'vitest';
import { TrainingError } from './errors.js';
import { fit, fitAsync } from './fit.js';
import { lossAndGradients } from './gradient-check.js';
import { computeLoss } from './losses.js';
import { Network } from './network.js';
import { TrainingRun } from './training.js';
import type { Dataset } from './engine.js';
import type { EpochRecord, FitOptions } from './training.js';

const bytes = (net: Network) =>
  net.layers.map((l) =>
    Buffer.concat([Buffer.from(l.weights.data.buffer), Buffer.from(l.biases.data.buffer)]).toString(
      'hex',
    ),
  );

/** Three Gaussian blobs in 2-D (learnable) or random labels (not learnable). */
function blobs(rows: number, seed: number, learnable = true): Dataset {
  const rng = new Rng(seed);
  const centres = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  const x = Matrix.zeros(rows, 2);
  const y = Matrix.zeros(rows, 3);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(3);
    x.set(i, 0, centres[c]![0]! + rng.normal() * 0.5);
    x.set(i, 1, centres[c]![1]! + rng.normal() * 0.5);
    y.set(i, learnable ? c : rng.int(3), 1);
  }
  return { x, y };
}

function line(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = Matrix.zeros(rows, 3);
  const y = Matrix.zeros(rows, 1);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 3; j++) x.set(i, j, rng.normal());
    y.set(i, 0, 2 * x.get(i, 0) - x.get(i, 1) + 0.5);
  }
  return { x, y };
}

const classifier = (seed = 1, hidden = [8]) =>
  Network.create({ inputSize: 2, hidden, outputSize: 3, task: 'classification', seed });
const regressor = (seed = 1) =>
  Network.create({ inputSize: 3, hidden: [6], outputSize: 1, task: 'regression', seed });
const validationLoss = (net: Network, set: Dataset) =>
  computeLoss(net.loss, net.predict(set.x), set.y);

function trainingError(f: () => unknown): TrainingError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingError);
    return error as TrainingError;
  }
  throw new Error('expected a TrainingError');
}

describe('fit', () => {
  it('learns separable classes and a linear target', () => {
    const net = classifier();
    const history = fit(net, blobs(150, 1), blobs(60, 2), { epochs: 200, learningRate: 0.5 });
    expect(history.metricName).toBe('accuracy');
    expect(history.epochs[0]!.trainLoss).toBeGreaterThan(0.5);
    expect(history.bestValidationLoss).toBeLessThan(0.1);
    expect(history.bestValidationMetric).toBeGreaterThan(0.95);

    const reg = regressor();
    const h = fit(reg, line(100, 3), line(40, 4), { epochs: 300, learningRate: 0.1 });
    expect(h.metricName).toBe('r2');
    expect(h.bestValidationMetric).toBeGreaterThan(0.99);
  });

  it('records every epoch, 1-based, and reports each to onEpoch', () => {
    const seen: EpochRecord[] = [];
    const history = fit(classifier(), blobs(60, 1), blobs(30, 2), {
      epochs: 7,
      learningRate: 0.1,
      onEpoch: (r) => seen.push(r),
    });
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen).toEqual(history.epochs);
    expect(history.epochsRun).toBe(7);
    expect(history.stoppedEarly).toBe(false);
    expect(history.cancelled).toBe(false);
  });

  it("full batch: the epoch's train loss is the loss of the weights it started from", () => {
    const net = classifier();
    const train = blobs(60, 1);
    const before = validationLoss(net, train);
    const history = fit(net, train, blobs(30, 2), { epochs: 1, learningRate: 0.1 });
    expect(history.epochs[0]!.trainLoss).toBe(before);
  });

  it('stops early when the validation loss stops improving, and restores the best weights', () => {
    // Random labels: the training loss keeps falling while the validation loss turns up.
    const net = classifier(2, [32]);
    const train = blobs(30, 5, false);
    const validation = blobs(60, 6, false);
    const history = fit(net, train, validation, { epochs: 2000, learningRate: 0.5, patience: 20 });
    expect(history.stoppedEarly).toBe(true);
    expect(history.bestEpoch).toBeGreaterThan(1);
    expect(history.epochsRun).toBe(history.bestEpoch + 20);
    expect(history.epochsRun).toBeLessThan(2000);
    const last = history.epochs[history.epochsRun - 1]!;
    expect(last.validationLoss).toBeGreaterThan(history.bestValidationLoss);
    expect(history.epochs[history.bestEpoch - 1]!.validationLoss).toBe(history.bestValidationLoss);
    // The network holds the best epoch's weights: its validation loss is exactly the best one.
    expect(validationLoss(net, validation)).toBe(history.bestValidationLoss);
    expect(Math.min(...history.epochs.map((e) => e.validationLoss))).toBe(
      history.bestValidationLoss,
    );
  });

  it('restores the best weights even without early stopping', () => {
    const net = classifier(2, [32]);
    const validation = blobs(60, 6, false);
    const history = fit(net, blobs(30, 5, false), validation, { epochs: 300, learningRate: 0.5 });
    expect(history.stoppedEarly).toBe(false);
    expect(history.epochsRun).toBe(300);
    expect(history.bestEpoch).toBeLessThan(300);
    expect(validationLoss(net, validation)).toBe(history.bestValidationLoss);
  });

  it('counts only improvements larger than minDelta', () => {
    const history = fit(classifier(), blobs(60, 1), blobs(30, 2), {
      epochs: 100,
      learningRate: 0.1,
      patience: 3,
      minDelta: 1e6,
    });
    // The first epoch improves on "nothing yet"; no later one can improve by a million.
    expect(history.bestEpoch).toBe(1);
    expect(history.epochsRun).toBe(4);
    expect(history.stoppedEarly).toBe(true);
  });

  it('stops with NON_FINITE_LOSS naming the epoch and the learning rate, keeping the best weights', () => {
    const net = regressor();
    const train = line(50, 1);
    train.y.data.forEach((v, i) => (train.y.data[i] = v * 1e3));
    const error = trainingError(() =>
      fit(net, train, line(20, 2), { epochs: 500, learningRate: 5 }),
    );
    expect(error.code).toBe('NON_FINITE_LOSS');
    expect(error.message).toMatch(
      /^(training|validation) loss became (NaN|Infinity) at epoch \d+; try a smaller learning rate \(now 5\)$/,
    );
    expect(net.layers.every((l) => l.weights.data.every(Number.isFinite))).toBe(true);
    // The history up to the divergence comes with the error; the network holds its best epoch.
    const epoch = Number(/at epoch (\d+)/.exec(error.message)![1]);
    expect(error.history!.epochsRun).toBe(epoch - 1);
    expect(error.history!.epochs).toHaveLength(epoch - 1);
    expect(epoch).toBeGreaterThan(1);
    expect(validationLoss(net, line(20, 2))).toBe(error.history!.bestValidationLoss);
  });

  it('can be cancelled through an AbortSignal, keeping the best weights so far', () => {
    const controller = new AbortController();
    const validation = blobs(30, 2);
    const net = classifier();
    const history = fit(net, blobs(60, 1), validation, {
      epochs: 100,
      learningRate: 0.1,
      signal: controller.signal,
      onEpoch: (r) => {
        if (r.epoch === 3) controller.abort();
      },
    });
    expect(history.cancelled).toBe(true);
    expect(history.epochsRun).toBe(3);
    expect(validationLoss(net, validation)).toBe(history.bestValidationLoss);

    // Cancelled well after the best epoch (random labels: the validation loss turns up), so the
    // network must have been put back, not merely left at the last epoch's weights.
    const later = new AbortController();
    const noisy = blobs(60, 6, false);
    const back = classifier(2, [32]);
    const h = fit(back, blobs(30, 5, false), noisy, {
      epochs: 2000,
      learningRate: 0.5,
      signal: later.signal,
      onEpoch: (r) => {
        if (r.epoch === 300) later.abort();
      },
    });
    expect(h.cancelled).toBe(true);
    expect(h.epochsRun).toBe(300);
    expect(h.bestEpoch).toBeLessThan(300);
    expect(h.epochs[299]!.validationLoss).toBeGreaterThan(h.bestValidationLoss);
    expect(validationLoss(back, noisy)).toBe(h.bestValidationLoss);

    // An onEpoch that throws ends the run too: the error is passed on, the best weights put back.
    const thrower = classifier(2, [32]);
    expect(() =>
      fit(thrower, blobs(30, 5, false), noisy, {
        epochs: 2000,
        learningRate: 0.5,
        onEpoch: (r) => {
          if (r.epoch === 300) throw new Error('display failed');
        },
      }),
    ).toThrow('display failed');
    expect(validationLoss(thrower, noisy)).toBe(h.bestValidationLoss);

    const untouched = classifier();
    const before = bytes(untouched);
    const none = fit(untouched, blobs(60, 1), validation, {
      epochs: 5,
      learningRate: 0.1,
      signal: AbortSignal.abort(),
    });
    expect(none).toMatchObject({
      epochsRun: 0,
      cancelled: true,
      bestEpoch: 0,
      bestValidationLoss: Infinity,
    });
    expect(bytes(untouched)).toEqual(before);
  });

  it('is deterministic: same seeds and data give the same weights, bit for bit', () => {
    const run = (shuffleSeed: number) => {
      const net = classifier(9);
      fit(net, blobs(90, 1), blobs(30, 2), {
        epochs: 20,
        learningRate: 0.05,
        batchSize: 16,
        optimizer: 'adam',
        seed: shuffleSeed,
      });
      return bytes(net);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('treats a batch size of at least the training rows as the full batch', () => {
    const a = classifier();
    const b = classifier();
    fit(a, blobs(40, 1), blobs(20, 2), { epochs: 10, learningRate: 0.1 });
    fit(b, blobs(40, 1), blobs(20, 2), { epochs: 10, learningRate: 0.1, batchSize: 1000 });
    expect(bytes(a)).toEqual(bytes(b));
  });

  it('mini-batches: reports the batches’ mean loss and visits every row once per epoch', () => {
    // With a learning rate of (almost) 0 the weights stay put, so each batch's loss is measured on
    // the same weights and the epoch's mean over 7 + 7 + 6 rows must equal the full-batch loss.
    const net = classifier();
    const train = blobs(20, 1);
    const full = validationLoss(net, train);
    const history = fit(net, train, blobs(10, 2), {
      epochs: 1,
      learningRate: 1e-300,
      batchSize: 7,
    });
    expect(history.epochs[0]!.trainLoss).toBeCloseTo(full, 14);
  });

  it('yields the same bits from fitAsync, which also lets a timer cancel it', async () => {
    const a = classifier();
    const b = classifier();
    const options: FitOptions = {
      epochs: 15,
      learningRate: 0.1,
      batchSize: 8,
      optimizer: 'momentum',
      seed: 3,
    };
    const ha = fit(a, blobs(40, 1), blobs(20, 2), options);
    const hb = await fitAsync(b, blobs(40, 1), blobs(20, 2), { ...options, yieldEveryMs: 0 });
    expect(bytes(a)).toEqual(bytes(b));
    expect(hb).toEqual(ha);

    const controller = new AbortController();
    setImmediate(() => controller.abort());
    const hc = await fitAsync(classifier(), blobs(40, 1), blobs(20, 2), {
      ...options,
      signal: controller.signal,
      yieldEveryMs: 0,
    });
    expect(hc.cancelled).toBe(true);
    expect(hc.epochsRun).toBe(1);
  });

  it('yields without setImmediate, as in a page or a Web Worker, and can still be cancelled', async () => {
    const options: FitOptions = { epochs: 15, learningRate: 0.1, batchSize: 8, seed: 3 };
    const expected = fit(classifier(), blobs(40, 1), blobs(20, 2), options);
    vi.stubGlobal('setImmediate', undefined);
    try {
      const controller = new AbortController();
      // A message posted before the first epoch is delivered only if fitAsync yields to the loop.
      const { port1, port2 } = new MessageChannel();
      port1.addEventListener('message', () => {
        port1.close();
        controller.abort();
      });
      port1.start();
      port2.postMessage(undefined);
      const cancelled = await fitAsync(classifier(), blobs(40, 1), blobs(20, 2), {
        ...options,
        signal: controller.signal,
        yieldEveryMs: 0,
      });
      expect(cancelled.cancelled).toBe(true);
      expect(cancelled.epochsRun).toBeLessThan(15);
      const whole = await fitAsync(classifier(), blobs(40, 1), blobs(20, 2), {
        ...options,
        yieldEveryMs: 0,
      });
      expect(whole).toEqual(expected);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('optimizers take the steps their equations say', () => {
  const train = blobs(30, 1);
  const validation = blobs(10, 2);

  /** Runs `epochs` full-batch epochs without restoring the best weights. */
  function steps(net: Network, options: Partial<FitOptions>, epochs: number) {
    const run = new TrainingRun(net, train, validation, { epochs, learningRate: 0.1, ...options });
    for (let e = 0; e < epochs; e++) run.step();
  }

  it('sgd: W ← W − lr·dW (with weight decay: dW + λW)', () => {
    for (const weightDecay of [0, 0.2]) {
      const net = classifier();
      const expected = net.clone();
      const { gradients } = lossAndGradients(expected, train.x, train.y);
      expected.layers.forEach((l, i) => {
        const g = gradients[i]!;
        axpy(weightDecay, l.weights, g.weights);
        axpy(-0.1, g.weights, l.weights);
        axpy(-0.1, g.biases, l.biases);
      });
      steps(net, { weightDecay }, 1);
      net.layers.forEach((l, i) => {
        l.weights.data.forEach((w, k) =>
          expect(w).toBeCloseTo(expected.layers[i]!.weights.data[k]!, 15),
        );
        l.biases.data.forEach((b, k) =>
          expect(b).toBeCloseTo(expected.layers[i]!.biases.data[k]!, 15),
        );
      });
    }
  });

  it('momentum: v ← μv + dW, W ← W − lr·v over two steps', () => {
    const net = classifier();
    const expected = net.clone();
    const g1 = lossAndGradients(expected, train.x, train.y).gradients;
    expected.layers.forEach((l, i) => axpy(-0.1, g1[i]!.weights, l.weights));
    expected.layers.forEach((l, i) => axpy(-0.1, g1[i]!.biases, l.biases));
    const g2 = lossAndGradients(expected, train.x, train.y).gradients;
    expected.layers.forEach((l, i) => {
      const v = scale(g1[i]!.weights, 0.5);
      axpy(1, g2[i]!.weights, v);
      axpy(-0.1, v, l.weights);
    });
    steps(net, { optimizer: 'momentum', momentum: 0.5 }, 2);
    net.layers.forEach((l, i) =>
      l.weights.data.forEach((w, k) =>
        expect(w).toBeCloseTo(expected.layers[i]!.weights.data[k]!, 14),
      ),
    );
  });

  it('adam: the first step moves each parameter by lr·g/(|g| + ε), about lr against the gradient', () => {
    const net = classifier();
    const before = net.clone();
    const { gradients } = lossAndGradients(before, train.x, train.y);
    steps(net, { optimizer: 'adam', learningRate: 0.01, epsilon: 1e-8 }, 1);
    net.layers.forEach((l, i) => {
      l.weights.data.forEach((w, k) => {
        const g = gradients[i]!.weights.data[k]!;
        expect(w - before.layers[i]!.weights.data[k]!).toBeCloseTo(
          (-0.01 * g) / (Math.abs(g) + 1e-8),
          12,
        );
      });
    });
  });
});

describe('fit rejects bad options and data, saying what is wrong', () => {
  const train = blobs(20, 1);
  const validation = blobs(10, 2);

  it('options', () => {
    const cases: [Partial<FitOptions>, RegExp][] = [
      [{ epochs: 0 }, /epochs must be a positive integer, not 0/],
      [{ epochs: 2.5 }, /epochs must be a positive integer/],
      [{ learningRate: -1 }, /learningRate must be a positive number, not -1/],
      [{ learningRate: NaN }, /learningRate must be a positive number, not NaN/],
      [{ batchSize: 0 }, /batchSize must be a positive integer/],
      [
        { optimizer: 'rmsprop' as 'sgd' },
        /optimizer must be one of sgd, momentum, adam, not rmsprop/,
      ],
      [{ momentum: 1 }, /momentum must be in \[0, 1\)/],
      [{ beta2: -0.1 }, /beta2 must be in \[0, 1\)/],
      [{ epsilon: 0 }, /epsilon must be a positive number/],
      [{ weightDecay: -0.1 }, /weightDecay must be a number ≥ 0/],
      [{ patience: 0 }, /patience must be a positive integer/],
      [{ minDelta: -1 }, /minDelta must be a number ≥ 0/],
      [{ seed: Infinity }, /seed must be a finite number/],
    ];
    for (const [change, message] of cases) {
      const error = trainingError(() =>
        fit(classifier(), train, validation, { epochs: 3, learningRate: 0.1, ...change }),
      );
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toMatch(message);
    }
    expect(
      fit(classifier(), train, validation, { epochs: 2, learningRate: 0.1, patience: Infinity })
        .epochsRun,
    ).toBe(2);
  });

  it('data', () => {
    const bad = (set: Dataset, which: 'train' | 'validation' = 'train') =>
      trainingError(() =>
        fit(classifier(), which === 'train' ? set : train, which === 'train' ? validation : set, {
          epochs: 1,
          learningRate: 0.1,
        }),
      );
    const wide = { x: Matrix.zeros(20, 3), y: train.y };
    expect(bad(wide).message).toBe('train: x has 3 columns but the network takes 2 inputs');
    expect(bad({ x: train.x, y: Matrix.zeros(20, 2) }).message).toBe(
      'train: y has 2 columns but the network has 3 outputs',
    );
    expect(bad({ x: train.x, y: Matrix.zeros(19, 3) }).message).toBe(
      'train: x has 20 rows but y has 19',
    );
    expect(bad({ x: Matrix.zeros(0, 2), y: Matrix.zeros(0, 3) }, 'validation').message).toBe(
      'validation: there are no rows',
    );
    const nan = { x: train.x.clone(), y: train.y };
    nan.x.set(4, 1, NaN);
    expect(bad(nan).message).toBe('train: x[4][1] is NaN');
    const indices = { x: train.x, y: Matrix.filled(20, 3, 2) };
    expect(bad(indices).message).toMatch(
      /y\[0\]\[0\] is 2; classification targets are one-hot rows/,
    );
    expect(bad(wide).code).toBe('INVALID_DATA');
  });

  it('weights and spread', () => {
    const weighted = (weights: Float64Array) => ({ ...train, weights });
    const bad = (set: Dataset, net: Network = classifier()) =>
      trainingError(() => fit(net, set, set, { epochs: 1, learningRate: 0.1 })).message;
    expect(bad(weighted(new Float64Array(19).fill(1)))).toBe(
      'train: weights has 19 entries but x has 20 rows',
    );
    const w = new Float64Array(20).fill(1);
    w[3] = -1;
    expect(bad(weighted(w))).toBe('train: weights[3] is -1; weights are finite and ≥ 0');
    w[3] = NaN;
    expect(bad(weighted(w))).toBe('train: weights[3] is NaN; weights are finite and ≥ 0');
    w[3] = Infinity;
    expect(bad(weighted(w))).toBe('train: weights[3] is Infinity; weights are finite and ≥ 0');
    expect(bad(weighted(new Float64Array(20)))).toBe('train: every weight is 0');
    expect(bad({ ...train, weights: [1] as unknown as Float64Array })).toBe(
      'train: weights must be a Float64Array',
    );
    expect(bad({ ...train, spread: Matrix.zeros(20, 3) })).toBe(
      'train: spread is for the squared-error loss only, not cross-entropy (whose grouped rows need none: group them with { spread: false })',
    );
    const lines = line(20, 1);
    expect(bad({ ...lines, spread: Matrix.zeros(20, 2) }, regressor())).toBe(
      'train: spread must be a 20×1 matrix, as y',
    );
    const spread = Matrix.zeros(20, 1);
    spread.set(2, 0, -0.5);
    expect(bad({ ...lines, spread }, regressor())).toBe(
      'train: spread[2][0] is -0.5; spreads are finite and ≥ 0',
    );
    // Zero weights on some rows are fine, even a mini-batch of them: it stands for no rows, with
    // loss 0 and gradient 0 (not 0/0).
    const none = lossAndGradients(classifier(), train.x, train.y, {
      weights: new Float64Array(20),
    });
    expect(none.loss).toBe(0);
    expect(none.gradients.every((g) => g.weights.data.every((v) => v === 0))).toBe(true);
    w.fill(1);
    w[0] = 0;
    const single = { epochs: 3, learningRate: 0.1, batchSize: 1 };
    const h = fit(classifier(), weighted(w), weighted(w), single);
    expect(h.epochs.every((e) => Number.isFinite(e.trainLoss))).toBe(true);
    expect(
      fit(classifier(), weighted(w), weighted(w), { epochs: 2, learningRate: 0.1 }).epochsRun,
    ).toBe(2);
  });

  it('mini-batches gather the weights and spread with their rows', () => {
    // Each row weighing 2 and its spread 0 changes nothing but the bits' rounding: the batch
    // losses, the epoch's weighted mean and the updates are those of the unweighted run.
    const lines = line(23, 5);
    const options = { epochs: 20, learningRate: 0.05, batchSize: 5, seed: 3 };
    const a = fit(regressor(), lines, lines, options);
    const doubled: Dataset = {
      ...lines,
      weights: new Float64Array(23).fill(2),
      spread: Matrix.zeros(23, 1),
    };
    const b = fit(regressor(), doubled, doubled, options);
    a.epochs.forEach((e, i) => {
      expect(b.epochs[i]!.trainLoss).toBeCloseTo(e.trainLoss, 12);
      expect(b.epochs[i]!.validationLoss).toBeCloseTo(e.validationLoss, 12);
    });
    // The epoch's loss weighs each batch by its rows' weight: with steps too small to move
    // anything, it is the weighted loss of all the rows (a mean over batch rows would not be).
    const heavy = new Float64Array(23).fill(0.01);
    heavy[7] = 1;
    const still = { ...options, epochs: 1, learningRate: 1e-12 };
    const c = fit(regressor(), { ...lines, weights: heavy }, lines, still);
    const expected = computeLoss('squared-error', regressor().predict(lines.x), lines.y, heavy);
    expect(c.epochs[0]!.trainLoss).toBeCloseTo(expected, 8);
    expect(fit(regressor(), lines, lines, still).epochs[0]!.trainLoss).not.toBeCloseTo(expected, 1);
  });
});
