#!/usr/bin/env node
import process from 'node:process';
import v8 from 'node:v8';
import { wasmSupport } from '@scratchnet/linalg';
import { main } from './cli.js';

const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true && process.stdout.isTTY === true,
  wasm: () => ({ ...wasmSupport() }),
  enableRelaxedSimd() {
    // Node 22 and later validate relaxed SIMD by default; Node 20 and 21 need V8's flag, which
    // takes effect when set before the first module is validated (linalg detects lazily).
    if (Number(process.versions.node.split('.')[0]) >= 22) return [];
    v8.setFlagsFromString(RELAXED_SIMD_FLAG);
    return [RELAXED_SIMD_FLAG];
  },
});
process.exitCode = code;
