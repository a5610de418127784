import { Matrix, Rng, TwoLayerPass, WasmArena, axpy, wasmSupport } from '@scratchnet/linalg';
import type { TwoLayerGradients, TwoLayerParameters } from '@scratchnet/linalg';
import { TrainingError } from './errors.js';
import { Float32Training, float32Unsupported, gatherRows } from './float32-training.js';
import type { ValidationScores } from './float32-training.js';
import { computeLoss } from './losses.js';
import { sparseCount, twoLayerShape } from './pass-shape.js';
import type { Network } from './network.js';
import { OPTIMIZERS, createOptimizer } from './optimizers.js';
import type { Optimizer, OptimizerName } from './optimizers.js';
import {
  crossEntropyAndAccuracy,
  crossEntropyAt,
  lossAndOutputGradient,
  targetNonzeros,
} from './dense.js';
import type { ClassificationScores, TargetNonzeros } from './dense.js';
import { Workspace, backpropagate, forward } from './propagation.js';
import type { DenseLayer, LayerGradients } from './propagation.js';
import { accuracy, rSquared } from './scores.js';

/** A set of examples: inputs `x` (m × inputSize) and targets `y` (m × outputSize). */
export interface Dataset {
  x: Matrix;
  /** Classification: one-hot rows (or 0/1 columns for sigmoid outputs). Regression: the values. */
  y: Matrix;
}

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
   * The arithmetic of training. `'f64'` (default): float64 throughout, the same bits with or
   * without WebAssembly. `'f32'`: the training and validation passes in float32 on WebAssembly
   * SIMD (linalg's `TwoLayerPass`), faster and with different last digits; the weights stay
   * float64 (each pass rounds them to float32) and the optimizer updates them in float64, and the
   * cross-entropy is computed from the logits (no clipping). Only for networks with one hidden
   * ReLU layer under a softmax or identity output (every question's network); other networks,
   * or an engine without WebAssembly SIMD, get a `TrainingError` (`INVALID_OPTIONS`).
   */
  dtype?: 'f64' | 'f32';
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
  if (options.dtype !== undefined && options.dtype !== 'f64' && options.dtype !== 'f32') {
    throw invalid(`dtype must be 'f64' or 'f32', not ${String(options.dtype)}`);
  }
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
  if (network.task === 'classification') {
    const pi = y.data.findIndex((v) => v < 0 || v > 1);
    if (pi !== -1) {
      throw bad(
        `y[${Math.floor(pi / y.cols)}][${pi % y.cols}] is ${y.data[pi]}; classification targets are one-hot rows (or 0/1), not class indices`,
      );
    }
  }
}

/** The buffers of one batch size: a workspace, plus gathered inputs and targets for mini-batches. */
interface BatchBuffers {
  ws: Workspace;
  x: Matrix;
  y: Matrix;
  /** y's nonzeros, for the full batch's fixed one-hot targets. */
  targets?: TargetNonzeros;
}

/**
 * Whether training keeps its buffers in a `WasmArena` where WebAssembly SIMD is available; tests
 * turn it off to check the ordinary-memory path gives the same bits.
 * @internal
 */
export const trainingMemory = { useArena: true };

/**
 * A training run, one epoch per `step()`. Everything an epoch needs — activations, gradients,
 * optimizer state, mini-batch buffers, the best-weights snapshot — is allocated here, once, so
 * epochs allocate no matrices or typed arrays. `fit` drives it to the end.
 */
export class TrainingRun {
  /** The history so far (`finish()` fills in the final fields). */
  readonly history: History;
  private readonly layers: readonly DenseLayer[];
  private readonly optimizer: Optimizer;
  private readonly best: Matrix[];
  private readonly full: BatchBuffers | undefined;
  private readonly batch: BatchBuffers | undefined;
  private readonly remainder: BatchBuffers | undefined;
  private readonly order: Int32Array;
  private readonly rng: Rng;
  /** The float64 validation pass's workspace and inputs (in the arena when there is one). */
  private readonly validationSet: { readonly ws: Workspace; readonly x: Matrix } | undefined;
  /** The passes of a float32 run (`dtype: 'f32'`), which then has no float64 buffers. */
  private readonly float32: Float32Training | undefined;
  private readonly validationScores: ValidationScores = { loss: NaN, metric: NaN };
  private readonly batchSize: number;
  private readonly weightDecay: number;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly scores: ClassificationScores = { loss: NaN, accuracy: NaN };
  /** The fused WebAssembly pass, for a one-hidden-layer ReLU network trained in an arena. */
  private readonly fused:
    | { pass: TwoLayerPass; parameters: TwoLayerParameters; gradients: TwoLayerGradients }
    | undefined;
  private sinceBest = 0;
  private finished = false;

  constructor(
    private readonly network: Network,
    private readonly train: Dataset,
    private readonly validation: Dataset,
    private readonly options: FitOptions,
  ) {
    checkOptions(options);
    checkData(network, train, 'train');
    checkData(network, validation, 'validation');
    this.layers = network.layers;
    this.weightDecay = options.weightDecay ?? 0;
    this.patience = options.patience ?? Infinity;
    this.minDelta = options.minDelta ?? 0;
    this.optimizer = createOptimizer(options.optimizer ?? 'sgd', this.layers, options);
    this.best = this.layers.flatMap((l) => [l.weights.clone(), l.biases.clone()]);
    const m = train.x.rows;
    const batchSize = Math.min(options.batchSize ?? m, m);
    this.batchSize = batchSize;
    this.order = new Int32Array(m);
    for (let i = 0; i < m; i++) this.order[i] = i;
    this.rng = new Rng(options.seed ?? 0);
    if (options.dtype === 'f32') {
      const reason = float32Unsupported(network);
      if (reason !== undefined) throw invalid(reason);
      this.float32 = new Float32Training(network, train, validation, batchSize);
      this.validationSet = undefined;
      this.fused = undefined;
    } else {
      this.float32 = undefined;
      const arena = this.arenaFor(batchSize);
      const zeros = (r: number, c: number) =>
        arena === undefined ? Matrix.zeros(r, c) : arena.matrix(r, c);
      const buffers = (rows: number): BatchBuffers => ({
        ws: new Workspace(this.layers, rows, arena),
        x: zeros(rows, train.x.cols),
        y: zeros(rows, train.y.cols),
      });
      if (batchSize === m) {
        // The inputs are copied into the arena once, so that no epoch copies them again.
        const x = arena === undefined ? train.x : arena.copyOf(train.x);
        const y = arena === undefined ? train.y : arena.copyOf(train.y);
        this.full = { ws: new Workspace(this.layers, m, arena), x, y };
        // The loss reads only the nonzero targets (it skips zeros anyway): no scan of y per epoch.
        if (network.loss === 'cross-entropy') this.full.targets = targetNonzeros(y);
      } else {
        this.batch = buffers(batchSize);
        if (m % batchSize !== 0) this.remainder = buffers(m % batchSize);
      }
      this.validationSet = {
        ws: new Workspace(this.layers, validation.x.rows, arena),
        x: arena === undefined ? validation.x : arena.copyOf(validation.x),
      };
      this.fused = arena === undefined ? undefined : this.fusedPass(arena);
      if (arena !== undefined) {
        // Fixed inputs in the arena (not mini-batches, gathered afresh) get a snapshot of their
        // nonzeros when mostly zero; arenaFor made room for it.
        const sparse = (ws: Workspace, x: Matrix) => {
          if (sparseCount(x) >= 0) ws.sparseInput = { of: x, rows: arena.sparseRows(x) };
        };
        if (this.full !== undefined) sparse(this.full.ws, this.full.x);
        sparse(this.validationSet.ws, this.validationSet.x);
      }
    }
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

  /**
   * A WebAssembly arena holding every buffer an epoch multiplies (workspaces, inputs, gathered
   * batches), sized for exactly those; undefined where WebAssembly SIMD is missing, where the
   * products run in TypeScript on ordinary arrays anyway.
   */
  private arenaFor(batchSize: number): WasmArena | undefined {
    if (!trainingMemory.useArena || !wasmSupport().simd) return undefined;
    const { x, y } = this.train;
    const m = x.rows;
    const shapes: [number, number][] = [
      ...Workspace.shapes(this.layers, this.validation.x.rows),
      [this.validation.x.rows, x.cols],
    ];
    let bytes = 0;
    const sparse = (x: Matrix) => {
      const nonzeros = sparseCount(x);
      if (nonzeros >= 0) bytes += WasmArena.sparseBytesFor(x.rows, nonzeros);
    };
    sparse(this.validation.x);
    if (batchSize === m) {
      shapes.push(...Workspace.shapes(this.layers, m), [m, x.cols], [m, y.cols]);
      sparse(x);
    } else {
      for (const rows of m % batchSize === 0 ? [batchSize] : [batchSize, m % batchSize]) {
        shapes.push(...Workspace.shapes(this.layers, rows), [rows, x.cols], [rows, y.cols]);
      }
    }
    const fused = twoLayerShape(this.network);
    if (fused !== undefined) bytes += TwoLayerPass.bytesFor(...fused);
    return new WasmArena(WasmArena.bytesFor(shapes) + bytes);
  }

  /** The fused pass for this network (see `twoLayerShape`), with the matrices it reads and writes. */
  private fusedPass(arena: WasmArena): TrainingRun['fused'] {
    const shape = twoLayerShape(this.network);
    if (shape === undefined) return undefined;
    const [hiddenLayer, outputLayer] = this.layers as [DenseLayer, DenseLayer];
    const ws = (this.full ?? this.batch)!.ws;
    return {
      pass: new TwoLayerPass(arena, ...shape, outputLayer.activation as 'softmax' | 'identity'),
      parameters: {
        w1: hiddenLayer.weights,
        b1: hiddenLayer.biases,
        w2: outputLayer.weights,
        b2: outputLayer.biases,
      },
      gradients: {
        w1: ws.gradients[0]!.weights,
        b1: ws.gradients[0]!.biases,
        w2: ws.gradients[1]!.weights,
        b2: ws.gradients[1]!.biases,
      },
    };
  }

  /** True once the run has used its epochs, run out of patience or been cancelled. */
  get done(): boolean {
    return this.finished;
  }

  /** One forward/backward/update on the examples in `b`; returns the batch's loss. */
  private update(b: BatchBuffers): number {
    const last = this.layers.length - 1;
    const f = this.fused;
    const sparse = b.ws.sparseInput?.of === b.x ? b.ws.sparseInput.rows : undefined;
    if (f !== undefined && b.ws === (this.full ?? this.batch)!.ws) {
      const output = b.ws.a[last]!;
      if (f.pass.gradients(f.parameters, b.x, sparse, b.y, output, f.gradients)) {
        const loss =
          this.network.loss === 'cross-entropy' && b.targets !== undefined
            ? crossEntropyAt(output, b.targets)
            : computeLoss(this.network.loss, output, b.y);
        this.descend(b.ws.gradients);
        return loss;
      }
    }
    const output = forward(this.layers, b.x, b.ws);
    // The loss and the output gradient read the same a and y: one pass computes both.
    const loss = lossAndOutputGradient(
      this.network.loss,
      output,
      b.y,
      b.ws.dz[last]!,
      b.ws.gradients[last]!.biases,
      b.targets,
    );
    this.optimizer.step(this.layers, backpropagate(this.layers, b.x, b.ws, this.weightDecay));
    return loss;
  }

  private trainEpoch(): number {
    const m = this.order.length;
    const size = this.batchSize;
    if (size === m) return this.updateRows(0, m);
    this.rng.shuffle(this.order);
    let weighted = 0;
    for (let start = 0; start < m; start += size) {
      const rows = Math.min(size, m - start);
      weighted += this.updateRows(start, rows) * rows;
    }
    return weighted / m;
  }

  /**
   * One optimizer step with the data-loss gradients of a pass that left out the L2 term (the
   * fused and float32 passes): λ·W is added to each dW first, as `backpropagate` does.
   */
  private descend(gradients: readonly LayerGradients[]): void {
    if (this.weightDecay !== 0) {
      for (let l = 0; l < this.layers.length; l++) {
        axpy(this.weightDecay, this.layers[l]!.weights, gradients[l]!.weights);
      }
    }
    this.optimizer.step(this.layers, gradients);
  }

  /** One update on the training rows `order[start … start + rows)` (all of them: in order). */
  private updateRows(start: number, rows: number): number {
    const f = this.float32;
    if (f !== undefined) {
      const loss = f.update(rows === this.order.length ? undefined : this.order, start, rows);
      this.descend(f.gradients);
      return loss;
    }
    if (this.full !== undefined) return this.update(this.full);
    const b = rows === this.batch!.x.rows ? this.batch! : this.remainder!;
    gatherRows(this.train.x, this.order, start, b.x);
    gatherRows(this.train.y, this.order, start, b.y);
    return this.update(b);
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
    const { loss: validationLoss, metric: validationMetric } = this.validate();
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

  /** The validation loss and metric (accuracy or R²) of the current weights. */
  private validate(): ValidationScores {
    const out = this.validationScores;
    if (this.float32 !== undefined) {
      this.float32.validate(out);
      return out;
    }
    const { ws, x } = this.validationSet!;
    const f = this.fused;
    const last = this.layers.length - 1;
    let output = ws.a[last]!;
    const sparse = ws.sparseInput?.of === x ? ws.sparseInput.rows : undefined;
    if (f === undefined || !f.pass.forward(f.parameters, x, sparse, output)) {
      output = forward(this.layers, x, ws);
    }
    const y = this.validation.y;
    if (this.network.loss === 'cross-entropy' && output.cols > 1) {
      // Softmax outputs: the loss and the accuracy in one pass over the outputs.
      crossEntropyAndAccuracy(output, y, this.scores);
      out.loss = this.scores.loss;
      out.metric = this.scores.accuracy;
    } else {
      out.loss = computeLoss(this.network.loss, output, y);
      out.metric =
        this.history.metricName === 'accuracy' ? accuracy(output, y) : rSquared(output, y);
    }
    return out;
  }

  /** Ends the run: puts the best epoch's weights back into the network and returns the history. */
  finish(): History {
    this.finished = true;
    this.restoreBest();
    return this.history;
  }

  private snapshotBest(): void {
    for (let l = 0; l < this.layers.length; l++) {
      this.best[2 * l]!.copyFrom(this.layers[l]!.weights);
      this.best[2 * l + 1]!.copyFrom(this.layers[l]!.biases);
    }
  }

  private restoreBest(): void {
    for (let l = 0; l < this.layers.length; l++) {
      this.layers[l]!.weights.copyFrom(this.best[2 * l]!);
      this.layers[l]!.biases.copyFrom(this.best[2 * l + 1]!);
    }
  }
}
