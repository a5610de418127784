import {
  MatmulPool,
  Matrix,
  gemmRelaxedSimd,
  gemmRelaxedSimdF32,
  gemmSimd,
  gemmSimdF32,
  matmul,
  wasmSupport,
} from '@scratchnet/linalg';
import type { SimdVariant } from '@scratchnet/linalg';
import type { GemmImpl, PreparedCase } from './impls.js';
import type { Dtype, FloatArray, Operands, Shape } from './problem.js';

/** The pool's default threshold (m·n·k), written out so the benchmark can skip smaller cases. */
const MIN_PARALLEL_WORK = 1 << 20;

/**
 * Our WebAssembly kernels through their raw `Gemm` entry points. One thread: `gemmSimd` /
 * `gemmRelaxedSimd` (and the F32 ones). More: a `MatmulPool` of that many threads, made for the
 * case and closed after it. The copies of A and B into WebAssembly memory and of C back out are
 * inside the timed call.
 */
function wasmImpl(variant: SimdVariant): GemmImpl {
  const single = {
    f64: variant === 'simd' ? gemmSimd : gemmRelaxedSimd,
    f32: variant === 'simd' ? gemmSimdF32 : gemmRelaxedSimdF32,
  };
  return {
    name: `wasm-${variant}`,
    description:
      variant === 'simd'
        ? 'scratchnet WebAssembly SIMD kernel (copies in and out included), f64 and f32'
        : 'scratchnet WebAssembly relaxed-SIMD (FMA) kernel (copies included), f64 and f32',
    dtypes: ['f64', 'f32'],
    supportsThreads: (t) => t === 1 || (t > 1 && wasmSupport().sharedMemory),
    // The pool keeps products under its threshold on the calling thread: a row for them would
    // repeat the one-thread figure.
    applies: (shape, _dtype, threads) =>
      threads === 1 || shape.m * shape.n * shape.k >= MIN_PARALLEL_WORK,
    unavailable: () =>
      !wasmSupport().simd
        ? 'no WebAssembly SIMD in this engine'
        : variant === 'relaxed-simd' && !wasmSupport().relaxedSimd
          ? 'relaxed SIMD does not validate (Node 20: --experimental-wasm-relaxed-simd)'
          : undefined,
    async prepare(shape, dtype, threads, sets) {
      const pool =
        threads > 1 ? MatmulPool.create({ threads, variant, minParallelWork: 0 }) : undefined;
      const gemm = (
        pool === undefined ? single[dtype] : dtype === 'f64' ? pool.gemm : pool.gemmF32
      ) as (
        tA: boolean,
        tB: boolean,
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
          gemm(transA, transB, m, n, k, sets[s]!.a, sets[s]!.b, outs[s]!);
          return outs[s];
        },
        read: (result) => result as FloatArray,
        dispose: () => pool?.close(),
      } satisfies PreparedCase;
    },
  };
}

/** `wasm-simd`: plain WebAssembly SIMD. */
export const wasmSimdImpl = wasmImpl('simd');
/** `wasm-relaxed-simd`: relaxed SIMD with fused multiply-add, where the engine validates it. */
export const wasmRelaxedImpl = wasmImpl('relaxed-simd');

/**
 * `matmul`: what a user of @scratchnet/linalg calls, `matmul(a, b, { transposeA, transposeB,
 * out })` on `Matrix` objects, with the kernel it picks by itself.
 */
export const matmulImpl: GemmImpl = {
  name: 'matmul',
  description: 'scratchnet matmul() on Matrix objects, kernel chosen automatically, f64 and f32',
  dtypes: ['f64', 'f32'],
  supportsThreads: (t) => t === 1,
  unavailable: () => undefined,
  async prepare(shape: Shape, dtype: Dtype, _threads: number, sets: readonly Operands[]) {
    const { m, n, k, transA, transB } = shape;
    // Typed as float64 for the call; the data's real element type picks matmul's float32 path.
    const mats = sets.map(({ a, b }) => ({
      a: new Matrix(transA ? k : m, transA ? m : k, a as Float64Array),
      b: new Matrix(transB ? n : k, transB ? k : n, b as Float64Array),
      out: new Matrix(
        m,
        n,
        (dtype === 'f64' ? new Float64Array(m * n) : new Float32Array(m * n)) as Float64Array,
      ),
    }));
    const options = mats.map(({ out }) => ({ transposeA: transA, transposeB: transB, out }));
    return {
      run(i) {
        const s = i % mats.length;
        return matmul(mats[s]!.a, mats[s]!.b, options[s]).data;
      },
      read: (result) => result as FloatArray,
      dispose() {},
    };
  },
};
