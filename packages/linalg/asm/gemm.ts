// WebAssembly SIMD matrix multiply, in AssemblyScript. scripts/build-wasm.mjs compiles this file
// four times (SIMD or relaxed SIMD, shared or private memory) into src/wasm/kernels.generated.ts.
//
// Every function works on byte addresses in the imported memory; the TypeScript side
// (src/wasm/runtime.ts) lays the operands out, so this module allocates nothing and has no data.
//
// C = op(A)·op(B) is computed the way BLIS does it, scaled down to 128-bit vectors:
// - op(B) is packed once into panels of NR columns, KC rows at a time, zero-padded to NR, so the
//   micro-kernel reads one panel as a contiguous stream whatever the layout and transpose of B.
// - For each block of MC rows of C, op(A) is packed into panels of MR rows (zero-padded), so the
//   micro-kernel reads MR values per step from one address with constant offsets.
// - The micro-kernel keeps an MR×NR tile of C in registers: MR = 4 rows × NV = 2 vectors (8
//   accumulators, 4×4 for f64, 4×8 for f32). Measured on the target machine (x86-64, V8 gives
//   wasm 15 usable xmm registers) 4×2 vectors beat 3×3, 5×2, 6×2, 4×3 and 2×4 tiles and any
//   unrolling of the k loop: the wider tiles spill.
// - KC = 256 keeps a B panel (8 KiB for f64) in L1 across the MC/MR micro-kernel calls and an A
//   block (MC×KC, 128 KiB for f64) in L2 across the NR panels.
//
// Rows of C are independent, so threads share one packed B and each computes its own row range
// with its own A-packing scratch (gemmRows64 / gemmRows32 take the range).

/** Rows of the register tile. */
const MR: i32 = 4;
/** 128-bit vectors per row of the register tile. */
const NV: i32 = 2;
/** Depth of one packed block of A and B. */
const KC: i32 = 256;
/** Rows of A packed at a time (a multiple of MR). */
const MC: i32 = 64;

/** a·b + c: a fused multiply-add where relaxed SIMD is enabled, a multiply then an add otherwise. */
function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}

/** Columns of the register tile for element type T (4 for f64, 8 for f32). */
function tileCols<T>(): i32 {
  return NV * (16 / <i32>sizeof<T>());
}

/**
 * The micro-kernel: the MR×NR tile at `c` (row stride `ldc` bytes) becomes the product of the
 * packed A panel (kc steps of MR values) and the packed B panel (kc steps of NR values), added to
 * the tile's old values when `accumulate` is set. The accumulators start from those old values
 * (not from zero, added at the end), so every element is summed over p = 0 … k−1 in order across
 * KC blocks, exactly as the naive loop sums it: without fused multiply-add the result is the
 * naive result, bit for bit.
 */
function kernel<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  const S = sizeof<T>();
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  const zero = v128.splat<T>(0);
  let c00 = zero,
    c01 = zero,
    c10 = zero,
    c11 = zero,
    c20 = zero,
    c21 = zero,
    c30 = zero,
    c31 = zero;
  if (accumulate) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c1);
    c11 = v128.load(c1, 16);
    c20 = v128.load(c2);
    c21 = v128.load(c2, 16);
    c30 = v128.load(c3);
    c31 = v128.load(c3, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load_splat<T>(ap);
    c00 = madd<T>(a0, b0, c00);
    c01 = madd<T>(a0, b1, c01);
    const a1 = v128.load_splat<T>(ap, S);
    c10 = madd<T>(a1, b0, c10);
    c11 = madd<T>(a1, b1, c11);
    const a2 = v128.load_splat<T>(ap, 2 * S);
    c20 = madd<T>(a2, b0, c20);
    c21 = madd<T>(a2, b1, c21);
    const a3 = v128.load_splat<T>(ap, 3 * S);
    c30 = madd<T>(a3, b0, c30);
    c31 = madd<T>(a3, b1, c31);
    ap += 4 * S;
    bp += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
}

/**
 * The micro-kernel for a panel whose valid columns fill exactly one vector (2 of 4 for f64, 4 of
 * 8 for f32: n = 10 leaves such a panel): MR rows × 1 vector, stored straight into C, so the
 * network's 10-column products neither compute the empty half nor go through the edge tile.
 */
function kernelNarrow<T>(
  ap: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  accumulate: bool,
): void {
  const S = sizeof<T>();
  const r1 = c + ldc;
  const r2 = r1 + ldc;
  const r3 = r2 + ldc;
  const zero = v128.splat<T>(0);
  let c0 = zero,
    c1 = zero,
    c2 = zero,
    c3 = zero;
  if (accumulate) {
    c0 = v128.load(c);
    c1 = v128.load(r1);
    c2 = v128.load(r2);
    c3 = v128.load(r3);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    c0 = madd<T>(v128.load_splat<T>(ap), b0, c0);
    c1 = madd<T>(v128.load_splat<T>(ap, S), b0, c1);
    c2 = madd<T>(v128.load_splat<T>(ap, 2 * S), b0, c2);
    c3 = madd<T>(v128.load_splat<T>(ap, 3 * S), b0, c3);
    ap += 4 * S;
    bp += 32;
  }
  v128.store(c, c0);
  v128.store(r1, c1);
  v128.store(r2, c2);
  v128.store(r3, c3);
}

/** Bytes the packed form of a k×n op(B) takes (see packB). */
function packedBBytes<T>(k: i32, n: i32): usize {
  const NR = tileCols<T>();
  return <usize>k * <usize>(((n + NR - 1) / NR) * NR) * sizeof<T>();
}

/**
 * Packs op(B) (k×n; `b` holds k×n row-major, or n×k when `transB`) into `dst`: for each block of
 * KC rows, for each panel of NR columns, the block's rows of that panel one after another, each
 * NR values with zeros past column n.
 */
function packB<T>(transB: bool, k: i32, n: i32, b: usize, dst: usize): void {
  const NR = tileCols<T>();
  const S = <i32>sizeof<T>();
  const panels = (n + NR - 1) / NR;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    for (let jp = 0; jp < panels; jp++) {
      const j0 = jp * NR;
      const w = min(NR, n - j0);
      const d = dst + <usize>((pc * panels * NR + jp * kc * NR) * S);
      if (!transB) {
        let s = b + <usize>((pc * n + j0) * S);
        let dd = d;
        for (let p = 0; p < kc; p++) {
          if (w === NR) {
            v128.store(dd, v128.load(s));
            v128.store(dd, v128.load(s, 16), 16);
          } else {
            for (let j = 0; j < w; j++) store<T>(dd + <usize>(j * S), load<T>(s + <usize>(j * S)));
            for (let j = w; j < NR; j++) store<T>(dd + <usize>(j * S), <T>0);
          }
          s += <usize>(n * S);
          dd += <usize>(NR * S);
        }
      } else {
        // Column j of op(B) is row j of the stored matrix: read it in order, write with stride NR.
        for (let j = 0; j < NR; j++) {
          let dd = d + <usize>(j * S);
          if (j < w) {
            let s = b + <usize>(((j0 + j) * k + pc) * S);
            for (let p = 0; p < kc; p++) {
              store<T>(dd, load<T>(s));
              s += <usize>S;
              dd += <usize>(NR * S);
            }
          } else {
            for (let p = 0; p < kc; p++) {
              store<T>(dd, <T>0);
              dd += <usize>(NR * S);
            }
          }
        }
      }
    }
  }
}

/**
 * Packs rows i0 … i0+mc−1, columns pc … pc+kc−1 of op(A) (m×k; `a` holds m×k row-major, or k×m
 * when `transA`) into `dst`: panels of MR rows, each kc steps of MR values, zeros past row i0+mc.
 */
function packA<T>(
  transA: bool,
  m: i32,
  k: i32,
  a: usize,
  i0: i32,
  mc: i32,
  pc: i32,
  kc: i32,
  dst: usize,
): void {
  const S = <i32>sizeof<T>();
  const panels = (mc + MR - 1) / MR;
  for (let ip = 0; ip < panels; ip++) {
    const r0 = i0 + ip * MR;
    const h = min(MR, i0 + mc - r0);
    const d = dst + <usize>(ip * kc * MR * S);
    if (!transA) {
      for (let r = 0; r < MR; r++) {
        let dd = d + <usize>(r * S);
        if (r < h) {
          let s = a + <usize>(((r0 + r) * k + pc) * S);
          for (let p = 0; p < kc; p++) {
            store<T>(dd, load<T>(s));
            s += <usize>S;
            dd += <usize>(MR * S);
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<T>(dd, <T>0);
            dd += <usize>(MR * S);
          }
        }
      }
    } else {
      // Row p of the stored matrix holds op(A)'s column p: MR neighbours are already contiguous.
      let s = a + <usize>((pc * m + r0) * S);
      let dd = d;
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < h; r++) store<T>(dd + <usize>(r * S), load<T>(s + <usize>(r * S)));
        for (let r = h; r < MR; r++) store<T>(dd + <usize>(r * S), <T>0);
        s += <usize>(m * S);
        dd += <usize>(MR * S);
      }
    }
  }
}

/** Copies an h×w block of T between two row strides (in bytes). */
function copyTile<T>(
  from: usize,
  fromStride: usize,
  to: usize,
  toStride: usize,
  h: i32,
  w: i32,
): void {
  for (let r = 0; r < h; r++) {
    memory.copy(to + <usize>r * toStride, from + <usize>r * fromStride, <usize>w * sizeof<T>());
  }
}

/**
 * Rows r0 … r1−1 of C (m×n row-major at `c`) = op(A)·op(B), with op(B) already packed at `bp` by
 * packB. `ap` is scratch for packed A (packedABytes) and `tile` scratch for one edge tile
 * (tileBytes); threads computing disjoint row ranges at once need their own `ap` and `tile`.
 */
function gemmRows<T>(
  transA: bool,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  bp: usize,
  c: usize,
  ap: usize,
  tile: usize,
  r0: i32,
  r1: i32,
): void {
  const NR = tileCols<T>();
  const S = <i32>sizeof<T>();
  if (r1 <= r0) return;
  if (k === 0) {
    memory.fill(c + <usize>(r0 * n * S), 0, <usize>((r1 - r0) * n * S));
    return;
  }
  const panels = (n + NR - 1) / NR;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const accumulate = pc > 0;
    const bBlock = bp + <usize>(pc * panels * NR * S);
    for (let ic = r0; ic < r1; ic += MC) {
      const mc = min(MC, r1 - ic);
      packA<T>(transA, m, k, a, ic, mc, pc, kc, ap);
      for (let jp = 0; jp < panels; jp++) {
        const j0 = jp * NR;
        const w = min(NR, n - j0);
        const bPanel = bBlock + <usize>(jp * kc * NR * S);
        for (let i = ic; i < ic + mc; i += MR) {
          const h = min(MR, ic + mc - i);
          const aPanel = ap + <usize>((i - ic) * kc * S);
          const cTile = c + <usize>((i * n + j0) * S);
          if (h === MR && w === NR) {
            kernel<T>(aPanel, bPanel, kc, cTile, <usize>(n * S), accumulate);
          } else if (h === MR && w * S === 16) {
            kernelNarrow<T>(aPanel, bPanel, kc, cTile, <usize>(n * S), accumulate);
          } else {
            // An edge tile: computed whole in scratch (starting from the part inside C when
            // accumulating, to keep the summation order), and only that part copied back.
            if (accumulate) copyTile<T>(cTile, <usize>(n * S), tile, <usize>(NR * S), h, w);
            kernel<T>(aPanel, bPanel, kc, tile, <usize>(NR * S), accumulate);
            copyTile<T>(tile, <usize>(NR * S), cTile, <usize>(n * S), h, w);
          }
        }
      }
    }
  }
}

/** Packs float64 op(B) for gemmRows64 (see packB). */
export function packB64(transB: bool, k: i32, n: i32, b: usize, dst: usize): void {
  packB<f64>(transB, k, n, b, dst);
}

/** Packs float32 op(B) for gemmRows32 (see packB). */
export function packB32(transB: bool, k: i32, n: i32, b: usize, dst: usize): void {
  packB<f32>(transB, k, n, b, dst);
}

/** Float64 rows r0 … r1−1 of C = op(A)·op(B) (see gemmRows). */
export function gemmRows64(
  transA: bool,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  bp: usize,
  c: usize,
  ap: usize,
  tile: usize,
  r0: i32,
  r1: i32,
): void {
  gemmRows<f64>(transA, m, n, k, a, bp, c, ap, tile, r0, r1);
}

/** Float32 rows r0 … r1−1 of C = op(A)·op(B) (see gemmRows). */
export function gemmRows32(
  transA: bool,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  bp: usize,
  c: usize,
  ap: usize,
  tile: usize,
  r0: i32,
  r1: i32,
): void {
  gemmRows<f32>(transA, m, n, k, a, bp, c, ap, tile, r0, r1);
}

/** Bytes of packed op(B) for a float64 k×n product. */
export function packedBBytes64(k: i32, n: i32): usize {
  return packedBBytes<f64>(k, n);
}

/** Bytes of packed op(B) for a float32 k×n product. */
export function packedBBytes32(k: i32, n: i32): usize {
  return packedBBytes<f32>(k, n);
}

/** Bytes of one thread's A-packing scratch for element size `size` (8 or 4). */
export function packedABytes(size: i32): usize {
  return <usize>(MC * KC * size);
}

/** Bytes of one thread's edge-tile scratch (enough for either element size). */
export function tileBytes(): usize {
  return <usize>(MR * NV * 16);
}
