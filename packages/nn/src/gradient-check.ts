import type { Matrix } from '@scratchnet/linalg';
import { computeLoss } from './losses.js';
import type { Network } from './network.js';
import { Workspace, forward, lossAndGradientsOf, weightPenalty } from './propagation.js';
import type { LossAndGradients } from './propagation.js';

/** Options of `lossAndGradients` and `gradientCheck`. */
export interface GradientOptions {
  /** L2 weight decay λ: adds (λ/2)·Σ‖W‖² to the loss. Default 0. */
  weightDecay?: number;
  /** Per-row weights wᵢ: the loss becomes Σ wᵢ ℓᵢ / Σ wᵢ (see `computeLoss`). Default 1 each. */
  weights?: Float64Array;
  /** Squared error only: the spread of grouped rows (see `Dataset`), a constant of the loss. */
  spread?: Matrix;
}

/**
 * The loss of `network` on (x, y) and the gradient of that loss with respect to every weight and
 * bias, by backpropagation. Does not change the network.
 */
export function lossAndGradients(
  network: Network,
  x: Matrix,
  y: Matrix,
  options: GradientOptions = {},
): LossAndGradients {
  return lossAndGradientsOf(
    network.layers,
    network.loss,
    x,
    y,
    options.weightDecay ?? 0,
    options.weights,
    options.spread,
  );
}

/** Options of `gradientCheck`. */
export interface GradientCheckOptions extends GradientOptions {
  /** The step h of the central difference (L(θ+h) − L(θ−h)) / 2h. Default 1e-5. */
  epsilon?: number;
}

/** Where the analytic and numeric gradients disagree most. */
export interface GradientMismatch {
  /** 0-based layer index. */
  layer: number;
  parameter: 'weights' | 'biases';
  row: number;
  col: number;
  analytic: number;
  numeric: number;
  relativeError: number;
}

/** The result of `gradientCheck`. */
export interface GradientCheckResult {
  /** The largest |analytic − numeric| / max(|analytic|, |numeric|) over all parameters (pairs
   * where both are below 1e-10 count as agreeing). */
  maxRelativeError: number;
  /** The largest |analytic − numeric|. */
  maxAbsoluteError: number;
  /** Number of parameters checked (all of them). */
  parametersChecked: number;
  /** The parameter with the largest relative error. */
  worst: GradientMismatch;
}

/**
 * Checks backpropagation against central differences on every parameter: each weight and bias in
 * turn is nudged by ±ε, the loss recomputed, and (L(θ+ε) − L(θ−ε)) / 2ε compared with the
 * analytic gradient. The network is left exactly as it was (each value is put back, not re-added).
 */
export function gradientCheck(
  network: Network,
  x: Matrix,
  y: Matrix,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const epsilon = options.epsilon ?? 1e-5;
  const weightDecay = options.weightDecay ?? 0;
  const layers = network.layers;
  const { weights, spread } = options;
  const { gradients } = lossAndGradients(network, x, y, options);
  const ws = new Workspace(layers, x.rows);
  const objective = () =>
    computeLoss(network.loss, forward(layers, x, ws), y, weights, spread) +
    weightPenalty(layers, weightDecay);

  let maxRelativeError = 0;
  let maxAbsoluteError = 0;
  let parametersChecked = 0;
  let worst: GradientMismatch | undefined;
  layers.forEach((layer, l) => {
    for (const parameter of ['weights', 'biases'] as const) {
      const p = layer[parameter];
      const g = gradients[l]![parameter];
      for (let i = 0; i < p.data.length; i++) {
        const original = p.data[i]!;
        p.data[i] = original + epsilon;
        const plus = objective();
        p.data[i] = original - epsilon;
        const minus = objective();
        p.data[i] = original;
        const numeric = (plus - minus) / (2 * epsilon);
        const analytic = g.data[i]!;
        const absolute = Math.abs(analytic - numeric);
        const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        const relativeError = scale < 1e-10 ? 0 : absolute / scale;
        parametersChecked++;
        maxAbsoluteError = Math.max(maxAbsoluteError, absolute);
        if (worst === undefined || relativeError > worst.relativeError) {
          const row = Math.floor(i / p.cols);
          worst = { layer: l, parameter, row, col: i % p.cols, analytic, numeric, relativeError };
        }
        maxRelativeError = Math.max(maxRelativeError, relativeError);
      }
    }
  });
  return { maxRelativeError, maxAbsoluteError, parametersChecked, worst: worst! };
}
