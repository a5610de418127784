/**
 * Milliseconds per epoch in the page (headless Chromium, the training worker) against Node.js, for
 * the same network on the same data in the same run: the genre question on the built-in sample,
 * seed 7, one network on mini-batches of 500 rows, which stops early after the same epochs in
 * both. Alternates the two three times and
 * prints the medians; asserts only that both trained the same epochs (the speed
 * of a shared 2-core machine is reported, not judged). Run: pnpm --filter @scratchnet/web speed
 */
import type { Hyperparameters } from '@scratchnet/cli/questions';
import {
  fitQuestion,
  prepareForTraining,
  resolveHyperparameters,
  sampleListeners,
} from '@scratchnet/cli/questions';
import { getQuestion } from '@scratchnet/preprocess';
import { expect, it } from 'vitest';
import { chromiumPresent, launchChromium, servePage } from './test-page.js';

const QUESTION = 'genre-by-country';
const SEED = 7;
const ROUNDS = 3;
/**
 * Mini-batches of 500 of the 3,000 training rows: full-batch training sees only the distinct rows
 * (10 for this question), too few to measure the kernels; mini-batches see every row.
 */
const BATCH = 500;
const SETTINGS: { hidden: number; dtype: 'f64' | 'f32' }[] = [
  { hidden: 16, dtype: 'f64' },
  { hidden: 16, dtype: 'f32' },
  { hidden: 256, dtype: 'f64' },
  { hidden: 256, dtype: 'f32' },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function inNode(hyperparameters: Hyperparameters) {
  const { table } = sampleListeners();
  const prepared = prepareForTraining(getQuestion(QUESTION), table, hyperparameters.seed);
  const fitted = await fitQuestion(prepared, hyperparameters, { update() {}, stop() {} });
  const epochs = fitted.history.epochsRun;
  return { epochs, msPerEpoch: (fitted.seconds * 1000) / epochs };
}

it.skipIf(!chromiumPresent)('page against Node: ms per epoch', async () => {
  const server = await servePage();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const lines: string[] = [];
    for (const { hidden, dtype } of SETTINGS) {
      const hyperparameters = resolveHyperparameters(QUESTION, {
        hidden: [hidden],
        dtype,
        seed: SEED,
        batchSize: BATCH,
      });
      const node: number[] = [];
      const web: number[] = [];
      let epochs = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const measured = await inNode(hyperparameters);
        node.push(measured.msPerEpoch);
        epochs = measured.epochs;
        await page.selectOption('#question', QUESTION);
        await page.fill('#hidden', String(hidden));
        await page.selectOption('#dtype', dtype);
        await page.fill('#seed', String(SEED));
        await page.fill('#batch', String(BATCH));
        // One network, no permutations: the training alone, as in Node.
        await page.fill('#seeds', '1');
        await page.fill('#permutations', '0');
        await page.click('#train');
        const article = page.locator(`article#${QUESTION}[data-stage="done"]`);
        await article.waitFor({ timeout: 110_000 });
        const pageEpochs = Number(await article.getAttribute('data-epochs'));
        const seconds = Number(await article.getAttribute('data-seconds'));
        expect(pageEpochs).toBe(measured.epochs);
        web.push((seconds * 1000) / pageEpochs);
      }
      const ratio = median(web) / median(node);
      lines.push(
        `${QUESTION} ${hyperparameters.hidden.join(',')} hidden ${dtype}, batch ${BATCH}, ${epochs} epochs: ` +
          `Node ${median(node).toFixed(3)} ms/epoch, Chromium ${median(web).toFixed(3)} ms/epoch, ` +
          `page/Node ${ratio.toFixed(2)}×`,
      );
    }
    console.log(`\n${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
});
