import { TrainingError } from '@scratchnet/nn';
import { getQuestion } from '@scratchnet/preprocess';
import { describe, expect, it } from 'vitest';
import { loadListeners } from './data.js';
import { exitCodeFor, EXIT_USAGE, UsageError } from './errors.js';
import { resolveHyperparameters } from './hyperparameters.js';
import { rebuiltError } from './parallel.js';
import { fitQuestion, float32Refusal, prepareForTraining } from './question-run.js';
import { silentProgress } from './terminal.js';

describe('float32Refusal', () => {
  it("turns nn's refusal of float32 training into a usage error that names --dtype", () => {
    const refusal = float32Refusal(
      new TrainingError(
        'INVALID_OPTIONS',
        "dtype 'f32' needs WebAssembly SIMD, which this engine lacks",
      ),
    );
    expect(refusal).toBeInstanceOf(UsageError);
    expect(refusal?.message).toBe(
      '--dtype f32 needs WebAssembly SIMD, which this engine lacks; use --dtype f64',
    );
  });

  it('leaves every other error alone', () => {
    expect(
      float32Refusal(
        new TrainingError('INVALID_OPTIONS', 'epochs must be a positive integer, not 0'),
      ),
    ).toBeUndefined();
    expect(
      float32Refusal(new TrainingError('NON_FINITE_LOSS', "dtype 'f32' loss became NaN")),
    ).toBeUndefined();
    expect(float32Refusal(new Error("dtype 'f32' trains networks"))).toBeUndefined();
  });
});

describe('fitQuestion with dtype f32', () => {
  it("reports nn's run-time refusal as one usage line (here: a network the up-front check would have refused)", async () => {
    const question = getQuestion('genre-by-country');
    const { table } = await loadListeners(undefined, [question]);
    const hyperparameters = {
      ...resolveHyperparameters(question.id, { epochs: 1 }),
      hidden: [4, 4],
      dtype: 'f32' as const,
    };
    const prepared = prepareForTraining(question, table, hyperparameters.seed);
    const failure = await fitQuestion(prepared, hyperparameters, silentProgress).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UsageError);
    // nn says why in its own words; the CLI puts the flag in front and the way out after.
    expect((failure as Error).message).toMatch(
      /^--dtype f32 trains networks with one hidden .*; use --dtype f64$/,
    );
  });
});

describe('rebuiltError', () => {
  it('rebuilds a usage error from a worker thread as a usage error (exit code 2)', () => {
    const error = rebuiltError({
      type: 'error',
      name: 'UsageError',
      message: '--dtype f32 needs WebAssembly SIMD, which this engine lacks; use --dtype f64',
      code: 'dtype-unsupported',
    });
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeFor(error)).toBe(EXIT_USAGE);
    expect((error as UsageError).code).toBe('dtype-unsupported');
  });
});
