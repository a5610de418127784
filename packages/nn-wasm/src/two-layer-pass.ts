import { Matrix } from '@scratchnet/linalg';
import type { Dtype, FloatArray } from '@scratchnet/linalg';
import {
  CALL_B1,
  CALL_B2,
  CALL_COLUMNS,
  CALL_CORRECT,
  CALL_D,
  CALL_DB1,
  CALL_DB2,
  CALL_DW1,
  CALL_DW2,
  CALL_H,
  CALL_LOSS,
  CALL_M,
  CALL_MODE,
  CALL_O,
  CALL_P,
  CALL_SCALES,
  CALL_STARTS,
  CALL_VALUES,
  CALL_W1,
  CALL_W2,
  CALL_WORK,
  CALL_X,
  CALL_Y,
  MEASURE,
  SOFTMAX,
  TRAIN,
} from './abi.generated.js';
import { KernelMemory } from './kernel-memory.js';
import type { SparseRows } from './kernel-memory.js';
import { kernelSizes } from './wasm.js';

/** The weights and biases of a network with one hidden layer (float64, any memory). */
export interface TwoLayerParameters {
  /** inputs × hidden. */
  readonly w1: Matrix;
  /** 1 × hidden. */
  readonly b1: Matrix;
  /** hidden × outputs. */
  readonly w2: Matrix;
  /** 1 × outputs. */
  readonly b2: Matrix;
}

/** Where `TwoLayerPass.gradients` writes dW1, db1, dW2, db2 (float64, any memory). */
export type TwoLayerGradients = TwoLayerParameters;

/** The network a pass runs: inputs → hidden (ReLU) → outputs (softmax or identity). */
export interface TwoLayerShape {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
  readonly output: 'softmax' | 'identity';
  /** The arithmetic: `'f64'` (the reference's bits) or `'f32'`. */
  readonly dtype: Dtype;
}

/** The loss and accuracy a float32 pass measures (see {@link TwoLayerPass}). */
export interface TwoLayerScores {
  /** The mean loss over the rows (weighted by the inputs' `scales`, when given). */
  loss: number;
  /** Softmax outputs measured by `forward` without `scales`: the fraction of rows whose first
   * largest output is their first largest target (a row with a NaN output counts as wrong). NaN
   * otherwise. */
  accuracy: number;
}

/** The inputs of one call: dense rows in the pass's memory, with their nonzeros when sparse. */
export interface TwoLayerInputs {
  /** m × inputs, float64 (f64 pass) or float32 (f32 pass), in the pass's memory. */
  readonly x: Matrix<FloatArray>;
  /** x's nonzeros (`memory.sparseRows(x)`): the first layer then skips x's zeros. */
  readonly sparse?: SparseRows;
  /**
   * Weighted rows: row i's share cᵢ = wᵢ / Σ w of the loss (m float64 in the pass's memory),
   * which replaces 1/m in dz2 = (p − y)·cᵢ and, measuring, makes the loss Σ cᵢ·lossᵢ.
   */
  readonly scales?: Float64Array;
}

/**
 * A network with one hidden ReLU layer run forward, or forward and back to its gradients, in one
 * WebAssembly call on matrices in a `KernelMemory`: rows go through in blocks of 64 that stay in
 * cache from one step to the next, and the inputs, targets and outputs are used where they are.
 * (Parameters — and gradients outside the memory, or of a float32 pass — go through small
 * staging copies: a few hundred numbers.) It computes
 *
 *     z1 = X·W1 + b1,  a1 = relu(z1),  z2 = a1·W2 + b2,  p = softmax(z2) or z2
 *     dz2 = (p − Y)/m,  dW2 = a1ᵀ·dz2,  db2 = Σ_rows dz2,
 *     dz1 = (dz2·W2ᵀ) ⊙ [z1 > 0],  dW1 = Xᵀ·dz1,  db1 = Σ_rows dz1
 *
 * (the gradients of the mean cross-entropy for softmax outputs, of Σ(p − y)²/(2m) for identity
 * outputs; with the inputs' `scales` cᵢ = wᵢ/W, row i of dz2 is (p − y)·cᵢ, the gradient of the
 * weighted mean, as nn's `outputGradient` computes it).
 *
 * - `'f64'`: the bits of @scratchnet/nn's reference layers for every finite network, on the
 *   plain-SIMD build (whose products multiply then add, as TypeScript does); the relaxed build
 *   fuses each multiply-add, so its last bits differ. The loss is left to the caller.
 * - `'f32'`: the same network in float32 arithmetic on four lanes (inputs, targets and outputs
 *   are float32 matrices; parameters and gradients stay float64 and are rounded or widened on
 *   the way in and out). Its exponential and logarithm are its own (≈ 1 ulp), and it also
 *   measures the loss — from the logits, ln Σ exp(z − max) − (z_t − max), with no clipping —
 *   and the accuracy.
 *
 * A call that does not fit (a wrong shape or element type, inputs or outputs outside the
 * memory, outputs sharing bytes with anything else) throws a `RangeError` saying what, having
 * done nothing.
 */
export class TwoLayerPass {
  private readonly memory: KernelMemory;
  private readonly call: {
    readonly int32: Int32Array;
    readonly float64: Float64Array;
    readonly at: number;
  };
  /** Parameters rounded to the pass's dtype, copied in before each call. */
  private readonly staging: Record<keyof TwoLayerParameters, Matrix<FloatArray>>;
  /** The gradients, written here when the caller's are elsewhere or float64 (f32). */
  private readonly gradientStaging: Record<keyof TwoLayerParameters, Matrix<FloatArray>>;
  private readonly work: Matrix;
  /** The operands of the last forward ([0]) and training ([1]) call that passed every check. */
  private readonly checked: (readonly unknown[] | undefined)[] = [undefined, undefined];

  /** Bytes of a `KernelMemory` a pass of this shape takes. */
  static bytesFor(shape: TwoLayerShape): number {
    const { inputs: d, hidden: h, outputs: o, dtype } = shape;
    const parameters = () =>
      KernelMemory.matrixBytes(d, h, dtype) +
      KernelMemory.matrixBytes(1, h, dtype) +
      KernelMemory.matrixBytes(h, o, dtype) +
      KernelMemory.matrixBytes(1, o, dtype);
    return (
      2 * parameters() +
      KernelMemory.matrixBytes(1, Math.ceil(workBytes(shape) / 8)) +
      KernelMemory.callRecordBytes
    );
  }

  constructor(
    memory: KernelMemory,
    readonly shape: TwoLayerShape,
  ) {
    const { inputs, hidden, outputs, output, dtype } = shape;
    for (const [n, what] of [
      [inputs, 'inputs'],
      [hidden, 'hidden'],
      [outputs, 'outputs'],
    ] as const) {
      if (!Number.isSafeInteger(n) || n < 1) {
        throw new RangeError(`TwoLayerPass: ${what} must be a positive integer, got ${n}`);
      }
    }
    if (output !== 'softmax' && output !== 'identity') {
      throw new RangeError(`TwoLayerPass: unknown output '${String(output)}'`);
    }
    if (dtype !== 'f64' && dtype !== 'f32') {
      throw new RangeError(`TwoLayerPass: unknown dtype '${String(dtype)}'`);
    }
    this.memory = memory;
    const parameters = () => ({
      w1: memory.matrix(inputs, hidden, dtype as 'f64'),
      b1: memory.matrix(1, hidden, dtype as 'f64'),
      w2: memory.matrix(hidden, outputs, dtype as 'f64'),
      b2: memory.matrix(1, outputs, dtype as 'f64'),
    });
    this.staging = parameters();
    this.gradientStaging = parameters();
    this.work = memory.matrix(1, Math.ceil(workBytes(shape) / 8));
    this.call = memory.callRecord();
  }

  /**
   * `p` ← the network's outputs for `inputs`. A float32 pass given `measure` also writes the loss
   * and accuracy against `measure.y` into `measure.scores`, and then `p` may be undefined: a pass
   * that only measures writes no outputs.
   */
  forward(
    parameters: TwoLayerParameters,
    inputs: TwoLayerInputs,
    p: Matrix<FloatArray> | undefined,
    measure?: { readonly y: Matrix<FloatArray>; readonly scores: TwoLayerScores },
  ): void {
    if (p === undefined && measure === undefined) refuse('forward needs outputs p or measure');
    this.run(0, parameters, inputs, measure?.y, p, undefined, measure?.scores);
  }

  /**
   * `out` ← the gradients of the loss against targets `y`, and `p` (unless undefined) ← the
   * outputs. A float32 pass given `scores` also writes the loss there (the accuracy, which
   * training does not need, is left NaN).
   */
  gradients(
    parameters: TwoLayerParameters,
    inputs: TwoLayerInputs,
    y: Matrix<FloatArray>,
    p: Matrix<FloatArray> | undefined,
    out: TwoLayerGradients,
    scores?: TwoLayerScores,
  ): void {
    this.run(TRAIN, parameters, inputs, y, p, out, scores);
  }

  private run(
    mode: number,
    params: TwoLayerParameters,
    { x, sparse, scales: rowScales }: TwoLayerInputs,
    y: Matrix<FloatArray> | undefined,
    p: Matrix<FloatArray> | undefined,
    out: TwoLayerGradients | undefined,
    scores: TwoLayerScores | undefined,
  ): void {
    const { inputs: d, hidden: h, outputs: o, dtype, output } = this.shape;
    const m = x.rows;
    if (scores !== undefined && dtype !== 'f32') refuse('only a float32 pass measures');
    // An engine makes the same calls every epoch: operands checked once need no new checks (a
    // matrix's shape, dtype and memory are fixed), which for a few rows is most of a call.
    const last = this.checked[mode & TRAIN];
    if (
      last === undefined ||
      last[0] !== x ||
      last[1] !== sparse ||
      last[2] !== rowScales ||
      last[3] !== y ||
      last[4] !== p ||
      last[5] !== params.w1 ||
      last[6] !== params.b1 ||
      last[7] !== params.w2 ||
      last[8] !== params.b2 ||
      last[9] !== out?.w1 ||
      last[10] !== out?.b1 ||
      last[11] !== out?.w2 ||
      last[12] !== out?.b2
    ) {
      this.checkOperands(params, x, sparse, rowScales, y, p, out);
      this.checked[mode & TRAIN] = [
        x,
        sparse,
        rowScales,
        y,
        p,
        params.w1,
        params.b1,
        params.w2,
        params.b2,
        out?.w1,
        out?.b1,
        out?.w2,
        out?.b2,
      ];
    }
    const s = this.staging;
    s.w1.data.set(params.w1.data);
    s.b1.data.set(params.b1.data);
    s.w2.data.set(params.w2.data);
    s.b2.data.set(params.b2.data);
    // Gradients go straight to the caller's matrices when they are float64 in this memory.
    const g = this.gradientStaging;
    const direct = (theirs: Matrix | undefined, mine: Matrix<FloatArray>) =>
      theirs !== undefined && dtype === 'f64' && this.memory.holds(theirs.data) ? theirs : mine;
    const dw1 = direct(out?.w1, g.w1);
    const db1 = direct(out?.b1, g.b1);
    const dw2 = direct(out?.w2, g.w2);
    const db2 = direct(out?.b2, g.b2);
    const c = this.call.int32;
    const address = (matrix: Matrix<FloatArray> | undefined) => matrix?.data.byteOffset ?? 0;
    c[CALL_MODE / 4] =
      mode | (output === 'softmax' ? SOFTMAX : 0) | (scores === undefined ? 0 : MEASURE);
    c[CALL_M / 4] = m;
    c[CALL_D / 4] = d;
    c[CALL_H / 4] = h;
    c[CALL_O / 4] = o;
    c[CALL_X / 4] = x.data.byteOffset;
    c[CALL_STARTS / 4] = sparse?.starts.byteOffset ?? 0;
    c[CALL_COLUMNS / 4] = sparse?.columns.byteOffset ?? 0;
    c[CALL_VALUES / 4] = sparse?.values.byteOffset ?? 0;
    c[CALL_Y / 4] = address(y);
    c[CALL_W1 / 4] = s.w1.data.byteOffset;
    c[CALL_B1 / 4] = s.b1.data.byteOffset;
    c[CALL_W2 / 4] = s.w2.data.byteOffset;
    c[CALL_B2 / 4] = s.b2.data.byteOffset;
    c[CALL_P / 4] = address(p);
    c[CALL_DW1 / 4] = out === undefined ? 0 : dw1.data.byteOffset;
    c[CALL_DB1 / 4] = out === undefined ? 0 : db1.data.byteOffset;
    c[CALL_DW2 / 4] = out === undefined ? 0 : dw2.data.byteOffset;
    c[CALL_DB2 / 4] = out === undefined ? 0 : db2.data.byteOffset;
    c[CALL_WORK / 4] = this.work.data.byteOffset;
    c[CALL_SCALES / 4] = rowScales?.byteOffset ?? 0;
    const k = this.memory.kernels;
    if (dtype === 'f64') k.twoLayer64(this.call.at);
    else k.twoLayer32(this.call.at);
    if (scores !== undefined) {
      const loss = this.call.float64[CALL_LOSS / 8]!;
      scores.loss = rowScales === undefined ? loss / m : loss;
      scores.accuracy =
        output === 'softmax' && mode !== TRAIN && rowScales === undefined
          ? c[CALL_CORRECT / 4]! / m
          : NaN;
    }
    if (out !== undefined) {
      if (dw1 !== out.w1) out.w1.data.set(dw1.data);
      if (db1 !== out.b1) out.b1.data.set(db1.data);
      if (dw2 !== out.w2) out.w2.data.set(dw2.data);
      if (db2 !== out.b2) out.b2.data.set(db2.data);
    }
  }

  /** Refuses operands that do not fit the pass (see the class). */
  private checkOperands(
    params: TwoLayerParameters,
    x: Matrix<FloatArray>,
    sparse: SparseRows | undefined,
    rowScales: Float64Array | undefined,
    y: Matrix<FloatArray> | undefined,
    p: Matrix<FloatArray> | undefined,
    out: TwoLayerGradients | undefined,
  ): void {
    const { inputs: d, hidden: h, outputs: o } = this.shape;
    const m = x.rows;
    this.check(x, 'x', m, d);
    if (m === 0) refuse('x has no rows');
    if (y !== undefined) this.check(y, 'y', m, o);
    if (p !== undefined) this.check(p, 'p', m, o);
    checkParameters(params, d, h, o, 'parameters');
    if (out !== undefined) checkParameters(out, d, h, o, 'gradients');
    if (
      sparse !== undefined &&
      (!this.memory.holds(sparse.values) ||
        !this.memory.holds(sparse.starts) ||
        !this.memory.holds(sparse.columns) ||
        sparse.rows !== m ||
        sparse.cols !== d)
    ) {
      refuse(`sparse must be this memory's snapshot of x (${m}×${d})`);
    }
    if (
      rowScales !== undefined &&
      (!(rowScales instanceof Float64Array) ||
        rowScales.length !== m ||
        !this.memory.holds(rowScales))
    ) {
      refuse(`scales must be ${m} float64 values in the pass's KernelMemory`);
    }
    // Written matrices may share no byte with anything the call reads or writes.
    const written: (Matrix<FloatArray> | undefined)[] = [p, out?.w1, out?.b1, out?.w2, out?.b2];
    const all: (Matrix<FloatArray> | undefined)[] = [
      x,
      y,
      params.w1,
      params.b1,
      params.w2,
      params.b2,
      ...written,
    ];
    for (const w of written) {
      if (w === undefined) continue;
      for (const other of all) {
        if (other !== undefined && other !== w && overlaps(w.data, other.data)) {
          refuse('an output shares memory with another operand');
        }
      }
      if (sparse !== undefined && overlaps(w.data, sparse.values)) {
        refuse('an output shares memory with the sparse inputs');
      }
      if (rowScales !== undefined && overlaps(w.data, rowScales)) {
        refuse('an output shares memory with the scales');
      }
    }
  }

  /** Refuses a matrix that is not rows × cols of the pass's dtype in its memory. */
  private check(matrix: Matrix<FloatArray>, name: string, rows: number, cols: number): void {
    const dtype = this.shape.dtype;
    if (!(matrix instanceof Matrix) || matrix.rows !== rows || matrix.cols !== cols) {
      refuse(`${name} must be ${rows}×${cols}`);
    }
    if ((matrix.data instanceof Float32Array ? 'f32' : 'f64') !== dtype) {
      refuse(`${name} must be ${dtype}, as the pass`);
    }
    if (!this.memory.holds(matrix.data)) refuse(`${name} must live in the pass's KernelMemory`);
  }
}

/** Scratch bytes the kernel needs (asm/twolayer.ts computes it; the caller sizes memory by it). */
function workBytes({ inputs, hidden, outputs, dtype }: TwoLayerShape): number {
  const k = kernelSizes();
  return dtype === 'f64'
    ? k.twoLayerWorkBytes(inputs, hidden, outputs)
    : k.twoLayerWorkBytes32(inputs, hidden, outputs);
}

function checkParameters(
  t: TwoLayerParameters,
  d: number,
  h: number,
  o: number,
  what: string,
): void {
  const shaped = (m: Matrix, rows: number, cols: number) =>
    m instanceof Matrix && m.data instanceof Float64Array && m.rows === rows && m.cols === cols;
  if (!(shaped(t.w1, d, h) && shaped(t.b1, 1, h) && shaped(t.w2, h, o) && shaped(t.b2, 1, o))) {
    refuse(`${what} must be float64 w1 ${d}×${h}, b1 1×${h}, w2 ${h}×${o}, b2 1×${o}`);
  }
}

/** True when two typed arrays view overlapping bytes of the same buffer. */
function overlaps(
  x: FloatArray,
  y: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number },
): boolean {
  if (x.buffer !== y.buffer || x.byteLength === 0 || y.byteLength === 0) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

function refuse(why: string): never {
  throw new RangeError(`TwoLayerPass: ${why}`);
}
