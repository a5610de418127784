import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pValue } from '../format.js';
import type { CliRun } from '../test-cli.js';
import { oneErrorLine, runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from '../test-cli.js';

interface JsonQuestion {
  id: string;
  task: string;
  split: { train: number; validation: number; test: number };
  hyperparameters: { hidden: number[]; dtype: string };
  repetition: { seeds: number; splitSeeds: number; permutations: number };
  training: {
    epochs: number;
    bestEpoch: number;
    stoppedEarly: boolean;
    seconds: number;
    trainings: number;
    totalSeconds: number;
  };
  test: {
    accuracy?: number;
    r2?: number;
    loss: number;
    interval: { low: number; high: number; level: number };
  };
  seeds: {
    networks: number;
    mean: number;
    sd: number;
    min: number;
    max: number;
    scores: number[][];
  };
  baseline: { name: string; score: number };
  baselines: { name: string; score: number }[];
  significance: {
    permutation: { against: string; pValue: number };
    versusInputBlind: { against: string; pValue: number };
    chiSquare?: { pValue: number; statistic: number; degreesOfFreedom: number };
    procedure: {
      score: number;
      permutations: number;
      atLeast: number;
      pValue: number;
      nullScores: number[];
    };
    evidence: boolean;
    answerIsFinding: boolean;
    sentence: string;
  };
  answer: Record<string, unknown>[];
}

interface JsonRun {
  dataset: { source: string; rows: number; path?: string };
  questions: JsonQuestion[];
}

const IDS = ['genre-by-country', 'minutes-by-country-platform', 'listening-time-by-age'];
let folder: { path: string; remove: () => Promise<void> };
let planted: CliRun;
let plain: CliRun;

/**
 * The sentence must follow from the p-values it is judged on: the chi-square test for a
 * classification question, the permutation test of the procedure for regression, and the rows
 * are findings only when that evidence is there and the procedure finds it too.
 */
function expectConsistentSentence(question: JsonQuestion): void {
  const { significance } = question;
  const procedure = significance.procedure.pValue;
  const judged = significance.chiSquare?.pValue ?? procedure;
  expect(significance.evidence).toBe(judged < 0.05);
  expect(significance.answerIsFinding).toBe(judged < 0.05 && procedure < 0.05);
  expect(significance.sentence.startsWith('No ')).toBe(!significance.evidence);
  expect(significance.sentence).toContain(pValue(judged));
  expect(significance.sentence).toContain(pValue(procedure));
  if (!significance.answerIsFinding) {
    expect(significance.sentence).toMatch(/below are what the network says/);
  }
}

beforeAll(async () => {
  folder = await scratchFolder();
  const cwd = folder.path;
  const made = await Promise.all([
    runCli(
      [
        'generate',
        '--rows',
        '600',
        '--seed',
        '5',
        '--effect',
        'genre=0.9,minutes=0.9,time=0.9',
        '--out',
        'planted.csv',
      ],
      { cwd },
    ),
    runCli(['generate', '--rows', '600', '--seed', '6', '--out', 'plain.csv'], { cwd }),
  ]);
  for (const run of made) expect(run.code, run.stderr).toBe(0);
  [planted, plain] = await Promise.all([
    runCli(
      ['questions', '--data', 'planted.csv', '--epochs', '60', '--json', '--report', 'report.html'],
      { cwd },
    ),
    runCli(['questions', '--data', 'plain.csv', '--epochs', '60'], { cwd }),
  ]);
}, SPAWNING_HOOK_TIMEOUT);

afterAll(async () => {
  await folder.remove();
});

describe('scratchnet questions --json', () => {
  it('prints one JSON document and nothing else', () => {
    expect(planted.code, planted.stderr).toBe(0);
    expect(() => JSON.parse(planted.stdout) as unknown).not.toThrow();
    expect(planted.stdout.trimStart().startsWith('{')).toBe(true);
  });

  it('has the documented shape for each of the three questions', () => {
    const run = JSON.parse(planted.stdout) as JsonRun;
    expect(run.dataset).toMatchObject({ source: 'file', path: 'planted.csv', rows: 600 });
    expect(run.questions.map((q) => q.id)).toEqual(IDS);
    for (const question of run.questions) {
      expect(question.split).toEqual({ train: 360, validation: 120, test: 120 });
      expect(question.training.epochs).toBeGreaterThan(0);
      expect(question.training.epochs).toBeLessThanOrEqual(60);
      expect(question.training.bestEpoch).toBeGreaterThanOrEqual(1);
      expect(question.training.bestEpoch).toBeLessThanOrEqual(question.training.epochs);
      expect(typeof question.training.stoppedEarly).toBe('boolean');
      const score = question.task === 'classification' ? question.test.accuracy : question.test.r2;
      expect(typeof score).toBe('number');
      expect(Number.isFinite(question.test.loss)).toBe(true);
      expect(question.test.interval.level).toBe(0.95);
      expect(question.test.interval.low).toBeLessThanOrEqual(question.test.interval.high);
      expect(question.baselines.map((b) => b.name)).toContain(question.baseline.name);
      expect(question.baseline.score).toBe(
        Math.max(
          ...question.baselines.filter((b) => b.name !== 'frequency guessing').map((b) => b.score),
        ),
      );
      expect(question.significance.permutation.against).toBe(question.baseline.name);
      expect(question.significance.permutation.pValue).toBeGreaterThan(0);
      expect(question.significance.permutation.pValue).toBeLessThanOrEqual(1);
      expect(question.significance.chiSquare !== undefined).toBe(
        question.task === 'classification',
      );
      // The defaults: 20 seeds on one split, 199 trainings on shuffled targets.
      expect(question.repetition).toEqual({ seeds: 20, splitSeeds: 1, permutations: 199 });
      expect(question.training.trainings).toBe(219);
      const { seeds, significance } = question;
      expect(seeds.networks).toBe(20);
      expect(seeds.scores).toHaveLength(1);
      expect(seeds.mean).toBeCloseTo(seeds.scores[0]!.reduce((a, b) => a + b, 0) / 20, 12);
      expect(seeds.min).toBe(Math.min(...seeds.scores[0]!));
      expect(seeds.max).toBe(Math.max(...seeds.scores[0]!));
      expect(significance.procedure.score).toBe(seeds.scores[0]![0]);
      expect(significance.procedure.nullScores).toHaveLength(199);
      expect(significance.procedure.atLeast).toBe(
        significance.procedure.nullScores.filter((s) => s >= significance.procedure.score).length,
      );
      expect(significance.procedure.pValue).toBe((1 + significance.procedure.atLeast) / 200);
      expectConsistentSentence(question);
    }
  });

  it('answers with the rows of each table', () => {
    const [genre, minutes, time] = (JSON.parse(planted.stdout) as JsonRun).questions as [
      JsonQuestion,
      JsonQuestion,
      JsonQuestion,
    ];
    expect(genre.answer).toHaveLength(10);
    expect(Object.keys(genre.answer[0]!).sort()).toEqual(
      [
        'country',
        'observedGenre',
        'observedShare',
        'predictedGenre',
        'predictedProbability',
        'seeds',
        'seedsAgreeing',
        'users',
      ].sort(),
    );
    expect(genre.answer.reduce((sum, row) => sum + (row.users as number), 0)).toBe(600);
    expect(Object.keys(minutes.answer[0]!).sort()).toEqual(
      [
        'country',
        'meanMinutes',
        'platform',
        'predictedMeanMinutes',
        'predictedMeanRange',
        'predictedTotalMinutes',
        'seeds',
        'totalMinutes',
        'users',
      ].sort(),
    );
    for (const row of genre.answer) {
      expect(row.seeds).toBe(20);
      expect(row.seedsAgreeing as number).toBeGreaterThanOrEqual(1);
      expect(row.seedsAgreeing as number).toBeLessThanOrEqual(20);
    }
    for (const row of minutes.answer) {
      expect(row.meanMinutes as number).toBeCloseTo(
        (row.totalMinutes as number) / (row.users as number),
        9,
      );
      expect(row.predictedTotalMinutes as number).toBeCloseTo(
        (row.predictedMeanMinutes as number) * (row.users as number),
        6,
      );
      const [low, high] = row.predictedMeanRange as [number, number];
      expect(low).toBeLessThanOrEqual(row.predictedMeanMinutes as number);
      expect(high).toBeGreaterThanOrEqual(row.predictedMeanMinutes as number);
    }
    expect(time.answer.map((row) => row.ageBand)).toEqual([
      '13–17',
      '18–24',
      '25–34',
      '35–44',
      '45–54',
      '55–60',
    ]);
    for (const row of time.answer) {
      const predicted = Object.values(row.predicted as Record<string, number>);
      expect(predicted.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 9);
      expect(Object.keys(row.predicted as object)).toEqual(['Morning', 'Afternoon', 'Night']);
    }
  });

  it('finds each planted effect and says so', () => {
    const [genre, minutes, time] = (JSON.parse(planted.stdout) as JsonRun).questions as [
      JsonQuestion,
      JsonQuestion,
      JsonQuestion,
    ];
    expect(genre.significance.chiSquare!.pValue).toBeLessThan(0.001);
    expect(genre.significance.evidence).toBe(true);
    expect(genre.significance.sentence).toMatch(/^Country predicts genre: p < 0\.001/);
    expect(minutes.significance.versusInputBlind.pValue).toBeLessThan(0.001);
    expect(minutes.significance.evidence).toBe(true);
    expect(minutes.significance.sentence).toBe(
      'Country and platform predict minutes streamed: training finds it: the network scores above training on shuffled targets (p = 0.005).',
    );
    for (const question of [genre, minutes, time]) {
      // Every shuffled training scored below the real one.
      expect(question.significance.procedure.pValue).toBe(1 / 200);
      expect(question.significance.answerIsFinding).toBe(true);
    }
    expect(time.significance.chiSquare!.pValue).toBeLessThan(0.001);
    expect(time.significance.evidence).toBe(true);
    expect(time.significance.sentence).toMatch(/^Age predicts listening time: p < 0\.001/);
  });
});

describe('training the three networks side by side', () => {
  it('gives exactly the results of training each question alone', async () => {
    const together = (JSON.parse(planted.stdout) as JsonRun).questions;
    const alone = await Promise.all(
      IDS.map((id) =>
        runCli(
          ['questions', '--data', 'planted.csv', '--epochs', '60', '--json', '--question', id],
          {
            cwd: folder.path,
          },
        ),
      ),
    );
    const withoutTime = (question: JsonQuestion) => ({
      ...question,
      training: { ...question.training, seconds: 0, totalSeconds: 0 },
    });
    alone.forEach((run, i) => {
      expect(run.code, run.stderr).toBe(0);
      const [single] = (JSON.parse(run.stdout) as JsonRun).questions;
      expect(withoutTime(single!)).toEqual(withoutTime(together[i]!));
    });
  });
});

describe('scratchnet questions --dtype f32', () => {
  it('trains every question in float32, in worker threads or alone, with float64 results but for the last digits', async () => {
    const cwd = folder.path;
    const f32 = ['questions', '--data', 'planted.csv', '--epochs', '60', '--dtype', 'f32'];
    const [all, alone] = await Promise.all([
      runCli([...f32, '--json', '--report', 'f32.html'], { cwd }),
      runCli([...f32, '--question', 'genre-by-country'], { cwd }),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const single = (JSON.parse(all.stdout) as JsonRun).questions;
    const double = (JSON.parse(planted.stdout) as JsonRun).questions;
    expect(single.map((q) => q.id)).toEqual(IDS);
    single.forEach((question, i) => {
      const original = double[i]!;
      expect(original.hyperparameters.dtype).toBe('f64');
      expect(question.hyperparameters).toEqual({ ...original.hyperparameters, dtype: 'f32' });
      expect(question.split).toEqual(original.split);
      expect(question.training.epochs).toBe(original.training.epochs);
      expect(Math.abs(question.test.loss - original.test.loss)).toBeLessThan(1e-3);
      // Not the same bits: the worker thread did train in float32.
      expect(question.test.loss).not.toBe(original.test.loss);
      expect(question.significance.evidence).toBe(original.significance.evidence);
      expectConsistentSentence(question);
    });
    // Only float32 says so: in the text, on each question's training line, and in the report.
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toMatch(/, seed 42, trained in float32\.\n/);
    expect(plain.stdout).not.toContain('float32');
    expect(
      (await readFile(join(cwd, 'f32.html'), 'utf8')).match(/trained in float32/g),
    ).toHaveLength(3);
    expect(await readFile(join(cwd, 'report.html'), 'utf8')).not.toContain('float32');
  });
});

describe('scratchnet questions failures', () => {
  it('--dtype f32 on an engine without WebAssembly SIMD fails in the worker threads with one usage line (exit 2) and no report', async () => {
    // The engine is made to validate no WebAssembly module at all, as one without SIMD would.
    const preload = join(folder.path, 'no-simd.mjs');
    await writeFile(preload, 'WebAssembly.validate = () => false;\n');
    const run = await runCli(
      [
        'questions',
        '--data',
        'plain.csv',
        '--epochs',
        '5',
        '--dtype',
        'f32',
        '--report',
        'no-simd.html',
      ],
      { cwd: folder.path, env: { NODE_OPTIONS: `--import ${preload}` } },
    );
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toBe(
      'scratchnet: --dtype f32: the float32 engine needs WebAssembly SIMD, which this JavaScript engine lacks; use --dtype f64',
    );
    await expect(readFile(join(folder.path, 'no-simd.html'))).rejects.toThrow(/ENOENT/);
  });

  it('a network that diverges in its worker thread fails with one line (exit 1) and no report', async () => {
    const run = await runCli(
      [
        'questions',
        '--data',
        'plain.csv',
        '--lr',
        '1e200',
        '--epochs',
        '5',
        '--report',
        'diverged.html',
      ],
      { cwd: folder.path },
    );
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(
      /loss became (Infinity|NaN) at epoch 1; try a smaller learning rate/,
    );
    expect(run.stdout).toBe('Data: plain.csv (600 rows).\n');
    await expect(readFile(join(folder.path, 'diverged.html'))).rejects.toThrow(/ENOENT/);
  });
});

describe('scratchnet questions (text)', () => {
  it('prints the three answer tables, the trust numbers and the training facts', () => {
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toBe('');
    const out = plain.stdout;
    expect(out.split('\n')[0]).toBe('Data: plain.csv (600 rows).');
    for (const header of [
      /country\s+users\s+predicted favourite\s+probability\s+most probable in\s+observed favourite\s+share/,
      /country\s+platform\s+users\s+total min\/day\s+mean\s+predicted mean\s+over seeds\s+predicted total/,
      /age\s+users\s+P\(Morning\)\s+P\(Afternoon\)\s+P\(Night\)\s+preferred\s+preferred in/,
    ]) {
      expect(out).toMatch(header);
    }
    expect(out.match(/How much to trust it/g)).toHaveLength(3);
    expect(out.match(/^Training: /gm)).toHaveLength(3);
    expect(out.match(/^What the network says \(not a finding/gm)).toHaveLength(3);
    expect(
      out.match(
        /^Repeated: 20 initial seeds \(42–61\) on one split, and 199 on shuffled training targets: 219 trainings in /gm,
      ),
    ).toHaveLength(3);
    expect(out).toMatch(/^Australia .* \d+ of 20 seeds /m);
    expect(out).toMatch(/^13–17 /m);
    expect(out).toMatch(/^55–60 /m);
    // No colour codes in a pipe.
    expect(out).not.toContain('\u001b[');
  });

  it('says each answer in a sentence first, and the sentence follows from its p-value', () => {
    const lines = plain.stdout.split('\n');
    const headings = lines.flatMap((line, i) => (/^[123]\. /.test(line) ? [i] : []));
    expect(headings.map((i) => lines[i]!.slice(0, 2))).toEqual(['1.', '2.', '3.']);
    for (const i of headings) expect(lines[i + 4]).toMatch(/^(country|age)\s/);
    const chi = [
      ...plain.stdout.matchAll(/Chi-square test of independence, .* (p (?:=|<) [0-9.]+)/g),
    ].map((m) => m[1]);
    expect(chi).toHaveLength(2);
    const sentences = plain.stdout
      .split('\n')
      .filter((line) => /^(No evidence|No clear evidence|.* predicts? |.* are related)/.test(line));
    expect(sentences).toHaveLength(3);
    expect(headings.map((i) => lines[i + 1])).toEqual(sentences);
    expect(sentences[0]).toContain(chi[0]!);
    expect(sentences[2]).toContain(chi[1]!);
    // The first p-value of a sentence is the one it is judged on: "No …" exactly when p ≥ 0.05.
    for (const sentence of sentences) {
      const judged = /p (=|<) ([0-9.]+)/.exec(sentence)!;
      const significant = judged[1] === '<' || Number(judged[2]) < 0.05;
      expect(sentence.startsWith('No '), sentence).toBe(!significant);
    }
    // No effect is planted in this file: none of the three may claim one.
    expect(sentences.filter((sentence) => sentence.startsWith('No '))).toHaveLength(3);
  });
});

describe('scratchnet questions --report', () => {
  it('writes one self-contained page with the charts and the tables', async () => {
    const html = await readFile(join(folder.path, 'report.html'), 'utf8');
    const run = JSON.parse(planted.stdout) as JsonRun;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    // Per question: loss and metric charts and one chart of the answer; per classification
    // question a confusion heat map. The answers: genre shares and mean minutes as heat maps.
    // Per question also the null distribution of the permutation test of the procedure.
    expect(html.match(/<svg /g)).toHaveLength(3 * 4 + 2);
    expect(
      html.match(
        /class="chart-title">Permutation test of the procedure: test (accuracy|R²), 199 shuffles/g,
      ),
    ).toHaveLength(3);
    expect(html.match(/class="chart heatmap"/g)).toHaveLength(2 + 2);
    expect(html).toContain('Mean minutes streamed per day, by country and platform (all rows)');
    expect(html).toContain('Share of each top genre among the listeners of each country');
    expect(html.match(/class="chart shares"/g)).toHaveLength(1);
    // Six age bands × three times of day, each with its interval.
    expect(html.match(/<line class="interval"/g)).toHaveLength(6 * 3);
    for (const question of run.questions) {
      const section = html.slice(html.indexOf(`<section id="${question.id}">`));
      expect(section).toContain(`best epoch ${question.training.bestEpoch}`);
      expect(section).toContain('Loss per epoch');
    }
    // The answer tables: 10 countries, every country × platform pair seen, 6 age bands.
    const answerRows = [...html.matchAll(/<table class="answer">([\s\S]*?)<\/table>/g)].map(
      (m) => (m[1]!.match(/<tr>/g) ?? []).length - 1,
    );
    expect(answerRows).toEqual([10, run.questions[1]!.answer.length + 1, 6]);
    // Category names from the data are escaped.
    expect(html).toContain('R&amp;B');
    expect(html).not.toMatch(/R&B/);
  });
});

describe('scratchnet questions without --data', () => {
  it('uses the built-in synthetic sample and says so in its first line', async () => {
    const run = await runCli(
      ['questions', '--question', 'listening-time-by-age', '--epochs', '5'],
      { cwd: folder.path },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^Using the built-in synthetic sample: 5,000 generated listeners .*not real data/,
    );
    expect(run.stdout).toMatch(/rows: 3,000 train \/ 1,000 validation \/ 1,000 test/);
    // The third question keeps its number when it is the only one asked for.
    expect(run.stdout).toMatch(/^3\. Which time of day/m);
  });
});
