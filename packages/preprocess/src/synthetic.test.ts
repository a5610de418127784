import { describe, expect, it } from 'vitest';
import { LISTENER_SCHEMA, getColumnSpec } from './schema.js';
import { generateListeners, plantedEffects } from './synthetic.js';
import type { ListenerTable } from './table.js';

/** Share of rows where `hit(row)` holds. */
function share(table: ListenerTable, hit: (row: number) => boolean): number {
  let n = 0;
  for (let r = 0; r < table.rows; r++) if (hit(r)) n++;
  return n / table.rows;
}

describe('generateListeners', () => {
  const table = generateListeners({ rows: 5000, seed: 1 });

  it('makes rows with exactly the schema, its ranges and the real value sets', () => {
    expect(table.keys).toEqual(LISTENER_SCHEMA.map((s) => s.key));
    expect(table.value('user_id', 0)).toBe('U1000');
    expect(table.value('user_id', 4999)).toBe('U5999');
    for (const spec of LISTENER_SCHEMA) {
      if (spec.kind === 'category') {
        expect([...table.codes(spec.key).dictionary].sort()).toEqual([...spec.values!].sort());
      } else if (spec.kind !== 'id') {
        const values = table.numbers(spec.key);
        for (const v of values) {
          expect(v).toBeGreaterThanOrEqual(spec.min!);
          expect(v).toBeLessThanOrEqual(spec.max!);
          if (spec.kind === 'integer') expect(Number.isInteger(v)).toBe(true);
          else expect(Math.round(v * 100) / 100).toBe(v);
        }
      }
    }
    const age = table.numbers('age');
    expect(Math.min(...age)).toBe(13);
    expect(Math.max(...age)).toBe(60);
    const minutes = table.numbers('minutes_streamed_per_day');
    expect(Math.min(...minutes)).toBe(10);
    expect(Math.max(...minutes)).toBe(600);
  });

  it('spreads categories evenly, like the real file', () => {
    for (const key of ['country', 'streaming_platform', 'top_genre', 'listening_time']) {
      const { codes, dictionary } = table.codes(key);
      const counts = new Array<number>(dictionary.length).fill(0);
      for (const c of codes) counts[c]!++;
      const expected = 5000 / dictionary.length;
      for (const count of counts) expect(Math.abs(count - expected)).toBeLessThan(0.15 * expected);
    }
  });

  it('gives the same listeners for the same seed, others for another', () => {
    const again = generateListeners({ rows: 5000, seed: 1 });
    for (const key of table.keys) expect(again.column(key)).toEqual(table.column(key));
    expect(generateListeners({ rows: 50, seed: 2 }).column('age')).not.toEqual(
      generateListeners({ rows: 50, seed: 1 }).column('age'),
    );
  });

  it('with every strength 0, makes exactly the listeners of no effects', () => {
    const zero = generateListeners({
      rows: 500,
      seed: 1,
      effects: { genreByCountry: 0, minutesByPlatform: 0, timeByAge: 0 },
    });
    for (const key of zero.keys)
      expect(zero.column(key)).toEqual(generateListeners({ rows: 500, seed: 1 }).column(key));
  });

  it('plants a favourite genre per country, as strong as asked', () => {
    const plan = plantedEffects(1);
    expect(new Set(Object.values(plan.favouriteGenre)).size).toBe(10);
    const favourite = (t: ListenerTable) => (r: number) =>
      t.value('top_genre', r) === plan.favouriteGenre[t.value('country', r) as string];
    // Independent columns: a tenth of listeners have their country's favourite by chance.
    expect(share(table, favourite(table))).toBeCloseTo(0.1, 1);
    const planted = generateListeners({ rows: 5000, seed: 1, effects: { genreByCountry: 0.5 } });
    expect(share(planted, favourite(planted))).toBeCloseTo(0.55, 1);
  });

  it('plants platform and country levels of minutes', () => {
    const plan = plantedEffects(4);
    const full = generateListeners({ rows: 2000, seed: 4, effects: { minutesByPlatform: 1 } });
    for (let r = 0; r < full.rows; r++) {
      const expected = plan.expectedMinutes(
        full.value('country', r) as string,
        full.value('streaming_platform', r) as string,
      );
      expect(full.value('minutes_streamed_per_day', r)).toBe(expected);
    }
    // Half strength: the best platform streams clearly more than the worst; none: no difference.
    const platforms = Object.entries(plan.platformLevel).sort((a, b) => a[1] - b[1]);
    const low = platforms[0]![0];
    const high = platforms.at(-1)![0];
    const meanMinutes = (t: ListenerTable, platform: string) => {
      let sum = 0;
      let n = 0;
      for (let r = 0; r < t.rows; r++) {
        if (t.value('streaming_platform', r) === platform) {
          sum += t.value('minutes_streamed_per_day', r) as number;
          n++;
        }
      }
      return sum / n;
    };
    const half = generateListeners({ rows: 5000, seed: 4, effects: { minutesByPlatform: 0.5 } });
    expect(meanMinutes(half, high) - meanMinutes(half, low)).toBeGreaterThan(100);
    const none = generateListeners({ rows: 5000, seed: 4 });
    expect(Math.abs(meanMinutes(none, high) - meanMinutes(none, low))).toBeLessThan(40);
  });

  it('plants a favourite time of day per age band', () => {
    const plan = plantedEffects(9);
    expect(plan.ageBands.map((b) => [b.from, b.to])).toEqual([
      [13, 24],
      [25, 39],
      [40, 60],
    ]);
    const favourite = (t: ListenerTable) => (r: number) => {
      const age = t.value('age', r) as number;
      return (
        plan.ageBands.find((b) => age >= b.from && age <= b.to)!.favouriteTime ===
        t.value('listening_time', r)
      );
    };
    const none = generateListeners({ rows: 6000, seed: 9 });
    expect(share(none, favourite(none))).toBeCloseTo(1 / 3, 1);
    const strong = generateListeners({ rows: 6000, seed: 9, effects: { timeByAge: 0.6 } });
    expect(share(strong, favourite(strong))).toBeCloseTo(0.6 + 0.4 / 3, 1);
  });

  it('keeps only the columns asked for, and refuses bad options', () => {
    expect(generateListeners({ rows: 3, seed: 1, columns: ['Country', 'age'] }).keys).toEqual([
      'age',
      'country',
    ]);
    expect(() => generateListeners({ rows: 3, seed: 1, effects: { timeByAge: 2 } })).toThrow(
      /\[0, 1\]/,
    );
    expect(() => generateListeners({ rows: -1, seed: 1 })).toThrow(RangeError);
    expect(generateListeners({ rows: 3, seed: 1, effects: { timeByAge: 0.5 } }).source).toBe(
      'generated(rows=3, seed=1, timeByAge=0.5)',
    );
    expect(getColumnSpec('country').values).toHaveLength(10);
  });
});
