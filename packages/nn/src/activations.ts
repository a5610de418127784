import type { Matrix } from '@scratchnet/linalg';

/** The activation a layer applies to its pre-activation `z` to get its output `a`. */
export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'identity' | 'softmax';

/** Every activation name this package knows, in a stable order. */
export const ACTIVATIONS: readonly Activation[] = [
  'relu',
  'sigmoid',
  'tanh',
  'identity',
  'softmax',
];

/** Activations a hidden layer may use: softmax couples a row's units, so it is output-only. */
export const HIDDEN_ACTIVATIONS: readonly Activation[] = ['relu', 'sigmoid', 'tanh', 'identity'];

/** Whether `value` names an activation. */
export function isActivation(value: unknown): value is Activation {
  return typeof value === 'string' && (ACTIVATIONS as readonly string[]).includes(value);
}

// The element-wise functions below loop over `.data` directly: they run inside every forward and
// backward pass, and linalg's `map` would call a closure per element (and has no two-input form
// for the derivative). They are nn's own maths, not matrix kernels.

/** The logistic function, computed without overflowing `exp` for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * `a = f(z)`, row by row. `out` may be `z` itself.
 *
 * softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z): subtracting the row's maximum leaves the
 * result unchanged and keeps every `exp` ≤ 1, so large logits cannot overflow.
 */
export function activate(activation: Activation, z: Matrix, out: Matrix): Matrix {
  const zd = z.data;
  const od = out.data;
  const n = zd.length;
  switch (activation) {
    case 'relu':
      // v·[v > 0] + 0: v where positive, +0 where not, NaN for NaN (and −∞, as 0·−∞): the
      // fused passes' formula, so they give these bits, and a NaN is never silently zeroed.
      for (let i = 0; i < n; i++) {
        const v = zd[i]!;
        od[i] = v * +(v > 0) + 0;
      }
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) od[i] = sigmoid(zd[i]!);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) od[i] = Math.tanh(zd[i]!);
      break;
    case 'identity':
      if (od !== zd) od.set(zd);
      break;
    case 'softmax': {
      const cols = z.cols;
      for (let start = 0; start < n; start += cols) {
        const end = start + cols;
        let max = -Infinity;
        for (let i = start; i < end; i++) if (zd[i]! > max) max = zd[i]!;
        let sum = 0;
        for (let i = start; i < end; i++) {
          const e = Math.exp(zd[i]! - max);
          od[i] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let i = start; i < end; i++) od[i] = od[i]! * inv;
      }
      break;
    }
  }
  return out;
}

/**
 * `dz = da ⊙ f′(z)` for a hidden layer: how the loss changes with `z`, given how it changes with
 * this layer's output `a = f(z)`. `out` may be `da` itself.
 *
 * - relu: f′(z) = [z > 0] (the user's `dz1 = da1 ⊙ [z1 > 0]`; the kink at 0 counts as 0)
 * - sigmoid: f′(z) = a(1 − a)
 * - tanh: f′(z) = 1 − a²
 * - identity: f′(z) = 1
 *
 * softmax has no element-wise derivative and is rejected for hidden layers before we get here.
 */
export function activationBackward(
  activation: Activation,
  z: Matrix,
  a: Matrix,
  da: Matrix,
  out: Matrix,
): Matrix {
  const zd = z.data;
  const ad = a.data;
  const gd = da.data;
  const od = out.data;
  const n = gd.length;
  switch (activation) {
    case 'relu':
      // da·[z > 0] + 0, as the fused pass: a NaN or ∞ in da stays NaN even where z ≤ 0.
      for (let i = 0; i < n; i++) od[i] = gd[i]! * +(zd[i]! > 0) + 0;
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const s = ad[i]!;
        od[i] = gd[i]! * s * (1 - s);
      }
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const t = ad[i]!;
        od[i] = gd[i]! * (1 - t * t);
      }
      break;
    case 'identity':
      if (od !== gd) od.set(gd);
      break;
    case 'softmax':
      throw new Error('softmax has no element-wise derivative; it is only allowed as an output');
  }
  return out;
}
