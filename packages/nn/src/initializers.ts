import { Matrix } from '@scratchnet/linalg';
import type { Rng } from '@scratchnet/linalg';

/**
 * How a layer's starting weights are drawn (biases always start at 0):
 * - `original`: N(0, 1) / √fan_in, as the user's notebook did
 * - `he`: N(0, 1) · √(2 / fan_in), suited to ReLU
 * - `glorot-uniform`: U(−l, l) with l = √(6 / (fan_in + fan_out)), suited to tanh and sigmoid
 */
export type Initializer = 'original' | 'he' | 'glorot-uniform';

/** Every initializer name, in a stable order. */
export const INITIALIZERS: readonly Initializer[] = ['original', 'he', 'glorot-uniform'];

/** Draws a fanIn × fanOut weight matrix, row by row, from `rng`. */
export function initialWeights(
  initializer: Initializer,
  fanIn: number,
  fanOut: number,
  rng: Rng,
): Matrix {
  const w = Matrix.zeros(fanIn, fanOut);
  const d = w.data;
  switch (initializer) {
    case 'original': {
      const s = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < d.length; i++) d[i] = rng.normal() * s;
      break;
    }
    case 'he': {
      const s = Math.sqrt(2 / fanIn);
      for (let i = 0; i < d.length; i++) d[i] = rng.normal() * s;
      break;
    }
    case 'glorot-uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < d.length; i++) d[i] = rng.uniformRange(-limit, limit);
      break;
    }
  }
  return w;
}
