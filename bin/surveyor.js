#!/usr/bin/env node
// Thin launcher: the command line lives in dist/cli (built by `npm install` via `prepare`).
import { main } from '../dist/cli/main.js';

// `surveyor papers | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`surveyor: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
