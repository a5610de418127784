import {
  Matrix,
  addRowVector,
  arenaSparseProduct,
  axpy,
  matmul,
  sumColumns,
} from '@scratchnet/linalg';
import type { MatmulOptions, SparseRows, WasmArena } from '@scratchnet/linalg';
import { activate, activationBackward } from './activations.js';
import type { Activation } from './activations.js';
import { addBiasActivate, outputGradientAndSums, reluBackwardAndSums } from './dense.js';
import { computeLoss } from './losses.js';
import type { Loss } from './losses.js';

/** One dense layer: `z = a_prev · W + b`, `a = f(z)`. */
export interface DenseLayer {
  /** fan_in × units: column j holds unit j's incoming weights. */
  readonly weights: Matrix;
  /** 1 × units. */
  readonly biases: Matrix;
  readonly activation: Activation;
}

/** The gradient of the loss with respect to one layer's parameters (same shapes). */
export interface LayerGradients {
  /** dW: fan_in × units. */
  readonly weights: Matrix;
  /** db: 1 × units. */
  readonly biases: Matrix;
}

/**
 * The buffers one forward and backward pass over `rows` examples writes into, made once and reused
 * so that training does not allocate per epoch. `z[l]`, `a[l]` and `dz[l]` are rows × units of
 * layer l (0-based: `z[0]` is the user's z1); `gradients[l]` holds dW and db of layer l.
 */
export class Workspace {
  readonly z: readonly Matrix[];
  readonly a: readonly Matrix[];
  /** dz of each layer; also holds `da` of a hidden layer just before it becomes `dz`. */
  readonly dz: readonly Matrix[];
  /** dW and db of each layer, written by `backward`. */
  readonly gradients: readonly LayerGradients[];
  /**
   * The nonzeros of the inputs `x` this workspace is used with, when they are mostly zeros
   * (one-hot columns) and in a `WasmArena` (`of` is x itself, `rows` its `arena.sparseRows(x)`
   * snapshot: x must not change afterwards). The first layer's products on that x then skip its
   * zeros (`arenaSparseProduct`), which gives the dense product's bits; when the other operand
   * (weights or gradients) holds ∞ or NaN the product is dense, so 0·∞ is NaN as IEEE says and a
   * diverging run's loss turns NaN at once. Set by training; products on any other input stay
   * dense.
   */
  sparseInput: { readonly of: Matrix; readonly rows: SparseRows } | undefined = undefined;
  // matmul's option objects, made once too: a fresh `{ out }` literal per call would be garbage.
  /** @internal */ readonly zProduct: readonly MatmulOptions[];
  /** @internal */ readonly weightGradientProduct: readonly MatmulOptions[];
  /** @internal */ readonly daProduct: readonly MatmulOptions[];

  /**
   * With an `arena`, every buffer lives in its WebAssembly memory (see
   * {@link Workspace.shapes} for how much room it needs), so the matrix products read and write
   * them in place instead of copying them in and out of WebAssembly memory on every call.
   */
  constructor(
    layers: readonly DenseLayer[],
    readonly rows: number,
    arena?: WasmArena,
  ) {
    const zeros = (r: number, c: number) =>
      arena === undefined ? Matrix.zeros(r, c) : arena.matrix(r, c);
    this.z = layers.map((l) => zeros(rows, l.weights.cols));
    this.a = layers.map((l) => zeros(rows, l.weights.cols));
    this.dz = layers.map((l) => zeros(rows, l.weights.cols));
    this.gradients = layers.map((l) => ({
      weights: zeros(l.weights.rows, l.weights.cols),
      biases: zeros(1, l.biases.cols),
    }));
    this.zProduct = this.z.map((out) => ({ out }));
    this.weightGradientProduct = this.gradients.map((g) => ({ transposeA: true, out: g.weights }));
    // da of layer l − 1 goes into dz[l − 1]; layer 0 has no layer below it.
    this.daProduct = this.dz.map((_, l) =>
      l === 0 ? {} : { transposeB: true, out: this.dz[l - 1]! },
    );
  }

  /** The shapes of the matrices a workspace for `rows` examples holds (to size an arena). */
  static shapes(layers: readonly DenseLayer[], rows: number): [number, number][] {
    return layers.flatMap((l): [number, number][] => [
      [rows, l.weights.cols],
      [rows, l.weights.cols],
      [rows, l.weights.cols],
      [l.weights.rows, l.weights.cols],
      [1, l.biases.cols],
    ]);
  }
}

/**
 * Forward propagation, for any number of layers:
 *
 *     z1 = X · W1 + b1,   a1 = f1(z1)
 *     z2 = a1 · W2 + b2,  a2 = f2(z2)   (softmax for classification, identity for regression)
 *     …
 *
 * `x` must have `ws.rows` rows. Returns the output activations, a view of `ws.a[last]`.
 */
export function forward(layers: readonly DenseLayer[], x: Matrix, ws: Workspace): Matrix {
  let input = x;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l]!;
    const z = ws.z[l]!;
    const sparse = l === 0 && ws.sparseInput?.of === input ? ws.sparseInput.rows : undefined;
    if (sparse === undefined || !arenaSparseProduct(sparse, layer.weights, z)) {
      matmul(input, layer.weights, ws.zProduct[l]);
    }
    const a = ws.a[l]!;
    if (layer.activation === 'relu' || layer.activation === 'softmax') {
      addBiasActivate(layer.activation, z, layer.biases, a);
      input = a;
    } else {
      addRowVector(z, layer.biases, z);
      input = activate(layer.activation, z, a);
    }
  }
  return input;
}

/**
 * Backpropagation after `forward(layers, x, ws)`, writing into `ws.gradients`:
 *
 *     dz_L = (a_L − y) / m                    output layer (the user's dz2)
 *     dW_l = a_{l−1}ᵀ · dz_l                   (a_0 = X, so dW1 = Xᵀ · dz1)
 *     db_l = Σ_rows dz_l                       column sums
 *     da_{l−1} = dz_l · W_lᵀ                   (the user's da1 = dz2 · W2ᵀ)
 *     dz_{l−1} = da_{l−1} ⊙ f′(z_{l−1})         (ReLU: dz1 = da1 ⊙ [z1 > 0])
 *
 * The 1/m lives in dz_L, so every gradient below it is already averaged over the rows. With
 * `weightDecay` λ > 0 the L2 term adds λ·W_l to dW_l (biases are not decayed).
 */
export function backward(
  layers: readonly DenseLayer[],
  x: Matrix,
  y: Matrix,
  ws: Workspace,
  weightDecay = 0,
): readonly LayerGradients[] {
  const last = layers.length - 1;
  outputGradientAndSums(ws.a[last]!, y, ws.dz[last]!, ws.gradients[last]!.biases);
  return backpropagate(layers, x, ws, weightDecay);
}

/**
 * `backward` from the output layer's dz and db on: training fills those in the same pass as the
 * loss (`lossAndOutputGradient`), then calls this.
 */
export function backpropagate(
  layers: readonly DenseLayer[],
  x: Matrix,
  ws: Workspace,
  weightDecay: number,
): readonly LayerGradients[] {
  const last = layers.length - 1;
  for (let l = last; l >= 0; l--) {
    const layer = layers[l]!;
    const dz = ws.dz[l]!;
    const g = ws.gradients[l]!;
    // db = Σ_rows dz is already in g.biases: the pass that made dz summed it.
    const sparse = l === 0 && ws.sparseInput?.of === x ? ws.sparseInput.rows : undefined;
    if (sparse === undefined || !arenaSparseProduct(sparse, dz, g.weights, true)) {
      matmul(l === 0 ? x : ws.a[l - 1]!, dz, ws.weightGradientProduct[l]);
    }
    if (weightDecay !== 0) axpy(weightDecay, layer.weights, g.weights);
    if (l > 0) {
      const below = layers[l - 1]!;
      const daBelow = ws.dz[l - 1]!;
      matmul(dz, layer.weights, ws.daProduct[l]);
      const gBelow = ws.gradients[l - 1]!;
      if (below.activation === 'relu') {
        reluBackwardAndSums(ws.z[l - 1]!, daBelow, gBelow.biases);
      } else {
        activationBackward(below.activation, ws.z[l - 1]!, ws.a[l - 1]!, daBelow, daBelow);
        sumColumns(daBelow, gBelow.biases);
      }
    }
  }
  return ws.gradients;
}

/** (λ/2) · Σ_l ‖W_l‖²: the L2 penalty whose gradient is λ·W. */
export function weightPenalty(layers: readonly DenseLayer[], weightDecay: number): number {
  if (weightDecay === 0) return 0;
  let sum = 0;
  for (const layer of layers) {
    const d = layer.weights.data;
    for (let i = 0; i < d.length; i++) sum += d[i]! * d[i]!;
  }
  return 0.5 * weightDecay * sum;
}

/** The loss and its gradients for one batch, as `lossAndGradients` returns them. */
export interface LossAndGradients {
  /** The objective: the data loss plus the L2 penalty (when weight decay is on). */
  readonly loss: number;
  /** The loss on the data alone, as training reports it. */
  readonly dataLoss: number;
  /** One entry per layer, input side first. */
  readonly gradients: readonly LayerGradients[];
}

/**
 * One forward and backward pass with fresh buffers: the loss of `layers` on (x, y) and its
 * gradient with respect to every weight and bias. Used by the gradient check and tests; training
 * uses the same `forward`/`backward` on buffers it keeps.
 */
export function lossAndGradientsOf(
  layers: readonly DenseLayer[],
  loss: Loss,
  x: Matrix,
  y: Matrix,
  weightDecay = 0,
): LossAndGradients {
  const ws = new Workspace(layers, x.rows);
  const output = forward(layers, x, ws);
  const dataLoss = computeLoss(loss, output, y);
  const gradients = backward(layers, x, y, ws, weightDecay);
  return { loss: dataLoss + weightPenalty(layers, weightDecay), dataLoss, gradients };
}
