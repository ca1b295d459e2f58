#!/usr/bin/env node
// Thin launcher: the command line lives in dist/cli (built by `npm install` via `prepare`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`surveyor: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
