/**
 * What the command knows about each question beyond preprocess's definition of its columns: the
 * original hyper-parameters (the author's numpy notebooks), how it is said in words, and how its
 * answer table is built. Adding a question is its `QuestionDefinition` in preprocess and one entry
 * here; a question without an entry gets hyper-parameters, words and a note made from its columns.
 */
import type { ListenerTable, QuestionDefinition } from '@scratchnet/preprocess';
import type { Answer, Model } from './answers.js';
import {
  genreByCountryAnswer,
  listeningTimeByAgeAnswer,
  minutesByCountryPlatformAnswer,
} from './answers.js';
import type { Hyperparameters } from './results.js';
import type { Phrasing } from './sentence.js';

/** How a question is said: the sentence's parts, and the names of its input and target. */
export interface QuestionWords {
  phrasing: Phrasing;
  inputName: string;
  targetName: string;
  /** What the answer table's rows are, for the sentence: `per-country favourites`. */
  answerRows: string;
}

/** One question's settings. */
export interface QuestionSettings {
  /** The original network and training: full-batch gradient descent, early stopping. */
  hyperparameters: Omit<Hyperparameters, 'seed'>;
  words: QuestionWords;
  /** The answer table, from the trained model and all rows. */
  answer(model: Model, table: ListenerTable): Answer;
}

const ORIGINAL = { epochs: 2000, optimizer: 'sgd', batchSize: 'full', dtype: 'f64' } as const;

/** The hyper-parameters of a question without an entry: the genre question's network. */
export const FALLBACK_HYPERPARAMETERS: Omit<Hyperparameters, 'seed'> = {
  ...ORIGINAL,
  hidden: [16],
  learningRate: 0.05,
  patience: 200,
};

/** The three questions' settings, by question id. */
export const QUESTION_SETTINGS: Readonly<Record<string, QuestionSettings>> = {
  'genre-by-country': {
    hyperparameters: { ...ORIGINAL, hidden: [16], learningRate: 0.05, patience: 200 },
    words: {
      phrasing: { subject: 'country', verb: 'predicts', object: 'genre' },
      inputName: 'country',
      targetName: 'top genre',
      answerRows: 'per-country favourites',
    },
    answer: genreByCountryAnswer,
  },
  'minutes-by-country-platform': {
    hyperparameters: { ...ORIGINAL, hidden: [12], learningRate: 0.05, patience: 300 },
    words: {
      phrasing: { subject: 'country and platform', verb: 'predict', object: 'minutes streamed' },
      inputName: 'country and platform',
      targetName: 'minutes per day',
      answerRows: 'predicted minutes per country and platform',
    },
    answer: minutesByCountryPlatformAnswer,
  },
  'listening-time-by-age': {
    hyperparameters: { ...ORIGINAL, hidden: [10], learningRate: 0.1, patience: 200 },
    words: {
      phrasing: { subject: 'age', verb: 'predicts', object: 'listening time' },
      inputName: 'age',
      targetName: 'listening time',
      answerRows: 'preferred times per age band',
    },
    answer: listeningTimeByAgeAnswer,
  },
};

/** The settings of `question`: its entry, or ones made from its columns. */
export function settingsFor(question: QuestionDefinition): QuestionSettings {
  const known = QUESTION_SETTINGS[question.id];
  if (known !== undefined) return known;
  const subject = question.inputs.map((input) => input.column.replace(/_/g, ' ')).join(' and ');
  const object = question.target.column.replace(/_/g, ' ');
  return {
    hyperparameters: FALLBACK_HYPERPARAMETERS,
    words: {
      phrasing: { subject, verb: question.inputs.length > 1 ? 'predict' : 'predicts', object },
      inputName: subject,
      targetName: object,
      answerRows: 'predictions',
    },
    answer: () => ({
      rows: [],
      table: { columns: [{ header: 'answer' }], cells: [] },
      note: `No answer table is defined for question ${question.id}.`,
      charts: [],
    }),
  };
}

/** The words for a question. */
export function questionWords(question: QuestionDefinition): QuestionWords {
  return settingsFor(question).words;
}

/** The answer table of a trained question. */
export function answerFor(model: Model, table: ListenerTable): Answer {
  return settingsFor(model.pipeline.question).answer(model, table);
}
