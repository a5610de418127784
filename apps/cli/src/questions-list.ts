/** The ids of the three questions, in the order they are answered. */
export const QUESTION_IDS = [
  'genre-by-country',
  'minutes-by-country-platform',
  'listening-time-by-age',
] as const;
