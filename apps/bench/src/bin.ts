#!/usr/bin/env node
import process from 'node:process';
import { main } from './cli.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true && process.stdout.isTTY === true,
  wasm: () => ({ simd: false, relaxedSimd: false, sharedMemory: false }),
});
process.exitCode = code;
