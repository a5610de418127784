/** Element type of a matrix: float64 (the default everywhere) or float32 (products and storage). */
export type Dtype = 'f64' | 'f32';

/** The typed arrays a `Matrix` can hold. */
export type FloatArray = Float64Array | Float32Array;

/** The element type of a typed array. */
export const dtypeOf = (data: FloatArray): Dtype => (data instanceof Float32Array ? 'f32' : 'f64');
