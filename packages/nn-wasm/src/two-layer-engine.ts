import { Matrix } from '@scratchnet/linalg';
import type { Dtype, SimdVariant } from '@scratchnet/linalg';
import { accuracy, computeLoss, gatherRows, rSquared, totalWeight } from '@scratchnet/nn';
import type {
  Dataset,
  EngineRun,
  LayerGradients,
  Network,
  TrainingEngine,
  ValidationScores,
} from '@scratchnet/nn';
import { KernelMemory, MAX_MEMORY_BYTES, countNonzeros } from './kernel-memory.js';
import type { SparseRows } from './kernel-memory.js';
import { crossEntropyAndAccuracy, crossEntropyAt, targetNonzeros } from './scores.js';
import type { TargetNonzeros } from './scores.js';
import { TwoLayerPass } from './two-layer-pass.js';
import type {
  TwoLayerGradients,
  TwoLayerParameters,
  TwoLayerScores,
  TwoLayerShape,
} from './two-layer-pass.js';
import { bestKernelVariant, variantUnavailable } from './wasm.js';

/** Options of {@link twoLayerEngine}. */
export interface TwoLayerEngineOptions {
  /**
   * `'f64'` (default): float64, the reference engine's bits on the plain-SIMD build. `'f32'`:
   * float32 passes, as TensorFlow.js computes — faster, different last digits; the weights stay
   * float64 (each pass rounds them) and the optimizer updates them in float64, and the
   * cross-entropy comes from the logits (no clipping).
   */
  dtype?: Dtype;
  /** Which kernel build runs: default the best this engine validates (relaxed SIMD where it can). */
  variant?: SimdVariant;
}

/**
 * Inputs with at most this fraction of nonzeros (one-hot columns: 1 in 10 for the genre network)
 * take the sparse first layer, where skipping zeros beats the dense product.
 */
const SPARSE_INPUT_DENSITY = 0.25;

/** The nonzeros of a fixed matrix worth a snapshot (it is mostly zeros), else undefined. */
function sparseNonzeros(x: Matrix): number | undefined {
  const nonzeros = countNonzeros(x);
  return nonzeros <= SPARSE_INPUT_DENSITY * x.data.length ? nonzeros : undefined;
}

/** The pass's shape for `network`, or why the pass cannot run it. */
function shapeOf(network: Network, dtype: Dtype): TwoLayerShape | string {
  const layers = network.layers;
  const output = layers[layers.length - 1]!.activation;
  if (
    layers.length !== 2 ||
    layers[0]!.activation !== 'relu' ||
    !((output === 'softmax' && network.loss === 'cross-entropy') || output === 'identity')
  ) {
    return 'trains networks with one hidden ReLU layer under a softmax or identity output';
  }
  return {
    inputs: network.inputSize,
    hidden: layers[0]!.weights.cols,
    outputs: network.outputSize,
    output,
    dtype,
  };
}

/** The training rows of one batch size (or all of them), in the kernels' memory. */
interface Rows {
  readonly x: Matrix<Float64Array | Float32Array>;
  readonly y: Matrix<Float64Array | Float32Array>;
  /** x's nonzeros, for fixed inputs that are mostly zeros. */
  readonly sparse?: SparseRows;
  /** f64: the outputs, from which the loss is computed. */
  readonly p?: Matrix;
  /** y's nonzeros, for the full batch's fixed one-hot targets. */
  readonly targets?: TargetNonzeros;
  /** Weighted rows: their weights (a column, outside the memory), and each row's cᵢ = wᵢ/W in it. */
  readonly weights?: Matrix;
  readonly scales?: Float64Array;
  /** Squared error of grouped rows: their spread (outside the memory). */
  readonly spread?: Matrix;
}

/**
 * cᵢ = wᵢ / W into `scales` (0 when W is 0), with W summed as nn's `outputGradient` sums it;
 * returns W.
 */
function fillScales(weights: Float64Array, scales: Float64Array): number {
  const total = totalWeight(weights.length, weights);
  for (let i = 0; i < weights.length; i++) scales[i] = total === 0 ? 0 : weights[i]! / total;
  return total;
}

/** Σ spread / (2W): what the spread adds to a squared-error loss over rows of weight W (0: none). */
function spreadTerm(spread: Matrix | undefined, total: number): number {
  if (spread === undefined || total === 0) return 0;
  let sum = 0;
  for (let i = 0; i < spread.data.length; i++) sum += spread.data[i]!;
  return sum / (2 * total);
}

/** The memory plan and the parts of one run, made by `plan`. */
function plan(
  network: Network,
  shape: TwoLayerShape,
  train: Dataset,
  validation: Dataset,
  batchSize: number,
): { bytes: number; build(memory: KernelMemory): EngineRun } {
  const { dtype, inputs: d, outputs: o, output } = shape;
  const f64 = dtype === 'f64';
  const m = train.x.rows;
  const batchRows =
    batchSize >= m ? [] : m % batchSize === 0 ? [batchSize] : [batchSize, m % batchSize];
  // Counted once here: a scan of a million rows takes a while.
  const trainNonzeros = batchRows.length === 0 ? sparseNonzeros(train.x) : undefined;
  const validationNonzeros = sparseNonzeros(validation.x);
  const trainSparse = trainNonzeros !== undefined;
  const validationSparse = validationNonzeros !== undefined;
  const trainWeighted = train.weights !== undefined;
  const validationWeighted = validation.weights !== undefined;
  // A float32 pass counts unweighted correct rows: weighted ones are scored from its outputs.
  const f32Outputs = !f64 && (output === 'identity' || validationWeighted);
  const rowsBytes = (rows: number, weighted: boolean, nonzeros?: number) =>
    KernelMemory.matrixBytes(rows, d, dtype) +
    KernelMemory.matrixBytes(rows, o, dtype) +
    (f64 ? KernelMemory.matrixBytes(rows, o) : 0) +
    (weighted ? KernelMemory.matrixBytes(1, rows) : 0) +
    (nonzeros === undefined ? 0 : KernelMemory.sparseBytes(rows, nonzeros));
  let bytes =
    TwoLayerPass.bytesFor(shape) +
    rowsBytes(validation.x.rows, validationWeighted, validationNonzeros);
  if (f32Outputs) bytes += KernelMemory.matrixBytes(validation.x.rows, o, 'f32');
  if (f64) {
    const l = network.layers;
    for (const layer of l) {
      bytes += KernelMemory.matrixBytes(layer.weights.rows, layer.weights.cols);
      bytes += KernelMemory.matrixBytes(1, layer.biases.cols);
    }
  }
  if (batchRows.length === 0) bytes += rowsBytes(m, trainWeighted, trainNonzeros);
  for (const rows of batchRows) bytes += rowsBytes(rows, trainWeighted);

  return {
    bytes,
    build(memory) {
      /** Rows for n of `of`'s rows: a copy of them all when `copy`, else buffers to gather into. */
      const rows = (n: number, of: Dataset, copy: boolean, sparse = false): Rows => {
        const x = memory.matrix(n, d, dtype as 'f64');
        const y = memory.matrix(n, o, dtype as 'f64');
        if (copy) {
          x.data.set(of.x.data);
          y.data.set(of.y.data);
        }
        const scales = of.weights === undefined ? undefined : memory.matrix(1, n).data;
        if (copy && scales !== undefined) fillScales(of.weights!, scales);
        // Kept outside the memory: only the losses and scores (in JavaScript) read them.
        const weights =
          of.weights === undefined
            ? undefined
            : copy
              ? new Matrix(n, 1, of.weights)
              : Matrix.zeros(n, 1);
        const spread = of.spread === undefined ? undefined : copy ? of.spread : Matrix.zeros(n, o);
        return {
          x,
          y,
          ...(sparse && copy ? { sparse: memory.sparseRows(of.x) } : {}),
          ...(f64 ? { p: memory.matrix(n, o) } : {}),
          ...(scales === undefined ? {} : { scales, weights: weights! }),
          ...(spread === undefined ? {} : { spread }),
        };
      };
      const pass = new TwoLayerPass(memory, shape);
      const [hidden, out] = network.layers as [
        Network['layers'][number],
        Network['layers'][number],
      ];
      const parameters: TwoLayerParameters = {
        w1: hidden.weights,
        b1: hidden.biases,
        w2: out.weights,
        b2: out.biases,
      };
      // float64 gradients live in the memory, where the pass writes them directly.
      const zeros = (r: number, c: number) => (f64 ? memory.matrix(r, c) : Matrix.zeros(r, c));
      const g: TwoLayerGradients = {
        w1: zeros(d, shape.hidden),
        b1: zeros(1, shape.hidden),
        w2: zeros(shape.hidden, o),
        b2: zeros(1, o),
      };
      const gradients: LayerGradients[] = [
        { weights: g.w1, biases: g.b1 },
        { weights: g.w2, biases: g.b2 },
      ];
      let full: Rows | undefined;
      if (batchRows.length === 0) {
        full = rows(m, train, true, trainSparse);
        // The loss reads only the nonzero targets (it skips zeros anyway): no scan of y per epoch.
        if (f64 && network.loss === 'cross-entropy' && !trainWeighted)
          full = { ...full, targets: targetNonzeros(train.y) };
      }
      const batch = batchRows.length > 0 ? rows(batchRows[0]!, train, false) : undefined;
      const remainder = batchRows.length > 1 ? rows(batchRows[1]!, train, false) : undefined;
      // The training rows' weights as a column, gathered with the rows into a batch's.
      const trainWeights = train.weights && new Matrix(m, 1, train.weights);
      const checking = rows(validation.x.rows, validation, true, validationSparse);
      const checkingWeight = totalWeight(validation.x.rows, validation.weights);
      const checkingSpread = spreadTerm(validation.spread, checkingWeight);
      const scores: TwoLayerScores = { loss: NaN, accuracy: NaN };
      const measure = { y: checking.y, scores };
      // A float32 pass's validation outputs (for R², or a weighted accuracy), widened to float64.
      const predictions = f32Outputs
        ? {
            f32: memory.matrix(validation.x.rows, o, 'f32'),
            f64: Matrix.zeros(validation.x.rows, o),
          }
        : undefined;
      // float32's loss adds the spread to the kernel's; float64's comes whole from computeLoss.
      const trainSpread =
        full === undefined || f64 ? 0 : spreadTerm(train.spread, totalWeight(m, train.weights));
      const classification = { loss: NaN, accuracy: NaN };
      return {
        gradients,
        step(order, start, n) {
          let r = full;
          let spread = trainSpread;
          if (order !== undefined || r === undefined) {
            r = n === batch!.x.rows ? batch! : remainder!;
            gatherRows(train.x, order!, start, r.x);
            gatherRows(train.y, order!, start, r.y);
            let total = n;
            if (r.weights !== undefined) {
              gatherRows(trainWeights!, order!, start, r.weights);
              total = fillScales(r.weights.data, r.scales!);
            }
            if (r.spread !== undefined) {
              gatherRows(train.spread!, order!, start, r.spread);
              spread = f64 ? 0 : spreadTerm(r.spread, total);
            }
          }
          const inputs = {
            x: r.x,
            ...(r.sparse === undefined ? {} : { sparse: r.sparse }),
            ...(r.scales === undefined ? {} : { scales: r.scales }),
          };
          if (!f64) {
            pass.gradients(parameters, inputs, r.y, undefined, g, scores);
            return scores.loss + spread;
          }
          pass.gradients(parameters, inputs, r.y, r.p, g);
          if (r.weights !== undefined || r.spread !== undefined) {
            return computeLoss(network.loss, r.p!, r.y as Matrix, r.weights?.data, r.spread);
          }
          return r.targets === undefined
            ? computeLoss(network.loss, r.p!, r.y as Matrix)
            : crossEntropyAt(r.p!, r.targets);
        },
        validate(out: ValidationScores) {
          const { y, weights, spread } = validation;
          const inputs = {
            x: checking.x,
            ...(checking.sparse === undefined ? {} : { sparse: checking.sparse }),
            ...(checking.scales === undefined ? {} : { scales: checking.scales }),
          };
          if (!f64) {
            pass.forward(parameters, inputs, predictions?.f32, measure);
            out.loss = scores.loss + checkingSpread;
            if (predictions === undefined) {
              out.metric = scores.accuracy;
            } else {
              predictions.f64.data.set(predictions.f32.data);
              out.metric =
                output === 'identity'
                  ? rSquared(predictions.f64, y, weights, spread)
                  : accuracy(predictions.f64, y, weights);
            }
            return;
          }
          pass.forward(parameters, inputs, checking.p);
          if (weights !== undefined || spread !== undefined) {
            out.loss = computeLoss(network.loss, checking.p!, y, weights, spread);
            out.metric =
              network.loss === 'cross-entropy'
                ? accuracy(checking.p!, y, weights)
                : rSquared(checking.p!, y, weights, spread);
          } else if (network.loss === 'cross-entropy') {
            crossEntropyAndAccuracy(checking.p!, validation.y, classification);
            out.loss = classification.loss;
            out.metric = classification.accuracy;
          } else {
            out.loss = computeLoss(network.loss, checking.p!, validation.y);
            out.metric = rSquared(checking.p!, validation.y);
          }
        },
      };
    },
  };
}

/**
 * The two-layer engine: every training and validation pass of a network with one hidden ReLU
 * layer under a softmax (cross-entropy) or identity (squared error) output — the shape of all
 * three questions' networks — as one WebAssembly SIMD call on rows kept in the kernels' memory.
 * Other networks, a machine without WebAssembly SIMD, or rows that need more than 2 GiB of it are
 * refused (`unsupported` says why; `fit` then throws `ENGINE_UNSUPPORTED`).
 */
export function twoLayerEngine(options: TwoLayerEngineOptions = {}): TrainingEngine {
  const dtype = options.dtype ?? 'f64';
  if (dtype !== 'f64' && dtype !== 'f32') {
    throw new RangeError(`twoLayerEngine: dtype must be 'f64' or 'f32', not ${String(dtype)}`);
  }
  const variant = options.variant ?? bestKernelVariant();
  const whyNot = (
    network: Network,
    train: Dataset,
    validation: Dataset,
    batchSize: number,
  ): { reason?: string; plan?: ReturnType<typeof plan> } => {
    const shape = shapeOf(network, dtype);
    if (typeof shape === 'string') return { reason: shape };
    const unavailable = variantUnavailable(variant);
    if (unavailable !== undefined) return { reason: unavailable };
    const p = plan(network, shape, train, validation, batchSize);
    if (p.bytes > MAX_MEMORY_BYTES) {
      return {
        reason: `would need ${p.bytes} bytes of WebAssembly memory for these rows, over its ${MAX_MEMORY_BYTES}-byte limit (train in smaller batches, or with the reference engine)`,
      };
    }
    return { plan: p };
  };
  return {
    name: `two-layer ${dtype === 'f64' ? 'float64' : 'float32'} WebAssembly`,
    unsupported(network, train, validation, batchSize) {
      return whyNot(network, train, validation, batchSize).reason;
    },
    start(network, train, validation, batchSize) {
      const { reason, plan: p } = whyNot(network, train, validation, batchSize);
      if (p === undefined) throw new RangeError(`twoLayerEngine ${reason}`);
      return p.build(new KernelMemory(p.bytes, variant));
    },
  };
}
