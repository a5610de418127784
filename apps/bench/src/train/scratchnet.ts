import { Network, fit, groupIdenticalRows } from '@scratchnet/nn';
import type { Dataset } from '@scratchnet/nn';
import { twoLayerEngine } from '@scratchnet/nn-wasm';
import type { Data, NetworkSpec } from './networks.js';
import { epochTiming } from './measure.js';
import type { EpochTiming } from './measure.js';

/**
 * scratchnet's own training: `Network.create` + `fit` (full batch, plain gradient descent, early
 * stopping bookkeeping on, never triggered), timed epoch by epoch through `onEpoch`; in float64
 * (`scratchnet`) or float32 (`scratchnet-f32`), both on @scratchnet/nn-wasm's two-layer engine (float32 as TensorFlow.js computes).
 */
export function timeScratchnet(
  spec: NetworkSpec,
  train: Dataset,
  validation: Dataset,
  epochs: number,
  dtype: 'f64' | 'f32' = 'f64',
): EpochTiming {
  const network = Network.create({
    inputSize: spec.inputs,
    hidden: [spec.hidden],
    outputSize: spec.outputs,
    task: spec.task,
    seed: 1,
  });
  const stamps: number[] = [];
  stamps.push(performance.now());
  const history = fit(network, train, validation, {
    epochs,
    learningRate: spec.learningRate,
    patience: epochs + 1,
    engine: twoLayerEngine({ dtype }),
    onEpoch: () => stamps.push(performance.now()),
  });
  if (!Number.isFinite(history.bestValidationLoss)) {
    throw new Error(`scratchnet: ${spec.name} training diverged`);
  }
  return epochTiming(stamps);
}

/**
 * The rows of `data` grouped by identical input (`scratchnet-grouped`): each distinct row once,
 * weighted by its count, with its mean target — and, for the squared-error network, its spread;
 * training on them reproduces training on all the rows (nn's README shows the algebra).
 */
export function groupRows(spec: NetworkSpec, data: Data): Dataset {
  return groupIdenticalRows(data, { spread: spec.task === 'regression' }).dataset;
}
