import type { Matrix } from '@scratchnet/linalg';
import type { Network } from './network.js';

// What decides how training runs its passes, shared by the float64 and float32 runs.

/**
 * Inputs with at most this fraction of nonzeros (one-hot columns: 1 in 10 for the genre
 * network) take the sparse first-layer products, where skipping zeros beats the dense kernel.
 */
const SPARSE_INPUT_DENSITY = 0.25;

/** The nonzero entries of `m` when at most `SPARSE_INPUT_DENSITY` of them are, else −1. */
export function sparseCount(m: Matrix): number {
  let nonzeros = 0;
  for (const v of m.data) nonzeros += +(v !== 0);
  return nonzeros <= SPARSE_INPUT_DENSITY * m.data.length ? nonzeros : -1;
}

/**
 * [inputs, hidden, outputs] when `network` is what linalg's `TwoLayerPass` runs — one hidden
 * ReLU layer under a softmax (cross-entropy) or identity (squared error) output, the shape of all
 * three questions' networks — else undefined.
 */
export function twoLayerShape(network: Network): [number, number, number] | undefined {
  const layers = network.layers;
  if (layers.length !== 2 || layers[0]!.activation !== 'relu') return undefined;
  const output = layers[1]!.activation;
  if (!(output === 'softmax' && network.loss === 'cross-entropy') && output !== 'identity')
    return undefined;
  return [layers[0]!.weights.rows, layers[0]!.weights.cols, layers[1]!.weights.cols];
}
