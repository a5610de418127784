/**
 * 4×4 register-blocked micro-kernels: each computes one tile C[i0 … i0+3][j0 … j0+3] with its 16
 * sums held in local variables, so the inner loop does 8 loads and 16 multiply-adds per step of
 * p and touches C only once at the end. Each element's sum runs over p in increasing order, like
 * the naive kernel, so both give the same bits (a skipped zero product can only change the sign
 * of a zero result).
 *
 * Operands are addressed by strides, which lets the same kernel read packed panels and unpacked
 * matrices in either orientation: element (ii, p) of the A tile is `a[qa + p·aP + offA(ii)]`
 * with offA = (0, a1, a2, a3), and element (p, jj) of the B tile is `b[qb + p·bP + offB(jj)]`
 * with offB = (0, b1, b2, b3). Tiles at the lower/right edge pass `h` < 4 rows / `w` < 4
 * columns: the caller points the missing rows/columns at valid memory (offset 0 or zero
 * padding) and the kernel writes back only the `h`×`w` corner; the 4×2 and 2×4 variants at the
 * end of this file keep such edges from doing twice the work they need.
 */

/** Accumulators of an edge tile, handed from a micro-kernel to {@link storeEdge}. */
const edge = new Float64Array(16);

/**
 * Writes the top-left h×w corner of the tile held in {@link edge} to c at offset o (row stride n).
 * Full tiles are stored inline by each kernel: a shared store function taking 16 values is too
 * large for V8 to inline, and the call cost 20–30 % on the network's small shapes.
 */
function storeEdge(c: Float64Array, o: number, n: number, h: number, w: number): void {
  for (let ii = 0; ii < h; ii++, o += n) {
    for (let jj = 0; jj < w; jj++) c[o + jj] = edge[ii * 4 + jj];
  }
}

/**
 * Tile from two packed panels: A as k groups of 4 row values, B as k groups of 4 column values,
 * both contiguous, so every offset is a constant.
 */
export function tile4x4Packed(
  k: number,
  a: Float64Array,
  qa: number,
  b: Float64Array,
  qb: number,
  c: Float64Array,
  o: number,
  n: number,
  h: number,
  w: number,
): void {
  // prettier-ignore
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // prettier-ignore
  for (const end = qa + 4 * k; qa < end; qa += 4, qb += 4) {
    const a0 = a[qa], a1 = a[qa + 1], a2 = a[qa + 2], a3 = a[qa + 3];
    const b0 = b[qb], b1 = b[qb + 1], b2 = b[qb + 2], b3 = b[qb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (h === 4 && w === 4) {
    // prettier-ignore
    {
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    }
  } else {
    const e = edge;
    // prettier-ignore
    {
      e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03; e[4] = c10; e[5] = c11; e[6] = c12; e[7] = c13;
      e[8] = c20; e[9] = c21; e[10] = c22; e[11] = c23; e[12] = c30; e[13] = c31; e[14] = c32; e[15] = c33;
    }
    storeEdge(c, o, n, h, w);
  }
}

/** Tile from strided operands (unpacked matrices in any orientation), every p in 0 … k−1. */
export function tile4x4(
  k: number,
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
  // prettier-ignore
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // prettier-ignore
  for (let p = 0; p < k; p++, qa += aP, qb += bP) {
    const x0 = a[qa], x1 = a[qa + a1], x2 = a[qa + a2], x3 = a[qa + a3];
    const y0 = b[qb], y1 = b[qb + b1], y2 = b[qb + b2], y3 = b[qb + b3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  if (h === 4 && w === 4) {
    // prettier-ignore
    {
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    }
  } else {
    const e = edge;
    // prettier-ignore
    {
      e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03; e[4] = c10; e[5] = c11; e[6] = c12; e[7] = c13;
      e[8] = c20; e[9] = c21; e[10] = c22; e[11] = c23; e[12] = c30; e[13] = c31; e[14] = c32; e[15] = c33;
    }
    storeEdge(c, o, n, h, w);
  }
}

/**
 * Like {@link tile4x4}, but only over the `count` values of p listed in `steps` (ascending):
 * the steps where the A tile's four values are not all zero.
 */
export function tile4x4Sparse(
  count: number,
  steps: Int32Array,
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
  // prettier-ignore
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // prettier-ignore
  for (let t = 0; t < count; t++) {
    const p = steps[t];
    const ia = qa + p * aP;
    const ib = qb + p * bP;
    const x0 = a[ia], x1 = a[ia + a1], x2 = a[ia + a2], x3 = a[ia + a3];
    const y0 = b[ib], y1 = b[ib + b1], y2 = b[ib + b2], y3 = b[ib + b3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  if (h === 4 && w === 4) {
    // prettier-ignore
    {
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    }
  } else {
    const e = edge;
    // prettier-ignore
    {
      e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03; e[4] = c10; e[5] = c11; e[6] = c12; e[7] = c13;
      e[8] = c20; e[9] = c21; e[10] = c22; e[11] = c23; e[12] = c30; e[13] = c31; e[14] = c32; e[15] = c33;
    }
    storeEdge(c, o, n, h, w);
  }
}

/**
 * 4×2 tile for the last one or two columns (`w` ≤ 2), so a product with n = 10 does not pay for
 * 12 columns: 8 sums, 6 loads and 8 multiply-adds per step. Only b1 of the B offsets is read.
 */
export function tile4x2(
  k: number,
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
  // prettier-ignore
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  // prettier-ignore
  for (let p = 0; p < k; p++, qa += aP, qb += bP) {
    const x0 = a[qa], x1 = a[qa + a1], x2 = a[qa + a2], x3 = a[qa + a3];
    const y0 = b[qb], y1 = b[qb + b1];
    c00 += x0 * y0; c01 += x0 * y1; c10 += x1 * y0; c11 += x1 * y1;
    c20 += x2 * y0; c21 += x2 * y1; c30 += x3 * y0; c31 += x3 * y1;
  }
  // prettier-ignore
  {
    c[o] = c00; if (w > 1) c[o + 1] = c01; if (h === 1) return; o += n;
    c[o] = c10; if (w > 1) c[o + 1] = c11; if (h === 2) return; o += n;
    c[o] = c20; if (w > 1) c[o + 1] = c21; if (h === 3) return; o += n;
    c[o] = c30; if (w > 1) c[o + 1] = c31;
  }
}

/** {@link tile4x2} over the listed steps only, like {@link tile4x4Sparse}. */
export function tile4x2Sparse(
  count: number,
  steps: Int32Array,
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
  // prettier-ignore
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  // prettier-ignore
  for (let t = 0; t < count; t++) {
    const p = steps[t];
    const ia = qa + p * aP;
    const ib = qb + p * bP;
    const x0 = a[ia], x1 = a[ia + a1], x2 = a[ia + a2], x3 = a[ia + a3];
    const y0 = b[ib], y1 = b[ib + b1];
    c00 += x0 * y0; c01 += x0 * y1; c10 += x1 * y0; c11 += x1 * y1;
    c20 += x2 * y0; c21 += x2 * y1; c30 += x3 * y0; c31 += x3 * y1;
  }
  // prettier-ignore
  {
    c[o] = c00; if (w > 1) c[o + 1] = c01; if (h === 1) return; o += n;
    c[o] = c10; if (w > 1) c[o + 1] = c11; if (h === 2) return; o += n;
    c[o] = c20; if (w > 1) c[o + 1] = c21; if (h === 3) return; o += n;
    c[o] = c30; if (w > 1) c[o + 1] = c31;
  }
}

/**
 * 2×4 tile for the last one or two rows (`h` ≤ 2), e.g. op(A) with m = 10 rows in the gradient
 * Xᵀ·dZ. Only a1 of the A offsets is read.
 */
export function tile2x4(
  k: number,
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
  // prettier-ignore
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  // prettier-ignore
  for (let p = 0; p < k; p++, qa += aP, qb += bP) {
    const x0 = a[qa], x1 = a[qa + a1];
    const y0 = b[qb], y1 = b[qb + b1], y2 = b[qb + b2], y3 = b[qb + b3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
  }
  // prettier-ignore
  if (w === 4) {
    c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03;
    if (h === 1) return; o += n;
    c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13;
  } else {
    c[o] = c00; if (w > 1) c[o + 1] = c01; if (w > 2) c[o + 2] = c02;
    if (h === 1) return; o += n;
    c[o] = c10; if (w > 1) c[o + 1] = c11; if (w > 2) c[o + 2] = c12;
  }
}

/** {@link tile2x4} over the listed steps only, like {@link tile4x4Sparse}. */
export function tile2x4Sparse(
  count: number,
  steps: Int32Array,
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
  // prettier-ignore
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  // prettier-ignore
  for (let t = 0; t < count; t++) {
    const p = steps[t];
    const ia = qa + p * aP;
    const ib = qb + p * bP;
    const x0 = a[ia], x1 = a[ia + a1];
    const y0 = b[ib], y1 = b[ib + b1], y2 = b[ib + b2], y3 = b[ib + b3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
  }
  // prettier-ignore
  if (w === 4) {
    c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03;
    if (h === 1) return; o += n;
    c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13;
  } else {
    c[o] = c00; if (w > 1) c[o + 1] = c01; if (w > 2) c[o + 2] = c02;
    if (h === 1) return; o += n;
    c[o] = c10; if (w > 1) c[o + 1] = c11; if (w > 2) c[o + 2] = c12;
  }
}
