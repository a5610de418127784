/// <reference lib="dom" />
/**
 * The built page in Debian's headless Chromium, as a person uses it: trains the genre question on
 * the built-in sample and must show the numbers `scratchnet questions` prints for the same seed,
 * bit for bit; shows a bad file's error as the command's one line; stops on request; never scrolls sideways at 400 px; logs no console error. Without /usr/bin/chromium
 * the tests are skipped with a message. Screenshots go to apps/web/screenshots/ (not committed).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeImportsOnBrowserPath } from '../../../browser-bundle.ts';
import { chromiumPresent, CHROMIUM, launchChromium, servePage } from './test-page.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const SEED = 7;
const PHONE = { width: 400, height: 860 };
const DESKTOP = { width: 1100, height: 900 };

/** `scratchnet` with these arguments: its exit code, stdout and stderr. */
async function cli(args: string[], cwd?: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1' },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it('the command’s ./questions entry bundles for a browser with nothing Node-only', async () => {
  const entry = new URL('../../cli/src/browser.ts', import.meta.url);
  expect(await nodeImportsOnBrowserPath(entry)).toEqual([]);
});

if (!chromiumPresent) {
  console.log(
    `web page tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`,
  );
}

describe.skipIf(!chromiumPresent)('the page in headless Chromium', () => {
  let server: Awaited<ReturnType<typeof servePage>>;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await servePage();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    // The page must need nothing from the network: anything but our server is refused.
    await page.route('**/*', (route) =>
      route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
    );
    await page.goto(server.url);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Presses train with the question's original settings and `seed`, and waits for the answer. */
  async function train(question: string, seed: number) {
    // Choosing a question resets the settings to its originals (as the command without flags).
    await page.selectOption('#question', question);
    await page.fill('#seed', String(seed));
    await page.click('#train');
    const article = page.locator(`article#${question}[data-stage="done"]`);
    await article.waitFor({ timeout: 110_000 });
    return article;
  }

  it('trains genre-by-country on the sample to the command’s numbers, bit for bit in float64', async () => {
    const [article, command] = await Promise.all([
      train('genre-by-country', SEED),
      cli(['questions', '--json', '--question', 'genre-by-country', '--seed', String(SEED)]),
    ]);
    expect(command.code, command.stderr).toBe(0);
    const expected = JSON.parse(command.stdout).questions[0];
    expect(expected.hyperparameters.dtype).toBe('f64');
    expect(Number(await article.getAttribute('data-test-score'))).toBe(expected.test.accuracy);
    expect(Number(await article.getAttribute('data-test-loss'))).toBe(expected.test.loss);
    expect(Number(await article.getAttribute('data-best-epoch'))).toBe(expected.training.bestEpoch);
    // The live chart ends on the best epoch, and the trust block is the command's.
    await expect(page.locator('#chart svg').textContent()).resolves.toContain(
      `best epoch ${expected.training.bestEpoch}`,
    );
    const text = await article.textContent();
    expect(text).toContain(expected.significance.sentence);
    expect(text).toMatch(/Permutation tests? \(one-sided, paired\)/);
    expect(text).toContain('Chi-square test of independence');
    expect(text).toContain('95% interval');
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop.png'), fullPage: true });
  });

  it('never scrolls sideways 400 px wide', async () => {
    await page.setViewportSize(PHONE);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  /** The command's one error line for `csv` saved as `name`, and the page's for the same file. */
  async function bothErrors(name: string, csv: string) {
    const folder = await mkdtemp(join(tmpdir(), 'scratchnet-web-'));
    try {
      await writeFile(join(folder, name), csv);
      const command = await cli(
        ['questions', '--question', 'genre-by-country', '--data', name],
        folder,
      );
      expect(command.code).toBe(1);
      await page.selectOption('#question', 'genre-by-country');
      await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.click('#train');
      const error = page.locator('#error');
      await error.waitFor({ state: 'visible', timeout: 60_000 });
      return { command: command.stderr.trim(), page: await error.textContent() };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  it('shows a bad file’s error as the one line the command prints', async () => {
    const ragged = await bothErrors(
      'ragged.csv',
      'User_ID,Country,Top Genre\nU1,Japan,Pop\nU2,Chile\n',
    );
    expect(ragged.command).toMatch(/^scratchnet: ragged\.csv:3: the row has 2 fields/);
    expect(ragged.page).toBe(ragged.command);
  });

  it('names the line of a rare category as the command does, from the dropped file', async () => {
    const rows = Array.from(
      { length: 20 },
      (_, i) => `U${i},${i === 13 ? 'Japna' : ['Japan', 'Chile'][i % 2]},${['Pop', 'Rock'][i % 2]}`,
    );
    const rare = await bothErrors('rare.csv', `User_ID,Country,Top Genre\n${rows.join('\n')}\n`);
    expect(rare.command).toMatch(/^scratchnet: rare\.csv:15: Country "Japna" is in 1 row only/);
    expect(rare.page).toBe(rare.command);
    await page.check('input[value="sample"]');
  });

  it('stops on request and answers with the network seeded --seed alone', async () => {
    await page.selectOption('#question', 'genre-by-country');
    // Many networks: the repetition is still running when the click comes.
    await page.fill('#seeds', '1000');
    await page.fill('#permutations', '0');
    await page.click('#train');
    await page.waitForFunction(() =>
      /training \d+ of 1000 networks/.test(document.querySelector('#status')?.textContent ?? ''),
    );
    await page.click('#stop');
    const article = page.locator('article#genre-by-country[data-stage="stopped"]');
    await article.waitFor({ timeout: 110_000 });
    await expect(article.locator('.run-note').textContent()).resolves.toContain(
      'Stopped by you during the repetition',
    );
    // One network, so no ensemble line in the trust table; and the page trains again at once.
    await expect(article.textContent()).resolves.not.toContain('ensemble of');
    await expect(page.locator('#train').isEnabled()).resolves.toBe(true);
  });

  it('stops during the first training and keeps its best epoch so far', async () => {
    await page.selectOption('#question', 'genre-by-country');
    // One row a step: thousands of steps an epoch, so the click lands while it trains.
    await page.fill('#batch', '1');
    await page.click('#train');
    await page.waitForFunction(() => document.querySelector('#chart svg') !== null);
    await page.click('#stop');
    const article = page.locator('article#genre-by-country[data-stage="stopped"]');
    await article.waitFor({ timeout: 110_000 });
    await expect(article.locator('.run-note').textContent()).resolves.toContain(
      'Stopped by you: the network keeps its best epoch so far',
    );
    const best = Number(await article.getAttribute('data-best-epoch'));
    expect(best).toBeGreaterThanOrEqual(1);
    await expect(article.textContent()).resolves.toContain(`best epoch ${best}`);
    await expect(page.locator('#train').isEnabled()).resolves.toBe(true);
    await page.fill('#batch', 'full');
  });

  it('answers the minutes question with the command’s R², bit for bit, and shows R² live', async () => {
    const question = 'minutes-by-country-platform';
    const [article, command] = await Promise.all([
      train(question, SEED),
      cli(['questions', '--json', '--question', question, '--seed', String(SEED)]),
    ]);
    expect(command.code, command.stderr).toBe(0);
    const expected = JSON.parse(command.stdout).questions[0];
    expect(Number(await article.getAttribute('data-test-score'))).toBe(expected.test.r2);
    expect(Number(await article.getAttribute('data-test-loss'))).toBe(expected.test.loss);
    await expect(page.locator('#metric').textContent()).resolves.toContain('validation R²');
  });

  it('logged no console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});
