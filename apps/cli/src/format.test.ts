import { describe, expect, it } from 'vitest';
import { duration, fixed, grouped, percent, pValue } from './format.js';

describe('fixed', () => {
  it('rounds to the given decimals and never prints a negative zero', () => {
    expect(fixed(0.1234, 3)).toBe('0.123');
    expect(fixed(-0.0001, 3)).toBe('0.000');
    expect(fixed(-0.5, 1)).toBe('-0.5');
  });
});

describe('grouped', () => {
  it('groups thousands with commas', () => {
    expect(grouped(1234567)).toBe('1,234,567');
    expect(grouped(999)).toBe('999');
    expect(grouped(-1000)).toBe('-1,000');
    expect(grouped(1234.6)).toBe('1,235');
  });
});

describe('percent', () => {
  it('prints a share as a percentage', () => {
    expect(percent(0.1234)).toBe('12.3%');
  });
});

describe('pValue', () => {
  it('prints tiny values as an upper bound', () => {
    expect(pValue(0.0002)).toBe('p < 0.001');
  });
  it('never rounds a value below 0.05 up to 0.05', () => {
    expect(pValue(0.0499)).toBe('p = 0.049');
    expect(pValue(0.029)).toBe('p = 0.029');
  });
  it('prints two decimals from 0.05 up', () => {
    expect(pValue(0.2234)).toBe('p = 0.22');
    expect(pValue(1)).toBe('p = 1.00');
  });
});

describe('duration', () => {
  it('uses seconds below a minute and minutes above', () => {
    expect(duration(1.234)).toBe('1.2 s');
    expect(duration(125)).toBe('2 min 5 s');
  });
});
