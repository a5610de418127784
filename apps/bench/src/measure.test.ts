import { describe, expect, it } from 'vitest';
import { QUICK_PLAN, measure, median } from './measure.js';

describe('median', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('measure', () => {
  it('calls with increasing indices, warms up, and samples at least the planned number of times', () => {
    const seen: number[] = [];
    const t = measure((i) => seen.push(i), { ...QUICK_PLAN, warmupCalls: 5, samples: 4 });
    expect(seen.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen.every((x, i) => x === i)).toBe(true);
    expect(t.runs).toBeGreaterThanOrEqual(4);
    expect(seen.length).toBeGreaterThanOrEqual(5 + t.runs * t.callsPerSample);
    expect(t.microseconds).toBeGreaterThan(0);
  });
});
