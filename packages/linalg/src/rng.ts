const GOLDEN = 0x9e3779b9;

/**
 * One step of SplitMix32: adds the golden-ratio increment to `state` and returns a 32-bit mix of
 * it. The mix (xor-shift / multiply, constants from Wellons' hash prospector) is a bijection on
 * 32-bit words, so distinct seeds give distinct xoshiro states.
 */
function splitmix32(state: number): number {
  let z = (state + GOLDEN) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992;

/**
 * A small seeded pseudo-random generator: xoshiro128** (Blackman & Vigna, 2018), 128 bits of
 * state, period 2^128 − 1. All arithmetic is on 32-bit integers (`Math.imul`, shifts), so a seed
 * gives the same sequence of bits on every platform and JavaScript engine.
 *
 * Seeding: the seed's IEEE-754 float64 bit pattern (−0 read as +0) is split into a low and a high
 * 32-bit word, and two SplitMix32 streams, one started from each word, fill the four state words
 * (s0 = mix(lo+γ), s1 = mix(hi+γ), s2 = mix(lo+2γ), s3 = mix(hi+2γ)). Any finite number is a valid
 * seed, and different seeds give different states.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last polar-method pair, used by the next `normal()` call. */
  private spare = 0;
  private hasSpare = false;

  /** Seeds the generator; any finite number works (`42`, `-7`, `0.5`). */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new RangeError(`Rng: seed must be a finite number, got ${String(seed)}`);
    }
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, seed === 0 ? 0 : seed, true);
    const lo = view.getUint32(0, true);
    const hi = view.getUint32(4, true);
    this.s0 = splitmix32(lo);
    this.s1 = splitmix32(hi);
    this.s2 = splitmix32((lo + GOLDEN) | 0);
    this.s3 = splitmix32((hi + GOLDEN) | 0);
    // The all-zero state is xoshiro's one fixed point; SplitMix32 makes it practically impossible,
    // but guard anyway.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = GOLDEN;
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    // result = rotl(s1 * 5, 7) * 9
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits (two 32-bit draws). */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) * TWO_POW_M53;
  }

  /**
   * A uniform double in [lo, hi): `lo + (hi − lo) · uniform()`. (Rounding can return `hi` itself
   * when the range is tiny next to |lo|.)
   */
  uniformRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /**
   * A standard normal draw (mean 0, variance 1) by Marsaglia's polar method: draw (u, v) uniform
   * in the unit disc, return u·√(−2 ln s / s) and keep v·√(−2 ln s / s) for the next call. Uses
   * only `Math.log` and `Math.sqrt` besides the integer generator.
   */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * A uniform integer in [0, n), without modulo bias (rejection sampling on 32-bit draws).
   * `n` must be an integer in [1, 2^32].
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    // Accept draws below the largest multiple of n that fits in 2^32.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** Shuffles `array` in place (Fisher–Yates, from the last element down). */
  shuffle<T>(array: T[] | Int32Array | Float64Array | Uint32Array): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
  }

  /** A random permutation of 0 … n−1 (identity, then `shuffle`). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }
}
