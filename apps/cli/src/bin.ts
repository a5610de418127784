#!/usr/bin/env node
/** The `scratchnet` executable: runs the CLI on the process's arguments and exits with its code. */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
