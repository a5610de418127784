import { loadTf } from '../gemm/impls.js';
import type { Data, NetworkSpec } from './networks.js';
import { epochTiming } from './measure.js';
import type { EpochTiming } from './measure.js';

/**
 * TensorFlow.js `model.fit` of the same network (dense ReLU → dense softmax or linear, SGD with the
 * same learning rate, full batch, validation data), on the `cpu` or `wasm` backend, timed epoch by
 * epoch through an `onEpochEnd` callback. Inputs are float32 tensors made before timing.
 */
export async function timeTfjs(
  backend: 'cpu' | 'wasm',
  spec: NetworkSpec,
  train: Data,
  validation: Data,
  epochs: number,
): Promise<EpochTiming> {
  const tf = await loadTf();
  const layers = await import('@tensorflow/tfjs-layers');
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to start`);
  await tf.ready();
  const tensor = (m: Data['x']) => tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);
  const [x, y, xv, yv] = [
    tensor(train.x),
    tensor(train.y),
    tensor(validation.x),
    tensor(validation.y),
  ];
  const model = layers.sequential({
    layers: [
      layers.layers.dense({ inputShape: [spec.inputs], units: spec.hidden, activation: 'relu' }),
      layers.layers.dense({
        units: spec.outputs,
        activation: spec.task === 'classification' ? 'softmax' : 'linear',
      }),
    ],
  });
  model.compile({
    optimizer: tf.train.sgd(spec.learningRate),
    loss: spec.task === 'classification' ? 'categoricalCrossentropy' : 'meanSquaredError',
  });
  const stamps = [performance.now()];
  try {
    await model.fit(x, y, {
      epochs,
      batchSize: train.x.rows,
      shuffle: false,
      verbose: 0,
      validationData: [xv, yv],
      callbacks: { onEpochEnd: async () => void stamps.push(performance.now()) },
    });
  } finally {
    model.dispose();
    for (const t of [x, y, xv, yv]) t.dispose();
  }
  return epochTiming(stamps);
}
