import type { Matrix } from '@scratchnet/linalg';
import { Network, Workspace, backward, fit, forward } from '@scratchnet/nn';
import type { Data, NetworkSpec } from './networks.js';

/** Smallest positive normal float64; nonzero values below it are subnormal. */
export const MIN_NORMAL = 2 ** -1022;

/** Subnormals seen in one kind of array over a whole training run. */
export interface SubnormalCount {
  /** `W`, `b`, `z`, `a`, `dz`, `dW`, `db`. */
  kind: string;
  /** Values looked at (summed over epochs). */
  values: number;
  /** Of those, how many were subnormal. */
  subnormal: number;
  /** The smallest nonzero magnitude seen (how far from the subnormal range training came). */
  smallestNonzero: number;
}

/** Counts subnormals of `m` into `into` and tracks its smallest nonzero magnitude. */
export function scan(m: Matrix | Float64Array, into: SubnormalCount): void {
  const data = m instanceof Float64Array ? m : m.data;
  let subnormal = 0;
  let smallest = into.smallestNonzero;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]!);
    if (v !== 0) {
      if (v < MIN_NORMAL) subnormal++;
      if (v < smallest) smallest = v;
    }
  }
  into.values += data.length;
  into.subnormal += subnormal;
  into.smallestNonzero = smallest;
}

/**
 * Trains `spec` with `fit` for `epochs` epochs and, after every epoch, runs one extra forward and
 * backward pass on the training rows, counting subnormal values in the parameters (W, b), the
 * pre-activations and activations (z, a), the output and hidden deltas (dz) and the gradients
 * (dW, db). Subnormals make float arithmetic 70–170× slower on this machine, and neither
 * JavaScript nor WebAssembly can flush them to zero, so this tells whether training makes any.
 */
export function countSubnormals(
  spec: NetworkSpec,
  train: Data,
  validation: Data,
  epochs: number,
): SubnormalCount[] {
  const network = Network.create({
    inputSize: spec.inputs,
    hidden: [spec.hidden],
    outputSize: spec.outputs,
    task: spec.task,
    seed: 1,
  });
  const kinds = ['W', 'b', 'z', 'a', 'dz', 'dW', 'db'];
  const counts = new Map(
    kinds.map((kind) => [kind, { kind, values: 0, subnormal: 0, smallestNonzero: Infinity }]),
  );
  const ws = new Workspace(network.layers, train.x.rows);
  const count = (kind: string, m: Matrix) => scan(m, counts.get(kind)!);
  fit(network, train, validation, {
    epochs,
    learningRate: spec.learningRate,
    patience: epochs + 1,
    onEpoch: () => {
      forward(network.layers, train.x, ws);
      const gradients = backward(network.layers, train.x, train.y, ws);
      network.layers.forEach((layer, l) => {
        count('W', layer.weights);
        count('b', layer.biases);
        count('z', ws.z[l]!);
        count('a', ws.a[l]!);
        count('dz', ws.dz[l]!);
        count('dW', gradients[l]!.weights);
        count('db', gradients[l]!.biases);
      });
    },
  });
  return [...counts.values()];
}
