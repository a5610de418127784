import { it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readListenersCsv, writeGeneratedListenersCsv } from './index.js';
it('1M', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-'));
  const file = join(dir, 'big.csv');
  let t = performance.now();
  await writeGeneratedListenersCsv(file, { rows: 1_000_000, seed: 1 });
  console.log('write ms', performance.now() - t, 'bytes', statSync(file).size);
  const before = process.memoryUsage();
  let peak = 0,
    peakAB = 0;
  t = performance.now();
  const table = await readListenersCsv(file, {
    onProgress: () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed);
      peakAB = Math.max(peakAB, m.arrayBuffers);
    },
  });
  console.log(
    'read ms',
    performance.now() - t,
    table.rows,
    'heap growth MB',
    (peak - before.heapUsed) / 1e6,
    'ab',
    (peakAB - before.arrayBuffers) / 1e6,
  );
}, 120000);
