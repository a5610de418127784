import { Network, referenceEngine } from '@scratchnet/nn';
import { getQuestion } from '@scratchnet/preprocess';
import { describe, expect, it } from 'vitest';
import { loadListeners } from './data.js';
import { exitCodeFor, EXIT_USAGE, UsageError } from './errors.js';
import { resolveHyperparameters } from './hyperparameters.js';
import { rebuiltError } from './parallel.js';
import { fitQuestion, prepareForTraining, trainingEngine } from './question-run.js';
import { silentProgress } from './terminal.js';

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
    // The engine says why in its own words; the CLI puts the flag in front and the way out after.
    expect((failure as Error).message).toBe(
      '--dtype f32: the float32 engine trains networks with one hidden ReLU layer under a softmax or identity output; use --dtype f64',
    );
  });
});

describe('trainingEngine', () => {
  it('trains float64 on the two-layer engine where it runs, else on the reference engine', async () => {
    const question = getQuestion('genre-by-country');
    const { table } = await loadListeners(undefined, [question]);
    const base = resolveHyperparameters(question.id, { epochs: 1 });
    const prepared = prepareForTraining(question, table, base.seed);
    const engineFor = (hidden: number[]) => {
      const network = Network.create({
        inputSize: prepared.pipeline.inputSize,
        hidden,
        outputSize: prepared.pipeline.outputSize,
        task: 'classification',
        seed: 1,
      });
      return trainingEngine(network, prepared.train, prepared.validation, { ...base, hidden });
    };
    expect(engineFor([16]).name).toBe('two-layer float64 WebAssembly');
    expect(engineFor([16, 8])).toBe(referenceEngine);
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
