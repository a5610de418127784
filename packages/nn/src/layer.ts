import { addRowVector, matmul, sumColumns } from '@scratchnet/linalg';
import type { Matrix } from '@scratchnet/linalg';
import { activate } from './activations.js';
import type { Activation } from './activations.js';

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
 * The layer's forward step on a batch of rows `input` (m × fan_in), into `z` and `a` (m × units):
 *
 *     z = a_prev · W + b        (b added to every row)
 *     a = f(z)
 *
 * Returns `a`.
 */
export function denseForward(layer: DenseLayer, input: Matrix, z: Matrix, a: Matrix): Matrix {
  matmul(input, layer.weights, { out: z });
  addRowVector(z, layer.biases, z);
  return activate(layer.activation, z, a);
}

/**
 * The layer's backward step, given `dz` = ∂loss/∂z (m × units) and the `input` the forward step
 * saw, into `gradients`, and into `daBelow` (m × fan_in) when a layer lies below:
 *
 *     dW = a_prevᵀ · dz
 *     db = Σ_rows dz
 *     da_prev = dz · Wᵀ
 *
 * (The 1/m of the mean loss is already in dz: see `outputGradient`.)
 */
export function denseBackward(
  layer: DenseLayer,
  input: Matrix,
  dz: Matrix,
  gradients: LayerGradients,
  daBelow?: Matrix,
): void {
  matmul(input, dz, { transposeA: true, out: gradients.weights });
  sumColumns(dz, gradients.biases);
  if (daBelow !== undefined) matmul(dz, layer.weights, { transposeB: true, out: daBelow });
}
