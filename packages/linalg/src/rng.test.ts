import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('gives fixed values for a fixed seed', () => {
    const r = new Rng(42);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([
      3426609800, 95597564, 4144517014, 3278289694,
    ]);
  });
});
