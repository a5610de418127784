/**
 * The page: the settings form, the live loss chart, and the answer. Training runs in a Web Worker
 * (worker.ts), so the page keeps drawing while the network learns.
 */
import './style.css';
import type { OptimizerName, Repetition, TrainingFlags } from '@scratchnet/cli/questions';
import {
  DEFAULT_REPETITION,
  DEFAULT_SEED,
  lineChart,
  MAX_PERMUTATIONS,
  MAX_SEEDS,
  resolveHyperparameters,
} from '@scratchnet/cli/questions';
import { QUESTIONS } from '@scratchnet/preprocess';
import type { EpochPoint, FromWorker, ToWorker } from './messages.js';
import { resultView } from './view.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = byId<HTMLFormElement>('setup');
const question = byId<HTMLSelectElement>('question');
const fileInput = byId<HTMLInputElement>('file');
const drop = byId<HTMLLabelElement>('drop');
const fileName = byId<HTMLSpanElement>('file-name');
const hidden = byId<HTMLInputElement>('hidden');
const lr = byId<HTMLInputElement>('lr');
const optimizer = byId<HTMLSelectElement>('optimizer');
const dtype = byId<HTMLSelectElement>('dtype');
const batch = byId<HTMLInputElement>('batch');
const seed = byId<HTMLInputElement>('seed');
const seeds = byId<HTMLInputElement>('seeds');
const permutations = byId<HTMLInputElement>('permutations');
const trainButton = byId<HTMLButtonElement>('train');
const stopButton = byId<HTMLButtonElement>('stop');
const errorLine = byId<HTMLParagraphElement>('error');
const status = byId<HTMLParagraphElement>('status');
const live = byId<HTMLElement>('live');
const chart = byId<HTMLDivElement>('chart');
const metric = byId<HTMLParagraphElement>('metric');
const result = byId<HTMLElement>('result');

let file: File | undefined;
let points: EpochPoint[] = [];
let metricName = 'validation accuracy';
let drawPending = false;

for (const q of QUESTIONS) question.append(new Option(q.title, q.id));
/** The question's original settings, as `scratchnet questions` trains it without flags. */
function showOriginals(): void {
  const original = resolveHyperparameters(question.value, {});
  hidden.value = String(original.hidden[0]);
  lr.value = String(original.learningRate);
  optimizer.value = original.optimizer;
  dtype.value = original.dtype ?? 'f64';
  batch.value = String(original.batchSize);
  seed.value = String(DEFAULT_SEED);
  seeds.value = String(DEFAULT_REPETITION.seeds);
  permutations.value = String(DEFAULT_REPETITION.permutations);
}
question.addEventListener('change', showOriginals);
showOriginals();

function useFile(picked: File | undefined): void {
  file = picked;
  fileName.textContent = picked?.name ?? 'Drop a CSV file here, or choose one';
  if (picked !== undefined)
    form.querySelector<HTMLInputElement>('input[value="file"]')!.checked = true;
}
fileInput.addEventListener('change', () => useFile(fileInput.files?.[0]));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  useFile(event.dataTransfer?.files[0]);
});

function showError(line: string | undefined): void {
  errorLine.hidden = line === undefined;
  errorLine.textContent = line ?? '';
}

/** The first epoch with the lowest validation loss: where training's best weights come from. */
function bestEpoch(): number {
  let best = 0;
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.validationLoss < points[best]!.validationLoss) best = i;
  }
  return points[best]!.epoch;
}

function draw(best = bestEpoch()): void {
  drawPending = false;
  chart.innerHTML = lineChart({
    // Drawn at the box's width (up to the report's 640), so its text stays readable on a phone.
    width: Math.max(300, Math.min(640, chart.clientWidth)),
    title: 'Loss per epoch',
    xLabel: 'epoch',
    yLabel: 'loss',
    series: [
      { name: 'training loss', values: points.map((p) => p.trainLoss), colour: '#2166ac' },
      { name: 'validation loss', values: points.map((p) => p.validationLoss), colour: '#d6604d' },
    ],
    marker: { x: best, label: `best epoch ${best}` },
  });
  const at = points[best - 1]!;
  metric.textContent = `Epoch ${points.length}; best epoch ${best}: ${metricName} ${at.validationMetric.toFixed(3)}`;
}

/** The settings as the command's flags, or what is wrong with them. */
function settings(): { flags: TrainingFlags; repetition: Repetition } | string {
  const units = Number(hidden.value);
  const rate = Number(lr.value);
  const seedValue = Number(seed.value);
  if (!Number.isInteger(units) || units < 1 || units > 1024)
    return 'hidden units: give a whole number from 1 to 1024';
  if (!(rate > 0) || !Number.isFinite(rate)) return 'learning rate: give a number above 0';
  if (!Number.isSafeInteger(seedValue) || seedValue < 0)
    return 'seed: give a whole number, 0 or more';
  const batchText = batch.value.trim();
  const batchSize = batchText === 'full' ? 'full' : Number(batchText);
  if (batchSize !== 'full' && (!Number.isInteger(batchSize) || batchSize < 1))
    return 'batch size: give a whole number above 0, or full';
  const networks = Number(seeds.value);
  const shuffles = Number(permutations.value);
  if (!Number.isInteger(networks) || networks < 1 || networks > MAX_SEEDS)
    return `networks: give a whole number from 1 to ${MAX_SEEDS}`;
  if (!Number.isInteger(shuffles) || shuffles < 0 || shuffles > MAX_PERMUTATIONS)
    return `permutations: give a whole number from 0 to ${MAX_PERMUTATIONS}`;
  return {
    flags: {
      hidden: [units],
      lr: rate,
      optimizer: optimizer.value as OptimizerName,
      dtype: dtype.value as 'f64' | 'f32',
      seed: seedValue,
      batchSize,
    },
    repetition: { ...DEFAULT_REPETITION, seeds: networks, permutations: shuffles },
  };
}

/** The answer of the network seeded --seed, shown while the repetition runs. */
let single: Extract<FromWorker, { type: 'single' }> | undefined;

function finish(): void {
  trainButton.disabled = false;
  stopButton.disabled = true;
  status.textContent = '';
}

function onMessage(event: MessageEvent<FromWorker>): void {
  const message = event.data;
  if (message.type === 'status') status.textContent = message.text;
  else if (message.type === 'epoch') {
    points.push(message.point);
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(() => draw());
    }
  } else if (message.type === 'single') {
    single = message;
    if (points.length > 0) draw(message.result.training.bestEpoch);
    const note = message.cancelled
      ? 'Stopped by you: the network keeps its best epoch so far, and was not repeated.'
      : 'One network so far: the ensemble and the permutation test of the procedure follow.';
    const stage = message.cancelled ? 'stopped' : 'first';
    result.replaceChildren(resultView(message.result, message.dataset, stage, note));
    if (message.cancelled) finish();
  } else if (message.type === 'done') {
    single = undefined;
    finish();
    result.replaceChildren(resultView(message.result, message.dataset, 'done'));
  } else {
    finish();
    showError(message.line);
  }
}

function startWorker(): Worker {
  const started = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  started.addEventListener('message', onMessage);
  return started;
}

let worker = startWorker();
const send = (message: ToWorker) => worker.postMessage(message);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const chosen = settings();
  if (typeof chosen === 'string') {
    showError(chosen);
    return;
  }
  const useOwn = form.querySelector<HTMLInputElement>('input[value="file"]')!.checked;
  if (useOwn && file === undefined) {
    showError('choose or drop a CSV file first, or use the built-in sample');
    return;
  }
  showError(undefined);
  points = [];
  metricName =
    QUESTIONS.find((q) => q.id === question.value)?.kind === 'regression'
      ? 'validation R²'
      : 'validation accuracy';
  chart.replaceChildren();
  metric.textContent = '';
  result.replaceChildren();
  single = undefined;
  live.hidden = false;
  trainButton.disabled = true;
  stopButton.disabled = false;
  send({
    type: 'train',
    question: question.value,
    ...chosen,
    ...(useOwn && file !== undefined ? { file } : {}),
  });
});

stopButton.addEventListener('click', () => {
  stopButton.disabled = true;
  if (single === undefined) {
    // Training the first network: it stops at the next epoch and keeps its best weights.
    status.textContent = 'stopping: keeping the best weights…';
    send({ type: 'stop' });
    return;
  }
  // Repeating: the trainings never pause for a message, so the worker is ended and the first
  // network's answer stays.
  worker.terminate();
  worker = startWorker();
  const { result: answer, dataset } = single;
  single = undefined;
  finish();
  result.replaceChildren(
    resultView(
      answer,
      dataset,
      'stopped',
      `Stopped by you during the repetition: this is the network seeded ${answer.hyperparameters.seed} alone, not the ensemble.`,
    ),
  );
});
