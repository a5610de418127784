import { Matrix } from '@scratchnet/linalg';
import type { Dtype, FloatArray, SimdVariant } from '@scratchnet/linalg';
import { ALIGN, CALL_BYTES, FIRST_ADDRESS } from './abi.generated.js';
import { PAGE_BYTES, bestKernelVariant, instantiate } from './wasm.js';
import type { KernelExports } from './wasm.js';

/** The most memory a kernel memory holds: the kernels take addresses as 32-bit signed integers. */
export const MAX_MEMORY_BYTES = 2 ** 31 - PAGE_BYTES;

/**
 * A matrix's nonzeros in compressed rows, in a `KernelMemory` (from `memory.sparseRows(m)`): row
 * i's entries are `values[e]` at column `columns[e]` for e from `starts[i]` to `starts[i + 1] − 1`.
 */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  readonly nonzeros: number;
  readonly starts: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

const up = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

/**
 * One instance of the kernels with its own WebAssembly memory, reserved in full when made (it
 * never grows: growing detaches every view onto it), from which it hands out zeroed, aligned
 * buffers — matrices (`data` views onto the memory, ordinary `Matrix` objects everywhere else),
 * sparse-row snapshots and call records — that the kernels read and write where they are.
 */
export class KernelMemory {
  /** The kernel build this memory runs. */
  readonly variant: SimdVariant;
  /** Bytes the memory can hand out. */
  readonly capacity: number;
  readonly kernels: KernelExports;
  readonly buffer: ArrayBuffer;
  private next = FIRST_ADDRESS;

  /**
   * Throws a `RangeError` for a capacity that is not a whole number of bytes up to
   * {@link MAX_MEMORY_BYTES}, and linalg's `WasmUnavailableError` where the build cannot run.
   */
  constructor(capacity: number, variant: SimdVariant | undefined = bestKernelVariant()) {
    if (!Number.isSafeInteger(capacity) || capacity < 0 || capacity > MAX_MEMORY_BYTES) {
      throw new RangeError(
        `KernelMemory: capacity must be a whole number of bytes up to ${MAX_MEMORY_BYTES}, not ${capacity}`,
      );
    }
    const { memory, kernels } = instantiate(
      variant ?? 'simd',
      Math.ceil((FIRST_ADDRESS + capacity) / PAGE_BYTES),
    );
    this.variant = variant ?? 'simd';
    this.capacity = capacity;
    this.kernels = kernels;
    this.buffer = memory.buffer;
  }

  /** Bytes not yet handed out. */
  get free(): number {
    return FIRST_ADDRESS + this.capacity - this.next;
  }

  /** A rows × cols matrix of zeros in this memory; a `RangeError` when there is no room. */
  matrix(rows: number, cols: number, dtype?: 'f64'): Matrix;
  matrix(rows: number, cols: number, dtype: 'f32'): Matrix<Float32Array>;
  matrix(rows: number, cols: number, dtype: Dtype = 'f64'): Matrix<FloatArray> {
    const length = rows * cols;
    const at = this.allocate(
      length * (dtype === 'f64' ? 8 : 4),
      `a ${rows}×${cols} ${dtype} matrix`,
    );
    // Fresh WebAssembly memory is zero, and no byte is handed out twice: no fill needed.
    const data =
      dtype === 'f64'
        ? new Float64Array(this.buffer, at, length)
        : new Float32Array(this.buffer, at, length);
    return new Matrix(rows, cols, data);
  }

  /** A call record (see asm/abi.ts) as int32 and float64 views of the same bytes. */
  callRecord(): {
    readonly int32: Int32Array;
    readonly float64: Float64Array;
    readonly at: number;
  } {
    const at = this.allocate(CALL_BYTES, 'a call record');
    return {
      int32: new Int32Array(this.buffer, at, CALL_BYTES / 4),
      float64: new Float64Array(this.buffer, at, CALL_BYTES / 8),
      at,
    };
  }

  /**
   * A snapshot of `m`'s nonzeros in compressed rows, in this memory (later changes to `m` are not
   * seen). Takes {@link KernelMemory.sparseBytes} bytes.
   */
  sparseRows(m: Matrix): SparseRows {
    const nonzeros = countNonzeros(m);
    const what = `the nonzeros of a ${m.rows}×${m.cols} matrix`;
    const starts = new Int32Array(this.buffer, this.allocate((m.rows + 1) * 4, what), m.rows + 1);
    const columns = new Int32Array(this.buffer, this.allocate(nonzeros * 4, what), nonzeros);
    const values = new Float64Array(this.buffer, this.allocate(nonzeros * 8, what), nonzeros);
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
    return { rows: m.rows, cols: m.cols, nonzeros, starts, columns, values };
  }

  /** Whether `data` views this memory. */
  holds(data: { readonly buffer: ArrayBufferLike }): boolean {
    return data.buffer === this.buffer;
  }

  /** Bytes `matrix` takes for a rows × cols matrix, alignment included. */
  static matrixBytes(rows: number, cols: number, dtype: Dtype = 'f64'): number {
    return up(rows * cols * (dtype === 'f64' ? 8 : 4));
  }

  /** Bytes `sparseRows` takes for a matrix of `rows` rows and `nonzeros` nonzero entries. */
  static sparseBytes(rows: number, nonzeros: number): number {
    return up((rows + 1) * 4) + up(nonzeros * 4) + up(nonzeros * 8);
  }

  /** Bytes `callRecord` takes. */
  static readonly callRecordBytes = up(CALL_BYTES);

  /** The address of `bytes` fresh (zero) bytes; a `RangeError` naming `what` when full. */
  private allocate(bytes: number, what: string): number {
    const at = this.next;
    if (!Number.isSafeInteger(bytes) || bytes < 0 || at + bytes > FIRST_ADDRESS + this.capacity) {
      throw new RangeError(
        `KernelMemory: no room for ${what} (${this.free} of ${this.capacity} bytes free)`,
      );
    }
    this.next = up(at + bytes);
    return at;
  }
}

/** The nonzero entries of `m`. */
export function countNonzeros(m: Matrix): number {
  const d = m.data;
  let nonzeros = 0;
  for (let i = 0; i < d.length; i++) nonzeros += +(d[i] !== 0);
  return nonzeros;
}
