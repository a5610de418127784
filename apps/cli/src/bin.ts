#!/usr/bin/env node
/** The `scratchnet` executable: runs the CLI on the process's arguments and exits with its code. */
import { removeOutputsOnSignals } from './output.js';
import { run } from './program.js';
import { clearProgressOnSignals } from './terminal.js';

// Ctrl-C during training must not leave a half-drawn progress bar where the prompt comes back;
// while a file is being written, it must not leave a temporary or half a set of files behind.
clearProgressOnSignals();
removeOutputsOnSignals();

// A reader that stops early (`scratchnet predict … | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
