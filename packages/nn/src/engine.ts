import { Matrix } from '@scratchnet/linalg';
import type { DenseLayer, LayerGradients } from './layer.js';
import { computeLoss } from './losses.js';
import type { Network } from './network.js';
import { Workspace, backward, forward } from './propagation.js';
import { accuracy, rSquared } from './scores.js';

/**
 * A set of examples: inputs `x` (m × inputSize) and targets `y` (m × outputSize), optionally
 * weighted — which is how `groupIdenticalRows` makes one row of many identical ones.
 */
export interface Dataset {
  x: Matrix;
  /** Classification: one-hot rows (or 0/1 columns for sigmoid outputs). Regression: the values.
   * A grouped row's targets are the weighted mean of its rows' targets. */
  y: Matrix;
  /** Per-row weights wᵢ (finite, ≥ 0, not all 0); absent = every row weighs 1. The loss, its
   * gradients and the scores then weigh row i by wᵢ / Σ wᵢ. */
  weights?: Float64Array;
  /** Squared error only: per row and column, Σ (yₖ − ȳ)² over the original rows this row stands for
   *  (0 for an ordinary row); the squared-error loss and R² add it, so a grouped dataset scores as its rows. */
  spread?: Matrix;
}

/** What a validation pass measured. */
export interface ValidationScores {
  loss: number;
  /** Accuracy (classification) or R² (regression), as nn scores them (see `scores.ts`). */
  metric: number;
}

/**
 * What computes the numbers of training, while `fit` keeps the loop (epochs, batches, the
 * optimizer, early stopping). nn's own is {@link referenceEngine}, the equations of this package
 * run as written; faster ones (e.g. @scratchnet/nn-wasm's) compute the same quantities another way
 * and are tested against it.
 */
export interface TrainingEngine {
  /** A short name for messages, e.g. `'reference'` or `'two-layer wasm f32'`. */
  readonly name: string;
  /**
   * Why this engine cannot train `network` on these rows in batches of `batchSize` (its layers,
   * what the machine lacks, rows too many for its memory), or undefined when it can. `fit`
   * refuses what its engine cannot train with a `TrainingError` (`ENGINE_UNSUPPORTED`) carrying
   * this reason, before any work.
   */
  unsupported(
    network: Network,
    train: Dataset,
    validation: Dataset,
    batchSize: number,
  ): string | undefined;
  /**
   * The passes of one training run on these rows, with every buffer they need made here, once:
   * the epochs then allocate nothing. `batchSize` is what `fit` will ask for (≤ the train rows).
   */
  start(network: Network, train: Dataset, validation: Dataset, batchSize: number): EngineRun;
}

/** One training run's passes, as a {@link TrainingEngine} made them. */
export interface EngineRun {
  /** dW and db of each layer, input side first, written by `step`. */
  readonly gradients: readonly LayerGradients[];
  /**
   * The mean loss on training rows `order[start … start + rows)` — all rows in their own order
   * when `order` is undefined — at the network's current weights, and its gradients with respect
   * to every weight and bias into `gradients`: the data loss only (`fit` adds weight decay).
   */
  step(order: Int32Array | undefined, start: number, rows: number): number;
  /** The validation loss and metric of the network's current weights, into `out`. */
  validate(out: ValidationScores): void;
}

/** Copies rows `order[start …]` of `source` into `target` (as many as it has rows), converting. */
export function gatherRows(
  source: Matrix,
  order: Int32Array,
  start: number,
  target: Matrix<Float64Array | Float32Array>,
): void {
  // No linalg op gathers rows; a plain copy loop keeps it allocation-free (no subarray views).
  const cols = source.cols;
  const s = source.data;
  const t = target.data;
  for (let r = 0; r < target.rows; r++) {
    const from = order[start + r]! * cols;
    const to = r * cols;
    for (let j = 0; j < cols; j++) t[to + j] = s[from + j]!;
  }
}

/** The rows of one batch size, gathered into buffers of their own, with a workspace for them. */
interface Batch {
  ws: Workspace;
  x: Matrix;
  y: Matrix;
  weights?: Float64Array;
  /** `weights` as a column, what `gatherRows` gathers into. */
  weightRows?: Matrix;
  spread?: Matrix;
}

/**
 * nn's equations as written: `forward`, the loss (`computeLoss`), `backward`, on ordinary
 * matrices, for any network `Network.create` builds. The engine every other is measured against.
 */
export const referenceEngine: TrainingEngine = {
  name: 'reference',
  unsupported: () => undefined,
  start(network, train, validation, batchSize) {
    const layers: readonly DenseLayer[] = network.layers;
    const m = train.x.rows;
    const batch = (rows: number): Batch => {
      const weightRows = train.weights === undefined ? undefined : Matrix.zeros(rows, 1);
      return {
        ws: new Workspace(layers, rows),
        x: Matrix.zeros(rows, train.x.cols),
        y: Matrix.zeros(rows, train.y.cols),
        ...(weightRows === undefined ? {} : { weights: weightRows.data, weightRows }),
        ...(train.spread === undefined ? {} : { spread: Matrix.zeros(rows, train.y.cols) }),
      };
    };
    const full: Batch | undefined =
      batchSize >= m ? { ws: new Workspace(layers, m), ...train } : undefined;
    // The weights as an m × 1 view, so that `gatherRows` gathers them with their rows.
    const weightsIn = train.weights === undefined ? undefined : new Matrix(m, 1, train.weights);
    const sized = full === undefined ? batch(batchSize) : undefined;
    const remainder = full === undefined && m % batchSize !== 0 ? batch(m % batchSize) : undefined;
    const checking = new Workspace(layers, validation.x.rows);
    let gradients = (full ?? sized)!.ws.gradients;
    return {
      get gradients() {
        return gradients;
      },
      step(order, start, rows) {
        let b = full;
        if (order !== undefined || b === undefined) {
          b = rows === sized!.x.rows ? sized! : remainder!;
          gatherRows(train.x, order!, start, b.x);
          gatherRows(train.y, order!, start, b.y);
          if (b.weightRows !== undefined) gatherRows(weightsIn!, order!, start, b.weightRows);
          if (b.spread !== undefined) gatherRows(train.spread!, order!, start, b.spread);
        }
        const output = forward(layers, b.x, b.ws);
        const loss = computeLoss(network.loss, output, b.y, b.weights, b.spread);
        gradients = backward(layers, b.x, b.y, b.ws, 0, b.weights);
        return loss;
      },
      validate(out) {
        const { y, weights, spread } = validation;
        const output = forward(layers, validation.x, checking);
        out.loss = computeLoss(network.loss, output, y, weights, spread);
        out.metric =
          network.task === 'classification'
            ? accuracy(output, y, weights)
            : rSquared(output, y, weights, spread);
      },
    };
  },
};
