import type { Dtype, FloatArray } from '../dtype.js';
import { PAGE_BYTES, webAssembly } from './api.js';
import type { WasmMemory, WasmModule } from './api.js';
import { wasmModule } from './support.js';
import type { SimdVariant } from './support.js';

export type { Dtype, FloatArray } from '../dtype.js';

/** The functions asm/gemm.ts exports (addresses are byte offsets into the memory). */
interface GemmExports {
  packB64(transB: number, k: number, n: number, b: number, dst: number): void;
  packB32(transB: number, k: number, n: number, b: number, dst: number): void;
  gemmRows64(...args: GemmRowsArgs): void;
  gemmRows32(...args: GemmRowsArgs): void;
  packedBBytes64(k: number, n: number): number;
  packedBBytes32(k: number, n: number): number;
  packedABytes(size: number): number;
  tileBytes(): number;
}

/** transA, m, n, k, a, packed b, c, A scratch, tile scratch, first row, end row. */
type GemmRowsArgs = [
  transA: number,
  m: number,
  n: number,
  k: number,
  a: number,
  packedB: number,
  c: number,
  packedA: number,
  tile: number,
  firstRow: number,
  endRow: number,
];

/**
 * Where one product's operands and scratch live in the memory, in bytes. One object per runtime,
 * rewritten by every `layout` call, so that a call allocates nothing.
 */
export interface Layout {
  a: number;
  b: number;
  c: number;
  packedB: number;
  /** One A-packing scratch per thread. */
  packedA: number[];
  /** One edge-tile scratch per thread. */
  tile: number[];
  end: number;
}

/** Nothing below this address is used, so a stray null pointer can never hit an operand. */
const FIRST_ADDRESS = 1024;
/** Addresses stay below 2 GiB: the kernels compute byte offsets in 32-bit signed integers. */
const MAX_BYTES = 2 ** 31;
const ALIGN = 64;

const align = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

/**
 * One instance of a kernel module with its own memory: copies operands in, runs the kernels,
 * copies the product out. Not re-entrant; worker threads share it only through `MatmulPool`,
 * which gives each thread its own scratch.
 */
export class WasmGemmRuntime {
  readonly variant: SimdVariant;
  readonly shared: boolean;
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  private readonly x: GemmExports;
  private f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private readonly current: Layout = {
    a: 0,
    b: 0,
    c: 0,
    packedB: 0,
    packedA: [],
    tile: [],
    end: 0,
  };
  /** Views of C by element offset (×2, +1 for f32), kept so copying C out allocates nothing. */
  private readonly outViews = new Map<number, FloatArray>();

  /** The first byte of scratch (operand copies and packing buffers). */
  private readonly base = align(FIRST_ADDRESS);

  constructor(variant: SimdVariant, shared: boolean) {
    this.variant = variant;
    this.shared = shared;
    this.module = wasmModule(variant, shared);
    this.memory = new webAssembly!.Memory({
      initial: 1,
      maximum: MAX_BYTES / PAGE_BYTES,
      shared,
    });
    this.x = new webAssembly!.Instance(this.module, { env: { memory: this.memory } })
      .exports as unknown as GemmExports;
    this.refreshViews();
  }

  private refreshViews(): void {
    const buffer = this.memory.buffer;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.outViews.clear();
  }

  /** Where a product's operands and scratch go when `threads` threads compute it. */
  layout(dtype: Dtype, m: number, n: number, k: number, threads: number): Layout {
    const size = dtype === 'f64' ? 8 : 4;
    const l = this.current;
    let at = this.base;
    l.a = at;
    at = align(at + m * k * size);
    l.b = at;
    at = align(at + k * n * size);
    l.c = at;
    at = align(at + m * n * size);
    l.packedB = at;
    at = align(
      at + ((dtype === 'f64' ? this.x.packedBBytes64(k, n) : this.x.packedBBytes32(k, n)) >>> 0),
    );
    const packedABytes = this.x.packedABytes(size) >>> 0;
    const tileBytes = this.x.tileBytes() >>> 0;
    l.packedA.length = threads;
    l.tile.length = threads;
    for (let t = 0; t < threads; t++) {
      l.packedA[t] = at;
      at = align(at + packedABytes);
      l.tile[t] = at;
      at = align(at + tileBytes);
    }
    if (at > MAX_BYTES) {
      throw new RangeError(
        `wasm gemm: a ${m}×${k} by ${k}×${n} ${dtype} product needs ${at} bytes of WebAssembly memory, over the 2 GiB limit`,
      );
    }
    l.end = at;
    return l;
  }

  /** Grows the memory to hold `bytes`. */
  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      this.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
      this.refreshViews();
    }
  }

  /**
   * Copies op(A)'s and op(B)'s storage into memory and packs op(B): everything before the row
   * computation. Returns the layout; the product's rows are then computed by `rows`.
   */
  prepare(
    dtype: Dtype,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    threads: number,
  ): Layout {
    if (a.length < m * k || b.length < k * n || c.length < m * n) {
      throw new RangeError(
        `wasm gemm: operands of length ${a.length}, ${b.length} and ${c.length} are too short for a ${m}×${k} by ${k}×${n} product`,
      );
    }
    const layout = this.layout(dtype, m, n, k, threads);
    this.reserve(layout.end);
    const view = dtype === 'f64' ? this.f64 : this.f32;
    const size = view.BYTES_PER_ELEMENT;
    view.set(a.length === m * k ? a : a.subarray(0, m * k), layout.a / size);
    view.set(b.length === k * n ? b : b.subarray(0, k * n), layout.b / size);
    const pack = dtype === 'f64' ? this.x.packB64 : this.x.packB32;
    pack(transB ? 1 : 0, k, n, layout.b, layout.packedB);
    return layout;
  }

  /** Computes rows r0 … r1−1 of the prepared product with scratch slot `slot`. */
  rows(
    dtype: Dtype,
    transA: boolean,
    m: number,
    n: number,
    k: number,
    layout: Layout,
    slot: number,
    r0: number,
    r1: number,
  ): void {
    const rows = dtype === 'f64' ? this.x.gemmRows64 : this.x.gemmRows32;
    rows(
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
    );
  }

  /** Copies the computed product out into `c`. */
  finish(dtype: Dtype, m: number, n: number, layout: Layout, c: FloatArray): void {
    const view = dtype === 'f64' ? this.f64 : this.f32;
    const start = layout.c / view.BYTES_PER_ELEMENT;
    const key = start * 2 + (dtype === 'f64' ? 0 : 1);
    let out = this.outViews.get(key);
    if (out === undefined || out.length !== m * n) {
      if (this.outViews.size >= 64) this.outViews.clear();
      out = view.subarray(start, start + m * n);
      this.outViews.set(key, out);
    }
    c.set(out);
  }

  /**
   * c ← op(a)·op(b) on the calling thread (the `Gemm` convention), including the copies in and
   * out of WebAssembly memory.
   */
  gemm(
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
    if (m === 0 || n === 0) return;
    if (k === 0) {
      c.fill(0, 0, m * n);
      return;
    }
    const layout = this.prepare(dtype, transB, m, n, k, a, b, c, 1);
    this.rows(dtype, transA, m, n, k, layout, 0, 0, m);
    this.finish(dtype, m, n, layout, c);
  }
}
