import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneErrorLine, runCli, scratchFolder } from './test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });

beforeAll(async () => {
  folder = await scratchFolder();
});
afterAll(async () => {
  await folder.remove();
});

describe('scratchnet --help and --version', () => {
  it('lists every command, and each command lists every flag', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['questions', 'train', 'evaluate', 'predict', 'generate'])
      expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('Exit codes: 0 success, 1 bad data');
    const flags: Record<string, string[]> = {
      questions: [
        '--data',
        '--question',
        '--report',
        '--seed',
        '--hidden',
        '--lr',
        '--epochs',
        '--patience',
        '--optimizer',
        '--batch-size',
        '--dtype',
        '--json',
        '--quiet',
        '--force',
        '--debug',
        '--help',
      ],
      train: [
        '--question',
        '--data',
        '--out',
        '--report',
        '--seed',
        '--hidden',
        '--lr',
        '--epochs',
        '--patience',
        '--optimizer',
        '--batch-size',
        '--dtype',
        '--json',
        '--quiet',
        '--force',
        '--debug',
      ],
      evaluate: [
        '--model',
        '--data',
        '--seed',
        '--report',
        '--json',
        '--quiet',
        '--force',
        '--debug',
      ],
      predict: ['--model', '--data', '--input', '--out', '--json', '--quiet', '--force', '--debug'],
      generate: [
        '--out',
        '--rows',
        '--seed',
        '--effect',
        '--json',
        '--quiet',
        '--force',
        '--debug',
      ],
    };
    const helps = await Promise.all(Object.keys(flags).map((command) => cli(command, '--help')));
    Object.values(flags).forEach((expected, i) => {
      expect(helps[i]!.code).toBe(0);
      for (const flag of expected) expect(helps[i]!.stdout).toContain(`${flag}`);
    });
  });

  it("shows each training flag's default, per question where the questions differ", async () => {
    const { ORIGINAL_HYPERPARAMETERS } = await import('./hyperparameters.js');
    for (const command of ['questions', 'train']) {
      // Commander wraps long descriptions; the words matter, not where the lines break.
      const help = (await cli(command, '--help')).stdout.replace(/\s+/g, ' ');
      const perQuestion = (pick: (h: (typeof ORIGINAL_HYPERPARAMETERS)[string]) => string) =>
        `(default per question: ${Object.entries(ORIGINAL_HYPERPARAMETERS)
          .map(([id, h]) => `${id} ${pick(h)}`)
          .join(', ')})`;
      expect(help).toContain(
        '(default per question: genre-by-country 0.05, minutes-by-country-platform 0.05, listening-time-by-age 0.1)',
      );
      expect(help).toContain(perQuestion((h) => String(h.learningRate)));
      expect(help).toContain(perQuestion((h) => String(h.patience)));
      expect(help).toContain(perQuestion((h) => h.hidden.join(',')));
      expect(help).toContain('most epochs to train (default: 2000)');
      expect(help).toContain('(default: 42)');
    }
  });

  it('says what predict --json prints', async () => {
    const help = (await cli('predict', '--help')).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      'print one JSON document instead of CSV: { model, question, predictions: [{ user_id?, input, predicted_<target>, probabilities? }] }, one prediction per row',
    );
  });

  it('prints the version from package.json', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    const run = await cli('--version');
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('bad usage: one line on stderr, exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['questions', '--lr', 'abc'], /^scratchnet: --lr: expected a positive number, got 'abc'$/],
    [['questions', '--lr', '-0.1'], /--lr: expected a positive number, got '-0.1'/],
    [['questions', '--epochs', '0'], /--epochs: expected a positive whole number, got '0'/],
    [['questions', '--epochs', '2.5'], /--epochs: expected a positive whole number, got '2.5'/],
    [['questions', '--patience', 'x'], /--patience: expected a positive whole number, got 'x'/],
    [['questions', '--seeds', '0'], /--seeds: expected a positive whole number, got '0'/],
    [['questions', '--seeds', '1001'], /--seeds: expected a whole number ≤ 1000, got '1001'/],
    [['questions', '--split-seeds', '1.5'], /--split-seeds: expected a positive whole number/],
    [
      ['questions', '--permutations', '-1'],
      /--permutations: expected a whole number ≥ 0, got '-1'/,
    ],
    [['questions', '--seed', '-1'], /--seed: expected a whole number ≥ 0, got '-1'/],
    [['questions', '--hidden', '0'], /--hidden: expected layer sizes/],
    [
      ['questions', '--optimizer', 'rmsprop'],
      /--optimizer: expected one of sgd, momentum, adam, got 'rmsprop'/,
    ],
    [['questions', '--dtype', 'f16'], /^scratchnet: --dtype: expected one of f64, f32, got 'f16'$/],
    [
      ['questions', '--dtype', 'f32', '--hidden', '16,8'],
      /^scratchnet: --dtype f32 trains networks with one hidden layer, but --hidden 16,8 gives 2; give one size \(e\.g\. --hidden 16\) or use --dtype f64$/,
    ],
    [
      ['questions', '--batch-size', 'half'],
      /--batch-size: expected a positive whole number or 'full', got 'half'/,
    ],
    [
      ['questions', '--question', 'nope'],
      /--question: expected one of genre-by-country, minutes-by-country-platform, listening-time-by-age, got 'nope'/,
    ],
    [
      ['train', '--question', 'nope', '--data', 'd.csv', '--out', 'm.json'],
      /--question: expected one of/,
    ],
    [
      ['train', '--data', 'd.csv', '--out', 'm.json'],
      /required option '--question <id>' not specified/,
    ],
    [
      ['generate', '--rows', '0', '--out', 'x.csv'],
      /--rows: expected a positive whole number, got '0'/,
    ],
    [
      ['generate', '--effect', 'colour=1', '--out', 'x.csv'],
      /--effect: expected name=strength pairs/,
    ],
    [
      ['generate', '--effect', 'genre=1.5', '--out', 'x.csv'],
      /--effect: expected name=strength pairs/,
    ],
    [['predict', '--model', 'm.json'], /predict: give --data FILE or --input/],
    [
      ['predict', '--model', 'm.json', '--data', 'd.csv', '--input', 'country=Japan'],
      /cannot be used with/,
    ],
    [['predict', '--model', 'm.json', '--input', 'Japan'], /--input: expected name=value pairs/],
    [['questions', '--colour'], /unknown option '--colour'/],
    [['questions', '--forc'], /unknown option '--forc' \(Did you mean --force\?\)/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['questions', 'extra'], /too many arguments/],
    [['questions', '--data'], /option '--data <file>' argument missing/],
  ];
  it.concurrent.each(cases)('scratchnet %j', async (args, message) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints the help on stderr with exit code 2 when no command is given', async () => {
    const run = await cli();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: scratchnet');
  });
});
