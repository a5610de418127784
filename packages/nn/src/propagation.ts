import { Matrix, axpy } from '@scratchnet/linalg';
import { activationBackward } from './activations.js';
import { denseBackward, denseForward } from './layer.js';
import type { DenseLayer, LayerGradients } from './layer.js';
import { computeLoss, outputGradient } from './losses.js';
import type { Loss } from './losses.js';

/**
 * The buffers one forward and backward pass over `rows` examples writes into, made once and
 * reused, so that training does not allocate them per epoch. `z[l]`, `a[l]` and `dz[l]` are
 * rows × units of layer l (0-based: `z[0]` is the user's z1); `gradients[l]` holds its dW and db.
 */
export class Workspace {
  readonly z: readonly Matrix[];
  readonly a: readonly Matrix[];
  /** dz of each layer; also holds `da` of a hidden layer just before it becomes `dz`. */
  readonly dz: readonly Matrix[];
  /** dW and db of each layer, written by `backward`. */
  readonly gradients: readonly LayerGradients[];

  constructor(
    layers: readonly DenseLayer[],
    readonly rows: number,
  ) {
    this.z = layers.map((l) => Matrix.zeros(rows, l.weights.cols));
    this.a = layers.map((l) => Matrix.zeros(rows, l.weights.cols));
    this.dz = layers.map((l) => Matrix.zeros(rows, l.weights.cols));
    this.gradients = layers.map((l) => ({
      weights: Matrix.zeros(l.weights.rows, l.weights.cols),
      biases: Matrix.zeros(1, l.biases.cols),
    }));
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
    input = denseForward(layers[l]!, input, ws.z[l]!, ws.a[l]!);
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
 * The 1/m lives in dz_L, so every gradient below it is already averaged over the rows; with
 * per-row `weights` it is wᵢ/W instead (see `outputGradient`). With `weightDecay` λ > 0 the L2
 * term adds λ·W_l to dW_l (biases are not decayed).
 */
export function backward(
  layers: readonly DenseLayer[],
  x: Matrix,
  y: Matrix,
  ws: Workspace,
  weightDecay = 0,
  weights?: Float64Array,
): readonly LayerGradients[] {
  const last = layers.length - 1;
  outputGradient(ws.a[last]!, y, ws.dz[last]!, weights);
  for (let l = last; l >= 0; l--) {
    const below = l > 0 ? ws.dz[l - 1]! : undefined;
    denseBackward(layers[l]!, l === 0 ? x : ws.a[l - 1]!, ws.dz[l]!, ws.gradients[l]!, below);
    if (weightDecay !== 0) axpy(weightDecay, layers[l]!.weights, ws.gradients[l]!.weights);
    if (below !== undefined) {
      activationBackward(layers[l - 1]!.activation, ws.z[l - 1]!, ws.a[l - 1]!, below, below);
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
 * One forward and backward pass with fresh buffers: the loss of `layers` on (x, y) — weighted by
 * `weights`, with `spread`, when given (see `computeLoss`) — and its gradient with respect to
 * every weight and bias. Used by the gradient check and tests; the reference engine uses the
 * same `forward`/`backward` on buffers it keeps.
 */
export function lossAndGradientsOf(
  layers: readonly DenseLayer[],
  loss: Loss,
  x: Matrix,
  y: Matrix,
  weightDecay = 0,
  weights?: Float64Array,
  spread?: Matrix,
): LossAndGradients {
  const ws = new Workspace(layers, x.rows);
  const output = forward(layers, x, ws);
  const dataLoss = computeLoss(loss, output, y, weights, spread);
  const gradients = backward(layers, x, y, ws, weightDecay, weights);
  return { loss: dataLoss + weightPenalty(layers, weightDecay), dataLoss, gradients };
}
