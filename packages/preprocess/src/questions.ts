import { DataError } from './errors.js';
import { findColumnSpec, LISTENER_COLUMN_KEYS } from './schema.js';

/** Ids of the three questions the project answers. */
export type QuestionId =
  'genre-by-country' | 'minutes-by-country-platform' | 'listening-time-by-age';

/**
 * How a column becomes matrix columns: `one-hot` (a category, one 0/1 column per value seen in
 * training), `standard` (a number, minus the training mean, over the training standard
 * deviation), `min-max` (a number, mapped so the training range becomes [0, 1]).
 */
export type Encoding = 'one-hot' | 'standard' | 'min-max';

/** One column of a question and how it is encoded. */
export interface EncodedColumn {
  /** Schema key, e.g. `country`. */
  readonly column: string;
  /** How it is encoded. */
  readonly encoding: Encoding;
}

/**
 * One question as data: which columns go in, which comes out, and how each is encoded. A
 * classification target is one-hot; a regression target is numeric (`standard` or `min-max`) and
 * predictions are turned back into its units.
 */
export interface QuestionDefinition {
  /** Stable id used on the command line and in saved models. */
  readonly id: string;
  /** The question in words. */
  readonly title: string;
  /** Task kind: picks the loss, the output activation and the metric. */
  readonly kind: 'classification' | 'regression';
  /** Input columns, in the order their encoded columns appear in the input matrix. */
  readonly inputs: readonly EncodedColumn[];
  /** The column to predict. */
  readonly target: EncodedColumn;
}

/**
 * The three questions of the project (see the seed README). Adding a question means adding a
 * definition here; the pipeline builds the matrices from whatever the definition says.
 */
export const QUESTIONS: readonly QuestionDefinition[] = Object.freeze([
  {
    id: 'genre-by-country',
    title: 'Which genre do the listeners of each country like?',
    kind: 'classification',
    inputs: [{ column: 'country', encoding: 'one-hot' }],
    target: { column: 'top_genre', encoding: 'one-hot' },
  },
  {
    id: 'minutes-by-country-platform',
    title: 'How many minutes a day do listeners stream, by country and platform?',
    kind: 'regression',
    inputs: [
      { column: 'country', encoding: 'one-hot' },
      { column: 'streaming_platform', encoding: 'one-hot' },
    ],
    target: { column: 'minutes_streamed_per_day', encoding: 'standard' },
  },
  {
    id: 'listening-time-by-age',
    title: 'Which time of day does each age prefer to listen?',
    kind: 'classification',
    inputs: [{ column: 'age', encoding: 'standard' }],
    target: { column: 'listening_time', encoding: 'one-hot' },
  },
] satisfies QuestionDefinition[]);

/** The ids of `QUESTIONS`, in order. */
export const QUESTION_IDS: readonly QuestionId[] = Object.freeze(
  QUESTIONS.map((q) => q.id as QuestionId),
);

/**
 * The question with this id; a `DataError` (`UNKNOWN_QUESTION`) listing the valid ids otherwise.
 */
export function getQuestion(id: string): QuestionDefinition {
  const question = QUESTIONS.find((q) => q.id === id);
  if (question === undefined) {
    throw new DataError('UNKNOWN_QUESTION', `unknown question ${JSON.stringify(id)}`, {
      expected: `one of ${QUESTION_IDS.join(', ')}`,
    });
  }
  return question;
}

/** The schema keys a question reads: its inputs, then its target. */
export function questionColumns(question: QuestionDefinition): string[] {
  return [...question.inputs.map((input) => input.column), question.target.column];
}

/** Every column some question in `questions` reads, without repeats, in first-use order. */
export function columnsForQuestions(
  questions: readonly QuestionDefinition[] = QUESTIONS,
): string[] {
  return [...new Set(questions.flatMap(questionColumns))];
}

const ENCODINGS: readonly Encoding[] = ['one-hot', 'standard', 'min-max'];

/**
 * Checks that a question (a definition from code, or parsed from JSON) can be built from the
 * listener schema: known columns, an encoding that fits each column's kind (`one-hot` for
 * categories, `standard` or `min-max` for numbers), a one-hot target for classification and a
 * numeric one for regression, and no column used twice. Returns a frozen copy, or throws a
 * `DataError` (`INVALID_QUESTION`) naming the problem.
 */
export function validateQuestion(value: unknown, path = 'question'): QuestionDefinition {
  const fail = (where: string, problem: string, expected: string): never => {
    throw new DataError('INVALID_QUESTION', `${where} ${problem}`, { expected });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(path, 'is not an object', 'a question definition');
  }
  const q = value as Record<string, unknown>;
  if (typeof q.id !== 'string' || q.id === '') fail(`${path}.id`, 'is missing', 'a non-empty id');
  if (typeof q.title !== 'string') fail(`${path}.title`, 'is missing', 'a string');
  if (q.kind !== 'classification' && q.kind !== 'regression') {
    fail(`${path}.kind`, `is ${JSON.stringify(q.kind)}`, '"classification" or "regression"');
  }
  const column = (item: unknown, where: string, role: 'input' | 'target'): EncodedColumn => {
    if (typeof item !== 'object' || item === null)
      return fail(where, 'is not an object', '{ column, encoding }');
    const { column: key, encoding } = item as Record<string, unknown>;
    const spec = typeof key === 'string' ? findColumnSpec(key) : undefined;
    if (spec === undefined || spec.key !== key) {
      return fail(
        `${where}.column`,
        `is ${JSON.stringify(key)}`,
        `a column key: ${LISTENER_COLUMN_KEYS.join(', ')}`,
      );
    }
    if (!ENCODINGS.includes(encoding as Encoding)) {
      return fail(
        `${where}.encoding`,
        `is ${JSON.stringify(encoding)}`,
        `one of ${ENCODINGS.join(', ')}`,
      );
    }
    const categorical = spec.kind === 'category';
    if (spec.kind === 'id')
      return fail(`${where}.column`, `is the id column ${key}`, 'a category or numeric column');
    if (categorical !== (encoding === 'one-hot')) {
      return fail(
        `${where}.encoding`,
        `is ${encoding} for the ${spec.kind} column ${key}`,
        categorical ? 'one-hot' : 'standard or min-max',
      );
    }
    if (role === 'target' && (q.kind === 'classification') !== categorical) {
      return fail(
        `${where}.column`,
        `${key} cannot be the target of a ${String(q.kind)} question`,
        q.kind === 'classification' ? 'a category column' : 'a numeric column',
      );
    }
    return Object.freeze({ column: key, encoding: encoding as Encoding });
  };
  if (!Array.isArray(q.inputs) || q.inputs.length === 0) {
    fail(`${path}.inputs`, 'is missing or empty', 'at least one input column');
  }
  const inputs = (q.inputs as unknown[]).map((item, i) =>
    column(item, `${path}.inputs[${i}]`, 'input'),
  );
  const target = column(q.target, `${path}.target`, 'target');
  const used = [...inputs, target].map((c) => c.column);
  used.forEach((key, i) => {
    if (used.indexOf(key) !== i) fail(path, `uses column ${key} twice`, 'each column once');
  });
  return Object.freeze({
    id: q.id as string,
    title: q.title as string,
    kind: q.kind as QuestionDefinition['kind'],
    inputs: Object.freeze(inputs),
    target,
  });
}
