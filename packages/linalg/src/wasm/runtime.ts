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

/** The element-wise passes asm/elementwise.ts exports (float64; addresses in bytes). */
export interface ElementwiseExports {
  exp64(src: number, dst: number, len: number): void;
  exp32(src: number, dst: number, len: number): void;
  staticDataEnd(): number;
  log32(src: number, dst: number, len: number): void;
  sparseProduct64(
    transA: number,
    rows: number,
    k: number,
    n: number,
    starts: number,
    cols: number,
    vals: number,
    b: number,
    c: number,
  ): void;
  biasRelu64(z: number, b: number, a: number, rows: number, n: number): void;
  biasSoftmax64(z: number, b: number, a: number, rows: number, n: number): void;
  reluBackwardSums64(z: number, da: number, db: number, rows: number, n: number): void;
  twoLayerWorkBytes(d: number, h: number, o: number): number;
  twoLayer64(...args: TwoLayerArgs): void;
  twoLayerWorkBytes32(d: number, h: number, o: number): number;
  /** Returns the summed loss when its mode asks to measure it. */
  twoLayer32(...args: TwoLayerArgs): number;
  twoLayerCorrect32(): number;
  outputGradientSums64(
    a: number,
    y: number,
    dz: number,
    db: number,
    rows: number,
    n: number,
    inv: number,
  ): void;
}

/**
 * mode, m, d, h, o, x, starts, cols, vals, y, w1, b1, w2, b2, p, dw1, db1, dw2, db2, work (see
 * asm/twolayer.ts).
 */
export type TwoLayerArgs = Numbers<20>;

/** transA, m, n, k, a, packed b, c, A scratch, tile scratch, first row, end row. */
type GemmRowsArgs = Numbers<11>;

/** A tuple of n numbers: a kernel's arguments (byte addresses and sizes). */
type Numbers<N extends number, T extends number[] = []> = T['length'] extends N
  ? T
  : Numbers<N, [...T, number]>;

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
  /** The module's element-wise passes, run on matrices in this memory. */
  readonly elementwise: ElementwiseExports;
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

  /**
   * The first byte of scratch (operand copies and packing buffers). Everything below it belongs
   * to an arena's matrices, which the kernels read and write where they are.
   */
  private readonly base: number;
  /**
   * Set for an arena's runtime: its memory never grows, because growing would detach the
   * `Float64Array` views the arena handed out. A product whose scratch does not fit goes to this
   * runtime instead (which copies, as for any matrix outside WebAssembly memory).
   */
  private readonly overflow: WasmGemmRuntime | undefined;

  /**
   * `reserved` bytes (an arena's matrices) are set aside below the scratch; an arena passes its
   * whole memory size as `pages` and an `overflow` runtime, and the memory is then never grown.
   */
  constructor(
    variant: SimdVariant,
    shared: boolean,
    reserved = 0,
    pages = 1,
    overflow?: WasmGemmRuntime,
  ) {
    this.variant = variant;
    this.shared = shared;
    this.base = align(FIRST_ADDRESS + reserved);
    this.overflow = overflow;
    this.module = wasmModule(variant, shared);
    this.memory = new webAssembly!.Memory({
      initial: pages,
      maximum: overflow === undefined ? MAX_BYTES / PAGE_BYTES : pages,
      shared,
    });
    this.x = new webAssembly!.Instance(this.module, { env: { memory: this.memory } })
      .exports as unknown as GemmExports;
    this.elementwise = this.x as unknown as ElementwiseExports;
    this.refreshViews();
  }

  private refreshViews(): void {
    const buffer = this.memory.buffer;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.outViews.clear();
  }

  /** The byte address of `x` when it already lives in this memory, else −1 (it must be copied). */
  addressOf(x: FloatArray): number {
    return x.buffer === this.memory.buffer ? x.byteOffset : -1;
  }

  /**
   * The address of float64 `x` in this memory: where it is, or a copy at the start of the
   * scratch (valid until the next call that uses scratch); −1 when the scratch is too small.
   */
  placeF64(x: Float64Array): number {
    const at = this.addressOf(x);
    if (at >= 0) return at;
    if (this.base + x.byteLength > this.memory.buffer.byteLength) return -1;
    this.f64.set(x, this.base / 8);
    return this.base;
  }

  /**
   * Where a product's operands go when `threads` threads compute it. An operand that already
   * lives in this memory (`aAt`, `bAt`, `cAt` ≥ 0) is used where it is and takes no scratch.
   */
  layout(
    dtype: Dtype,
    m: number,
    n: number,
    k: number,
    threads: number,
    aAt = -1,
    bAt = -1,
    cAt = -1,
  ): Layout {
    const size = dtype === 'f64' ? 8 : 4;
    const l = this.current;
    let at = this.base;
    l.a = aAt >= 0 ? aAt : at;
    if (aAt < 0) at = align(at + m * k * size);
    l.b = bAt >= 0 ? bAt : at;
    if (bAt < 0) at = align(at + k * n * size);
    l.c = cAt >= 0 ? cAt : at;
    if (cAt < 0) at = align(at + m * n * size);
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

  /** Grows the memory to hold `bytes`; false (nothing grown) for an arena's fixed memory. */
  reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      if (this.overflow !== undefined) return false;
      this.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
      this.refreshViews();
    }
    return true;
  }

  /**
   * Copies op(A)'s and op(B)'s storage into memory and packs op(B): everything before the row
   * computation. Returns the layout; the product's rows are then computed by `rows`. Operands
   * (and `c`) already in this memory are not copied. Returns undefined only for an arena whose
   * fixed memory has no room for the product's scratch.
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
  ): Layout | undefined {
    if (a.length < m * k || b.length < k * n || c.length < m * n) {
      throw new RangeError(
        `wasm gemm: operands of length ${a.length}, ${b.length} and ${c.length} are too short for a ${m}×${k} by ${k}×${n} product`,
      );
    }
    const aAt = this.addressOf(a);
    const bAt = this.addressOf(b);
    const layout = this.layout(dtype, m, n, k, threads, aAt, bAt, this.addressOf(c));
    if (!this.reserve(layout.end)) return undefined;
    const view = dtype === 'f64' ? this.f64 : this.f32;
    const size = view.BYTES_PER_ELEMENT;
    if (aAt < 0) view.set(a.length === m * k ? a : a.subarray(0, m * k), layout.a / size);
    if (bAt < 0) view.set(b.length === k * n ? b : b.subarray(0, k * n), layout.b / size);
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

  /** Copies the computed product out into `c` (nothing to do when it was computed in place). */
  finish(dtype: Dtype, m: number, n: number, layout: Layout, c: FloatArray): void {
    if (layout.c === this.addressOf(c)) return;
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
    if (layout === undefined) {
      this.overflow!.gemm(dtype, transA, transB, m, n, k, a, b, c);
      return;
    }
    this.rows(dtype, transA, m, n, k, layout, 0, 0, m);
    this.finish(dtype, m, n, layout, c);
  }
}
