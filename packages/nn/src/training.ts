import { Matrix, Rng, axpy } from '@scratchnet/linalg';
import { referenceEngine } from './engine.js';
import type { Dataset, EngineRun, TrainingEngine, ValidationScores } from './engine.js';
import { TrainingError } from './errors.js';
import type { Network } from './network.js';
import { OPTIMIZERS, createOptimizer } from './optimizers.js';
import type { Optimizer, OptimizerName } from './optimizers.js';

/** Options of `fit`. */
export interface FitOptions {
  /** Maximum number of passes over the training set. */
  epochs: number;
  /** Step size of every update. */
  learningRate: number;
  /** Examples per update; default (and any value ≥ the training rows) is the full batch, the
   * user's design. Smaller batches are drawn in a seeded shuffled order each epoch. */
  batchSize?: number;
  /** Default `'sgd'`: plain gradient descent, as the user's notebook. */
  optimizer?: OptimizerName;
  /** Momentum's μ; default 0.9. */
  momentum?: number;
  /** Adam's β1; default 0.9. */
  beta1?: number;
  /** Adam's β2; default 0.999. */
  beta2?: number;
  /** Adam's ε; default 1e-8. */
  epsilon?: number;
  /** L2 weight decay λ: minimises loss + (λ/2)·Σ‖W‖², i.e. adds λ·W to each dW. Biases are not
   * decayed. Default 0. Reported losses are the data loss alone. */
  weightDecay?: number;
  /** Stop after this many epochs without the validation loss improving by more than `minDelta`.
   * Default: never stop early (still restores the best weights). */
  patience?: number;
  /** How much the validation loss must drop to count as an improvement. Default 0. */
  minDelta?: number;
  /** Seed of the mini-batch shuffle. Default 0. */
  seed?: number;
  /**
   * What computes the passes: nn's `referenceEngine` (default), or a faster one such as
   * @scratchnet/nn-wasm's. A network the engine cannot train is refused with a `TrainingError`
   * (`ENGINE_UNSUPPORTED`) that says why.
   */
  engine?: TrainingEngine;
  /** Called after every epoch (e.g. to draw a progress bar). */
  onEpoch?: (record: EpochRecord) => void;
  /** Checked before every epoch: once aborted, training stops, restores the best weights and
   * returns with `cancelled: true`. */
  signal?: AbortSignal;
}

/** What one epoch did. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches, each measured before its update (with the full
   * batch: the loss of the weights the epoch started from, as the user's notebook printed it). */
  trainLoss: number;
  /** Validation loss of the weights at the end of the epoch. */
  validationLoss: number;
  /** Validation accuracy (classification) or R² (regression) at the end of the epoch. */
  validationMetric: number;
}

/** The record of a training run. */
export interface History {
  /** One record per epoch run. */
  epochs: EpochRecord[];
  /** The epoch whose weights the network holds after training (0 if no epoch ran). */
  bestEpoch: number;
  /** Validation loss at `bestEpoch` (Infinity if no epoch ran). */
  bestValidationLoss: number;
  /** Validation metric at `bestEpoch` (NaN if no epoch ran). */
  bestValidationMetric: number;
  /** True when patience ran out before `epochs`. */
  stoppedEarly: boolean;
  /** Number of epochs run. */
  epochsRun: number;
  /** True when `signal` aborted the run. */
  cancelled: boolean;
  /** What `validationMetric` is. */
  metricName: 'accuracy' | 'r2';
}

const invalid = (message: string) => new TrainingError('INVALID_OPTIONS', message);

function checkNumber(
  name: string,
  value: number | undefined,
  ok: (v: number) => boolean,
  expected: string,
): void {
  if (value !== undefined && (typeof value !== 'number' || !ok(value))) {
    throw invalid(`${name} must be ${expected}, not ${String(value)}`);
  }
}

function checkOptions(options: FitOptions): void {
  const positiveInteger = (v: number) => Number.isInteger(v) && v > 0;
  if (options.epochs === undefined) throw invalid('epochs is required');
  if (options.learningRate === undefined) throw invalid('learningRate is required');
  checkNumber('epochs', options.epochs, positiveInteger, 'a positive integer');
  checkNumber(
    'learningRate',
    options.learningRate,
    (v) => Number.isFinite(v) && v > 0,
    'a positive number',
  );
  checkNumber('batchSize', options.batchSize, positiveInteger, 'a positive integer');
  const unit = (v: number) => v >= 0 && v < 1;
  checkNumber('momentum', options.momentum, unit, 'in [0, 1)');
  checkNumber('beta1', options.beta1, unit, 'in [0, 1)');
  checkNumber('beta2', options.beta2, unit, 'in [0, 1)');
  checkNumber('epsilon', options.epsilon, (v) => Number.isFinite(v) && v > 0, 'a positive number');
  checkNumber(
    'weightDecay',
    options.weightDecay,
    (v) => Number.isFinite(v) && v >= 0,
    'a number ≥ 0',
  );
  checkNumber(
    'patience',
    options.patience,
    (v) => positiveInteger(v) || v === Infinity,
    'a positive integer',
  );
  checkNumber('minDelta', options.minDelta, (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0');
  checkNumber('seed', options.seed, Number.isFinite, 'a finite number');
  if (options.optimizer !== undefined && !OPTIMIZERS.includes(options.optimizer)) {
    throw invalid(
      `optimizer must be one of ${OPTIMIZERS.join(', ')}, not ${String(options.optimizer)}`,
    );
  }
}

function checkData(network: Network, set: Dataset, name: string): void {
  const bad = (message: string) => new TrainingError('INVALID_DATA', `${name}: ${message}`);
  if (!(set?.x instanceof Matrix) || !(set?.y instanceof Matrix)) {
    throw bad('x and y must be matrices');
  }
  const { x, y } = set;
  if (x.rows === 0) throw bad('there are no rows');
  if (x.rows !== y.rows) throw bad(`x has ${x.rows} rows but y has ${y.rows}`);
  if (x.cols !== network.inputSize) {
    throw bad(`x has ${x.cols} columns but the network takes ${network.inputSize} inputs`);
  }
  if (y.cols !== network.outputSize) {
    throw bad(`y has ${y.cols} columns but the network has ${network.outputSize} outputs`);
  }
  const xi = x.data.findIndex((v) => !Number.isFinite(v));
  if (xi !== -1) throw bad(`x[${Math.floor(xi / x.cols)}][${xi % x.cols}] is ${x.data[xi]}`);
  const yi = y.data.findIndex((v) => !Number.isFinite(v));
  if (yi !== -1) throw bad(`y[${Math.floor(yi / y.cols)}][${yi % y.cols}] is ${y.data[yi]}`);
  checkWeights(network, set, bad);
  if (network.task === 'classification') {
    const pi = y.data.findIndex((v) => v < 0 || v > 1);
    if (pi !== -1) {
      throw bad(
        `y[${Math.floor(pi / y.cols)}][${pi % y.cols}] is ${y.data[pi]}; classification targets are one-hot rows (or 0/1), not class indices`,
      );
    }
  }
}

function checkWeights(network: Network, set: Dataset, bad: (message: string) => TrainingError) {
  const { x, y, weights, spread } = set;
  if (weights !== undefined) {
    if (!(weights instanceof Float64Array)) throw bad('weights must be a Float64Array');
    if (weights.length !== x.rows) {
      throw bad(`weights has ${weights.length} entries but x has ${x.rows} rows`);
    }
    const wi = weights.findIndex((w) => !Number.isFinite(w) || w < 0);
    if (wi !== -1) throw bad(`weights[${wi}] is ${weights[wi]}; weights are finite and ≥ 0`);
    if (weights.every((w) => w === 0)) throw bad('every weight is 0');
  }
  if (spread === undefined) return;
  if (network.loss !== 'squared-error') {
    throw bad(
      `spread is for the squared-error loss only, not ${network.loss} (whose grouped rows need none: group them with { spread: false })`,
    );
  }
  if (!(spread instanceof Matrix) || spread.rows !== y.rows || spread.cols !== y.cols) {
    throw bad(`spread must be a ${y.rows}×${y.cols} matrix, as y`);
  }
  const si = spread.data.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (si !== -1) {
    throw bad(
      `spread[${Math.floor(si / y.cols)}][${si % y.cols}] is ${spread.data[si]}; spreads are finite and ≥ 0`,
    );
  }
}

/**
 * A training run, one epoch per `step()`: the loop of `fit`. Everything an epoch needs — the
 * engine's buffers, optimizer state, the best-weights snapshot — is allocated here, once, so
 * epochs allocate no matrices or typed arrays.
 */
export class TrainingRun {
  /** The history so far (`finish()` fills in the final fields). */
  readonly history: History;
  private readonly optimizer: Optimizer;
  private readonly passes: EngineRun;
  /** Each layer's weights and biases at the best epoch so far. */
  private readonly best: Matrix[];
  /** The training rows' order, shuffled each epoch for mini-batches. */
  private readonly order: Int32Array;
  /** The training rows' weights, when they have any. */
  private readonly weights: Float64Array | undefined;
  private readonly rng: Rng;
  private readonly batchSize: number;
  private readonly weightDecay: number;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly scores: ValidationScores = { loss: NaN, metric: NaN };
  private sinceBest = 0;
  private finished = false;

  constructor(
    private readonly network: Network,
    train: Dataset,
    validation: Dataset,
    private readonly options: FitOptions,
  ) {
    checkOptions(options);
    checkData(network, train, 'train');
    checkData(network, validation, 'validation');
    const m = train.x.rows;
    this.batchSize = Math.min(options.batchSize ?? m, m);
    const engine = options.engine ?? referenceEngine;
    const reason = engine.unsupported(network, train, validation, this.batchSize);
    if (reason !== undefined) {
      throw new TrainingError('ENGINE_UNSUPPORTED', `the ${engine.name} engine ${reason}`);
    }
    this.weightDecay = options.weightDecay ?? 0;
    this.patience = options.patience ?? Infinity;
    this.minDelta = options.minDelta ?? 0;
    this.optimizer = createOptimizer(options.optimizer ?? 'sgd', network.layers, options);
    this.best = network.layers.flatMap((l) => [l.weights.clone(), l.biases.clone()]);
    this.order = new Int32Array(m);
    for (let i = 0; i < m; i++) this.order[i] = i;
    this.weights = train.weights;
    this.rng = new Rng(options.seed ?? 0);
    this.passes = engine.start(network, train, validation, this.batchSize);
    this.history = {
      epochs: [],
      bestEpoch: 0,
      bestValidationLoss: Infinity,
      bestValidationMetric: NaN,
      stoppedEarly: false,
      epochsRun: 0,
      cancelled: false,
      metricName: network.task === 'classification' ? 'accuracy' : 'r2',
    };
  }

  /** True once the run has used its epochs, run out of patience or been cancelled. */
  get done(): boolean {
    return this.finished;
  }

  /**
   * Runs one epoch: updates, validation, early-stopping bookkeeping, `onEpoch`. Returns its record,
   * or `undefined` if the run was already done or `signal` was aborted. Throws `TrainingError`
   * (`NON_FINITE_LOSS`, best weights restored) when a loss turns NaN or infinite.
   */
  step(): EpochRecord | undefined {
    if (this.finished) return undefined;
    if (this.options.signal?.aborted === true) {
      this.history.cancelled = true;
      this.finished = true;
      return undefined;
    }
    const h = this.history;
    const epoch = h.epochsRun + 1;
    const trainLoss = this.trainEpoch();
    if (!Number.isFinite(trainLoss)) throw this.diverged(epoch, 'training', trainLoss);
    this.passes.validate(this.scores);
    const { loss: validationLoss, metric: validationMetric } = this.scores;
    if (!Number.isFinite(validationLoss)) throw this.diverged(epoch, 'validation', validationLoss);
    const record: EpochRecord = { epoch, trainLoss, validationLoss, validationMetric };
    h.epochs.push(record);
    h.epochsRun = epoch;
    if (validationLoss < h.bestValidationLoss - this.minDelta) {
      h.bestEpoch = epoch;
      h.bestValidationLoss = validationLoss;
      h.bestValidationMetric = validationMetric;
      this.sinceBest = 0;
      this.snapshotBest();
    } else if (++this.sinceBest >= this.patience) {
      h.stoppedEarly = true;
      this.finished = true;
    }
    if (epoch >= this.options.epochs) this.finished = true;
    this.options.onEpoch?.(record);
    return record;
  }

  /**
   * One pass over the training rows: the full batch, or shuffled mini-batches. Returns the mean
   * loss: the batches' losses weighted by their rows, or by their rows' weights when there are.
   */
  private trainEpoch(): number {
    const m = this.order.length;
    const size = this.batchSize;
    if (size === m) return this.update(undefined, 0, m);
    this.rng.shuffle(this.order);
    const w = this.weights;
    let weighted = 0;
    let total = 0;
    for (let start = 0; start < m; start += size) {
      const rows = Math.min(size, m - start);
      let share = rows;
      if (w !== undefined) {
        share = 0;
        for (let r = start; r < start + rows; r++) share += w[this.order[r]!]!;
      }
      weighted += this.update(this.order, start, rows) * share;
      total += share;
    }
    return w === undefined ? weighted / m : weighted / total;
  }

  /**
   * One gradient step on the rows `order[start … start + rows)`: the engine's loss and data-loss
   * gradients, then λ·W added to each dW (the L2 term), then the optimizer's update.
   */
  private update(order: Int32Array | undefined, start: number, rows: number): number {
    const loss = this.passes.step(order, start, rows);
    const layers = this.network.layers;
    const gradients = this.passes.gradients;
    if (this.weightDecay !== 0) {
      for (let l = 0; l < layers.length; l++) {
        axpy(this.weightDecay, layers[l]!.weights, gradients[l]!.weights);
      }
    }
    this.optimizer.step(layers, gradients);
    return loss;
  }

  private diverged(epoch: number, which: string, value: number): TrainingError {
    this.restoreBest();
    this.finished = true;
    return new TrainingError(
      'NON_FINITE_LOSS',
      `${which} loss became ${value} at epoch ${epoch}; try a smaller learning rate (now ${this.options.learningRate})`,
      this.history,
    );
  }

  /** Ends the run: puts the best epoch's weights back into the network and returns the history. */
  finish(): History {
    this.finished = true;
    this.restoreBest();
    return this.history;
  }

  private snapshotBest(): void {
    const layers = this.network.layers;
    for (let l = 0; l < layers.length; l++) {
      this.best[2 * l]!.copyFrom(layers[l]!.weights);
      this.best[2 * l + 1]!.copyFrom(layers[l]!.biases);
    }
  }

  private restoreBest(): void {
    const layers = this.network.layers;
    for (let l = 0; l < layers.length; l++) {
      layers[l]!.weights.copyFrom(this.best[2 * l]!);
      layers[l]!.biases.copyFrom(this.best[2 * l + 1]!);
    }
  }
}
