import { Matrix } from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { lossAndGradients } from './gradient-check.js';
import { Network } from './network.js';
import { Workspace, forward } from './propagation.js';

const close = (actual: Matrix, expected: number[][]) => {
  expect(actual.rows).toBe(expected.length);
  expected.forEach((row, i) => row.forEach((v, j) => expect(actual.get(i, j)).toBeCloseTo(v, 14)));
};

// The same tiny hidden layer for both networks below (2 inputs → 2 ReLU units), two examples:
//
//   X  = [[ 1, 2],     W1 = [[0.5 , -1  ],     b1 = [0, 0.5]
//         [-1, 1]]           [0.25,  0.5]]
//
//   z1 = X·W1 + b1 = [[ 1·0.5 + 2·0.25,      1·(-1) + 2·0.5 + 0.5 ],   = [[ 1   , 0.5],
//                     [-1·0.5 + 1·0.25,     -1·(-1) + 1·0.5 + 0.5 ]]      [-0.25, 2  ]]
//   a1 = ReLU(z1)                                                       = [[ 1   , 0.5],
//                                                                          [ 0   , 2  ]]
const X = [
  [1, 2],
  [-1, 1],
];
const hidden = {
  activation: 'relu' as const,
  weights: [
    [0.5, -1],
    [0.25, 0.5],
  ],
  biases: [0, 0.5],
};

describe('a hand-worked 2 → 2 → 2 classifier', () => {
  // Output layer: W2 = [[1, -1], [0.5, 0]], b2 = [0.1, -0.1]; targets y = [[1, 0], [0, 1]].
  //
  //   z2 = a1·W2 + b2 = [[1 + 0.25 + 0.1, -1 + 0 - 0.1],  = [[1.35, -1.1],
  //                      [0 + 1    + 0.1,  0 + 0 - 0.1]]     [1.1 , -0.1]]
  //   a2 = softmax(z2): a row [u, v] gives [1/(1+e^(v−u)), 1/(1+e^(u−v))], so
  //     p = a2[0][0] = 1/(1+e^(−2.45)) ≈ 0.920561,  a2[0][1] = 1 − p
  //     q = a2[1][0] = 1/(1+e^(−1.2))  ≈ 0.768525,  a2[1][1] = 1 − q
  //   loss = −(ln p + ln(1 − q)) / 2 ≈ 0.773027
  //
  // Backward (m = 2):
  //   dz2 = (a2 − y)/2 = [[(p−1)/2, (1−p)/2], [q/2, −q/2]]
  //   dW2 = a1ᵀ·dz2, a1ᵀ = [[1, 0], [0.5, 2]]:
  //       = [[(p−1)/2,           (1−p)/2          ],
  //          [(p−1)/4 + q,     −((p−1)/4 + q)     ]]
  //   db2 = column sums of dz2 = [(p−1+q)/2, −(p−1+q)/2]
  //   da1 = dz2·W2ᵀ, W2ᵀ = [[1, 0.5], [−1, 0]]: row [d0, d1] ↦ [d0 − d1, 0.5·d0]
  //       = [[p−1, (p−1)/4], [q, q/4]]
  //   dz1 = da1 ⊙ [z1 > 0], mask [[1, 1], [0, 1]]:
  //       = [[p−1, (p−1)/4], [0, q/4]]
  //   dW1 = Xᵀ·dz1, Xᵀ = [[1, −1], [2, 1]]:
  //       = [[p−1,      (p−1)/4 − q/4],
  //          [2(p−1),   (p−1)/2 + q/4]]
  //   db1 = [p−1, (p−1)/4 + q/4]
  const network = Network.fromParameters({
    task: 'classification',
    layers: [
      hidden,
      {
        activation: 'softmax',
        weights: [
          [1, -1],
          [0.5, 0],
        ],
        biases: [0.1, -0.1],
      },
    ],
  });
  const x = Matrix.fromArrays(X);
  const y = Matrix.fromArrays([
    [1, 0],
    [0, 1],
  ]);
  const p = 1 / (1 + Math.exp(-2.45));
  const q = 1 / (1 + Math.exp(-1.2));

  it('computes z1, a1, z2 and a2 as worked out by hand', () => {
    const ws = new Workspace(network.layers, 2);
    const a2 = forward(network.layers, x, ws);
    close(ws.z[0]!, [
      [1, 0.5],
      [-0.25, 2],
    ]);
    close(ws.a[0]!, [
      [1, 0.5],
      [0, 2],
    ]);
    close(ws.z[1]!, [
      [1.35, -1.1],
      [1.1, -0.1],
    ]);
    close(a2, [
      [p, 1 - p],
      [q, 1 - q],
    ]);
    expect(p).toBeCloseTo(0.920561, 6);
    expect(q).toBeCloseTo(0.768525, 6);
  });

  it('computes the loss and every gradient as worked out by hand', () => {
    const { loss, gradients } = lossAndGradients(network, x, y);
    expect(loss).toBeCloseTo(-(Math.log(p) + Math.log(1 - q)) / 2, 14);
    expect(loss).toBeCloseTo(0.773027, 6);
    const [g1, g2] = gradients;
    close(g2!.weights, [
      [(p - 1) / 2, (1 - p) / 2],
      [(p - 1) / 4 + q, -((p - 1) / 4 + q)],
    ]);
    close(g2!.biases, [[(p - 1 + q) / 2, -(p - 1 + q) / 2]]);
    close(g1!.weights, [
      [p - 1, (p - 1) / 4 - q / 4],
      [2 * (p - 1), (p - 1) / 2 + q / 4],
    ]);
    close(g1!.biases, [[p - 1, (p - 1) / 4 + q / 4]]);
  });
});

describe('a hand-worked 2 → 2 → 1 regressor', () => {
  // Output layer: W2 = [[1], [−0.5]], b2 = [0.25]; targets y = [[2], [−1]].
  //   ŷ = a1·W2 + b2 = [[1 − 0.25 + 0.25], [0 − 1 + 0.25]] = [[1], [−0.75]]
  //   loss = Σ(y − ŷ)²/(2m) = (1² + 0.25²)/4 = 0.265625
  //   dz2 = (ŷ − y)/m = [[−0.5], [0.125]]
  //   dW2 = a1ᵀ·dz2 = [[1·(−0.5) + 0·0.125], [0.5·(−0.5) + 2·0.125]] = [[−0.5], [0]]
  //   db2 = [−0.375]
  //   da1 = dz2·W2ᵀ = [[−0.5, 0.25], [0.125, −0.0625]]
  //   dz1 = da1 ⊙ [z1 > 0] = [[−0.5, 0.25], [0, −0.0625]]
  //   dW1 = Xᵀ·dz1 = [[−0.5 − 0, 0.25 + 0.0625], [−1 + 0, 0.5 − 0.0625]] = [[−0.5, 0.3125], [−1, 0.4375]]
  //   db1 = [−0.5, 0.1875]
  // (Every number is a binary fraction, so the results are exact.)
  const network = Network.fromParameters({
    task: 'regression',
    layers: [hidden, { activation: 'identity', weights: [[1], [-0.5]], biases: [0.25] }],
  });
  const x = Matrix.fromArrays(X);
  const y = Matrix.fromArrays([[2], [-1]]);

  it('predicts, and gives the loss and gradients worked out by hand, exactly', () => {
    expect(network.predict(x).toArrays()).toEqual([[1], [-0.75]]);
    const { loss, gradients } = lossAndGradients(network, x, y);
    expect(loss).toBe(0.265625);
    expect(gradients[1]!.weights.toArrays()).toEqual([[-0.5], [0]]);
    expect(gradients[1]!.biases.toArrays()).toEqual([[-0.375]]);
    expect(gradients[0]!.weights.toArrays()).toEqual([
      [-0.5, 0.3125],
      [-1, 0.4375],
    ]);
    expect(gradients[0]!.biases.toArrays()).toEqual([[-0.5, 0.1875]]);
  });
});

describe('weight decay', () => {
  it('adds λ·W to dW and (λ/2)·Σ W² to the loss, and leaves biases alone', () => {
    const network = Network.create({ inputSize: 3, outputSize: 2, task: 'regression', seed: 4 });
    const x = Matrix.fromArrays([
      [1, 0, -1],
      [0.5, 2, 0],
    ]);
    const y = Matrix.fromArrays([
      [1, 0],
      [0, 1],
    ]);
    const plain = lossAndGradients(network, x, y);
    const decayed = lossAndGradients(network, x, y, { weightDecay: 0.1 });
    let sumSquares = 0;
    network.layers.forEach((layer, l) => {
      layer.weights.data.forEach((w, i) => {
        sumSquares += w * w;
        expect(decayed.gradients[l]!.weights.data[i]).toBeCloseTo(
          plain.gradients[l]!.weights.data[i]! + 0.1 * w,
          14,
        );
      });
      expect(decayed.gradients[l]!.biases.data).toEqual(plain.gradients[l]!.biases.data);
    });
    expect(decayed.dataLoss).toBe(plain.loss);
    expect(decayed.loss).toBeCloseTo(plain.loss + 0.05 * sumSquares, 14);
  });
});
