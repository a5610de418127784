/**
 * The reference kernel: the textbook triple loop, one dot product per element of C, summed in
 * order p = 0 … k−1. Slow but obviously right; tests and the benchmark compare against it.
 * Same arguments as every kernel: see `Gemm` in `gemm.ts`.
 */
export function gemmNaive(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  // op(a)[i][p] = a[i*sai + p*sap], op(b)[p][j] = b[p*sbp + j*sbj]
  const sai = transA ? 1 : k;
  const sap = transA ? m : 1;
  const sbp = transB ? 1 : n;
  const sbj = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * sai + p * sap] * b[p * sbp + j * sbj];
      c[i * n + j] = sum;
    }
  }
}
