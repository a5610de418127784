import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import type { Worker as NodeWorker } from 'node:worker_threads';
import type { FloatArray } from '../dtype.js';
import type { Gemm } from '../kernels/gemm.js';
import { checkProduct } from '../matmul.js';
import type { MatmulOptions } from '../matmul.js';
import type { Matrix } from '../matrix.js';
import type { GemmF32 } from './gemm.js';
import { WasmGemmRuntime } from './runtime.js';
import type { Dtype } from './runtime.js';
import { WasmUnavailableError, bestVariant, requireVariant } from './support.js';
import type { SimdVariant } from './support.js';

/** Options of {@link MatmulPool.create}. */
export interface MatmulPoolOptions {
  /**
   * Threads that compute one large product, counting the calling thread (which always takes a
   * share): `threads − 1` workers are started. Default: the machine's available parallelism.
   */
  threads?: number;
  /**
   * Products with fewer multiply-adds than this (m·n·k) stay on the calling thread, where waking
   * the workers would cost more than it saves. Default 2²⁰ (about a 100³ product).
   */
  minParallelWork?: number;
  /** Kernel build: `'auto'` (default: relaxed SIMD where it validates), `'simd'` or `'relaxed-simd'`. */
  variant?: SimdVariant | 'auto';
}

/** Rows of the kernels' register tile: row ranges are cut at multiples of it. */
const TILE_ROWS = 4;
const DEFAULT_MIN_PARALLEL_WORK = 1 << 20;
const STARTUP_TIMEOUT_MS = 30_000;

// Control block (Int32Array over a SharedArrayBuffer): a generation counter the workers wait on,
// a done counter the caller waits on, the command, an error flag, a ready counter, then one
// argument record per worker.
const GEN = 0;
const DONE = 1;
const CMD = 2;
const ERR = 3;
const READY = 4;
const ARGS = 8;
const ARGS_STRIDE = 12;
const CMD_F64 = 1;
const CMD_F32 = 2;
const CMD_QUIT = 3;

// The worker: instantiates the same module on the same shared memory, then waits for a new
// generation, computes the row range of its record, counts itself done. Plain CommonJS so it can
// run from a string, with no file to resolve.
const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const ctl = new Int32Array(control);
const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
const o = ${ARGS} + slot * ${ARGS_STRIDE};
let seen = 0;
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  const gen = Atomics.load(ctl, ${GEN});
  if (gen === seen) continue;
  seen = gen;
  const cmd = Atomics.load(ctl, ${CMD});
  if (cmd === ${CMD_QUIT}) break;
  try {
    if (ctl[o + 10] > ctl[o + 9]) {
      const rows = cmd === ${CMD_F64} ? x.gemmRows64 : x.gemmRows32;
      rows(ctl[o], ctl[o + 1], ctl[o + 2], ctl[o + 3], ctl[o + 4], ctl[o + 5], ctl[o + 6],
        ctl[o + 7], ctl[o + 8], ctl[o + 9], ctl[o + 10]);
    }
  } catch {
    Atomics.store(ctl, ${ERR}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

interface NodeBuiltins {
  worker: typeof WorkerThreads;
  os: typeof Os;
}

/** worker_threads and os, loaded without a static import so the package still loads elsewhere. */
function nodeBuiltins(): NodeBuiltins {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new WasmUnavailableError(
      'NO_WORKERS',
      'MatmulPool needs Node.js worker_threads (Node 20.16 or later)',
    );
  }
  return {
    worker: proc.getBuiltinModule('node:worker_threads'),
    os: proc.getBuiltinModule('node:os'),
  };
}

/**
 * Multi-threaded matrix multiply: worker threads sharing one WebAssembly memory, each computing a
 * band of rows of C with the SIMD kernel, the calling thread computing the first band. Calls are
 * synchronous (the caller blocks with `Atomics.wait` until every band is done), so `gemm` is a
 * drop-in {@link Gemm}. Products below `minParallelWork` run on the calling thread alone.
 *
 * Node.js only. Workers are unreferenced, so a forgotten pool never keeps a process alive; call
 * `close()` to stop them.
 *
 * @example
 * const pool = MatmulPool.create({ threads: 2 });
 * pool.gemm(false, false, m, n, k, a, b, c); // c ← a·b on two threads
 * await pool.close();
 */
export class MatmulPool {
  /** Threads computing a large product, the calling thread included. */
  readonly threads: number;
  /** The kernel build in use. */
  readonly variant: SimdVariant;
  /** Products with fewer multiply-adds than this run on the calling thread alone. */
  readonly minParallelWork: number;
  private readonly runtime: WasmGemmRuntime;
  private readonly control: Int32Array<SharedArrayBuffer>;
  private readonly workers: NodeWorker[];
  private closed = false;

  private constructor(
    threads: number,
    variant: SimdVariant,
    minParallelWork: number,
    runtime: WasmGemmRuntime,
    control: Int32Array<SharedArrayBuffer>,
    workers: NodeWorker[],
  ) {
    this.threads = threads;
    this.variant = variant;
    this.minParallelWork = minParallelWork;
    this.runtime = runtime;
    this.control = control;
    this.workers = workers;
  }

  /**
   * Starts the workers and waits (synchronously, a few tens of milliseconds) until each has
   * instantiated the kernels. Throws a `WasmUnavailableError` where WebAssembly SIMD, shared
   * memory or worker threads are missing, and a `RangeError` for a bad option.
   */
  static create(options: MatmulPoolOptions = {}): MatmulPool {
    const { worker, os } = nodeBuiltins();
    const threads = options.threads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`MatmulPool: threads must be a positive integer, got ${threads}`);
    }
    const minParallelWork = options.minParallelWork ?? DEFAULT_MIN_PARALLEL_WORK;
    if (!(minParallelWork >= 0)) {
      throw new RangeError(`MatmulPool: minParallelWork must be ≥ 0, got ${minParallelWork}`);
    }
    const requested = options.variant ?? 'auto';
    const variant = requested === 'auto' ? (bestVariant() ?? 'simd') : requested;
    requireVariant(variant, true);
    const runtime = new WasmGemmRuntime(variant, true);
    const control = new Int32Array(new SharedArrayBuffer((ARGS + threads * ARGS_STRIDE) * 4));
    const workers: NodeWorker[] = [];
    for (let slot = 1; slot < threads; slot++) {
      const w = new worker.Worker(workerSource, {
        eval: true,
        workerData: {
          module: runtime.module,
          memory: runtime.memory,
          control: control.buffer,
          slot,
        },
      });
      w.unref();
      workers.push(w);
    }
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (let ready = Atomics.load(control, READY); ready < workers.length;) {
      if (Date.now() > deadline) {
        for (const w of workers) void w.terminate();
        throw new Error('MatmulPool: worker threads did not start within 30 s');
      }
      Atomics.wait(control, READY, ready, 100);
      ready = Atomics.load(control, READY);
    }
    return new MatmulPool(threads, variant, minParallelWork, runtime, control, workers);
  }

  /** Float64 `c ← op(a)·op(b)` (the {@link Gemm} convention), split across the threads. */
  readonly gemm: Gemm = (transA, transB, m, n, k, a, b, c) =>
    this.run('f64', transA, transB, m, n, k, a, b, c);

  /** Float32 `c ← op(a)·op(b)` (the {@link GemmF32} convention), split across the threads. */
  readonly gemmF32: GemmF32 = (transA, transB, m, n, k, a, b, c) =>
    this.run('f32', transA, transB, m, n, k, a, b, c);

  /**
   * `matmul` on the pool: op(A)·op(B) of two float64 or two float32 matrices, split across the
   * threads when large enough. Same checks and errors as `matmul` (its `kernel` option is
   * ignored: the pool runs its own variant).
   */
  matmul(a: Matrix, b: Matrix, options?: MatmulOptions): Matrix;
  matmul(
    a: Matrix<Float32Array>,
    b: Matrix<Float32Array>,
    options?: MatmulOptions<Float32Array>,
  ): Matrix<Float32Array>;
  matmul(
    a: Matrix<FloatArray>,
    b: Matrix<FloatArray>,
    options: MatmulOptions<FloatArray> = {},
  ): Matrix<FloatArray> {
    const p = checkProduct('MatmulPool.matmul', a, b, options);
    this.run(p.dtype, p.transA, p.transB, p.m, p.n, p.k, a.data, b.data, p.out.data);
    return p.out;
  }

  private run(
    dtype: Dtype,
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
  ): void {
    if (this.closed) throw new Error('MatmulPool: the pool is closed');
    const bands = Math.min(this.threads, Math.ceil(m / TILE_ROWS));
    if (bands <= 1 || k === 0 || n === 0 || m * n * k < this.minParallelWork) {
      this.runtime.gemm(dtype, transA, transB, m, n, k, a, b, c);
      return;
    }
    const layout = this.runtime.prepare(dtype, transB, m, n, k, a, b, c, this.threads);
    const band = Math.ceil(m / bands / TILE_ROWS) * TILE_ROWS;
    const ctl = this.control;
    for (let slot = 1; slot < this.threads; slot++) {
      const o = ARGS + slot * ARGS_STRIDE;
      const r0 = Math.min(m, slot * band);
      const r1 = Math.min(m, r0 + band);
      ctl.set(
        [
          transA ? 1 : 0,
          m,
          n,
          k,
          layout.a,
          layout.packedB,
          layout.c,
          layout.packedA[slot]!,
          layout.tile[slot]!,
          r0,
          r1,
        ],
        o,
      );
    }
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, ERR, 0);
    Atomics.store(ctl, CMD, dtype === 'f64' ? CMD_F64 : CMD_F32);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    let failure: unknown;
    try {
      this.runtime.rows(dtype, transA, m, n, k, layout, 0, 0, Math.min(m, band));
    } catch (error) {
      failure = error ?? new Error('MatmulPool: the calling thread failed');
    }
    // Wait for the workers even after a failure here: they are still using the memory.
    for (let done = Atomics.load(ctl, DONE); done < this.workers.length;) {
      Atomics.wait(ctl, DONE, done);
      done = Atomics.load(ctl, DONE);
    }
    if (failure !== undefined) throw failure;
    if (Atomics.load(ctl, ERR) !== 0) throw new Error('MatmulPool: a worker thread failed');
    this.runtime.finish(dtype, m, n, layout, c);
  }

  /** Stops the workers. The pool cannot be used afterwards; closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CMD, CMD_QUIT);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
