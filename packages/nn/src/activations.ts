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

/** The logistic function, computed without overflowing `exp` for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Each element-wise activation as its function and its derivative side by side: `f(z)` gives
 * a = f(z), and `dz(z, a, da)` gives da·f′(z), written from z or from a = f(z), whichever is
 * simpler.
 */
const ELEMENTWISE: Record<
  Exclude<Activation, 'softmax'>,
  { f(z: number): number; dz(z: number, a: number, da: number): number }
> = {
  // max(0, z) keeps a NaN (a diverged network) a NaN; the kink at 0 counts as slope 0.
  relu: { f: (z) => Math.max(0, z), dz: (z, _a, da) => (z > 0 ? da : 0) },
  // σ′(z) = σ(z)(1 − σ(z)) = a(1 − a)
  sigmoid: { f: sigmoid, dz: (_z, a, da) => da * a * (1 - a) },
  // tanh′(z) = 1 − tanh²(z) = 1 − a²
  tanh: { f: Math.tanh, dz: (_z, a, da) => da * (1 - a * a) },
  identity: { f: (z) => z, dz: (_z, _a, da) => da },
};

/**
 * `a = f(z)`, row by row. `out` may be `z` itself.
 *
 * softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z): subtracting the row's maximum leaves the
 * result unchanged and keeps every `exp` ≤ 1, so large logits cannot overflow. (Each exp is
 * multiplied by 1/Σ rather than divided by Σ: the fast engines do so, and this gives their bits.)
 */
export function activate(activation: Activation, z: Matrix, out: Matrix): Matrix {
  const zd = z.data;
  const od = out.data;
  if (activation !== 'softmax') {
    const { f } = ELEMENTWISE[activation];
    for (let i = 0; i < zd.length; i++) od[i] = f(zd[i]!);
    return out;
  }
  const cols = z.cols;
  for (let start = 0; start < zd.length; start += cols) {
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
  return out;
}

/**
 * `dz = da ⊙ f′(z)` for a hidden layer: how the loss changes with `z`, given how it changes with
 * this layer's output `a = f(z)`. `out` may be `da` itself.
 *
 * softmax has no element-wise derivative: it is only an output, whose dz comes from the loss
 * (`outputGradient`), and is rejected for hidden layers before we get here.
 */
export function activationBackward(
  activation: Activation,
  z: Matrix,
  a: Matrix,
  da: Matrix,
  out: Matrix,
): Matrix {
  if (activation === 'softmax') {
    throw new Error('softmax has no element-wise derivative; it is only allowed as an output');
  }
  const { dz } = ELEMENTWISE[activation];
  const zd = z.data;
  const ad = a.data;
  const gd = da.data;
  const od = out.data;
  for (let i = 0; i < gd.length; i++) od[i] = dz(zd[i]!, ad[i]!, gd[i]!);
  return out;
}
