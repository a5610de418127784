/** Element type of a benchmarked product. */
export type Dtype = 'f64' | 'f32';

/** A float64 or float32 typed array. */
export type FloatArray = Float64Array | Float32Array;

/** One product to benchmark: C (m×n) = op(A)·op(B), op transposing where asked. */
export interface Shape {
  m: number;
  n: number;
  k: number;
  /** A is stored k×m and used transposed (the network's weight-gradient products Xᵀ·dZ). */
  transA: boolean;
  /** B is stored n×k and used transposed. */
  transB: boolean;
  /** How the table names it, e.g. `512²` or `Xᵀ·dZ1 10×3000·3000×16`. */
  label: string;
}

/** A square product of side `size`. */
export function squareShape(size: number): Shape {
  return { m: size, n: size, k: size, transA: false, transB: false, label: `${size}²` };
}

/**
 * The genre network's products (10 → 16 → 10 on 3000 training rows): the two forward products,
 * and the transposed-left weight-gradient products dW = Aᵀ·dZ of the backward pass.
 */
export const NETWORK_SHAPES: readonly Shape[] = [
  { m: 3000, n: 16, k: 10, transA: false, transB: false, label: 'X·W1 3000×10·10×16' },
  { m: 3000, n: 10, k: 16, transA: false, transB: false, label: 'A1·W2 3000×16·16×10' },
  { m: 10, n: 16, k: 3000, transA: true, transB: false, label: 'Xᵀ·dZ1 10×3000·3000×16' },
  { m: 16, n: 10, k: 3000, transA: true, transB: false, label: 'A1ᵀ·dZ2 16×3000·3000×10' },
];

/** Multiply-adds of a product, times two: the flop count GFLOPS are computed from. */
export const flops = (s: Pick<Shape, 'm' | 'n' | 'k'>): number => 2 * s.m * s.n * s.k;

/** Seeded values in [-1, 1) (xorshift32), so every run and every implementation sees the same. */
export function randomValues(length: number, seed: number, dtype: Dtype): FloatArray {
  const out = dtype === 'f64' ? new Float64Array(length) : new Float32Array(length);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The operands of one product, A and B as stored (already transposed where the shape says). */
export interface Operands {
  a: FloatArray;
  b: FloatArray;
}

/** Distinct operand sets for a shape: the timing loop rotates through them. */
export function operandSets(shape: Shape, dtype: Dtype, count: number, seed = 1): Operands[] {
  const sets: Operands[] = [];
  for (let i = 0; i < count; i++) {
    sets.push({
      a: randomValues(shape.m * shape.k, seed + 2 * i, dtype),
      b: randomValues(shape.k * shape.n, seed + 2 * i + 1, dtype),
    });
  }
  return sets;
}
