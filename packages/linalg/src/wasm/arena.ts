import type { Dtype, FloatArray } from '../dtype.js';
import { Matrix } from '../matrix.js';
import { PAGE_BYTES } from './api.js';
import { registerArena, runtime } from './gemm.js';
import { WasmGemmRuntime } from './runtime.js';
import { bestVariant, requireVariant } from './support.js';
import type { SimdVariant } from './support.js';

/**
 * A matrix's nonzeros in compressed rows, in a `WasmArena` (from `arena.sparseRows(m)`): row i's
 * entries are `values[e]` at column `columns[e]` for e from `starts[i]` to `starts[i + 1] − 1`.
 */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  readonly nonzeros: number;
  readonly starts: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

/**
 * The `SparseRows` that `WasmArena.sparseRows` made: the WebAssembly product trusts their row
 * starts and column indices as addresses in the arena, so it takes no other (a hand-made one
 * with arrays outside the arena, or indices out of range, would read and write arbitrary arena
 * memory).
 */
const madeByArena = new WeakSet<SparseRows>();

/** True when `s` came from `WasmArena.sparseRows` (see `madeByArena`). */
export function isArenaSparseRows(s: SparseRows): boolean {
  return madeByArena.has(s);
}

/** Options of {@link WasmArena}. */
export interface WasmArenaOptions {
  /** Which kernel build multiplies the arena's matrices; default the best the engine runs. */
  variant?: SimdVariant;
  /**
   * Bytes of scratch for packing operands (and for copies of operands outside the arena); default
   * as many as the matrices themselves, plus the kernels' fixed buffers. A product that needs more
   * is computed by copying, as for ordinary matrices.
   */
  scratchBytes?: number;
}

/** Matrices start on cache-line boundaries, as the kernels' scratch does. */
const ALIGN = 64;
/** The kernels' fixed per-product scratch (packed A block and edge tile) fits in this. */
const FIXED_SCRATCH = 256 * 1024;
/** Nothing below this address is used (matches the runtime's first address). */
const FIRST_ADDRESS = 1024;

/**
 * A block of WebAssembly memory whose matrices the WebAssembly kernels multiply in place: their
 * `data` are `Float64Array` (or `Float32Array`) views onto the module's memory, so `matmul` on
 * them copies nothing in or out. The memory is reserved in full when the arena is made and never
 * grows — growing a WebAssembly memory detaches every view onto it — so `capacity` bytes is all
 * the arena can hand out. Its matrices are ordinary `Matrix` objects everywhere else (every op
 * and kernel accepts them). Throws a `WasmUnavailableError` where WebAssembly SIMD is missing.
 */
export class WasmArena {
  /** The kernel build that multiplies this arena's matrices. */
  readonly variant: SimdVariant;
  /** Bytes of matrices the arena can hold. */
  readonly capacity: number;
  private readonly runtime: WasmGemmRuntime;
  private next = FIRST_ADDRESS;

  constructor(capacity: number, options: WasmArenaOptions = {}) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`WasmArena: capacity must be a whole number of bytes, not ${capacity}`);
    }
    const variant = options.variant ?? bestVariant();
    requireVariant(variant ?? 'simd', false);
    this.variant = variant!;
    this.capacity = capacity;
    const scratch = options.scratchBytes ?? capacity;
    const bytes = FIRST_ADDRESS + capacity + ALIGN + scratch + FIXED_SCRATCH;
    this.runtime = new WasmGemmRuntime(
      this.variant,
      false,
      capacity,
      Math.ceil(bytes / PAGE_BYTES),
      runtime(this.variant),
    );
    registerArena(this.runtime);
  }

  /** Bytes of the capacity not yet handed out. */
  get free(): number {
    return FIRST_ADDRESS + this.capacity - this.next;
  }

  /**
   * A rows × cols matrix of zeros in the arena. Throws a `RangeError` for a shape that is not two
   * non-negative integers, an unknown dtype, or when the arena has no room left for it.
   */
  matrix(rows: number, cols: number, dtype?: 'f64'): Matrix;
  matrix(rows: number, cols: number, dtype: 'f32'): Matrix<Float32Array>;
  matrix(rows: number, cols: number, dtype: Dtype = 'f64'): Matrix<FloatArray> {
    // Checked before anything is handed out: a bad shape must not use up arena bytes.
    for (const [n, what] of [
      [rows, 'rows'],
      [cols, 'cols'],
    ] as const) {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new RangeError(`WasmArena.matrix: ${what} must be a non-negative integer, got ${n}`);
      }
    }
    if (dtype !== 'f64' && dtype !== 'f32') {
      throw new RangeError(`WasmArena.matrix: unknown dtype '${String(dtype)}'`);
    }
    const size = dtype === 'f64' ? 8 : 4;
    const length = rows * cols;
    const at = this.allocate(length * size, `a ${rows}×${cols} ${dtype} matrix`);
    const buffer = this.runtime.memory.buffer;
    // Fresh WebAssembly memory is zero, and no byte is handed out twice: no fill needed.
    const data =
      dtype === 'f64' ? new Float64Array(buffer, at, length) : new Float32Array(buffer, at, length);
    return new Matrix(rows, cols, data);
  }

  /** The address of `bytes` fresh (zero) bytes; a `RangeError` naming `what` when full. */
  private allocate(bytes: number, what: string): number {
    const at = this.next;
    const end = at + bytes;
    if (!Number.isSafeInteger(bytes) || bytes < 0 || end > FIRST_ADDRESS + this.capacity) {
      throw new RangeError(
        `WasmArena: no room for ${what} (${this.free} of ${this.capacity} bytes free)`,
      );
    }
    this.next = Math.ceil(end / ALIGN) * ALIGN;
    return at;
  }

  /**
   * A snapshot of `m`'s nonzeros in the arena, in compressed rows, for `arenaSparseProduct`
   * (later changes to `m` are not seen; the object is frozen, and only one made here is
   * accepted by `arenaSparseProduct`, which trusts its indices). Needs {@link WasmArena.sparseBytesFor} bytes.
   */
  sparseRows(m: Matrix): SparseRows {
    let nonzeros = 0;
    for (const v of m.data) nonzeros += +(v !== 0);
    const buffer = this.runtime.memory.buffer;
    const what = `the nonzeros of a ${m.rows}×${m.cols} matrix`;
    const starts = new Int32Array(buffer, this.allocate((m.rows + 1) * 4, what), m.rows + 1);
    const columns = new Int32Array(buffer, this.allocate(nonzeros * 4, what), nonzeros);
    const values = new Float64Array(buffer, this.allocate(nonzeros * 8, what), nonzeros);
    let e = 0;
    for (let i = 0; i < m.rows; i++) {
      starts[i] = e;
      for (let j = 0; j < m.cols; j++) {
        const v = m.data[i * m.cols + j]!;
        if (v === 0) continue;
        columns[e] = j;
        values[e++] = v;
      }
    }
    starts[m.rows] = e;
    const sparse: SparseRows = Object.freeze({
      rows: m.rows,
      cols: m.cols,
      nonzeros,
      starts,
      columns,
      values,
    });
    madeByArena.add(sparse);
    return sparse;
  }

  /** Bytes `sparseRows` takes for a matrix of `rows` rows and `nonzeros` nonzero entries. */
  static sparseBytesFor(rows: number, nonzeros: number): number {
    const up = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;
    return up((rows + 1) * 4) + up(nonzeros * 4) + up(nonzeros * 8);
  }

  /** A copy of `m` in the arena (see {@link WasmArena.matrix}). */
  copyOf(m: Matrix): Matrix {
    const copy = this.matrix(m.rows, m.cols);
    copy.data.set(m.data);
    return copy;
  }

  /** Bytes an arena needs for matrices of these shapes (float64), alignment included. */
  static bytesFor(shapes: readonly (readonly [number, number])[]): number {
    let bytes = 0;
    for (const [rows, cols] of shapes) bytes += Math.ceil((rows * cols * 8) / ALIGN) * ALIGN;
    return bytes;
  }
}
