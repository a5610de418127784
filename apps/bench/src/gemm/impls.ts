import { gemmBlocked, gemmNaive } from '@scratchnet/linalg';
import type { Gemm } from '@scratchnet/linalg';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Dtype, FloatArray, Operands, Shape } from './problem.js';
import { matmulImpl, wasmRelaxedImpl, wasmSimdImpl } from './wasm-impls.js';

/** One prepared case: computes the product of operand set `i mod sets`. */
export interface PreparedCase {
  /** Computes the product of set `i` and returns a handle on the result. */
  run(i: number): unknown;
  /** The result `run` returned, as a flat row-major array (for verification; not timed). */
  read(result: unknown): ArrayLike<number>;
  /** Frees what `prepare` made (tensors, pools). */
  dispose(): void | Promise<void>;
}

/** A matrix-multiply implementation the benchmark can measure. */
export interface GemmImpl {
  /** Name on the command line and in the results. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Element types it computes in. */
  readonly dtypes: readonly Dtype[];
  /** Whether it can use this many threads (peers are single-threaded). */
  supportsThreads(threads: number): boolean;
  /** Why it cannot run on this machine, or `undefined` when it can. */
  unavailable(): string | undefined;
  /**
   * Whether a case is worth a row (e.g. no 2-thread row for a product the pool keeps on one
   * thread); default: every case.
   */
  applies?(shape: Shape, dtype: Dtype, threads: number): boolean;
  /** Sets up one case on the given operand sets (inputs are made before timing, outside it). */
  prepare(
    shape: Shape,
    dtype: Dtype,
    threads: number,
    sets: readonly Operands[],
  ): Promise<PreparedCase>;
}

/** A scratchnet-style raw kernel (`c ← op(a)·op(b)`), one output array per operand set. */
function rawKernel(
  name: string,
  description: string,
  dtypes: readonly Dtype[],
  kernelFor: (dtype: Dtype) => Gemm | ((...args: Parameters<Gemm>) => void),
  options: { threads?: (threads: number) => boolean; unavailable?: () => string | undefined } = {},
): GemmImpl {
  return {
    name,
    description,
    dtypes,
    supportsThreads: options.threads ?? ((t) => t === 1),
    unavailable: options.unavailable ?? (() => undefined),
    async prepare(shape, dtype, _threads, sets) {
      const gemm = kernelFor(dtype) as (
        transA: boolean,
        transB: boolean,
        m: number,
        n: number,
        k: number,
        a: FloatArray,
        b: FloatArray,
        c: FloatArray,
      ) => void;
      const { m, n, k, transA, transB } = shape;
      const outs = sets.map(() =>
        dtype === 'f64' ? new Float64Array(m * n) : new Float32Array(m * n),
      );
      return {
        run(i) {
          const s = i % sets.length;
          const c = outs[s]!;
          gemm(transA, transB, m, n, k, sets[s]!.a, sets[s]!.b, c);
          return c;
        },
        read: (result) => result as FloatArray,
        dispose() {},
      };
    },
  };
}

/** The textbook triple loop (our reference), float64. */
export const naiveImpl = rawKernel(
  'naive',
  'scratchnet naive triple loop (the reference), float64',
  ['f64'],
  () => gemmNaive,
);

/** Our register-blocked pure-TypeScript kernel, float64. */
export const tsImpl = rawKernel(
  'ts',
  'scratchnet register-blocked TypeScript kernel, float64',
  ['f64'],
  () => gemmBlocked,
);

/** ml-matrix's `mmul` (and `transposeMultiply` for Aᵀ·B), float64. */
export const mlMatrixImpl: GemmImpl = {
  name: 'ml-matrix',
  description: 'ml-matrix mmul (transposeMultiply for Aᵀ·B), float64',
  dtypes: ['f64'],
  supportsThreads: (t) => t === 1,
  unavailable: () => undefined,
  async prepare(shape, _dtype, _threads, sets) {
    const { Matrix } = await import('ml-matrix');
    const { m, n, k, transA, transB } = shape;
    const mats = sets.map(({ a, b }) => ({
      a: Matrix.from1DArray(transA ? k : m, transA ? m : k, a),
      b: Matrix.from1DArray(transB ? n : k, transB ? k : n, b),
    }));
    return {
      run(i) {
        const { a, b } = mats[i % mats.length]!;
        const right = transB ? b.transpose() : b;
        return transA ? a.transposeMultiply(right) : a.mmul(right);
      },
      read: (result) => (result as InstanceType<typeof Matrix>).to1DArray(),
      dispose() {},
    };
  },
};

type Tf = typeof TfCore;
let tfPromise: Promise<Tf> | undefined;

/**
 * TensorFlow.js core with the cpu and wasm backends registered, loaded on first use. PROD mode:
 * no debug checks and no "install tfjs-node" banner on stderr.
 */
export function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('PROD', true);
    return tf;
  })();
  return tfPromise;
}

/**
 * A TensorFlow.js backend's `tf.matMul`, float32 (TensorFlow.js has no float64). Inputs are
 * uploaded as tensors before timing; the timed call is `matMul` plus `dataSync()` (the product
 * read back into JavaScript), so the upload our kernels pay for is not charged to TensorFlow.js.
 */
function tfImpl(backend: 'cpu' | 'wasm', description: string): GemmImpl {
  return {
    name: `tfjs-${backend}`,
    description,
    dtypes: ['f32'],
    supportsThreads: (t) => t === 1,
    unavailable: () => undefined,
    async prepare(shape, _dtype, _threads, sets) {
      const tf = await loadTf();
      if (!(await tf.setBackend(backend)))
        throw new Error(`tfjs backend ${backend} failed to start`);
      await tf.ready();
      const { m, n, k, transA, transB } = shape;
      const tensors = sets.map(({ a, b }) => ({
        a: tf.tensor2d(a as Float32Array, transA ? [k, m] : [m, k], 'float32'),
        b: tf.tensor2d(b as Float32Array, transB ? [n, k] : [k, n], 'float32'),
      }));
      return {
        run(i) {
          const { a, b } = tensors[i % tensors.length]!;
          const c = tf.matMul(a, b, transA, transB);
          const data = c.dataSync();
          c.dispose();
          return data;
        },
        read: (result) => result as Float32Array,
        dispose() {
          for (const { a, b } of tensors) {
            a.dispose();
            b.dispose();
          }
        },
      };
    },
  };
}

/** TensorFlow.js pure-JavaScript `cpu` backend. */
export const tfjsCpuImpl = tfImpl('cpu', 'TensorFlow.js cpu backend (pure JS) matMul, float32');

/** `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD, one thread in Node). */
export const tfjsWasmImpl = tfImpl(
  'wasm',
  'TensorFlow.js wasm backend (XNNPACK, SIMD; single-threaded in Node) matMul, float32',
);

/** Every implementation, in the order the table lists them. */
export const ALL_IMPLS: readonly GemmImpl[] = [
  naiveImpl,
  tsImpl,
  wasmSimdImpl,
  wasmRelaxedImpl,
  matmulImpl,
  mlMatrixImpl,
  tfjsCpuImpl,
  tfjsWasmImpl,
];

/** Implementations measured when `--impl` is not given (the naive reference is slow at 1024²). */
export const DEFAULT_IMPLS: readonly string[] = ALL_IMPLS.filter((i) => i !== naiveImpl).map(
  (i) => i.name,
);

/** The implementation called `name`, or `undefined`. */
export const implNamed = (name: string): GemmImpl | undefined =>
  ALL_IMPLS.find((i) => i.name === name);
