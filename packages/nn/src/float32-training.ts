import { Matrix, TwoLayerPass, WasmArena, wasmSupport } from '@scratchnet/linalg';
import type {
  SparseRows,
  TwoLayerGradients,
  TwoLayerParameters,
  TwoLayerScores,
} from '@scratchnet/linalg';
import type { Network } from './network.js';
import type { LayerGradients } from './propagation.js';
import { sparseCount, twoLayerShape } from './pass-shape.js';
import { rSquared } from './scores.js';

/** Rows of a dataset in float32, in the arena. */
interface Rows {
  x: Matrix<Float32Array>;
  y: Matrix<Float32Array>;
  /** x's nonzeros when x is mostly zeros (one-hot inputs) and fixed. */
  sparse?: SparseRows;
}

/** What a validation pass measured. */
export interface ValidationScores {
  loss: number;
  /** Accuracy (classification) or R² (regression). */
  metric: number;
}

/**
 * Why `network` cannot train in float32 here, or undefined when it can: float32 training is
 * linalg's `TwoLayerPass` in float32, which runs one hidden ReLU layer under a softmax
 * (cross-entropy) or identity (squared error) output, on WebAssembly SIMD.
 */
export function float32Unsupported(network: Network): string | undefined {
  if (twoLayerShape(network) === undefined) {
    return "dtype 'f32' trains networks with one hidden ReLU layer under a softmax or identity output";
  }
  if (!wasmSupport().simd) return "dtype 'f32' needs WebAssembly SIMD, which this engine lacks";
  return undefined;
}

/**
 * The float32 passes of one training run (`FitOptions.dtype: 'f32'`): the training rows (or
 * mini-batch buffers) and validation rows as float32 copies in a `WasmArena`, and the pass that
 * computes the loss and gradients on them. Parameters stay float64 in the network — each pass
 * rounds them to float32 on the way in — and the gradients come back widened to float64, so the
 * optimizer is the float64 one. Everything is allocated here, once.
 */
export class Float32Training {
  /** The gradients of the last update (float64, for the optimizer). */
  readonly gradients: readonly LayerGradients[];
  private readonly pass: TwoLayerPass;
  private readonly parameters: TwoLayerParameters;
  private readonly out: TwoLayerGradients;
  private readonly full: Rows | undefined;
  private readonly batch: Rows | undefined;
  private readonly remainder: Rows | undefined;
  private readonly validationRows: Rows;
  /**
   * For a regression, its validation outputs (float32, in the arena) and the same widened to
   * float64 for R². A softmax's loss and accuracy come from the pass without outputs.
   */
  private readonly predictions:
    { readonly f32: Matrix<Float32Array>; readonly f64: Matrix } | undefined;
  private readonly scores: TwoLayerScores = { loss: NaN, accuracy: NaN };
  /** What the validation pass measures against, made once: a literal per epoch would be garbage. */
  private readonly measure: { readonly y: Matrix<Float32Array>; readonly scores: TwoLayerScores };

  constructor(
    network: Network,
    private readonly train: { x: Matrix; y: Matrix },
    private readonly validation: { x: Matrix; y: Matrix },
    batchSize: number,
  ) {
    const [hidden, output] = network.layers as [
      Network['layers'][number],
      Network['layers'][number],
    ];
    const d = hidden.weights.rows;
    const h = hidden.weights.cols;
    const o = output.weights.cols;
    const m = train.x.rows;
    const sparseBytes = (x: Matrix) => {
      const count = sparseCount(x);
      return count >= 0 ? WasmArena.sparseBytesFor(x.rows, count) : 0;
    };
    const rowsBytes = (rows: number) =>
      WasmArena.bytesFor([
        [rows, Math.ceil(d / 2)],
        [rows, Math.ceil(o / 2)],
      ]);
    const regression = output.activation !== 'softmax';
    const batchRows =
      batchSize >= m ? [] : m % batchSize === 0 ? [batchSize] : [batchSize, m % batchSize];
    let bytes =
      TwoLayerPass.bytesFor(d, h, o, 'f32') +
      rowsBytes(validation.x.rows) +
      sparseBytes(validation.x) +
      (regression ? WasmArena.bytesFor([[validation.x.rows, Math.ceil(o / 2)]]) : 0);
    if (batchRows.length === 0) bytes += rowsBytes(m) + sparseBytes(train.x);
    for (const rows of batchRows) bytes += rowsBytes(rows);
    const arena = new WasmArena(bytes);
    const rows = (n: number, source?: { x: Matrix; y: Matrix }): Rows => {
      const r: Rows = { x: arena.matrix(n, d, 'f32'), y: arena.matrix(n, o, 'f32') };
      if (source !== undefined) {
        r.x.data.set(source.x.data);
        r.y.data.set(source.y.data);
        if (sparseBytes(source.x) > 0) r.sparse = arena.sparseRows(source.x);
      }
      return r;
    };
    this.full = batchRows.length === 0 ? rows(m, train) : undefined;
    this.batch = batchRows.length > 0 ? rows(batchRows[0]!) : undefined;
    this.remainder = batchRows.length > 1 ? rows(batchRows[1]!) : undefined;
    this.validationRows = rows(validation.x.rows, validation);
    this.predictions = regression
      ? { f32: arena.matrix(validation.x.rows, o, 'f32'), f64: Matrix.zeros(validation.x.rows, o) }
      : undefined;
    this.measure = { y: this.validationRows.y, scores: this.scores };
    this.pass = new TwoLayerPass(
      arena,
      d,
      h,
      o,
      output.activation as 'softmax' | 'identity',
      'f32',
    );
    this.parameters = {
      w1: hidden.weights,
      b1: hidden.biases,
      w2: output.weights,
      b2: output.biases,
    };
    this.out = {
      w1: Matrix.zeros(d, h),
      b1: Matrix.zeros(1, h),
      w2: Matrix.zeros(h, o),
      b2: Matrix.zeros(1, o),
    };
    this.gradients = [
      { weights: this.out.w1, biases: this.out.b1 },
      { weights: this.out.w2, biases: this.out.b2 },
    ];
  }

  /**
   * The loss and (into `gradients`) its gradients on the whole training set, or — with `order` —
   * on the training rows `order[start … start + rows)` (a mini-batch of the size the run was made
   * for, or its remainder).
   */
  update(order: Int32Array | undefined, start: number, rows: number): number {
    let r = this.full;
    if (order !== undefined || r === undefined) {
      r = rows === this.batch!.x.rows ? this.batch! : this.remainder!;
      gatherRows(this.train.x, order!, start, r.x);
      gatherRows(this.train.y, order!, start, r.y);
    }
    if (
      !this.pass.gradients(this.parameters, r.x, r.sparse, r.y, undefined, this.out, this.scores)
    ) {
      throw new Error('Float32Training: the float32 pass refused its own buffers');
    }
    return this.scores.loss;
  }

  /** The validation loss and accuracy (classification) or R² (regression), into `out`. */
  validate(out: ValidationScores): void {
    const r = this.validationRows;
    const p = this.predictions;
    if (!this.pass.forward(this.parameters, r.x, r.sparse, p?.f32, this.measure)) {
      throw new Error('Float32Training: the float32 pass refused its own buffers');
    }
    out.loss = this.scores.loss;
    if (p === undefined) {
      out.metric = this.scores.accuracy;
    } else {
      p.f64.data.set(p.f32.data);
      out.metric = rSquared(p.f64, this.validation.y);
    }
  }
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
