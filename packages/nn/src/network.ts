import { Matrix, Rng, ShapeError } from '@scratchnet/linalg';
import { ACTIVATIONS, HIDDEN_ACTIVATIONS, isActivation } from './activations.js';
import type { Activation } from './activations.js';
import { ModelError } from './errors.js';
import { INITIALIZERS, initialWeights } from './initializers.js';
import type { Initializer } from './initializers.js';
import { lossFor } from './losses.js';
import type { Loss, Task } from './losses.js';
import { Workspace, forward } from './propagation.js';
import type { DenseLayer } from './layer.js';
import { rowClass } from './scores.js';

/** A layer's size and activation, as `Network.architecture()` lists them. */
export interface LayerSpec {
  units: number;
  activation: Activation;
}

/** One layer's parameters as plain arrays. */
export interface LayerParameters {
  activation: Activation;
  /** fan_in rows of `units` numbers: `weights[i][j]` connects input i to unit j. */
  weights: number[][];
  /** `units` numbers. */
  biases: number[];
}

/** A whole network as plain arrays: enough to rebuild it exactly, or check it elsewhere. */
export interface NetworkParameters {
  task: Task;
  /** Input side first; the last layer is the output layer. */
  layers: LayerParameters[];
}

/** Options of `Network.create`. */
export interface CreateNetworkOptions {
  /** Number of input columns. */
  inputSize: number;
  /** Units of each hidden layer, input side first. Default `[16]`, the user's design; `[]` for none. */
  hidden?: readonly number[];
  /** Activation of every hidden layer. Default `'relu'`. */
  hiddenActivation?: Activation;
  /** Number of outputs: classes (softmax), yes/no outputs (sigmoid) or regression targets. */
  outputSize: number;
  /** Classification: softmax output + cross-entropy. Regression: identity output + Σ(y−ŷ)²/(2m). */
  task: Task;
  /**
   * Classification only: `'softmax'` (default; one class per row, needs ≥ 2 outputs) or
   * `'sigmoid'` (each output an independent yes/no, with binary cross-entropy).
   */
  outputActivation?: 'softmax' | 'sigmoid';
  /** How starting weights are drawn. Default `'original'` (randn / √fan_in). */
  initializer?: Initializer;
  /** Seed of the weight draw: the same seed gives the same weights, bit for bit. */
  seed: number;
}

const isPositiveInteger = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n > 0;

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value}`;
}

/** Checks that the activations fit the task and returns the loss they pair with. */
function checkArchitecture(task: Task, activations: readonly Activation[]): Loss {
  for (let l = 0; l < activations.length - 1; l++) {
    const a = activations[l]!;
    if (!HIDDEN_ACTIVATIONS.includes(a)) {
      throw new ModelError(
        'UNSUPPORTED_ARCHITECTURE',
        `layers[${l}]: '${a}' cannot be a hidden activation (use ${HIDDEN_ACTIVATIONS.join(', ')})`,
      );
    }
  }
  const output = activations[activations.length - 1]!;
  const loss = lossFor(task, output);
  if (loss === undefined) {
    const allowed = task === 'classification' ? "'softmax' or 'sigmoid'" : "'identity'";
    throw new ModelError(
      'UNSUPPORTED_ARCHITECTURE',
      `a ${task} network's output activation must be ${allowed}, not '${output}'`,
    );
  }
  return loss;
}

/**
 * A dense feed-forward network: input → hidden layers → output. The default is the user's design,
 * one hidden ReLU layer. Train it with `fit`; it holds its weights as linalg matrices.
 */
export class Network {
  /** The loss training minimises (fixed by task and output activation). */
  readonly loss: Loss;
  /** Number of input columns. */
  readonly inputSize: number;
  /** Number of output columns. */
  readonly outputSize: number;

  private constructor(
    /** What the network is for. */
    readonly task: Task,
    /** The layers, input side first. Their matrices are the live parameters: `fit` updates them in place. */
    readonly layers: readonly DenseLayer[],
  ) {
    this.loss = checkArchitecture(
      task,
      layers.map((l) => l.activation),
    );
    this.inputSize = layers[0]!.weights.rows;
    this.outputSize = layers[layers.length - 1]!.weights.cols;
  }

  /** A new network with seeded starting weights and zero biases. */
  static create(options: CreateNetworkOptions): Network {
    const {
      inputSize,
      outputSize,
      task,
      seed,
      hidden = [16],
      hiddenActivation = 'relu',
      initializer = 'original',
    } = options;
    const bad = (message: string) => new ModelError('UNSUPPORTED_ARCHITECTURE', message);
    if (task !== 'classification' && task !== 'regression') {
      throw bad(`task must be 'classification' or 'regression', not ${describe(task)}`);
    }
    if (!isPositiveInteger(inputSize))
      throw bad(`inputSize must be a positive integer, not ${describe(inputSize)}`);
    if (!isPositiveInteger(outputSize))
      throw bad(`outputSize must be a positive integer, not ${describe(outputSize)}`);
    if (!Array.isArray(hidden)) throw bad(`hidden must be an array of layer sizes`);
    hidden.forEach((units, i) => {
      if (!isPositiveInteger(units))
        throw bad(`hidden[${i}] must be a positive integer, not ${describe(units)}`);
    });
    if (!INITIALIZERS.includes(initializer)) {
      throw bad(
        `initializer must be one of ${INITIALIZERS.join(', ')}, not ${describe(initializer)}`,
      );
    }
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw bad(`seed must be a finite number, not ${describe(seed)}`);
    }
    if (!isActivation(hiddenActivation)) {
      throw bad(
        `hiddenActivation must be one of ${ACTIVATIONS.join(', ')}, not ${describe(hiddenActivation)}`,
      );
    }
    let outputActivation: Activation;
    if (task === 'regression') {
      if (options.outputActivation !== undefined) {
        throw bad(
          `a regression network's output is linear (identity); outputActivation is for classification`,
        );
      }
      outputActivation = 'identity';
    } else {
      outputActivation = options.outputActivation ?? 'softmax';
      if (outputActivation === 'softmax' && outputSize < 2) {
        throw bad(
          `softmax needs at least 2 outputs; use outputActivation 'sigmoid' for a single yes/no output`,
        );
      }
    }
    const sizes = [inputSize, ...hidden, outputSize];
    const activations = [...hidden.map(() => hiddenActivation), outputActivation];
    checkArchitecture(task, activations);
    const rng = new Rng(seed);
    const layers = activations.map((activation, l) => ({
      activation,
      weights: initialWeights(initializer, sizes[l]!, sizes[l + 1]!, rng),
      biases: Matrix.zeros(1, sizes[l + 1]!),
    }));
    return new Network(task, layers);
  }

  /**
   * Rebuilds a network from plain arrays (as `parameters()` gives them), checking every shape and
   * number. Throws `ModelError` naming the first thing that is wrong.
   */
  static fromParameters(params: NetworkParameters): Network {
    // Checked as `unknown`: parameters often come from JSON or another program.
    const field = (message: string) => new ModelError('INVALID_FIELD', `${message}`);
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw field(`parameters must be an object with task and layers, not ${describe(params)}`);
    }
    const { task, layers } = params as { task?: unknown; layers?: unknown };
    if (task !== 'classification' && task !== 'regression') {
      throw field(`task must be 'classification' or 'regression', not ${describe(task)}`);
    }
    if (!Array.isArray(layers) || layers.length === 0) {
      throw field(`layers must be a non-empty array, not ${describe(layers)}`);
    }
    const built: DenseLayer[] = [];
    let fanIn = -1;
    // Index loops, not forEach: forEach skips the holes of a sparse array (`[1, , 2]`), which
    // would leave a weight at 0 or drop a layer without a word.
    for (let l = 0; l < layers.length; l++) {
      const layer: unknown = layers[l];
      const at = `layers[${l}]`;
      if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) {
        throw field(`${at} must be an object with activation, weights and biases`);
      }
      const { activation, weights, biases } = layer as Record<string, unknown>;
      if (!isActivation(activation)) {
        throw new ModelError(
          'UNSUPPORTED_ARCHITECTURE',
          `${at}.activation must be one of ${ACTIVATIONS.join(', ')}, not ${describe(activation)}`,
        );
      }
      if (!Array.isArray(weights) || weights.length === 0) {
        throw field(`${at}.weights must be a non-empty array of rows, not ${describe(weights)}`);
      }
      if (!Array.isArray(biases) || biases.length === 0) {
        throw field(`${at}.biases must be a non-empty array of numbers, not ${describe(biases)}`);
      }
      const units = biases.length;
      if (fanIn !== -1 && weights.length !== fanIn) {
        throw new ModelError(
          'SHAPE_MISMATCH',
          `${at}.weights has ${weights.length} rows but layers[${l - 1}] has ${fanIn} units`,
        );
      }
      // Every row's length is checked before the matrix is allocated: its size comes from the
      // file, and 100,000 short rows beside 100,000 biases would ask for 10^10 numbers.
      for (let i = 0; i < weights.length; i++) {
        const row: unknown = weights[i];
        if (!Array.isArray(row))
          throw field(`${at}.weights[${i}] must be an array, not ${describe(row)}`);
        if (row.length !== units) {
          throw new ModelError(
            'SHAPE_MISMATCH',
            `${at}.weights[${i}] has ${row.length} numbers but the layer has ${units} biases (units)`,
          );
        }
      }
      const w = Matrix.zeros(weights.length, units);
      for (let i = 0; i < weights.length; i++) {
        const row = weights[i] as unknown[];
        for (let j = 0; j < units; j++) {
          w.set(i, j, finite(row[j], `${at}.weights[${i}][${j}]`));
        }
      }
      const b = Matrix.zeros(1, units);
      for (let j = 0; j < units; j++)
        b.set(0, j, finite(biases[j] as unknown, `${at}.biases[${j}]`));
      built.push({ activation, weights: w, biases: b });
      fanIn = units;
    }
    return new Network(task, built);
  }

  /** The weights and biases as plain arrays; `Network.fromParameters` rebuilds them bit for bit. */
  parameters(): NetworkParameters {
    return {
      task: this.task,
      layers: this.layers.map((l) => ({
        activation: l.activation,
        weights: l.weights.toArrays(),
        biases: Array.from(l.biases.data),
      })),
    };
  }

  /** Each layer's units and activation, input side first (the input layer is not listed). */
  architecture(): LayerSpec[] {
    return this.layers.map((l) => ({ units: l.weights.cols, activation: l.activation }));
  }

  /** Number of weights and biases. */
  parameterCount(): number {
    let n = 0;
    for (const l of this.layers) n += l.weights.data.length + l.biases.data.length;
    return n;
  }

  /** One line, e.g. `10 → 16 (relu) → 10 (softmax), 346 parameters`. */
  summary(): string {
    const parts = [
      String(this.inputSize),
      ...this.architecture().map((s) => `${s.units} (${s.activation})`),
    ];
    return `${parts.join(' → ')}, ${this.parameterCount()} parameters`;
  }

  /** A deep copy with its own matrices. */
  clone(): Network {
    return new Network(
      this.task,
      this.layers.map((l) => ({
        activation: l.activation,
        weights: l.weights.clone(),
        biases: l.biases.clone(),
      })),
    );
  }

  /**
   * The output layer's activations for each row of `x` (m × inputSize): class probabilities for
   * classification, ŷ for regression. Returns a new m × outputSize matrix.
   */
  predict(x: Matrix): Matrix {
    if (x.cols !== this.inputSize) {
      throw new ShapeError(
        `x has ${x.cols} columns but the network takes ${this.inputSize} inputs`,
      );
    }
    const ws = new Workspace(this.layers, x.rows);
    return forward(this.layers, x, ws);
  }

  /** Class probabilities (m × classes) for each row of `x`; classification networks only. */
  predictProba(x: Matrix): Matrix {
    if (this.task !== 'classification') {
      throw new ModelError(
        'UNSUPPORTED_ARCHITECTURE',
        'predictProba needs a classification network; use predict',
      );
    }
    return this.predict(x);
  }

  /**
   * The predicted class index of each row of `x`: the most probable class (softmax), or 0/1 for a
   * single sigmoid output (probability ≥ 0.5 → 1); classification networks only.
   */
  predictClasses(x: Matrix): Int32Array {
    const p = this.predictProba(x);
    const classes = new Int32Array(p.rows);
    for (let i = 0; i < p.rows; i++) classes[i] = rowClass(p, i);
    return classes;
  }
}

function finite(value: unknown, where: string): number {
  if (typeof value !== 'number') {
    throw new ModelError('INVALID_FIELD', `${where} must be a number, not ${describe(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new ModelError(
      'NON_FINITE_NUMBER',
      `${where} is ${value}; every weight and bias must be finite`,
    );
  }
  return value;
}
