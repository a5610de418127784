import type { Dtype, FloatArray } from '../dtype.js';
import { dtypeOf } from '../dtype.js';
import { Matrix } from '../matrix.js';
import { overlaps } from '../memory.js';
import { WasmArena, isArenaSparseRows } from './arena.js';
import type { SparseRows } from './arena.js';
import { arenaRuntimeOf } from './gemm.js';
import type { TwoLayerArgs, WasmGemmRuntime } from './runtime.js';

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

/** The loss and accuracy a float32 pass measures (see {@link TwoLayerPass}). */
export interface TwoLayerScores {
  /** The mean loss over the rows. */
  loss: number;
  /** Softmax outputs measured by `forward`: the fraction of rows whose first largest output is
   * their first largest target. NaN for identity outputs and for `gradients`. */
  accuracy: number;
}

/** Mode bits of the kernels (asm/twolayer.ts). */
const TRAIN = 1;
const SOFTMAX = 2;
const MEASURE = 4;

/**
 * A network with one hidden ReLU layer — input → hidden (ReLU) → output (softmax or identity) —
 * run forward, or forward and back to its gradients, in one WebAssembly call on matrices in a
 * `WasmArena`: rows go through in blocks of 64 that stay in cache from one step to the next, and
 * the inputs, targets and outputs are used where they are. (Parameters — and gradients that live
 * outside the arena, or in float32 passes — go through small staging copies: a few hundred
 * numbers.) It computes
 *
 *     z1 = X·W1 + b1,  a1 = relu(z1),  z2 = a1·W2 + b2,  p = softmax(z2) or z2
 *     dz2 = (p − Y)/m,  dW2 = a1ᵀ·dz2,  db2 = Σ_rows dz2,
 *     dz1 = (dz2·W2ᵀ) ⊙ [z1 > 0],  dW1 = Xᵀ·dz1,  db1 = Σ_rows dz1
 *
 * (the gradients of the mean cross-entropy for softmax outputs, of Σ(p − y)²/(2m) for identity
 * outputs).
 *
 * - `'f64'`: the bits of the separate steps (`matmul` with the arena's kernel or
 *   `arenaSparseProduct` for sparse inputs, then the `arena*` element-wise passes). The loss is
 *   left to the caller, whose `Math.log` defines its bits.
 * - `'f32'`: the same network in float32 arithmetic on four lanes (inputs, targets and outputs
 *   are float32 matrices; parameters and gradients stay float64 and are rounded or widened on the
 *   way in and out). Its exponential and logarithm are its own (≈ 1 ulp), and it also measures
 *   the loss — from the logits, ln Σ exp(z − max) − (z_t − max), with no clipping — and the
 *   accuracy.
 *
 * The methods return false, having done nothing, when a matrix does not fit: wrong shape or
 * element type, inputs or outputs outside the arena, outputs sharing memory with anything else.
 * The caller then takes the separate steps.
 */
export class TwoLayerPass {
  private readonly runtime: WasmGemmRuntime;
  private readonly buffer: ArrayBufferLike;
  /** Parameters outside the arena (f64) or rounded to float32 (f32) are copied in here. */
  private readonly staging:
    TwoLayerParameters | Record<keyof TwoLayerParameters, Matrix<Float32Array>>;
  /** The gradients, written here when the caller's are elsewhere or float64 (f32). */
  private readonly gradientStaging:
    TwoLayerParameters | Record<keyof TwoLayerParameters, Matrix<Float32Array>>;
  private readonly work: Matrix;
  /** The matrices of one call, for its checks (kept, so that a call allocates nothing). */
  private readonly operands: Matrix<FloatArray>[] = [];

  /** Arena bytes a pass for these sizes takes (see {@link WasmArena.bytesFor}). */
  static bytesFor(inputs: number, hidden: number, outputs: number, dtype: Dtype = 'f64'): number {
    const size = dtype === 'f32' ? 4 : 8;
    const parameters = inputs * hidden + hidden + hidden * outputs + outputs;
    // Two sets of parameters (in and out), each matrix aligned, plus the kernel's scratch.
    return (
      WasmArena.bytesFor([
        [1, Math.ceil((parameters * size) / 8)],
        [1, Math.ceil((parameters * size) / 8)],
        [1, Math.ceil(workBytes(inputs, hidden, outputs, dtype) / 8)],
      ]) +
      8 * 64
    );
  }

  constructor(
    arena: WasmArena,
    readonly inputs: number,
    readonly hidden: number,
    readonly outputs: number,
    readonly output: 'softmax' | 'identity',
    readonly dtype: Dtype = 'f64',
  ) {
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
    const parameters = () =>
      dtype === 'f64'
        ? {
            w1: arena.matrix(inputs, hidden),
            b1: arena.matrix(1, hidden),
            w2: arena.matrix(hidden, outputs),
            b2: arena.matrix(1, outputs),
          }
        : {
            w1: arena.matrix(inputs, hidden, 'f32'),
            b1: arena.matrix(1, hidden, 'f32'),
            w2: arena.matrix(hidden, outputs, 'f32'),
            b2: arena.matrix(1, outputs, 'f32'),
          };
    this.staging = parameters();
    this.gradientStaging = parameters();
    this.work = arena.matrix(1, Math.ceil(workBytes(inputs, hidden, outputs, dtype) / 8));
    this.runtime = arenaRuntimeOf(this.work.data)!;
    this.buffer = this.work.data.buffer;
  }

  /**
   * `p` ← the network's outputs for `x` (with its `sparse` nonzeros, if given). A float32 pass
   * given `measure` also writes the loss and accuracy against `measure.y` into `measure.scores`,
   * and then `p` may be undefined: a pass that only measures writes no outputs.
   */
  forward(
    parameters: TwoLayerParameters,
    x: Matrix<FloatArray>,
    sparse: SparseRows | undefined,
    p: Matrix<FloatArray> | undefined,
    measure?: { readonly y: Matrix<FloatArray>; readonly scores: TwoLayerScores },
  ): boolean {
    if (p === undefined && measure === undefined) return false;
    return this.run(0, parameters, x, sparse, measure?.y, p, undefined, measure?.scores);
  }

  /**
   * `out` ← the gradients of the loss against targets `y`, and `p` (unless undefined) ← the
   * outputs for `x`. A float32 pass given `scores` also writes the loss there (the accuracy,
   * which training does not need, is left NaN).
   */
  gradients(
    parameters: TwoLayerParameters,
    x: Matrix<FloatArray>,
    sparse: SparseRows | undefined,
    y: Matrix<FloatArray>,
    p: Matrix<FloatArray> | undefined,
    out: TwoLayerGradients,
    scores?: TwoLayerScores,
  ): boolean {
    return this.run(TRAIN, parameters, x, sparse, y, p, out, scores);
  }

  private run(
    mode: number,
    params: TwoLayerParameters,
    x: Matrix<FloatArray>,
    sparse: SparseRows | undefined,
    y: Matrix<FloatArray> | undefined,
    p: Matrix<FloatArray> | undefined,
    out: TwoLayerGradients | undefined,
    scores: TwoLayerScores | undefined,
  ): boolean {
    const { inputs: d, hidden: h, outputs: o } = this;
    const m = x.rows;
    if (m === 0 || x.cols !== d) return false;
    if (p !== undefined && (p.rows !== m || p.cols !== o)) return false;
    if (!fits(params, d, h, o) || (out !== undefined && !fits(out, d, h, o))) return false;
    if (y !== undefined && (y.rows !== m || y.cols !== o)) return false;
    if (scores !== undefined && (this.dtype !== 'f32' || y === undefined)) return false;
    // Only a snapshot made by this pass's own arena: the kernel reads its indices as addresses.
    if (
      sparse !== undefined &&
      !(
        isArenaSparseRows(sparse) &&
        sparse.values.buffer === this.buffer &&
        sparse.rows === m &&
        sparse.cols === d
      )
    )
      return false;
    // Checked without building arrays: training calls this every epoch and allocates nothing.
    // Without p, x stands in for it: read, and the written ones are checked against it anyway.
    const ms = this.operands;
    ms[0] = p ?? x;
    ms[1] = x;
    ms[2] = y ?? x;
    for (let i = 0; i < 3; i++) {
      if (!this.inArena(ms[i]!) || dtypeOf(ms[i]!.data) !== this.dtype) return false;
    }
    let count = 3;
    if (out !== undefined) {
      ms[3] = out.w1;
      ms[4] = out.b1;
      ms[5] = out.w2;
      ms[6] = out.b2;
      count = 7;
    }
    // p and the gradients (0 and ≥ 3) are written: they may share no byte with another operand
    // or a parameter.
    for (let i = p === undefined ? 3 : 0; i < count; i++) {
      if (i === 1 || i === 2) continue;
      const w = ms[i]!;
      for (let j = 0; j < count; j++) {
        if (j !== i && overlaps(ms[j]!.data, w.data)) return false;
      }
      if (
        overlaps(params.w1.data, w.data) ||
        overlaps(params.b1.data, w.data) ||
        overlaps(params.w2.data, w.data) ||
        overlaps(params.b2.data, w.data)
      )
        return false;
      if (
        sparse !== undefined &&
        (overlaps(sparse.starts, w.data) ||
          overlaps(sparse.columns, w.data) ||
          overlaps(sparse.values, w.data))
      )
        return false;
    }
    const staging = this.staging;
    const w1 = this.place(params.w1, staging.w1);
    const b1 = this.place(params.b1, staging.b1);
    const w2 = this.place(params.w2, staging.w2);
    const b2 = this.place(params.b2, staging.b2);
    // Gradients go straight to the caller's matrices when they are float64 in the arena.
    const g = this.gradientStaging;
    const direct = out !== undefined && this.dtype === 'f64';
    const dw1 = this.gradientAt(g.w1, out?.w1, direct);
    const db1 = this.gradientAt(g.b1, out?.b1, direct);
    const dw2 = this.gradientAt(g.w2, out?.w2, direct);
    const db2 = this.gradientAt(g.b2, out?.b2, direct);
    const kind =
      mode | (this.output === 'softmax' ? SOFTMAX : 0) | (scores === undefined ? 0 : MEASURE);
    const k = this.runtime.elementwise;
    // The float64 kernel returns nothing; only the float32 one measures.
    const run: (...args: TwoLayerArgs) => number | void =
      this.dtype === 'f64' ? k.twoLayer64 : k.twoLayer32;
    const loss = run(
      kind,
      m,
      d,
      h,
      o,
      x.data.byteOffset,
      sparse === undefined ? 0 : sparse.starts.byteOffset,
      sparse === undefined ? 0 : sparse.columns.byteOffset,
      sparse === undefined ? 0 : sparse.values.byteOffset,
      y === undefined ? 0 : y.data.byteOffset,
      w1,
      b1,
      w2,
      b2,
      p === undefined ? 0 : p.data.byteOffset,
      dw1,
      db1,
      dw2,
      db2,
      this.work.data.byteOffset,
    );
    if (scores !== undefined) {
      scores.loss = Number(loss) / m;
      scores.accuracy =
        this.output === 'softmax' && mode !== TRAIN ? k.twoLayerCorrect32() / m : NaN;
    }
    if (out !== undefined) {
      if (dw1 === g.w1.data.byteOffset) out.w1.data.set(g.w1.data);
      if (db1 === g.b1.data.byteOffset) out.b1.data.set(g.b1.data);
      if (dw2 === g.w2.data.byteOffset) out.w2.data.set(g.w2.data);
      if (db2 === g.b2.data.byteOffset) out.b2.data.set(g.b2.data);
    }
    return true;
  }

  /** Where the kernel writes one gradient: the caller's matrix when `direct` and in the arena. */
  private gradientAt(
    mine: Matrix<FloatArray>,
    theirs: Matrix | undefined,
    direct: boolean,
  ): number {
    if (theirs === undefined) return 0;
    return direct && this.inArena(theirs) ? theirs.data.byteOffset : mine.data.byteOffset;
  }

  private inArena(m: Matrix<FloatArray>): boolean {
    return m.data.buffer === this.buffer;
  }

  /** The address of `m`'s values in the arena: where they are, or copied into `staging`. */
  private place(m: Matrix, staging: Matrix<FloatArray>): number {
    if (this.dtype === 'f64' && this.inArena(m)) return m.data.byteOffset;
    staging.data.set(m.data);
    return staging.data.byteOffset;
  }
}

/** Mirrors twoLayerWorkBytes / twoLayerWorkBytes32 in asm/twolayer.ts (a test checks it). */
function workBytes(d: number, h: number, o: number, dtype: Dtype): number {
  const block = 64;
  const lanes = dtype === 'f64' ? 2 : 4;
  const hp = Math.ceil(h / lanes) * lanes;
  const op = Math.ceil(o / lanes) * lanes;
  if (dtype === 'f64') {
    const values =
      2 * d * hp + 2 * hp + 2 * h * op + 2 * op + o * hp + 2 * block * hp + 2 * block * op;
    return 8 * values + 8 * block;
  }
  const values = 5 * d * hp + 2 * hp + h * op + op + o * hp + 4 * block * hp + 3 * block * op;
  return 4 * values + 16 * (hp * op + op) + 28 * block;
}

function fits(t: TwoLayerParameters, d: number, h: number, o: number): boolean {
  return shaped(t.w1, d, h) && shaped(t.b1, 1, h) && shaped(t.w2, h, o) && shaped(t.b2, 1, o);
}

function shaped(m: Matrix, rows: number, cols: number): boolean {
  return (
    m instanceof Matrix && m.data instanceof Float64Array && m.rows === rows && m.cols === cols
  );
}
