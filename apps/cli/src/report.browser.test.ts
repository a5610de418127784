/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report as a person sees it on a phone: rendered by a real headless Chromium (Debian's
 * `chromium`, driven by playwright-core) 400 px wide. `.ci/run` installs the browser; without
 * /usr/bin/chromium these tests are skipped with a message. Set REPORT_SCREENSHOT=FILE.png to keep
 * a full-page screenshot of the generated report.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import type { CliRun } from './test-cli.js';
import { runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from './test-cli.js';
import { exampleResult } from './test-results.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  console.log(
    `report browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`,
  );
}

/** A phone held upright. */
const PHONE = { width: 400, height: 800 };

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe.skipIf(!present)('the report in a 400 px wide headless Chromium', () => {
  let folder: { path: string; remove: () => Promise<void> };
  let browser: Browser;
  let page: Page;
  let run: CliRun;

  beforeAll(async () => {
    folder = await scratchFolder();
    const cwd = folder.path;
    const made = await runCli(
      ['generate', '--rows', '600', '--seed', '3', '--effect', 'time=0.8', '--out', 'd.csv'],
      { cwd },
    );
    expect(made.code, made.stderr).toBe(0);
    // Few epochs: the validation loss is still falling, so the best epoch is the last one.
    run = await runCli(['questions', '--data', 'd.csv', '--epochs', '25', '--report', 'r.html'], {
      cwd,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: PHONE });
    await page.goto(`file://${join(cwd, 'r.html')}`);
    if (process.env.REPORT_SCREENSHOT)
      await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
  }, SPAWNING_HOOK_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await folder?.remove();
  });

  it('never scrolls the page sideways: wide tables scroll inside their own box', async () => {
    expect(run.code, run.stderr).toBe(0);
    const page_ = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(page_.scrollWidth).toBeLessThanOrEqual(page_.clientWidth);
    const boxes = await page.$$eval('table', (tables) =>
      tables.map((table) => {
        const box = table.parentElement!;
        return {
          right: box.getBoundingClientRect().right,
          overflowX: getComputedStyle(box).overflowX,
          scrolls: box.scrollWidth > box.clientWidth,
        };
      }),
    );
    expect(boxes.length).toBe(3 * 2);
    for (const box of boxes) {
      expect(box.right).toBeLessThanOrEqual(PHONE.width);
      expect(box.overflowX).toBe('auto');
    }
    // The minutes table (seven columns) cannot fit 400 px: it is the one that scrolls.
    expect(boxes.some((box) => box.scrolls)).toBe(true);
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => svg.getBoundingClientRect().right),
    );
    // Per question: two training charts, one of the answer and the null distribution of the
    // permutation test of the procedure; a confusion matrix for two.
    expect(charts).toHaveLength(3 * 4 + 2);
    for (const right of charts) expect(right).toBeLessThanOrEqual(PHONE.width);
    // The real score's label stays inside the histogram even at the edge of the null distribution.
    const histograms = await page.$$eval('svg.histogram', (svgs) =>
      svgs.map((svg) => {
        const b = (svg.querySelector('.marker-label') as SVGGraphicsElement).getBBox();
        return {
          left: b.x,
          right: b.x + b.width,
          width: (svg as SVGSVGElement).viewBox.baseVal.width,
        };
      }),
    );
    expect(histograms).toHaveLength(3);
    for (const box of histograms) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(box.width);
    }
  });

  it('keeps every best-epoch label inside its chart, and every legend off the data and the marker', async () => {
    const charts = await page.$$eval('svg.chart:not(.heatmap):not(.histogram)', (svgs) =>
      svgs.map((svg) => {
        const box = (element: Element) => {
          const b = (element as SVGGraphicsElement).getBBox();
          return { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height };
        };
        const axis = svg.querySelector('line.axis')!;
        return {
          width: (svg as SVGSVGElement).viewBox.baseVal.width,
          plotTop: Number(axis.getAttribute('y1')),
          labels: [...svg.querySelectorAll('.marker-label')].map(box),
          legend: [...svg.querySelectorAll('.legend, .legend-key')].map(box),
        };
      }),
    );
    expect(charts).toHaveLength(3 * 2 + 1);
    const labelled = charts.filter((chart) => chart.labels.length > 0);
    expect(labelled).toHaveLength(3 * 2);
    for (const chart of charts) {
      expect(chart.legend.length).toBeGreaterThan(0);
      for (const label of chart.labels) {
        expect(label.left).toBeGreaterThanOrEqual(0);
        expect(label.right).toBeLessThanOrEqual(chart.width);
      }
      for (const item of chart.legend) {
        expect(item.bottom).toBeLessThanOrEqual(chart.plotTop);
        expect(item.right).toBeLessThanOrEqual(chart.width);
        for (const label of chart.labels) expect(overlaps(item, label)).toBe(false);
      }
    }
  });

  it('shows the classes in the same order in the answer table and the confusion matrix', async () => {
    const section = page.locator('#listening-time-by-age');
    const headers = await section.locator('table.answer th').allTextContents();
    const tableOrder = headers.flatMap((h) => /^P\((.*)\)$/.exec(h)?.[1] ?? []);
    expect(tableOrder).toEqual(['Morning', 'Afternoon', 'Night']);
    const rowLabels = await section
      .locator('svg.heatmap text.tick[text-anchor="end"]')
      .allTextContents();
    expect(rowLabels).toEqual(tableOrder);
  });

  it('keeps the best-epoch label whole at the first and at the last epoch', async () => {
    const result = exampleResult();
    const last = result.training.history.length;
    for (const bestEpoch of [1, last]) {
      const html = renderReport({
        dataset: { source: 'file', path: 'x.csv', rows: 5000 },
        questions: [{ ...result, training: { ...result.training, bestEpoch } }],
        version: '0.0.0',
      });
      const file = join(folder.path, `best-${bestEpoch}.html`);
      await writeFile(file, html);
      await page.goto(`file://${file}`);
      const boxes = await page.$$eval('.marker-label', (labels) =>
        labels.map((label) => {
          const b = (label as SVGGraphicsElement).getBBox();
          const svg = label.closest('svg')!;
          return { left: b.x, right: b.x + b.width, width: svg.viewBox.baseVal.width };
        }),
      );
      // Both training charts' best epoch, and the real score on the null distribution.
      expect(boxes).toHaveLength(3);
      for (const box of boxes) {
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(box.width);
      }
    }
  });
});
