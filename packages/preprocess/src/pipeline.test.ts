import { Matrix } from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { QuestionPipeline, prepareQuestion } from './pipeline.js';
import { getQuestion } from './questions.js';
import { generateListeners } from './synthetic.js';
import { ListenerTable } from './table.js';

/** Six listeners; rows 0–3 are the training rows in most tests. */
const table = ListenerTable.fromColumns({
  country: ['UK', 'Japan', 'UK', 'Brazil', 'Japan', 'India'],
  streaming_platform: ['Tidal', 'Spotify', 'Spotify', 'Tidal', 'Deezer', 'Tidal'],
  top_genre: ['Pop', 'Rock', 'Pop', 'Jazz', 'Rock', 'Pop'],
  minutes_streamed_per_day: [100, 200, 300, 400, 500, 600],
  age: [20, 30, 40, 50, 60, 13],
  listening_time: ['Night', 'Morning', 'Night', 'Afternoon', 'Morning', 'Night'],
});
const train = [0, 1, 2, 3];

describe('QuestionPipeline: genre-by-country', () => {
  const p = QuestionPipeline.fit('genre-by-country', table, train);

  it('one-hot countries in, one-hot genres out, named', () => {
    expect(p.inputNames).toEqual(['country=Brazil', 'country=Japan', 'country=UK']);
    expect(p.targetNames).toEqual(['Jazz', 'Pop', 'Rock']);
    expect([p.inputSize, p.outputSize]).toEqual([3, 3]);
    expect(p.encodeInputs(table, [0, 1, 3]).toArrays()).toEqual([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(p.encodeTarget(table, [0, 1, 3]).toArrays()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(Array.from(p.targetLabels(table, [0, 1, 3]))).toEqual([1, 2, 0]);
  });

  it('decodes outputs to genre names', () => {
    expect(p.decodeTarget(p.encodeTarget(table, train))).toEqual(['Pop', 'Rock', 'Pop', 'Jazz']);
    expect(Array.from(p.predictedLabels(p.encodeTarget(table, train)))).toEqual([1, 2, 1, 0]);
  });

  it('fails clearly on a country not seen in training, or encodes it as zeros when asked', () => {
    expect(() => p.encodeInputs(table)).toThrow(DataError);
    expect(() => p.encodeInputs(table)).toThrow(
      'unknown category "India" in country (row 6 of <columns>), expected one of the categories seen in training: Brazil, Japan, UK',
    );
    expect(Array.from(p.encodeInputs(table, [5], { handleUnknown: 'ignore' }).data)).toEqual([
      0, 0, 0,
    ]);
  });

  it('encodes hand-written records like table rows, by key or header', () => {
    expect(p.encodeInputRecords([{ country: 'UK' }, { Country: 'Brazil' }]).toArrays()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(() => p.encodeInputRecords([{ top_genre: 'Pop' }])).toThrow(/record 1 has no country/);
    expect(() => p.encodeInputRecords([{ country: 'Chile' }])).toThrow(
      /unknown category "Chile" in country \(record 1\)/,
    );
  });
});

describe('QuestionPipeline: minutes-by-country-platform', () => {
  const p = QuestionPipeline.fit('minutes-by-country-platform', table, train);

  it('countries then platforms one-hot in, standardised minutes out', () => {
    expect(p.inputNames).toEqual([
      'country=Brazil',
      'country=Japan',
      'country=UK',
      'streaming_platform=Spotify',
      'streaming_platform=Tidal',
    ]);
    expect(p.targetNames).toEqual(['minutes_streamed_per_day']);
    expect(p.encodeInputs(table, [0]).toArrays()).toEqual([[0, 0, 1, 0, 1]]);
    // Training minutes 100…400: mean 250, population sd √12500.
    const y = p.encodeTarget(table, train);
    expect([y.rows, y.cols]).toEqual([4, 1]);
    expect(y.get(0, 0)).toBeCloseTo(-150 / Math.sqrt(12500), 12);
    expect(Array.from(y.data).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('turns predictions back into minutes', () => {
    const minutes = p.decodeTarget(p.encodeTarget(table, [0, 4, 5])) as Float64Array;
    expect(Array.from(minutes, (m) => Math.round(m * 1e9) / 1e9)).toEqual([100, 500, 600]);
    expect(() => p.decodeClasses(p.encodeTarget(table, [0]))).toThrow(/regression question/);
  });
});

describe('QuestionPipeline: listening-time-by-age', () => {
  const p = QuestionPipeline.fit('listening-time-by-age', table, train);

  it('standardised age in, one-hot times out', () => {
    expect(p.inputNames).toEqual(['age']);
    expect(p.targetNames).toEqual(['Afternoon', 'Morning', 'Night']);
    const x = p.encodeInputs(table, train);
    // Training ages 20, 30, 40, 50: mean 35, sd √125.
    expect(Array.from(x.data)).toEqual([20, 30, 40, 50].map((a) => (a - 35) / Math.sqrt(125)));
    expect(p.encodeInputRecords([{ age: 35 }, { Age: '35' }]).toArrays()).toEqual([[0], [0]]);
    expect(() => p.encodeInputRecords([{ age: 99 }])).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
  });
});

describe('fitting uses the training rows only', () => {
  it('scalers and categories see nothing of the other rows', () => {
    const p = QuestionPipeline.fit('listening-time-by-age', table, [3, 4]);
    const age = p.inputs[0]!.encoder;
    expect(age.toJSON()).toMatchObject({ mean: [55], scale: [5] });
    const q = QuestionPipeline.fit('genre-by-country', table, [0, 2]);
    expect(q.inputNames).toEqual(['country=UK']);
    expect(q.targetNames).toEqual(['Pop']);
    expect(() => q.encodeTarget(table, [1])).toThrow(
      /unknown category "Rock" in top_genre \(row 2 of <columns>\)/,
    );
  });
});

describe('QuestionPipeline JSON', () => {
  it('round-trips every question, encoding the same matrices', () => {
    const data = generateListeners({ rows: 300, seed: 5 });
    for (const id of ['genre-by-country', 'minutes-by-country-platform', 'listening-time-by-age']) {
      const p = prepareQuestion(id, data, { seed: 1 }).pipeline;
      const back = QuestionPipeline.fromJSON(JSON.parse(JSON.stringify(p)));
      expect(back.question).toEqual(p.question);
      expect(back.inputNames).toEqual(p.inputNames);
      expect(back.targetNames).toEqual(p.targetNames);
      expect(back.encodeInputs(data).data).toEqual(p.encodeInputs(data).data);
      expect(back.encodeTarget(data).data).toEqual(p.encodeTarget(data).data);
    }
  });

  it('names what is wrong in a damaged one', () => {
    const json = JSON.parse(JSON.stringify(QuestionPipeline.fit('genre-by-country', table, train)));
    expect(() => QuestionPipeline.fromJSON({ ...json, format: 'other' })).toThrow(
      'pipeline.format is "other", expected "scratchnet.question-pipeline"',
    );
    expect(() => QuestionPipeline.fromJSON({ ...json, version: 2 })).toThrow(
      'pipeline.version is 2, expected 1',
    );
    expect(() => QuestionPipeline.fromJSON({ ...json, inputs: [] })).toThrow(
      'pipeline.inputs is an array, expected an array of 1 encoders',
    );
    const badCategory = { ...json, inputs: [{ type: 'one-hot', categories: ['UK', 'Japan'] }] };
    expect(() => QuestionPipeline.fromJSON(badCategory)).toThrow(
      /^pipeline\.inputs\[0\]\.categories\[1\] is "Japan"/,
    );
    expect(() =>
      QuestionPipeline.fromJSON({ ...json, target: { type: 'standard', mean: [1], scale: [1] } }),
    ).toThrow('pipeline.target.type is "standard", expected "one-hot"');
    expect(() =>
      QuestionPipeline.fromJSON({ ...json, question: { ...json.question, kind: 'regression' } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_QUESTION' }));
    expect(() => QuestionPipeline.fromJSON('nope')).toThrow(
      'pipeline is "nope", expected an object',
    );
  });
});

describe('QuestionPipeline.fit with categoryRows', () => {
  it('takes the categories from those rows and fits the scalers on the training rows only', () => {
    const all = [0, 1, 2, 3, 4, 5];
    const genre = QuestionPipeline.fit('genre-by-country', table, train, { categoryRows: all });
    // India is only in row 5, outside the training rows: a column, not an unknown category.
    expect(genre.inputNames).toEqual([
      'country=Brazil',
      'country=India',
      'country=Japan',
      'country=UK',
    ]);
    expect(genre.encodeInputs(table, [5]).toArrays()).toEqual([[0, 1, 0, 0]]);
    expect(() =>
      QuestionPipeline.fit('genre-by-country', table, train).encodeInputs(table, [5]),
    ).toThrow(DataError);
    const minutes = QuestionPipeline.fit('minutes-by-country-platform', table, train, {
      categoryRows: all,
    });
    expect(minutes.inputNames).toContain('streaming_platform=Deezer');
    // The mean of the training rows' minutes (100…400), not of all six rows.
    expect(minutes.decodeValues(new Matrix(1, 1))[0]).toBe(250);
  });

  it('makes prepareQuestion give the same categories whatever the seed', () => {
    const names = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
        prepareQuestion('genre-by-country', table, {
          seed,
          categoriesFrom: 'all',
        }).pipeline.inputNames.join(),
      ),
    );
    expect([...names]).toEqual(['country=Brazil,country=India,country=Japan,country=UK']);
  });
});

describe('prepareQuestion', () => {
  const data = generateListeners({ rows: 1000, seed: 11 });

  it('splits 60/20/20 and builds each part from the pipeline fitted on the training part', () => {
    const p = prepareQuestion('minutes-by-country-platform', data, { seed: 3 });
    expect([p.train.rows.length, p.validation.rows.length, p.test.rows.length]).toEqual([
      600, 200, 200,
    ]);
    expect([p.train.x.rows, p.train.x.cols, p.train.y.cols]).toEqual([600, 16, 1]);
    expect(p.test.x.data).toEqual(p.pipeline.encodeInputs(data, p.split.test).data);
    const trainMean = p.train.y.data.reduce((a, b) => a + b, 0) / 600;
    expect(trainMean).toBeCloseTo(0, 12);
    expect(p.train.labels).toBeUndefined();
    expect(prepareQuestion('minutes-by-country-platform', data, { seed: 3 }).split).toEqual(
      p.split,
    );
  });

  it('stratifies classification questions on request, and gives class codes', () => {
    const p = prepareQuestion(getQuestion('listening-time-by-age'), data, {
      seed: 3,
      stratify: true,
    });
    const share = (labels: Int32Array, c: number) =>
      labels.filter((l) => l === c).length / labels.length;
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(share(p.train.labels!, c) - share(p.test.labels!, c))).toBeLessThan(0.01);
    }
    expect(() => prepareQuestion('minutes-by-country-platform', data, { stratify: true })).toThrow(
      /classification/,
    );
  });

  it('builds a fourth question from its definition alone', () => {
    const p = prepareQuestion(
      {
        id: 'subscription-by-songs-and-artist',
        title: 'Who pays?',
        kind: 'classification',
        inputs: [
          { column: 'number_of_songs_liked', encoding: 'min-max' },
          { column: 'most_played_artist', encoding: 'one-hot' },
        ],
        target: { column: 'subscription_type', encoding: 'one-hot' },
      },
      data,
    );
    expect(p.pipeline.inputNames).toHaveLength(11);
    expect(p.pipeline.targetNames).toEqual(['Free', 'Premium']);
    expect(Math.min(...p.train.x.data)).toBe(0);
    expect(Math.max(...p.train.x.data)).toBe(1);
  });

  it('says which column is missing from a table read for another question', () => {
    const narrow = ListenerTable.fromColumns({ country: ['UK'], top_genre: ['Pop'] });
    expect(() => prepareQuestion('listening-time-by-age', narrow)).toThrow(
      expect.objectContaining({ code: 'MISSING_COLUMN' }),
    );
  });
});
