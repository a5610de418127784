import type { Dtype, FloatArray } from '../dtype.js';
import { Matrix } from '../matrix.js';
import { PAGE_BYTES } from './api.js';
import { registerArena, runtime } from './gemm.js';
import { WasmGemmRuntime } from './runtime.js';
import { bestVariant, requireVariant } from './support.js';
import type { SimdVariant } from './support.js';

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
   * A rows × cols matrix of zeros in the arena. Throws a `RangeError` when the arena has no room
   * left for it.
   */
  matrix(rows: number, cols: number, dtype?: 'f64'): Matrix;
  matrix(rows: number, cols: number, dtype: 'f32'): Matrix<Float32Array>;
  matrix(rows: number, cols: number, dtype: Dtype = 'f64'): Matrix<FloatArray> {
    const size = dtype === 'f64' ? 8 : 4;
    const length = rows * cols;
    const at = this.next;
    const end = at + length * size;
    if (!Number.isSafeInteger(length) || length < 0 || end > FIRST_ADDRESS + this.capacity) {
      throw new RangeError(
        `WasmArena: no room for a ${rows}×${cols} ${dtype} matrix (${this.free} of ${this.capacity} bytes free)`,
      );
    }
    this.next = Math.ceil(end / ALIGN) * ALIGN;
    const buffer = this.runtime.memory.buffer;
    // Fresh WebAssembly memory is zero, and no byte is handed out twice: no fill needed.
    const data =
      dtype === 'f64' ? new Float64Array(buffer, at, length) : new Float32Array(buffer, at, length);
    return new Matrix(rows, cols, data);
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
