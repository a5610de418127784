import {
  tile2x4,
  tile2x4Sparse,
  tile4x2,
  tile4x2Sparse,
  tile4x4,
  tile4x4Packed,
  tile4x4Sparse,
} from './micro.js';

/**
 * The optimised pure-TypeScript kernel, with the `Gemm` argument convention (`gemm.ts`). C is cut
 * into 4×4 tiles computed by register-blocked micro-kernels (`micro.ts`); the loop order is
 * row-block outer, column-panel inner, so a 4-row block of A is reused from L1 across all of B.
 *
 * Two paths, chosen by measurement:
 * - **packed** (m and n both > {@link PACK_MIN}): op(B) is copied once into 4-column panels and
 *   each 4-row block of op(A) into a 4-row panel, both interleaved so the tile loop reads two
 *   contiguous streams with constant offsets. The copy costs O(mk + kn) and is repaid by the
 *   n/4 and m/4 reuses; at 512×512 it is the difference between ~2.5 and ~4.5 GFLOPS.
 * - **strided** (otherwise, e.g. 3000×16 · 16×10 and the transposed-left gradients): tiles read
 *   the matrices in place through strides, one set per transpose case, because packing would
 *   cost as much as the multiply itself.
 *
 * Zero skipping (see {@link blockSteps}): for a 4-row block, the steps p where all four A values
 * are zero are dropped from every tile of the block, which one-hot inputs and sparse ReLU outputs
 * make common. It is exact: NaN and ∞ propagate as IEEE says.
 */
export function gemmBlocked(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, 0, m * n);
    return;
  }
  startCall(k);
  if (m > PACK_MIN && n > PACK_MIN) packedGemm(transA, transB, m, n, k, a, b, c);
  else stridedGemm(transA, transB, m, n, k, a, b, c);
}

/** Packing pays off once both m and n exceed this (measured: 3000×16·16×10 is faster unpacked). */
const PACK_MIN = 32;

/** Run the zero-skipping tile when at most this fraction of a block's steps is left. */
const SPARSE_MAX_FRACTION = 0.9;

// Scratch buffers, grown on demand and reused so that repeated calls do not allocate.
let packA = new Float64Array(0);
let packB = new Float64Array(0);
let steps = new Int32Array(0);

/**
 * Packed panels of B up to this many values (8 MB, k·n for 1024×1024) are kept for the next
 * call; a larger one is allocated for its call only, so one huge product does not pin its
 * memory for the life of the process.
 */
const RETAIN_MAX = 1 << 20;

/** A scan that finds nothing to skip postpones the next one by up to this many blocks. */
const MAX_BACKOFF = 16;

// Per-call state of blockSteps, reset by startCall.
const UNKNOWN = -1;
const NON_FINITE = 0;
const FINITE = 1;
/** Whether op(B) is free of NaN and ±∞: unknown until a block first wants to skip. */
let finiteB = UNKNOWN;
/** Blocks still to run dense before the next scan, and the next postponement. */
let scansToSkip = 0;
let backoff = 1;

function startCall(k: number): void {
  if (steps.length < k) steps = new Int32Array(k);
  finiteB = UNKNOWN;
  scansToSkip = 0;
  backoff = 1;
}

/**
 * How many steps the tiles of one 4-row block must run: k (dense), or the number of steps p
 * listed in `steps` where the block's four A values (a[qa + p·aP + {0, a1, a2, a3}]) are not all
 * zero, when at most {@link SPARSE_MAX_FRACTION} of k remain.
 *
 * Dropping 0·b is exact only when b is finite (0·NaN and 0·∞ are NaN), so the first block that
 * could skip checks once per call that the whole of b holds no NaN or ±∞ (O(kn), small next to
 * the O(mnk) product); if it does, nothing is skipped in this call.
 *
 * The scan costs O(k) per block against O(k·n) for the block's tiles, which still shows on
 * dense, narrow products; so a scan that finds too little to skip postpones the next one
 * (1, 2, 4 … {@link MAX_BACKOFF} blocks), and a useful one resets the postponement.
 */
function blockSteps(
  k: number,
  a: Float64Array,
  qa: number,
  aP: number,
  a1: number,
  a2: number,
  a3: number,
  b: Float64Array,
  bLength: number,
): number {
  if (finiteB === NON_FINITE) return k;
  if (scansToSkip > 0) {
    scansToSkip--;
    return k;
  }
  const nonZero = nonZeroSteps(k, a, qa, aP, a1, a2, a3);
  if (nonZero > k * SPARSE_MAX_FRACTION) {
    scansToSkip = backoff;
    backoff = Math.min(2 * backoff, MAX_BACKOFF);
    return k;
  }
  backoff = 1;
  if (finiteB === UNKNOWN) finiteB = allFinite(b, bLength) ? FINITE : NON_FINITE;
  return finiteB === FINITE ? nonZero : k;
}

/** True when none of the first `length` values of x is NaN or ±∞ (0·x is 0 exactly then). */
function allFinite(x: Float64Array, length: number): boolean {
  // Four independent sums so the loop is not bound by the latency of one add chain.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    s0 += x[i] * 0;
    s1 += x[i + 1] * 0;
    s2 += x[i + 2] * 0;
    s3 += x[i + 3] * 0;
  }
  for (; i < length; i++) s0 += x[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/**
 * Lists in `steps` the p where a block's four A values (at a[qa + p·aP + {0, a1, a2, a3}]) are
 * not all zero, and returns how many there are. Branch-free, because zero patterns of real
 * data are too irregular for the branch predictor.
 */
function nonZeroSteps(
  k: number,
  a: Float64Array,
  qa: number,
  aP: number,
  a1: number,
  a2: number,
  a3: number,
): number {
  const s = steps;
  let count = 0;
  for (let p = 0; p < k; p++, qa += aP) {
    s[count] = p;
    count += +(a[qa] !== 0) | +(a[qa + a1] !== 0) | +(a[qa + a2] !== 0) | +(a[qa + a3] !== 0);
  }
  return count;
}

function packedGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  const packedSize = ((n + 3) >> 2) * 4 * k;
  let pb = packB;
  if (pb.length < packedSize) {
    pb = new Float64Array(packedSize);
    if (packedSize <= RETAIN_MAX) packB = pb;
  }
  if (packA.length < 4 * k) packA = new Float64Array(4 * k);
  const pa = packA;
  packPanelsB(transB, n, k, b, pb);
  for (let i0 = 0; i0 < m; i0 += 4) {
    const h = Math.min(4, m - i0);
    packBlockA(transA, m, k, a, i0, h, pa);
    const count = blockSteps(k, pa, 0, 4, 1, 2, 3, b, k * n);
    for (let j0 = 0, qb = 0; j0 < n; j0 += 4, qb += 4 * k) {
      const w = Math.min(4, n - j0);
      const o = i0 * n + j0;
      if (h > 2 && w > 2) {
        if (count === k) tile4x4Packed(k, pa, 0, pb, qb, c, o, n, h, w);
        else tile4x4Sparse(count, steps, pa, 0, 4, 1, 2, 3, pb, qb, 4, 1, 2, 3, c, o, n, h, w);
      } else {
        tileEdge(k, count, pa, 0, 4, 1, 2, 3, pb, qb, 4, 1, 2, 3, c, o, n, h, w);
      }
    }
  }
}

/**
 * Copies op(B) into 4-column panels: panel t holds columns 4t … 4t+3 as k groups of 4 values
 * (zero-padded past column n), so a tile reads it as one contiguous stream.
 */
function packPanelsB(
  transB: boolean,
  n: number,
  k: number,
  b: Float64Array,
  pb: Float64Array,
): void {
  for (let j0 = 0, base = 0; j0 < n; j0 += 4, base += 4 * k) {
    const w = Math.min(4, n - j0);
    if (!transB) {
      // op(B)[p][j] = b[p·n + j]: each group is 4 neighbours of one row.
      for (let p = 0, src = j0, dst = base; p < k; p++, src += n, dst += 4) {
        if (w === 4) {
          pb[dst] = b[src];
          pb[dst + 1] = b[src + 1];
          pb[dst + 2] = b[src + 2];
          pb[dst + 3] = b[src + 3];
        } else {
          for (let jj = 0; jj < 4; jj++) pb[dst + jj] = jj < w ? b[src + jj] : 0;
        }
      }
    } else {
      // op(B)[p][j] = b[j·k + p]: each column of the panel is a contiguous row of b.
      for (let jj = 0; jj < 4; jj++) {
        if (jj < w) {
          for (let p = 0, src = (j0 + jj) * k, dst = base + jj; p < k; p++, dst += 4) {
            pb[dst] = b[src + p];
          }
        } else {
          for (let p = 0, dst = base + jj; p < k; p++, dst += 4) pb[dst] = 0;
        }
      }
    }
  }
}

/**
 * Copies rows i0 … i0+h−1 of op(A) into pa as k groups of 4 values (zero-padded past row m).
 */
function packBlockA(
  transA: boolean,
  m: number,
  k: number,
  a: Float64Array,
  i0: number,
  h: number,
  pa: Float64Array,
): void {
  if (!transA) {
    // op(A)[i][p] = a[i·k + p]: each row of the block is a contiguous row of a.
    for (let ii = 0; ii < 4; ii++) {
      if (ii < h) {
        for (let p = 0, src = (i0 + ii) * k, dst = ii; p < k; p++, dst += 4) pa[dst] = a[src + p];
      } else {
        for (let p = 0, dst = ii; p < k; p++, dst += 4) pa[dst] = 0;
      }
    }
  } else {
    // op(A)[i][p] = a[p·m + i]: each group is 4 neighbours of one row of a.
    for (let p = 0, src = i0, dst = 0; p < k; p++, src += m, dst += 4) {
      if (h === 4) {
        pa[dst] = a[src];
        pa[dst + 1] = a[src + 1];
        pa[dst + 2] = a[src + 2];
        pa[dst + 3] = a[src + 3];
      } else {
        for (let ii = 0; ii < 4; ii++) pa[dst + ii] = ii < h ? a[src + ii] : 0;
      }
    }
  }
}

function stridedGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  // op(A)[i][p] = a[i·aI + p·aP] and op(B)[p][j] = b[p·bP + j·bJ], for each transpose case.
  const aI = transA ? 1 : k;
  const aP = transA ? m : 1;
  const bJ = transB ? k : 1;
  const bP = transB ? 1 : n;
  for (let i0 = 0; i0 < m; i0 += 4) {
    const h = Math.min(4, m - i0);
    // Rows past the edge re-read row i0 (valid memory); their sums are never stored.
    const a1 = h > 1 ? aI : 0;
    const a2 = h > 2 ? 2 * aI : 0;
    const a3 = h > 3 ? 3 * aI : 0;
    const qa = i0 * aI;
    const count = blockSteps(k, a, qa, aP, a1, a2, a3, b, k * n);
    for (let j0 = 0; j0 < n; j0 += 4) {
      const w = Math.min(4, n - j0);
      const b1 = w > 1 ? bJ : 0;
      const b2 = w > 2 ? 2 * bJ : 0;
      const b3 = w > 3 ? 3 * bJ : 0;
      const qb = j0 * bJ;
      const o = i0 * n + j0;
      if (h > 2 && w > 2) {
        if (count === k) tile4x4(k, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
        else
          tile4x4Sparse(count, steps, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
      } else {
        tileEdge(k, count, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
      }
    }
  }
}

/**
 * A tile with at most two rows or two columns left: a 4×2 or 2×4 micro-kernel does half the
 * work of a 4×4 one padded with rows or columns that are thrown away.
 */
function tileEdge(
  k: number,
  count: number,
  a: Float64Array,
  qa: number,
  aP: number,
  a1: number,
  a2: number,
  a3: number,
  b: Float64Array,
  qb: number,
  bP: number,
  b1: number,
  b2: number,
  b3: number,
  c: Float64Array,
  o: number,
  n: number,
  h: number,
  w: number,
): void {
  if (h > 2) {
    if (count === k) tile4x2(k, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
    else tile4x2Sparse(count, steps, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
  } else if (count === k) {
    tile2x4(k, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
  } else {
    tile2x4Sparse(count, steps, a, qa, aP, a1, a2, a3, b, qb, bP, b1, b2, b3, c, o, n, h, w);
  }
}
