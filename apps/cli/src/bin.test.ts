import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('bin', () => {
  it('runs', () => {
    expect(execFileSync(process.execPath, [bin], { encoding: 'utf8' })).toContain(
      'work in progress',
    );
  });
});
