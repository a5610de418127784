import { Matrix, Rng } from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { HIDDEN_ACTIVATIONS } from './activations.js';
import { gradientCheck, lossAndGradients } from './gradient-check.js';
import { Network } from './network.js';

type Output = 'softmax' | 'sigmoid' | 'identity';

/** Random inputs and targets that suit the output: one-hot rows, 0/1 values, or real values. */
function data(rows: number, inputs: number, outputs: number, output: Output, seed: number) {
  const rng = new Rng(seed);
  const x = Matrix.zeros(rows, inputs);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const y = Matrix.zeros(rows, outputs);
  for (let i = 0; i < rows; i++) {
    if (output === 'softmax') y.set(i, rng.int(outputs), 1);
    else
      for (let j = 0; j < outputs; j++)
        y.set(i, j, output === 'sigmoid' ? rng.int(2) : rng.normal() * 2);
  }
  return { x, y };
}

function network(
  inputs: number,
  hidden: number[],
  outputs: number,
  activation: string,
  output: Output,
  seed: number,
) {
  const net = Network.create({
    inputSize: inputs,
    hidden,
    hiddenActivation: activation as 'relu',
    outputSize: outputs,
    task: output === 'identity' ? 'regression' : 'classification',
    ...(output === 'sigmoid' ? { outputActivation: 'sigmoid' as const } : {}),
    initializer: 'glorot-uniform',
    seed,
  });
  // Non-zero biases, so their gradients are exercised away from the starting point too.
  const rng = new Rng(seed + 1);
  for (const layer of net.layers)
    for (let j = 0; j < layer.biases.data.length; j++) layer.biases.data[j] = rng.normal() * 0.1;
  return net;
}

const shapes: { inputs: number; hidden: number[]; outputs: (o: Output) => number; rows: number }[] =
  [
    { inputs: 3, hidden: [4], outputs: (o) => (o === 'identity' ? 1 : 3), rows: 5 },
    { inputs: 5, hidden: [7, 3], outputs: (o) => (o === 'sigmoid' ? 1 : 4), rows: 8 },
    { inputs: 2, hidden: [], outputs: () => 2, rows: 3 },
    { inputs: 1, hidden: [6, 5, 4], outputs: () => 3, rows: 1 },
  ];

describe('gradientCheck: backpropagation agrees with central differences', () => {
  const outputs: Output[] = ['softmax', 'sigmoid', 'identity'];
  for (const output of outputs) {
    for (const activation of HIDDEN_ACTIVATIONS) {
      it(`${activation} hidden layers → ${output} output, on ${shapes.length} shapes`, () => {
        shapes.forEach((shape, s) => {
          const k = shape.outputs(output);
          if (output === 'softmax' && k < 2) return;
          const net = network(shape.inputs, shape.hidden, k, activation, output, 100 + s);
          const { x, y } = data(shape.rows, shape.inputs, k, output, 200 + s);
          const result = gradientCheck(net, x, y);
          expect(result.parametersChecked).toBe(net.parameterCount());
          expect(result.maxRelativeError, JSON.stringify(result.worst)).toBeLessThan(1e-6);
        });
      });
    }
  }

  it('holds with L2 weight decay on', () => {
    const net = network(4, [5], 3, 'tanh', 'softmax', 7);
    const { x, y } = data(6, 4, 3, 'softmax', 8);
    expect(gradientCheck(net, x, y, { weightDecay: 0.3 }).maxRelativeError).toBeLessThan(1e-6);
  });

  it('holds with per-row weights (some 0), and with the spread of squared error', () => {
    const outputs: Output[] = ['softmax', 'sigmoid', 'identity'];
    outputs.forEach((output, s) => {
      const k = output === 'sigmoid' ? 1 : 3;
      const net = network(4, [5], k, 'tanh', output, 20 + s);
      const { x, y } = data(7, 4, k, output, 30 + s);
      const weights = new Float64Array([0.5, 2, 0, 1, 3.25, 0.125, 1]);
      const weighted = gradientCheck(net, x, y, { weights });
      expect(weighted.maxRelativeError, JSON.stringify(weighted.worst)).toBeLessThan(1e-6);
      // The weights change the gradients: a check that ignored them would not see it.
      const plain = lossAndGradients(net, x, y).gradients[0]!.weights.data;
      const scaled = lossAndGradients(net, x, y, { weights }).gradients[0]!.weights.data;
      expect(Math.max(...plain.map((v, i) => Math.abs(v - scaled[i]!)))).toBeGreaterThan(1e-3);
    });
    const net = network(4, [5], 2, 'relu', 'identity', 40);
    const { x, y } = data(5, 4, 2, 'identity', 41);
    const spread = Matrix.fromArrays([
      [1, 0],
      [0, 0],
      [2.5, 4],
      [0, 0],
      [0, 7],
    ]);
    const weights = new Float64Array([3, 1, 2, 1, 4]);
    const result = gradientCheck(net, x, y, { weights, spread });
    expect(result.maxRelativeError, JSON.stringify(result.worst)).toBeLessThan(1e-6);
    // The spread is a constant of the loss: (Σ w·(y − ŷ)² + Σ spread) / (2W).
    const without = lossAndGradients(net, x, y, { weights }).loss;
    expect(lossAndGradients(net, x, y, { weights, spread }).loss - without).toBeCloseTo(
      14.5 / 22,
      14,
    );
  });

  it('leaves every parameter exactly as it was', () => {
    const net = network(3, [4], 2, 'sigmoid', 'softmax', 9);
    const before = JSON.stringify(net.parameters());
    const { x, y } = data(4, 3, 2, 'softmax', 10);
    gradientCheck(net, x, y);
    expect(JSON.stringify(net.parameters())).toBe(before);
  });

  it('reports a disagreement when there is one', () => {
    // A check that cannot fail proves nothing. At a ReLU kink (z exactly 0) backprop uses the
    // derivative 0, while the central difference sees half the slope: the check must flag it.
    const net = Network.fromParameters({
      task: 'regression',
      layers: [
        { activation: 'relu', weights: [[1]], biases: [-1] },
        { activation: 'identity', weights: [[2]], biases: [0] },
      ],
    });
    const x = Matrix.fromArrays([[1]]); // z1 = 1·1 − 1 = 0: on the kink
    const y = Matrix.fromArrays([[3]]);
    const result = gradientCheck(net, x, y);
    expect(result.maxRelativeError).toBeGreaterThan(0.5);
    expect(result.worst.layer).toBe(0);
    expect(result.worst.analytic).toBe(0);

    // And a step far too large for the curvature of tanh is flagged too.
    const smooth = network(3, [4], 2, 'tanh', 'softmax', 11);
    const { x: xs, y: ys } = data(5, 3, 2, 'softmax', 12);
    expect(gradientCheck(smooth, xs, ys, { epsilon: 0.5 }).maxRelativeError).toBeGreaterThan(1e-6);
  });
});
