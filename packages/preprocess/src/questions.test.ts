import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import {
  QUESTIONS,
  QUESTION_IDS,
  columnsForQuestions,
  getQuestion,
  validateQuestion,
} from './questions.js';

describe('QUESTIONS', () => {
  it('defines the three questions of the project', () => {
    expect(QUESTION_IDS).toEqual([
      'genre-by-country',
      'minutes-by-country-platform',
      'listening-time-by-age',
    ]);
    expect(getQuestion('genre-by-country')).toMatchObject({
      kind: 'classification',
      inputs: [{ column: 'country', encoding: 'one-hot' }],
      target: { column: 'top_genre', encoding: 'one-hot' },
    });
    expect(getQuestion('minutes-by-country-platform')).toMatchObject({
      kind: 'regression',
      inputs: [
        { column: 'country', encoding: 'one-hot' },
        { column: 'streaming_platform', encoding: 'one-hot' },
      ],
      target: { column: 'minutes_streamed_per_day', encoding: 'standard' },
    });
    expect(getQuestion('listening-time-by-age')).toMatchObject({
      kind: 'classification',
      inputs: [{ column: 'age', encoding: 'standard' }],
      target: { column: 'listening_time', encoding: 'one-hot' },
    });
    for (const q of QUESTIONS) expect(validateQuestion(q)).toEqual(q);
  });

  it('names the valid ids for an unknown one', () => {
    expect(() => getQuestion('genre')).toThrow(DataError);
    expect(() => getQuestion('genre')).toThrow(
      'unknown question "genre", expected one of genre-by-country, minutes-by-country-platform, listening-time-by-age',
    );
  });

  it('lists the columns the questions read', () => {
    expect(columnsForQuestions()).toEqual([
      'country',
      'top_genre',
      'streaming_platform',
      'minutes_streamed_per_day',
      'age',
      'listening_time',
    ]);
  });
});

describe('validateQuestion', () => {
  const base = {
    id: 'x',
    title: 'x',
    kind: 'classification',
    inputs: [{ column: 'country', encoding: 'one-hot' }],
    target: { column: 'top_genre', encoding: 'one-hot' },
  };

  it.each([
    [{ ...base, kind: 'clustering' }, 'question.kind is "clustering"'],
    [{ ...base, inputs: [] }, 'question.inputs is missing or empty'],
    [
      { ...base, inputs: [{ column: 'shoe', encoding: 'one-hot' }] },
      'question.inputs[0].column is "shoe"',
    ],
    [
      { ...base, inputs: [{ column: 'age', encoding: 'one-hot' }] },
      'question.inputs[0].encoding is one-hot for the integer column age, expected standard or min-max',
    ],
    [{ ...base, inputs: [{ column: 'country', encoding: 'standard' }] }, 'expected one-hot'],
    [{ ...base, inputs: [{ column: 'user_id', encoding: 'one-hot' }] }, 'is the id column user_id'],
    [{ ...base, kind: 'regression' }, 'top_genre cannot be the target of a regression question'],
    [
      { ...base, inputs: [{ column: 'top_genre', encoding: 'one-hot' }] },
      'uses column top_genre twice',
    ],
  ])('rejects %j', (question, message) => {
    expect(() => validateQuestion(question)).toThrow(
      expect.objectContaining({ code: 'INVALID_QUESTION' }),
    );
    expect(() => validateQuestion(question)).toThrow(message);
  });

  it('accepts a fourth question made of other columns', () => {
    const q = validateQuestion({
      id: 'subscription-by-songs',
      title: 'Do listeners who like more songs pay?',
      kind: 'classification',
      inputs: [{ column: 'number_of_songs_liked', encoding: 'min-max' }],
      target: { column: 'subscription_type', encoding: 'one-hot' },
    });
    expect(q.inputs[0]!.encoding).toBe('min-max');
  });
});
