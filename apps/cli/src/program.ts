/**
 * The command line: commands, flags, help, and the mapping from any failure to one line on stderr
 * and an exit code (0 ok, 1 bad data or failed run, 2 bad usage).
 */
import { Command, CommanderError, Option } from 'commander';
import type { CommonFlags, Context } from './context.js';
import { packageVersion } from './context.js';
import { describeError, EXIT_OK, EXIT_USAGE, exitCodeFor, oneLine } from './errors.js';
import {
  batchSize,
  choice,
  DTYPES,
  effects,
  fileName,
  hiddenSizes,
  integer,
  OPTIMIZERS,
  positiveNumber,
  records,
  repeatable,
  EFFECT_NAMES,
} from './flags.js';
import { printable } from './printable.js';
import type { Io } from './terminal.js';
import { colourEnabled, progressEnabled, styles } from './terminal.js';
import { QUESTION_IDS } from '@scratchnet/preprocess';
import type { TrainingFlags } from './hyperparameters.js';
import { DEFAULT_SEED, ORIGINAL_HYPERPARAMETERS } from './hyperparameters.js';
import type { Hyperparameters } from './results.js';
import { evaluateCommand } from './commands/evaluate.js';
import { generateCommand } from './commands/generate.js';
import { predictCommand } from './commands/predict.js';
import type { QuestionsFlags } from './commands/questions.js';
import { questionsCommand } from './commands/questions.js';
import { DEFAULT_REPETITION, MAX_PERMUTATIONS, MAX_SEEDS } from './procedure.js';
import { trainCommand } from './commands/train.js';

/** The largest count of rows `generate --rows` accepts. */
const MAX_ROWS = 10_000_000;

/**
 * A flag's default, from the original hyper-parameters: one value when the three questions share
 * it, else each question's (`per question: genre-by-country 0.05, …`).
 */
function originalDefault(pick: (original: Omit<Hyperparameters, 'seed'>) => string): string {
  const values = QUESTION_IDS.map((id) => pick(ORIGINAL_HYPERPARAMETERS[id]!));
  const shared = values.every((value) => value === values[0]);
  return shared
    ? `(default: ${values[0]})`
    : `(default per question: ${QUESTION_IDS.map((id, i) => `${id} ${values[i]}`).join(', ')})`;
}

function addTrainingFlags(command: Command): Command {
  return command
    .option(
      '--seed <n>',
      `seed of the split, the initial weights and the resampling (default: ${DEFAULT_SEED})`,
      integer('--seed', 0, 2 ** 32 - 1),
    )
    .option(
      '--hidden <sizes>',
      `hidden layer sizes, e.g. 16 or 16,8 ${originalDefault((h) => h.hidden.join(','))}`,
      hiddenSizes('--hidden'),
    )
    .option(
      '--lr <rate>',
      `learning rate, a positive number ${originalDefault((h) => String(h.learningRate))}`,
      positiveNumber('--lr'),
    )
    .option(
      '--epochs <n>',
      `most epochs to train ${originalDefault((h) => String(h.epochs))}`,
      integer('--epochs', 1, 1_000_000),
    )
    .option(
      '--patience <n>',
      `stop after this many epochs without a better validation loss ${originalDefault((h) => String(h.patience))}`,
      integer('--patience', 1, 1_000_000),
    )
    .addOption(
      new Option(
        '--optimizer <name>',
        'sgd (plain gradient descent, the original), momentum or adam (default: sgd)',
      ).argParser(choice('--optimizer', OPTIMIZERS)),
    )
    .option(
      '--batch-size <n>',
      "rows per gradient step, or 'full' for full-batch gradient descent (default: full)",
      batchSize('--batch-size'),
    )
    .addOption(
      new Option(
        '--dtype <type>',
        'f64 (float64, the original) or f32 (float32 on WebAssembly SIMD: faster, results differ ' +
          'in the last digits; one hidden layer only) (default: f64)',
      ).argParser(choice('--dtype', DTYPES)),
    );
}

function addOutputFlags(command: Command, options: { json?: string; force?: boolean }): Command {
  if (options.json !== undefined) command.option('--json', options.json);
  command.option('--quiet', 'no progress bar and no notes: only errors and the data asked for');
  if (options.force === true) command.option('--force', 'replace output files that already exist');
  return command.option('--debug', 'print the stack trace of an error');
}

/** Builds the `scratchnet` program; `context` is where its commands write. */
export function buildProgram(context: Context): Command {
  const program = new Command('scratchnet')
    .description(
      'Answers three questions about music-streaming listeners with a neural network built from ' +
        'scratch, and trains, evaluates and runs such networks on your own files.',
    )
    .version(context.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(printable(text)),
      writeErr: (text) => context.io.stderr.write(printable(text)),
      outputError: (text, write) => write(`scratchnet: ${oneLine(text.replace(/^error: /, ''))}\n`),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 bad data / model file or a failed run, 2 bad usage.\n' +
        "Run 'scratchnet <command> --help' for a command's flags. Start with: scratchnet questions",
    );

  const questions = program
    .command('questions')
    .description(
      'answer the three questions (genre by country, minutes by country and platform, listening ' +
        'time by age) with the original networks; without --data, on the built-in synthetic sample',
    )
    .option(
      '--data <file>',
      'the listeners CSV file (default: the built-in synthetic sample of 5,000 rows)',
      fileName('--data'),
    )
    .option(
      '--question <id>',
      `answer only this question (repeatable): ${QUESTION_IDS.join(', ')}`,
      repeatable(choice('--question', QUESTION_IDS)),
    )
    .option(
      '--report <file>',
      'also write a self-contained HTML report with charts',
      fileName('--report'),
    )
    .option(
      '--seeds <n>',
      `train each question from n initial weights (seeds --seed … --seed+n−1) on the same split; ` +
        `the answer is their ensemble (mean probabilities), and the trust block gives the spread (default: ${DEFAULT_REPETITION.seeds})`,
      integer('--seeds', 1, MAX_SEEDS),
    )
    .option(
      '--split-seeds <n>',
      `also repeat over n splits (split seeds --seed … --seed+n−1), each trained from --seeds weights; ` +
        `the spread of test scores covers them, the ensemble stays the first split's (default: ${DEFAULT_REPETITION.splitSeeds})`,
      integer('--split-seeds', 1, MAX_SEEDS),
    )
    .option(
      '--permutations <k>',
      `permutation test of the procedure: retrain k times on training targets shuffled among the ` +
        `training rows, score each on the test rows; 0 skips it (default: ${DEFAULT_REPETITION.permutations})`,
      integer('--permutations', 0, MAX_PERMUTATIONS),
    );
  addTrainingFlags(questions);
  addOutputFlags(questions, { json: 'print one JSON document instead of text', force: true });
  questions.action(async (flags: QuestionsFlags) => {
    await questionsCommand(context, flags);
  });

  const train = program
    .command('train')
    .description(
      "train one question's network on a CSV file and save it (network, encoders and options) as JSON",
    )
    .requiredOption(
      '--question <id>',
      `the question: ${QUESTION_IDS.join(', ')}`,
      choice('--question', QUESTION_IDS),
    )
    .requiredOption(
      '--data <file>',
      'the listeners CSV file to train on (60% train, 20% validation, 20% test)',
      fileName('--data'),
    )
    .requiredOption('--out <file>', 'where to save the model (JSON)', fileName('--out'))
    .option(
      '--report <file>',
      'also write a self-contained HTML report with charts',
      fileName('--report'),
    );
  addTrainingFlags(train);
  addOutputFlags(train, {
    json: 'print one JSON document (the training summary) instead of text',
    force: true,
  });
  train.action(
    async (
      flags: TrainingFlags &
        CommonFlags & { question: string; data: string; out: string; report?: string },
    ) => {
      await trainCommand(context, flags);
    },
  );

  const evaluate = program
    .command('evaluate')
    .description(
      'score a saved model on every row of a CSV file, beside the baselines it was saved with',
    )
    .requiredOption('--model <file>', 'a model saved by scratchnet train', fileName('--model'))
    .requiredOption('--data <file>', 'the listeners CSV file to score it on', fileName('--data'))
    .option(
      '--seed <n>',
      'seed of the bootstrap and the permutation test (default: 42)',
      integer('--seed', 0, 2 ** 32 - 1),
    )
    .option(
      '--report <file>',
      'also write a self-contained HTML report with charts',
      fileName('--report'),
    );
  addOutputFlags(evaluate, { json: 'print one JSON document instead of text', force: true });
  evaluate.action(
    async (
      flags: CommonFlags & { model: string; data: string; seed?: number; report?: string },
    ) => {
      await evaluateCommand(context, flags);
    },
  );

  const predict = program
    .command('predict')
    .description(
      'predict with a saved model, for the rows of a CSV file or for inputs given on the command line',
    )
    .requiredOption('--model <file>', 'a model saved by scratchnet train', fileName('--model'))
    .addOption(
      new Option('--data <file>', 'predict for every row of this CSV file')
        .argParser(fileName('--data'))
        .conflicts('input'),
    )
    .addOption(
      new Option(
        '--input <pairs>',
        "predict for these inputs, e.g. 'country=Japan,streaming_platform=Spotify' (repeatable)",
      )
        .argParser(records('--input'))
        .conflicts('data'),
    )
    .option(
      '--out <file>',
      'write the predictions to this file instead of stdout',
      fileName('--out'),
    );
  addOutputFlags(predict, {
    json: 'print one JSON document instead of CSV: { model, question, predictions: [{ user_id?, input, predicted_<target>, probabilities? }] }, one prediction per row',
    force: true,
  });
  predict.action(
    async (
      flags: CommonFlags & {
        model: string;
        data?: string;
        input?: Record<string, string>[];
        out?: string;
      },
    ) => {
      await predictCommand(context, flags);
    },
  );

  const generate = program
    .command('generate')
    .description(
      'write a synthetic listeners CSV file with the real schema, optionally with planted effects',
    )
    .requiredOption('--out <file>', 'the CSV file to write', fileName('--out'))
    .option('--rows <n>', 'number of listeners (default: 5000)', integer('--rows', 1, MAX_ROWS))
    .option('--seed <n>', 'seed of the generator (default: 42)', integer('--seed', 0, 2 ** 32 - 1))
    .option(
      '--effect <pairs>',
      `planted effects ${EFFECT_NAMES.join(', ')} with strengths from 0 (none, the default) to 1, e.g. genre=0.8,time=0.3`,
      effects('--effect'),
    );
  addOutputFlags(generate, { json: 'print a JSON summary instead of text', force: true });
  generate.action(
    async (
      flags: CommonFlags & {
        out: string;
        rows?: number;
        seed?: number;
        effect?: Record<string, number>;
      },
    ) => {
      await generateCommand(context, flags);
    },
  );

  return program;
}

/** Runs the CLI on `argv` (without the node and script paths) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes('--json');
  const quiet = argv.includes('--quiet');
  const debug = argv.includes('--debug');
  const context: Context = {
    io,
    style: styles(colourEnabled(io)),
    progress: progressEnabled(io, { json, quiet }),
    version: packageVersion(),
  };
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (help, version, or one error line); every
      // failure it reports is a command-line mistake, including a missing command.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const styled = (text: string) =>
      colourEnabledOnStderr(io) ? `\u001b[31m${text}\u001b[39m` : text;
    io.stderr.write(`${styled(printable(describeError(error)))}\n`);
    if (debug && error instanceof Error && error.stack !== undefined)
      io.stderr.write(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}

function colourEnabledOnStderr(io: Io): boolean {
  return colourEnabled({ ...io, stdout: io.stderr });
}
