import { Matrix, Rng } from '@scratchnet/linalg';

/** One of the three questions' networks: input → one hidden ReLU layer → output. */
export interface NetworkSpec {
  /** Name in the results: `genre`, `minutes`, `listening-time`. */
  name: string;
  inputs: number;
  hidden: number;
  outputs: number;
  task: 'classification' | 'regression';
  learningRate: number;
  /** What the inputs are, for the table note. */
  description: string;
}

/** The three questions' networks, as the notebooks and the CLI build them. */
export const NETWORKS: readonly NetworkSpec[] = [
  {
    name: 'genre',
    inputs: 10,
    hidden: 16,
    outputs: 10,
    task: 'classification',
    learningRate: 0.05,
    description: 'country one-hot (10) → 16 → genre softmax (10)',
  },
  {
    name: 'minutes',
    inputs: 16,
    hidden: 12,
    outputs: 1,
    task: 'regression',
    learningRate: 0.05,
    description: 'country + platform one-hot (16) → 12 → minutes (1)',
  },
  {
    name: 'listening-time',
    inputs: 1,
    hidden: 10,
    outputs: 3,
    task: 'classification',
    learningRate: 0.1,
    description: 'normalised age (1) → 10 → time of day softmax (3)',
  },
];

/** Rows of the real split: 60 % / 20 % of 5,000 listeners. */
export const TRAIN_ROWS = 3000;
export const VALIDATION_ROWS = 1000;

/** A dataset as nn takes it. */
export interface Data {
  x: Matrix;
  y: Matrix;
}

function oneHotInto(m: Matrix, row: number, offset: number, index: number): void {
  m.data[row * m.cols + offset + index] = 1;
}

/**
 * Synthetic rows with the real structure (values do not matter for timing, sparsity and the
 * number of distinct inputs do): one-hot countries (and platforms) for the genre and minutes
 * networks, a z-scored whole-year age for the listening-time network; random one-hot classes or
 * scaled minutes as targets. Seeded.
 */
export function syntheticData(spec: NetworkSpec, rows: number, seed: number): Data {
  const rng = new Rng(seed);
  const x = Matrix.zeros(rows, spec.inputs);
  const y = Matrix.zeros(rows, spec.outputs);
  for (let r = 0; r < rows; r++) {
    // Ages are whole years, 18 to 65: 48 distinct inputs, as in the real data.
    if (spec.inputs === 1) x.data[r] = -1.7 + (3.4 * rng.int(48)) / 47;
    else if (spec.inputs === 16) {
      oneHotInto(x, r, 0, rng.int(10));
      oneHotInto(x, r, 10, rng.int(6));
    } else oneHotInto(x, r, 0, rng.int(spec.inputs));
    if (spec.task === 'regression') y.data[r] = rng.uniform();
    else oneHotInto(y, r, 0, rng.int(spec.outputs));
  }
  return { x, y };
}
