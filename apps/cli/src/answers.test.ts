import { Network } from '@scratchnet/nn';
import { generateListeners, QuestionPipeline } from '@scratchnet/preprocess';
import { describe, expect, it } from 'vitest';
import {
  AGE_BANDS,
  ageBandIndex,
  classDisplayOrder,
  genreByCountryAnswer,
  listeningTimeByAgeAnswer,
  minutesByCountryPlatformAnswer,
  predictRecords,
} from './answers.js';

const table = generateListeners({ rows: 400, seed: 3 });
const allRows = Int32Array.from({ length: 400 }, (_, i) => i);

function model(question: string) {
  const pipeline = QuestionPipeline.fit(question, table, allRows);
  const network = Network.create({
    inputSize: pipeline.inputSize,
    hidden: [5],
    outputSize: pipeline.outputSize,
    task: pipeline.question.kind,
    seed: 1,
  });
  return { network, pipeline };
}

describe('ageBandIndex', () => {
  it('puts every age from 13 to 60 in exactly the band that contains it', () => {
    for (let age = 13; age <= 60; age++) {
      const band = AGE_BANDS[ageBandIndex(age)]!;
      expect(age >= band.from && age <= band.to).toBe(true);
    }
  });
});

describe('genreByCountryAnswer', () => {
  it('counts every row once and picks the observed favourite by its share', () => {
    const answer = genreByCountryAnswer(model('genre-by-country'), table);
    expect(answer.rows.reduce((sum, row) => sum + (row.users as number), 0)).toBe(400);
    const countries = table.categories('country');
    const genres = table.categories('top_genre');
    for (const row of answer.rows) {
      const mine = genres.filter((_, i) => countries[i] === row.country);
      const share = mine.filter((genre) => genre === row.observedGenre).length / mine.length;
      expect(row.observedShare).toBeCloseTo(share, 12);
      for (const genre of new Set(mine)) {
        expect(mine.filter((g) => g === genre).length / mine.length).toBeLessThanOrEqual(share);
      }
    }
  });
});

describe('minutesByCountryPlatformAnswer', () => {
  it('adds up to every minute, and predicted totals are predicted means times users', () => {
    const answer = minutesByCountryPlatformAnswer(model('minutes-by-country-platform'), table);
    const minutes = table.numbers('minutes_streamed_per_day').reduce((sum, m) => sum + m, 0);
    expect(answer.rows.reduce((sum, row) => sum + (row.totalMinutes as number), 0)).toBe(minutes);
    for (const row of answer.rows) {
      expect(row.predictedTotalMinutes as number).toBeCloseTo(
        (row.predictedMeanMinutes as number) * (row.users as number),
        9,
      );
    }
    // The last line of the table is the total over all pairs.
    expect(answer.table.cells[answer.table.cells.length - 1]![0]).toBe('all');
  });
});

describe('listeningTimeByAgeAnswer', () => {
  it('averages the network’s probabilities over every whole age in the band, each age once', () => {
    const fitted = model('listening-time-by-age');
    const answer = listeningTimeByAgeAnswer(fitted, table);
    expect(answer.rows).toHaveLength(6);
    const band = answer.rows[1]!;
    const ages = Array.from({ length: 7 }, (_, i) => ({ age: 18 + i }));
    const { probabilities } = predictRecords(fitted, ages);
    const labels = fitted.pipeline.targetNames;
    labels.forEach((label, j) => {
      const mean = probabilities.reduce((sum, p) => sum + p![j]!, 0) / ages.length;
      expect((band.predicted as Record<string, number>)[label]).toBeCloseTo(mean, 12);
    });
  });
});

describe('predictRecords', () => {
  it('gives no prediction for a category the encoders never saw', () => {
    const fitted = model('genre-by-country');
    const { probabilities } = predictRecords(fitted, [
      { country: 'Japan' },
      { country: 'Atlantis' },
    ]);
    expect(probabilities[0]).toHaveLength(fitted.pipeline.outputSize);
    expect(probabilities[1]).toBeUndefined();
  });
});

describe('the charts of the answers', () => {
  it('put each country × platform mean in its cell, the same as the table rows', () => {
    const answer = minutesByCountryPlatformAnswer(model('minutes-by-country-platform'), table);
    const chart = answer.charts[0]!;
    expect(chart.kind).toBe('grid');
    if (chart.kind !== 'grid') return;
    expect(chart.unit).toBe('minutes');
    for (const row of answer.rows) {
      const r = chart.rows.indexOf(row.country as string);
      const c = chart.columns.indexOf(row.platform as string);
      expect(chart.values[r]![c]).toBe(row.meanMinutes);
      expect(chart.counts[r]![c]).toBe(row.users);
    }
    const cells = chart.values.flat();
    expect(cells.filter((value) => value !== null)).toHaveLength(answer.rows.length);
  });

  it('give each country its genre shares, summing to one', () => {
    const chart = genreByCountryAnswer(model('genre-by-country'), table).charts[0]!;
    if (chart.kind !== 'grid') throw new Error('expected a grid');
    expect(chart.columns).toEqual([...new Set(table.categories('top_genre'))].sort());
    for (const row of chart.values) {
      expect(row.reduce((sum: number, share) => sum + (share ?? 0), 0)).toBeCloseTo(1, 12);
    }
  });

  it('give each age band its time-of-day shares inside their 95% intervals, in the table’s order', () => {
    const answer = listeningTimeByAgeAnswer(model('listening-time-by-age'), table);
    const chart = answer.charts[0]!;
    if (chart.kind !== 'shares') throw new Error('expected shares');
    expect(chart.classes).toEqual(['Morning', 'Afternoon', 'Night']);
    expect(chart.groups).toEqual(AGE_BANDS.map((band) => `${band.from}–${band.to}`));
    chart.marks.forEach((band, g) => {
      const row = answer.rows[g] as { observed: Record<string, number> };
      band.forEach((mark, k) => {
        expect(mark.share).toBe(row.observed[chart.classes[k]!]);
        expect(mark.low).toBeLessThan(mark.share);
        expect(mark.high).toBeGreaterThan(mark.share);
      });
      expect(band.reduce((sum, mark) => sum + mark.predicted, 0)).toBeCloseTo(1, 12);
    });
  });
});

describe('classDisplayOrder', () => {
  it('puts times of day as the day runs and leaves other classes in their order', () => {
    expect(classDisplayOrder(['Afternoon', 'Morning', 'Night'])).toEqual([1, 0, 2]);
    expect(classDisplayOrder(['Jazz', 'Pop', 'Rock'])).toEqual([0, 1, 2]);
  });
});
