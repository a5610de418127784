import { Matrix } from '../matrix.js';
import { overlaps } from '../memory.js';
import { isArenaSparseRows } from './arena.js';
import { WasmArena } from './arena.js';
import type { SparseRows } from './arena.js';
import { arenaRuntimeOf } from './gemm.js';
import type { WasmGemmRuntime } from './runtime.js';

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

/** Where `TwoLayerPass.gradients` writes dW1, db1, dW2, db2 (matrices in the pass's arena). */
export type TwoLayerGradients = TwoLayerParameters;

/** Mode bits of the kernel (asm/twolayer.ts). */
const TRAIN = 1;
const SOFTMAX = 2;

/**
 * A network with one hidden ReLU layer — input → hidden (ReLU) → output (softmax or identity) —
 * run forward, or forward and back to its gradients, in one WebAssembly call on matrices in a
 * `WasmArena`: rows go through in blocks that stay in cache from one step to the next, and no
 * matrix is copied. The numbers are the bits of the separate steps (`matmul` with the arena's
 * kernel, or `arenaSparseProduct` for sparse inputs, then the `arena*` element-wise passes):
 *
 *     z1 = X·W1 + b1,  a1 = relu(z1),  z2 = a1·W2 + b2,  p = softmax(z2) or z2
 *     dz2 = (p − Y)/m,  dW2 = a1ᵀ·dz2,  db2 = Σ_rows dz2,
 *     dz1 = (dz2·W2ᵀ) ⊙ [z1 > 0],  dW1 = Xᵀ·dz1,  db1 = Σ_rows dz1
 *
 * The methods return false, having done nothing, when a matrix is not float64, does not fit the
 * sizes, or (inputs and outputs) is outside the arena; the caller then takes the separate steps.
 */
export class TwoLayerPass {
  private readonly runtime: WasmGemmRuntime;
  private readonly buffer: ArrayBufferLike;
  /** Copies of parameters that live outside the arena, and the kernel's scratch. */
  private readonly staging: TwoLayerParameters;
  private readonly work: Matrix;
  /** The matrices of one call, for its checks (kept, so that a call allocates nothing). */
  private readonly operands: Matrix[] = [];

  /** Arena bytes a pass for these sizes takes (see {@link WasmArena.bytesFor}). */
  static bytesFor(inputs: number, hidden: number, outputs: number): number {
    const workDoubles = Math.ceil(workBytes(inputs, hidden, outputs) / 8);
    return WasmArena.bytesFor([
      [inputs, hidden],
      [1, hidden],
      [hidden, outputs],
      [1, outputs],
      [1, workDoubles],
    ]);
  }

  constructor(
    arena: WasmArena,
    readonly inputs: number,
    readonly hidden: number,
    readonly outputs: number,
    readonly output: 'softmax' | 'identity',
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
    this.staging = {
      w1: arena.matrix(inputs, hidden),
      b1: arena.matrix(1, hidden),
      w2: arena.matrix(hidden, outputs),
      b2: arena.matrix(1, outputs),
    };
    this.work = arena.matrix(1, Math.ceil(workBytes(inputs, hidden, outputs) / 8));
    this.runtime = arenaRuntimeOf(this.work.data)!;
    this.buffer = this.work.data.buffer;
  }

  /** `p` ← the network's outputs for `x` (with its `sparse` nonzeros, if given). */
  forward(
    parameters: TwoLayerParameters,
    x: Matrix,
    sparse: SparseRows | undefined,
    p: Matrix,
  ): boolean {
    return this.run(0, parameters, x, sparse, undefined, p, undefined);
  }

  /**
   * `p` ← the outputs for `x`, and `out` ← the gradients of the loss against targets `y`: the
   * mean cross-entropy for softmax outputs, Σ(p − y)²/(2m) for identity outputs.
   */
  gradients(
    parameters: TwoLayerParameters,
    x: Matrix,
    sparse: SparseRows | undefined,
    y: Matrix,
    p: Matrix,
    out: TwoLayerGradients,
  ): boolean {
    return this.run(TRAIN, parameters, x, sparse, y, p, out);
  }

  private run(
    mode: number,
    params: TwoLayerParameters,
    x: Matrix,
    sparse: SparseRows | undefined,
    y: Matrix | undefined,
    p: Matrix,
    out: TwoLayerGradients | undefined,
  ): boolean {
    const { inputs: d, hidden: h, outputs: o } = this;
    const m = x.rows;
    if (m === 0 || x.cols !== d || p.rows !== m || p.cols !== o) return false;
    if (!fits(params, d, h, o) || (out !== undefined && !fits(out, d, h, o))) return false;
    if (y !== undefined && (y.rows !== m || y.cols !== o)) return false;
    if (
      sparse !== undefined &&
      !(isArenaSparseRows(sparse) && sparse.rows === m && sparse.cols === d)
    )
      return false;
    // Checked without building arrays: training calls this every epoch and allocates nothing.
    const ms = this.operands;
    ms[0] = p;
    ms[1] = x;
    ms[2] = y ?? x;
    let count = 3;
    if (out !== undefined) {
      ms[3] = out.w1;
      ms[4] = out.b1;
      ms[5] = out.w2;
      ms[6] = out.b2;
      count = 7;
    }
    for (let i = 0; i < count; i++) {
      const w = ms[i]!;
      if (!this.inArena(w)) return false;
      // p and the gradients (i = 0 and ≥ 3) are written: they may share no byte with another.
      if (i !== 0 && i < 3) continue;
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
    }
    const w1 = this.place(params.w1, this.staging.w1);
    const b1 = this.place(params.b1, this.staging.b1);
    const w2 = this.place(params.w2, this.staging.w2);
    const b2 = this.place(params.b2, this.staging.b2);
    this.runtime.elementwise.twoLayer64(
      mode | (this.output === 'softmax' ? SOFTMAX : 0),
      m,
      d,
      h,
      o,
      x.data.byteOffset,
      sparse?.starts.byteOffset ?? 0,
      sparse?.columns.byteOffset ?? 0,
      sparse?.values.byteOffset ?? 0,
      y?.data.byteOffset ?? 0,
      w1,
      b1,
      w2,
      b2,
      p.data.byteOffset,
      out?.w1.data.byteOffset ?? 0,
      out?.b1.data.byteOffset ?? 0,
      out?.w2.data.byteOffset ?? 0,
      out?.b2.data.byteOffset ?? 0,
      this.work.data.byteOffset,
    );
    return true;
  }

  private inArena(m: Matrix): boolean {
    return m.data instanceof Float64Array && m.data.buffer === this.buffer;
  }

  /** The address of `m`'s values in the arena: where they are, or copied into `staging`. */
  private place(m: Matrix, staging: Matrix): number {
    if (this.inArena(m)) return m.data.byteOffset;
    staging.data.set(m.data);
    return staging.data.byteOffset;
  }
}

function workBytes(d: number, h: number, o: number): number {
  // Mirrors twoLayerWorkBytes in asm/twolayer.ts (asserted equal in the tests).
  const block = 64;
  const hp = h + (h % 2);
  const op = o + (o % 2);
  return (
    8 * (2 * d * hp + 2 * hp + 2 * h * op + 2 * op + o * hp + 2 * block * hp + 2 * block * op) +
    8 * block
  );
}

function fits(t: TwoLayerParameters, d: number, h: number, o: number): boolean {
  return shaped(t.w1, d, h) && shaped(t.b1, 1, h) && shaped(t.w2, h, o) && shaped(t.b2, 1, o);
}

function shaped(m: Matrix, rows: number, cols: number): boolean {
  return (
    m instanceof Matrix && m.data instanceof Float64Array && m.rows === rows && m.cols === cols
  );
}
