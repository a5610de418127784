import { Command, InvalidArgumentError, Option } from 'commander';
import { ALL_IMPLS, DEFAULT_IMPLS, implNamed } from './gemm/impls.js';
import type { Dtype } from './gemm/problem.js';
import { DEFAULT_BASELINES, gemmJson, gemmMarkdown, gemmTable } from './gemm/report.js';
import type { Baselines } from './gemm/report.js';
import { mergeGemmReports, runGemm } from './gemm/run.js';
import type { GemmPlan } from './gemm/run.js';
import { machineInfo, machineLine } from './machine.js';
import type { MachineInfo } from './machine.js';
import { FULL_PLAN, QUICK_PLAN } from './measure.js';
import { trainJson, trainMarkdown, trainTable } from './train/report.js';
import { TRAIN_IMPLS, mergeTrainReports, runTrain, trainPlan } from './train/run.js';
import type { TrainImpl } from './train/run.js';

/** Where the program writes: injectable so tests can capture it. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress lines go to stderr only on a terminal. */
  isTTY: boolean;
  /** What the engine's WebAssembly supports (reported in `machine`). */
  wasm(): MachineInfo['wasm'];
  /**
   * Turns on relaxed SIMD where the engine has it behind a flag (Node 20), before any kernel is
   * compiled; returns the V8 flags it set, which `machine` reports.
   */
  enableRelaxedSimd(): string[];
}

/** Parses `64,128,256` into positive integers; commander reports the message on failure. */
export function parseIntegerList(value: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  const out = items.map(Number);
  if (items.length === 0 || out.some((x, i) => items[i] === '' || !Number.isInteger(x) || x < 1)) {
    throw new InvalidArgumentError('expected a comma-separated list of positive integers.');
  }
  return out;
}

/** Parses `f64,f32`. */
export function parseDtypes(value: string): Dtype[] {
  const out = value.split(',').map((s) => s.trim());
  for (const d of out) {
    if (d !== 'f64' && d !== 'f32')
      throw new InvalidArgumentError(`unknown dtype '${d}' (use f64, f32).`);
  }
  return out as Dtype[];
}

/** Parses a list of implementation names. */
export function parseImpls(value: string): string[] {
  const out = value.split(',').map((s) => s.trim());
  for (const name of out) {
    if (implNamed(name) === undefined) {
      throw new InvalidArgumentError(
        `unknown implementation '${name}' (use ${ALL_IMPLS.map((i) => i.name).join(', ')}).`,
      );
    }
  }
  return out;
}

/** Parses one implementation name (for `--baseline`). */
export function parseImpl(value: string): string {
  return parseImpls(value)[0]!;
}

/** Parses a list of `train` implementations. */
export function parseTrainImpls(value: string): TrainImpl[] {
  const out = value.split(',').map((s) => s.trim());
  for (const name of out) {
    if (!(TRAIN_IMPLS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `unknown implementation '${name}' (use ${TRAIN_IMPLS.join(', ')}).`,
      );
    }
  }
  return out as TrainImpl[];
}

/** Parses a positive integer. */
export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return n;
}

/** `train`'s options after parsing. */
export interface TrainCliOptions {
  impl?: TrainImpl[];
  epochs?: number;
  subnormals: boolean;
  rounds: number;
  json?: boolean;
  markdown?: boolean;
  quick?: boolean;
}

/** `gemm`'s options after parsing. */
export interface GemmCliOptions {
  sizes?: number[];
  dtype: Dtype[];
  threads: number[];
  impl?: string[];
  baseline?: string;
  network: boolean;
  rounds: number;
  json?: boolean;
  markdown?: boolean;
  quick?: boolean;
}

/** The measurement plan the options describe (`--quick` shrinks the defaults and the timing). */
export function gemmPlan(options: GemmCliOptions): GemmPlan {
  const quick = options.quick === true;
  return {
    sizes: options.sizes ?? (quick ? [64, 128] : [64, 128, 256, 512, 1024]),
    network: options.network,
    dtypes: options.dtype,
    threads: options.threads,
    impls: (options.impl ?? DEFAULT_IMPLS).map((name) => implNamed(name)!),
    measure: quick ? QUICK_PLAN : FULL_PLAN,
  };
}

/** The baselines the options describe: `--baseline X` for both dtypes, else the defaults. */
export function baselines(options: Pick<GemmCliOptions, 'baseline'>): Baselines {
  return options.baseline === undefined
    ? DEFAULT_BASELINES
    : { f64: options.baseline, f32: options.baseline };
}

/** Sets the exit code a command's action decided on. */
export interface Outcome {
  exitCode: number;
}

/** The `scratchnet-bench` program. */
export function createProgram(io: Io, outcome: Outcome): Command {
  const program = new Command('scratchnet-bench')
    .description(
      "Measures scratchnet's matrix kernels and training against peers, in the same run.",
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError()
    .option(
      '--no-relaxed-simd',
      "don't turn on Node 20's --experimental-wasm-relaxed-simd (the relaxed-SIMD kernels then do not run)",
    )
    .hook('preAction', () => {
      if (program.opts<{ relaxedSimd: boolean }>().relaxedSimd)
        v8Flags.push(...io.enableRelaxedSimd());
    });
  const v8Flags: string[] = [];
  const machine = () => machineInfo(io.wasm(), v8Flags);

  program
    .command('gemm')
    .description(
      'matrix multiply: our kernels and peers on square and network shapes, each verified against the naive product before it is timed',
    )
    .option(
      '--sizes <list>',
      'square sizes (default 64,128,256,512,1024; --quick: 64,128)',
      parseIntegerList,
    )
    .addOption(
      new Option('--dtype <list>', 'element types')
        .default(['f64', 'f32'], 'f64,f32')
        .argParser(parseDtypes),
    )
    .addOption(
      new Option('--threads <list>', 'thread counts (peers run only on 1)')
        .default([1, 2], '1,2')
        .argParser(parseIntegerList),
    )
    .option(
      '--impl <list>',
      `implementations: ${ALL_IMPLS.map((i) => i.name).join(', ')} (default: all but naive)`,
      parseImpls,
    )
    .option(
      '--baseline <impl>',
      'the ratio column compares with this (default ml-matrix for f64, tfjs-wasm for f32)',
      parseImpl,
    )
    .option(
      '--no-network',
      "leave out the network's shapes (3000×10·10×16, … and the gradient products)",
    )
    .addOption(
      new Option('--rounds <n>', 'measure everything n times; report the median of the rounds')
        .default(1)
        .argParser(parsePositiveInteger),
    )
    .option(
      '--json',
      'print JSON: { machine, results: [{ impl, dtype, threads, m, n, k, gflops, microseconds, runs }] }',
    )
    .option('--markdown', 'print a Markdown table')
    .option('--quick', 'a smoke run: small sizes, short timing (under a minute)')
    .action(async (options: GemmCliOptions) => {
      const plan = gemmPlan(options);
      const progress = io.isTTY ? (line: string) => io.stderr(`\r\x1b[2K… ${line}`) : () => {};
      const rounds = [];
      for (let r = 0; r < options.rounds; r++) rounds.push(await runGemm(plan, progress));
      const report = mergeGemmReports(rounds);
      if (io.isTTY) io.stderr('\r\x1b[2K');
      const info = machine();
      const base = baselines(options);
      if (options.json) io.stdout(`${JSON.stringify(gemmJson(report, info), null, 2)}\n`);
      else if (options.markdown) io.stdout(`${gemmMarkdown(report, machineLine(info), base)}\n`);
      else io.stdout(`${gemmTable(report, machineLine(info), base)}\n`);
      for (const s of report.skipped.filter((x) => x.failed))
        io.stderr(`scratchnet-bench: ${s.reason}\n`);
      if (report.skipped.some((s) => s.failed)) outcome.exitCode = 1;
    });

  program
    .command('train')
    .description(
      "ms per epoch (training step on 3,000 rows + validation pass on 1,000) of the three questions' networks: scratchnet, TensorFlow.js model.fit (cpu, wasm) and the numpy notebook algorithm",
    )
    .option(
      '--impl <list>',
      `implementations: ${TRAIN_IMPLS.join(', ')} (default: all)`,
      parseTrainImpls,
    )
    .option(
      '--epochs <n>',
      'epochs timed per implementation and network (default 200; --quick: 20)',
      parsePositiveInteger,
    )
    .option('--no-subnormals', 'skip counting subnormal numbers over a training run')
    .addOption(
      new Option('--rounds <n>', 'measure everything n times; report the median of the rounds')
        .default(1)
        .argParser(parsePositiveInteger),
    )
    .option(
      '--json',
      'print JSON: { machine, results: [{ impl, network, msPerEpoch, epochs }], skipped, subnormals }',
    )
    .option('--markdown', 'print a Markdown table')
    .option('--quick', 'a smoke run: few epochs (under a minute)')
    .action(async (options: TrainCliOptions) => {
      const plan = trainPlan(options.quick === true, options.impl);
      if (options.epochs !== undefined) plan.epochs = options.epochs;
      if (!options.subnormals) plan.subnormalEpochs = 0;
      const progress = io.isTTY ? (line: string) => io.stderr(`\r\x1b[2K… ${line}`) : () => {};
      const rounds = [];
      for (let r = 0; r < options.rounds; r++) {
        rounds.push(await runTrain(plan, progress));
        plan.subnormalEpochs = 0; // one subnormal count is enough
      }
      const report = mergeTrainReports(rounds);
      if (io.isTTY) io.stderr('\r\x1b[2K');
      const info = machine();
      if (options.json) io.stdout(`${JSON.stringify(trainJson(report, info), null, 2)}\n`);
      else if (options.markdown) io.stdout(`${trainMarkdown(report, machineLine(info))}\n`);
      else io.stdout(`${trainTable(report, machineLine(info))}\n`);
    });

  return program;
}

/** Runs the program on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const outcome: Outcome = { exitCode: 0 };
  const program = createProgram(io, outcome);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
      return error.exitCode; // commander already printed help or the error
    }
    io.stderr(`scratchnet-bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return outcome.exitCode;
}
