/**
 * The answer to each question as a table a person reads, made from all rows of the data and the
 * network's prediction for each input:
 * - genre by country: per country, the predicted favourite genre and its probability beside the
 *   observed favourite and its share;
 * - minutes by country and platform: per pair, users, observed total and mean minutes per day,
 *   the predicted mean and the predicted total (predicted mean × users);
 * - listening time by age: per age band, the predicted probability of each time of day — the
 *   average of the network's probabilities at every whole age in the band, each age counted once —
 *   and the preferred one, beside the observed shares.
 */
import type { Matrix } from '@scratchnet/linalg';
import type { Network } from '@scratchnet/nn';
import type { CellValue, ListenerTable, QuestionPipeline } from '@scratchnet/preprocess';
import { proportionInterval } from '@scratchnet/metrics';
import { DataError } from '@scratchnet/preprocess';
import { CliError } from './errors.js';
import { fixed, grouped, percent } from './format.js';
import type { AnswerChart, AnswerTable, SharesChart } from './results.js';

/** A fitted model: the network and the encoders that feed it. */
export interface Model {
  network: Network;
  pipeline: QuestionPipeline;
  /** The model file it was read from, when it was. */
  path?: string;
  /**
   * Networks trained on the same split from other initial weights, `network` first: when present,
   * the model's outputs are their mean (the ensemble's probabilities or predicted values).
   */
  ensemble?: readonly Network[];
}

/** The networks whose outputs make the model's: the ensemble, or the one network. */
export function membersOf(model: Model): readonly Network[] {
  return model.ensemble ?? [model.network];
}

/** The mean of equally shaped outputs, summed in member order. */
function meanOutputs(outputs: readonly Matrix[]): Matrix {
  if (outputs.length === 1) return outputs[0]!;
  const mean = outputs[0]!.clone();
  for (let m = 1; m < outputs.length; m++) {
    const next = outputs[m]!.data;
    for (let i = 0; i < next.length; i++) mean.data[i]! += next[i]!;
  }
  for (let i = 0; i < mean.data.length; i++) mean.data[i]! /= outputs.length;
  return mean;
}

/**
 * Each member's outputs for `x`, refused with one line when one is not a finite number: weights
 * that load (finite, but 1e308) can still make NaN probabilities, which would print as answers.
 * `rowName` says which input row it was, e.g. `row 3 of data.csv`.
 */
export function memberOutputs(model: Model, x: Matrix, rowName: (row: number) => string): Matrix[] {
  return membersOf(model).map((network) => {
    const outputs = network.predict(x);
    const at = outputs.data.findIndex((value) => !Number.isFinite(value));
    if (at >= 0) {
      throw new CliError(
        `${model.path ?? 'the network'}: the output for ${rowName(Math.floor(at / outputs.cols))} is ${outputs.data[at]}, not a finite number: the model's weights are out of range`,
        'model-not-finite',
      );
    }
    return outputs;
  });
}

/** The model's outputs for `x` (the ensemble's mean), refused as {@link memberOutputs} does. */
export function finiteOutputs(model: Model, x: Matrix, rowName: (row: number) => string): Matrix {
  return meanOutputs(memberOutputs(model, x, rowName));
}

/**
 * An answer: rows as data (for `--json`), the same as a table (for people), how it was made, and
 * the charts the report draws of it.
 */
export interface Answer {
  rows: Record<string, unknown>[];
  table: AnswerTable;
  note: string;
  charts: AnswerChart[];
}

/** The age bands of the listening-time answer. */
export const AGE_BANDS: readonly { from: number; to: number }[] = [
  { from: 13, to: 17 },
  { from: 18, to: 24 },
  { from: 25, to: 34 },
  { from: 35, to: 44 },
  { from: 45, to: 54 },
  { from: 55, to: 60 },
];

/** The band of an age (ages outside 13–60 go to the nearest end band). */
export function ageBandIndex(age: number): number {
  const index = AGE_BANDS.findIndex((band) => age <= band.to);
  return index < 0 ? AGE_BANDS.length - 1 : index;
}

/** `13–17` */
export function ageBandLabel(band: { from: number; to: number }): string {
  return `${band.from}–${band.to}`;
}

/** The order times of day are shown in (classes not listed keep their own order, after these). */
const TIME_ORDER = ['Morning', 'Afternoon', 'Night'];

/**
 * The order classes are shown in, as indices into `labels` (the encoder's sorted order): times of
 * day as the day runs, every other class as it is. Tables, charts and confusion matrices all use it.
 */
export function classDisplayOrder(labels: readonly string[]): number[] {
  const shown = [
    ...TIME_ORDER.filter((time) => labels.includes(time)),
    ...labels.filter((label) => !TIME_ORDER.includes(label)),
  ];
  return shown.map((label) => labels.indexOf(label));
}

/** Predictions for hand-made inputs: class probabilities, or values in the target's unit. */
export interface RecordPredictions {
  probabilities: (Float64Array | undefined)[];
  values: (number | undefined)[];
}

/**
 * The model's outputs for hand-made inputs, and each ensemble member's (one entry per member; the
 * one network's alone without an ensemble). A record whose category the encoders never saw in
 * training gets `undefined` (no prediction).
 */
export function predictRecords(
  model: Model,
  records: readonly Record<string, CellValue>[],
): RecordPredictions & { members: RecordPredictions[] } {
  const known: number[] = [];
  const knownRecords: Record<string, CellValue>[] = [];
  records.forEach((record, i) => {
    try {
      model.pipeline.encodeInputRecords([record]);
      known.push(i);
      knownRecords.push(record);
    } catch (error) {
      if (!(error instanceof DataError && error.code === 'UNKNOWN_CATEGORY')) throw error;
    }
  });
  const empty = (): RecordPredictions => ({
    probabilities: new Array<Float64Array | undefined>(records.length).fill(undefined),
    values: new Array<number | undefined>(records.length).fill(undefined),
  });
  const unpack = (outputs: Matrix): RecordPredictions => {
    const predictions = empty();
    if (model.pipeline.question.kind === 'classification') {
      known.forEach((i, k) => {
        predictions.probabilities[i] = outputs.data.slice(k * outputs.cols, (k + 1) * outputs.cols);
      });
    } else {
      const decoded = model.pipeline.decodeValues(outputs);
      known.forEach((i, k) => {
        predictions.values[i] = decoded[k];
      });
    }
    return predictions;
  };
  if (knownRecords.length === 0) {
    return { ...empty(), members: membersOf(model).map(empty) };
  }
  const x = model.pipeline.encodeInputRecords(knownRecords);
  const outputs = memberOutputs(model, x, (k) =>
    Object.entries(knownRecords[k]!)
      .map(([name, value]) => `${name}=${value}`)
      .join(','),
  );
  return { ...unpack(meanOutputs(outputs)), members: outputs.map(unpack) };
}

/** `7 of 20 seeds`: how many ensemble members agree with the ensemble. */
export function seedsText(agreeing: number, seeds: number): string {
  return `${agreeing} of ${seeds} ${seeds === 1 ? 'seed' : 'seeds'}`;
}

/** Whose outputs a table shows: `the network’s probabilities`, or the ensemble's mean of them. */
function ensembleWords(model: Model, outputs: 'probabilities' | 'predictions'): string {
  return model.ensemble === undefined
    ? `the network’s ${outputs === 'predictions' ? 'prediction' : outputs}`
    : `the mean of the ${model.ensemble.length} networks’ ${outputs} (one network per seed)`;
}

function argmax(values: ArrayLike<number>): number {
  let top = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[top]!) top = i;
  return top;
}

/** Counts of each class (in `labels` order) per group, over all rows. */
function classCountsBy(
  groups: readonly string[],
  classes: readonly string[],
  labels: readonly string[],
): Map<string, number[]> {
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = new Map<string, number[]>();
  groups.forEach((group, row) => {
    let entry = counts.get(group);
    if (entry === undefined) {
      entry = new Array<number>(labels.length).fill(0);
      counts.set(group, entry);
    }
    const j = index.get(classes[row]!);
    if (j !== undefined) entry[j]! += 1;
  });
  return counts;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Genre by country (any classification with one category input). */
export function genreByCountryAnswer(model: Model, table: ListenerTable): Answer {
  const input = model.pipeline.question.inputs[0]!.column;
  const target = model.pipeline.question.target.column;
  const labels = model.pipeline.targetNames;
  const countries = table.categories(input);
  const counts = classCountsBy(countries, table.categories(target), labels);
  const names = [...counts.keys()].sort(byName);
  const predicted = predictRecords(
    model,
    names.map((name) => ({ [input]: name })),
  );
  const ensemble = model.ensemble !== undefined;
  const rows = names.map((country, i) => {
    const observed = counts.get(country)!;
    const users = observed.reduce((sum, n) => sum + n, 0);
    const top = argmax(observed);
    const probabilities = predicted.probabilities[i];
    const best = probabilities === undefined ? undefined : argmax(probabilities);
    return {
      country,
      users,
      predictedGenre: best === undefined ? null : labels[best]!,
      predictedProbability: best === undefined ? null : probabilities![best]!,
      // How stable the favourite is: the members whose own most probable genre it is.
      seedsAgreeing:
        best === undefined
          ? null
          : predicted.members.filter((member) => argmax(member.probabilities[i]!) === best).length,
      seeds: predicted.members.length,
      observedGenre: labels[top]!,
      observedShare: users === 0 ? 0 : observed[top]! / users,
    };
  });
  const chart: AnswerChart = {
    kind: 'grid',
    title: 'Share of each top genre among the listeners of each country (all rows)',
    rowTitle: 'rows: country',
    columnTitle: 'top genre',
    rows: names,
    columns: [...labels],
    values: names.map((country) => {
      const observed = counts.get(country)!;
      const users = observed.reduce((sum, n) => sum + n, 0);
      return observed.map((n) => (users === 0 ? null : n / users));
    }),
    unit: 'share',
    counts: names.map((country) => [...counts.get(country)!]),
  };
  return {
    rows,
    charts: [chart],
    table: {
      columns: [
        { header: 'country' },
        { header: 'users', align: 'right' },
        { header: 'predicted favourite' },
        { header: 'probability', align: 'right' },
        ...(ensemble ? [{ header: 'most probable in' }] : []),
        { header: 'observed favourite' },
        { header: 'share', align: 'right' },
      ],
      cells: rows.map((row) => [
        row.country,
        grouped(row.users),
        row.predictedGenre ?? '—',
        row.predictedProbability === null ? '—' : fixed(row.predictedProbability, 3),
        ...(ensemble
          ? [row.seedsAgreeing === null ? '—' : seedsText(row.seedsAgreeing, row.seeds)]
          : []),
        row.observedGenre,
        percent(row.observedShare),
      ]),
    },
    note:
      `Predicted: the most probable genre for a listener of that country by ${ensembleWords(model, 'probabilities')}` +
      `${ensemble ? '; most probable in: the networks whose own most probable genre it is' : ''}. ` +
      'Observed: the most common genre among all of that country’s rows (ties: first alphabetically).',
  };
}

/** Minutes by country and platform (any regression with two category inputs). */
export function minutesByCountryPlatformAnswer(model: Model, table: ListenerTable): Answer {
  const [first, second] = model.pipeline.question.inputs.map((input) => input.column) as [
    string,
    string,
  ];
  const target = model.pipeline.question.target.column;
  const a = table.categories(first);
  const b = table.categories(second);
  const minutes = table.numbers(target);
  const groups = new Map<
    string,
    { country: string; platform: string; users: number; total: number }
  >();
  for (let row = 0; row < table.rows; row++) {
    const key = `${a[row]!}\u0000${b[row]!}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { country: a[row]!, platform: b[row]!, users: 0, total: 0 };
      groups.set(key, group);
    }
    group.users += 1;
    group.total += minutes[row]!;
  }
  const sorted = [...groups.values()].sort(
    (x, y) => byName(x.country, y.country) || byName(x.platform, y.platform),
  );
  const predicted = predictRecords(
    model,
    sorted.map((group) => ({ [first]: group.country, [second]: group.platform })),
  );
  const ensemble = model.ensemble !== undefined;
  const rows = sorted.map((group, i) => {
    const mean = predicted.values[i];
    // How stable the prediction is: the range of the members' own predictions.
    const each = predicted.members.map((member) => member.values[i]!);
    return {
      country: group.country,
      platform: group.platform,
      users: group.users,
      totalMinutes: group.total,
      meanMinutes: group.total / group.users,
      predictedMeanMinutes: mean ?? null,
      predictedTotalMinutes: mean === undefined ? null : mean * group.users,
      predictedMeanRange: mean === undefined ? null : [Math.min(...each), Math.max(...each)],
      seeds: predicted.members.length,
    };
  });
  const sum = (pick: (row: (typeof rows)[number]) => number | null) =>
    rows.reduce((total, row) => total + (pick(row) ?? 0), 0);
  const users = sum((row) => row.users);
  const totalMinutes = sum((row) => row.totalMinutes);
  const predictedTotal = sum((row) => row.predictedTotalMinutes);
  const countries = [...new Set(rows.map((row) => row.country))];
  const platforms = [...new Set(rows.map((row) => row.platform))].sort(byName);
  const cell = (country: string, platform: string) =>
    rows.find((row) => row.country === country && row.platform === platform);
  const chart: AnswerChart = {
    kind: 'grid',
    title: 'Mean minutes streamed per day, by country and platform (all rows)',
    rowTitle: 'rows: country',
    columnTitle: 'streaming platform',
    rows: countries,
    columns: platforms,
    values: countries.map((c) => platforms.map((p) => cell(c, p)?.meanMinutes ?? null)),
    unit: 'minutes',
    counts: countries.map((c) => platforms.map((p) => cell(c, p)?.users ?? 0)),
  };
  return {
    rows,
    charts: [chart],
    table: {
      columns: [
        { header: 'country' },
        { header: 'platform' },
        { header: 'users', align: 'right' },
        { header: 'total min/day', align: 'right' },
        { header: 'mean', align: 'right' },
        { header: 'predicted mean', align: 'right' },
        ...(ensemble ? [{ header: 'over seeds', align: 'right' as const }] : []),
        { header: 'predicted total', align: 'right' },
      ],
      cells: [
        ...rows.map((row) => [
          row.country,
          row.platform,
          grouped(row.users),
          grouped(row.totalMinutes),
          fixed(row.meanMinutes, 1),
          row.predictedMeanMinutes === null ? '—' : fixed(row.predictedMeanMinutes, 1),
          ...(ensemble
            ? [
                row.predictedMeanRange === null
                  ? '—'
                  : `${fixed(row.predictedMeanRange[0]!, 1)}–${fixed(row.predictedMeanRange[1]!, 1)}`,
              ]
            : []),
          row.predictedTotalMinutes === null ? '—' : grouped(row.predictedTotalMinutes),
        ]),
        [
          'all',
          '',
          grouped(users),
          grouped(totalMinutes),
          fixed(totalMinutes / users, 1),
          fixed(predictedTotal / users, 1),
          ...(ensemble ? [''] : []),
          grouped(predictedTotal),
        ],
      ],
    },
    note:
      `Minutes streamed per day over all rows. Predicted mean: ${ensembleWords(model, 'predictions')} for that ` +
      `country and platform${ensemble ? '; over seeds: the lowest and highest of the networks’ own predictions' : ''}; ` +
      'predicted total: predicted mean × users.',
  };
}

/** Listening time by age band (any classification with one numeric input, age). */
export function listeningTimeByAgeAnswer(model: Model, table: ListenerTable): Answer {
  const input = model.pipeline.question.inputs[0]!.column;
  const target = model.pipeline.question.target.column;
  const labels = model.pipeline.targetNames;
  const order = classDisplayOrder(labels);
  const shown = order.map((j) => labels[j]!);
  const ages = table.numbers(input);
  const bands = Array.from(ages, (age) => ageBandLabel(AGE_BANDS[ageBandIndex(age)]!));
  const counts = classCountsBy(bands, table.categories(target), labels);
  const ensemble = model.ensemble !== undefined;
  const marks: SharesChart['marks'] = [];
  const rows = AGE_BANDS.map((band) => {
    const label = ageBandLabel(band);
    const observed = counts.get(label) ?? new Array<number>(labels.length).fill(0);
    const users = observed.reduce((sum, n) => sum + n, 0);
    const everyAge = Array.from({ length: band.to - band.from + 1 }, (_, i) => ({
      [input]: band.from + i,
    }));
    const predicted = predictRecords(model, everyAge);
    const bandMean = (probabilities: (Float64Array | undefined)[]) => {
      const mean = new Float64Array(labels.length);
      for (const p of probabilities)
        for (let j = 0; j < labels.length; j++) mean[j]! += p![j]! / probabilities.length;
      return mean;
    };
    const mean = bandMean(predicted.probabilities);
    const preferred = argmax(mean);
    const seedsAgreeing = predicted.members.filter(
      (member) => argmax(bandMean(member.probabilities)) === preferred,
    ).length;
    marks.push(
      order.map((j) => {
        const interval =
          users === 0 ? { lower: 0, upper: 1 } : proportionInterval(observed[j]!, users);
        return {
          share: users === 0 ? 0 : observed[j]! / users,
          low: interval.lower,
          high: interval.upper,
          predicted: mean[j]!,
        };
      }),
    );
    return {
      ageBand: label,
      fromAge: band.from,
      toAge: band.to,
      users,
      predicted: Object.fromEntries(order.map((j) => [labels[j]!, mean[j]!])),
      preferred: labels[preferred]!,
      seedsAgreeing,
      seeds: predicted.members.length,
      observed: Object.fromEntries(
        order.map((j) => [labels[j]!, users === 0 ? 0 : observed[j]! / users]),
      ),
      observedFavourite: users === 0 ? null : labels[argmax(observed)]!,
    };
  });
  return {
    rows,
    charts: [
      {
        kind: 'shares',
        title: 'Share of each time of day per age band, with 95% intervals, and the network',
        groupTitle: 'age band',
        groups: AGE_BANDS.map(ageBandLabel),
        classes: shown,
        marks,
      },
    ],
    table: {
      columns: [
        { header: 'age' },
        { header: 'users', align: 'right' },
        ...shown.map((label) => ({ header: `P(${label})`, align: 'right' as const })),
        { header: 'preferred' },
        ...(ensemble ? [{ header: 'preferred in' }] : []),
        ...shown.map((label) => ({ header: `${label} seen`, align: 'right' as const })),
        { header: 'observed favourite' },
      ],
      cells: rows.map((row) => [
        row.ageBand,
        grouped(row.users),
        ...shown.map((label) => fixed(row.predicted[label] ?? 0, 3)),
        row.preferred,
        ...(ensemble ? [seedsText(row.seedsAgreeing, row.seeds)] : []),
        ...shown.map((label) => percent(row.observed[label] ?? 0)),
        row.observedFavourite ?? '—',
      ]),
    },
    note:
      `P(…): ${ensembleWords(model, 'probabilities')} averaged over every whole age in the band, each age counted ` +
      `once${ensemble ? '; preferred in: the networks whose own band average prefers it' : ''}. ` +
      'Seen: the share of each time of day among all rows in the band.',
  };
}
