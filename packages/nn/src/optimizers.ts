import { Matrix, axpy, scale } from '@scratchnet/linalg';
import type { DenseLayer, LayerGradients } from './layer.js';

/** How the weights move along the gradient each step. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

/** Every optimizer name, in a stable order. */
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];

/** Settings of an optimizer; unused ones are ignored. */
export interface OptimizerSettings {
  learningRate: number;
  /** Momentum's μ. Default 0.9. */
  momentum?: number;
  /** Adam's decay of the mean of gradients. Default 0.9. */
  beta1?: number;
  /** Adam's decay of the mean of squared gradients. Default 0.999. */
  beta2?: number;
  /** Adam's guard against dividing by 0. Default 1e-8. */
  epsilon?: number;
}

/** Applies one update to every layer's parameters, in place, from `grads`. */
export interface Optimizer {
  step(layers: readonly DenseLayer[], grads: readonly LayerGradients[]): void;
}

/** Each parameter matrix of `layers`, weights then biases, layer by layer. */
function parameterMatrices(layers: readonly DenseLayer[]): Matrix[] {
  return layers.flatMap((l) => [l.weights, l.biases]);
}

/** Plain gradient descent, the user's original: W ← W − lr·dW. */
class Sgd implements Optimizer {
  constructor(private readonly learningRate: number) {}

  step(layers: readonly DenseLayer[], grads: readonly LayerGradients[]): void {
    for (let l = 0; l < layers.length; l++) {
      axpy(-this.learningRate, grads[l]!.weights, layers[l]!.weights);
      axpy(-this.learningRate, grads[l]!.biases, layers[l]!.biases);
    }
  }
}

/** Heavy-ball momentum: v ← μ·v + dW, W ← W − lr·v. */
class Momentum implements Optimizer {
  private readonly velocity: Matrix[];

  constructor(
    layers: readonly DenseLayer[],
    private readonly learningRate: number,
    private readonly mu: number,
  ) {
    this.velocity = parameterMatrices(layers).map((p) => Matrix.zeros(p.rows, p.cols));
  }

  step(layers: readonly DenseLayer[], grads: readonly LayerGradients[]): void {
    for (let l = 0; l < layers.length; l++) {
      const v = this.velocity;
      const g = grads[l]!;
      const layer = layers[l]!;
      scale(v[2 * l]!, this.mu, v[2 * l]!);
      axpy(1, g.weights, v[2 * l]!);
      axpy(-this.learningRate, v[2 * l]!, layer.weights);
      scale(v[2 * l + 1]!, this.mu, v[2 * l + 1]!);
      axpy(1, g.biases, v[2 * l + 1]!);
      axpy(-this.learningRate, v[2 * l + 1]!, layer.biases);
    }
  }
}

/**
 * Adam (Kingma & Ba, 2015): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * W ← W − lr·m̂ / (√v̂ + ε) with the bias corrections m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 */
class Adam implements Optimizer {
  private readonly m: Matrix[];
  private readonly v: Matrix[];
  private t = 0;

  constructor(
    layers: readonly DenseLayer[],
    private readonly learningRate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    this.m = parameterMatrices(layers).map((p) => Matrix.zeros(p.rows, p.cols));
    this.v = parameterMatrices(layers).map((p) => Matrix.zeros(p.rows, p.cols));
  }

  step(layers: readonly DenseLayer[], grads: readonly LayerGradients[]): void {
    this.t++;
    const { beta1, beta2, epsilon } = this;
    const stepSize = this.learningRate / (1 - beta1 ** this.t);
    const vCorrection = 1 / (1 - beta2 ** this.t);
    for (let k = 0; k < 2 * layers.length; k++) {
      const layer = layers[k >> 1]!;
      const g = grads[k >> 1]!;
      const p = (k & 1) === 0 ? layer.weights.data : layer.biases.data;
      const gd = (k & 1) === 0 ? g.weights.data : g.biases.data;
      const md = this.m[k]!.data;
      const vd = this.v[k]!.data;
      // Element-wise with a square root and a division: no linalg op does this, so loop here.
      for (let i = 0; i < p.length; i++) {
        const gi = gd[i]!;
        const mi = beta1 * md[i]! + (1 - beta1) * gi;
        const vi = beta2 * vd[i]! + (1 - beta2) * gi * gi;
        md[i] = mi;
        vd[i] = vi;
        p[i] = p[i]! - (stepSize * mi) / (Math.sqrt(vi * vCorrection) + epsilon);
      }
    }
  }
}

/** Makes an optimizer with its state (velocities, moments) allocated once for `layers`. */
export function createOptimizer(
  name: OptimizerName,
  layers: readonly DenseLayer[],
  settings: OptimizerSettings,
): Optimizer {
  switch (name) {
    case 'sgd':
      return new Sgd(settings.learningRate);
    case 'momentum':
      return new Momentum(layers, settings.learningRate, settings.momentum ?? 0.9);
    case 'adam':
      return new Adam(
        layers,
        settings.learningRate,
        settings.beta1 ?? 0.9,
        settings.beta2 ?? 0.999,
        settings.epsilon ?? 1e-8,
      );
  }
}
